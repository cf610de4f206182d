// SPDX-License-Identifier: GPL-2.0
/*
 * Names and directories: getcwd, chdir, fchdir, mkdir, mkdirat, mknod, mknodat, unlink,
 * unlinkat, rmdir, rename, renameat, symlink, symlinkat. Everything but the working directory
 * is the storage manager's; /proc and the /dev nodes cannot be changed
 * (the storage manager reports what it does not hold as -ENOENT).
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>

#include "internal.h"

SYSCALL_DEFINE2(getcwd, __NR_getcwd, char __user *, buf, size_t, size)
{
	char *cwd = current_cwd();
	size_t len;
	long ret;

	if (!cwd)
		return -ENOMEM;
	len = strlen(cwd) + 1;
	if (size < len)
		ret = -ERANGE;
	else
		ret = copy_to_user(buf, cwd, len) ?: (long)len;
	kfree(cwd);
	return ret;
}

/* Make path (absolute, normalised) the working directory if it is a directory. */
static long chdir_path(const char *path)
{
	struct stat st;
	int err = stat_path(path, true, &st);

	if (err)
		return err;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return set_current_cwd(path);
}

SYSCALL_DEFINE1(chdir, __NR_chdir, const char __user *, upath)
{
	char *path;
	long err = path_lookup(AT_FDCWD, upath, &path);

	if (err)
		return err;
	err = chdir_path(path);
	kfree(path);
	return err;
}

SYSCALL_DEFINE1(fchdir, __NR_fchdir, int, fd)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = S_ISDIR(f->type) && f->path ? set_current_cwd(f->path) : -ENOTDIR;
	file_put(f);
	return err;
}

/* Look upath up and run op on it (with arg). */
static long path_op(int dirfd, const char __user *upath, int (*op)(const char *, u32), u32 arg)
{
	char *path;
	long err = path_lookup(dirfd, upath, &path);

	if (err)
		return err;
	err = op(path, arg);
	kfree(path);
	return err;
}

static int unlink_op(const char *path, u32 remove_dir)
{
	return storage_unlink(path, remove_dir);
}

SYSCALL_DEFINE2(mkdir, __NR_mkdir, const char __user *, path, u32, mode)
{
	return path_op(AT_FDCWD, path, storage_mkdir, mode);
}

SYSCALL_DEFINE3(mkdirat, __NR_mkdirat, int, dirfd, const char __user *, path, u32, mode)
{
	return path_op(dirfd, path, storage_mkdir, mode);
}

/* mknod(2): FIFOs and regular files only (dev is ignored: no devices). */
SYSCALL_DEFINE3(mknod, __NR_mknod, const char __user *, path, u32, mode, unsigned int, dev)
{
	return path_op(AT_FDCWD, path, storage_mknod, mode);
}

SYSCALL_DEFINE4(mknodat, __NR_mknodat, int, dirfd, const char __user *, path, u32, mode,
		unsigned int, dev)
{
	return path_op(dirfd, path, storage_mknod, mode);
}

SYSCALL_DEFINE1(unlink, __NR_unlink, const char __user *, path)
{
	return path_op(AT_FDCWD, path, unlink_op, false);
}

SYSCALL_DEFINE1(rmdir, __NR_rmdir, const char __user *, path)
{
	return path_op(AT_FDCWD, path, unlink_op, true);
}

SYSCALL_DEFINE3(unlinkat, __NR_unlinkat, int, dirfd, const char __user *, path, int, flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return path_op(dirfd, path, unlink_op, !!(flags & AT_REMOVEDIR));
}

static long do_renameat(int olddirfd, const char __user *uold, int newdirfd,
			const char __user *unew)
{
	char *old_path, *new_path;
	long err = path_lookup(olddirfd, uold, &old_path);

	if (err)
		return err;
	err = path_lookup(newdirfd, unew, &new_path);
	if (!err) {
		err = storage_rename(old_path, new_path);
		kfree(new_path);
	}
	kfree(old_path);
	return err;
}

SYSCALL_DEFINE2(rename, __NR_rename, const char __user *, oldpath, const char __user *, newpath)
{
	return do_renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

SYSCALL_DEFINE4(renameat, __NR_renameat, int, olddirfd, const char __user *, oldpath,
		int, newdirfd, const char __user *, newpath)
{
	return do_renameat(olddirfd, oldpath, newdirfd, newpath);
}

/* The link's target is stored as given: relative targets resolve from the link's directory. */
static long do_symlinkat(const char __user *utarget, int dirfd, const char __user *upath)
{
	char *target = kmalloc(PATH_MAX), *path;
	long err;

	if (!target)
		return -ENOMEM;
	err = strncpy_from_user(target, utarget, PATH_MAX);
	if (err == 0)
		err = -ENOENT;		/* an empty target, as Linux */
	if (err > 0) {
		err = path_lookup(dirfd, upath, &path);
		if (!err) {
			err = proc_path(path) ? -EEXIST : storage_symlink(target, path);
			kfree(path);
		}
	}
	kfree(target);
	return err;
}

SYSCALL_DEFINE2(symlink, __NR_symlink, const char __user *, target, const char __user *, path)
{
	return do_symlinkat(target, AT_FDCWD, path);
}

SYSCALL_DEFINE3(symlinkat, __NR_symlinkat, const char __user *, target, int, dirfd,
		const char __user *, path)
{
	return do_symlinkat(target, dirfd, path);
}
