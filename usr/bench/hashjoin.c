// SPDX-License-Identifier: GPL-2.0
/*
 * hashjoin: an application workload for the pcache with random access.
 * The build side (BUILD tuples) goes into an open-addressing hash table of
 * SLOTS 16-byte slots: 4 MiB, the working set. Each timed run probes it
 * with PROBES generated keys (a quarter of them match), so every probe touches
 * a page chosen at random: the opposite of kmeans' sequential scans.
 * Run at 100%, 50% and 25% of the working set local (pcache= on Mosaic,
 * a memory cgroup with zram swap on Linux).
 *
 * Rows (bench_app_rows()): hashjoin ms (best of RUNS), ws_pages,
 * pcache_lines, misses_per_run, checksum (sum of the joined payloads).
 */
#include "bench.h"

#define SLOTS (256 * 1024)	/* 16 B each: 4 MiB */
#define BUILD (SLOTS / 4)	/* load factor 1/4: short probe chains */
#define PROBES (32 * 1024)	/* each a random page: a miss at 25% local */
#define RUNS 3

struct slot {
	uint64_t key;		/* 0: empty */
	uint64_t payload;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* Build keys are 2, 4, 6, ...: a probe key (1 to 4 * BUILD) matches when it is even and <= 2 * BUILD. */
static uint64_t build_key(uint64_t i)
{
	return 2 * (i + 1);
}

static void insert(struct slot *table, uint64_t key, uint64_t payload)
{
	uint64_t i = mix(key) & (SLOTS - 1);

	while (table[i].key)
		i = (i + 1) & (SLOTS - 1);
	table[i] = (struct slot){ key, payload };
}

static uint64_t lookup(const struct slot *table, uint64_t key)
{
	for (uint64_t i = mix(key) & (SLOTS - 1); table[i].key; i = (i + 1) & (SLOTS - 1))
		if (table[i].key == key)
			return table[i].payload;
	return 0;
}

/* One probe pass: PROBES keys from a fixed generator; the sum of matched payloads. */
static int64_t probe_all(const void *data)
{
	const struct slot *table = data;
	uint64_t s = 42, sum = 0;

	for (long i = 0; i < PROBES; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		sum += lookup(table, (s >> 33) % (4 * BUILD) + 1);
	}
	return (int64_t)sum;
}

/* The build side: BUILD tuples into the empty table. */
static void build_table(void *data)
{
	for (uint64_t i = 0; i < BUILD; i++)
		insert(data, build_key(i), i + 1);
}

int main(void)
{
	return bench_app("hashjoin", SLOTS * sizeof(struct slot), RUNS, build_table, probe_all);
}
