// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler core: per-CPU run queues served round-robin, the switch
 * between tasks, wake-ups (local and cross-CPU) and preemption.
 *
 * Interface: include/mosaic/sched.h. Arch code calls sched_tick() on every
 * timer tick and sched_preempt_irq() at the end of every interrupt.
 *
 * Preemption rule: every spinlock raises the per-CPU preempt count
 * (include/mosaic/preempt.h). A task is switched away from involuntarily
 * only when that count is zero and the interrupted code had interrupts on,
 * so code holding a spinlock (or running with interrupts off) is never
 * preempted. Calling schedule() with a spinlock held is a bug (warned).
 *
 * Lock order (outer first):
 *   wait_queue_head.lock -> run_queue.lock
 * Two run-queue locks are never held together: tasks never change CPU, so
 * no operation needs both. run_queue.lock is always taken with interrupts
 * off (the tick takes it from interrupt context). It guards the run queue's
 * lists and, for the tasks of that CPU, on_rq, slice_left, sleep_link and
 * every state change made by someone other than the task itself.
 *
 * The switch hand-over: __schedule() switches with this CPU's run-queue lock
 * held; whoever runs next (a resumed task returning from switch_context(),
 * or a new thread in kthread_start()) releases it in sched_finish_switch().
 * A task that died gives up its last "running" reference there, when the
 * switch has already taken the CPU off its stack.
 */
#include <asm/ptrace.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

#include "internal.h"

#define X86_FLAGS_IF (1UL << 9)
#define DEFAULT_SLICE_TICKS 3
#define MAX_SLICE_TICKS 100

struct run_queue run_queues[CONFIG_NR_CPUS];
unsigned int sched_slice_ticks = DEFAULT_SLICE_TICKS;

static int param_set_slice(const char *val, const struct kernel_param *kp)
{
	unsigned int ticks;
	int err = val ? kstrtouint(val, 0, &ticks) : -EINVAL;

	if (err)
		return err;
	if (ticks < 1 || ticks > MAX_SLICE_TICKS)
		return -ERANGE;
	sched_slice_ticks = ticks;
	return 0;
}
KERNEL_PARAM("sched.slice", param_set_slice, NULL, "time slice in timer ticks (1-100)");

void rq_init(struct run_queue *rq, unsigned int cpu)
{
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->runnable);
	INIT_LIST_HEAD(&rq->sleepers);
	rq->cpu = cpu;
}

/* Context: rq->lock held. */
void rq_enqueue(struct run_queue *rq, struct task *t)
{
	assert_rq_locked(rq);
	list_add_tail(&t->run_link, &rq->runnable);
	rq->nr_runnable++;
	t->on_rq = true;
}

/* Context: rq->lock held. */
static struct task *rq_pick_next(struct run_queue *rq)
{
	struct task *next;

	assert_rq_locked(rq);
	if (list_empty(&rq->runnable))
		return rq->idle;
	next = list_first_entry(&rq->runnable, struct task, run_link);
	list_del_init(&next->run_link);
	rq->nr_runnable--;
	return next;
}

/*
 * Decide where prev goes as it leaves the CPU. A preempted task stays
 * runnable even if it had marked itself sleeping: it goes to sleep itself
 * when it runs again (no wake-up can be lost that way).
 * Context: rq->lock held.
 */
static void rq_put_prev(struct run_queue *rq, struct task *prev, bool preempted)
{
	if (prev == rq->idle)
		return;
	if (prev->state == TASK_RUNNING || (preempted && prev->state == TASK_SLEEPING))
		rq_enqueue(rq, prev);
	else
		prev->on_rq = false;
}

/*
 * A CPU running its idle task must notice new work: flag it and, when it
 * is another CPU, interrupt its halt. Context: rq->lock held.
 */
static void kick_idle_cpu(struct run_queue *rq)
{
	if (rq->curr != rq->idle)
		return;
	WRITE_ONCE(cpu_locals[rq->cpu].need_resched, true);
	if (rq->cpu != smp_processor_id() && rq->ready)
		smp_send_reschedule(rq->cpu);
}

/* Make t runnable if it sleeps. Context: rq->lock held, rq == task_rq(t). */
bool wake_task_locked(struct run_queue *rq, struct task *t)
{
	assert_rq_locked(rq);
	if (t->state != TASK_SLEEPING)
		return false;
	t->state = TASK_RUNNING;
	if (!t->on_rq) {
		rq_enqueue(rq, t);
		kick_idle_cpu(rq);
	}
	return true;
}

bool wake_up_process(struct task *t)
{
	struct run_queue *rq;
	unsigned long flags;
	bool woke;

	if (!t)
		return false;
	rq = task_rq(t);
	flags = spin_lock_irqsave(&rq->lock);
	woke = wake_task_locked(rq, t);

	spin_unlock_irqrestore(&rq->lock, flags);
	return woke;
}

/* Queue a thread that has never run. */
void sched_add_new_task(struct task *t)
{
	struct run_queue *rq = task_rq(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	rq_enqueue(rq, t);
	kick_idle_cpu(rq);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/*
 * Second half of a switch, run by the task that now owns the CPU.
 * Context: this CPU's rq->lock held, interrupts off; releases the lock.
 */
void sched_finish_switch(struct task *prev)
{
	bool prev_dead = prev->state == TASK_DEAD;

	spin_unlock(&this_rq()->lock);
	if (prev_dead)
		task_put(prev);
}

/* Context: rq->lock held, interrupts off. Returns the task switched from. */
static struct task *context_switch(struct run_queue *rq, struct task *prev,
				   struct task *next)
{
	rq->curr = next;
	rq->nr_switches++;
	this_cpu()->current = next;
	if (next->flags & TASK_OWNS_STACK) {
		this_cpu()->kernel_stack_top = task_stack_top(next);
		arch_set_kernel_stack(task_stack_top(next));
	}
	arch_context_switch(prev, next);
	return switch_context(prev, next);
}

static void __schedule(bool preempted)
{
	unsigned long flags = local_irq_save();
	struct run_queue *rq = this_rq();
	struct task *prev = rq->curr, *next;

	spin_lock(&rq->lock);
	stack_check(prev);
	rq_put_prev(rq, prev, preempted);
	next = rq_pick_next(rq);
	next->slice_left = sched_slice_ticks;
	WRITE_ONCE(this_cpu()->need_resched, false);
	if (next != prev)
		prev = context_switch(rq, prev, next);
	sched_finish_switch(prev);
	local_irq_restore(flags);
}

bool sched_running(void)
{
	return READ_ONCE(this_rq()->ready);
}

void schedule(void)
{
	if (!sched_running())
		return;
	if (preempt_count() != 0) {
		pr_err("sched: %s (pid %d) tried to sleep holding a spinlock (preempt count %d)\n",
		       current_task()->name, current_task()->pid, preempt_count());
		WARN_ON(1);
		return;
	}
	__schedule(false);
}

void yield(void)
{
	set_current_state(TASK_RUNNING);
	schedule();
}

/* Called by preempt_enable() and spin_unlock() when a switch is due. */
void preempt_schedule(void)
{
	if (preempt_count() || irqs_disabled() || !sched_running())
		return;
	__schedule(true);
}

/*
 * End of an interrupt: switch if the tick or a wake-up asked for it. The
 * interrupted frame stays on the old task's stack until it runs again.
 */
void sched_preempt_irq(struct pt_regs *regs)
{
	if (!need_resched() || preempt_count() || !(regs->rflags & X86_FLAGS_IF))
		return;
	if (!sched_running())
		return;
	__schedule(true);
}

/* Charge a tick to the running task. Context: rq->lock held. */
static bool tick_slice_expired(struct run_queue *rq)
{
	struct task *t = rq->curr;

	if (t == rq->idle)
		return rq->nr_runnable > 0;
	if (t->slice_left)
		t->slice_left--;
	return t->slice_left == 0 && rq->nr_runnable > 0;
}

/* An unbalanced spin_unlock() would stop preemption on this CPU for good. */
static void check_preempt_count(void)
{
	if (unlikely(preempt_count() < 0)) {
		pr_err("sched: CPU %u preempt count %d (unlock without lock); reset\n",
		       smp_processor_id(), preempt_count());
		this_cpu()->preempt_count = 0;
	}
}

void sched_tick(struct pt_regs *regs)
{
	struct run_queue *rq = this_rq();

	WRITE_ONCE(rq->nr_ticks, rq->nr_ticks + 1);
	if (!READ_ONCE(rq->ready))
		return;
	check_preempt_count();
	spin_lock(&rq->lock);	/* interrupt context: interrupts are off */
	wake_expired_sleepers(rq, ktime_ns());
	if (tick_slice_expired(rq))
		WRITE_ONCE(this_cpu()->need_resched, true);
	spin_unlock(&rq->lock);
}

/* This CPU starts scheduling: first runs now, idle when nothing else can. */
void rq_start(struct run_queue *rq, struct task *idle, struct task *first)
{
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	idle->flags |= TASK_IDLE_FLAG;
	idle->on_rq = true;
	rq->idle = idle;
	rq->curr = first;
	first->on_rq = true;
	first->slice_left = sched_slice_ticks;
	this_cpu()->current = first;
	WRITE_ONCE(rq->ready, true);
	spin_unlock_irqrestore(&rq->lock, flags);
}
