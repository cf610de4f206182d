/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to mm/: how the pieces of mm_init() (init.c) talk to each other.
 * Boot order: bootmem -> pcache reservation -> page array -> kernel page
 * tables -> buddy takes the rest -> slab.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <mosaic/mm.h>
#include <mosaic/pgtable.h>
#include <mosaic/types.h>

#define SZ_1M (1ULL << 20)
#define SZ_1G (1ULL << 30)
#define SZ_4G (4ULL << 30)

struct page;

/* ---- bootmem.c: the boot-time physical memory map ---- */
struct phys_range {
	phys_addr_t start, end; /* [start, end), page aligned */
};

void bootmem_init(void);
/* Take size bytes (align: a power of two) ending at or below limit; 0 when none fits. */
phys_addr_t bootmem_alloc(u64 size, u64 align, phys_addr_t limit);
/* Hand every range bootmem still owns to the buddy allocator; bootmem is then closed. */
void bootmem_release_to_buddy(void);
bool bootmem_is_closed(void);
/* Bytes still free, and the largest free physically contiguous range. */
u64 bootmem_free_bytes(void);
u64 bootmem_largest_free_range(void);
/* End of the highest usable RAM, and total usable RAM, from the loader's map. */
extern phys_addr_t mem_top;
extern u64 mem_usable_bytes;

/* ---- page_alloc.c ---- */
void page_alloc_init(struct page *map, unsigned long nr_pages);
unsigned long page_alloc_release(phys_addr_t start, phys_addr_t end);

/* ---- pgtable.c ---- */
extern u64 pte_nx_mask;	/* PTE_NX when the CPU has NX enabled, else 0 */
extern bool cpu_has_gbpages;
/* Read NX and 1 GiB page support; turn on global pages (CR4.PGE). */
void pgtable_detect_features(void);
/* A zeroed table page (from bootmem below 4 GiB until the buddy takes over). */
pte_t *pgtable_new_table(void);
int pgtable_map_1g(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags);

/* ---- kernel_pgtable.c ---- */
/* Physical bytes covered by the direct map (it maps [0, direct_map_size) where RAM is). */
extern u64 direct_map_size;
void kernel_pgtable_init(void);

/* ---- pcache_reserve.c ---- */
void pcache_reserve(void);
enum pcache_size_source { PCACHE_SIZE_REQUESTED, PCACHE_SIZE_DEFAULT, PCACHE_SIZE_SHRUNK };
/* The pcache size for a request (0: none) given the bytes available; says why in *src. */
u64 pcache_pick_size(u64 requested, u64 default_size, u64 avail, enum pcache_size_source *src);

/* ---- slab.c ---- */
void slab_init(void);

#endif
