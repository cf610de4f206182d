// SPDX-License-Identifier: GPL-2.0
/*
 * The forward-progress rule's decision (include/mosaic/pcache_progress.h):
 * has this task's current instruction had this page filled already? Pure
 * logic on the task's own history; the fill path (fault.c) asks it before
 * taking a line, and borrows from the overflow pool on a yes.
 *
 * False positives cost a pool line, nothing else: a loop whose one
 * instruction touches the same few pages again (same ip, a page evicted
 * meanwhile) borrows although the instruction did retire in between.
 */
#include <mosaic/pcache_progress.h>

static bool filled_before(const struct pcache_progress *p, unsigned long page)
{
	unsigned int known = p->nr < PCACHE_PROGRESS_PAGES ? p->nr : PCACHE_PROGRESS_PAGES;

	for (unsigned int i = 0; i < known; i++)
		if (p->pages[i] == page)
			return true;
	return false;
}

bool pcache_progress_refault(struct pcache_progress *p, unsigned long ip, unsigned long address,
			     u64 evict_seq)
{
	unsigned long page = address & ~4095UL;

	if (p->ip != ip) {
		p->ip = ip;
		p->nr = 0;
		p->evict_seq = evict_seq;
	} else if (p->evict_seq != evict_seq && filled_before(p, page)) {
		return true;
	}
	p->pages[p->nr++ % PCACHE_PROGRESS_PAGES] = page;
	return false;
}
