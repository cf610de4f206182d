/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forward progress of a task's pcache faults: the pages that the task's
 * current instruction (its fault's instruction pointer) has had filled.
 * When that instruction faults again on one of them, the page was lost
 * before the instruction could complete: in a set with fewer ways than the
 * instruction needs pages, each fault evicts a page that another one needs
 * and the instruction loops forever. The fill path then borrows a line of
 * the overflow pool (managers/processor/pcache/overflow.c) instead of
 * evicting within the set.
 *
 * Kept in struct task (include/mosaic/sched.h) and touched only by the task
 * itself, on its own faults: no lock.
 */
#ifndef _MOSAIC_PCACHE_PROGRESS_H
#define _MOSAIC_PCACHE_PROGRESS_H

#include <mosaic/types.h>

/*
 * Pages remembered per instruction. An x86 instruction touches at most six
 * pages (code, source and destination, each possibly across a boundary).
 */
#define PCACHE_PROGRESS_PAGES 8

struct pcache_progress {
	unsigned long ip;				/* the instruction they belong to */
	unsigned long pages[PCACHE_PROGRESS_PAGES];	/* filled for it; a ring */
	unsigned int nr;				/* fills recorded for ip */
	u64 evict_seq;					/* pcache.evict_seq when ip began */
};

/*
 * Has the history p (same instruction, an eviction since it began) had the
 * page at page filled already? The search of pcache_progress_refault(),
 * out of line: only a refault candidate pays for it (progress.c).
 */
bool pcache_progress_filled_before(const struct pcache_progress *p, unsigned long page);

/*
 * A fill for the page at address is about to happen for the instruction at
 * ip: record it, and return true when the same instruction had that page
 * filled already (a refault: the instruction made no progress meanwhile).
 * A new ip starts a new history. evict_seq is pcache.evict_seq now: while
 * nothing was evicted since the history began no page of it can have been
 * lost, and the history is not searched (the common fault pays no search).
 * Inline: every user fault asks. Pure logic (ktest pcache_progress).
 */
static inline bool pcache_progress_refault(struct pcache_progress *p, unsigned long ip,
					   unsigned long address, u64 evict_seq)
{
	unsigned long page = address & ~4095UL;

	if (p->ip != ip) {
		p->ip = ip;
		p->nr = 0;
		p->evict_seq = evict_seq;
	} else if (p->evict_seq != evict_seq && pcache_progress_filled_before(p, page)) {
		return true;
	}
	p->pages[p->nr++ % PCACHE_PROGRESS_PAGES] = page;
	return false;
}

#endif
