// SPDX-License-Identifier: GPL-2.0
/*
 * Boot self-tests of the pcache reservation (suite "pcache_reserve"): the
 * region is RAM, page aligned, never handed out by the buddy, and the size
 * policy falls back as documented.
 */
#include <mosaic/boot.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include "buddy.h"
#include "mm_internal.h"

static bool inside_usable_ram(phys_addr_t start, phys_addr_t end)
{
	int i;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *m = &boot_info.mem[i];

		if (m->type == BOOT_MEM_USABLE && start >= m->base && end <= m->base + m->len)
			return true;
	}
	return false;
}

KTEST(pcache_reserve, region_is_page_aligned_ram)
{
	KASSERT(pcache_region.size > 0);
	KEXPECT(IS_ALIGNED(pcache_region.base, PAGE_SIZE));
	KEXPECT(IS_ALIGNED(pcache_region.size, PAGE_SIZE));
	KEXPECT(inside_usable_ram(pcache_region.base, pcache_region.base + pcache_region.size));
}

static bool in_pcache(struct page *p, unsigned int order)
{
	phys_addr_t b = page_to_phys(p);

	return b < pcache_region.base + pcache_region.size &&
	       b + (PAGE_SIZE << order) > pcache_region.base;
}

KTEST(pcache_reserve, region_is_not_in_the_buddy)
{
	phys_addr_t pa, end = pcache_region.base + pcache_region.size;
	struct page **got = kmalloc(8192 * sizeof(*got));
	unsigned long not_reserved = 0, n = 0;

	KASSERT(got != NULL);
	for (pa = pcache_region.base; pa < end; pa += PAGE_SIZE)
		not_reserved += phys_to_page(pa)->flags != PG_RESERVED;
	KEXPECT_EQ(not_reserved, 0);
	while (n < 8192 && (got[n] = alloc_pages(MAX_ORDER))) { /* every large block there is */
		if (in_pcache(got[n], MAX_ORDER))
			ktest_fail(__FILE__, __LINE__, "buddy handed out %#llx inside the pcache",
				   page_to_phys(got[n]));
		n++;
	}
	while (n)
		free_pages(got[--n], MAX_ORDER);
	kfree(got);
}

KTEST(pcache_reserve, size_policy_falls_back)
{
	enum pcache_size_source src;
	u64 mib = 1ULL << 20;

	KEXPECT_EQ(pcache_pick_size(32 * mib, 64 * mib, 100 * mib, &src), 32 * mib);
	KEXPECT_EQ(src, PCACHE_SIZE_REQUESTED);
	KEXPECT_EQ(pcache_pick_size(0, 64 * mib, 100 * mib, &src), 64 * mib);
	KEXPECT_EQ(src, PCACHE_SIZE_DEFAULT);
	KEXPECT_EQ(pcache_pick_size(99999ULL << 30, 64 * mib, 100 * mib, &src), 64 * mib);
	KEXPECT_EQ(src, PCACHE_SIZE_DEFAULT);
	KEXPECT_EQ(pcache_pick_size(99999ULL << 30, 64 * mib, 40 * mib, &src), 20 * mib);
	KEXPECT_EQ(src, PCACHE_SIZE_SHRUNK);
}
