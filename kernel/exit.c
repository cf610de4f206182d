// SPDX-License-Identifier: GPL-2.0
/*
 * Ending threads and processes (include/mosaic/process.h): exit, exit_group
 * and the path every fatal end takes.
 *
 * A thread leaves through thread_exit(): it clears and wakes its
 * clear_child_tid word, leaves its process's thread list, drops its mm and
 * files. The last thread out ends the process: its address space goes
 * (every pte zapped through the pcache, EXIT to the home memory node), its
 * children go to init, and it becomes a zombie its parent reaps with wait4
 * (init's children are reaped at once).
 *
 * A group exit (exit_group, a fatal fault, exec) sets proc->group_exit;
 * every other thread ends the next time it returns to user mode
 * (exit_to_user_mode -> process_exit_if_killed) and is woken if asleep.
 *
 * Context: process_tree_lock as kernel/process.c says.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>

/* Tell the home memory node to free the address space. */
static void release_remote_space(struct mm_struct *mm)
{
	struct mem_exit_req req = { .tgid = mm->tgid };
	struct mem_ret_reply reply;
	long len = rpc_call(mm->home_node, RPC_MEM_EXIT, &req, sizeof(req), &reply, sizeof(reply));

	if (len == -EHOSTDOWN)
		return;		/* the node is lost: nothing left there to free */
	if (len < 0 || (len == sizeof(reply) && reply.ret < 0 && reply.ret != -ESRCH))
		pr_warn("mosaic: tgid %u: memory node %d did not free the space (%ld)\n",
			mm->tgid, mm->home_node, len < 0 ? len : (long)reply.ret);
}

void mm_release_space(struct mm_struct *mm)
{
	u64 t = profile_start();

	zap_pte_range(mm, 0, USER_SPACE_END);
	profile_end(PROF_mm_zap, t);
	t = profile_start();
	release_remote_space(mm);
	profile_end(PROF_mm_exit_rpc, t);
}

void process_set_mm(struct process *proc, struct mm_struct *mm)
{
	mm_get(mm);
	__atomic_add_fetch(&mm->process_users, 1, __ATOMIC_RELAXED);
	proc->mm = mm;
}

void process_drop_mm(struct process *proc)
{
	struct mm_struct *mm = proc->mm;

	if (!mm)
		return;
	if (!__atomic_sub_fetch(&mm->process_users, 1, __ATOMIC_ACQ_REL))
		mm_release_space(mm);
	proc->mm = NULL;
	mm_put(mm);
}

/* CLONE_CHILD_CLEARTID / set_tid_address: store 0 and wake one futex waiter. */
static void clear_child_tid(struct task *self)
{
	int __user *uaddr = (int __user *)self->clear_child_tid;
	int zero = 0;

	self->clear_child_tid = 0;
	if (uaddr && self->mm && !put_user(zero, uaddr))
		futex_wake_word(self->mm, (unsigned long)uaddr, 1);
}

/*
 * Leave proc's thread list; true for the last thread. *status becomes the
 * process's: the group's exit status if set, else the leader's code.
 */
static bool thread_unlink(struct process *proc, struct task *self, int *status)
{
	unsigned long flags = spin_lock_irqsave(&process_tree_lock);
	bool last;

	list_del_init(&self->thread_link);
	last = --proc->nr_threads == 0;
	if (self == proc->leader) {
		proc->leader_status = *status;	/* as Linux: the leader's code counts */
		proc->leader = NULL;
	}
	if (last) {
		proc->exit_pgid = self->pgid ? self->pgid : self->tgid;
		*status = proc->leader_status;
	}
	if (proc->group_exit && proc->group_exit_keeper != self)
		*status = proc->group_exit_status;
	spin_unlock_irqrestore(&process_tree_lock, flags);
	return last;
}

/* Context: process_tree_lock held. */
static void set_ppid_of_threads(struct process *proc, int ppid)
{
	struct task *t;

	list_for_each_entry(t, &proc->threads, thread_link)
		t->ppid = ppid;
}

/*
 * Give proc's children to init; those already zombies move to reaped (init
 * would reap them at once). Context: process_tree_lock held.
 */
static void reparent_children(struct process *proc, struct list_head *reaped)
{
	struct process *child, *next;

	list_for_each_entry_safe(child, next, &proc->children, sibling) {
		child->parent = &init_process;
		set_ppid_of_threads(child, init_process.tgid);
		if (child->state == PROCESS_ZOMBIE) {
			child->state = PROCESS_REAPED;
			list_move_tail(&child->sibling, reaped);
		} else {
			list_move_tail(&child->sibling, &init_process.children);
		}
	}
}

/* Drop the parent's references of processes no one will wait for. */
static void put_reaped(struct list_head *reaped)
{
	struct process *child, *next;

	list_for_each_entry_safe(child, next, reaped, sibling) {
		list_del_init(&child->sibling);
		process_put(child);
	}
}

/* The exit signal (SIGCHLD, or what clone's low byte said; 0: none) to parent. */
static void notify_parent(struct process *parent, struct process *child)
{
	if (child->exit_signal == SIGCHLD)
		send_sigchld(parent, child->tgid, child->wait_status);
	else if (child->exit_signal)
		send_signal_process(parent, child->exit_signal);
}

/* The process has no threads left: zombie (or reaped by init), parent woken. */
static void process_become_zombie(struct process *proc, int status)
{
	LIST_HEAD(reaped);
	unsigned long flags;
	struct process *parent;

	proc->wait_status = status;
	flags = spin_lock_irqsave(&process_tree_lock);
	reparent_children(proc, &reaped);
	parent = proc->parent;
	if (parent == &init_process) {
		proc->state = PROCESS_REAPED;
		list_move_tail(&proc->sibling, &reaped);
	} else {
		proc->state = PROCESS_ZOMBIE;
	}
	/*
	 * Under the lock that wait4 scans with: once wait4 can see the
	 * zombie, SIGCHLD is already pending, so its handler runs before
	 * waitpid() returns (as Linux, under tasklist_lock).
	 */
	if (parent != &init_process)
		notify_parent(parent, proc);
	process_get(parent);	/* for the wake-up, after the lock */
	spin_unlock_irqrestore(&process_tree_lock, flags);
	wake_up_all(&parent->child_wait);
	process_put(parent);
	complete_all(&proc->exited);
	put_reaped(&reaped);
}

/* A vfork parent sleeps until its child stops using the borrowed mm. */
void process_vfork_release(struct process *proc)
{
	struct completion *done = __atomic_exchange_n(&proc->vfork_done, NULL, __ATOMIC_ACQ_REL);

	if (done)
		complete(done);
}

__noreturn void thread_exit(int status)
{
	struct task *self = current_task();
	struct process *proc = self->proc;
	bool last;

	clear_child_tid(self);
	last = thread_unlink(proc, self, &status);
	if (last) {
		process_vfork_release(proc);
		process_drop_mm(proc);
	}
	if (self->mm)
		detach_mm(self, self->mm);
	fs_task_exit(self);
	if (last) {
		if (proc->report_counters)	/* the runner's programs */
			pcache_print_counters(proc->exe);
		process_become_zombie(proc, status);
	} else {
		wake_up_all(&proc->thread_wait);
	}
	signal_task_exit(self);
	self->proc = NULL;
	process_put(proc);
	kthread_exit(status);
}

/* Ask every other thread of proc to end, with status for the process. */
bool process_start_group_exit(struct process *proc, int status, struct task *keeper)
{
	unsigned long flags = spin_lock_irqsave(&process_tree_lock);
	bool first = !proc->group_exit;
	struct task *t;

	if (first) {
		proc->group_exit = true;
		proc->group_exit_status = status;
		proc->group_exit_keeper = keeper;
	}
	list_for_each_entry(t, &proc->threads, thread_link)
		if (t != current_task())
			wake_up_process(t);
	spin_unlock_irqrestore(&process_tree_lock, flags);
	return first;
}

bool process_group_exiting(void)
{
	struct task *self = current_task();
	struct process *proc = self ? self->proc : NULL;

	return proc && READ_ONCE(proc->group_exit) && proc->group_exit_keeper != self;
}

void process_exit_if_killed(void)
{
	if (process_group_exiting())
		thread_exit(current_process()->group_exit_status);
}

__noreturn void process_exit(int status)
{
	process_start_group_exit(current_process(), status, NULL);
	thread_exit(status);
}

__noreturn void process_kill_self(int sig, const char *why, unsigned long address)
{
	struct process *proc = current_process();

	pr_err("%s (pid %d): %s at %#lx: signal %d\n", proc->exe, current_task()->pid, why,
	       address, sig);
	process_exit(W_SIGNALED(sig));
}

SYSCALL_DEFINE1(exit, __NR_exit, int, code)
{
	thread_exit(W_EXITCODE(code));
}

SYSCALL_DEFINE1(exit_group, __NR_exit_group, int, code)
{
	process_exit(W_EXITCODE(code));
}
