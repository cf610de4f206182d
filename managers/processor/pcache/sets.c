// SPDX-License-Identifier: GPL-2.0
/*
 * Occupancy gauges of the pcache's sets, for /proc/pcache_sets and the
 * shutdown report. Gauges go up and down (unlike /proc/pcache's counters):
 *
 *   sets, assoc                  the geometry
 *   used_ways_min/_max           fewest and most ways allocated in a set
 *   used_ways_avg_x100           the mean, times 100 (the file stays integers)
 *   lines_reclaim                lines being evicted now (PC_reclaim)
 *   lines_locked                 lines locked now (being filled or worked on)
 *   sets_free_N                  how many sets have exactly N free ways
 *   sweep_free_ways              what the sweep thread keeps free (0: none)
 *
 * Context: any; reads every set's nr_allocated and every line's flags
 * without locks, so a snapshot taken while faults run is approximate.
 */
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#include "internal.h"

struct occupancy {
	u32 min_used, max_used;
	u64 total_used;
	unsigned long reclaim, locked;
};

static void scan_sets(struct occupancy *occ, unsigned long *sets_by_free)
{
	*occ = (struct occupancy){ .min_used = pcache.assoc };
	for (unsigned long s = 0; s < pcache.nr_sets; s++) {
		u32 used = __atomic_load_n(&pcache.sets[s].nr_allocated, __ATOMIC_RELAXED);

		used = min(used, pcache.assoc);
		occ->min_used = min(occ->min_used, used);
		occ->max_used = max(occ->max_used, used);
		occ->total_used += used;
		if (sets_by_free)
			sets_by_free[pcache.assoc - used]++;
	}
}

static void scan_lines(struct occupancy *occ)
{
	for (unsigned long i = 0; i < pcache_all_lines(); i++) {	/* the pool's too */
		occ->reclaim += pcache_test_flag(&pcache.meta[i], PC_reclaim);
		occ->locked += pcache_test_flag(&pcache.meta[i], PC_locked);
	}
}

static u64 avg_used_x100(const struct occupancy *occ)
{
	return pcache.nr_sets ? occ->total_used * 100 / pcache.nr_sets : 0;
}

static size_t show_summary(char *buf, size_t size, const struct occupancy *occ)
{
	return snprintf(buf, size, "sets %lu\nassoc %u\nused_ways_min %u\nused_ways_max %u\n"
			"used_ways_avg_x100 %llu\nlines_reclaim %lu\nlines_locked %lu\n",
			pcache.nr_sets, pcache.assoc, occ->min_used, occ->max_used,
			(unsigned long long)avg_used_x100(occ), occ->reclaim, occ->locked);
}

long pcache_sets_show(char *buf, size_t size)
{
	unsigned long sets_by_free[64 + 1] = { 0 };	/* assoc <= 64 */
	struct occupancy occ;
	size_t n;

	scan_sets(&occ, sets_by_free);
	scan_lines(&occ);
	n = show_summary(buf, size, &occ);
	for (unsigned int f = 0; f <= pcache.assoc && n < size; f++)
		n += snprintf(buf + n, size - n, "sets_free_%u %lu\n", f, sets_by_free[f]);
	if (n < size)
		n += snprintf(buf + n, size - n, "sweep_free_ways %u\n", pcache_sweep_free_ways());
	return n < size ? (long)n : (long)size;
}

void pcache_print_occupancy(void)
{
	struct occupancy occ;

	scan_sets(&occ, NULL);
	scan_lines(&occ);
	pr_info("pcache: sets %lu x %u ways: used per set min %u avg %llu.%02llu max %u, "
		"lines in eviction %lu\n", pcache.nr_sets, pcache.assoc, occ.min_used,
		(unsigned long long)avg_used_x100(&occ) / 100,
		(unsigned long long)avg_used_x100(&occ) % 100, occ.max_used, occ.reclaim);
}
