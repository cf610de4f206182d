/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/ private interfaces: path lookup for the system calls, the storage
 * and /proc openers, and small helpers shared by the sys_*.c files.
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <mosaic/fs.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/uaccess.h>
#include <mosaic/storage.h>
#include <uapi/stat.h>

/* A kmalloc'd copy of s, or NULL (also for s == NULL). */
char *fs_strdup(const char *s);

/* ---- path lookup (path.c) ---- */

/*
 * Turn the user path upath, relative to dirfd (AT_FDCWD: the working
 * directory), into a kmalloc'd absolute normalised path in *out. Errors:
 * -EFAULT, -ENAMETOOLONG, -ENOENT (empty path: callers handle AT_EMPTY_PATH),
 * -EBADF (bad dirfd for a relative path), -ENOTDIR (dirfd not a directory),
 * -ENOMEM.
 */
int path_lookup(int dirfd, const char __user *upath, char **out);
/* The same for a kernel string. */
int path_lookup_kernel(int dirfd, const char *path, char **out);
/* The running task's working directory, copied (kmalloc'd) or NULL without memory. */
char *current_cwd(void);
/* Set the running task's working directory to the absolute path (copied). */
int set_current_cwd(const char *path);

/* /proc/self/exe of the running task, or NULL. */
const char *current_exe(void);

/* ---- storage (storage_file.c) ---- */

/* Open an absolute path on the storage node; O_* flags. */
struct file *storage_open(const char *path, unsigned int flags, u32 mode);
/* stat by path (follow: through a final symlink): 0 or -errno. */
int storage_stat(const char *path, bool follow, struct stat *st);
int storage_mkdir(const char *path, u32 mode);
int storage_unlink(const char *path, bool dir);
int storage_rename(const char *old_path, const char *new_path);
/* A symlink's target into buf (no NUL): its length, -EINVAL (not a link), -ENOENT... */
long storage_readlink(const char *path, char *buf, size_t size);
/* truncate / chmod by path, through a final symlink. */
int storage_truncate(const char *path, loff_t length);
int storage_chmod(const char *path, u32 mode);
/* A new symlink at path pointing to target (kept as given). */
int storage_symlink(const char *target, const char *path);
/* By open file: -EINVAL for what is not a storage file (ftruncate), or not writable. */
int storage_ftruncate(struct file *f, loff_t length);
/* By open file; for a file that is not on storage there is nothing to store: 0. */
int storage_fchmod(struct file *f, u32 mode);
/*
 * utimensat's new times (the atime/mtime and *_how fields of a template
 * request) for a path (follow: through a final symlink), or an open file
 * (for a file that is not on storage there is nothing to store: 0).
 */
int storage_utimes(const char *path, bool follow, const struct sto_utimes_req *times);
int storage_futimes(struct file *f, const struct sto_utimes_req *times);
/* f is a storage file (fsync has something to answer for). */
bool storage_file_syncable(const struct file *f);

/* ---- /proc (proc.c) ---- */

/* Boot: register meminfo and cpuinfo. */
void proc_init(void);
/* path is under /proc ("/proc" itself included). */
bool proc_path(const char *path);
struct file *proc_open(const char *path, unsigned int flags);
/* follow: through /proc/self/exe to the executable. */
int proc_stat(const char *path, bool follow, struct stat *st);
/* readlink: length copied into buf (no NUL), or -EINVAL (not a link), -ENOENT. */
long proc_readlink(const char *path, char *buf, size_t size);
/* /proc/self/maps text (the caller's vmas, by RPC to its memory node). */
long proc_maps_show(char *buf, size_t size);

/* ---- /proc/PID (proc_pid.c) ---- */

/* A process /proc/PID names, with references on both (proc_pid_put them). */
struct proc_target {
	struct task *task;	/* its leader */
	struct process *proc;
	char comm[16];		/* the executable's base name, as Linux's comm */
};
typedef long (*proc_pid_show_fn)(const struct proc_target *tg, char *buf, size_t size);

/*
 * path is "/proc/PID..." or "/proc/self...": find the process, and set
 * *rest to what follows ("" or "/name"). 0, or -ENOENT (no such process,
 * not such a path).
 */
int proc_pid_get(const char *path, struct proc_target *target, const char **rest);
void proc_pid_put(struct proc_target *target);
/* The show function of the file name in /proc/PID (NULL: none), and the index'th name. */
proc_pid_show_fn proc_pid_lookup(const char *name);
const char *proc_pid_file_name(size_t index);
/* The smallest tgid above after that /proc lists; 0: none; -ENOMEM. */
int proc_pid_next(int after);

/* ---- FIFOs: pipes opened by name (pipe.c, fifo.c) ---- */

struct pipe;
/*
 * A pipe with no ends yet; when its last end closes, idle(p, arg) runs
 * instead of freeing it (it must pipe_free() it or keep it). NULL: no memory.
 */
struct pipe *pipe_alloc_fifo(void (*idle)(struct pipe *p, void *arg), void *arg);
void pipe_free(struct pipe *p);
/* No end of p is open. */
bool pipe_unused(struct pipe *p);
/*
 * A new file on p's read end, write end or both (flags' access mode; also
 * O_NONBLOCK, O_APPEND). *seen is for pipe_wait_peer(). -ENXIO: write-only
 * and nonblocking with no reader; -ENOMEM.
 */
struct file *pipe_open_end(struct pipe *p, unsigned int flags, const char *path,
			   unsigned long *seen);
/*
 * FIFO open rules: a reader waits for a writer and a writer for a reader
 * (one that came and went since the open counts); O_RDWR and nonblocking
 * readers do not wait. 0, or -ERESTARTSYS when a signal came first.
 */
int pipe_wait_peer(struct file *f, unsigned long seen);
/* Open the FIFO ino of the storage node node (fifo.c): a file or an ERR_PTR. */
struct file *fifo_open(int node, u64 ino, unsigned int flags, const char *path);
/* mknod: a FIFO or a regular file on storage; other types -EPERM. */
int storage_mknod(const char *path, u32 mode);

/* ---- console (console.c) ---- */

/* Boot: default termios, the receive interrupt. */
void console_tty_init(void);

/* ---- files by name: /proc, /dev or storage (sys_open.c) ---- */

struct file *open_path(const char *path, unsigned int flags, u32 mode);
int stat_path(const char *path, bool follow, struct stat *st);

/* ---- poll.c, for select.c ---- */

struct pollfd;
struct timespec;

#define POLL_FOREVER U64_MAX	/* a timeout without limit */
#define SIGSET_SIZE 8		/* the only sigsetsize Linux x86-64 accepts */

/*
 * Wait up to timeout_ns (POLL_FOREVER: no limit) until one of fds is
 * ready: how many are, -EINTR or -ENOMEM. *left gets the time not used.
 */
int do_poll(struct pollfd *fds, unsigned int nfds, u64 timeout_ns, u64 *left);
/* A user timespec as a timeout: 0, -EFAULT or -EINVAL. NULL: no limit. */
int timespec_to_timeout(const struct timespec __user *uts, u64 *timeout);
/* Linux writes the unused time back into the caller's timespec (if any). */
void timespec_store_left(struct timespec __user *uts, u64 left);

/* ---- interrupting sleeps ---- */

/*
 * A blocked pipe read/write or console read gives up with -ERESTARTSYS,
 * poll/select with -EINTR, when this is true (a pending signal, or the
 * process being stopped); every such wait re-checks it whenever its task
 * is woken.
 */
static inline bool fs_interrupted(void)
{
	return signal_pending(current_task());
}

/* ---- fds of the running task ---- */

/* The file at fd in the running task's table with a reference, or NULL. */
struct file *fget(int fd);

#endif
