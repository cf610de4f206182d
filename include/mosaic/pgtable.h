/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 4-level page tables (mm/pgtable.c). Every function takes the PML4
 * to edit, so the kernel's tables (kernel_pml4) and, later, user address
 * spaces share one implementation. Table pages come from the buddy
 * allocator and are never freed by unmap (an empty table stays in place).
 *
 * Mapping flags are the PTE_* bits below; PTE_P (and PTE_PS for 2 MiB
 * pages) is added for you, and PTE_NX is dropped on CPUs without NX.
 *
 * Errors: -EINVAL (unaligned or non-canonical address, bad physical
 * address, PTE_US above USER_SPACE_END), -EEXIST (something is already mapped there, or a huge page
 * covers it), -ENOMEM (no page for a table), -ENOENT (nothing to unmap).
 *
 * Context: callers serialise edits of the same PML4 (the kernel's tables
 * are edited under kernel_pgtable_lock inside these functions).
 */
#ifndef _MOSAIC_PGTABLE_H
#define _MOSAIC_PGTABLE_H

#include <mosaic/page.h>
#include <mosaic/types.h>

typedef u64 pte_t;

#define PTE_P (1ULL << 0)   /* present */
#define PTE_RW (1ULL << 1)  /* writable */
#define PTE_US (1ULL << 2)  /* user accessible */
#define PTE_PWT (1ULL << 3) /* write-through */
#define PTE_PCD (1ULL << 4) /* cache disabled */
#define PTE_A (1ULL << 5)   /* accessed */
#define PTE_D (1ULL << 6)   /* dirty */
#define PTE_PS (1ULL << 7)  /* page size: a 2 MiB / 1 GiB leaf (PD / PDPT entries) */
#define PTE_G (1ULL << 8)   /* global: survives CR3 reloads */
#define PTE_COW (1ULL << 9) /* software bit: write-protected for copy-on-write (fork) */
#define PTE_NX (1ULL << 63) /* no execute */
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/* Levels as lookup reports them: where the leaf entry was found. */
enum pt_level { PT_LEVEL_4K = 1, PT_LEVEL_2M = 2, PT_LEVEL_1G = 3, PT_LEVEL_PML4 = 4 };

/* Common flag sets for kernel mappings. */
#define PTE_KERNEL_RW (PTE_RW | PTE_G | PTE_NX)
#define PTE_KERNEL_RO (PTE_G | PTE_NX)
#define PTE_KERNEL_RX (PTE_G)
#define PTE_KERNEL_MMIO (PTE_RW | PTE_PCD | PTE_PWT | PTE_G | PTE_NX)

static inline phys_addr_t pte_phys(pte_t e) { return e & PTE_ADDR_MASK; }
static inline bool pte_present(pte_t e) { return e & PTE_P; }

/* The kernel's PML4 (direct-mapped address); its upper half is shared by every address space. */
extern pte_t *kernel_pml4;

int pgtable_map_page(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags); /* 4 KiB */
int pgtable_map_huge(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags); /* 2 MiB */
int pgtable_unmap_page(pte_t *pml4, unsigned long va);
int pgtable_unmap_huge(pte_t *pml4, unsigned long va);
/*
 * The leaf entry mapping va (4 KiB pte, or 2 MiB / 1 GiB entry with PTE_PS),
 * or NULL when va is not mapped. *level (may be NULL) tells which.
 */
pte_t *pgtable_lookup(pte_t *pml4, unsigned long va, enum pt_level *level);

/*
 * The 4 KiB pte slot for the user address va in pml4, creating missing
 * tables (user-accessible) when create. NULL when va is not a user address,
 * a table is missing (create false) or no memory is left. The caller holds
 * the address space's pte lock.
 */
pte_t *pgtable_walk_user(pte_t *pml4, unsigned long va, bool create);
/*
 * The same one level up: the page-directory entry (the pointer to the pte
 * table that maps va's 2 MiB), creating missing tables above it when
 * create. mremap moves whole pte tables through it.
 */
pte_t *pgtable_walk_user_pd(pte_t *pml4, unsigned long va, bool create);
/*
 * va itself when a pte table covers the user address va; otherwise the
 * first address past the hole (so range walks skip unmapped GiBs at once).
 */
unsigned long pgtable_user_next_table(pte_t *pml4, unsigned long va);

/*
 * Map [pa, pa + size) uncached (PCD|PWT) for device registers, at its
 * direct-map address __va(pa) (the LAPIC, the IOAPIC, ...). Returns the
 * virtual address of pa, or NULL with a warning on bad input or no memory.
 * Mappings stay for good (there is no iounmap yet).
 */
void *ioremap(phys_addr_t pa, size_t size);

/*
 * Invalidate [start, end) in this CPU's TLB and ask the other CPUs to do
 * the same through tlb_shootdown_others() (a no-op until SMP code provides
 * it: see mm/pgtable.c).
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void tlb_shootdown_others(unsigned long start, unsigned long end);

#endif
