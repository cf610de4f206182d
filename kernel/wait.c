// SPDX-License-Identifier: GPL-2.0
/*
 * wait4 and waitid: a process reaps its ended children (include/mosaic/
 * process.h). Only exits are reported (no job control yet): WUNTRACED,
 * WSTOPPED and WCONTINUED are accepted and never match. rusage is zeroed.
 *
 * Children are the process's, so any of its threads may wait for them.
 * Without __WALL, __WCLONE selects the children whose exit signal is not
 * SIGCHLD and its absence the others, as in Linux.
 *
 * Context: scans under process_tree_lock, inside a wait on the caller's
 * child_wait (woken by an ending child, kernel/exit.c).
 */
#include <mosaic/errno.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>
#include <uapi/wait.h>

#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)
#define WAITID_OPTIONS (WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD | \
			__WCLONE | __WALL)

struct wait_opts {
	int type;		/* P_ALL, P_PID or P_PGID */
	int id;
	int options;		/* as waitid has them (wait4 adds WEXITED) */
};

/* Context: process_tree_lock held. */
static int child_pgid(const struct process *child)
{
	const struct task *t;

	if (list_empty(&child->threads))
		return child->exit_pgid;
	t = list_first_entry(&child->threads, struct task, thread_link);
	return t->pgid ? t->pgid : t->tgid;
}

/* Context: process_tree_lock held. */
static bool wait_selects(const struct wait_opts *wo, const struct process *child)
{
	bool clone_child = child->exit_signal != SIGCHLD;

	if (!(wo->options & __WALL) && clone_child != !!(wo->options & __WCLONE))
		return false;
	if (wo->type == P_PID)
		return child->tgid == wo->id;
	if (wo->type == P_PGID)
		return child_pgid(child) == wo->id;
	return true;
}

/*
 * One look at parent's children: 1 with *found set (reaped unless WNOWAIT;
 * the caller owns a reference), 0 when a selected child is still running,
 * -ECHILD when none is selected.
 */
static int wait_scan(struct process *parent, const struct wait_opts *wo, struct process **found)
{
	unsigned long flags = spin_lock_irqsave(&process_tree_lock);
	struct process *child;
	int ret = -ECHILD;

	list_for_each_entry(child, &parent->children, sibling) {
		if (!wait_selects(wo, child))
			continue;
		ret = 0;
		if (child->state != PROCESS_ZOMBIE || !(wo->options & WEXITED))
			continue;
		if (wo->options & WNOWAIT) {
			process_get(child);
		} else {
			child->state = PROCESS_REAPED;
			list_del_init(&child->sibling);	/* the tree's reference is ours */
		}
		*found = child;
		ret = 1;
		break;
	}
	spin_unlock_irqrestore(&process_tree_lock, flags);
	return ret;
}

/* 1 with *found, 0 (WNOHANG and nothing ended yet), -ECHILD or -ERESTARTSYS. */
static int wait_for_child(const struct wait_opts *wo, struct process **found)
{
	struct process *self = current_process();
	int ret;

	if (!self)
		return -ECHILD;
	wait_event(self->child_wait, (ret = wait_scan(self, wo, found)) != 0 ||
		   (wo->options & WNOHANG) || process_group_exiting() ||
		   signal_pending(current_task()));
	if (ret == 0 && !(wo->options & WNOHANG))
		return -ERESTARTSYS;	/* a signal: restarted after the handler if SA_RESTART */
	return ret;
}

/* wait4's pid argument as a waitid selection. */
static void wait4_selection(int pid, struct wait_opts *wo)
{
	struct task *self = current_task();

	if (pid > 0) {
		wo->type = P_PID;
		wo->id = pid;
	} else if (pid == -1) {
		wo->type = P_ALL;
	} else {
		wo->type = P_PGID;
		wo->id = pid ? -pid : (self->pgid ? self->pgid : self->tgid);
	}
}

SYSCALL_DEFINE4(wait4, __NR_wait4, int, pid, int __user *, status, int, options,
		void __user *, rusage)
{
	struct wait_opts wo = { .options = options | WEXITED };
	struct process *child;
	int ret, tgid;

	if (options & ~WAIT4_OPTIONS)
		return -EINVAL;
	wait4_selection(pid, &wo);
	ret = wait_for_child(&wo, &child);
	if (ret <= 0)
		return ret;
	tgid = child->tgid;
	ret = status ? put_user(child->wait_status, status) : 0;
	process_put(child);
	if (!ret && rusage)
		ret = clear_user(rusage, RUSAGE_SIZE);
	return ret ? ret : tgid;
}

static void fill_waitid_info(struct waitid_info *info, const struct process *child)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = SIGCHLD;
	info->si_pid = child->tgid;
	if (wifsignaled(child->wait_status)) {
		info->si_code = CLD_KILLED;
		info->si_status = wtermsig(child->wait_status);
	} else {
		info->si_code = CLD_EXITED;
		info->si_status = wexitstatus(child->wait_status);
	}
}

/* Fill infop (zeroed when nothing was found) and rusage. */
static int waitid_report(struct waitid_info __user *infop, void __user *rusage,
			 struct process *child)
{
	struct waitid_info info;
	int err = 0;

	if (child)
		fill_waitid_info(&info, child);
	else
		memset(&info, 0, sizeof(info));
	if (infop)
		err = copy_to_user(infop, &info, sizeof(info));
	if (!err && rusage)
		err = clear_user(rusage, RUSAGE_SIZE);
	return err;
}

SYSCALL_DEFINE5(waitid, __NR_waitid, int, type, int, id, struct waitid_info __user *, infop,
		int, options, void __user *, rusage)
{
	struct wait_opts wo = { .type = type, .id = id, .options = options };
	struct process *child = NULL;
	int ret, err;

	if ((options & ~WAITID_OPTIONS) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (type != P_ALL && type != P_PID && type != P_PGID)
		return -EINVAL;
	if (type != P_ALL && id <= 0)
		return -EINVAL;
	ret = wait_for_child(&wo, &child);
	if (ret < 0)
		return ret;
	err = waitid_report(infop, rusage, child);
	if (child)
		process_put(child);
	return err;
}
