/* SPDX-License-Identifier: GPL-2.0 */
/* The address space object shared by the memory manager's files (private). */
#ifndef _MEMORY_SPACE_H
#define _MEMORY_SPACE_H

#include <mosaic/list.h>
#include <mosaic/memory.h>
#include <mosaic/spinlock.h>

#include "pagetable.h"
#include "vma.h"

struct mem_space {
	struct list_head hash_link;	/* in the registry, under mem_registry_lock */
	int node;
	u32 tgid;
	u32 refs;			/* under mem_registry_lock */
	spinlock_t lock;		/* vs and pt */
	struct vma_space vs;
	struct page_table pt;
};

/* Top of every user stack and the stack vma's size (no randomization yet). */
#define MEM_STACK_TOP	VMA_TASK_SIZE
#define MEM_STACK_SIZE	(8UL << 20)

/*
 * Copy len bytes into the space's pages at addr, allocating them.
 * Context: ms->lock held. 0 or -ENOMEM.
 */
int mem_space_write(struct mem_space *ms, unsigned long addr, const void *src, size_t len);

#endif
