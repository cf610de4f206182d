// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator core: free lists per order, split on allocation,
 * merge with the buddy block on free. Pure logic over struct page (see
 * buddy.h); the caller serialises calls (page_alloc.c holds a spinlock).
 *
 * A block of order k starts at a frame number that is a multiple of 2^k; its
 * buddy is the block of the same order whose frame number differs only in
 * bit k. Only block heads carry state, so a free costs O(MAX_ORDER).
 */
#include "buddy.h"

void buddy_init(struct buddy_zone *z, struct page *pages, unsigned long nr_pages)
{
	unsigned long pfn;
	unsigned int order;

	z->pages = pages;
	z->nr_pages = nr_pages;
	z->managed_pages = 0;
	z->free_pages = 0;
	for (order = 0; order <= MAX_ORDER; order++) {
		INIT_LIST_HEAD(&z->free_list[order]);
		z->nr_free_blocks[order] = 0;
	}
	for (pfn = 0; pfn < nr_pages; pfn++) {
		pages[pfn] = (struct page){ .flags = PG_RESERVED, .refcount = 1 };
		INIT_LIST_HEAD(&pages[pfn].lru);
	}
}

static void add_free_block(struct buddy_zone *z, struct page *head, unsigned int order)
{
	head->flags = PG_FREE;
	head->order = order;
	head->refcount = 0;
	list_add(&head->lru, &z->free_list[order]);
	z->nr_free_blocks[order]++;
}

static void remove_free_block(struct buddy_zone *z, struct page *head, unsigned int order)
{
	list_del_init(&head->lru);
	head->flags = 0;
	z->nr_free_blocks[order]--;
}

/* The free buddy of the block at pfn, or NULL when it is absent or busy. */
static struct page *free_buddy_of(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
	unsigned long buddy = pfn ^ (1UL << order);
	struct page *p;

	if (buddy >= z->nr_pages)
		return NULL;
	p = &z->pages[buddy];
	if (!(p->flags & PG_FREE) || p->order != order)
		return NULL;
	return p;
}

/* Put the block at pfn on a free list, merging it with free buddies first. */
static void free_and_merge(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
	struct page *buddy;

	z->pages[pfn].flags = 0;
	while (order < MAX_ORDER && (buddy = free_buddy_of(z, pfn, order))) {
		remove_free_block(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_free_block(z, &z->pages[pfn], order);
}

/* Largest order of a block that starts at pfn and ends by limit. */
static unsigned int largest_fitting_order(unsigned long pfn, unsigned long limit)
{
	unsigned int order = 0;

	while (order < MAX_ORDER && !(pfn & (1UL << order)) && pfn + (2UL << order) <= limit)
		order++;
	return order;
}

static bool block_all_reserved(const struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		if (z->pages[pfn + i].flags != PG_RESERVED)
			return false;
	return true;
}

/* Turn reserved frames into ordinary (stateless) block members. */
static void unreserve_block(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		z->pages[pfn + i].flags = 0;
		z->pages[pfn + i].refcount = 0;
	}
}

unsigned long buddy_release_range(struct buddy_zone *z, unsigned long pfn, unsigned long count)
{
	unsigned long end = pfn + count, released = 0;

	if (end > z->nr_pages || end < pfn)
		end = z->nr_pages;
	while (pfn < end) {
		unsigned int order;

		if (!(z->pages[pfn].flags & PG_RESERVED)) {
			pfn++;	/* already managed: releasing twice must not double count */
			continue;
		}
		order = largest_fitting_order(pfn, end);
		while (order && !block_all_reserved(z, pfn, order))
			order--;
		unreserve_block(z, pfn, order);
		free_and_merge(z, pfn, order);
		z->managed_pages += 1UL << order;
		z->free_pages += 1UL << order;
		released += 1UL << order;
		pfn += 1UL << order;
	}
	return released;
}

/* Split a free block of order `have` down to `want`, returning the spare halves. */
static void split_block(struct buddy_zone *z, unsigned long pfn, unsigned int have, unsigned int want)
{
	while (have > want) {
		have--;
		add_free_block(z, &z->pages[pfn + (1UL << have)], have);
	}
}

struct page *buddy_alloc(struct buddy_zone *z, unsigned int order)
{
	unsigned int have;
	struct page *head;

	if (order > MAX_ORDER)
		return NULL;
	for (have = order; have <= MAX_ORDER; have++)
		if (!list_empty(&z->free_list[have]))
			break;
	if (have > MAX_ORDER)
		return NULL;
	head = list_first_entry(&z->free_list[have], struct page, lru);
	remove_free_block(z, head, have);
	split_block(z, buddy_pfn(z, head), have, order);
	head->flags = PG_ALLOC;
	head->order = order;
	head->refcount = 1;
	z->free_pages -= 1UL << order;
	return head;
}

enum buddy_free_status buddy_free(struct buddy_zone *z, struct page *page, unsigned int order)
{
	if (!buddy_owns(z, page))
		return BUDDY_OUT_OF_RANGE;
	if (page->flags & PG_FREE)
		return BUDDY_DOUBLE_FREE;
	if (!(page->flags & PG_ALLOC))
		return BUDDY_NOT_ALLOCATED;
	if (page->order != order)
		return BUDDY_WRONG_ORDER;
	page->refcount = 0;
	free_and_merge(z, buddy_pfn(z, page), order);
	z->free_pages += 1UL << order;
	return BUDDY_FREED;
}

const char *buddy_free_status_str(enum buddy_free_status s)
{
	switch (s) {
	case BUDDY_FREED: return "freed";
	case BUDDY_OUT_OF_RANGE: return "page outside the allocator";
	case BUDDY_DOUBLE_FREE: return "double free";
	case BUDDY_NOT_ALLOCATED: return "not the head of an allocated block";
	case BUDDY_WRONG_ORDER: return "freed with a different order than allocated";
	}
	return "?";
}
