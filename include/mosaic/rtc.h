/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wall clock at boot, from the PC's CMOS real-time clock
 * (drivers/rtc/cmos.c). Read once at boot; afterwards realtime is the boot
 * value plus ktime_ns() (kernel/sys_time.c).
 */
#ifndef _MOSAIC_RTC_H
#define _MOSAIC_RTC_H

#include <mosaic/types.h>

struct rtc_date {
	u32 year;	/* e.g. 2026 */
	u32 month;	/* 1-12 */
	u32 day;	/* 1-31 */
	u32 hour, min, sec;
};

/* Read the CMOS clock: 0, or -EIO when it reports an impossible date. */
int cmos_rtc_read(struct rtc_date *d);

/* Seconds since 1970-01-01 00:00 UTC for a valid date (the RTC keeps UTC). */
u64 rtc_date_to_unix(const struct rtc_date *d);

/*
 * Unix time in nanoseconds when ktime_ns() was 0 (0 when the RTC cannot be
 * read). The first call reads the RTC; later calls return the same value.
 */
u64 rtc_boot_realtime_ns(void);

#endif
