// SPDX-License-Identifier: GPL-2.0
/*
 * wait4 and waitid: a process reaps its ended children (include/mosaic/
 * process.h) and learns of stopped (WUNTRACED/WSTOPPED) and continued
 * (WCONTINUED) ones, each stop or continue reported once (job control,
 * kernel/signal_jobctl.c). rusage is zeroed.
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

/* What a wait found: the child (a reference for the caller) and its wait status. */
struct wait_result {
	struct process *child;
	int status;
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
 * A zombie's exit status, reaped unless WNOWAIT (the tree's reference
 * becomes the caller's). false: wo does not ask for exits.
 * Context: process_tree_lock held.
 */
static bool wait_take_exit(const struct wait_opts *wo, struct process *child, int *status)
{
	if (!(wo->options & WEXITED))
		return false;
	if (wo->options & WNOWAIT) {
		process_get(child);
	} else {
		child->state = PROCESS_REAPED;
		list_del_init(&child->sibling);
	}
	*status = child->wait_status;
	return true;
}

/* A live child's unreported stop or continue. Context: process_tree_lock held. */
static bool wait_take_jobctl(const struct wait_opts *wo, struct process *child, int *status)
{
	*status = jobctl_take_report(child, wo->options);
	if (!*status)
		return false;
	process_get(child);
	return true;
}

/*
 * One look at parent's children: 1 with *found set, 0 when a selected
 * child has nothing to report yet, -ECHILD when none is selected.
 */
static int wait_scan(struct process *parent, const struct wait_opts *wo, struct wait_result *found)
{
	unsigned long flags = spin_lock_irqsave(&process_tree_lock);
	struct process *child;
	bool taken;
	int ret = -ECHILD;

	list_for_each_entry(child, &parent->children, sibling) {
		if (!wait_selects(wo, child))
			continue;
		ret = 0;
		if (child->state == PROCESS_ZOMBIE)
			taken = wait_take_exit(wo, child, &found->status);
		else
			taken = wait_take_jobctl(wo, child, &found->status);
		if (taken) {
			found->child = child;
			ret = 1;
			break;
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, flags);
	return ret;
}

/* 1 with *found, 0 (WNOHANG and nothing ended yet), -ECHILD or -ERESTARTSYS. */
static int wait_for_child(const struct wait_opts *wo, struct wait_result *found)
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
	struct wait_result found;
	int ret, tgid;

	if (options & ~WAIT4_OPTIONS)
		return -EINVAL;
	wait4_selection(pid, &wo);
	ret = wait_for_child(&wo, &found);
	if (ret <= 0)
		return ret;
	tgid = found.child->tgid;
	ret = status ? put_user(found.status, status) : 0;
	process_put(found.child);
	if (!ret && rusage)
		ret = clear_user(rusage, RUSAGE_SIZE);
	return ret ? ret : tgid;
}

/* Fill infop (zeroed when nothing was found) and rusage. */
static int waitid_report(struct waitid_info __user *infop, void __user *rusage,
			 const struct wait_result *found)
{
	struct waitid_info info;
	int err = 0;

	memset(&info, 0, sizeof(info));
	if (found->child) {
		info.si_signo = SIGCHLD;
		info.si_pid = found->child->tgid;
		info.si_code = wait_status_to_cld(found->status, &info.si_status);
	}
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
	struct wait_result found = { 0 };
	int ret, err;

	if ((options & ~WAITID_OPTIONS) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (type != P_ALL && type != P_PID && type != P_PGID)
		return -EINVAL;
	if (type != P_ALL && id <= 0)
		return -EINVAL;
	ret = wait_for_child(&wo, &found);
	if (ret < 0)
		return ret;
	err = waitid_report(infop, rusage, &found);
	if (found.child)
		process_put(found.child);
	return err;
}
