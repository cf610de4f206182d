// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the rmap (suite "rmap") and of set indexing (suite
 * "pcache"). They run on the live pcache: each test takes lines from one
 * set, uses fake pte slots (the rmap stores pointers and never dereferences
 * them itself) and gives the lines back, so the cache is unchanged after.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>

#define TEST_ADDR 0x7f0000000000UL

/* The owner of the fake mappings: only its rmap entry count is touched. */
static struct mm_struct rmap_test_mm;

struct collect_arg {
	int seen;
	pte_t *ptes[16];
	int stop_after;		/* for done(): stop once seen reaches it */
};

static enum rmap_ret collect_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct collect_arg *ca = arg;

	if (ca->seen < 16)
		ca->ptes[ca->seen] = r->pte;
	ca->seen++;
	return RMAP_CONTINUE;
}

static bool collect_done(struct pcache_meta *pcm, void *arg)
{
	struct collect_arg *ca = arg;

	return ca->stop_after && ca->seen >= ca->stop_after;
}

static int count_mappings(struct pcache_meta *pcm)
{
	struct collect_arg ca = { 0 };
	const struct rmap_walk_control rwc = { .rmap_one = collect_one, .arg = &ca };

	rmap_walk(pcm, &rwc);
	return ca.seen;
}

/* A locked line with n fake mappings at TEST_ADDR. */
static struct pcache_meta *line_with_mappings(pte_t *ptes, int n)
{
	struct pcache_meta *pcm = pcache_alloc_line(TEST_ADDR);

	for (int i = 0; pcm && i < n; i++)
		if (pcache_add_rmap(pcm, &ptes[i], &rmap_test_mm, TEST_ADDR))
			return NULL;
	return pcm;
}

/* Remove every mapping, drop the reference and check the line went free. */
static void release_line(struct pcache_meta *pcm, pte_t *ptes, int n)
{
	for (int i = 0; i < n; i++)
		KEXPECT_EQ(pcache_remove_rmap(pcm, &ptes[i]), 0);
	pcache_put_locked(pcm);
	unlock_pcache(pcm);
	KEXPECT(!pcache_test_flag(pcm, PC_allocated));
}

KTEST(rmap, add_walk_remove)
{
	pte_t ptes[5];
	struct pcache_meta *pcm = line_with_mappings(ptes, 5);

	KASSERT(pcm != NULL);
	KEXPECT_EQ(pcm->mapcount, 5);
	KEXPECT_EQ(count_mappings(pcm), 5);
	release_line(pcm, ptes, 5);
}

KTEST(rmap, inline_entry_then_slab)
{
	pte_t ptes[3];
	struct pcache_meta *pcm = line_with_mappings(ptes, 1);

	KASSERT(pcm != NULL);
	KEXPECT(pcm->rmap.pte == &ptes[0]);
	KEXPECT(pcm->rmap.next == NULL);	/* one mapping: no allocation */
	KASSERT_EQ(pcache_add_rmap(pcm, &ptes[1], &rmap_test_mm, TEST_ADDR), 0);
	KASSERT_EQ(pcache_add_rmap(pcm, &ptes[2], &rmap_test_mm, TEST_ADDR), 0);
	KEXPECT(pcm->rmap.next != NULL);
	/* Removing the inline entry pulls a slab entry into the slot. */
	KEXPECT_EQ(pcache_remove_rmap(pcm, &ptes[0]), 0);
	KEXPECT(pcm->rmap.pte != NULL && pcm->rmap.pte != &ptes[0]);
	KEXPECT_EQ(count_mappings(pcm), 2);
	release_line(pcm, ptes + 1, 2);
}

KTEST(rmap, early_stop_through_done)
{
	pte_t ptes[6];
	struct pcache_meta *pcm = line_with_mappings(ptes, 6);
	struct collect_arg ca = { .stop_after = 2 };
	const struct rmap_walk_control rwc = {
		.rmap_one = collect_one, .done = collect_done, .arg = &ca };

	KASSERT(pcm != NULL);
	KEXPECT_EQ(rmap_walk(pcm, &rwc), 2);
	KEXPECT_EQ(ca.seen, 2);
	release_line(pcm, ptes, 6);
}

static enum rmap_ret remove_every_other(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	int *n = arg;

	return (*n)++ % 2 == 0 ? RMAP_REMOVE : RMAP_CONTINUE;
}

KTEST(rmap, walk_removes_its_own_entries)
{
	pte_t ptes[7];
	struct pcache_meta *pcm = line_with_mappings(ptes, 7);
	int n = 0;
	const struct rmap_walk_control rwc = { .rmap_one = remove_every_other, .arg = &n };

	KASSERT(pcm != NULL);
	KEXPECT_EQ(rmap_walk(pcm, &rwc), 7);	/* every entry visited once */
	KEXPECT_EQ(pcm->mapcount, 3);
	KEXPECT_EQ(count_mappings(pcm), 3);
	/* The survivors are the 2nd, 4th and 6th added (reverse add order). */
	while (pcm->mapcount)
		KASSERT_EQ(pcache_remove_rmap(pcm, pcm->rmap.pte), 0);
	pcache_put_locked(pcm);
	unlock_pcache(pcm);
}

KTEST(rmap, remove_unknown_pte_is_refused)
{
	pte_t ptes[2], stranger;
	struct pcache_meta *pcm = line_with_mappings(ptes, 2);

	KASSERT(pcm != NULL);
	KEXPECT_EQ(pcache_remove_rmap(pcm, &stranger), -ENOENT);
	KEXPECT_EQ(pcm->mapcount, 2);
	release_line(pcm, ptes, 2);
}

KTEST(pcache, set_index_and_ways)
{
	unsigned long set = pcache_set_index(TEST_ADDR);
	struct pcache_meta *lines[64];
	unsigned int taken = 0, before = pcache.sets[set].nr_allocated;

	KEXPECT_EQ(pcache_set_index(TEST_ADDR + 4096 * pcache.nr_sets), set);
	KEXPECT_NE(pcache_set_index(TEST_ADDR + 4096), set);
	/* A set hands out at most assoc lines, all inside the set. */
	while (taken < 64 && (lines[taken] = pcache_alloc_line(TEST_ADDR)))
		taken++;
	KEXPECT_EQ(taken, pcache.assoc - before);
	KEXPECT_EQ(pcache.sets[set].nr_allocated, pcache.assoc);
	for (unsigned int i = 0; i < taken; i++) {
		KEXPECT_EQ(pcache_line_index(lines[i]) / pcache.assoc, set);
		pcache_put_locked(lines[i]);
		unlock_pcache(lines[i]);
	}
	KEXPECT_EQ(pcache.sets[set].nr_allocated, before);
}

KTEST(pcache, metadata_is_64_bytes)
{
	KEXPECT_EQ(sizeof(struct pcache_meta), 64);
	KEXPECT_EQ(sizeof(struct pcache_rmap), 32);
}
