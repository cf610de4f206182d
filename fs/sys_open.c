// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and fd management: open, openat, close, dup, dup2, dup3, fcntl;
 * and open_path()/stat_path(), which send a path to the right place:
 * /proc here, the console and /dev/null here, everything else to storage.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>

#include "internal.h"

/* ---- the few device nodes fs/ provides ---- */

static long null_read(struct file *f, char *buf, size_t len, loff_t *pos)
{
	return 0;
}

static long null_write(struct file *f, const char *buf, size_t len, loff_t *pos)
{
	return (long)len;
}

static void chr_stat_fill(unsigned int rdev, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 5;
	st->st_nlink = 1;
	st->st_mode = S_IFCHR | 0666;
	st->st_rdev = rdev;
	st->st_blksize = 4096;
}

static int null_fstat(struct file *f, struct stat *st)
{
	chr_stat_fill((1 << 8) | 3, st);	/* char 1:3 */
	return 0;
}

static const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
	.fstat = null_fstat,
};

static bool dev_console_path(const char *path)
{
	return !strcmp(path, "/dev/console") || !strcmp(path, "/dev/tty");
}

/* /dev/console, /dev/tty or /dev/null; ERR_PTR(-ENOENT) for any other path. */
static struct file *dev_open(const char *path, unsigned int flags)
{
	struct file *f;

	if (dev_console_path(path))
		return console_open();
	if (strcmp(path, "/dev/null"))
		return ERR_PTR(-ENOENT);
	f = file_alloc(&null_fops, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), S_IFCHR, path,
		       NULL);
	return f ? f : ERR_PTR(-ENOMEM);
}

struct file *open_path(const char *path, unsigned int flags, u32 mode)
{
	struct file *f;

	if (proc_path(path))
		return proc_open(path, flags);
	f = dev_open(path, flags);
	if (f != ERR_PTR(-ENOENT))
		return f;
	return storage_open(path, flags, mode);
}

int stat_path(const char *path, bool follow, struct stat *st)
{
	struct file *f;
	int err;

	if (proc_path(path))
		return proc_stat(path, follow, st);
	f = dev_open(path, O_RDONLY);
	if (IS_ERR(f))
		return storage_stat(path, follow, st);
	err = f->f_op->fstat(f, st);
	file_put(f);
	return err;
}

bool fs_path_is_file(const char *path)
{
	struct stat st;

	return !stat_path(path, true, &st) && S_ISREG(st.st_mode);
}

/* ---- open ---- */

/* Unknown flag bits are ignored, as Linux does; O_CLOEXEC marks the new fd. */
static long do_openat(int dirfd, const char __user *upath, unsigned int flags, u32 mode)
{
	struct files_struct *files = current_files();
	struct file *f;
	char *path;
	int err, fd;

	if (!files)
		return -EMFILE;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	err = path_lookup(dirfd, upath, &path);
	if (err)
		return err;
	f = open_path(path, flags, mode);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install(files, f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE3(open, __NR_open, const char __user *, path, int, flags, u32, mode)
{
	return do_openat(AT_FDCWD, path, (unsigned int)flags, mode);
}

SYSCALL_DEFINE4(openat, __NR_openat, int, dirfd, const char __user *, path, int, flags,
		u32, mode)
{
	return do_openat(dirfd, path, (unsigned int)flags, mode);
}

SYSCALL_DEFINE1(close, __NR_close, int, fd)
{
	return fd_close(current_files(), fd);
}

/* ---- dup ---- */

/* Put the file at oldfd also at the lowest free fd >= min_fd. */
static long dup_from(int oldfd, unsigned int min_fd, bool cloexec)
{
	struct file *f = fget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(current_files(), f, min_fd, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* dup2/dup3 once the fds differ: the file at oldfd replaces what newfd held. */
static long dup_to(int oldfd, int newfd, bool cloexec)
{
	struct file *f = fget(oldfd);
	int ret;

	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= FILES_MAX) {
		file_put(f);
		return -EBADF;
	}
	ret = fd_install_at(current_files(), (unsigned int)newfd, f, cloexec);
	if (ret < 0)
		file_put(f);
	return ret;
}

SYSCALL_DEFINE1(dup, __NR_dup, int, oldfd)
{
	return dup_from(oldfd, 0, false);
}

SYSCALL_DEFINE2(dup2, __NR_dup2, int, oldfd, int, newfd)
{
	struct file *f;

	if (oldfd != newfd)
		return dup_to(oldfd, newfd, false);
	f = fget(oldfd);	/* dup2(fd, fd) only checks fd */
	if (!f)
		return -EBADF;
	file_put(f);
	return newfd;
}

SYSCALL_DEFINE3(dup3, __NR_dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return dup_to(oldfd, newfd, flags & O_CLOEXEC);
}

/* ---- fcntl ---- */

/* The flags F_SETFL may change. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

static long fcntl_setfl(int fd, unsigned long arg)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	mutex_lock(&f->pos_lock);
	f->flags = (f->flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
	mutex_unlock(&f->pos_lock);
	file_put(f);
	return 0;
}

static long fcntl_getfl(int fd)
{
	struct file *f = fget(fd);
	long flags;

	if (!f)
		return -EBADF;
	flags = f->flags;
	file_put(f);
	return flags;
}

static long fcntl_dupfd(int fd, unsigned long min_fd, bool cloexec)
{
	if (min_fd >= FILES_MAX)
		return -EINVAL;
	return dup_from(fd, (unsigned int)min_fd, cloexec);
}

SYSCALL_DEFINE3(fcntl, __NR_fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;	/* before any check of cmd, as Linux */
	file_put(f);
	switch (cmd) {
	case F_DUPFD:
		return fcntl_dupfd(fd, arg, false);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(fd, arg, true);
	case F_GETFD:
		return fd_get_cloexec(current_files(), fd);
	case F_SETFD:
		return fd_set_cloexec(current_files(), fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return fcntl_getfl(fd);
	case F_SETFL:
		return fcntl_setfl(fd, arg);
	default:
		return -EINVAL;
	}
}
