// SPDX-License-Identifier: GPL-2.0
/*
 * Processes (include/mosaic/process.h): spawning a program in a new task
 * with its own address space, waiting for it, and ending it.
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
};

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
static void attach_mm(struct task *self, struct mm_struct *mm)
{
	preempt_disable();
	self->mm = mm;
	switch_mm(NULL, mm);
	preempt_enable();
}

static void detach_mm(struct task *self, struct mm_struct *mm)
{
	preempt_disable();
	self->mm = NULL;
	switch_mm(mm, NULL);
	preempt_enable();
}

/* The body of a new process's task, until it runs the program in ring 3. */
static int process_main(void *arg)
{
	struct spawn_args *sa = arg;
	struct process *proc = sa->proc;
	struct task *self = current_task();
	unsigned long entry, sp;
	int err;

	proc->tgid = self->tgid = self->pid;
	proc->leader = self;
	self->proc = proc;
	proc->mm = mm_create(proc->tgid, rpc_self_node());
	if (!proc->mm) {
		pr_err("mosaic: %s: no memory for an address space\n", sa->path);
		kfree(sa);
		process_exit(W_EXITCODE(127));
	}
	attach_mm(self, proc->mm);
	self->files = files_create_stdio();
	if (!self->files || task_set_exe(self, sa->path)) {
		pr_err("mosaic: %s: no memory for the file table\n", sa->path);
		kfree(sa);
		process_exit(W_EXITCODE(127));
	}
	err = process_exec_image(sa->path, sa->argv, sa->envp, &entry, &sp);
	if (err) {
		pr_err("mosaic: cannot run %s: error %d\n", sa->path, err);
		kfree(sa);
		process_exit(W_EXITCODE(127));
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
	proc = kzalloc(sizeof(*proc));
	sa = proc ? spawn_args_create(proc, path, argv, envp) : NULL;
	if (!sa) {
		kfree(proc);
		return ERR_PTR(-ENOMEM);
	}
	proc->refcount = 2;	/* the caller's and the task's */
	init_completion(&proc->exited);
	strlcpy(proc->exe, path, sizeof(proc->exe));
	t = kthread_create(process_main, sa, basename_of(path));
	if (IS_ERR(t)) {
		kfree(sa);
		kfree(proc);
		return ERR_PTR(-EAGAIN);
	}
	kthread_detach(t);
	return proc;
}

/* Tell the home memory node to free the address space. */
static void release_remote_space(struct mm_struct *mm)
{
	struct mem_exit_req req = { .tgid = mm->tgid };
	struct mem_ret_reply reply;
	long len = rpc_call(mm->home_node, RPC_MEM_EXIT, &req, sizeof(req), &reply, sizeof(reply));

	if (len < 0 || (len == sizeof(reply) && reply.ret < 0 && reply.ret != -ESRCH))
		pr_warn("mosaic: tgid %u: memory node %d did not free the space (%ld)\n",
			mm->tgid, mm->home_node, len < 0 ? len : (long)reply.ret);
}

__noreturn void process_exit(int status)
{
	struct task *self = current_task();
	struct process *proc = self->proc;
	struct mm_struct *mm = proc->mm;

	if (mm) {
		zap_pte_range(mm, 0, USER_SPACE_END);
		release_remote_space(mm);
		detach_mm(self, mm);
		mm_put(mm);
		proc->mm = NULL;
	}
	fs_task_exit(self);
	pcache_print_counters(proc->exe);
	proc->wait_status = status;
	self->proc = NULL;
	complete_all(&proc->exited);
	process_put(proc);
	kthread_exit(status);
}

__noreturn void process_kill_self(int sig, const char *why, unsigned long address)
{
	struct process *proc = current_process();

	pr_err("%s (pid %d): %s at %#lx: signal %d\n", proc->exe, proc->tgid, why, address, sig);
	process_exit(W_SIGNALED(sig));
}

SYSCALL_DEFINE1(exit, __NR_exit, int, code)
{
	process_exit(W_EXITCODE(code));	/* one thread per process until threads land */
}

SYSCALL_DEFINE1(exit_group, __NR_exit_group, int, code)
{
	process_exit(W_EXITCODE(code));
}
