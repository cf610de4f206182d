/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of managers/processor/pcache/ share with each other and
 * nobody else: the counters' text helpers (stats.c), the occupancy gauges
 * (sets.c) and the sweep thread's hooks (sweep.c).
 */
#ifndef _PCACHE_INTERNAL_H
#define _PCACHE_INTERNAL_H

#include <mosaic/pcache.h>

/* Ways allocated over all sets (racy sum of the per-set gauges). */
unsigned long pcache_lines_in_use(void);
/* A write to /proc/pcache: "reset" zeroes the counters; else -EINVAL. */
long pcache_stats_store(const char *buf, size_t len);
/* Print the one-line occupancy summary of /proc/pcache_sets (shutdown). */
void pcache_print_occupancy(void);
/*
 * A fill just took a way of set_index: wake the sweep thread if the set has
 * fewer free ways than pcache.sweep= asks. Context: any, no lock needed.
 */
void pcache_sweep_note(unsigned long set_index);
/* The free ways per set the sweep thread keeps (0: no sweep thread running). */
unsigned int pcache_sweep_free_ways(void);

#endif
