/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory manager's page table: a 4-level radix tree (9 bits per level,
 * like the x86 one) from a user page to the memory-node page that holds its
 * data. Interior nodes and data pages are whole physical pages from the
 * buddy allocator (get_zeroed_pages); a leaf is a small struct mem_page with
 * a refcount, ready for fork's copy-on-write.
 *
 * Context: the owner (space.c) holds the address space's lock around every
 * call. Allocation failure returns NULL; nothing here panics.
 */
#ifndef _MEMORY_PAGETABLE_H
#define _MEMORY_PAGETABLE_H

#include <mosaic/types.h>

/*
 * Allocated but never written: the page reads as zeros (a MISS answers
 * "zero") although data[] is not cleared. The first store clears it.
 */
#define MEM_PAGE_ZERO	0x1

struct mem_page {
	void *data;		/* direct-mapped address of the page */
	u32 refcount;		/* page tables that map it (atomic: shared after fork) */
	u32 flags;		/* MEM_PAGE_* */
	u64 image_id;		/* set by the exec image cache, cleared by a store (memory.h) */
};

struct page_table {
	void **root;
	unsigned long nr_pages;	/* leaves held */
	unsigned long nr_nodes;	/* interior pages, root included */
};

int pt_init(struct page_table *pt);
/* Free every page and node. */
void pt_destroy(struct page_table *pt);

struct mem_page *pt_lookup(struct page_table *pt, unsigned long addr);
/* The page of addr, allocating a MEM_PAGE_ZERO one if absent; NULL: out of memory. */
struct mem_page *pt_lookup_or_alloc(struct page_table *pt, unsigned long addr);
/*
 * The page of addr, ready to be written: allocated if absent, and copied
 * first if another space shares it (copy-on-write after fork). NULL: no memory.
 */
struct mem_page *pt_lookup_private(struct page_table *pt, unsigned long addr);
/* Map page at addr as well (one more reference): 0 or -ENOMEM. */
int pt_share_page(struct page_table *pt, unsigned long addr, struct mem_page *page);
/* Take and drop a reference on a page; the last put frees it. */
void mem_page_get(struct mem_page *p);
void mem_page_put(struct mem_page *p);
/* Share every page of src with the empty dst (fork): 0 or -ENOMEM (dst keeps what it got). */
int pt_copy(struct page_table *dst, struct page_table *src);
/* Drop the pages of [start, end). */
void pt_zap_range(struct page_table *pt, unsigned long start, unsigned long end);
/* Move the pages of [from, from + len) to [to, to + len) (ranges do not overlap). */
void pt_move_range(struct page_table *pt, unsigned long from, unsigned long to,
		   unsigned long len);

#endif
