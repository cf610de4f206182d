/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler internals shared by the files of kernel/sched/: the per-CPU run
 * queue and the helpers that must run under its lock. See core.c for the
 * locking rules.
 */
#ifndef _KERNEL_SCHED_INTERNAL_H
#define _KERNEL_SCHED_INTERNAL_H

#include <mosaic/panic.h>
#include <mosaic/sched.h>
#include <mosaic/spinlock.h>

#define STACK_END_MAGIC 0x57ac6e5d57ac6e5dULL	/* at the bottom of owned stacks */

struct run_queue {
	spinlock_t lock;		/* guards everything below */
	struct list_head runnable;	/* RUNNING tasks waiting for the CPU, FIFO */
	struct list_head sleepers;	/* tasks in a timed sleep, unordered */
	struct task *curr;		/* also cpu_locals[cpu].current */
	struct task *idle;
	unsigned int nr_runnable;
	unsigned int cpu;
	bool ready;			/* this CPU has entered the scheduler */
	u64 nr_switches;
	u64 nr_ticks;			/* sched_tick() calls on this CPU */
};

extern struct run_queue run_queues[CONFIG_NR_CPUS];
extern unsigned int sched_slice_ticks;

/* The "Context: rq->lock held" assertion. */
#define assert_rq_locked(rq) BUG_ON(!spin_is_held(&(rq)->lock))

static inline struct run_queue *this_rq(void)
{
	return &run_queues[smp_processor_id()];
}

static inline struct run_queue *task_rq(const struct task *t)
{
	return &run_queues[t->cpu];
}

/* core.c */
void rq_init(struct run_queue *rq, unsigned int cpu);
void rq_enqueue(struct run_queue *rq, struct task *t);
bool wake_task_locked(struct run_queue *rq, struct task *t);
void sched_add_new_task(struct task *t);
void rq_start(struct run_queue *rq, struct task *idle, struct task *first);
void sched_finish_switch(struct task *prev);

/* sleep.c */
void wake_expired_sleepers(struct run_queue *rq, u64 now);

/* kthread.c */
void task_init(struct task *t, const char *name, unsigned int cpu);
struct task *kthread_alloc(int (*fn)(void *), void *arg, const char *name,
			   unsigned int cpu);
void stack_check(const struct task *t);
__noreturn void kthread_start(struct task *prev);

/* idle.c */
extern bool sched_initialized;

/* arch/x86/kernel/switch.S */
struct task *switch_context(struct task *prev, struct task *next);
void ret_from_kthread(void);

/* arch (cpu helper): TSS.RSP0 for the next task, reschedule IPI. */
void arch_set_kernel_stack(unsigned long top);
void smp_send_reschedule(unsigned int cpu);

#endif
