// SPDX-License-Identifier: GPL-2.0
/*
 * mm_init(): bring up memory management, in this order (each step uses the
 * one before):
 *   1. bootmem: usable RAM from the loader's map, minus what must survive;
 *   2. the pcache region, before anything else takes the memory;
 *   3. the struct page array (one per frame up to the end of usable RAM);
 *   4. the final kernel page tables (direct map of all RAM, W^X image);
 *   5. the buddy allocator takes every page bootmem still owns;
 *   6. the kmalloc caches.
 */
#include <mosaic/boot.h>
#include <mosaic/mm.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include "buddy.h"
#include "mm_internal.h"

static void page_array_init(void)
{
	unsigned long nr_pages = mem_top >> PAGE_SHIFT;
	u64 bytes = nr_pages * sizeof(struct page);
	phys_addr_t pa = bootmem_alloc(bytes, PAGE_SIZE, SZ_4G);

	if (!pa)
		panic("mm: no %llu KiB below 4 GiB for the page array", bytes >> 10);
	page_alloc_init(__va(pa), nr_pages);
}

/* Sum of the loader's map entries of one type. */
static u64 mem_bytes_of_type(enum boot_mem_type type)
{
	u64 total = 0;
	int i;

	for (i = 0; i < boot_info.nr_mem; i++)
		if (boot_info.mem[i].type == type)
			total += boot_info.mem[i].len;
	return total;
}

static void print_summary(void)
{
	u64 free_bytes = (u64)nr_free_pages() << PAGE_SHIFT;

	pr_info("mm: RAM %llu MiB (usable %llu MiB, ACPI/NVS %llu KiB, top %#llx); "
		"%lu of %lu pages free\n",
		(mem_usable_bytes + mem_bytes_of_type(BOOT_MEM_ACPI) +
		 mem_bytes_of_type(BOOT_MEM_NVS)) >> 20, mem_usable_bytes >> 20,
		(mem_bytes_of_type(BOOT_MEM_ACPI) + mem_bytes_of_type(BOOT_MEM_NVS)) >> 10,
		mem_top, nr_free_pages(), nr_total_pages());
	pr_info("pcache: %llu MiB at %#llx-%#llx; %llu MiB free for the kernel\n",
		pcache_region.size >> 20, pcache_region.base,
		pcache_region.base + pcache_region.size, free_bytes >> 20);
}

void mm_init(void)
{
	bootmem_init();
	pcache_reserve();
	page_array_init();
	kernel_pgtable_init();
	bootmem_release_to_buddy();
	slab_init();
	print_summary();
}
