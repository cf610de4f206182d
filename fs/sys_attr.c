// SPDX-License-Identifier: GPL-2.0
/*
 * File attributes and data-safety calls: truncate, ftruncate, chmod,
 * fchmod, fchmodat, utimensat, fsync, fdatasync.
 *
 * Sizes, permission bits and times live on the storage manager
 * (RPC_STO_TRUNCATE, RPC_STO_CHMOD, RPC_STO_UTIMES; the store keeps whole
 * seconds, so utimensat's nanoseconds are dropped). The store is memory on the
 * storage node: every write is already as durable as it will get, so
 * fsync of a storage file succeeds at once; other files (pipes, the
 * console) cannot be synced: -EINVAL, as on Linux.
 *
 * Context: process context (the RPCs may sleep).
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/time.h>

#include "internal.h"

#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)

/* ---- truncate ---- */

SYSCALL_DEFINE2(truncate, __NR_truncate, const char __user *, upath, loff_t, length)
{
	char *path;
	int err;

	if (length < 0)
		return -EINVAL;
	err = path_lookup(AT_FDCWD, upath, &path);
	if (err)
		return err;
	err = proc_path(path) ? -EACCES : storage_truncate(path, length);
	kfree(path);
	return err;
}

SYSCALL_DEFINE2(ftruncate, __NR_ftruncate, int, fd, loff_t, length)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = length < 0 || !file_writable(f) ? -EINVAL : storage_ftruncate(f, length);
	file_put(f);
	return err;
}

/* ---- chmod ---- */

/* chmod an absolute path: storage keeps the bits; /dev and /proc keep theirs. */
static int chmod_path(const char *path, u32 mode)
{
	struct stat st;
	int err;

	if (proc_path(path))
		return -EPERM;
	err = stat_path(path, true, &st);
	if (err || !S_ISCHR(st.st_mode))
		return err ? err : storage_chmod(path, mode);
	return 0;	/* a device node here is not on storage: nothing to keep */
}

static long do_fchmodat(int dirfd, const char __user *upath, u32 mode)
{
	char *path;
	int err = path_lookup(dirfd, upath, &path);

	if (err)
		return err;
	err = chmod_path(path, mode);
	kfree(path);
	return err;
}

SYSCALL_DEFINE2(chmod, __NR_chmod, const char __user *, path, unsigned int, mode)
{
	return do_fchmodat(AT_FDCWD, path, mode);
}

SYSCALL_DEFINE3(fchmodat, __NR_fchmodat, int, dirfd, const char __user *, path,
		unsigned int, mode)
{
	return do_fchmodat(dirfd, path, mode);
}

SYSCALL_DEFINE2(fchmod, __NR_fchmod, int, fd, unsigned int, mode)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = storage_fchmod(f, mode);
	file_put(f);
	return err;
}

/* ---- utimensat ---- */

static bool utime_valid(const struct timespec *ts)
{
	if (ts->tv_nsec == UTIME_NOW || ts->tv_nsec == UTIME_OMIT)
		return true;
	return ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

/* One timespec as the storage node takes it: now, left alone, or these seconds. */
static void utime_to_storage(const struct timespec *ts, u8 *how, s64 *sec)
{
	*sec = ts->tv_sec;
	if (ts->tv_nsec == UTIME_NOW)
		*how = STO_TIME_NOW;
	else if (ts->tv_nsec == UTIME_OMIT)
		*how = STO_TIME_OMIT;
	else
		*how = STO_TIME_SET;
}

/* futimens(fd): the open file's times. */
static int utimens_fd(int fd, const struct sto_utimes_req *times)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = storage_futimes(f, times);
	file_put(f);
	return err;
}

/* By path: /proc refuses, a device here keeps no times, storage sets them. */
static int utimens_path(const char *path, bool follow, const struct sto_utimes_req *times)
{
	struct stat st;
	int err;

	if (proc_path(path))
		return -EPERM;
	err = stat_path(path, follow, &st);
	if (err || S_ISCHR(st.st_mode))
		return err;
	return storage_utimes(path, follow, times);
}

static int utimens_at(int dirfd, const char __user *upath, int flags,
		      const struct sto_utimes_req *times)
{
	char *path;
	int err;

	if (!upath)		/* Linux: futimens(dirfd) */
		return utimens_fd(dirfd, times);
	err = path_lookup(dirfd, upath, &path);
	if (err == -ENOENT && (flags & AT_EMPTY_PATH))
		return utimens_fd(dirfd, times);	/* "" names dirfd itself */
	if (err)
		return err;
	err = utimens_path(path, !(flags & AT_SYMLINK_NOFOLLOW), times);
	kfree(path);
	return err;
}

SYSCALL_DEFINE4(utimensat, __NR_utimensat, int, dirfd, const char __user *, path,
		const struct timespec __user *, utimes, int, flags)
{
	struct sto_utimes_req times = { .atime_how = STO_TIME_NOW, .mtime_how = STO_TIME_NOW };
	struct timespec ts[2];

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes && copy_from_user(ts, utimes, sizeof(ts)))
		return -EFAULT;
	if (utimes && (!utime_valid(&ts[0]) || !utime_valid(&ts[1])))
		return -EINVAL;
	if (utimes) {
		utime_to_storage(&ts[0], &times.atime_how, &times.atime);
		utime_to_storage(&ts[1], &times.mtime_how, &times.mtime);
	}
	return utimens_at(dirfd, path, flags, &times);
}

/* ---- fsync ---- */

static long do_fsync(int fd)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = storage_file_syncable(f) ? 0 : -EINVAL;
	file_put(f);
	return err;
}

SYSCALL_DEFINE1(fsync, __NR_fsync, int, fd)
{
	return do_fsync(fd);
}

SYSCALL_DEFINE1(fdatasync, __NR_fdatasync, int, fd)
{
	return do_fsync(fd);
}
