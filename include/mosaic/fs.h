/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files on the processor node (fs/): open file objects, per-task fd tables
 * and working directories, the console tty, files forwarded to the storage
 * manager, and the synthetic /proc files. The file system calls live in
 * fs/sys_*.c and reach everything through this header.
 *
 * A struct file is one open: an ops table, a reference count, the file
 * position and the status flags (O_ACCMODE, O_APPEND, O_NONBLOCK). File
 * operations take *kernel* buffers; the system calls copy to and from user
 * memory around them, so an op never sees a user pointer (except ioctl's
 * argument, which is the caller's to interpret).
 *
 * A task's files_struct maps fds to files, with a close-on-exec bit per fd.
 * Tables grow on demand up to FILES_MAX fds (-EMFILE beyond). A task's
 * fs_struct holds its working directory; both may be shared between tasks
 * (CLONE_FILES, CLONE_FS) and are reference counted. A kernel thread has
 * neither (NULL): its working directory is "/" and it has no fds.
 *
 * Paths: lookups turn a user path into an absolute, lexically normalised
 * path ("." and ".." are resolved by name, not by following symlinks), so
 * getcwd() prints what chdir() was given. Paths under /proc are served
 * here; every other path goes to the storage manager.
 *
 * Lock order: files_struct.lock -> (nothing); fs_struct.lock -> (nothing);
 * file.pos_lock (a mutex) -> the storage RPCs and the tty lock.
 */
#ifndef _MOSAIC_FS_H
#define _MOSAIC_FS_H

#include <mosaic/spinlock.h>
#include <mosaic/types.h>
#include <mosaic/uaccess.h>
#include <mosaic/wait.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

typedef s64 loff_t;

#define FILES_MAX 1024		/* fds per table (Linux's default RLIMIT_NOFILE) */
#define PATH_MAX 4096		/* with the NUL */

struct file;
struct poll_table;
struct task;

/*
 * What a kind of file can do. A missing op means: read/write -EINVAL,
 * llseek -ESPIPE (and pread/pwrite -ESPIPE), getdents -ENOTDIR,
 * ioctl -ENOTTY, poll: always ready. read and write move bytes at *pos
 * and advance it; the same op serves read() (pos = &file->pos) and
 * pread() (a local pos).
 */
struct file_operations {
	long (*read)(struct file *f, char *buf, size_t len, loff_t *pos);
	long (*write)(struct file *f, const char *buf, size_t len, loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t offset, int whence);
	int (*fstat)(struct file *f, struct stat *st);
	/* Fill buf with struct linux_dirent64 records from f->pos on; bytes or -errno. */
	long (*getdents)(struct file *f, void *buf, size_t len);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* POLL* bits ready now; queue pt on the wait queues (include/mosaic/poll.h). */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	/* The last reference went: free private_data. */
	void (*release)(struct file *f);
};

struct file {
	const struct file_operations *f_op;
	int refcount;
	unsigned int flags;	/* O_ACCMODE | O_APPEND | O_NONBLOCK ... as opened/F_SETFL */
	u32 type;		/* S_IFREG, S_IFDIR, S_IFCHR ... */
	loff_t pos;
	struct mutex pos_lock;	/* held across read/write/lseek/getdents that use pos */
	char *path;		/* absolute path it was opened by (dirfd, fchdir), or NULL */
	void *private_data;
};

/* A new file with one reference: NULL without memory. path is copied (may be NULL). */
struct file *file_alloc(const struct file_operations *ops, unsigned int flags, u32 type,
			const char *path, void *private_data);
void file_get(struct file *f);
/* Drop a reference; the last one calls f_op->release and frees the file. */
void file_put(struct file *f);

static inline bool file_readable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static inline bool file_writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* ---- fd tables (fs/fdtable.c) ---- */

struct files_struct {
	spinlock_t lock;	/* the arrays and max_fds */
	int refcount;		/* tasks sharing the table */
	unsigned int max_fds;	/* length of fd[]; grows to FILES_MAX */
	struct file **fd;
	unsigned long *cloexec;	/* one bit per fd */
};

/* An empty table / one with 0, 1 and 2 on the console. ERR_PTR(-ENOMEM). */
struct files_struct *files_create(void);
struct files_struct *files_create_stdio(void);
void files_get(struct files_struct *files);
/* Drop a reference; the last one closes every fd. */
void files_put(struct files_struct *files);
/* For fork/clone: share (CLONE_FILES: same table, one more reference) or copy.
 * NULL in, NULL out; otherwise a table or ERR_PTR(-ENOMEM). */
struct files_struct *files_dup(struct files_struct *files, bool share);
/* For execve: close every fd marked close-on-exec. */
void files_close_on_exec(struct files_struct *files);
/* The running task's table, or NULL (kernel threads). */
struct files_struct *current_files(void);

/*
 * Put f at the lowest free fd >= min_fd. On success the table takes over
 * the caller's reference and the fd is returned; -EMFILE when none is free
 * below FILES_MAX, -EINVAL when min_fd >= FILES_MAX, -ENOMEM.
 */
int fd_install(struct files_struct *files, struct file *f, unsigned int min_fd, bool cloexec);
/* Put f at fd exactly, closing what was there (dup2). Takes the caller's reference. */
int fd_install_at(struct files_struct *files, unsigned int fd, struct file *f, bool cloexec);
/* The file at fd with a reference taken (file_put it), or NULL. */
struct file *fd_get(struct files_struct *files, int fd);
/* Close fd: 0 or -EBADF. */
int fd_close(struct files_struct *files, int fd);
/* Close-on-exec bit: 0/1, or -EBADF. */
int fd_get_cloexec(struct files_struct *files, int fd);
int fd_set_cloexec(struct files_struct *files, int fd, bool on);

/* ---- working directory and executable (fs/path.c) ---- */

struct fs_struct {
	spinlock_t lock;	/* cwd */
	int refcount;
	char *cwd;		/* absolute, normalised, kmalloc'd */
};

/* A new fs_struct at "/": ERR_PTR(-ENOMEM). */
struct fs_struct *fs_struct_create(void);
/* For fork/clone: share (CLONE_FS) or copy; NULL (a kthread's) gives a new one at "/". */
struct fs_struct *fs_struct_dup(struct fs_struct *fs, bool share);
void fs_struct_put(struct fs_struct *fs);

/*
 * A user path (relative ones from dirfd, AT_FDCWD: the cwd) as an absolute,
 * normalised kmalloc'd path in *out. 0 or -EFAULT, -ENAMETOOLONG, -ENOENT
 * (empty), -EBADF, -ENOTDIR, -ENOMEM. (fs/path.c)
 */
int path_lookup(int dirfd, const char __user *upath, char **out);

/* Record t's executable path for /proc/self/exe (copied): 0 or -ENOMEM. */
int task_set_exe(struct task *t, const char *path);
/* At task exit: drop t's files, fs and exe. */
void fs_task_exit(struct task *t);

/*
 * Normalise an absolute path in place: collapse "//", drop ".", apply ".."
 * by name (".." at the root stays at the root), no trailing '/'.
 */
void path_normalize(char *path);

/* An absolute path names a regular file (through symlinks): for the boot code. */
bool fs_path_is_file(const char *path);

/* ---- the console tty (fs/console.c) ---- */

/* A new open of the console (read/write): ERR_PTR(-ENOMEM). */
struct file *console_open(void);

/* ---- pipes (fs/pipe.c) ---- */

#define PIPE_BUF 4096		/* writes up to this size are never interleaved */
#define PIPE_SIZE (64 * 1024)	/* bytes a pipe holds */

/*
 * A new pipe: *rd (O_RDONLY) and *wr (O_WRONLY) ends, each with one
 * reference; flags may hold O_NONBLOCK. 0 or -ENOMEM.
 */
int pipe_create(struct file **rd, struct file **wr, unsigned int flags);

/* ---- storage files (fs/storage_file.c) ---- */

/* The node that serves files (default: this node, as with mosaic.role=all). */
int fs_storage_node(void);
void fs_set_storage_node(int node);

/* ---- /proc (fs/proc.c) ---- */

/*
 * Add /proc/<name>, a read-only file whose text show() writes into buf
 * (at most size bytes) when it is opened. show returns the length, or a
 * length >= size to ask for a bigger buffer, or -errno. Returns 0, -EEXIST,
 * -EINVAL (bad name) or -ENOMEM.
 */
int proc_register(const char *name, long (*show)(char *buf, size_t size));
/*
 * Let /proc/<name> (registered already) be opened write-only: each write()
 * of at most 64 bytes goes to store(), which returns the bytes taken or
 * -errno. 0, -ENOENT (no such file) or -EINVAL.
 */
int proc_register_store(const char *name, long (*store)(const char *buf, size_t len));

/* Boot: the /proc files of fs/ and console input. After apic_init(). */
void fs_init(void);
/* Start the console's signal thread (^C): after sched_init(). */
void console_tty_start(void);

#endif
