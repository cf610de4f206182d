/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for include/mosaic/percpu.h: one CPU, CPU 0, whose
 * struct cpu_local lives in the shim (stubs.c) instead of behind %gs.
 */
#ifndef _MOSAIC_PERCPU_H
#define _MOSAIC_PERCPU_H

#include <mosaic/types.h>

struct task;

struct cpu_local {
	struct cpu_local *self;
	unsigned int cpu;
	unsigned int apic_id;
	struct task *current;
	unsigned long kernel_stack_top;
	bool online;
	u64 irq_count;
	u64 timer_ticks;
};

extern struct cpu_local host_cpu0;
extern unsigned int nr_cpus_online;

static inline struct cpu_local *this_cpu(void) { return &host_cpu0; }
static inline void percpu_install(struct cpu_local *c) { }

#define for_each_online_cpu(i) for ((i) = 0; (i) < 1; (i)++)

#endif
