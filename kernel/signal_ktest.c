// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `signal`: the lifecycle hooks the fork/exec/exit code calls
 * (signal_fork, signal_exec_reset, signal_process_release) and posting to
 * a process, on bare struct process objects (no task runs in them).
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>

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
	signal_process_release(p);
	kfree(p);
}
