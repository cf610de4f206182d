// SPDX-License-Identifier: GPL-2.0
/*
 * Asking about files: fstat, stat, lstat, newfstatat, access, faccessat,
 * faccessat2, readlink, readlinkat, statx. struct stat is the Linux
 * x86-64 layout (include/uapi/stat.h). Everyone is root here, so access() checks
 * existence, and X_OK on a regular file asks for any execute bit.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>

#include "internal.h"

/* The user ABI: sizes Linux x86-64 programs were built against. */
BUILD_BUG_ON(sizeof(struct stat) != 144);
BUILD_BUG_ON(sizeof(struct statx) != 256);

static int file_stat(int fd, struct stat *st)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = f->f_op->fstat ? f->f_op->fstat(f, st) : -EINVAL;
	file_put(f);
	return err;
}

/* stat the working directory, or the file at fd. */
static int stat_dirfd(int dirfd, struct stat *st)
{
	char *cwd;
	int err;

	if (dirfd != AT_FDCWD)
		return file_stat(dirfd, st);
	cwd = current_cwd();
	if (!cwd)
		return -ENOMEM;
	err = stat_path(cwd, true, st);
	kfree(cwd);
	return err;
}

/* stat dirfd-relative upath; an empty path with AT_EMPTY_PATH names dirfd itself. */
static int stat_at(int dirfd, const char __user *upath, unsigned int flags, struct stat *st)
{
	char first;
	char *path;
	int err;

	if (flags & AT_EMPTY_PATH) {
		if (get_user(first, upath))
			return -EFAULT;
		if (!first)
			return stat_dirfd(dirfd, st);
	}
	err = path_lookup(dirfd, upath, &path);
	if (err)
		return err;
	err = stat_path(path, !(flags & AT_SYMLINK_NOFOLLOW), st);
	kfree(path);
	return err;
}

static long stat_to_user(int err, const struct stat *st, struct stat __user *ust)
{
	if (err)
		return err;
	return copy_to_user(ust, st, sizeof(*st));
}

SYSCALL_DEFINE2(fstat, __NR_fstat, int, fd, struct stat __user *, ust)
{
	struct stat st;

	return stat_to_user(file_stat(fd, &st), &st, ust);
}

SYSCALL_DEFINE2(stat, __NR_stat, const char __user *, path, struct stat __user *, ust)
{
	struct stat st;

	return stat_to_user(stat_at(AT_FDCWD, path, 0, &st), &st, ust);
}

SYSCALL_DEFINE2(lstat, __NR_lstat, const char __user *, path, struct stat __user *, ust)
{
	struct stat st;

	return stat_to_user(stat_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &st), &st, ust);
}

SYSCALL_DEFINE4(newfstatat, __NR_newfstatat, int, dirfd, const char __user *, path,
		struct stat __user *, ust, int, flags)
{
	struct stat st;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	return stat_to_user(stat_at(dirfd, path, (unsigned int)flags, &st), &st, ust);
}

/* ---- statx ---- */

static void stat_to_statx(const struct stat *st, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (u32)st->st_blksize;
	sx->stx_nlink = (u32)st->st_nlink;
	sx->stx_mode = (u16)st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = (u64)st->st_size;
	sx->stx_blocks = (u64)st->st_blocks;
	sx->stx_atime.tv_sec = (s64)st->st_atime;
	sx->stx_ctime.tv_sec = (s64)st->st_ctime;
	sx->stx_mtime.tv_sec = (s64)st->st_mtime;
	sx->stx_rdev_major = (u32)(st->st_rdev >> 8);
	sx->stx_rdev_minor = (u32)(st->st_rdev & 0xff);
	sx->stx_dev_major = (u32)(st->st_dev >> 8);
	sx->stx_dev_minor = (u32)(st->st_dev & 0xff);
}

SYSCALL_DEFINE5(statx, __NR_statx, int, dirfd, const char __user *, path, int, flags,
		unsigned int, mask, struct statx __user *, usx)
{
	struct statx sx;
	struct stat st;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	err = stat_at(dirfd, path, (unsigned int)flags & ~AT_STATX_SYNC_TYPE, &st);
	if (err)
		return err;
	stat_to_statx(&st, &sx);
	return copy_to_user(usx, &sx, sizeof(sx));
}

/* ---- access ---- */

static long do_faccessat(int dirfd, const char __user *path, int mode, int flags)
{
	struct stat st;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = stat_at(dirfd, path, (unsigned int)flags & ~AT_EACCESS, &st);
	if (err)
		return err;
	if ((mode & X_OK) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

SYSCALL_DEFINE2(access, __NR_access, const char __user *, path, int, mode)
{
	return do_faccessat(AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE3(faccessat, __NR_faccessat, int, dirfd, const char __user *, path, int, mode)
{
	return do_faccessat(dirfd, path, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, __NR_faccessat2, int, dirfd, const char __user *, path, int, mode,
		int, flags)
{
	return do_faccessat(dirfd, path, mode, flags);
}

/* ---- readlink ---- */

/* The target of a link, into buf: /proc/self/exe here, the rest from storage. */
static long readlink_path(const char *path, char *buf, size_t size)
{
	struct stat st;
	int err;

	if (proc_path(path))
		return proc_readlink(path, buf, size);
	err = stat_path(path, false, &st);
	if (err)
		return err;
	return S_ISLNK(st.st_mode) ? storage_readlink(path, buf, size) : -EINVAL;
}

static long do_readlinkat(int dirfd, const char __user *upath, char __user *ubuf, int size)
{
	char *path, *kbuf;
	long n;

	if (size <= 0)
		return -EINVAL;
	n = path_lookup(dirfd, upath, &path);
	if (n)
		return n;
	size = min(size, PATH_MAX);
	kbuf = kmalloc((size_t)size);
	n = kbuf ? readlink_path(path, kbuf, (size_t)size) : -ENOMEM;
	if (n > 0 && copy_to_user(ubuf, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	kfree(path);
	return n;
}

SYSCALL_DEFINE3(readlink, __NR_readlink, const char __user *, path, char __user *, buf,
		int, size)
{
	return do_readlinkat(AT_FDCWD, path, buf, size);
}

SYSCALL_DEFINE4(readlinkat, __NR_readlinkat, int, dirfd, const char __user *, path,
		char __user *, buf, int, size)
{
	return do_readlinkat(dirfd, path, buf, size);
}
