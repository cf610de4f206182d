/* SPDX-License-Identifier: GPL-2.0 */
/* Linux x86-64 time ABI: clock ids, timespec, timeval, timezone. */
#ifndef _UAPI_TIME_H
#define _UAPI_TIME_H

#include <mosaic/types.h>

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11

/* clock_nanosleep() flags */
#define TIMER_ABSTIME			0x01

struct timespec {
	s64 tv_sec;
	s64 tv_nsec;
};

struct timeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

#endif
