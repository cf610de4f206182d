// SPDX-License-Identifier: GPL-2.0
/*
 * The task limit: how many tasks fork and clone may create (interface in
 * include/mosaic/process.h, "Task limit").
 *
 * Every task made by clone (a process or a thread) is charged to one global
 * count before it is created and uncharged when it is freed. A clone fails
 * with -EAGAIN when the count would pass either
 *   - max_tasks, derived from memory as Linux derives threads-max: the
 *     kernel stacks of all tasks may take at most an eighth of RAM (boot
 *     parameter `max_tasks=N` sets it; 0 or a bad value keeps the default);
 *   - the caller's RLIMIT_NPROC soft limit. Mosaic has one user, so the
 *     count of that user's tasks is the global one.
 * Kernel threads and the runner's programs are not charged: the kernel
 * bounds those itself.
 *
 * /proc/tasks shows "tasks N" and "max_tasks N".
 *
 * Context: the count is one atomic; no lock.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#define MIN_MAX_TASKS 20	/* never fewer, however small the machine */
#define STACK_SHARE_OF_RAM 8	/* stacks may take 1/8 of RAM */

static unsigned int max_tasks_param;	/* 0: derive from memory */
static unsigned long nr_charged_tasks;

KERNEL_PARAM("max_tasks", param_set_uint, &max_tasks_param,
	     "most tasks fork/clone may create (default: from memory)");

unsigned long task_limit_max(void)
{
	unsigned long stack_pages = 1UL << CONFIG_KSTACK_ORDER;
	unsigned long derived = nr_total_pages() / (STACK_SHARE_OF_RAM * stack_pages);

	if (max_tasks_param)
		return max_tasks_param;
	return derived < MIN_MAX_TASKS ? MIN_MAX_TASKS : derived;
}

unsigned long task_limit_count(void)
{
	return __atomic_load_n(&nr_charged_tasks, __ATOMIC_RELAXED);
}

/* The lower of max_tasks and parent's RLIMIT_NPROC soft limit. */
static unsigned long task_limit_for(const struct task *parent)
{
	u64 nproc = parent->rlim[RLIMIT_NPROC].rlim_cur;
	unsigned long max = task_limit_max();

	return nproc < max ? (unsigned long)nproc : max;
}

int task_limit_charge(const struct task *parent)
{
	unsigned long now = __atomic_add_fetch(&nr_charged_tasks, 1, __ATOMIC_RELAXED);

	if (now > task_limit_for(parent)) {
		task_limit_uncharge();
		return -EAGAIN;
	}
	return 0;
}

void task_limit_uncharge(void)
{
	__atomic_sub_fetch(&nr_charged_tasks, 1, __ATOMIC_RELAXED);
}

static long tasks_show(char *buf, size_t size)
{
	return snprintf(buf, size, "tasks %lu\nmax_tasks %lu\n", task_limit_count(),
			task_limit_max());
}

void task_limit_init(void)
{
	if (proc_register("tasks", tasks_show))
		pr_warn("task_limit: could not register /proc/tasks\n");
}
