// SPDX-License-Identifier: GPL-2.0
/*
 * The overflow pool: forward progress for an instruction that needs more
 * pages of one set than the set has ways.
 *
 * The MMU needs every page an instruction touches present at once. In a
 * direct-mapped pcache (pcache.assoc=1) a load whose code page and data
 * page share a set never completes: the data fault evicts the code line,
 * the code fault evicts the data line, and so on forever. The same holds
 * for a rep movs whose source and destination share a set, a signal frame
 * on a stack page that shares the handler's set, an instruction across two
 * pages, and at any associativity for an instruction that needs more lines
 * of a set than it has ways.
 *
 * The rule: when a task's instruction faults again on a page it had filled
 * already (pcache_progress_refault(), progress.c), the fill takes a line of
 * the pool instead of one of the set. The pool is pcache.overflow= lines
 * (Kconfig PCACHE_OVERFLOW) after the sets' lines, one fully associative
 * set of its own:
 *
 *   pcache_borrow_line()    a free pool line, else the oldest pool line
 *                           is evicted (FIFO) and its way taken
 *
 * A borrowed line is a normal line: mapped by a pte (the MMU finds it),
 * in the rmap, zapped, forked, copied on write, moved and checked by the
 * invariant checker like any other; only its way lies in the pool, so the
 * set's eviction never sees it and the pool's FIFO eviction pushes it out
 * (through the same evict_lines(), with the eviction barrier) when a later
 * borrow needs room. Lock order as everywhere: the pool's set lock -> line
 * -> pte; the pool lock is never held with another set's lock.
 */
#include <mosaic/errno.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/string.h>

#include "internal.h"

unsigned int pcache_overflow_lines = CONFIG_PCACHE_OVERFLOW;

static int set_overflow(const char *val, const struct kernel_param *kp)
{
	unsigned int lines;
	int err = kstrtouint(val ? val : "", 0, &lines);

	if (err)
		return err;
	if (lines > PCACHE_MAX_ASSOC)
		return -ERANGE;
	pcache_overflow_lines = lines;
	return 0;
}
KERNEL_PARAM("pcache.overflow", set_overflow, &pcache_overflow_lines,
	     "lines any set may borrow for forward progress (0-64; 0: none)");

/* Borrowed lines whose eviction another CPU wins before our claim: retry a few times. */
#define BORROW_TRIES 4

struct pcache_meta *pcache_borrow_line(void)
{
	struct pcache_meta *pcm;

	for (int i = 0; i < BORROW_TRIES && pcache.nr_overflow; i++) {
		pcm = pcache_alloc_overflow_way();
		if (pcm) {
			__atomic_fetch_add(&pcache.stats.overflow_borrows, 1, __ATOMIC_RELAXED);
			return pcm;
		}
		if (!pcache_evict_overflow())
			pcache_wait_for_ways();	/* every pool line busy for now */
	}
	return NULL;
}
