/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals (kernel/signal.c, kernel/signal_syscalls.c, frames in
 * arch/x86/kernel/signal.c; Documentation/signals.md).
 *
 * State. A process has an action table (struct sighand, shared by the
 * threads and by CLONE_SIGHAND children; allocated on first use) and a
 * pending set for process-directed signals; each task has a blocked mask,
 * a pending set for thread-directed signals and a sigaltstack. All of it
 * is guarded by sighand->lock (irqsave), except the alternate stack, which
 * only its own task touches.
 *
 * Sending: send_signal() (one thread), send_signal_process() (the process:
 * every thread not blocking it is woken; the first back to user mode takes
 * it), send_sigchld(). A signal is delivered in exit_to_user_mode(): a
 * handler frame is built, or the default action runs (death goes through
 * process_exit(W_SIGNALED(sig))).
 *
 * Interruptible sleeps. Sending wakes the target if it sleeps (any sleep:
 * every sleeper must tolerate a spurious wake-up, as wait_event() does).
 * A sleeper a signal should interrupt checks signal_pending(self) after
 * marking itself sleeping and after every wake-up:
 *
 *   for (;;) {
 *           prepare_to_wait(&wq, &w);
 *           if (cond) break;
 *           if (signal_pending(self)) { err = -ERESTARTSYS; break; }
 *           schedule();
 *   }
 *   finish_wait(&wq, &w);
 *
 * and returns -EINTR (never restarted), -ERESTARTSYS (restarted when the
 * handler has SA_RESTART, and when no handler runs), or -ERESTARTNOHAND
 * (restarted only when no handler runs). Linux's choice per call applies:
 * read/write/wait4/futex -ERESTARTSYS, nanosleep -EINTR (no restart block
 * here), pause/sigsuspend -ERESTARTNOHAND.
 */
#ifndef _MOSAIC_SIGNAL_H
#define _MOSAIC_SIGNAL_H

#include <mosaic/spinlock.h>
#include <mosaic/types.h>
#include <uapi/signal.h>

struct pt_regs;
struct process;
struct task;

/* Where a pending signal came from (becomes the handler's siginfo). */
struct sig_source {
	int code;			/* si_code */
	int pid;			/* sender's tgid, or SIGCHLD's child */
	unsigned long value;		/* fault address, or SIGCHLD's status */
};

/* A set of pending signals; standard signals do not queue, nor do RT ones here. */
struct sigpending {
	ksigset_t set;
	struct sig_source source[_NSIG];
};

/* The action table. */
struct sighand {
	int refcount;
	spinlock_t lock;
	struct k_sigaction action[_NSIG];
};

static inline ksigset_t sigmask(int sig) { return 1ULL << (sig - 1); }

/* Signals no mask or handler may touch. */
#define SIG_UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

/*
 * The last kernel work before a task returns to user mode, from a system
 * call or any interrupt or exception that came from ring 3: deliver pending
 * signals (build the frame in regs), or end the thread when its group is
 * exiting. Context: interrupts on, no locks held; may not return.
 */
void exit_to_user_mode(struct pt_regs *regs);

/* True when t has a pending signal it does not block. Lock-free (a hint). */
bool signal_pending(struct task *t);

/*
 * Post sig to one task / to its whole process (sig 1.._NSIG). 0, or
 * -EINVAL (bad sig), -ESRCH (no process), -ENOMEM (no action table).
 * An ignored signal is dropped. Context: any task, no locks held.
 */
int send_signal(struct task *t, int sig);
int send_signal_process(struct process *p, int sig);
/*
 * sig to every process of group pgid (0: every process but init), as
 * kill(-pgid) would. 0, -ESRCH (nobody), -EINVAL. Context: process context.
 */
int kill_pgrp(int pgid, int sig);
/* The same with a source (si_code, pid, value) for the handler's siginfo. */
int send_signal_info(struct task *t, struct process *p, int sig, const struct sig_source *src);
/*
 * SIGCHLD to parent about a child whose state changed to wait status
 * wstatus (ended, stopped or continued).
 */
int send_sigchld(struct process *parent, int child_pid, int wstatus);
/* The siginfo a handler or sigtimedwait gets for sig sent from src. */
void siginfo_from_source(struct k_siginfo *info, int sig, const struct sig_source *src);
/* The siginfo of a wait status: returns si_code (CLD_*), *si_status as waitid reports it. */
int wait_status_to_cld(int wstatus, int *si_status);

/*
 * A user fault of the running task (fault_hook.c): queue sig for its
 * handler, or, when the signal is blocked, ignored or not caught, kill the
 * process with a console line "PROG (pid N): WHY at ADDR: signal SIG".
 * Returns only when a handler will run (on the way back to user mode).
 */
void force_sig_fault_why(int sig, int si_code, unsigned long addr, const char *why);
void force_sig_fault(int sig, int si_code, unsigned long addr);

/*
 * Lifecycle (for fork, exec and exit):
 * signal_fork: child gets parent's actions, shared (CLONE_SIGHAND) or copied;
 *   its pending set starts empty. 0 or -ENOMEM.
 * signal_task_init: a new task inherits parent's blocked mask; nothing pending.
 * signal_exec_reset: caught signals go back to SIG_DFL (ignored stay ignored),
 *   a shared table is unshared, the caller's altstack is dropped.
 * signal_task_exit: the exiting task's private pending signals are dropped.
 * signal_process_release: drop p's action table (the process is being freed).
 */
int signal_fork(struct process *parent, struct process *child, bool share);
void signal_task_init(struct task *child, const struct task *parent);
void signal_exec_reset(struct process *p);
void signal_task_exit(struct task *t);
void signal_process_release(struct process *p);

/* --- Between kernel/signal*.c and the arch frame code --- */

/* A signal chosen for delivery, with the action as it was when chosen. */
struct ksignal {
	int sig;
	struct k_sigaction action;
	struct sig_source source;
};

/*
 * Arch: build the rt_sigframe for ks on the user stack (or altstack) and
 * point regs at the handler; saved_mask goes into uc_sigmask. 0 or -EFAULT.
 */
int arch_setup_rt_frame(struct ksignal *ks, ksigset_t saved_mask, struct pt_regs *regs);

/* Lock and return p's action table, allocating it on first use (NULL: no memory). */
struct sighand *sighand_lock(struct process *p, unsigned long *flags);
void sighand_unlock(struct sighand *sh, unsigned long flags);

/* Is ignoring sig its default action (CHLD, URG, WINCH, CONT)? */
bool sig_default_ignored(int sig);

/*
 * Job control (kernel/signal_jobctl.c):
 * sig_is_stop: SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU.
 * jobctl_post_locked: sig is being posted to p (t: the target thread, or
 *   NULL): SIGCONT drops pending stops and resumes a stopped p (true: call
 *   jobctl_continued() once the lock is dropped); a stop drops a pending
 *   SIGCONT. Context: p's sighand->lock held.
 * jobctl_stop_locked: a stop signal with the default action was dequeued:
 *   p stops (true: it was running; call jobctl_stopped() after the lock).
 *   Context: p's sighand->lock held.
 * jobctl_stopped / jobctl_continued: tell the parent (SIGCHLD unless
 *   SA_NOCLDSTOP, and its waiters), wake p's threads. Context: no locks.
 * jobctl_stop_wait: sleep while self's process is stopped, until SIGCONT,
 *   SIGKILL or a group exit. Context: on the way to user mode, no locks.
 * jobctl_take_report: the stop/continue status of child that wait's
 *   options (WSTOPPED, WCONTINUED, WNOWAIT) select, consumed; 0: none.
 */
bool sig_is_stop(int sig);
/* Wake every thread of p that does not block sig (0: every thread; at most 64). */
void wake_process_threads(struct process *p, int sig);
bool jobctl_post_locked(struct process *p, struct task *t, int sig);
bool jobctl_stop_locked(struct process *p, int sig);
void jobctl_stopped(struct process *p, int sig);
void jobctl_continued(struct process *p);
void jobctl_stop_wait(struct task *self);
int jobctl_take_report(struct process *child, int options);

/* Set the running task's blocked mask (SIGKILL/SIGSTOP stripped). */
void signal_set_blocked(ksigset_t mask);

/* Altstack of the running task: is sp on it; and its state as a stack_t. */
bool on_sig_stack(unsigned long sp);
void sigaltstack_get(struct k_stack *out, unsigned long sp);
/* sigreturn: back to the frame's uc_stack unless sp is on the current one. */
void sigaltstack_restore(const struct k_stack *ss, unsigned long sp);

#endif
