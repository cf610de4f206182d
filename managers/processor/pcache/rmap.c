// SPDX-License-Identifier: GPL-2.0
/*
 * The pcache reverse map: for each line, the ptes that map it.
 *
 * The first mapping lives inline in struct pcache_meta (most lines have
 * exactly one pte); further mappings come from rmap_pool.c and form a
 * singly linked list behind the inline entry. Invariants, under the line
 * lock:
 *   - the inline slot is empty (rmap.pte == NULL) only when mapcount == 0;
 *   - mapcount equals the number of entries reachable from the inline slot.
 *
 * Every operation that looks for ptes goes through rmap_walk() with a small
 * struct rmap_walk_control; the walker alone unlinks entries (a callback
 * asks for it with RMAP_REMOVE), so callbacks never see a half-edited list.
 *
 * Lock order: set lock -> line lock -> pte lock. rmap_walk() and the
 * functions here run with the line lock held.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>
#include <mosaic/profile.h>

static void count(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/*
 * Unlink entry r (prev is the entry before it, NULL for the inline slot) and
 * return the entry the walk should visit next.
 */
static struct pcache_rmap *rmap_unlink(struct pcache_meta *pcm, struct pcache_rmap *prev,
				       struct pcache_rmap *r)
{
	struct pcache_rmap *victim = r->next;

	pcm->mapcount--;
	__atomic_fetch_sub(&r->owner->nr_mapped, 1, __ATOMIC_RELAXED);
	count(&pcache.stats.rmap_remove, 1);
	if (prev) {
		prev->next = r->next;
		pcache_rmap_entry_free(r);
		return prev->next;
	}
	/* The inline slot: pull the first slab entry into it, if any. */
	if (!victim) {
		pcm->rmap = (struct pcache_rmap){ 0 };
		return NULL;
	}
	pcm->rmap = *victim;
	pcache_rmap_entry_free(victim);
	return &pcm->rmap;
}

/* Histogram bucket of a walk that visited n entries (see struct pcache_stats). */
static unsigned int walk_bucket(int n)
{
	if (n <= 2)
		return n;	/* 0, 1, 2 */
	if (n <= 16)
		return 33 - __builtin_clz(n - 1);	/* 3-4: 3, 5-8: 4, 9-16: 5 */
	return n <= 64 ? 6 : 7;
}

int rmap_walk(struct pcache_meta *pcm, const struct rmap_walk_control *rwc)
{
	struct pcache_rmap *prev = NULL, *r = pcm->rmap.pte ? &pcm->rmap : NULL;
	u64 t = profile_start();
	int visited = 0;

	BUG_ON(!pcache_is_locked(pcm));
	while (r) {
		enum rmap_ret ret = rwc->rmap_one(pcm, r, rwc->arg);

		visited++;
		if (ret & RMAP_REMOVE) {
			r = rmap_unlink(pcm, prev, r);
		} else {
			prev = r;
			r = r->next;
		}
		if ((ret & RMAP_STOP) || (rwc->done && rwc->done(pcm, rwc->arg)))
			break;
	}
	count(&pcache.stats.rmap_walks, 1);
	count(&pcache.stats.rmap_walk_steps, visited);
	count(&pcache.stats.walk_len[walk_bucket(visited)], 1);
	profile_end(PROF_rmap_walk, t);
	return visited;
}

int pcache_add_rmap(struct pcache_meta *pcm, pte_t *pte, struct mm_struct *owner,
		    unsigned long address)
{
	struct pcache_rmap *r;

	BUG_ON(!pcache_is_locked(pcm));
	if (!pcm->rmap.pte) {
		pcm->rmap = (struct pcache_rmap){ .pte = pte, .owner = owner, .address = address };
	} else {
		r = pcache_rmap_entry_alloc();
		if (!r)
			return -ENOMEM;
		*r = (struct pcache_rmap){ .pte = pte, .owner = owner, .address = address,
					   .next = pcm->rmap.next };
		pcm->rmap.next = r;
	}
	pcm->mapcount++;
	__atomic_fetch_add(&owner->nr_mapped, 1, __ATOMIC_RELAXED);
	count(&pcache.stats.rmap_add, 1);
	return 0;
}

/* ---- remove: find the entry whose pte pointer matches ---- */
struct remove_arg {
	pte_t *pte;
	bool found;
};

static enum rmap_ret remove_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct remove_arg *ra = arg;

	if (r->pte != ra->pte)
		return RMAP_CONTINUE;
	ra->found = true;
	return RMAP_REMOVE_STOP;
}

int pcache_remove_rmap(struct pcache_meta *pcm, pte_t *pte)
{
	struct remove_arg ra = { .pte = pte };
	const struct rmap_walk_control rwc = { .rmap_one = remove_one, .arg = &ra };

	rmap_walk(pcm, &rwc);
	if (WARN_ON(!ra.found))
		return -ENOENT;
	return 0;
}
