// SPDX-License-Identifier: GPL-2.0
/*
 * clone, fork and vfork (Linux x86-64 ABI; clone3 is -ENOSYS so that the
 * C libraries fall back to clone).
 *
 * The child is a new task that first sleeps in clone_child_main() until
 * the parent has set it up: its process (a new one, or the parent's for
 * CLONE_THREAD), mm (copy-on-write copy through mm_fork(), or shared for
 * CLONE_VM), files, fs, identity and limits, and the user register frame
 * at the top of its kernel stack (arch_copy_user_thread: the parent's
 * frame with rax 0) and, staged in struct clone_start, its FPU state and
 * FS/GS bases. Woken, it loads its mm, adopts the staged state and returns
 * to user mode through that frame (arch_return_to_user). A vfork parent then sleeps
 * until the child execs or ends.
 *
 * Supported flags: CLONE_VM, FS, FILES, SIGHAND, THREAD, SYSVSEM (no
 * semaphores exist: accepted), SETTLS, PARENT_SETTID, CHILD_SETTID,
 * CHILD_CLEARTID, VFORK, PARENT, DETACHED and UNTRACED (ignored as Linux
 * does), the exit signal in the low byte. Namespaces, CLONE_PIDFD,
 * CLONE_PTRACE and CLONE_IO give -EINVAL.
 */
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>
#include <uapi/sched.h>

#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM |        \
			 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID |        \
			 CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID)
#define NSIG_MAX 64

struct clone_args {
	unsigned long flags, new_sp, tls;
	int __user *parent_tid;
	int __user *child_tid;
};

/* What the parent hands the sleeping child. */
struct clone_start {
	struct completion ready;
	bool abort;			/* setting up failed: end without running */
	struct mm_struct *mm;		/* to load (a reference the child takes over) */
	struct thread_arch arch;	/* FPU state and bases the child adopts */
	int __user *set_child_tid;	/* CLONE_CHILD_SETTID, in the child's memory */
};

static int clone_child_main(void *arg)
{
	struct clone_start *cs = arg;
	struct task *self = current_task();
	struct thread_arch arch;
	int __user *tidp;

	wait_for_completion(&cs->ready);
	if (cs->abort) {
		kfree(cs);	/* the parent freed what it had staged */
		return 0;
	}
	attach_mm(self, cs->mm);
	mm_put(cs->mm);
	tidp = cs->set_child_tid;
	arch = cs->arch;
	kfree(cs);
	if (tidp)
		put_user(self->pid, tidp);	/* a bad pointer is ignored, as in Linux */
	arch_return_to_user(&arch);
}

/* Linux's consistency rules, and what Mosaic does not have. */
static int clone_check_flags(unsigned long flags)
{
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CSIGNAL) > NSIG_MAX)
		return -EINVAL;
	return 0;
}

/* Identity, limits, files and fs: shared or copied as flags say. */
static int clone_task_state(struct task *child, struct task *self, unsigned long flags)
{
	struct files_struct *files = files_dup(self->files, flags & CLONE_FILES);
	struct fs_struct *fs;

	if (IS_ERR(files))
		return PTR_ERR(files);
	fs = fs_struct_dup(self->fs, flags & CLONE_FS);
	if (IS_ERR(fs)) {
		files_put(files);
		return PTR_ERR(fs);
	}
	child->files = files;
	child->fs = fs;
	signal_task_init(child, self);
	child->pgid = self->pgid ? self->pgid : self->tgid;	/* 0 reads as "own tgid" */
	child->sid = self->sid ? self->sid : self->tgid;
	child->umask = self->umask;
	memcpy(child->rlim, self->rlim, sizeof(child->rlim));
	return self->exe ? task_set_exe(child, self->exe) : 0;
}

/* The child's address space: the parent's (CLONE_VM) or a copy-on-write copy. */
static struct mm_struct *clone_mm(struct mm_struct *mm, unsigned long flags, int tgid)
{
	struct mm_struct *copy;
	int err;

	if (flags & CLONE_VM) {
		mm_get(mm);
		return mm;
	}
	copy = mm_create(tgid, mm->home_node);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	err = mm_fork(mm, copy);
	if (err) {
		mm_put(copy);	/* mm_fork left nothing of it anywhere */
		return ERR_PTR(err);
	}
	return copy;	/* no process uses it yet: clone_process adds the child */
}

/* A new process led by child, linked under its parent. */
static struct process *clone_process(struct task *child, struct process *parent,
				     unsigned long flags, struct mm_struct *mm)
{
	struct process *proc = process_alloc();

	if (!proc)
		return NULL;
	proc->tgid = child->pid;
	proc->leader = child;
	proc->exit_signal = flags & CSIGNAL;
	process_set_mm(proc, mm);
	proc->brk = parent->brk;
	strlcpy(proc->exe, parent->exe, sizeof(proc->exe));
	memcpy(proc->cmdline, parent->cmdline, sizeof(proc->cmdline));
	proc->cmdline_len = parent->cmdline_len;
	if (signal_fork(parent, proc, flags & CLONE_SIGHAND)) {
		process_drop_mm(proc);
		process_put(proc);
		return NULL;
	}
	if ((flags & CLONE_PARENT) && parent->parent)
		parent = parent->parent;
	process_link_child(parent, proc);
	return proc;
}

/* Join child to a process: the caller's (threads) or a new one. */
static int clone_join_process(struct task *child, struct task *self, unsigned long flags,
			      struct mm_struct *mm)
{
	struct process *proc = self->proc;

	if (flags & CLONE_THREAD) {
		child->tgid = self->tgid;
		child->ppid = self->ppid;
	} else {
		proc = clone_process(child, self->proc, flags, mm);
		if (!proc)
			return -ENOMEM;
		child->tgid = child->pid;
		child->ppid = proc->parent->tgid;
	}
	process_add_thread(proc, child);
	if (!(flags & CLONE_THREAD))
		process_put(proc);	/* the thread and the parent hold it now */
	return 0;
}

/* Everything but the mm, which the child loads itself. 0 or -errno. */
static int clone_setup_child(struct task *child, struct clone_start *cs,
			     const struct clone_args *ca, const struct pt_regs *regs)
{
	struct task *self = current_task();
	int err = arch_copy_user_thread(child, &cs->arch, regs, ca->new_sp,
					ca->flags & CLONE_SETTLS, ca->tls);

	if (!err)
		err = clone_task_state(child, self, ca->flags);
	if (err)
		return err;
	if (ca->flags & CLONE_CHILD_SETTID)
		cs->set_child_tid = ca->child_tid;
	if (ca->flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (unsigned long)ca->child_tid;
	return clone_join_process(child, self, ca->flags, cs->mm);
}

/* Start child running, or end it when it could not be set up. */
static void clone_release_child(struct task *child, struct clone_start *cs, int err)
{
	if (err) {
		arch_thread_state_free(&cs->arch);
		fs_task_exit(child);
		if (cs->mm && !READ_ONCE(cs->mm->process_users))
			mm_release_space(cs->mm);	/* a fork's copy no process took */
		if (cs->mm)
			mm_put(cs->mm);
		cs->abort = true;
	}
	complete(&cs->ready);
	kthread_detach(child);
}

/*
 * The child task, charged to the task limit, waiting on (*csp)->ready; or
 * ERR_PTR(-EAGAIN) past the limit, -ENOMEM.
 */
static struct task *clone_create_child(struct task *self, struct clone_start **csp)
{
	struct clone_start *cs;
	struct task *child;
	int err = task_limit_charge(self);

	if (err)
		return ERR_PTR(err);
	cs = kzalloc(sizeof(*cs));
	if (!cs) {
		task_limit_uncharge();
		return ERR_PTR(-ENOMEM);
	}
	init_completion(&cs->ready);
	child = kthread_create(clone_child_main, cs, self->name);
	if (IS_ERR(child)) {
		task_limit_uncharge();
		kfree(cs);
		return ERR_PTR(-EAGAIN);
	}
	child->flags |= TASK_LIMIT_CHARGED;	/* it waits on cs->ready: nobody else writes flags */
	*csp = cs;
	return child;
}

static long do_clone(const struct clone_args *ca)
{
	struct task *self = current_task();
	struct completion vfork_done;
	struct clone_start *cs = NULL;
	struct task *child;
	int err, pid;

	err = clone_check_flags(ca->flags);
	if (err)
		return err;
	child = clone_create_child(self, &cs);
	if (IS_ERR(child))
		return PTR_ERR(child);
	pid = child->pid;
	cs->mm = clone_mm(self->mm, ca->flags, pid);
	err = IS_ERR(cs->mm) ? PTR_ERR(cs->mm) : 0;
	if (err)
		cs->mm = NULL;
	else
		err = clone_setup_child(child, cs, ca, task_user_regs(self));
	if (!err && (ca->flags & CLONE_PARENT_SETTID))
		put_user(pid, ca->parent_tid);
	if (!err && (ca->flags & CLONE_VFORK)) {
		init_completion(&vfork_done);
		child->proc->vfork_done = &vfork_done;
	}
	clone_release_child(child, cs, err);
	if (err)
		return err;
	if (ca->flags & CLONE_VFORK)
		wait_for_completion(&vfork_done);
	return pid;
}

SYSCALL_DEFINE5(clone, __NR_clone, unsigned long, flags, unsigned long, new_sp,
		int __user *, parent_tid, int __user *, child_tid, unsigned long, tls)
{
	struct clone_args ca = { .flags = flags, .new_sp = new_sp, .tls = tls,
				 .parent_tid = parent_tid, .child_tid = child_tid };

	return do_clone(&ca);
}

SYSCALL_DEFINE0(fork, __NR_fork)
{
	struct clone_args ca = { .flags = SIGCHLD };

	return do_clone(&ca);
}

SYSCALL_DEFINE0(vfork, __NR_vfork)
{
	struct clone_args ca = { .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };

	return do_clone(&ca);
}

/* The C libraries fall back to clone when clone3 is missing. */
SYSCALL_DEFINE2(clone3, __NR_clone3, void __user *, args, size_t, size)
{
	return -ENOSYS;
}
