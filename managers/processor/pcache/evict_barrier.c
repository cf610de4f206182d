// SPDX-License-Identifier: GPL-2.0
/*
 * The eviction barrier: fork and mremap change where a line's data lives
 * at the memory node (FORK gives the child a copy of the parent's pages,
 * MREMAP moves pages to new addresses) while the pcache still maps the
 * lines as before. An eviction in that window would write a dirty line
 * back to the parent alone (the child's copy stays stale) or to an address
 * the memory node no longer maps (the data is lost). So, for the window:
 *
 *   pcache_block_eviction(mm, start, end)   no eviction writes back a line
 *                                           mm maps in [start, end), and
 *                                           those already writing are done
 *   ... FORK or MREMAP, then copy_pte_range() or move_ptes() ...
 *   pcache_unblock_eviction(mm)
 *
 * The victim picker asks pcache_evict_claim_owners() for each line it
 * picks: the line is passed over when one of its mappings lies in a
 * blocked range. The check and the block pair up like Dekker's algorithm:
 * the evictor raises mm->evicting before it reads the block, the blocker
 * publishes the block before it reads mm->evicting (both sequentially
 * consistent), so either the evictor sees the block or the blocker waits
 * until the eviction's write-backs are over. The count drops after the
 * write-back and before the unmap, while the line lock still pins the mms.
 *
 * Context: block/unblock in process context, no locks held (they sleep);
 * claim/release with the line lock held. mm->evict_block_lock orders the
 * blockers of one mm among themselves; evictors only read.
 */
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/sched.h>

void pcache_block_eviction(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	spin_lock(&mm->evict_block_lock);
	if (!mm->evict_blocks) {
		WRITE_ONCE(mm->evict_block_start, start);
		WRITE_ONCE(mm->evict_block_end, end);
	} else {	/* two blockers in one mm (threads): cover both ranges */
		WRITE_ONCE(mm->evict_block_start, min(mm->evict_block_start, start));
		WRITE_ONCE(mm->evict_block_end, max(mm->evict_block_end, end));
	}
	__atomic_add_fetch(&mm->evict_blocks, 1, __ATOMIC_SEQ_CST);
	spin_unlock(&mm->evict_block_lock);
	while (__atomic_load_n(&mm->evicting, __ATOMIC_SEQ_CST))
		yield();	/* an eviction that missed the block is writing back */
}

void pcache_unblock_eviction(struct mm_struct *mm)
{
	spin_lock(&mm->evict_block_lock);
	__atomic_sub_fetch(&mm->evict_blocks, 1, __ATOMIC_SEQ_CST);
	spin_unlock(&mm->evict_block_lock);
}

static bool mapping_blocked(const struct pcache_rmap *r)
{
	const struct mm_struct *mm = r->owner;

	if (!__atomic_load_n(&mm->evict_blocks, __ATOMIC_SEQ_CST))
		return false;
	return r->address >= READ_ONCE(mm->evict_block_start) &&
	       r->address < READ_ONCE(mm->evict_block_end);
}

static enum rmap_ret claim_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	__atomic_add_fetch(&r->owner->evicting, 1, __ATOMIC_SEQ_CST);
	if (mapping_blocked(r))
		*(bool *)arg = true;
	return RMAP_CONTINUE;
}

void pcache_evict_release_owner(struct mm_struct *owner)
{
	__atomic_sub_fetch(&owner->evicting, 1, __ATOMIC_SEQ_CST);
}

static enum rmap_ret release_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	pcache_evict_release_owner(r->owner);
	return RMAP_CONTINUE;
}

void pcache_evict_release_owners(struct pcache_meta *pcm)
{
	const struct rmap_walk_control rwc = { .rmap_one = release_one };

	rmap_walk(pcm, &rwc);
}

bool pcache_evict_claim_owners(struct pcache_meta *pcm)
{
	bool blocked = false;
	const struct rmap_walk_control rwc = { .rmap_one = claim_one, .arg = &blocked };

	rmap_walk(pcm, &rwc);
	if (blocked) {
		pcache_evict_release_owners(pcm);
		__atomic_fetch_add(&pcache.stats.evict_blocked, 1, __ATOMIC_RELAXED);
	}
	return !blocked;
}
