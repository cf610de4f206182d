// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table API of include/mosaic/pgtable.h: map, unmap and look up
 * 4 KiB and 2 MiB pages in any PML4, split huge pages, ioremap().
 *
 * All edits go through one walker, walk_to_entry(), which returns the entry
 * for an address at a given level, creating the tables above it on request.
 *
 * Lock order: kernel_pgtable_lock -> zone_lock (page_alloc.c, for new tables).
 * kernel_pgtable_lock guards kernel_pml4; other PML4s are their owner's to lock.
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/panic.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include "mm_internal.h"

#define PTRS_PER_TABLE 512
#define DIRECT_MAP_MAX_PHYS (1ULL << 46) /* 64 TiB of direct map window */

pte_t *kernel_pml4;
static DEFINE_SPINLOCK(kernel_pgtable_lock);
/* PTE_NX where EFER.NXE is on, else 0 (the bit would be reserved). */
u64 pte_nx_mask;

static unsigned int level_shift(enum pt_level level)
{
	return PAGE_SHIFT + 9 * (level - 1);
}

static unsigned int table_index(unsigned long va, enum pt_level level)
{
	return (va >> level_shift(level)) & (PTRS_PER_TABLE - 1);
}

static bool is_canonical(unsigned long va)
{
	return (unsigned long)((long)(va << 16) >> 16) == va;
}

static pte_t *table_of(pte_t entry)
{
	return __va(pte_phys(entry));
}

/* A zeroed page for a page table: bootmem before the buddy exists, then the buddy. */
static pte_t *alloc_table(void)
{
	phys_addr_t pa;

	if (bootmem_is_closed())
		return get_zeroed_pages(0);
	pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE, SZ_4G); /* the early direct map covers 4 GiB */
	if (!pa)
		return NULL;
	memset(__va(pa), 0, PAGE_SIZE);
	return __va(pa);
}

pte_t *pgtable_new_table(void)
{
	return alloc_table();
}

/* Entry for a table one level down: user-accessible if any mapping under it is. */
static pte_t table_entry(pte_t *table, u64 leaf_flags)
{
	return __pa(table) | PTE_P | PTE_RW | (leaf_flags & PTE_US);
}

/*
 * The entry for va at `level` in pml4, creating missing tables above it when
 * `create` (their entries get leaf_flags' PTE_US). NULL with *err set when a
 * table is missing (-ENOENT), a huge page is in the way (-EEXIST) or no
 * memory is left (-ENOMEM).
 */
static pte_t *walk_to_entry(pte_t *pml4, unsigned long va, enum pt_level level,
			    bool create, u64 leaf_flags, int *err)
{
	pte_t *table = pml4, *e;
	enum pt_level l;

	for (l = PT_LEVEL_PML4; l > level; l--) {
		e = &table[table_index(va, l)];
		if (pte_present(*e) && (*e & PTE_PS)) {
			*err = -EEXIST;
			return NULL;
		}
		if (!pte_present(*e)) {
			pte_t *t = create ? alloc_table() : NULL;

			if (!t) {
				*err = create ? -ENOMEM : -ENOENT;
				return NULL;
			}
			*e = table_entry(t, leaf_flags);
		}
		*e |= leaf_flags & PTE_US;
		table = table_of(*e);
	}
	return &table[table_index(va, level)];
}

pte_t *pgtable_walk_user(pte_t *pml4, unsigned long va, bool create)
{
	int err;

	if (va >= USER_SPACE_END)
		return NULL;
	return walk_to_entry(pml4, va, PT_LEVEL_4K, create, PTE_US, &err);
}

pte_t *pgtable_walk_user_pd(pte_t *pml4, unsigned long va, bool create)
{
	int err;

	if (va >= USER_SPACE_END)
		return NULL;
	return walk_to_entry(pml4, va, PT_LEVEL_2M, create, PTE_US, &err);
}

/*
 * va's entry in table (of level l) is a hole: the start of the next present
 * entry of the same table, or the end of the table. One call skips every
 * empty entry of a table (a sparse PD cost a call per 2 MiB before).
 */
static unsigned long past_holes(pte_t *table, unsigned long va, enum pt_level l)
{
	unsigned long span = 1UL << level_shift(l);
	unsigned int i = table_index(va, l);

	va = (va & ~(span - 1)) + span;
	while (++i < PTRS_PER_TABLE && !pte_present(table[i]))
		va += span;
	return va;
}

unsigned long pgtable_user_next_table(pte_t *pml4, unsigned long va)
{
	pte_t *table = pml4, e;
	enum pt_level l;

	for (l = PT_LEVEL_PML4; l > PT_LEVEL_4K; l--) {
		e = table[table_index(va, l)];
		if (!pte_present(e) || (e & PTE_PS))
			return past_holes(table, va, l);
		table = table_of(e);
	}
	return va;
}

static unsigned long lock_if_kernel(pte_t *pml4)
{
	return pml4 == kernel_pml4 ? spin_lock_irqsave(&kernel_pgtable_lock) : 0;
}

static void unlock_if_kernel(pte_t *pml4, unsigned long flags)
{
	if (pml4 == kernel_pml4)
		spin_unlock_irqrestore(&kernel_pgtable_lock, flags);
}

static u64 leaf_flags_for(u64 flags, enum pt_level level)
{
	flags &= ~(PTE_ADDR_MASK | PTE_P | PTE_PS | (PTE_NX & ~pte_nx_mask));
	return level == PT_LEVEL_4K ? flags : flags | PTE_PS;
}

/*
 * Install one leaf of `level` (4K, 2M or 1G) mapping va to pa.
 * Context: the PML4's lock is held (see lock_if_kernel()).
 */
static int map_leaf_locked(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags,
			   enum pt_level level)
{
	unsigned long size = 1UL << level_shift(level);
	int err = 0;
	pte_t *e;

	if (!IS_ALIGNED(va, size) || !IS_ALIGNED(pa, size) || !is_canonical(va) ||
	    (pa & ~PTE_ADDR_MASK))
		return -EINVAL;
	if ((flags & PTE_US) && va >= USER_SPACE_END)
		return -EINVAL; /* would open the shared kernel tables to user mode */
	flags = leaf_flags_for(flags, level);
	e = walk_to_entry(pml4, va, level, true, flags, &err);
	if (!e)
		return err;
	if (pte_present(*e))
		return -EEXIST;
	*e = pa | flags | PTE_P;
	return 0;
}

static int map_leaf(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags, enum pt_level level)
{
	unsigned long irq = lock_if_kernel(pml4);
	int err = map_leaf_locked(pml4, va, pa, flags, level);

	unlock_if_kernel(pml4, irq);
	return err;
}

int pgtable_map_page(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags)
{
	return map_leaf(pml4, va, pa, flags, PT_LEVEL_4K);
}

int pgtable_map_huge(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags)
{
	return map_leaf(pml4, va, pa, flags, PT_LEVEL_2M);
}

int pgtable_map_1g(pte_t *pml4, unsigned long va, phys_addr_t pa, u64 flags)
{
	return map_leaf(pml4, va, pa, flags, PT_LEVEL_1G);
}

/* Clear the leaf of `level` mapping va and flush it; -ENOENT if there is none. */
static int unmap_leaf(pte_t *pml4, unsigned long va, enum pt_level level)
{
	unsigned long size = 1UL << level_shift(level), irq;
	int err = 0;
	pte_t *e;

	if (!IS_ALIGNED(va, size) || !is_canonical(va))
		return -EINVAL;
	irq = lock_if_kernel(pml4);
	e = walk_to_entry(pml4, va, level, false, 0, &err);
	if (e && !pte_present(*e))
		err = -ENOENT;
	else if (e && (level == PT_LEVEL_4K) == !!(*e & PTE_PS))
		err = -EINVAL; /* a 4 KiB unmap of a huge page, or the reverse */
	else if (e)
		*e = 0;
	unlock_if_kernel(pml4, irq);
	if (!err) {
		invlpg(va); /* one invlpg drops a whole huge-page TLB entry */
		tlb_shootdown_others(va, va + size);
	}
	return err;
}

int pgtable_unmap_page(pte_t *pml4, unsigned long va)
{
	return unmap_leaf(pml4, va, PT_LEVEL_4K);
}

int pgtable_unmap_huge(pte_t *pml4, unsigned long va)
{
	return unmap_leaf(pml4, va, PT_LEVEL_2M);
}

pte_t *pgtable_lookup(pte_t *pml4, unsigned long va, enum pt_level *level)
{
	pte_t *table = pml4, *e;
	enum pt_level l;

	if (!is_canonical(va))
		return NULL;
	for (l = PT_LEVEL_PML4; l >= PT_LEVEL_4K; l--) {
		e = &table[table_index(va, l)];
		if (!pte_present(*e))
			return NULL;
		if (l == PT_LEVEL_4K || (l != PT_LEVEL_PML4 && (*e & PTE_PS))) {
			if (level)
				*level = l;
			return e;
		}
		table = table_of(*e);
	}
	return NULL;
}

/*
 * Replace the huge leaf *e (a 2 MiB or 1 GiB page at `level`) by a table of
 * 512 leaves one level down with the same attributes. Returns 0 or -ENOMEM.
 * Context: the PML4's lock is held.
 */
static int split_huge_leaf(pte_t *e, enum pt_level level, unsigned long va)
{
	u64 child_size = 1ULL << level_shift(level - 1);
	u64 flags = *e & ~PTE_ADDR_MASK;
	pte_t *t = alloc_table();
	int i;

	if (!t)
		return -ENOMEM;
	if (level - 1 == PT_LEVEL_4K)
		flags &= ~PTE_PS; /* bit 7 of a 4 KiB pte means PAT, not size */
	for (i = 0; i < PTRS_PER_TABLE; i++)
		t[i] = (pte_phys(*e) + i * child_size) | flags;
	*e = table_entry(t, flags);
	invlpg(va); /* drops the huge TLB entry and cached walks through it */
	return 0;
}

/* Make the direct-map page of pa uncached, mapping it first if needed. */
static int ioremap_one(phys_addr_t pa)
{
	unsigned long va = (unsigned long)__va(pa);
	enum pt_level level;
	pte_t *e;
	int err;

	while ((e = pgtable_lookup(kernel_pml4, va, &level)) && level != PT_LEVEL_4K) {
		err = split_huge_leaf(e, level, va & ~((1UL << level_shift(level)) - 1));
		if (err)
			return err;
	}
	if (!e)
		return map_leaf_locked(kernel_pml4, va, pa, PTE_KERNEL_MMIO, PT_LEVEL_4K);
	*e |= PTE_PCD | PTE_PWT;
	invlpg(va);
	return 0;
}

void *ioremap(phys_addr_t pa, size_t size)
{
	phys_addr_t first = ALIGN_DOWN(pa, PAGE_SIZE), p;
	unsigned long irq;
	int err = 0;

	if (!size || pa + size < pa || pa + size > DIRECT_MAP_MAX_PHYS) {
		pr_warn("ioremap: bad range %#llx + %#lx\n", pa, size);
		return NULL;
	}
	irq = spin_lock_irqsave(&kernel_pgtable_lock);
	for (p = first; p < pa + size && !err; p += PAGE_SIZE)
		err = ioremap_one(p);
	spin_unlock_irqrestore(&kernel_pgtable_lock, irq);
	if (err) {
		pr_warn("ioremap: cannot map %#llx + %#lx (error %d)\n", pa, size, err);
		return NULL;
	}
	return __va(pa);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long va;

	if (end - start > 64 * PAGE_SIZE) {
		write_cr4(read_cr4() ^ X86_CR4_PGE); /* toggling PGE drops global entries too */
		write_cr4(read_cr4() ^ X86_CR4_PGE);
	} else {
		for (va = start; va < end; va += PAGE_SIZE)
			invlpg(va);
	}
	tlb_shootdown_others(start, end);
}

/*
 * TODO(cpu): cross-CPU TLB shootdown. The SMP code overrides this weak no-op
 * with an IPI to the other online CPUs that runs invlpg over [start, end) and
 * waits for them; until then only this CPU's TLB is flushed.
 */
__attribute__((weak)) void tlb_shootdown_others(unsigned long start, unsigned long end)
{
}

bool cpu_has_gbpages;

void pgtable_detect_features(void)
{
	u32 a, b, c, d;

	if (rdmsr(MSR_EFER) & EFER_NXE)
		pte_nx_mask = PTE_NX;
	cpuid(0x80000001, &a, &b, &c, &d);
	cpu_has_gbpages = d & (1U << 26);
	cpuid(1, &a, &b, &c, &d);
	if (d & (1U << 13)) /* PGE */
		write_cr4(read_cr4() | X86_CR4_PGE);
}
