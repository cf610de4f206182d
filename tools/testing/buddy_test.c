// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the buddy allocator core (mm/buddy_core.c): release of
 * unaligned ranges, split and merge, alignment, a randomized stress run with
 * an overlap and leak check, out-of-memory, and every refused free (double
 * free, wrong order, tail page, reserved page, foreign page).
 */
// test-sources: mm/buddy_core.c
#include "../../mm/buddy.h"
#include "tap.h"

#define ZONE_PAGES 4096UL

static struct page pages[ZONE_PAGES];
static struct buddy_zone zone;

/* A zone whose frames [first, last) are free and the rest reserved. */
static void setup_zone(unsigned long first, unsigned long last)
{
	buddy_init(&zone, pages, ZONE_PAGES);
	buddy_release_range(&zone, first, last - first);
}

static unsigned long count_free_list_pages(void)
{
	unsigned long total = 0;
	unsigned int order;
	struct page *p;

	for (order = 0; order <= MAX_ORDER; order++)
		list_for_each_entry(p, &zone.free_list[order], lru)
			total += 1UL << order;
	return total;
}

static void test_release_counts(void)
{
	setup_zone(3, 2051);
	EXPECT_EQ(zone.managed_pages, 2048);
	EXPECT_EQ(zone.free_pages, 2048);
	EXPECT_EQ(count_free_list_pages(), 2048);
	EXPECT_EQ(buddy_release_range(&zone, 3, 10), 0);	/* twice: nothing new */
	EXPECT_EQ(zone.free_pages, 2048);
	EXPECT_EQ(pages[2].flags, PG_RESERVED);
	EXPECT_EQ(pages[2051].flags, PG_RESERVED);
}

static void test_full_merge(void)
{
	setup_zone(0, ZONE_PAGES);
	EXPECT_EQ(zone.nr_free_blocks[MAX_ORDER], ZONE_PAGES >> MAX_ORDER);
	struct page *p = buddy_alloc(&zone, 0);

	ASSERT(p != NULL);
	EXPECT_EQ(zone.nr_free_blocks[MAX_ORDER], (ZONE_PAGES >> MAX_ORDER) - 1);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		EXPECT_EQ(zone.nr_free_blocks[o], 1);	/* one spare half per level */
	EXPECT_EQ(buddy_free(&zone, p, 0), BUDDY_FREED);
	EXPECT_EQ(zone.nr_free_blocks[MAX_ORDER], ZONE_PAGES >> MAX_ORDER);
	EXPECT_EQ(zone.nr_free_blocks[0], 0);
}

static void test_alignment(void)
{
	setup_zone(1, ZONE_PAGES);
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		struct page *p = buddy_alloc(&zone, o);

		ASSERT(p != NULL);
		EXPECT_EQ(buddy_pfn(&zone, p) % (1UL << o), 0);
		EXPECT_EQ(p->flags, PG_ALLOC);
		EXPECT_EQ(p->order, o);
	}
	EXPECT(buddy_alloc(&zone, MAX_ORDER + 1) == NULL);
}

/* Owner of each frame in the stress run: -1 free, else the block index. */
static int owner[ZONE_PAGES];

static bool claim_frames(struct page *p, unsigned int order, int id)
{
	unsigned long pfn = buddy_pfn(&zone, p);

	for (unsigned long i = 0; i < (1UL << order); i++) {
		if (owner[pfn + i] != -1)
			return false;
		owner[pfn + i] = id;
	}
	return true;
}

static void unclaim_frames(struct page *p, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		owner[buddy_pfn(&zone, p) + i] = -1;
}

#define STRESS_BLOCKS 600

static void test_stress_no_overlap_no_leak(void)
{
	static struct page *blocks[STRESS_BLOCKS];
	static unsigned int orders[STRESS_BLOCKS];
	int n = 0;

	setup_zone(5, ZONE_PAGES - 7);
	unsigned long start_free = zone.free_pages;

	srand(42);
	for (unsigned long i = 0; i < ZONE_PAGES; i++)
		owner[i] = -1;
	for (int i = 0; i < STRESS_BLOCKS; i++) {
		unsigned int order = rand() % 4 == 0 ? rand() % (MAX_ORDER + 1) : rand() % 3;
		struct page *p = buddy_alloc(&zone, order);

		if (!p)
			continue;
		ASSERT(claim_frames(p, order, n));
		blocks[n] = p;
		orders[n++] = order;
	}
	for (int i = n - 1; i > 0; i--) {	/* shuffle, then free */
		int j = rand() % (i + 1);
		struct page *tp = blocks[i];
		unsigned int to = orders[i];

		blocks[i] = blocks[j], orders[i] = orders[j];
		blocks[j] = tp, orders[j] = to;
	}
	for (int i = 0; i < n; i++) {
		unclaim_frames(blocks[i], orders[i]);
		EXPECT_EQ(buddy_free(&zone, blocks[i], orders[i]), BUDDY_FREED);
	}
	EXPECT_EQ(zone.free_pages, start_free);
	EXPECT_EQ(count_free_list_pages(), start_free);
}

static void test_out_of_memory(void)
{
	static struct page *got[ZONE_PAGES];
	unsigned long n = 0;
	struct page *p;

	setup_zone(0, 100);
	while ((p = buddy_alloc(&zone, 0)))
		got[n++] = p;
	EXPECT_EQ(n, 100);
	EXPECT_EQ(zone.free_pages, 0);
	EXPECT(buddy_alloc(&zone, 0) == NULL);
	while (n)
		EXPECT_EQ(buddy_free(&zone, got[--n], 0), BUDDY_FREED);
	EXPECT_EQ(zone.free_pages, 100);
	EXPECT(buddy_alloc(&zone, 7) == NULL);	/* 100 frames hold no 128-page block */
}

static void test_refused_frees(void)
{
	struct page outside;

	setup_zone(16, 1040);
	struct page *p = buddy_alloc(&zone, 2);

	ASSERT(p != NULL);
	EXPECT_EQ(buddy_free(&zone, p, 3), BUDDY_WRONG_ORDER);
	EXPECT_EQ(buddy_free(&zone, p + 1, 0), BUDDY_NOT_ALLOCATED);
	EXPECT_EQ(buddy_free(&zone, &pages[0], 0), BUDDY_NOT_ALLOCATED);
	EXPECT_EQ(buddy_free(&zone, &outside, 0), BUDDY_OUT_OF_RANGE);
	unsigned long before = zone.free_pages;

	EXPECT_EQ(buddy_free(&zone, p, 2), BUDDY_FREED);
	EXPECT_EQ(buddy_free(&zone, p, 2), BUDDY_DOUBLE_FREE);
	EXPECT_EQ(zone.free_pages, before + 4);
	EXPECT_EQ(count_free_list_pages(), zone.free_pages);
}

int main(void)
{
	RUN(test_release_counts);
	RUN(test_full_merge);
	RUN(test_alignment);
	RUN(test_stress_no_overlap_no_leak);
	RUN(test_out_of_memory);
	RUN(test_refused_frees);
	return tap_finish();
}
