/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random bytes for the kernel (AT_RANDOM, getrandom). Implemented in
 * kernel/sys_random.c: the CPU's RDRAND/RDSEED when CPUID reports them,
 * mixed with a software generator seeded from the TSC and the RTC (the
 * only source when the CPU has neither; then the bytes are unpredictable
 * to programs but not of cryptographic strength).
 *
 * Context: any task context; takes a spinlock, never sleeps.
 */
#ifndef _MOSAIC_RANDOM_H
#define _MOSAIC_RANDOM_H

#include <mosaic/types.h>

void get_random_bytes(void *buf, size_t len);
u64 get_random_u64(void);

#endif
