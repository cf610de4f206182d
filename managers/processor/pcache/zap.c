// SPDX-License-Identifier: GPL-2.0
/*
 * Removing a mapping from a line (munmap, exit): pcache_zap_pte() is what
 * zap_pte_range() calls for each present pte that points into the pcache.
 *
 * The caller holds the pte lock, which comes after the line lock in the
 * lock order, so the line lock is only tried here: on failure the caller
 * drops the pte lock and retries.
 */
#include <mosaic/mm_types.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>

bool pcache_zap_pte(struct pcache_meta *pcm, struct mm_struct *mm, pte_t *pte,
		    unsigned long address)
{
	BUG_ON(!spin_is_locked(&mm->page_table_lock));
	if (!trylock_pcache(pcm))
		return false;
	*pte = 0;
	/* The data goes away with the mapping: nothing to write back. */
	pcache_remove_rmap(pcm, pte);
	pcache_get_locked(pcm);		/* held until the caller's TLB flush */
	unlock_pcache(pcm);
	return true;
}

void pcache_release_line(struct pcache_meta *pcm)
{
	lock_pcache(pcm);
	pcache_put_locked(pcm);
	unlock_pcache(pcm);	/* frees the line if that was the last user */
}
