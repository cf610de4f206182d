/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation failure injection (mm/fail_alloc.c), for testing the ENOMEM
 * paths. Writing "N" to /proc/fail_alloc makes every Nth allocation
 * (kmalloc, kmem_cache_alloc, alloc_pages) made on behalf of a user task
 * fail, counted from the write; "0" turns it off. Kernel threads, interrupt
 * context and boot are never failed: the switch tests what a system call or
 * a fault does with NULL, not whether the kernel can run without memory.
 * Reading the file shows "interval N", "failed N" and "checked N".
 */
#ifndef _MOSAIC_FAIL_ALLOC_H
#define _MOSAIC_FAIL_ALLOC_H

#include <mosaic/types.h>

/* True when this allocation is to fail. Cheap when the switch is off. */
bool should_fail_alloc(void);
/* Register /proc/fail_alloc. */
void fail_alloc_init(void);

#endif
