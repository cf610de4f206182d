/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation failure injection (mm/fail_alloc.c), for testing the ENOMEM
 * paths. Writing "N" to /proc/fail_alloc makes every Nth allocation
 * (kmalloc, kmem_cache_alloc, alloc_pages) made on behalf of a user task
 * fail, counted from the write; "0" turns it off. Kernel threads, interrupt
 * context and boot are never failed: the switch tests what a system call or
 * a fault does with NULL, not whether the kernel can run without memory.
 * Reading the file shows "interval N", "failed N" and "checked N".
 *
 * Between fail_alloc_exempt_begin() and _end() (they nest) the running task's
 * allocations are never failed. The user: a dirty line's write-back
 * (pcache_writeback_line()), which is reclaim, not the task's own work: it
 * may write another process's line back, and a refused write-back kills
 * that line's owners. With role "all" the memory manager's side of the
 * FLUSH runs inline in the task and is exempt too; on a cluster it runs on
 * another node, where the switch never reaches.
 */
#ifndef _MOSAIC_FAIL_ALLOC_H
#define _MOSAIC_FAIL_ALLOC_H

#include <mosaic/types.h>

/* True when this allocation is to fail. Cheap when the switch is off. */
bool should_fail_alloc(void);
void fail_alloc_exempt_begin(void);
void fail_alloc_exempt_end(void);
/* Register /proc/fail_alloc. */
void fail_alloc_init(void);

#endif
