// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's final page tables, built once at boot to replace head.S's
 * early ones:
 *   - the direct map at DIRECT_MAP_BASE of the low 1 MiB and of every region
 *     of the loader's map below max(4 GiB, end of usable RAM) (holes such as
 *     the PCI window stay unmapped: ioremap() maps device registers), with 1 GiB or
 *     2 MiB pages where alignment allows, read-write, no-execute;
 *   - the kernel image at KERNEL_VIRT_BASE: text read-only and executable,
 *     rodata read-only, data and bss read-write, both no-execute;
 *   - no identity map: a stray low pointer faults.
 * Every kernel mapping is global (CR4.PGE). User address spaces will share
 * the upper half by copying PML4 entries 256..511.
 */
#include <asm/x86.h>
#include <mosaic/boot.h>
#include <mosaic/panic.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include "mm_internal.h"

#define MAX_DIRECT_RANGES (BOOT_MEM_MAX + 1)

u64 direct_map_size;

static int add_sorted(struct phys_range *r, int n, phys_addr_t start, phys_addr_t end)
{
	int i = n;

	if (start >= end)
		return n;
	while (i > 0 && r[i - 1].start > start) {
		r[i] = r[i - 1];
		i--;
	}
	r[i] = (struct phys_range){ start, end };
	return n + 1;
}

/* Merge overlapping or touching ranges of a sorted array in place; returns the new count. */
static int merge_ranges(struct phys_range *r, int n)
{
	int i, out = 0;

	for (i = 1; i < n; i++) {
		if (r[i].start <= r[out].end)
			r[out].end = max(r[out].end, r[i].end);
		else
			r[++out] = r[i];
	}
	return n ? out + 1 : 0;
}

/*
 * The physical ranges the direct map covers, sorted and merged: the low
 * 1 MiB and every region of the loader's map below max(4 GiB, end of RAM),
 * so firmware tables in reserved regions (ACPI, MP) are readable via __va().
 */
static int direct_map_ranges(struct phys_range *r)
{
	phys_addr_t limit = max(mem_top, SZ_4G);
	int i, n = add_sorted(r, 0, 0, SZ_1M);

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *m = &boot_info.mem[i];
		phys_addr_t start = ALIGN_DOWN(m->base, PAGE_SIZE);
		phys_addr_t end = min(ALIGN_UP(m->base + m->len, PAGE_SIZE), limit);

		if (m->type != BOOT_MEM_BAD)
			n = add_sorted(r, n, start, end);
	}
	return merge_ranges(r, n);
}

/* Map [start, end) at its direct-map address with the largest pages that fit. */
static void map_direct_range(pte_t *pml4, phys_addr_t start, phys_addr_t end)
{
	phys_addr_t pa = start;
	int err = 0;

	while (pa < end) {
		unsigned long va = (unsigned long)__va(pa);
		u64 step;

		if (cpu_has_gbpages && IS_ALIGNED(pa, SZ_1G) && end - pa >= SZ_1G) {
			step = SZ_1G;
			err = pgtable_map_1g(pml4, va, pa, PTE_KERNEL_RW);
		} else if (IS_ALIGNED(pa, HUGE_PAGE_SIZE) && end - pa >= HUGE_PAGE_SIZE) {
			step = HUGE_PAGE_SIZE;
			err = pgtable_map_huge(pml4, va, pa, PTE_KERNEL_RW);
		} else {
			step = PAGE_SIZE;
			err = pgtable_map_page(pml4, va, pa, PTE_KERNEL_RW);
		}
		if (err)
			panic("mm: cannot build the direct map at %#llx (error %d)", pa, err);
		pa += step;
	}
}

static void map_kernel_section(pte_t *pml4, const char *start, const char *end, u64 flags)
{
	unsigned long va;
	int err;

	for (va = ALIGN_DOWN((unsigned long)start, PAGE_SIZE); va < (unsigned long)end;
	     va += PAGE_SIZE) {
		err = pgtable_map_page(pml4, va, __pa((void *)va), flags);
		if (err)
			panic("mm: cannot map the kernel image at %#lx (error %d)", va, err);
	}
}

void kernel_pgtable_init(void)
{
	static struct phys_range ranges[MAX_DIRECT_RANGES];
	u64 mapped = 0;
	pte_t *pml4;
	int i, n;

	pgtable_detect_features();
	pml4 = pgtable_new_table();
	if (!pml4)
		panic("mm: no memory below 4 GiB for the kernel page tables");
	n = direct_map_ranges(ranges);
	for (i = 0; i < n; i++) {
		map_direct_range(pml4, ranges[i].start, ranges[i].end);
		mapped += ranges[i].end - ranges[i].start;
	}
	direct_map_size = n ? ranges[n - 1].end : 0;
	map_kernel_section(pml4, _text, _etext, PTE_KERNEL_RX);
	map_kernel_section(pml4, __rodata_start, __rodata_end, PTE_KERNEL_RO);
	map_kernel_section(pml4, _data, _end, PTE_KERNEL_RW);
	write_cr3(__pa(pml4));
	kernel_pml4 = pml4;
	pr_info("mm: kernel page tables: direct map of %llu MiB in %d ranges below %#llx (%s pages), NX %s\n",
		mapped >> 20, n, direct_map_size, cpu_has_gbpages ? "1 GiB/2 MiB/4 KiB" : "2 MiB/4 KiB",
		pte_nx_mask ? "on" : "unsupported");
}
