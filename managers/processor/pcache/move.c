// SPDX-License-Identifier: GPL-2.0
/*
 * mremap in the pcache: move_ptes() (mm/user_pgtable.c) hands each present
 * pte of the old range to pcache_move_pte(). The line stays where it is,
 * whatever set its new address hashes to: only the pte and the line's rmap
 * entry (pte pointer and user address) change, no data is copied.
 *
 * Why a line may live outside its address's set: nothing looks a mapped
 * line up by address. The pte is the lookup (the MMU finds the line, a
 * fault on a present pte never searches a set); a set is only where a fill
 * or a copy-on-write *allocates* (pcache_alloc_line(address)), and where
 * eviction *chooses* victims among whatever lines the ways hold. Eviction
 * writes a victim back to the addresses its rmap names, so a moved line is
 * written to its new address. Lines of the overflow pool lived outside
 * their set already. See Documentation/pcache.md, "mremap".
 *
 * Context: the line locked, its owner's pte lock held.
 */
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>

struct retarget_arg {
	pte_t *old_pte, *new_pte;
	unsigned long new_addr;
	bool found;
};

static enum rmap_ret retarget_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct retarget_arg *ra = arg;

	if (r->pte != ra->old_pte)
		return RMAP_CONTINUE;
	r->pte = ra->new_pte;
	r->address = ra->new_addr;
	ra->found = true;
	return RMAP_STOP;
}

int pcache_move_rmap(struct pcache_meta *pcm, pte_t *old_pte, pte_t *new_pte,
		     unsigned long new_addr)
{
	struct retarget_arg ra = { .old_pte = old_pte, .new_pte = new_pte, .new_addr = new_addr };
	const struct rmap_walk_control rwc = { .rmap_one = retarget_one, .arg = &ra };

	/* The inline entry first: most lines have one mapping, a walk costs more than the move. */
	if (pcm->rmap.pte == old_pte)
		retarget_one(pcm, &pcm->rmap, &ra);
	else
		rmap_walk(pcm, &rwc);
	if (!ra.found)
		return -ENOENT;
	__atomic_fetch_add(&pcache.stats.rmap_moves, 1, __ATOMIC_RELAXED);
	return 0;
}

int pcache_move_pte(struct pcache_meta *pcm, pte_t *old_pte, pte_t *new_pte,
		    unsigned long new_addr)
{
	int err = pcache_move_rmap(pcm, old_pte, new_pte, new_addr);

	if (err)
		return err;
	/* Atomic: a CPU with a stale translation may still be setting A or D. */
	*new_pte = __atomic_exchange_n(old_pte, 0, __ATOMIC_SEQ_CST);
	return 0;
}
