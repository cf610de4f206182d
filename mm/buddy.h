/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to mm/: struct page and the pure buddy allocator core.
 *
 * The core (buddy_core.c) manages one zone: a caller-supplied array of
 * struct page, one per page frame [0, nr_pages). It has no lock, no asm and
 * touches only the page array (never the memory itself), so it compiles on
 * the host too (tools/testing/buddy_test.c). The kernel wrapper
 * (page_alloc.c) adds the lock and the warnings.
 *
 * Page states (flags & PG_STATE_MASK):
 *   PG_RESERVED  never handed to the allocator (holes, kernel, pcache ...)
 *   PG_FREE      head of a free block of 2^order pages, on free_list[order]
 *   PG_ALLOC     head of an allocated block of 2^order pages
 *   0            any other page inside a free or allocated block
 */
#ifndef _MM_BUDDY_H
#define _MM_BUDDY_H

#include <mosaic/list.h>
#include <mosaic/mm.h>
#include <mosaic/types.h>

enum page_flags {
	PG_RESERVED = 1 << 0,
	PG_FREE = 1 << 1,
	PG_ALLOC = 1 << 2,
	PG_STATE_MASK = PG_RESERVED | PG_FREE | PG_ALLOC,
	/* Set by slab.c on allocated blocks it owns. */
	PG_SLAB = 1 << 3,	   /* head page of a slab */
	PG_SLAB_TAIL = 1 << 4,	   /* other pages of a multi-page slab */
	PG_KMALLOC_LARGE = 1 << 5, /* kmalloc() > KMALLOC_MAX_CACHE_SIZE */
};

struct kmem_cache;

struct page {
	struct list_head lru; /* free list (buddy) or a cache's slab list */
	u8 flags;	      /* enum page_flags */
	u8 order;	      /* PG_FREE / PG_ALLOC heads: block order */
	u16 slab_inuse;	      /* PG_SLAB: objects handed out */
	u32 refcount;	      /* 1 while allocated, 0 when free */
	union {
		struct {			  /* PG_SLAB */
			struct kmem_cache *cache;
			void *freelist;
		} slab;
		struct page *slab_head;		  /* PG_SLAB_TAIL */
	};
};

struct buddy_zone {
	struct page *pages;
	unsigned long nr_pages;	      /* length of pages[] */
	unsigned long managed_pages;  /* pages ever released to the zone */
	unsigned long free_pages;
	struct list_head free_list[MAX_ORDER + 1];
	unsigned long nr_free_blocks[MAX_ORDER + 1];
};

/* Why buddy_free() refused a block. */
enum buddy_free_status {
	BUDDY_FREED = 0,
	BUDDY_OUT_OF_RANGE,	/* page is not in this zone's array */
	BUDDY_DOUBLE_FREE,	/* head of a block that is already free */
	BUDDY_NOT_ALLOCATED,	/* reserved, or not the head of an allocated block */
	BUDDY_WRONG_ORDER,	/* allocated with another order */
};

/* Every page starts PG_RESERVED; buddy_release_range() hands pages in. */
void buddy_init(struct buddy_zone *z, struct page *pages, unsigned long nr_pages);
/* Give reserved frames [pfn, pfn + count) to the allocator; returns how many were. */
unsigned long buddy_release_range(struct buddy_zone *z, unsigned long pfn, unsigned long count);
/* Head page of 2^order free pages, or NULL (no block big enough, order > MAX_ORDER). */
struct page *buddy_alloc(struct buddy_zone *z, unsigned int order);
enum buddy_free_status buddy_free(struct buddy_zone *z, struct page *page, unsigned int order);
const char *buddy_free_status_str(enum buddy_free_status s);

static inline unsigned long buddy_pfn(const struct buddy_zone *z, const struct page *p)
{
	return (unsigned long)(p - z->pages);
}

static inline bool buddy_owns(const struct buddy_zone *z, const struct page *p)
{
	return p >= z->pages && p < z->pages + z->nr_pages;
}

#endif
