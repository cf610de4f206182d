// SPDX-License-Identifier: GPL-2.0
/*
 * CONFIG_DEBUG_PCACHE: check invariant 1 of DESIGN.md section 9 by walking
 * every line and every user page table:
 *   - a line's mapcount equals its rmap entries, each of which names a
 *     present pte that points at the line;
 *   - every present user pte points into the pcache and has exactly one
 *     rmap entry on its line;
 *   - a free line has no mapping;
 *   - a line holding an image page other mms may share (image_id) is
 *     mapped read-only and clean everywhere.
 * Meant for quiet moments (a program's end, shutdown): lines locked by
 * someone else are skipped and counted, never waited for.
 *
 * Lock order: the mm list lock, then a pte lock, then (tried) a line lock;
 * or a line lock, then pte locks. Both follow set -> line -> pte.
 */
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>

struct check_ctx {
	unsigned long violations, skipped, lines, ptes;
};

static void violation(struct check_ctx *cc, const char *what, unsigned long a, unsigned long b)
{
	if (cc->violations++ < 8)
		pr_err("pcache: invariant violated: %s (%#lx, %#lx)\n", what, a, b);
}

/* ---- from the lines ---- */
static enum rmap_ret check_entry(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct check_ctx *cc = arg;
	pte_t val;

	spin_lock(&r->owner->page_table_lock);
	val = *r->pte;
	spin_unlock(&r->owner->page_table_lock);
	if (!pte_present(val) || pte_phys(val) != pcache_line_phys(pcm))
		violation(cc, "rmap entry whose pte does not map its line", r->address, val);
	else if (pcm->image_id && (val & (PTE_RW | PTE_D)))
		violation(cc, "shared image line mapped writable or dirty", r->address, val);
	return RMAP_CONTINUE;
}

static void check_line(struct pcache_meta *pcm, struct check_ctx *cc)
{
	const struct rmap_walk_control rwc = { .rmap_one = check_entry, .arg = cc };
	int entries;

	if (!trylock_pcache(pcm)) {
		cc->skipped++;
		return;
	}
	cc->lines++;
	if (!pcache_test_flag(pcm, PC_allocated)) {
		if (pcm->mapcount || pcm->rmap.pte)
			violation(cc, "free line with mappings", pcache_line_index(pcm),
				  pcm->mapcount);
	} else {
		entries = rmap_walk(pcm, &rwc);
		if (entries != (int)pcm->mapcount)
			violation(cc, "mapcount differs from the rmap entries", pcm->mapcount,
				  entries);
	}
	pcache_clear_flag(pcm, PC_locked);	/* not unlock_pcache: change nothing */
}

/* ---- from the page tables ---- */
struct find_arg {
	pte_t *pte;
	struct mm_struct *mm;
	int found;
};

static enum rmap_ret find_entry(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct find_arg *fa = arg;

	fa->found += r->pte == fa->pte && r->owner == fa->mm;
	return RMAP_CONTINUE;
}

/* Context: mm's pte lock held. */
static void check_pte(struct mm_struct *mm, unsigned long va, pte_t *pte, struct check_ctx *cc)
{
	struct pcache_meta *pcm = pcache_phys_to_meta(pte_phys(*pte));
	struct find_arg fa = { .pte = pte, .mm = mm };
	const struct rmap_walk_control rwc = { .rmap_one = find_entry, .arg = &fa };

	cc->ptes++;
	if (!pcm) {
		violation(cc, "user pte outside the pcache", va, *pte);
		return;
	}
	if (!trylock_pcache(pcm)) {
		cc->skipped++;
		return;
	}
	rmap_walk(pcm, &rwc);
	pcache_clear_flag(pcm, PC_locked);
	if (fa.found != 1)
		violation(cc, "pte with no (or several) rmap entries", va, fa.found);
}

static void check_mm(struct mm_struct *mm, void *arg)
{
	unsigned long va, next;
	pte_t *pte;

	for (va = 0; va < USER_SPACE_END; va += PAGE_SIZE) {
		next = pgtable_user_next_table(mm->pml4, va);
		if (next != va) {
			va = next - PAGE_SIZE;
			continue;
		}
		spin_lock(&mm->page_table_lock);
		pte = user_pte_slot(mm, va, false);
		if (pte && pte_present(*pte))
			check_pte(mm, va, pte, arg);
		spin_unlock(&mm->page_table_lock);
	}
}

unsigned long pcache_check_invariants(const char *when)
{
	struct check_ctx cc = { 0 };

	for (unsigned long i = 0; i < pcache_all_lines(); i++)	/* the pool's too */
		check_line(&pcache.meta[i], &cc);
	for_each_mm(check_mm, &cc);
	pr_info("pcache: invariant check (%s): %lu lines, %lu ptes, %lu violations, %lu busy skipped\n",
		when, cc.lines, cc.ptes, cc.violations, cc.skipped);
	return cc.violations;
}
