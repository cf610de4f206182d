// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmarks of the allocators (bench=kmalloc, bench=pages): an allocation
 * and its free, timed together, for a few kmalloc sizes (slab caches, and
 * above KMALLOC_MAX_CACHE_SIZE whole pages) and page orders.
 */
#include <mosaic/kbench.h>
#include <mosaic/mm.h>
#include <mosaic/printk.h>

static const size_t kmalloc_sizes[] = { 32, 256, 2048, 8192 };
static const unsigned int page_orders[] = { 0, 3 };

static void kmalloc_kfree(void *arg)
{
	kfree(kmalloc(*(const size_t *)arg));
}

KBENCH(kmalloc)
{
	char name[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		snprintf(name, sizeof(name), "kmalloc_kfree_%zu", kmalloc_sizes[i]);
		kbench_time(name, "ns_per_pair", 1, kmalloc_kfree, (void *)&kmalloc_sizes[i]);
	}
}

static void alloc_free_pages(void *arg)
{
	unsigned int order = *(const unsigned int *)arg;
	struct page *page = alloc_pages(order);

	if (page)
		free_pages(page, order);
}

KBENCH(pages)
{
	char name[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(page_orders); i++) {
		snprintf(name, sizeof(name), "alloc_free_pages_order%u", page_orders[i]);
		kbench_time(name, "ns_per_pair", 1, alloc_free_pages, (void *)&page_orders[i]);
	}
}
