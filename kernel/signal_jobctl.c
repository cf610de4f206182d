// SPDX-License-Identifier: GPL-2.0
/*
 * Job control: stopping and continuing a process (include/mosaic/signal.h,
 * Documentation/signals.md "Job control").
 *
 * Stop. SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU with the default action stop
 * the whole process: the thread that takes one marks the process stopped
 * (jobctl_stop_locked, in the same critical section as the dequeue, so a
 * SIGCONT cannot slip in between), tells the parent (SIGCHLD with
 * CLD_STOPPED unless the parent set SA_NOCLDSTOP; a wait4 with WUNTRACED
 * reports it once) and wakes the other threads. While the process is
 * stopped signal_pending() is true for all of them, so interruptible
 * sleeps end (their calls restart later), and every thread sleeps in
 * jobctl_stop_wait() on its way back to user mode.
 *
 * Continue. Sending SIGCONT resumes a stopped process at once, whatever
 * its action or mask (jobctl_post_locked); the parent hears CLD_CONTINUED
 * (from the sender or from the first thread of the process to run again,
 * before that thread acts on any other signal) and a wait with WCONTINUED
 * reports it once. A handler for SIGCONT runs
 * afterwards as for any signal. SIGCONT drops pending stop signals and a
 * stop signal drops a pending SIGCONT (of the process and of the target
 * thread; a stop queued to another thread by tkill stays).
 *
 * SIGKILL and a group exit (exit_group, a fatal fault) end a stopped
 * process: the sleepers wake and die on their way out.
 *
 * Simplified: the orphaned process group rules (Linux discards SIGTSTP,
 * SIGTTIN and SIGTTOU sent to a group without a parent in the session,
 * and sends SIGHUP+SIGCONT when a group with stopped members is orphaned)
 * are not implemented: such a group simply stops, and SIGKILL or SIGCONT
 * from anyone ends that.
 *
 * Context: p->stopped and p->jobctl_report are written under p's
 * sighand->lock; readers outside it use READ_ONCE (hints re-checked after a
 * wake-up), and wait consumes jobctl_report with an atomic exchange.
 */
#include <mosaic/errno.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <uapi/wait.h>

#define STOP_SIGNALS (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

bool sig_is_stop(int sig)
{
	return sig >= 1 && sig <= _NSIG && (STOP_SIGNALS & sigmask(sig));
}

/* Drop pending signals of mask from p's set and, when given, one thread's. */
static void discard_pending(struct process *p, struct task *t, ksigset_t mask)
{
	p->sig_shared.set &= ~mask;
	if (t)
		t->sig_pending.set &= ~mask;
}

bool jobctl_post_locked(struct process *p, struct task *t, int sig)
{
	if (sig_is_stop(sig)) {
		discard_pending(p, t, sigmask(SIGCONT));
		return false;
	}
	if (sig != SIGCONT)
		return false;
	discard_pending(p, t, STOP_SIGNALS);
	if (!p->stopped)
		return false;
	p->stopped = false;
	WRITE_ONCE(p->jobctl_report, W_CONTINUED);
	WRITE_ONCE(p->continue_unannounced, true);
	return true;
}

bool jobctl_stop_locked(struct process *p, int sig)
{
	if (p->stopped)
		return false;
	p->stopped = true;
	WRITE_ONCE(p->jobctl_report, W_STOPCODE(sig));
	return true;
}

/* Did parent ask not to hear of stops and continues (SA_NOCLDSTOP on SIGCHLD)? */
static bool parent_nocldstop(struct process *parent)
{
	struct sighand *sh;
	unsigned long flags;
	bool quiet;

	sh = sighand_lock(parent, &flags);
	if (!sh)
		return false;
	quiet = sh->action[SIGCHLD - 1].flags & SA_NOCLDSTOP;
	sighand_unlock(sh, flags);
	return quiet;
}

/* Tell p's parent that p stopped or continued (wstatus as wait reports it). */
static void notify_parent_jobctl(struct process *p, int wstatus)
{
	unsigned long flags = spin_lock_irqsave(&process_tree_lock);
	struct process *parent = p->parent;

	if (parent)
		process_get(parent);
	spin_unlock_irqrestore(&process_tree_lock, flags);
	if (!parent)
		return;
	if (parent != &init_process && !parent_nocldstop(parent))
		send_sigchld(parent, p->tgid, wstatus);
	wake_up_all(&parent->child_wait);
	process_put(parent);
}

void jobctl_stopped(struct process *p, int sig)
{
	notify_parent_jobctl(p, W_STOPCODE(sig));
	wake_process_threads(p, 0);	/* each sees the stop on its way out */
}

/*
 * Tell the parent of a continue once, whoever comes first: the sender of
 * SIGCONT, or a thread of p leaving its stop (which may go on to die of a
 * signal that was pending: its exit's SIGCHLD must not come first, or the
 * parent, with one SIGCHLD pending at a time, never hears CLD_CONTINUED).
 */
static void announce_continue(struct process *p)
{
	if (READ_ONCE(p->continue_unannounced) &&
	    __atomic_exchange_n(&p->continue_unannounced, false, __ATOMIC_ACQ_REL))
		notify_parent_jobctl(p, W_CONTINUED);
}

void jobctl_continued(struct process *p)
{
	announce_continue(p);
	wake_up_all(&p->stop_wait);
}

/* SIGKILL pending for t, or its group ending: a stopped thread must wake and die. */
static bool stop_interrupted(struct task *t)
{
	ksigset_t pending = READ_ONCE(t->sig_pending.set) | READ_ONCE(t->proc->sig_shared.set);

	return (pending & sigmask(SIGKILL)) || process_group_exiting();
}

void jobctl_stop_wait(struct task *self)
{
	struct process *p = self->proc;

	if (READ_ONCE(p->stopped))
		wait_event(p->stop_wait, !READ_ONCE(p->stopped) || stop_interrupted(self));
	announce_continue(p);
}

int jobctl_take_report(struct process *child, int options)
{
	int report = READ_ONCE(child->jobctl_report);
	bool wanted = (wifstopped(report) && (options & WSTOPPED)) ||
		      (wifcontinued(report) && (options & WCONTINUED));

	if (!report || !wanted)
		return 0;
	if (options & WNOWAIT)
		return report;
	/* A newer report that raced in is taken by the next wait. */
	return __atomic_compare_exchange_n(&child->jobctl_report, &report, 0, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED) ? report : 0;
}
