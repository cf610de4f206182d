/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks and the scheduler (kernel/sched/).
 *
 * Every CPU has a run queue served round-robin: a task runs for a time slice
 * of a few ticks (boot parameter sched.slice, in ticks) and is then preempted
 * when another task is waiting. A task stays on the CPU it was created on.
 * Each CPU has an idle task that halts when nothing else can run.
 *
 * Kernel threads:
 *   struct task *t = kthread_create(worker, arg, "worker");  // starts it
 *   if (IS_ERR(t)) return PTR_ERR(t);
 *   int code = kthread_join(t);   // waits, returns worker's result
 * A thread ends by returning from its function or calling kthread_exit().
 * Every task handed out by kthread_create*() must be passed once to
 * kthread_join() or kthread_detach().
 *
 * Sleeping: set_current_state(TASK_SLEEPING), check the condition, then
 * schedule() or schedule_timeout(); wait queues (include/mosaic/wait.h) wrap
 * this. A task may sleep only with a zero preempt count (no spinlock held).
 */
#ifndef _MOSAIC_SCHED_H
#define _MOSAIC_SCHED_H

#include <asm/thread.h>
#include <mosaic/list.h>
#include <mosaic/pcache_progress.h>
#include <mosaic/percpu.h>
#include <mosaic/preempt.h>
#include <mosaic/signal.h>
#include <mosaic/types.h>
#include <mosaic/wait.h>
#include <uapi/resource.h>

#define TASK_NAME_LEN 16
/* schedule_timeout() argument meaning "no time limit". */
#define SCHED_TIMEOUT_MAX U64_MAX

enum task_state {
	TASK_RUNNING,	/* running, or waiting on a run queue */
	TASK_SLEEPING,	/* waiting for wake_up_process() or a timeout */
	TASK_DEAD,	/* exited; freed when its last reference goes */
};

#define TASK_IDLE_FLAG (1U << 0)	/* the CPU's idle task: never queued */
#define TASK_OWNS_STACK (1U << 1)	/* the stack was allocated for it */
#define TASK_LIMIT_CHARGED (1U << 2)	/* counted by task_limit_charge() */

struct mm_struct;
struct process;
struct files_struct;
struct fs_struct;

struct task {
	unsigned long saved_sp;		/* first: arch/x86/kernel/switch.S */
	enum task_state state;
	unsigned int flags;
	unsigned int cpu;		/* the run queue it belongs to */
	bool on_rq;			/* queued or running: do not queue again */
	unsigned int slice_left;	/* ticks before it yields to others */
	int refcount;

	struct list_head run_link;	/* on its run queue's runnable list */
	struct list_head sleep_link;	/* on its run queue's timed sleepers */
	u64 wake_at_ns;			/* timed sleep deadline (ktime_ns) */

	int pid, tgid;
	struct list_head pid_link;	/* in the pid hash (kernel/pid.c) */
	struct mm_struct *mm;		/* user address space; NULL for kthreads */
	struct process *proc;		/* its process (include/mosaic/process.h); NULL for kthreads */
	struct list_head thread_link;	/* in proc->threads (process_tree_lock) */
	struct files_struct *files;	/* open fds (include/mosaic/fs.h); NULL for kthreads */
	struct fs_struct *fs;		/* working directory; NULL means "/" */
	char *exe;			/* executable path for /proc/self/exe, or NULL */
	void *stack;			/* lowest address of the kernel stack */
	unsigned long stack_size;

	int (*fn)(void *arg);
	void *arg;
	int exit_code;
	struct completion exited;	/* completed when the thread ends */
	char name[TASK_NAME_LEN];
	struct thread_arch arch;		/* FS/GS bases, FPU state (asm/thread.h) */

	/* Process identity and per-task ABI state (kernel/sys_info.c). */
	int ppid;			/* parent's tgid; 0: none */
	int pgid, sid;			/* 0: not set, reads as the tgid */
	unsigned int umask;		/* 022 at creation */
	unsigned long clear_child_tid;	/* set_tid_address() (user pointer) */
	unsigned long robust_list;	/* set_robust_list() head (user pointer) */
	size_t robust_len;
	struct rlimit64 rlim[RLIM_NLIMITS];	/* from rlimit_defaults at creation */

	/* Signals (include/mosaic/signal.h): per-thread state; zero is "none". */
	ksigset_t sig_blocked;		/* under proc->sighand->lock */
	ksigset_t sig_saved_mask;	/* sigsuspend's: back in force after the handler */
	ksigset_t sig_waiting;		/* rt_sigtimedwait's set (blocked ones wake it too) */
	bool sig_restore_mask;		/* sig_saved_mask is to be restored */
	struct sigpending sig_pending;	/* thread-directed; under proc->sighand->lock */
	unsigned long sas_sp;		/* sigaltstack; own task only */
	unsigned long sas_size;		/* 0: no alternate stack */
	unsigned int sas_flags;		/* SS_AUTODISARM */

	struct pcache_progress pcache_progress;	/* its faults' instruction (pcache/progress.c) */
	unsigned int fail_alloc_exempt;	/* nesting depth; own task only (mm/fail_alloc.c) */
};

/* What a new task starts with (kernel/sys_info.c). */
extern const struct rlimit64 rlimit_defaults[RLIM_NLIMITS];

/* The task running on this CPU (NULL before sched_init() reaches it). */
static inline struct task *current_task(void)
{
	return this_cpu()->current;
}

static inline unsigned long task_stack_top(const struct task *t)
{
	return (unsigned long)t->stack + t->stack_size;
}

/*
 * Mark the running task as going to sleep, or running again. The full
 * barrier orders the store before the caller's check of its condition.
 * Before the scheduler runs there is no task, and nothing to mark.
 */
static inline void set_current_state(enum task_state state)
{
	struct task *self = current_task();

	if (self)
		__atomic_store_n(&self->state, state, __ATOMIC_SEQ_CST);
}

/* Bring up the run queues; the caller becomes the boot CPU's first task. */
void sched_init(void);
/* True once this CPU runs the scheduler (before that, sleeping busy-waits). */
bool sched_running(void);

/* Give up the CPU; returns when current is chosen again (and is RUNNING). */
void schedule(void);
/* Let other runnable tasks on this CPU go first. */
void yield(void);
/* Make a sleeping task runnable. Returns false if it was not sleeping. */
bool wake_up_process(struct task *t);

/*
 * Sleep until woken or timeout_ns has passed (tick resolution); the caller
 * sets TASK_SLEEPING first. Returns the nanoseconds left, 0 on timeout.
 */
u64 schedule_timeout(u64 timeout_ns);
void msleep(unsigned int ms);

/* Kernel threads. Errors: ERR_PTR(-ENOMEM), ERR_PTR(-EINVAL) (bad CPU or fn). */
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name);
struct task *kthread_create_on_cpu(int (*fn)(void *), void *arg, const char *name,
				   unsigned int cpu);
__noreturn void kthread_exit(int code);
/* Wait for t to end; returns its exit code and drops the creator's reference. */
int kthread_join(struct task *t);
/* Drop the creator's reference: the thread is freed when it ends. */
void kthread_detach(struct task *t);

void task_get(struct task *t);
void task_put(struct task *t);

/* Hooks called by arch code (LAPIC timer, interrupt exit, secondary CPUs). */
struct pt_regs;
void sched_tick(struct pt_regs *regs);
void sched_preempt_irq(struct pt_regs *regs);
__noreturn void cpu_idle_loop(void);

#endif
