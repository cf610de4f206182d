// SPDX-License-Identifier: GPL-2.0
/*
 * Task lifetime and kernel threads: allocation of the task and its kernel
 * stack, the first frame a new thread is switched to, exit, join and free.
 *
 * References: a thread starts with two, the creator's handle (dropped by
 * kthread_join() or kthread_detach()) and its own (dropped by the task that
 * runs after it died, in sched_finish_switch(), once nothing runs on its
 * stack). The last task_put() frees the stack and the task.
 *
 * The boot task and the idle tasks are never freed and never exit.
 */
#include <asm/ptrace.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/panic.h>
#include <mosaic/pid.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/string.h>

#include "internal.h"

#define KSTACK_SIZE (PAGE_SIZE << CONFIG_KSTACK_ORDER)

static int next_pid = 1;
static unsigned int next_cpu_hint;

/*
 * What switch_context() pops for a thread that has never run: callee-saved
 * registers (zero; rbp = 0 ends backtraces), then the return address.
 */
struct first_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;
};

void task_init(struct task *t, const char *name, unsigned int cpu)
{
	BUILD_BUG_ON(offsetof(struct task, saved_sp) != 0);	/* switch.S */
	memset(t, 0, sizeof(*t));
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	t->refcount = 1;
	INIT_LIST_HEAD(&t->run_link);
	INIT_LIST_HEAD(&t->sleep_link);
	t->pid = t->tgid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	init_completion(&t->exited);
	strlcpy(t->name, name ? name : "kthread", sizeof(t->name));
	t->umask = 022;
	memcpy(t->rlim, rlimit_defaults, sizeof(t->rlim));
}

static void *stack_alloc(void)
{
	struct page *page = alloc_pages(CONFIG_KSTACK_ORDER);
	u64 *bottom;

	if (!page)
		return NULL;
	bottom = page_address(page);
	*bottom = STACK_END_MAGIC;	/* overwritten = overflow */
	return bottom;
}

void stack_check(const struct task *t)
{
	if ((t->flags & TASK_OWNS_STACK) && *(const u64 *)t->stack != STACK_END_MAGIC)
		panic("sched: kernel stack overflow in %s (pid %d)", t->name, t->pid);
}

/*
 * Lay out the first frame so that after switch_context()'s "ret" the stack
 * pointer is 16-byte aligned, as the call in ret_from_kthread needs. The
 * user register frame's place at the top stays free: clone writes the
 * child's there before the child runs (asm/thread.h).
 */
static void stack_prepare_first_run(struct task *t)
{
	unsigned long below_regs = task_stack_top(t) - ALIGN_UP(sizeof(struct pt_regs), 16);
	struct first_frame *f = (void *)(below_regs - 16 - sizeof(*f));

	memset(f, 0, sizeof(*f));
	f->ret_addr = (unsigned long)ret_from_kthread;
	t->saved_sp = (unsigned long)f;
}

/* A thread that is ready to be queued, or ERR_PTR(-ENOMEM). */
struct task *kthread_alloc(int (*fn)(void *), void *arg, const char *name,
			   unsigned int cpu)
{
	struct task *t = kmalloc(sizeof(*t));

	if (!t)
		return ERR_PTR(-ENOMEM);
	task_init(t, name, cpu);
	t->stack = stack_alloc();
	if (!t->stack) {
		kfree(t);
		return ERR_PTR(-ENOMEM);
	}
	t->stack_size = KSTACK_SIZE;
	t->flags |= TASK_OWNS_STACK;
	t->fn = fn;
	t->arg = arg;
	pid_register(t);
	stack_prepare_first_run(t);
	return t;
}

static void task_free(struct task *t)
{
	BUG_ON(t->state != TASK_DEAD || !(t->flags & TASK_OWNS_STACK));
	pid_unregister(t);
	if (t->flags & TASK_LIMIT_CHARGED)
		task_limit_uncharge();
	arch_task_free(t);
	free_pages_addr(t->stack, CONFIG_KSTACK_ORDER);
	kfree(t);
}

void task_get(struct task *t)
{
	__atomic_add_fetch(&t->refcount, 1, __ATOMIC_RELAXED);
}

void task_put(struct task *t)
{
	if (__atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		task_free(t);
}

struct task *kthread_create_on_cpu(int (*fn)(void *), void *arg, const char *name,
				   unsigned int cpu)
{
	struct task *t;

	if (!fn || cpu >= CONFIG_NR_CPUS || !cpu_locals[cpu].online) {
		pr_warn("kthread: cannot start %s on CPU %u (no function or CPU offline)\n",
			name ? name : "?", cpu);
		return ERR_PTR(-EINVAL);
	}
	if (!__atomic_load_n(&sched_initialized, __ATOMIC_ACQUIRE))
		return ERR_PTR(-EAGAIN);
	t = kthread_alloc(fn, arg, name, cpu);
	if (IS_ERR(t))
		return t;
	t->refcount = 2;	/* the creator's handle and the thread's own */
	sched_add_new_task(t);
	return t;
}

/* The next online CPU in turn: the n-th online CPU for a rising counter n. */
static unsigned int next_cpu_round_robin(void)
{
	unsigned int n = __atomic_fetch_add(&next_cpu_hint, 1, __ATOMIC_RELAXED);
	unsigned int cpu, online = READ_ONCE(nr_cpus_online);

	n %= online ? online : 1;
	for_each_online_cpu(cpu)
		if (n-- == 0)
			return cpu;
	return smp_processor_id();
}

struct task *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	return kthread_create_on_cpu(fn, arg, name, next_cpu_round_robin());
}

/* First code of every new thread (from ret_from_kthread in switch.S). */
__noreturn void kthread_start(struct task *prev)
{
	struct task *self;

	sched_finish_switch(prev);
	local_irq_enable();
	self = current_task();
	kthread_exit(self->fn(self->arg));
}

__noreturn void kthread_exit(int code)
{
	struct task *self = current_task();

	if (!(self->flags & TASK_OWNS_STACK) || (self->flags & TASK_IDLE_FLAG))
		panic("sched: %s (pid %d) cannot exit", self->name, self->pid);
	self->exit_code = code;
	complete_all(&self->exited);
	local_irq_disable();	/* no preemption between DEAD and the switch */
	self->state = TASK_DEAD;
	schedule();
	panic("sched: dead task %s ran again", self->name);
}

int kthread_join(struct task *t)
{
	int code;

	if (t == current_task()) {
		pr_err("kthread: %s tried to join itself\n", t->name);
		return -EINVAL;
	}
	wait_for_completion(&t->exited);
	code = t->exit_code;
	task_put(t);
	return code;
}

void kthread_detach(struct task *t)
{
	task_put(t);
}
