/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of managers/processor/pcache/ share with each other and
 * nobody else: the counters' text helpers (stats.c), the occupancy gauges
 * (sets.c), the sweep thread's hooks (sweep.c) and the overflow pool's size
 * (overflow.c).
 */
#ifndef _PCACHE_INTERNAL_H
#define _PCACHE_INTERNAL_H

#include <mosaic/pcache.h>

/* Lines allocated over all sets and the pool (racy sum of the per-set gauges). */
unsigned long pcache_lines_in_use(void);
/* Lines of the overflow pool allocated now (a gauge). */
static inline unsigned long pcache_overflow_in_use(void)
{
	return __atomic_load_n(&pcache.overflow.nr_allocated, __ATOMIC_RELAXED);
}
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
/*
 * A buffer for a MISS reply or a FLUSH request (msgbuf.c): NULL when out of
 * memory. Give it back with pcache_msgbuf_put() (NULL is fine).
 */
void *pcache_msgbuf_get(void);
void pcache_msgbuf_put(void *buf);
/* Fill the kept buffers at boot (as many as memory allows). */
void pcache_msgbuf_init(void);
/* pcache.overflow=: lines of the overflow pool to set up at boot (overflow.c). */
extern unsigned int pcache_overflow_lines;

#endif
