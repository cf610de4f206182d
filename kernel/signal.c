// SPDX-License-Identifier: GPL-2.0
/*
 * Signals, the core (include/mosaic/signal.h): the action table, posting
 * a signal to a task or a process, choosing one to deliver on the way back
 * to user mode, default actions, system call restart, fault signals and
 * the fork/exec/exit hooks. The system calls are in signal_syscalls.c,
 * the frame in arch/x86/kernel/signal.c.
 *
 * Context: sighand->lock is taken with interrupts saved and is held only
 * around plain updates of the state it guards; nothing sleeps or takes
 * another lock under it. Wake-ups happen after it is dropped.
 */
#include <asm/ptrace.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/pid.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>

BUILD_BUG_ON(sizeof(struct k_siginfo) != 128);
BUILD_BUG_ON(sizeof(struct k_sigcontext) != 256);
BUILD_BUG_ON(sizeof(struct k_stack) != 24);
BUILD_BUG_ON(sizeof(struct k_ucontext) != 304);
BUILD_BUG_ON(sizeof(struct k_sigaction) != 32);

/* pt_regs.error_code of a SYSCALL frame holds the call's number; this means "none". */
#define NO_SYSCALL (~0ULL)

/* Delivered first: the faults of the instruction that just ran. */
#define SYNCHRONOUS_SIGNALS (sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
			     sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

enum default_action { DFL_TERMINATE, DFL_CORE, DFL_IGNORE, DFL_STOP };

/* SIGCONT's continuing happens when it is sent (signal_jobctl.c); delivered, it is ignored. */
static enum default_action default_action(int sig)
{
	if (sig_is_stop(sig))
		return DFL_STOP;
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return DFL_CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT:
		return DFL_IGNORE;
	default:
		return DFL_TERMINATE;
	}
}

bool sig_default_ignored(int sig)
{
	return default_action(sig) == DFL_IGNORE;
}

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/* ---- the action table ---- */

static struct sighand *sighand_create(const struct sighand *copy_of)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	sh->refcount = 1;
	spin_lock_init(&sh->lock);
	if (copy_of)
		memcpy(sh->action, copy_of->action, sizeof(sh->action));
	return sh;
}

static void sighand_put(struct sighand *sh)
{
	if (sh && !__atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL))
		kfree(sh);
}

/* p's table, created on first use; installing it races only with other first uses. */
static struct sighand *sighand_of(struct process *p)
{
	struct sighand *sh = __atomic_load_n(&p->sighand, __ATOMIC_ACQUIRE);
	struct sighand *fresh;

	if (sh)
		return sh;
	fresh = sighand_create(NULL);
	if (!fresh)
		return NULL;
	if (__atomic_compare_exchange_n(&p->sighand, &sh, fresh, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return fresh;
	kfree(fresh);	/* another thread installed one first: sh is it */
	return sh;
}

struct sighand *sighand_lock(struct process *p, unsigned long *flags)
{
	struct sighand *sh = sighand_of(p);

	if (sh)
		*flags = spin_lock_irqsave(&sh->lock);
	return sh;
}

void sighand_unlock(struct sighand *sh, unsigned long flags)
{
	spin_unlock_irqrestore(&sh->lock, flags);
}

/*
 * Can sig be dropped at once? Not while the target blocks it: the action
 * may change before it is unblocked (or sigtimedwait may take it).
 * Context: sh->lock held.
 */
static bool sig_ignored(const struct sighand *sh, int sig, ksigset_t blocked)
{
	unsigned long handler = sh->action[sig - 1].handler;

	if (sig == SIGKILL || (blocked & sigmask(sig)))
		return false;
	return handler == SIG_IGN || (handler == SIG_DFL && default_action(sig) == DFL_IGNORE);
}

/* ---- posting ---- */

/* A stopped process counts as signalled: its sleeps end so its threads can stop. */
bool signal_pending(struct task *t)
{
	struct process *p = READ_ONCE(t->proc);
	ksigset_t pending = READ_ONCE(t->sig_pending.set);

	if (p && READ_ONCE(p->stopped))
		return true;
	if (p)
		pending |= READ_ONCE(p->sig_shared.set);
	return pending & ~READ_ONCE(t->sig_blocked);
}

/*
 * A signal already pending keeps the details of its first sending, as on
 * Linux: a parent told CLD_CONTINUED and then CLD_KILLED before it looks
 * hears of the continue (the exit is still reported by wait).
 * Context: the pending set's sighand->lock held.
 */
static void post_signal(struct sigpending *pending, int sig, const struct sig_source *src)
{
	if (pending->set & sigmask(sig))
		return;
	pending->set |= sigmask(sig);
	pending->source[sig - 1] = *src;
}

/* The store of the pending bit must be seen before we look at t's state. */
static void signal_wake(struct task *t)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wake_up_process(t);
}

static bool same_process(const struct task *t, const void *p)
{
	return t->proc == p;
}

/* Would sig (0: any change) end a sleep of t? Blocked, only if t waits for it. */
static bool signal_wakes(const struct task *t, int sig)
{
	if (!sig)
		return true;
	return !(READ_ONCE(t->sig_blocked) & sigmask(sig)) ||
	       (READ_ONCE(t->sig_waiting) & sigmask(sig));
}

void wake_process_threads(struct process *p, int sig)
{
	struct task *threads[64];
	int n;

	/* The post must be seen before we read each thread's sig_waiting. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	n = tasks_collect(same_process, p, threads, 64);
	for (int i = 0; i < n; i++) {
		if (signal_wakes(threads[i], sig))
			signal_wake(threads[i]);
		task_put(threads[i]);
	}
}

int send_signal_info(struct task *t, struct process *p, int sig, const struct sig_source *src)
{
	struct task *target;
	struct sighand *sh;
	unsigned long flags;
	bool ignored, continued;

	if (!valid_signal(sig))
		return -EINVAL;
	if (t)
		p = READ_ONCE(t->proc);
	if (!p)
		return -ESRCH;
	sh = sighand_lock(p, &flags);
	if (!sh)
		return -ENOMEM;
	target = t ? t : p->leader;
	continued = jobctl_post_locked(p, t, sig);
	ignored = sig_ignored(sh, sig, target ? target->sig_blocked : 0);
	if (!ignored)
		post_signal(t ? &t->sig_pending : &p->sig_shared, sig, src);
	sighand_unlock(sh, flags);
	if (continued)
		jobctl_continued(p);
	if (ignored)
		return 0;
	if (t)
		signal_wake(t);
	else
		wake_process_threads(p, sig);
	return 0;
}

/* A signal the kernel sends on its own: from the calling process, or pid 0. */
static struct sig_source kernel_source(void)
{
	struct task *self = current_task();

	return (struct sig_source){ .code = SI_KERNEL, .pid = self && self->proc ? self->tgid : 0 };
}

int send_signal(struct task *t, int sig)
{
	struct sig_source src = kernel_source();

	return send_signal_info(t, NULL, sig, &src);
}

int send_signal_process(struct process *p, int sig)
{
	struct sig_source src = kernel_source();

	return send_signal_info(NULL, p, sig, &src);
}

int wait_status_to_cld(int wstatus, int *si_status)
{
	if (wifcontinued(wstatus)) {
		*si_status = SIGCONT;
		return CLD_CONTINUED;
	}
	if (wifstopped(wstatus)) {
		*si_status = wexitstatus(wstatus);	/* the stop signal sits where a code would */
		return CLD_STOPPED;
	}
	if (wifsignaled(wstatus)) {
		*si_status = wtermsig(wstatus);
		return CLD_KILLED;
	}
	*si_status = wexitstatus(wstatus);
	return CLD_EXITED;
}

void siginfo_from_source(struct k_siginfo *info, int sig, const struct sig_source *src)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = src->code;
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (src->code > 0 && src->code < SI_KERNEL) {
			info->u.fault.addr = src->value;
			return;
		}
		break;
	case SIGCHLD:
		info->u.kill.status = (int)src->value;
		break;
	}
	info->u.kill.pid = src->pid;
}

int send_sigchld(struct process *parent, int child_pid, int wstatus)
{
	struct sig_source src = { .pid = child_pid };
	int si_status;

	src.code = wait_status_to_cld(wstatus, &si_status);
	src.value = (unsigned long)si_status;
	return send_signal_info(NULL, parent, SIGCHLD, &src);
}

/* ---- faults ---- */

static const char *fault_description(int sig, int si_code)
{
	if (sig == SIGSEGV)
		return si_code == SEGV_ACCERR ? "access against the page's protection"
					       : "access to an unmapped address";
	if (sig == SIGBUS)
		return "bus error";
	if (sig == SIGFPE)
		return "arithmetic exception";
	return sig == SIGILL ? "illegal instruction" : "fault";
}

void force_sig_fault_why(int sig, int si_code, unsigned long addr, const char *why)
{
	struct task *self = current_task();
	struct sig_source src = { .code = si_code, .value = addr };
	struct sighand *sh;
	unsigned long flags, handler;
	bool caught = false;

	sh = sighand_lock(self->proc, &flags);
	if (sh) {
		handler = sh->action[sig - 1].handler;
		caught = handler != SIG_DFL && handler != SIG_IGN &&
			 !(self->sig_blocked & sigmask(sig));
		if (caught)
			post_signal(&self->sig_pending, sig, &src);
		sighand_unlock(sh, flags);
	}
	if (!caught)
		process_kill_self(sig, why, addr);
}

void force_sig_fault(int sig, int si_code, unsigned long addr)
{
	force_sig_fault_why(sig, si_code, addr, fault_description(sig, si_code));
}

/* ---- choosing a signal to deliver ---- */

static int first_signal(ksigset_t set)
{
	if (set & SYNCHRONOUS_SIGNALS)
		set &= SYNCHRONOUS_SIGNALS;
	return set ? __builtin_ctzll(set) + 1 : 0;
}

/* Take one unblocked pending signal off self's sets (its own first). Context: sh->lock. */
static int dequeue_signal(struct task *self, ksigset_t allowed, struct sig_source *src)
{
	struct sigpending *from = &self->sig_pending;
	int sig = first_signal(from->set & allowed);

	if (!sig) {
		from = &self->proc->sig_shared;
		sig = first_signal(from->set & allowed);
	}
	if (sig) {
		from->set &= ~sigmask(sig);
		*src = from->source[sig - 1];
	}
	return sig;
}

/*
 * Dequeue the next signal and its action (SA_RESETHAND applied). false:
 * none. A stop signal with the default action stops the process in the
 * same critical section (*stopped: this call stopped it).
 */
static bool next_signal(struct task *self, struct ksignal *ks, bool *stopped)
{
	struct sighand *sh;
	struct k_sigaction *act;
	unsigned long flags;

	sh = sighand_lock(self->proc, &flags);
	if (!sh)
		return false;
	ks->sig = dequeue_signal(self, ~self->sig_blocked, &ks->source);
	if (ks->sig) {
		act = &sh->action[ks->sig - 1];
		ks->action = *act;
		if (act->handler > SIG_IGN && (act->flags & SA_RESETHAND))
			act->handler = SIG_DFL;
		if (act->handler == SIG_DFL && default_action(ks->sig) == DFL_STOP)
			*stopped = jobctl_stop_locked(self->proc, ks->sig);
	}
	sighand_unlock(sh, flags);
	return ks->sig != 0;
}

static __noreturn void die_of_signal(int sig)
{
	struct process *p = current_process();

	pr_err("%s (pid %d): killed by signal %d%s\n", p->exe, p->tgid, sig,
	       default_action(sig) == DFL_CORE ? " (core dumped: not really)" : "");
	process_exit(W_SIGNALED(sig));
}

/* Run default actions until a signal with a handler turns up. true: ks has it. */
static bool get_signal(struct task *self, struct ksignal *ks)
{
	bool stopped = false;

	while (next_signal(self, ks, &stopped)) {
		if (ks->action.handler == SIG_IGN)
			continue;
		if (ks->action.handler != SIG_DFL)
			return true;
		if (default_action(ks->sig) == DFL_STOP) {
			if (stopped)
				jobctl_stopped(self->proc, ks->sig);
			stopped = false;
			jobctl_stop_wait(self);
			process_exit_if_killed();	/* woken by a group exit */
		} else if (default_action(ks->sig) != DFL_IGNORE) {
			die_of_signal(ks->sig);
		}
	}
	return false;
}

/* ---- system call restart ---- */

static bool interrupted_syscall(const struct pt_regs *regs)
{
	long ret = (long)regs->rax;

	return regs_from_syscall(regs) && regs->error_code != NO_SYSCALL &&
	       (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND);
}

/* Back up to the SYSCALL instruction (2 bytes) with the call's number in rax. */
static void restart_syscall(struct pt_regs *regs)
{
	regs->rax = regs->error_code;
	regs->rip -= 2;
}

/* A handler is about to run over an interrupted call: -EINTR or restart. */
static void syscall_restart_for_handler(struct pt_regs *regs, unsigned long sa_flags)
{
	long ret = (long)regs->rax;

	if (!interrupted_syscall(regs))
		return;
	if (ret == -ERESTARTNOINTR || (ret == -ERESTARTSYS && (sa_flags & SA_RESTART)))
		restart_syscall(regs);
	else
		regs->rax = -EINTR;
}

/* ---- delivery ---- */

/*
 * No table yet means nothing was ever sent or caught: the mask can change
 * without a lock (and without allocating one for every raise()).
 */
void signal_set_blocked(ksigset_t mask)
{
	struct task *self = current_task();
	struct sighand *sh = __atomic_load_n(&self->proc->sighand, __ATOMIC_ACQUIRE);
	unsigned long flags;

	if (!sh) {
		WRITE_ONCE(self->sig_blocked, mask & ~SIG_UNBLOCKABLE);
		return;
	}
	flags = spin_lock_irqsave(&sh->lock);
	self->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock_irqrestore(&sh->lock, flags);
}

static void handle_signal(struct task *self, struct ksignal *ks, struct pt_regs *regs)
{
	ksigset_t saved = self->sig_restore_mask ? self->sig_saved_mask : self->sig_blocked;
	ksigset_t blocked = self->sig_blocked | ks->action.mask;

	syscall_restart_for_handler(regs, ks->action.flags);
	if (arch_setup_rt_frame(ks, saved, regs))
		process_kill_self(SIGSEGV, "cannot write the signal frame (no SA_RESTORER, or bad stack)",
				  regs->rsp);
	self->sig_restore_mask = false;
	if (!(ks->action.flags & SA_NODEFER))
		blocked |= sigmask(ks->sig);
	signal_set_blocked(blocked);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	struct task *self = current_task();
	struct ksignal ks;

	if (!self || !self->proc)
		return;
	/* Job control: another thread stopped the process; sleep until continued or killed. */
	jobctl_stop_wait(self);
	/* Process lifecycle (kernel/exit.c): exit_group or exec ends this thread. */
	process_exit_if_killed();
	if (signal_pending(self) && get_signal(self, &ks)) {
		handle_signal(self, &ks, regs);
		return;
	}
	if (interrupted_syscall(regs))
		restart_syscall(regs);
	if (self->sig_restore_mask) {
		self->sig_restore_mask = false;
		signal_set_blocked(self->sig_saved_mask);
	}
}

/* ---- lifecycle ---- */

int signal_fork(struct process *parent, struct process *child, bool share)
{
	struct sighand *sh = sighand_of(parent);
	unsigned long flags;

	if (!sh)
		return -ENOMEM;
	memset(&child->sig_shared, 0, sizeof(child->sig_shared));
	if (share) {
		__atomic_add_fetch(&sh->refcount, 1, __ATOMIC_RELAXED);
		child->sighand = sh;
		return 0;
	}
	flags = spin_lock_irqsave(&sh->lock);
	child->sighand = sighand_create(sh);
	spin_unlock_irqrestore(&sh->lock, flags);
	return child->sighand ? 0 : -ENOMEM;
}

void signal_task_init(struct task *child, const struct task *parent)
{
	child->sig_blocked = parent ? parent->sig_blocked : 0;
	child->sig_restore_mask = false;
	child->sig_waiting = 0;
	memset(&child->sig_pending, 0, sizeof(child->sig_pending));
	child->sas_sp = child->sas_size = 0;
	child->sas_flags = 0;
}

/* Caught signals back to SIG_DFL; ignored ones stay ignored. Context: sh->lock. */
static void reset_handlers(struct sighand *sh)
{
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *act = &sh->action[i];

		if (act->handler != SIG_IGN)
			memset(act, 0, sizeof(*act));
	}
}

void signal_exec_reset(struct process *p)
{
	struct sighand *sh = p->sighand, *own;
	struct task *self = current_task();
	unsigned long flags;

	self->sas_sp = self->sas_size = 0;
	self->sas_flags = 0;
	if (!sh)
		return;
	if (__atomic_load_n(&sh->refcount, __ATOMIC_ACQUIRE) > 1) {
		flags = spin_lock_irqsave(&sh->lock);
		own = sighand_create(sh);
		spin_unlock_irqrestore(&sh->lock, flags);
		if (own) {	/* out of memory: keep sharing (handlers reset for both) */
			p->sighand = own;
			sighand_put(sh);
			sh = own;
		}
	}
	flags = spin_lock_irqsave(&sh->lock);
	reset_handlers(sh);
	spin_unlock_irqrestore(&sh->lock, flags);
}

void signal_task_exit(struct task *t)
{
	struct sighand *sh = t->proc ? t->proc->sighand : NULL;
	unsigned long flags;

	if (!sh) {
		t->sig_pending.set = 0;
		return;
	}
	flags = spin_lock_irqsave(&sh->lock);
	t->sig_pending.set = 0;
	spin_unlock_irqrestore(&sh->lock, flags);
}

void signal_process_release(struct process *p)
{
	sighand_put(p->sighand);
	p->sighand = NULL;
}
