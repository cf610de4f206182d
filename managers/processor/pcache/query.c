// SPDX-License-Identifier: GPL-2.0
/*
 * Questions asked of a line's mappings, each an rmap walk: the worked
 * example of Documentation/pcache-callbacks.md lives here.
 *
 * Lock order: the caller holds the line lock; the callbacks take each
 * owner's pte lock (line -> pte).
 */
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>

/*
 * The worked example of Documentation/pcache-callbacks.md: how many of a
 * line's ptes let their process write it (0 for a line shared copy-on-write).
 */
static enum rmap_ret count_writable_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	unsigned int *writable = arg;

	spin_lock(&r->owner->page_table_lock);
	if (*r->pte & PTE_RW)
		(*writable)++;
	spin_unlock(&r->owner->page_table_lock);
	return RMAP_CONTINUE;
}

unsigned int pcache_writable_mappings(struct pcache_meta *pcm)
{
	unsigned int writable = 0;
	const struct rmap_walk_control rwc = {
		.rmap_one = count_writable_one,
		.arg = &writable,
	};

	rmap_walk(pcm, &rwc);
	return writable;
}
