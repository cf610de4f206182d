/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory management: the physical page allocator (buddy, orders 0..MAX_ORDER),
 * kmalloc over size-class slab caches, the kernel page-table API and the
 * pcache reservation. Implemented in mm/.
 *
 * Contract: allocation failure returns NULL, never corrupts or panics.
 */
#ifndef _MOSAIC_MM_H
#define _MOSAIC_MM_H

#include <mosaic/page.h>
#include <mosaic/types.h>

#define MAX_ORDER 10	/* largest block: 2^10 pages = 4 MiB */

/* Bring up memory: buddy over usable RAM, final kernel page tables, slab. */
void mm_init(void);

/* ---- physical pages (mm/buddy.c) ---- */
struct page;
struct page *alloc_pages(unsigned int order);
void free_pages(struct page *page, unsigned int order);
phys_addr_t page_to_phys(const struct page *page);
struct page *phys_to_page(phys_addr_t pa);
static inline void *page_address(const struct page *page) { return __va(page_to_phys(page)); }
/* Convenience: direct-mapped address of 2^order zeroed pages, or NULL. */
void *get_zeroed_pages(unsigned int order);
void free_pages_addr(void *addr, unsigned int order);
unsigned long nr_free_pages(void);
unsigned long nr_total_pages(void);

/* ---- kmalloc (mm/slab.c) ---- */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(const void *p);

struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

/* ---- the pcache region (reserved at boot from pcache=SIZE) ---- */
struct pcache_region {
	phys_addr_t base;
	u64 size;
};
extern struct pcache_region pcache_region;

#endif
