// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the pcache core and rmap: geometry (with the overflow
 * pool), way allocation within a set and within the pool, the line lock and
 * freeing on last unlock, and a randomized run of rmap
 * adds and removes checked against a simple model (which ptes map which
 * line), with a leak check on the slab entries.
 */
// test-sources: managers/processor/pcache/core.c managers/processor/pcache/rmap.c lib/string.c
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include "tap.h"

/* The rmap entry pool (rmap_pool.c), on malloc, counting live entries. */
static long live_objects;

int pcache_rmap_init(void)
{
	return 0;
}

struct pcache_rmap *pcache_rmap_entry_alloc(void)
{
	live_objects++;
	return malloc(sizeof(struct pcache_rmap));
}

void pcache_rmap_entry_free(struct pcache_rmap *r)
{
	live_objects--;
	free(r);
}

#define REGION (256 * 4096)
#define POOL 4		/* overflow lines */
static void *region;

/*
 * Eviction needs page tables, RPC and TLB shootdowns: it is tested in the
 * kernel (ktest pcache_fault). Here a full set stays full.
 */
bool pcache_evict_one(unsigned long set_index)
{
	return false;
}

void pcache_wait_for_ways(void)
{
}

static void setup(unsigned int assoc)
{
	free(region);
	region = aligned_alloc(4096, REGION);
	if (pcache_setup(0x40000000, region, REGION, assoc, POOL) || pcache_rmap_init())
		abort();
}

static void test_geometry(void)
{
	unsigned long sets, lines = pcache_lines_for(REGION, 4, POOL, &sets);

	EXPECT_EQ(lines, sets * 4);
	/* Lines of the sets and the pool plus their metadata fit. */
	EXPECT((lines + POOL) * (4096 + 64) <= REGION);
	EXPECT(lines >= 240);
	EXPECT_EQ(pcache_lines_for(3 * 4096, 4, 0, &sets), 0);
	EXPECT_EQ(pcache_lines_for(REGION, 0, POOL, &sets), 0);
	EXPECT_EQ(pcache_lines_for(POOL * 4096, 1, POOL, &sets), 0);	/* the pool alone: no set */
	EXPECT_EQ(pcache_setup(0x1001, region, REGION, 4, POOL), -EINVAL);
	setup(4);
	EXPECT_EQ(pcache.nr_lines, lines);
	EXPECT_EQ(pcache.nr_overflow, POOL);
	EXPECT((char *)pcache.data - (char *)region == (long)(pcache.base - 0x40000000));
	EXPECT_EQ(pcache.base % 4096, 0);
}

static void test_set_fills_then_refuses(void)
{
	struct pcache_meta *ways[8];
	unsigned long addr = 0x7000, set;
	int i;

	setup(4);
	set = pcache_set_index(addr);
	for (i = 0; i < 4; i++) {
		ways[i] = pcache_alloc_line(addr + i * 4096 * pcache.nr_sets);
		ASSERT(ways[i] != NULL);
		EXPECT_EQ(pcache_line_index(ways[i]) / 4, set);
		EXPECT(pcache_is_locked(ways[i]));
	}
	EXPECT(pcache_alloc_line(addr) == NULL);
	EXPECT(pcache_alloc_line(addr + 4096) != NULL);	/* next set still has room */
	pcache_put_locked(ways[2]);
	unlock_pcache(ways[2]);		/* unused: freed by the unlock */
	EXPECT(!pcache_test_flag(ways[2], PC_allocated));
	EXPECT(pcache_alloc_line(addr) == ways[2]);
}

static void test_phys_to_meta(void)
{
	struct pcache_meta *pcm;

	setup(2);
	pcm = pcache_alloc_line(0x1000);
	ASSERT(pcm != NULL);
	EXPECT(pcache_phys_to_meta(pcache_line_phys(pcm) + 123) == pcm);
	EXPECT(pcache_phys_to_meta(pcache.base - 1) == NULL);
	EXPECT(pcache_phys_to_meta(pcache.base + pcache_all_lines() * 4096) == NULL);
	EXPECT((char *)pcache_line_data(pcm) - (char *)pcache.data ==
	       (long)(pcache_line_phys(pcm) - pcache.base));
}

/* The pool's lines follow the sets' and belong to no set; a full set never takes them. */
static void test_overflow_pool(void)
{
	struct pcache_meta *pool[POOL + 1], *way;
	int i;

	setup(1);
	way = pcache_alloc_line(0x5000);
	ASSERT(way != NULL);
	EXPECT(!pcache_is_overflow_line(way));
	EXPECT(pcache_alloc_line(0x5000) == NULL);	/* direct-mapped, full: no pool line */
	for (i = 0; i < POOL; i++) {
		pool[i] = pcache_alloc_overflow_way();
		ASSERT(pool[i] != NULL);
		EXPECT(pcache_is_overflow_line(pool[i]));
		EXPECT_EQ(pcache_line_index(pool[i]), pcache.nr_lines + i);
		EXPECT(pcache_phys_to_meta(pcache_line_phys(pool[i]) + 8) == pool[i]);
	}
	EXPECT(pcache_alloc_overflow_way() == NULL);
	EXPECT(pcache_phys_to_meta(pcache.base + pcache_all_lines() * 4096) == NULL);
	pcache_put_locked(pool[1]);
	unlock_pcache(pool[1]);		/* unused: back to the pool */
	EXPECT_EQ(pcache.overflow.nr_allocated, POOL - 1);
	EXPECT(pcache_alloc_overflow_way() == pool[1]);
}

/* The model: which line each fake pte maps, or -1. */
#define NPTES 400
static pte_t ptes[NPTES];
static long pte_line[NPTES];

static enum rmap_ret check_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	int *seen = arg;
	long i = r->pte - ptes;

	if (i < 0 || i >= NPTES || pte_line[i] != (long)pcache_line_index(pcm))
		*seen = -100000;
	(*seen)++;
	return RMAP_CONTINUE;
}

static void check_model(struct pcache_meta **lines, int nr_lines)
{
	for (int l = 0; l < nr_lines; l++) {
		int expect = 0, seen = 0;
		const struct rmap_walk_control rwc = { .rmap_one = check_one, .arg = &seen };

		for (int i = 0; i < NPTES; i++)
			expect += pte_line[i] == (long)pcache_line_index(lines[l]);
		rmap_walk(lines[l], &rwc);
		EXPECT_EQ(seen, expect);
		EXPECT_EQ(lines[l]->mapcount, expect);
	}
}

static void test_random_add_remove(void)
{
	struct pcache_meta *lines[16];
	struct mm_struct owner = { 0 };
	unsigned int seed = 12345;
	int mapped = 0;

	setup(8);
	for (int l = 0; l < 16; l++)
		lines[l] = pcache_alloc_line(0x10000 + l * 4096);
	for (int i = 0; i < NPTES; i++)
		pte_line[i] = -1;
	for (int step = 0; step < 20000; step++) {
		int i = rand_r(&seed) % NPTES, l = rand_r(&seed) % 16;

		if (pte_line[i] < 0) {
			ASSERT_EQ(pcache_add_rmap(lines[l], &ptes[i], &owner, 0), 0);
			pte_line[i] = pcache_line_index(lines[l]);
			mapped++;
		} else {
			struct pcache_meta *pcm = &pcache.meta[pte_line[i]];

			ASSERT_EQ(pcache_remove_rmap(pcm, &ptes[i]), 0);
			pte_line[i] = -1;
			mapped--;
		}
		if (step % 2000 == 0) {
			check_model(lines, 16);
			EXPECT_EQ(owner.nr_mapped, mapped);	/* the owner's count follows */
		}
	}
	check_model(lines, 16);
	for (int i = 0; i < NPTES; i++)
		if (pte_line[i] >= 0)
			pcache_remove_rmap(&pcache.meta[pte_line[i]], &ptes[i]);
	EXPECT_EQ(live_objects, 0);
	for (int l = 0; l < 16; l++) {
		pcache_put_locked(lines[l]);
		unlock_pcache(lines[l]);
		EXPECT(!pcache_test_flag(lines[l], PC_allocated));
	}
}

int main(void)
{
	RUN(test_geometry);
	RUN(test_set_fills_then_refuses);
	RUN(test_phys_to_meta);
	RUN(test_overflow_pool);
	RUN(test_random_add_remove);
	free(region);
	return tap_finish();
}
