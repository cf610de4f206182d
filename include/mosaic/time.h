/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time since boot, from the TSC. tsc_khz starts from CPUID's nominal
 * frequency (or a guess) and is replaced by the calibrated value once the
 * timer code has measured it against the PIT.
 */
#ifndef _MOSAIC_TIME_H
#define _MOSAIC_TIME_H

#include <mosaic/types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

extern u64 tsc_khz;
extern u64 boot_tsc;

void time_early_init(void);
/* Nanoseconds since boot. */
u64 ktime_ns(void);
/* Unix time in nanoseconds: the CMOS clock at boot plus ktime_ns() (kernel/sys_time.c). */
u64 ktime_get_real_ns(void);
/* Busy-wait (no sleeping): for early boot and hardware delays. */
void udelay(u64 us);
void mdelay(u64 ms);

#endif
