/* SPDX-License-Identifier: GPL-2.0 */
/* Linux resource limits (getrlimit, setrlimit, prlimit64). */
#ifndef _UAPI_RESOURCE_H
#define _UAPI_RESOURCE_H

#include <mosaic/types.h>

#define RLIMIT_CPU		0
#define RLIMIT_FSIZE		1
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16

#define RLIM_INFINITY		(~0ULL)

/* struct rlimit has the same layout on x86-64 (two unsigned longs). */
struct rlimit64 {
	u64 rlim_cur;
	u64 rlim_max;
};

#endif
