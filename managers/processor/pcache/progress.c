// SPDX-License-Identifier: GPL-2.0
/*
 * The forward-progress rule's search (include/mosaic/pcache_progress.h,
 * whose inline pcache_progress_refault() decides): has this task's current
 * instruction had this page filled already? Pure logic on the task's own
 * history; the fill path (fault.c) asks before taking a line, and borrows
 * from the overflow pool on a yes. Only a fault of the same instruction
 * after an eviction searches.
 *
 * False positives cost a pool line, nothing else: a loop whose one
 * instruction touches the same few pages again (same ip, a page evicted
 * meanwhile) borrows although the instruction did retire in between.
 */
#include <mosaic/pcache_progress.h>

bool pcache_progress_filled_before(const struct pcache_progress *p, unsigned long page)
{
	unsigned int known = p->nr < PCACHE_PROGRESS_PAGES ? p->nr : PCACHE_PROGRESS_PAGES;

	for (unsigned int i = 0; i < known; i++)
		if (p->pages[i] == page)
			return true;
	return false;
}
