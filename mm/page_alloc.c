// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's physical page allocator: one buddy zone over every page frame
 * from 0 to the end of the highest usable RAM, behind one spinlock. The
 * interface is in include/mosaic/mm.h; the algorithm is in buddy_core.c.
 *
 * Lock order: zone_lock is a leaf lock (nothing is taken while holding it).
 * It is taken with interrupts off, so pages may be freed from any context.
 */
#include <mosaic/fail_alloc.h>
#include <mosaic/mm.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include "buddy.h"
#include "mm_internal.h"

static struct buddy_zone zone;
static DEFINE_SPINLOCK(zone_lock);

void page_alloc_init(struct page *map, unsigned long nr_pages)
{
	buddy_init(&zone, map, nr_pages);
}

unsigned long page_alloc_release(phys_addr_t start, phys_addr_t end)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);
	unsigned long n = buddy_release_range(&zone, start >> PAGE_SHIFT,
					      (end - start) >> PAGE_SHIFT);

	spin_unlock_irqrestore(&zone_lock, flags);
	return n;
}

struct page *alloc_pages(unsigned int order)
{
	unsigned long flags;
	struct page *page;

	if (should_fail_alloc())
		return NULL;
	flags = spin_lock_irqsave(&zone_lock);
	page = buddy_alloc(&zone, order);

	spin_unlock_irqrestore(&zone_lock, flags);
	return page;
}

void free_pages(struct page *page, unsigned int order)
{
	enum buddy_free_status st;
	unsigned long flags;

	if (!page)
		return;
	if (page->flags & (PG_SLAB | PG_SLAB_TAIL | PG_KMALLOC_LARGE)) {
		pr_warn("free_pages: page %#llx belongs to kmalloc/a slab cache; refused\n",
			page_to_phys(page));
		WARN_ON(1);
		return;
	}
	flags = spin_lock_irqsave(&zone_lock);
	st = buddy_free(&zone, page, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (st != BUDDY_FREED) {
		pr_warn("free_pages: refused page %#llx order %u: %s\n",
			buddy_owns(&zone, page) ? page_to_phys(page) : 0ULL, order,
			buddy_free_status_str(st));
		WARN_ON(st != BUDDY_FREED);
	}
}

phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)buddy_pfn(&zone, page) << PAGE_SHIFT;
}

struct page *phys_to_page(phys_addr_t pa)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	return pfn < zone.nr_pages ? &zone.pages[pfn] : NULL;
}

struct page *virt_to_page(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	if (va < DIRECT_MAP_BASE || va >= DIRECT_MAP_BASE + direct_map_size)
		return NULL;
	return phys_to_page(__pa(addr));
}

void *get_free_pages(unsigned int order)
{
	struct page *page = alloc_pages(order);

	return page ? page_address(page) : NULL;
}

void *get_zeroed_pages(unsigned int order)
{
	void *addr = get_free_pages(order);

	if (addr)
		memset(addr, 0, PAGE_SIZE << order);
	return addr;
}

void free_pages_addr(void *addr, unsigned int order)
{
	struct page *page;

	if (!addr)
		return;
	page = virt_to_page(addr);
	if (!page || !IS_ALIGNED((unsigned long)addr, PAGE_SIZE)) {
		pr_warn("free_pages_addr: %p is not a page in the direct map\n", addr);
		WARN_ON(1);
		return;
	}
	free_pages(page, order);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(zone.free_pages);
}

unsigned long nr_total_pages(void)
{
	return READ_ONCE(zone.managed_pages);
}
