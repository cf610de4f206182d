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

/*
 * Bring up memory: reserve the pcache, build the final kernel page tables,
 * give the rest of usable RAM to the buddy allocator, set up kmalloc.
 * Boot CPU only, once, before anything allocates.
 */
void mm_init(void);

/*
 * ---- physical pages (mm/page_alloc.c over mm/buddy_core.c) ----
 * alloc_pages() returns the first page of 2^order physically contiguous,
 * 2^order-aligned pages, or NULL. free_pages() must get the same order; a
 * double free, a wrong order or a page that is not a block's head is
 * refused with a warning. Safe from any CPU and with interrupts off.
 */
struct page;
struct page *alloc_pages(unsigned int order);
void free_pages(struct page *page, unsigned int order);
phys_addr_t page_to_phys(const struct page *page);
struct page *phys_to_page(phys_addr_t pa);
static inline void *page_address(const struct page *page) { return __va(page_to_phys(page)); }
/* The page of a direct-map address, or NULL for any other address. */
struct page *virt_to_page(const void *addr);
/* Convenience: direct-mapped address of 2^order zeroed pages, or NULL. */
void *get_zeroed_pages(unsigned int order);
/* The same without the clearing: the caller writes every byte before reading any. */
void *get_free_pages(unsigned int order);
void free_pages_addr(void *addr, unsigned int order);
/* Free pages now, and all pages the allocator manages (usable RAM minus the
 * kernel image, boot modules, the pcache and the page array). */
unsigned long nr_free_pages(void);
unsigned long nr_total_pages(void);

/*
 * ---- kmalloc (mm/slab.c) ----
 * Sizes up to KMALLOC_MAX_CACHE_SIZE come from power-of-two caches (8 bytes
 * and up, aligned to their size); larger ones are whole pages (up to
 * 2^MAX_ORDER pages). kmalloc(0) returns NULL. kfree(NULL) does nothing; a
 * pointer kmalloc did not return, or a double free, is refused with a warning.
 * Safe from any CPU and with interrupts off.
 */
#define KMALLOC_MAX_CACHE_SIZE 2048
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(const void *p);
/* Usable size of a kmalloc'd block (>= the size asked for), 0 if p is not one. */
size_t ksize(const void *p);

/* Caches of fixed-size objects; align is 0 or a power of two up to PAGE_SIZE. */
struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/*
 * The same for n objects under one lock round trip (callers that keep a
 * pool of objects refill and drain it this way). alloc returns how many
 * it put in objs (fewer than n: out of memory).
 */
int kmem_cache_alloc_bulk(struct kmem_cache *c, void **objs, int n);
void kmem_cache_free_bulk(struct kmem_cache *c, void **objs, int n);
/* Free an empty cache: 0, or -EBUSY (and nothing freed) while objects are live. */
int kmem_cache_destroy(struct kmem_cache *c);
/*
 * Slab memory each object of c takes: its size rounded up to the alignment
 * plus its share of the slab's unused tail (slab headers live in struct page).
 */
size_t kmem_cache_bytes_per_object(const struct kmem_cache *c);

/*
 * ---- the pcache region (mm/pcache_reserve.c) ----
 * Reserved at boot from pcache=SIZE (default CONFIG_PCACHE_SIZE_MB): one
 * physically contiguous, page-aligned block that the buddy never sees.
 * size is 0 when no memory could be found.
 */
struct pcache_region {
	phys_addr_t base;
	u64 size;
};
extern struct pcache_region pcache_region;

#endif
