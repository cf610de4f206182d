/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Profile points: cheap rdtsc timers around the hot paths (fault, fill,
 * eviction, write-back, rmap walk, RPC, exec steps). Each point keeps a
 * count, the total, the shortest and the longest number of TSC cycles
 * spent in it; /proc/profile shows them (with the average and the minimum
 * in ns: the minimum is the path's own cost, free of interrupts and of
 * the other guest CPU),
 * writing "reset" to it zeroes them (kernel/profile.c).
 *
 *	u64 t = profile_start();
 *	... the work ...
 *	profile_end(PROF_MISS_RPC, t);
 *
 * Points nest freely (a fault contains its MISS RPC): each times its own
 * span. With CONFIG_PROFILE off both calls compile to nothing. Safe from
 * any context (atomic adds, no lock).
 */
#ifndef _MOSAIC_PROFILE_H
#define _MOSAIC_PROFILE_H

#include <mosaic/types.h>

/* name, what it times */
#define PROFILE_POINTS(P)                                                          \
	P(fault, "pcache_handle_fault(), entry to return")                         \
	P(line_alloc, "finding a free way (evicting if the set is full)")          \
	P(miss_rpc, "the MISS RPC of a fault, request to reply")                   \
	P(zero_fill, "clearing a line the memory node answered \"zero\" for")      \
	P(data_fill, "copying a MISS reply's page into its line")                  \
	P(pte_install, "installing the pte and its rmap entry")                    \
	P(evict, "evicting one batch of a set (pcache_evict_one)")                 \
	P(writeback, "one FLUSH of a dirty line to the memory node")               \
	P(shootdown, "one eviction's TLB shootdown (IPIs to the mm's other CPUs)")  \
	P(rmap_walk, "one rmap_walk() over a line's mappings")                     \
	P(rpc_local, "an RPC served by this node's own handler")                   \
	P(rpc_remote, "an RPC sent to another node (Ethernet)")                    \
	P(mem_miss, "the memory node serving one MISS")                            \
	P(exec, "process_exec_image(): the whole EXEC, as the processor sees it")  \
	P(exec_open, "the memory node opening the program on the storage node")    \
	P(exec_parse, "parsing the ELF headers")                                   \
	P(exec_load, "mapping and copying the PT_LOAD segments")                   \
	P(exec_read, "one READ of the program file from the storage node")         \
	P(exec_stack, "building the initial stack")                                \
	P(exec_switch, "dropping the old address space after a successful exec")      \
	P(mm_zap, "zapping every pte of an address space that ends")               \
	P(mm_exit_rpc, "the EXIT RPC: the memory node frees the space")

#define PROFILE_ENUM(name, what) PROF_##name,
enum profile_point { PROFILE_POINTS(PROFILE_ENUM) PROF_NR_POINTS };
#undef PROFILE_ENUM

struct profile_stat {
	u64 count;
	u64 cycles;	/* total */
	u64 min;	/* the shortest single span (0: none yet) */
	u64 max;	/* the longest single span */
};

#if defined(CONFIG_PROFILE) && !defined(__MOSAIC_HOST_TEST__)
#include <asm/x86.h>

static inline u64 profile_start(void)
{
	return rdtsc();
}

void profile_record(enum profile_point point, u64 cycles);

static inline void profile_end(enum profile_point point, u64 start)
{
	profile_record(point, rdtsc() - start);
}
#else
static inline u64 profile_start(void)
{
	return 0;
}

static inline void profile_end(enum profile_point point, u64 start)
{
}
#endif

/* A copy of one point's numbers (all zero with CONFIG_PROFILE off). */
struct profile_stat profile_read(enum profile_point point);
/* Zero every point. */
void profile_reset(void);
/* Register /proc/profile. */
void profile_init(void);

#endif
