// SPDX-License-Identifier: GPL-2.0
/*
 * The memory node's page budget (interface in page_budget.h).
 *
 * Every data page an address space holds (struct mem_page) is taken from
 * the budget when allocated and given back when its last reference goes.
 * The budget is the free memory of the node, or, with the boot parameter
 * `memory.max_pages=N`, at most N pages (a small node for the exhaustion
 * tests). Page-table nodes are not counted.
 *
 * Out of pages, a write miss answers -ENOMEM (the processor kills the
 * program with SIGBUS and a console line), and new private writable
 * mappings or brk growth bigger than what is left answer -ENOMEM at once,
 * as Linux's heuristic overcommit refuses obvious overcommits.
 * MAP_NORESERVE mappings are admitted regardless.
 *
 * /proc/memnode (handlers.c) shows "pages N" and "max_pages N" (0: no cap).
 * Pure logic: also built by the host tests (tools/testing/memory_test.c).
 *
 * Context: one atomic counter; no lock.
 */
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/string.h>

#include "page_budget.h"

static unsigned int max_pages;	/* 0: no cap but the node's free memory */
static unsigned long pages_in_use;

KERNEL_PARAM("memory.max_pages", param_set_uint, &max_pages,
	     "most data pages the memory node hands out (0: all memory)");

bool page_budget_take(void)
{
	unsigned long now = __atomic_add_fetch(&pages_in_use, 1, __ATOMIC_RELAXED);

	if (max_pages && now > max_pages) {
		page_budget_give();
		return false;
	}
	return true;
}

void page_budget_give(void)
{
	__atomic_sub_fetch(&pages_in_use, 1, __ATOMIC_RELAXED);
}

/* Pages the node could still hand out. */
static unsigned long pages_left(void)
{
	unsigned long used = __atomic_load_n(&pages_in_use, __ATOMIC_RELAXED);

	if (!max_pages)
		return nr_free_pages();
	return used < max_pages ? max_pages - used : 0;
}

bool page_budget_admits(u64 len, u32 prot, u32 flags)
{
	if (!(prot & PROT_WRITE) || (flags & MAP_NORESERVE))
		return true;	/* nothing to back until written, or asked not to */
	return len / PAGE_SIZE <= pages_left();
}

unsigned long page_budget_used(void)
{
	return __atomic_load_n(&pages_in_use, __ATOMIC_RELAXED);
}

unsigned int page_budget_max(void)
{
	return max_pages;
}
