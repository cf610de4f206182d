// SPDX-License-Identifier: GPL-2.0
/*
 * show_all_tasks(): one line per task and, for each sleeping one, the call
 * trace of where it sleeps. The lockup watchdog sees CPUs that spin; a hang
 * where every task sleeps (a lost wake-up) shows only here. Typing ^] t on
 * the serial console asks for it (fs/console.c), and scripts/mosaic-run
 * does so before it kills a boot that timed out.
 *
 * A sleeping task's stack holds what switch_context() pushed: r15, r14,
 * r13, r12, rbx, rbp from saved_sp up, then the return address into the
 * scheduler. The task may wake while it is printed: its trace is then
 * stale but harmless (the reference keeps the stack, the walk only reads).
 */
#include <mosaic/panic.h>
#include <mosaic/pid.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>

#define DUMP_MAX_TASKS 512
#define SWITCH_FRAME_RBP 5	/* words above saved_sp */
#define SWITCH_FRAME_RET 6

static bool any_task(const struct task *t, const void *unused)
{
	return true;
}

static const char *task_state_name(const struct task *t)
{
	switch (READ_ONCE(t->state)) {
	case TASK_RUNNING:
		return "running";
	case TASK_SLEEPING:
		return "sleeping";
	default:
		return "dead";
	}
}

/* The saved frame lies inside the task's own stack (not a stale pointer). */
static bool saved_frame_plausible(const struct task *t, unsigned long sp)
{
	unsigned long low = (unsigned long)t->stack;

	return t->stack && sp >= low && sp + (SWITCH_FRAME_RET + 1) * sizeof(long) <=
	       task_stack_top(t);
}

static void show_task(struct task *t)
{
	unsigned long sp = READ_ONCE(t->saved_sp);

	printk(KERN_EMERG "task %d (tgid %d) %s: %s on cpu %u\n", t->pid, t->tgid, t->name,
	       task_state_name(t), t->cpu);
	if (READ_ONCE(t->state) != TASK_SLEEPING || !saved_frame_plausible(t, sp))
		return;
	show_backtrace(((unsigned long *)sp)[SWITCH_FRAME_RBP],
		       ((unsigned long *)sp)[SWITCH_FRAME_RET]);
}

void show_all_tasks(void)
{
	static struct task *tasks[DUMP_MAX_TASKS];	/* one dump at a time: below */
	static bool dumping;
	int n;

	if (__atomic_exchange_n(&dumping, true, __ATOMIC_ACQUIRE))
		return;	/* a dump is already printing */
	n = tasks_collect(any_task, NULL, tasks, DUMP_MAX_TASKS);
	printk(KERN_EMERG "tasks: %d%s\n", n, n == DUMP_MAX_TASKS ? " (list cut)" : "");
	for (int i = 0; i < n; i++) {
		show_task(tasks[i]);
		task_put(tasks[i]);
	}
	printk(KERN_EMERG "tasks: end\n");
	__atomic_store_n(&dumping, false, __ATOMIC_RELEASE);
}
