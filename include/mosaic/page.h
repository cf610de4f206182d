/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's virtual layout:
 *   0x0000000000000000 - 0x00007fffffffffff  user space
 *   0xffff888000000000 -                      direct map of all physical RAM
 *   0xffffffff80000000 -                      kernel image (physical 1 MiB + )
 */
#ifndef _MOSAIC_PAGE_H
#define _MOSAIC_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define HUGE_PAGE_SHIFT 21
#define HUGE_PAGE_SIZE (1UL << HUGE_PAGE_SHIFT)

#define DIRECT_MAP_BASE 0xffff888000000000UL
#define KERNEL_VIRT_BASE 0xffffffff80000000UL
#define KERNEL_PHYS_BASE 0x100000UL
#define USER_SPACE_END 0x0000800000000000UL

#ifndef __ASSEMBLY__
#include <mosaic/types.h>

static inline void *__va(phys_addr_t pa) { return (void *)(pa + DIRECT_MAP_BASE); }
static inline phys_addr_t __pa(const void *va)
{
	unsigned long v = (unsigned long)va;

	return v >= KERNEL_VIRT_BASE ? v - KERNEL_VIRT_BASE : v - DIRECT_MAP_BASE;
}
#endif

#endif
