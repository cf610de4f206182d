/* SPDX-License-Identifier: GPL-2.0 */
/* struct sysinfo as Linux x86-64 lays it out (sysinfo(2)): 112 bytes. */
#ifndef _UAPI_SYSINFO_H
#define _UAPI_SYSINFO_H

#include <mosaic/types.h>

struct linux_sysinfo {
	s64 uptime;		/* seconds since boot */
	u64 loads[3];		/* 1, 5, 15 minute load averages << 16 */
	u64 totalram, freeram, sharedram, bufferram;
	u64 totalswap, freeswap;
	u16 procs;
	u16 pad;
	u32 pad2;
	u64 totalhigh, freehigh;
	u32 mem_unit;		/* the unit of the memory fields, in bytes */
	u32 pad3;
};

#endif
