// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time physical memory: the usable RAM of the loader's map minus what
 * must survive (low 1 MiB, the kernel image, boot modules, the loader's own
 * structures). Until the buddy allocator exists, bootmem_alloc() carves
 * memory from these ranges (the page array, the first page tables, the
 * pcache); bootmem_release_to_buddy() then gives the rest away for good.
 *
 * Runs on the boot CPU alone, before the other CPUs start: no lock.
 */
#include <mosaic/boot.h>
#include <mosaic/compiler.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include "mm_internal.h"

#define MAX_FREE_RANGES 128

static struct phys_range free_ranges[MAX_FREE_RANGES];
static int nr_free_ranges;
static bool closed;

phys_addr_t mem_top;
u64 mem_usable_bytes;

static void add_free_range(phys_addr_t start, phys_addr_t end)
{
	if (start >= end)
		return;
	if (nr_free_ranges == MAX_FREE_RANGES) {
		pr_warn("bootmem: memory map too fragmented, ignoring %#llx-%#llx\n", start, end);
		return;
	}
	free_ranges[nr_free_ranges++] = (struct phys_range){ start, end };
}

/* Remove [start, end) from every free range, splitting ranges it cuts in two. */
static void bootmem_reserve(phys_addr_t start, phys_addr_t end)
{
	int i, n = nr_free_ranges;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	for (i = 0; i < n; i++) {
		struct phys_range *r = &free_ranges[i];
		phys_addr_t old_end = r->end;

		if (end <= r->start || start >= r->end)
			continue;
		r->end = max(r->start, start);
		add_free_range(max(end, r->start), old_end); /* the part above the hole */
	}
}

static void add_usable_regions(void)
{
	int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *m = &boot_info.mem[i];
		phys_addr_t start = ALIGN_UP(m->base, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(m->base + m->len, PAGE_SIZE);

		if (m->type != BOOT_MEM_USABLE || start >= end)
			continue;
		add_free_range(start, end);
		mem_usable_bytes += end - start;
		mem_top = max(mem_top, end);
	}
}

static void reserve_boot_survivors(void)
{
	int i;

	bootmem_reserve(0, SZ_1M); /* BIOS data, EBDA, the SMP trampoline at 0x8000 */
	bootmem_reserve((phys_addr_t)__kernel_phys_start, (phys_addr_t)__kernel_phys_end);
	for (i = 0; i < boot_info.nr_mods; i++)
		bootmem_reserve(boot_info.mods[i].start, boot_info.mods[i].end);
	if (boot_info.loader_hi > boot_info.loader_lo)
		bootmem_reserve(boot_info.loader_lo, boot_info.loader_hi);
}

static void print_memory_map(void)
{
	static const char *const type_names[] = { "?", "usable", "reserved", "ACPI", "NVS", "bad" };
	int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *m = &boot_info.mem[i];

		pr_info("mm: map %#014llx-%#014llx %s\n", m->base, m->base + m->len,
			m->type < ARRAY_SIZE(type_names) ? type_names[m->type] : "other");
	}
}

void bootmem_init(void)
{
	print_memory_map();
	add_usable_regions();
	if (!mem_usable_bytes)
		panic("mm: the boot loader reported no usable RAM");
	reserve_boot_survivors();
}

/* Highest aligned start for size bytes inside r that ends at or below limit, or 0. */
static phys_addr_t fit_at_top(const struct phys_range *r, u64 size, u64 align, phys_addr_t limit)
{
	phys_addr_t end = min(r->end, limit), start;

	if (end < r->start + size)
		return 0;
	start = ALIGN_DOWN(end - size, align);
	return start >= r->start ? start : 0;
}

phys_addr_t bootmem_alloc(u64 size, u64 align, phys_addr_t limit)
{
	phys_addr_t best = 0, pa;
	int i;

	if (closed || !size)
		return 0;
	size = ALIGN_UP(size, PAGE_SIZE);
	align = max(align, PAGE_SIZE);
	for (i = 0; i < nr_free_ranges; i++) {
		pa = fit_at_top(&free_ranges[i], size, align, limit);
		best = max(best, pa);
	}
	if (best)
		bootmem_reserve(best, best + size);
	return best;
}

void bootmem_release_to_buddy(void)
{
	int i;

	for (i = 0; i < nr_free_ranges; i++)
		page_alloc_release(free_ranges[i].start, free_ranges[i].end);
	nr_free_ranges = 0;
	closed = true;
}

bool bootmem_is_closed(void)
{
	return closed;
}

u64 bootmem_free_bytes(void)
{
	u64 total = 0;
	int i;

	for (i = 0; i < nr_free_ranges; i++)
		total += free_ranges[i].end - free_ranges[i].start;
	return total;
}

u64 bootmem_largest_free_range(void)
{
	u64 largest = 0;
	int i;

	for (i = 0; i < nr_free_ranges; i++)
		largest = max(largest, free_ranges[i].end - free_ranges[i].start);
	return largest;
}
