/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The preempt count: while it is above zero this CPU does not switch tasks
 * on a timer tick. spin_lock() raises it and spin_unlock() lowers it, so a
 * task holding a spinlock is never switched away from (a waiter on the same
 * CPU would otherwise spin for a whole time slice).
 *
 * The count is per CPU (struct cpu_local), not per task: a task may only
 * switch away with a count of zero, except inside the scheduler itself, which
 * hands its run-queue lock (a count of one) over to the next task.
 *
 * preempt_enable() that brings the count back to zero switches at once when
 * the scheduler asked for it (need_resched) and interrupts are on.
 */
#ifndef _MOSAIC_PREEMPT_H
#define _MOSAIC_PREEMPT_H

#include <mosaic/compiler.h>
#include <mosaic/percpu.h>

/* %gs-relative increments: atomic with respect to interrupts on this CPU. */
static __always_inline void preempt_disable(void)
{
	__asm__ volatile("incl %%gs:%c0" ::"i"(offsetof(struct cpu_local, preempt_count))
			 : "memory");
}

static __always_inline int preempt_count(void)
{
	int n;

	__asm__ volatile("movl %%gs:%c1, %0"
			 : "=r"(n)
			 : "i"(offsetof(struct cpu_local, preempt_count)));
	return n;
}

static __always_inline bool need_resched(void)
{
	u8 v;

	__asm__ volatile("movb %%gs:%c1, %0"
			 : "=q"(v)
			 : "i"(offsetof(struct cpu_local, need_resched)));
	return v;
}

/* Switch now if the scheduler asked for it and nothing forbids it. */
void preempt_schedule(void);

/* Lower the count without switching (the scheduler's own hand-over). */
static __always_inline void preempt_enable_no_resched(void)
{
	__asm__ volatile("decl %%gs:%c0" ::"i"(offsetof(struct cpu_local, preempt_count))
			 : "memory");
}

/* A preemption point: switch now if one is due and the count allows it. */
static __always_inline void preempt_check_resched(void)
{
	if (unlikely(need_resched()) && preempt_count() == 0)
		preempt_schedule();
}

static __always_inline void preempt_enable(void)
{
	preempt_enable_no_resched();
	preempt_check_resched();
}

#endif
