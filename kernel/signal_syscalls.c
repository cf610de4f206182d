// SPDX-License-Identifier: GPL-2.0
/*
 * The signal system calls (include/mosaic/signal.h): rt_sigaction,
 * rt_sigprocmask, rt_sigpending, rt_sigsuspend, pause, rt_sigtimedwait,
 * sigaltstack, kill, tkill, tgkill. rt_sigreturn is with the frame code
 * (arch/x86/kernel/signal.c). Errors are Linux's: -EINVAL for a bad
 * signal, flag or sigsetsize (must be 8), -EFAULT for a bad pointer,
 * -ESRCH when no target exists.
 */
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/pid.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/time.h>

#define KILL_TARGETS_MAX 256	/* tasks one kill() to a group or to -1 reaches */

/* ---- actions and masks ---- */

/* Setting SIG_IGN (or a default of ignore) drops what is pending. Context: sh->lock. */
static void discard_pending(struct process *p, int sig)
{
	p->sig_shared.set &= ~sigmask(sig);
	if (p->leader)
		p->leader->sig_pending.set &= ~sigmask(sig);
}

static int set_action(struct process *p, int sig, const struct k_sigaction *act,
		      struct k_sigaction *old)
{
	struct sighand *sh;
	unsigned long flags;

	sh = sighand_lock(p, &flags);
	if (!sh)
		return -ENOMEM;
	*old = sh->action[sig - 1];
	if (act) {
		sh->action[sig - 1] = *act;
		sh->action[sig - 1].mask &= ~SIG_UNBLOCKABLE;
		if (act->handler == SIG_IGN || (act->handler == SIG_DFL && sig_default_ignored(sig)))
			discard_pending(p, sig);
	}
	sighand_unlock(sh, flags);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, __NR_rt_sigaction, int, sig,
		const struct k_sigaction __user *, uact, struct k_sigaction __user *, uoact,
		size_t, sigsetsize)
{
	struct k_sigaction act, old;
	int err;

	if (sigsetsize != sizeof(ksigset_t) || sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	err = set_action(current_process(), sig, uact ? &act : NULL, &old);
	if (err)
		return err;
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int apply_mask_change(int how, ksigset_t set, ksigset_t old)
{
	switch (how) {
	case SIG_BLOCK:
		signal_set_blocked(old | set);
		return 0;
	case SIG_UNBLOCK:
		signal_set_blocked(old & ~set);
		return 0;
	case SIG_SETMASK:
		signal_set_blocked(set);
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE4(rt_sigprocmask, __NR_rt_sigprocmask, int, how, const ksigset_t __user *, uset,
		ksigset_t __user *, uoset, size_t, sigsetsize)
{
	ksigset_t old = current_task()->sig_blocked, set;
	int err;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		err = apply_mask_change(how, set, old);
		if (err)
			return err;
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static ksigset_t pending_of(struct task *self)
{
	return READ_ONCE(self->sig_pending.set) | READ_ONCE(self->proc->sig_shared.set);
}

SYSCALL_DEFINE2(rt_sigpending, __NR_rt_sigpending, ksigset_t __user *, uset, size_t, sigsetsize)
{
	struct task *self = current_task();
	ksigset_t set = pending_of(self) & self->sig_blocked;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	return copy_to_user(uset, &set, sizeof(set)) ? -EFAULT : 0;
}

/* ---- waiting for signals ---- */

static void sleep_until_signal(struct task *self)
{
	for (;;) {
		set_current_state(TASK_SLEEPING);
		if (signal_pending(self))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
}

SYSCALL_DEFINE0(pause, __NR_pause)
{
	sleep_until_signal(current_task());
	return -ERESTARTNOHAND;
}

/* The temporary mask stays until a handler's frame has saved the old one. */
SYSCALL_DEFINE2(rt_sigsuspend, __NR_rt_sigsuspend, const ksigset_t __user *, umask,
		size_t, sigsetsize)
{
	struct task *self = current_task();
	ksigset_t mask;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	self->sig_saved_mask = self->sig_blocked;
	self->sig_restore_mask = true;
	signal_set_blocked(mask);
	sleep_until_signal(self);
	return -ERESTARTNOHAND;
}

/* Take a pending signal of wanted off self's sets (blocked or not): its number, or 0. */
static int take_waited_signal(struct task *self, ksigset_t wanted, struct sig_source *src)
{
	struct sighand *sh;
	struct sigpending *from = &self->sig_pending;
	unsigned long flags;
	int sig = 0;

	sh = sighand_lock(self->proc, &flags);
	if (!sh)
		return 0;
	if (!(from->set & wanted))
		from = &self->proc->sig_shared;
	if (from->set & wanted) {
		sig = __builtin_ctzll(from->set & wanted) + 1;
		from->set &= ~sigmask(sig);
		*src = from->source[sig - 1];
	}
	sighand_unlock(sh, flags);
	return sig;
}

static int copy_siginfo_out(struct k_siginfo __user *uinfo, int sig, const struct sig_source *src)
{
	struct k_siginfo info;

	siginfo_from_source(&info, sig, src);
	if (!uinfo)
		return 0;
	return copy_to_user(uinfo, &info, sizeof(info)) ? -EFAULT : 0;
}

static int timeout_ns(const struct timespec __user *uts, u64 *ns)
{
	struct timespec ts;

	*ns = SCHED_TIMEOUT_MAX;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

/* Sleep until a wanted or an unblocked signal comes, or left_ns runs out. */
static void wait_for_signal(struct task *self, ksigset_t wanted, u64 *left_ns)
{
	set_current_state(TASK_SLEEPING);
	if (!(pending_of(self) & (wanted | ~self->sig_blocked)))
		*left_ns = schedule_timeout(*left_ns);
	set_current_state(TASK_RUNNING);
}

SYSCALL_DEFINE4(rt_sigtimedwait, __NR_rt_sigtimedwait, const ksigset_t __user *, uset,
		struct k_siginfo __user *, uinfo, const struct timespec __user *, uts,
		size_t, sigsetsize)
{
	struct task *self = current_task();
	struct sig_source src;
	ksigset_t wanted;
	u64 left;
	int sig, err;

	if (sigsetsize != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&wanted, uset, sizeof(wanted)))
		return -EFAULT;
	err = timeout_ns(uts, &left);
	if (err)
		return err;
	wanted &= ~SIG_UNBLOCKABLE;
	/*
	 * A process-directed signal wakes only the threads that do not block
	 * it (kernel/signal.c); a wanted one must wake us though we block it.
	 */
	WRITE_ONCE(self->sig_waiting, wanted);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* before we look at the pending sets */
	do {
		sig = take_waited_signal(self, wanted, &src);
		if (sig)
			err = copy_siginfo_out(uinfo, sig, &src) ?: sig;
		else if (signal_pending(self))
			err = -EINTR;
		else if (!left)
			err = -EAGAIN;
		else
			wait_for_signal(self, wanted, &left);
	} while (!sig && !err);
	WRITE_ONCE(self->sig_waiting, 0);
	return err;
}

/* ---- the alternate stack ---- */

bool on_sig_stack(unsigned long sp)
{
	struct task *self = current_task();

	return self->sas_size && sp > self->sas_sp && sp - self->sas_sp <= self->sas_size;
}

void sigaltstack_get(struct k_stack *out, unsigned long sp)
{
	struct task *self = current_task();

	out->ss_sp = self->sas_sp;
	out->ss_size = self->sas_size;
	out->__pad = 0;
	if (!self->sas_size)
		out->ss_flags = SS_DISABLE;
	else
		out->ss_flags = (on_sig_stack(sp) ? SS_ONSTACK : 0) | self->sas_flags;
}

static int sigaltstack_set(const struct k_stack *ss, unsigned long sp)
{
	struct task *self = current_task();
	unsigned int mode = (unsigned int)ss->ss_flags & ~SS_AUTODISARM;

	if (on_sig_stack(sp))
		return -EPERM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		self->sas_sp = self->sas_size = 0;
		self->sas_flags = 0;
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	self->sas_sp = ss->ss_sp;
	self->sas_size = ss->ss_size;
	self->sas_flags = (unsigned int)ss->ss_flags & SS_AUTODISARM;
	return 0;
}

/*
 * sigreturn puts back the stack the frame recorded, as Linux: refused
 * (quietly) while sp is on the current one, so it matters after a handler
 * that changed it from the normal stack, or after SS_AUTODISARM.
 */
void sigaltstack_restore(const struct k_stack *ss, unsigned long sp)
{
	sigaltstack_set(ss, sp);
}

SYSCALL_DEFINE2(sigaltstack, __NR_sigaltstack, const struct k_stack __user *, uss,
		struct k_stack __user *, uoss)
{
	unsigned long sp = task_user_regs(current_task())->rsp;
	struct k_stack old, ss;
	int err;

	sigaltstack_get(&old, sp);
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		err = sigaltstack_set(&ss, sp);
		if (err)
			return err;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- kill, tkill, tgkill ---- */

static struct sig_source user_source(int code)
{
	return (struct sig_source){ .code = code, .pid = current_task()->tgid };
}

static int pgid_of(const struct task *t)
{
	return t->pgid ? t->pgid : t->tgid;
}

struct kill_filter {
	int pgid;		/* 0: every process but init and the caller's */
	int caller_tgid;
};

/* Process leaders in the filter's group (or all but init and the caller). */
static bool kill_target(const struct task *t, const void *arg)
{
	const struct kill_filter *f = arg;

	if (!t->proc || t->pid != t->tgid)
		return false;
	if (f->pgid)
		return pgid_of(t) == f->pgid;
	return t->tgid != 1 && t->tgid != f->caller_tgid;
}

static int kill_many(const struct kill_filter *f, int sig)
{
	struct task **targets = kmalloc(KILL_TARGETS_MAX * sizeof(*targets));
	struct sig_source src = user_source(SI_USER);
	int n, err = -ESRCH;

	if (!targets)
		return -ENOMEM;
	n = tasks_collect(kill_target, f, targets, KILL_TARGETS_MAX);
	for (int i = 0; i < n; i++) {
		struct process *p = READ_ONCE(targets[i]->proc);

		if (p && (!sig || !send_signal_info(NULL, p, sig, &src)))
			err = 0;
		task_put(targets[i]);
	}
	kfree(targets);
	return err;
}

static int kill_one(int pid, int sig)
{
	struct sig_source src = user_source(SI_USER);
	struct task *t = task_find_get(pid);
	struct process *p = t ? READ_ONCE(t->proc) : NULL;
	int err = p ? 0 : -ESRCH;

	if (p && sig)
		err = send_signal_info(NULL, p, sig, &src);
	if (t)
		task_put(t);
	return err;
}

int kill_pgrp(int pgid, int sig)
{
	struct kill_filter f = { .pgid = pgid };

	if (sig <= 0 || sig > _NSIG || pgid < 0)
		return -EINVAL;
	return kill_many(&f, sig);
}

SYSCALL_DEFINE2(kill, __NR_kill, int, pid, int, sig)
{
	struct task *self = current_task();
	struct kill_filter f = { .caller_tgid = self->tgid };

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0)
		return kill_one(pid, sig);
	if (pid == -1)
		return kill_many(&f, sig);
	f.pgid = pid == 0 ? pgid_of(self) : -pid;
	if (f.pgid <= 0)	/* pid was INT_MIN */
		return -ESRCH;
	return kill_many(&f, sig);
}

/* tgid 0: any thread group (tkill). */
static int kill_thread(int tgid, int tid, int sig)
{
	struct sig_source src = user_source(SI_TKILL);
	struct task *t;
	int err = 0;

	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	t = task_find_get(tid);
	if (!t || !t->proc || (tgid && t->tgid != tgid))
		err = -ESRCH;
	else if (sig)
		err = send_signal_info(t, NULL, sig, &src);
	if (t)
		task_put(t);
	return err;
}

SYSCALL_DEFINE2(tkill, __NR_tkill, int, tid, int, sig)
{
	return kill_thread(0, tid, sig);
}

SYSCALL_DEFINE3(tgkill, __NR_tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return kill_thread(tgid, tid, sig);
}
