/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory node's page budget (private to managers/memory): how many
 * data pages all address spaces may hold, and the admission check that
 * refuses a mapping or brk that could never be backed.
 */
#ifndef _MEMORY_PAGE_BUDGET_H
#define _MEMORY_PAGE_BUDGET_H

#include <mosaic/types.h>

/* Take one page from the budget (false: the node is out of pages); give it back. */
bool page_budget_take(void);
void page_budget_give(void);
/* May a mapping of len bytes with prot and flags (MAP_*) be made? */
bool page_budget_admits(u64 len, u32 prot, u32 flags);
/* Pages held now, and the cap (0: none): /proc/memnode. */
unsigned long page_budget_used(void);
unsigned int page_budget_max(void);

#endif
