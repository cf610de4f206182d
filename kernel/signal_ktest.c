// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `signal`: the lifecycle hooks the fork/exec/exit code calls
 * (signal_fork, signal_exec_reset, signal_process_release) and posting to
 * a process, on bare struct process objects (no task runs in them); and
 * system call restart in exit_to_user_mode(), run by a ktest_user thread
 * that borrows a bare process and a hand-made SYSCALL frame (the signal
 * frame lands in its user pages; it never enters ring 3); a signal
 * from another thread cuts nanosleep short.
 */
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/time.h>

#define HANDLER 0x401000UL	/* any user address: nothing runs it */

static void set_handler(struct process *p, int sig, unsigned long handler)
{
	unsigned long flags;
	struct sighand *sh = sighand_lock(p, &flags);

	sh->action[sig - 1].handler = handler;
	sighand_unlock(sh, flags);
}

KTEST(signal, fork_copies_or_shares_actions)
{
	struct process *parent = kzalloc(sizeof(*parent));
	struct process *copy = kzalloc(sizeof(*copy));
	struct process *shared = kzalloc(sizeof(*shared));

	set_handler(parent, SIGUSR1, HANDLER);
	KEXPECT_EQ(signal_fork(parent, copy, false), 0);
	KEXPECT_EQ(signal_fork(parent, shared, true), 0);
	KEXPECT(copy->sighand != parent->sighand);
	KEXPECT_EQ(copy->sighand->action[SIGUSR1 - 1].handler, HANDLER);
	KEXPECT(shared->sighand == parent->sighand);
	KEXPECT_EQ(parent->sighand->refcount, 2);
	set_handler(parent, SIGUSR2, SIG_IGN);
	KEXPECT_EQ(shared->sighand->action[SIGUSR2 - 1].handler, SIG_IGN);
	KEXPECT_EQ(copy->sighand->action[SIGUSR2 - 1].handler, SIG_DFL);
	signal_process_release(shared);
	KEXPECT_EQ(parent->sighand->refcount, 1);
	signal_process_release(copy);
	signal_process_release(parent);
	kfree(parent);
	kfree(copy);
	kfree(shared);
}

KTEST(signal, exec_resets_caught_keeps_ignored_and_unshares)
{
	struct process *parent = kzalloc(sizeof(*parent));
	struct process *child = kzalloc(sizeof(*child));

	set_handler(parent, SIGUSR1, HANDLER);
	set_handler(parent, SIGUSR2, SIG_IGN);
	KEXPECT_EQ(signal_fork(parent, child, true), 0);
	signal_exec_reset(child);
	KEXPECT(child->sighand != parent->sighand);
	KEXPECT_EQ(child->sighand->action[SIGUSR1 - 1].handler, SIG_DFL);
	KEXPECT_EQ(child->sighand->action[SIGUSR2 - 1].handler, SIG_IGN);
	KEXPECT_EQ(parent->sighand->action[SIGUSR1 - 1].handler, HANDLER);
	KEXPECT_EQ(parent->sighand->refcount, 1);
	signal_process_release(child);
	signal_process_release(parent);
	kfree(parent);
	kfree(child);
}

KTEST(signal, process_directed_signals_are_posted_or_dropped)
{
	struct process *p = kzalloc(sizeof(*p));

	KEXPECT_EQ(send_signal_process(p, 0), -EINVAL);
	KEXPECT_EQ(send_signal_process(p, _NSIG + 1), -EINVAL);
	KEXPECT_EQ(send_signal_process(p, SIGTERM), 0);
	KEXPECT_EQ(send_signal_process(p, SIGCHLD), 0);	/* default: ignore, dropped */
	KEXPECT_EQ(p->sig_shared.set, sigmask(SIGTERM));
	KEXPECT_EQ(send_sigchld(p, 42, W_EXITCODE(3)), 0);
	KEXPECT_EQ(p->sig_shared.set, sigmask(SIGTERM));	/* still ignored */
	set_handler(p, SIGCHLD, HANDLER);
	KEXPECT_EQ(send_sigchld(p, 42, W_EXITCODE(3)), 0);
	KEXPECT(p->sig_shared.set & sigmask(SIGCHLD));
	KEXPECT_EQ(p->sig_shared.source[SIGCHLD - 1].code, CLD_EXITED);
	KEXPECT_EQ(p->sig_shared.source[SIGCHLD - 1].pid, 42);
	KEXPECT_EQ(p->sig_shared.source[SIGCHLD - 1].value, 3UL);
	/* A second one while the first is pending is merged: the first's details stay. */
	KEXPECT_EQ(send_sigchld(p, 43, W_SIGNALED(SIGTERM)), 0);
	KEXPECT_EQ(p->sig_shared.source[SIGCHLD - 1].code, CLD_EXITED);
	KEXPECT_EQ(p->sig_shared.source[SIGCHLD - 1].pid, 42);
	signal_process_release(p);
	kfree(p);
}

#define FAKE_NR 35		/* the "interrupted" call's number */
#define FAKE_RIP 0x401002UL	/* just past its syscall instruction */

/* A SYSCALL frame that returned ret, with the user stack at the top of u's pages. */
static struct pt_regs syscall_frame(struct ktest_user *u, long ret)
{
	return (struct pt_regs){
		.vector = PT_VECTOR_SYSCALL, .error_code = FAKE_NR, .rax = (u64)ret,
		.rip = FAKE_RIP, .rsp = (u64)ktest_uptr(u, u->nr_pages * PAGE_SIZE),
	};
}

/* Deliver SIGUSR1 (handler with flags) over a call that returned ret; the frame's rax/rip. */
static int deliver_over(struct ktest_user *u, long ret, unsigned long flags, u64 *rax, u64 *rip)
{
	struct process *p = current_task()->proc;
	struct pt_regs regs = syscall_frame(u, ret);
	struct k_ucontext uc;
	unsigned long lock_flags;
	struct sighand *sh = sighand_lock(p, &lock_flags);

	sh->action[SIGUSR1 - 1] = (struct k_sigaction){
		.handler = HANDLER, .flags = flags | SA_RESTORER, .restorer = HANDLER + 0x10 };
	sighand_unlock(sh, lock_flags);
	send_signal(current_task(), SIGUSR1);
	exit_to_user_mode(&regs);
	if (regs.rip != HANDLER || regs.rdi != SIGUSR1)
		return -EINVAL;
	if (copy_from_user(&uc, (void __user *)(regs.rsp + 8), sizeof(uc)))
		return -EFAULT;
	signal_set_blocked(0);
	*rax = uc.uc_mcontext.rax;
	*rip = uc.uc_mcontext.rip;
	return 0;
}

static int restart_body(struct ktest_user *u, void *arg)
{
	struct task *self = current_task();
	struct pt_regs regs = syscall_frame(u, -ERESTARTSYS);
	u64 rax, rip;

	(void)arg;
	if (arch_task_init_user(self))
		return -ENOMEM;
	self->proc = kzalloc(sizeof(*self->proc));
	exit_to_user_mode(&regs);	/* no signal: every kind restarts */
	KEXPECT_EQ(regs.rax, (u64)FAKE_NR);
	KEXPECT_EQ(regs.rip, FAKE_RIP - 2);
	KEXPECT_EQ(deliver_over(u, -ERESTARTSYS, 0, &rax, &rip), 0);
	KEXPECT_EQ(rax, (u64)-EINTR);
	KEXPECT_EQ(rip, FAKE_RIP);
	KEXPECT_EQ(deliver_over(u, -ERESTARTSYS, SA_RESTART, &rax, &rip), 0);
	KEXPECT_EQ(rax, (u64)FAKE_NR);
	KEXPECT_EQ(rip, FAKE_RIP - 2);
	KEXPECT_EQ(deliver_over(u, -ERESTARTNOHAND, SA_RESTART, &rax, &rip), 0);
	KEXPECT_EQ(rax, (u64)-EINTR);
	KEXPECT_EQ(deliver_over(u, -ERESTARTNOINTR, 0, &rax, &rip), 0);
	KEXPECT_EQ(rax, (u64)FAKE_NR);
	signal_process_release(self->proc);
	kfree(self->proc);
	self->proc = NULL;
	return 0;
}

KTEST(signal, syscall_restart_with_and_without_handler)
{
	KEXPECT_EQ(ktest_user_run(restart_body, NULL, 2), 0);
}

static int signal_later(void *sleeper)
{
	msleep(30);
	send_signal(sleeper, SIGUSR1);
	return 0;
}

/* nanosleep(2 s) ends with -EINTR and about 2 s in rem when a signal comes after 30 ms. */
static int nanosleep_body(struct ktest_user *u, void *arg)
{
	struct timespec *kreq = ktest_ukaddr(u, 0), *krem = ktest_ukaddr(u, 64);
	const unsigned long args[6] = { (unsigned long)ktest_uptr(u, 0),
					(unsigned long)ktest_uptr(u, 64) };
	struct task *self = current_task(), *sender;
	long ret;

	(void)arg;
	self->proc = kzalloc(sizeof(*self->proc));
	kreq->tv_sec = 2;
	sender = kthread_create(signal_later, self, "sigsender");
	if (IS_ERR(sender))
		return PTR_ERR(sender);
	ret = syscall_invoke(__NR_nanosleep, args);
	kthread_join(sender);
	KEXPECT_EQ(ret, (long)-EINTR);
	KEXPECT(krem->tv_sec == 1 || (krem->tv_sec == 2 && krem->tv_nsec == 0));
	KEXPECT(signal_pending(self));
	self->sig_pending.set = 0;
	signal_process_release(self->proc);
	kfree(self->proc);
	self->proc = NULL;
	return 0;
}

KTEST(signal, signal_interrupts_nanosleep)
{
	KEXPECT_EQ(ktest_user_run(nanosleep_body, NULL, 1), 0);
}
