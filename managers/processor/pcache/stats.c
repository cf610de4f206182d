// SPDX-License-Identifier: GPL-2.0
/*
 * The pcache counters as text: /proc/pcache (one "name value" per line;
 * writing "reset" to it zeroes them), the one-line summary printed when a
 * program exits, and the report printed at shutdown.
 *
 * Resets: counters only grow between two resets. "resets" counts them and is
 * never zeroed, so a reader comparing two snapshots (a benchmark phase, the
 * usr test pcache_counters) checks that both carry the same "resets" and
 * takes them again otherwise. A reset stores zero into each counter while
 * other CPUs may be adding to them: an increment that races with it may
 * survive or vanish, nothing else.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/string.h>

#include "internal.h"

struct counter_desc {
	const char *name;
	size_t offset;	/* in struct pcache_stats */
};

#define COUNTER(field) { #field, offsetof(struct pcache_stats, field) }

static const struct counter_desc counters[] = {
	COUNTER(fills), COUNTER(zero_fills), COUNTER(misses), COUNTER(fill_errors),
	COUNTER(no_free_line), COUNTER(fault_ahead), COUNTER(image_shares), COUNTER(rmap_add),
	COUNTER(rmap_remove), COUNTER(rmap_walks),
	COUNTER(rmap_walk_steps), COUNTER(lines_freed), COUNTER(writebacks),
	COUNTER(rmap_copies), COUNTER(cow_copies), COUNTER(cow_reuses),
	COUNTER(rmap_moves), COUNTER(move_tables),
	COUNTER(evict_clean), COUNTER(evict_dirty), COUNTER(shootdowns), COUNTER(evict_waits),
	COUNTER(sweep_wakeups), COUNTER(sweep_evictions),
	COUNTER(busy_waits), COUNTER(evict_blocked), COUNTER(writeback_unmapped),
	COUNTER(writeback_refused),
	COUNTER(progress_refaults), COUNTER(overflow_borrows), COUNTER(overflow_evictions),
};

static u64 read_counter(const u64 *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static u64 counter_value(const struct counter_desc *c)
{
	return read_counter((const u64 *)((const char *)&pcache.stats + c->offset));
}

unsigned long pcache_lines_in_use(void)
{
	unsigned long used = 0;

	for (unsigned long s = 0; s < pcache.nr_sets; s++)
		used += __atomic_load_n(&pcache.sets[s].nr_allocated, __ATOMIC_RELAXED);
	return used + pcache_overflow_in_use();
}

static const char *const walk_bucket_names[PCACHE_WALK_BUCKETS] = {
	"0", "1", "2", "3_4", "5_8", "9_16", "17_64", "65_up",
};

/* snprintf at buf + *n that never runs past size. */
static void put(char *buf, size_t size, size_t *n, const char *name, u64 value)
{
	if (*n < size)
		*n += snprintf(buf + *n, size - *n, "%s %llu\n", name, (unsigned long long)value);
}

static void show_walk_histogram(char *buf, size_t size, size_t *n)
{
	char name[32];

	for (int b = 0; b < PCACHE_WALK_BUCKETS; b++) {
		snprintf(name, sizeof(name), "rmap_walk_len_%s", walk_bucket_names[b]);
		put(buf, size, n, name, read_counter(&pcache.stats.walk_len[b]));
	}
}

/* evict_lru, evict_fifo, ...: evictions made by each policy. */
static void show_evictions_by_policy(char *buf, size_t size, size_t *n)
{
	char name[32];

	for (int p = 0; p < PCACHE_NR_POLICIES; p++) {
		snprintf(name, sizeof(name), "evict_%s", pcache_evict_policies[p].name);
		put(buf, size, n, name, read_counter(&pcache.stats.evict_by_policy[p]));
	}
}

long pcache_stats_show(char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(counters); i++)
		put(buf, size, &n, counters[i].name, counter_value(&counters[i]));
	show_evictions_by_policy(buf, size, &n);
	put(buf, size, &n, "resets", read_counter(&pcache.resets));
	put(buf, size, &n, "lines", pcache.nr_lines);
	put(buf, size, &n, "lines_used", pcache_lines_in_use());
	put(buf, size, &n, "overflow_lines", pcache.nr_overflow);
	put(buf, size, &n, "overflow_used", pcache_overflow_in_use());
	show_walk_histogram(buf, size, &n);
	return n < size ? (long)n : (long)size;
}

void pcache_stats_reset(void)
{
	u64 *counter = (u64 *)&pcache.stats;

	for (size_t i = 0; i < sizeof(pcache.stats) / sizeof(u64); i++)
		__atomic_store_n(&counter[i], 0, __ATOMIC_RELAXED);
	__atomic_fetch_add(&pcache.resets, 1, __ATOMIC_SEQ_CST);
}

/* A write to /proc/pcache: "reset" (a newline may follow), nothing else. */
long pcache_stats_store(const char *buf, size_t len)
{
	size_t word = len && buf[len - 1] == '\n' ? len - 1 : len;

	if (word != 5 || memcmp(buf, "reset", 5))
		return -EINVAL;
	pcache_stats_reset();
	return (long)len;
}

void pcache_print_counters(const char *who)
{
	pr_info("pcache: after %s: fills %llu zero_fills %llu misses %llu rmap_add %llu "
		"rmap_remove %llu lines_used %lu/%lu\n", who,
		(unsigned long long)read_counter(&pcache.stats.fills),
		(unsigned long long)read_counter(&pcache.stats.zero_fills),
		(unsigned long long)read_counter(&pcache.stats.misses),
		(unsigned long long)read_counter(&pcache.stats.rmap_add),
		(unsigned long long)read_counter(&pcache.stats.rmap_remove),
		pcache_lines_in_use(), pcache.nr_lines);
}

static void print_eviction_report(void)
{
	const struct pcache_stats *st = &pcache.stats;

	pr_info("pcache: evictions clean %llu dirty %llu (policy %s: %llu) writebacks %llu "
		"shootdowns %llu evict_waits %llu sweep wakeups %llu evictions %llu resets %llu\n",
		(unsigned long long)read_counter(&st->evict_clean),
		(unsigned long long)read_counter(&st->evict_dirty), pcache_evict_policy->name,
		(unsigned long long)read_counter(
			&st->evict_by_policy[pcache_evict_policy - pcache_evict_policies]),
		(unsigned long long)read_counter(&st->writebacks),
		(unsigned long long)read_counter(&st->shootdowns),
		(unsigned long long)read_counter(&st->evict_waits),
		(unsigned long long)read_counter(&st->sweep_wakeups),
		(unsigned long long)read_counter(&st->sweep_evictions),
		(unsigned long long)read_counter(&pcache.resets));
}

void pcache_print_report(void)
{
	if (!pcache.nr_lines)
		return;		/* no pcache on this node */
	pcache_print_counters("shutdown");
	print_eviction_report();
	pcache_print_occupancy();
}
