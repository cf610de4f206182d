// SPDX-License-Identifier: GPL-2.0
/*
 * Processes (include/mosaic/process.h): the tree rooted at init, spawning
 * a program in a new task with its own address space, and waiting for it.
 * Ending one is kernel/exit.c; fork is kernel/fork.c; wait4 kernel/wait.c.
 *
 * A process's first task is created as a kernel thread that builds the
 * user side of itself: the mm (the address space's key at the memory node
 * is the task's pid, which becomes the tgid), the image (EXEC through the
 * memory manager) and finally the switch to ring 3.
 */
#include <asm/thread.h>	/* arch_enter_user() */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/preempt.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>

/* What the new task needs to exec: a private copy of the caller's strings. */
struct spawn_args {
	struct process *proc;
	const char **argv, **envp;	/* copies, in the same allocation */
	char path[PROCESS_PATH_MAX];
	int home_node;			/* picked at spawn: in the order of the spawns */
};

DEFINE_SPINLOCK(process_tree_lock);

/* The reaper: no threads, never ends; the runner's programs are its children. */
struct process init_process = {
	.tgid = 1,
	.refcount = 1,
	.state = PROCESS_LIVE,
	.exe = "init",
	.children = LIST_HEAD_INIT(init_process.children),
	.sibling = LIST_HEAD_INIT(init_process.sibling),
	.threads = LIST_HEAD_INIT(init_process.threads),
	.child_wait = WAIT_QUEUE_HEAD_INIT(init_process.child_wait),
	.thread_wait = WAIT_QUEUE_HEAD_INIT(init_process.thread_wait),
	.stop_wait = WAIT_QUEUE_HEAD_INIT(init_process.stop_wait),
};

struct process *process_alloc(void)
{
	struct process *proc = kzalloc(sizeof(*proc));

	if (!proc)
		return NULL;
	proc->refcount = 1;
	proc->exit_signal = SIGCHLD;
	proc->state = PROCESS_LIVE;
	init_completion(&proc->exited);
	INIT_LIST_HEAD(&proc->children);
	INIT_LIST_HEAD(&proc->sibling);
	INIT_LIST_HEAD(&proc->threads);
	init_wait_queue_head(&proc->child_wait);
	init_wait_queue_head(&proc->thread_wait);
	init_wait_queue_head(&proc->stop_wait);
	return proc;
}

/* The parent's reference lasts until the child is reaped. */
void process_link_child(struct process *parent, struct process *child)
{
	unsigned long flags;

	process_get(child);
	flags = spin_lock_irqsave(&process_tree_lock);
	child->parent = parent;
	list_add_tail(&child->sibling, &parent->children);
	spin_unlock_irqrestore(&process_tree_lock, flags);
}

/* Undo process_link_child() for a child that never ran. */
void process_unlink_child(struct process *child)
{
	unsigned long flags = spin_lock_irqsave(&process_tree_lock);

	list_del_init(&child->sibling);
	child->parent = NULL;
	spin_unlock_irqrestore(&process_tree_lock, flags);
	process_put(child);
}

/* t joins proc and holds a reference to it until thread_exit(). */
void process_add_thread(struct process *proc, struct task *t)
{
	unsigned long flags;

	process_get(proc);
	flags = spin_lock_irqsave(&process_tree_lock);
	t->proc = proc;
	list_add_tail(&t->thread_link, &proc->threads);
	proc->nr_threads++;
	spin_unlock_irqrestore(&process_tree_lock, flags);
}

struct process *current_process(void)
{
	struct task *t = current_task();

	return t ? t->proc : NULL;
}

void process_get(struct process *proc)
{
	__atomic_add_fetch(&proc->refcount, 1, __ATOMIC_RELAXED);
}

void process_put(struct process *proc)
{
	if (!__atomic_sub_fetch(&proc->refcount, 1, __ATOMIC_ACQ_REL)) {
		signal_process_release(proc);
		kfree(proc);
	}
}

int process_wait(struct process *proc)
{
	wait_for_completion(&proc->exited);
	return proc->wait_status;
}

/* Make mm the running task's address space (the context switch keeps it loaded). */
void attach_mm(struct task *self, struct mm_struct *mm)
{
	mm_get(mm);	/* the task's own reference */
	preempt_disable();
	self->mm = mm;
	switch_mm(NULL, mm);
	preempt_enable();
}

void detach_mm(struct task *self, struct mm_struct *mm)
{
	preempt_disable();
	self->mm = NULL;
	switch_mm(mm, NULL);
	preempt_enable();
	mm_put(mm);
}

/* The body of a new process's task, until it runs the program in ring 3. */
static int process_main(void *arg)
{
	struct spawn_args *sa = arg;
	struct process *proc = sa->proc;
	struct task *self = current_task();
	struct mm_struct *mm;
	unsigned long entry, sp;
	int err;

	proc->tgid = self->tgid = self->pid;
	proc->leader = self;
	self->ppid = init_process.tgid;
	process_add_thread(proc, self);
	process_put(proc);	/* the spawn's hand-over reference: the thread holds one now */
	mm = mm_create(proc->tgid, sa->home_node);
	if (!mm) {
		pr_err("mosaic: %s: no memory for an address space\n", sa->path);
		kfree(sa);
		thread_exit(W_EXITCODE(127));
	}
	process_set_mm(proc, mm);
	mm_put(mm);
	attach_mm(self, mm);
	self->files = files_create_stdio();
	if (!self->files || task_set_exe(self, sa->path)) {
		pr_err("mosaic: %s: no memory for the file table\n", sa->path);
		kfree(sa);
		thread_exit(W_EXITCODE(127));
	}
	err = process_exec_image(sa->path, sa->argv, sa->envp, &entry, &sp);
	if (err) {
		pr_err("mosaic: cannot run %s: error %d\n", sa->path, err);
		kfree(sa);
		thread_exit(W_EXITCODE(127));
	}
	kfree(sa);
	arch_enter_user(entry, sp);
}

static size_t strings_size(const char *const *v, unsigned int *count)
{
	size_t size = 0;

	for (*count = 0; v && v[*count]; (*count)++)
		size += strlen(v[*count]) + 1;
	return size;
}

/* Copy the NULL-terminated vector v into *slots, its strings at *text. */
static const char **copy_vector(const char *const *v, unsigned int n, const char ***slots,
				char **text)
{
	const char **start = *slots;

	for (unsigned int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		memcpy(*text, v[i], len);
		(*slots)[i] = *text;
		*text += len;
	}
	(*slots)[n] = NULL;
	*slots += n + 1;
	return start;
}

static struct spawn_args *spawn_args_create(struct process *proc, const char *path,
					    const char *const *argv, const char *const *envp)
{
	unsigned int argc, envc;
	size_t text = strings_size(argv, &argc) + strings_size(envp, &envc);
	struct spawn_args *sa;
	const char **slots;
	char *t;

	sa = kmalloc(sizeof(*sa) + (argc + envc + 2) * sizeof(char *) + text);
	if (!sa)
		return NULL;
	sa->proc = proc;
	strlcpy(sa->path, path, sizeof(sa->path));
	slots = (const char **)(sa + 1);
	t = (char *)(slots + argc + envc + 2);
	sa->argv = copy_vector(argv, argc, &slots, &t);
	sa->envp = copy_vector(envp, envc, &slots, &t);
	return sa;
}

void process_set_cmdline(struct process *proc, const char *const *argv)
{
	size_t used = 0, n;

	for (; argv && *argv && used < sizeof(proc->cmdline); argv++) {
		n = min(strlen(*argv) + 1, sizeof(proc->cmdline) - used);
		memcpy(proc->cmdline + used, *argv, n);
		used += n;
	}
	proc->cmdline_len = (unsigned int)used;
}

static const char *basename_of(const char *path)
{
	const char *base = path;

	for (; *path; path++)
		if (*path == '/')
			base = path + 1;
	return base;
}

struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp)
{
	struct process *proc;
	struct spawn_args *sa;
	struct task *t;

	if (strlen(path) >= PROCESS_PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	proc = process_alloc();
	sa = proc ? spawn_args_create(proc, path, argv, envp) : NULL;
	if (!sa) {
		kfree(proc);
		return ERR_PTR(-ENOMEM);
	}
	sa->home_node = rpc_next_memory_node();
	proc->refcount = 2;	/* the caller's, and one handed to the new thread */
	proc->report_counters = true;
	strlcpy(proc->exe, path, sizeof(proc->exe));
	process_set_cmdline(proc, argv);
	process_link_child(&init_process, proc);	/* before it can end */
	t = kthread_create(process_main, sa, basename_of(path));
	if (IS_ERR(t)) {
		kfree(sa);
		process_unlink_child(proc);
		kfree(proc);
		return ERR_PTR(-EAGAIN);
	}
	kthread_detach(t);
	return proc;
}
