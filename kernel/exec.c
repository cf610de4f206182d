// SPDX-License-Identifier: GPL-2.0
/*
 * execve and execveat: replace the calling process's program.
 *
 * The arguments are copied from user memory first (each string under
 * 128 KiB, all of them together within one EXEC request, RPC_MAX_PAYLOAD:
 * -E2BIG beyond). The other threads are ended. The new image is built by
 * the home memory node in a *new* address space (a fresh key, since the
 * old one must stay whole until the load is known to have worked): on
 * failure it is dropped, the error (-ENOENT, -ENOEXEC, -EACCES, ...)
 * returns to the caller and the old program keeps running. On success the
 * old space goes (every pte zapped, EXIT to the memory node), close-on-exec
 * fds close, a vfork parent wakes, and the system call returns through a
 * clean register frame at the new entry point (arch_exec_user_regs).
 *
 * execveat(fd, "", ..., AT_EMPTY_PATH) (glibc's and musl's fexecve) runs
 * the file fd was opened by: its path is exec'd again, so a file renamed
 * or unlinked since the open is not found (-ENOENT; Linux keeps the inode).
 *
 * Limits: a non-leader thread that execs keeps its own pid (Linux moves
 * it to the leader's).
 */
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/process.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

#define EXEC_STRING_MAX (128 * 1024)	/* Linux's MAX_ARG_STRLEN */
#define EXEC_VECTOR_MAX 4096		/* strings per vector */
#define EXEC_KEY_BASE 0x40000000U	/* address-space keys of exec'd images */

static u32 next_exec_key = EXEC_KEY_BASE;

/* The copied path, argv and envp: one block, freed with exec_args_free(). */
struct exec_args {
	char *path;
	char *text;		/* RPC_MAX_PAYLOAD bytes of strings */
	size_t used;
	const char *argv[EXEC_VECTOR_MAX + 1];
	const char *envp[EXEC_VECTOR_MAX + 1];
};

static void exec_args_free(struct exec_args *ea)
{
	kfree(ea->path);
	kfree(ea->text);
	kfree(ea);
}

/* Copy one NULL-terminated user vector of strings (NULL: empty). */
static int copy_string_vector(const char __user *const __user *uvec, const char **out,
			      struct exec_args *ea)
{
	const char __user *ustr;
	unsigned int n = 0;
	long len;

	for (; uvec; n++) {
		if (get_user(ustr, uvec + n))
			return -EFAULT;
		if (!ustr)
			break;
		if (n == EXEC_VECTOR_MAX)
			return -E2BIG;
		len = strncpy_from_user(ea->text + ea->used, ustr,
					min(RPC_MAX_PAYLOAD - ea->used, (size_t)EXEC_STRING_MAX));
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		out[n] = ea->text + ea->used;
		ea->used += len + 1;
	}
	out[n] = NULL;
	return 0;
}

/* AT_EMPTY_PATH: the path the regular file at fd was opened by. */
static int exec_fd_path(int fd, char **out)
{
	struct file *f = fd_get(current_files(), fd);
	size_t size;
	int err = 0;

	if (!f)
		return -EBADF;
	size = f->path ? strlen(f->path) + 1 : 0;
	if (f->type != S_IFREG || !size)
		err = -EACCES;	/* Linux: a directory, pipe or tty cannot be exec'd */
	else if (!(*out = kmalloc(size)))
		err = -ENOMEM;
	else
		memcpy(*out, f->path, size);
	file_put(f);
	return err;
}

/* The path to load: dirfd-relative upath, or dirfd itself for "" with AT_EMPTY_PATH. */
static int exec_path_lookup(int dirfd, const char __user *upath, int flags, char **out)
{
	char first;

	if (flags & AT_EMPTY_PATH) {
		if (get_user(first, upath))
			return -EFAULT;
		if (!first)
			return exec_fd_path(dirfd, out);
	}
	return path_lookup(dirfd, upath, out);
}

static struct exec_args *exec_args_copy(int dirfd, const char __user *upath, int flags,
					const char __user *const __user *argv,
					const char __user *const __user *envp, int *err)
{
	struct exec_args *ea = kzalloc(sizeof(*ea));

	if (!ea || !(ea->text = kmalloc(RPC_MAX_PAYLOAD))) {
		kfree(ea);
		*err = -ENOMEM;
		return NULL;
	}
	*err = exec_path_lookup(dirfd, upath, flags, &ea->path);
	if (!*err)
		*err = copy_string_vector(argv, ea->argv, ea);
	if (!*err)
		*err = copy_string_vector(envp, ea->envp, ea);
	if (*err) {
		exec_args_free(ea);
		return NULL;
	}
	return ea;
}

/* End every other thread of proc; returns once the caller is alone. */
static void exec_end_other_threads(struct process *proc)
{
	unsigned long flags;

	if (READ_ONCE(proc->nr_threads) == 1)
		return;
	process_start_group_exit(proc, 0, current_task());
	process_exit_if_killed();	/* an exit_group that came first wins */
	wait_event(proc->thread_wait, READ_ONCE(proc->nr_threads) == 1);
	flags = spin_lock_irqsave(&process_tree_lock);
	proc->group_exit = false;
	proc->group_exit_keeper = NULL;
	proc->leader = current_task();	/* the survivor leads (keeping its own pid) */
	spin_unlock_irqrestore(&process_tree_lock, flags);
}

/* Load ea into a new address space; on success it replaces proc->mm's place. */
static int exec_build_image(struct process *proc, struct exec_args *ea,
			    struct mm_struct **new_mm, unsigned long *entry, unsigned long *sp)
{
	struct mm_struct *old = proc->mm;
	u32 key = __atomic_fetch_add(&next_exec_key, 1, __ATOMIC_RELAXED);
	int err;

	*new_mm = mm_create(key, old->home_node);
	if (!*new_mm)
		return -ENOMEM;
	proc->mm = *new_mm;	/* process_exec_image loads proc->mm's space */
	err = process_exec_image(ea->path, ea->argv, ea->envp, entry, sp);
	proc->mm = old;
	if (err) {
		mm_release_space(*new_mm);
		mm_put(*new_mm);
	}
	return err;
}

/* The point of no return: the old image goes (unless shared), the new one is current. */
static void exec_switch_mm(struct process *proc, struct mm_struct *new_mm)
{
	struct task *self = current_task();
	u64 t = profile_start();

	detach_mm(self, proc->mm);
	process_drop_mm(proc);
	profile_end(PROF_exec_switch, t);
	process_set_mm(proc, new_mm);
	mm_put(new_mm);		/* mm_create's reference: the process holds one now */
	attach_mm(self, new_mm);
	process_vfork_release(proc);
}

static long do_execve(int dirfd, const char __user *upath, int flags,
		      const char __user *const __user *argv, const char __user *const __user *envp)
{
	struct task *self = current_task();
	struct process *proc = self->proc;
	struct mm_struct *new_mm;
	unsigned long entry, sp;
	struct exec_args *ea;
	int err;

	ea = exec_args_copy(dirfd, upath, flags, argv, envp, &err);
	if (!ea)
		return err;
	exec_end_other_threads(proc);
	err = exec_build_image(proc, ea, &new_mm, &entry, &sp);
	if (!err)
		err = task_set_exe(self, ea->path);
	if (err) {
		exec_args_free(ea);
		return err;
	}
	exec_switch_mm(proc, new_mm);
	files_close_on_exec(self->files);
	signal_exec_reset(proc);
	strlcpy(proc->exe, ea->path, sizeof(proc->exe));
	process_set_cmdline(proc, ea->argv);
	strlcpy(self->name, ea->argv[0] ? ea->argv[0] : ea->path, sizeof(self->name));
	exec_args_free(ea);
	arch_exec_user_regs(task_user_regs(self), entry, sp);
	return 0;
}

SYSCALL_DEFINE3(execve, __NR_execve, const char __user *, path,
		const char __user *const __user *, argv, const char __user *const __user *, envp)
{
	return do_execve(AT_FDCWD, path, 0, argv, envp);
}

SYSCALL_DEFINE5(execveat, __NR_execveat, int, dirfd, const char __user *, path,
		const char __user *const __user *, argv, const char __user *const __user *, envp,
		int, flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	return do_execve(dirfd, path, flags, argv, envp);
}
