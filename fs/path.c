// SPDX-License-Identifier: GPL-2.0
/*
 * Path lookup for the file system calls, working directories (fs_struct)
 * and the executable path behind /proc/self/exe.
 *
 * A lookup copies the user path, puts the base directory in front of a
 * relative one (the cwd, or the path dirfd was opened by) and normalises
 * the result by name. Paths are checked against PATH_MAX both as given
 * and once made absolute (-ENAMETOOLONG).
 *
 * Lock order: fs_struct.lock only (held while the cwd string is copied or
 * swapped; nothing is called under it).
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <uapi/fcntl.h>

#include "internal.h"

/* ---- normalisation ---- */

/* Remove the last component of out[0..len) (".." handling): the new length. */
static size_t path_drop_last(const char *out, size_t len)
{
	while (len > 1 && out[len - 1] != '/')
		len--;
	return len > 1 ? len - 1 : 1;
}

void path_normalize(char *path)
{
	size_t in = 0, out = 1;

	while (path[in]) {
		size_t start, clen;

		while (path[in] == '/')
			in++;
		start = in;
		while (path[in] && path[in] != '/')
			in++;
		clen = in - start;
		if (clen == 0 || (clen == 1 && path[start] == '.'))
			continue;
		if (clen == 2 && path[start] == '.' && path[start + 1] == '.') {
			out = path_drop_last(path, out);
			continue;
		}
		if (out > 1)
			path[out++] = '/';
		memmove(path + out, path + start, clen);
		out += clen;
	}
	path[0] = '/';
	path[out] = '\0';
}

/* ---- working directory ---- */

struct fs_struct *fs_struct_create(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return ERR_PTR(-ENOMEM);
	fs->cwd = fs_strdup("/");
	if (!fs->cwd) {
		kfree(fs);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&fs->lock);
	fs->refcount = 1;
	return fs;
}

static char *fs_struct_cwd_copy(struct fs_struct *fs)
{
	char *cwd;

	spin_lock(&fs->lock);
	cwd = fs_strdup(fs->cwd);	/* kmalloc never sleeps */
	spin_unlock(&fs->lock);
	return cwd;
}

struct fs_struct *fs_struct_dup(struct fs_struct *fs, bool share)
{
	struct fs_struct *copy;
	char *cwd;

	if (!fs)
		return fs_struct_create();	/* from a kernel thread: start at "/" */
	if (share) {
		__atomic_add_fetch(&fs->refcount, 1, __ATOMIC_RELAXED);
		return fs;
	}
	copy = fs_struct_create();
	if (IS_ERR(copy))
		return copy;
	cwd = fs_struct_cwd_copy(fs);
	if (!cwd) {
		fs_struct_put(copy);
		return ERR_PTR(-ENOMEM);
	}
	kfree(copy->cwd);
	copy->cwd = cwd;
	return copy;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	kfree(fs->cwd);
	kfree(fs);
}

char *current_cwd(void)
{
	struct task *t = current_task();

	if (!t || !t->fs)
		return fs_strdup("/");
	return fs_struct_cwd_copy(t->fs);
}

int set_current_cwd(const char *path)
{
	struct task *t = current_task();
	char *copy, *old;

	if (!t || !t->fs)
		return -EINVAL;	/* kernel threads stay at "/" */
	copy = fs_strdup(path);
	if (!copy)
		return -ENOMEM;
	spin_lock(&t->fs->lock);
	old = t->fs->cwd;
	t->fs->cwd = copy;
	spin_unlock(&t->fs->lock);
	kfree(old);
	return 0;
}

/* ---- the executable ---- */

int task_set_exe(struct task *t, const char *path)
{
	char *copy = fs_strdup(path);

	if (path && !copy)
		return -ENOMEM;
	kfree(t->exe);
	t->exe = copy;
	return 0;
}

const char *current_exe(void)
{
	struct task *t = current_task();

	return t ? t->exe : NULL;
}

void fs_task_exit(struct task *t)
{
	files_put(t->files);
	t->files = NULL;
	fs_struct_put(t->fs);
	t->fs = NULL;
	kfree(t->exe);
	t->exe = NULL;
}

/* ---- lookup ---- */

/* The directory a relative path starts from: kmalloc'd, or ERR_PTR. */
static char *path_base(int dirfd)
{
	struct file *dir;
	char *base;

	if (dirfd == AT_FDCWD) {
		base = current_cwd();
		return base ? base : ERR_PTR(-ENOMEM);
	}
	dir = fget(dirfd);
	if (!dir)
		return ERR_PTR(-EBADF);
	if (!S_ISDIR(dir->type) || !dir->path)
		base = ERR_PTR(-ENOTDIR);
	else
		base = fs_strdup(dir->path) ?: ERR_PTR(-ENOMEM);
	file_put(dir);
	return base;
}

/* base + "/" + rel, or ERR_PTR(-ENAMETOOLONG / -ENOMEM). */
static char *path_join(const char *base, const char *rel)
{
	size_t blen = strlen(base), rlen = strlen(rel);
	char *out;

	if (blen + 1 + rlen >= PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	out = kmalloc(blen + 1 + rlen + 1);
	if (!out)
		return ERR_PTR(-ENOMEM);
	memcpy(out, base, blen);
	out[blen] = '/';
	memcpy(out + blen + 1, rel, rlen + 1);
	return out;
}

int path_lookup_kernel(int dirfd, const char *path, char **out)
{
	char *base, *full;

	if (!path[0])
		return -ENOENT;
	if (path[0] == '/') {
		full = fs_strdup(path);
		if (!full)
			return -ENOMEM;
	} else {
		base = path_base(dirfd);
		if (IS_ERR(base))
			return (int)PTR_ERR(base);
		full = path_join(base, path);
		kfree(base);
		if (IS_ERR(full))
			return (int)PTR_ERR(full);
	}
	path_normalize(full);
	*out = full;
	return 0;
}

int path_lookup(int dirfd, const char __user *upath, char **out)
{
	char *path = kmalloc(PATH_MAX);
	long len;
	int err;

	if (!path)
		return -ENOMEM;
	len = strncpy_from_user(path, upath, PATH_MAX);
	err = len < 0 ? (int)len : path_lookup_kernel(dirfd, path, out);
	kfree(path);
	return err;
}
