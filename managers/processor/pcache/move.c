// SPDX-License-Identifier: GPL-2.0
/*
 * mremap in the pcache: move_ptes() (mm/user_pgtable.c) hands each present
 * pte of the old range to pcache_move_pte(). The set of a line depends on
 * the user address, so:
 *   - new address in the same set: the line stays; its rmap entry is
 *     retargeted (found by rmap_walk on the old pte pointer);
 *   - another set: the data is copied into a line of the new set, taken by
 *     the caller beforehand (the set lock comes before the line lock), and
 *     the old line loses this mapping.
 *
 * Context for both: the old line locked, mm's pte lock held.
 */
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/string.h>

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

/* Same set: the pte moves, the line stays. */
static int move_in_set(struct pcache_meta *pcm, pte_t *old_pte, pte_t *new_pte,
		       unsigned long new_addr)
{
	struct retarget_arg ra = { .old_pte = old_pte, .new_pte = new_pte, .new_addr = new_addr };
	const struct rmap_walk_control rwc = { .rmap_one = retarget_one, .arg = &ra };

	rmap_walk(pcm, &rwc);
	if (!ra.found)
		return -ENOENT;
	*new_pte = *old_pte;
	*old_pte = 0;
	__atomic_fetch_add(&pcache.stats.rmap_moves, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Other set: copy into new (locked, unmapped), then drop the old mapping. */
static int move_across_sets(struct pcache_meta *old, struct pcache_meta *new,
			    struct mm_struct *mm, pte_t *old_pte, pte_t *new_pte,
			    unsigned long new_addr)
{
	pte_t val = *old_pte;
	int err = pcache_add_rmap(new, new_pte, mm, new_addr);

	if (err)
		return err;
	copy_page(pcache_line_data(new), pcache_line_data(old));
	pcache_set_flag(new, PC_valid);
	if ((val & PTE_D) || pcache_test_flag(old, PC_dirty))
		pcache_set_flag(new, PC_dirty);
	pcache_remove_rmap(old, old_pte);
	*new_pte = pcache_line_phys(new) | (val & ~PTE_ADDR_MASK);
	*old_pte = 0;
	__atomic_fetch_add(&pcache.stats.move_copies, 1, __ATOMIC_RELAXED);
	return 0;
}

int pcache_move_pte(struct pcache_meta *pcm, struct pcache_meta *new_line, struct mm_struct *mm,
		    pte_t *old_pte, pte_t *new_pte, unsigned long new_addr)
{
	if (pcache_same_set(pcm, new_addr))
		return move_in_set(pcm, old_pte, new_pte, new_addr);
	if (!new_line)
		return -ENOSPC;
	return move_across_sets(pcm, new_line, mm, old_pte, new_pte, new_addr);
}
