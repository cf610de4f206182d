/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data, reached through the GS segment base: %gs:0 holds a pointer to
 * this CPU's struct cpu_local. The boot CPU installs its own in
 * x86_64_start(); each secondary CPU installs its own as it starts.
 */
#ifndef _MOSAIC_PERCPU_H
#define _MOSAIC_PERCPU_H

#include <mosaic/types.h>

struct task;

struct cpu_local {
	struct cpu_local *self;	/* %gs:0, must stay first */
	unsigned int cpu;	/* logical CPU number, 0 = boot CPU */
	unsigned int apic_id;
	struct task *current;	/* the running task (scheduler) */
	int preempt_count;	/* >0: do not switch tasks (include/mosaic/preempt.h) */
	bool need_resched;	/* the scheduler wants this CPU to switch soon */
	unsigned long kernel_stack_top;
	bool online;
	u64 irq_count;
	u64 timer_ticks;
	unsigned long user_rsp_scratch;	/* SYSCALL entry: user rsp until the frame is built */
};

extern struct cpu_local cpu_locals[CONFIG_NR_CPUS];
extern unsigned int nr_cpus_online;

static inline struct cpu_local *this_cpu(void)
{
	struct cpu_local *c;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* Point GS at this CPU's cpu_local (called once per CPU at start). */
void percpu_install(struct cpu_local *c);

#define for_each_online_cpu(i)                                                 \
	for ((i) = 0; (i) < CONFIG_NR_CPUS; (i)++)                             \
		if (cpu_locals[i].online)

#endif
