// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task fd tables (include/mosaic/fs.h): an array of file pointers and
 * a close-on-exec bitmap, grown by doubling from FDT_FIRST_SIZE up to
 * FILES_MAX. Growing allocates with the lock dropped and retries.
 *
 * Lock order: files->lock only; file_put() (which may sleep in a release
 * op) is always called after the lock is dropped.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/panic.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#include "internal.h"

#define FDT_FIRST_SIZE 64
#define BITS_PER_LONG 64

static size_t cloexec_bytes(unsigned int nr_fds)
{
	return (nr_fds / BITS_PER_LONG) * sizeof(unsigned long);
}

static bool fd_bit(const unsigned long *map, unsigned int fd)
{
	return map[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void fd_set_bit(unsigned long *map, unsigned int fd, bool on)
{
	unsigned long mask = 1UL << (fd % BITS_PER_LONG);

	if (on)
		map[fd / BITS_PER_LONG] |= mask;
	else
		map[fd / BITS_PER_LONG] &= ~mask;
}

/* Arrays for nr_fds fds, zeroed: 0 or -ENOMEM. */
static int fdt_alloc_arrays(unsigned int nr_fds, struct file ***fd, unsigned long **cloexec)
{
	*fd = kzalloc(nr_fds * sizeof(**fd));
	*cloexec = kzalloc(cloexec_bytes(nr_fds));
	if (*fd && *cloexec)
		return 0;
	kfree(*fd);
	kfree(*cloexec);
	return -ENOMEM;
}

struct files_struct *files_create(void)
{
	struct files_struct *files = kzalloc(sizeof(*files));

	if (!files)
		return ERR_PTR(-ENOMEM);
	if (fdt_alloc_arrays(FDT_FIRST_SIZE, &files->fd, &files->cloexec)) {
		kfree(files);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&files->lock);
	files->refcount = 1;
	files->max_fds = FDT_FIRST_SIZE;
	return files;
}

struct files_struct *current_files(void)
{
	struct task *t = current_task();

	return t ? t->files : NULL;
}

/*
 * Make room for fd want (< FILES_MAX): grow to the next power of two that
 * holds it. Context: files->lock held; dropped and retaken to allocate.
 */
static int fdt_grow_locked(struct files_struct *files, unsigned int want)
{
	unsigned int size = files->max_fds;
	unsigned long *cloexec;
	struct file **fd;

	BUG_ON(!spin_is_held(&files->lock));
	while (size <= want)
		size *= 2;
	spin_unlock(&files->lock);
	if (fdt_alloc_arrays(size, &fd, &cloexec)) {
		spin_lock(&files->lock);
		return -ENOMEM;
	}
	spin_lock(&files->lock);
	if (files->max_fds >= size) {	/* someone else grew it meanwhile */
		kfree(fd);
		kfree(cloexec);
		return 0;
	}
	memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
	memcpy(cloexec, files->cloexec, cloexec_bytes(files->max_fds));
	kfree(files->fd);
	kfree(files->cloexec);
	files->fd = fd;
	files->cloexec = cloexec;
	files->max_fds = size;
	return 0;
}

/* Context: files->lock held. The lowest free fd >= min_fd, or max_fds if none. */
static unsigned int fdt_find_free_locked(struct files_struct *files, unsigned int min_fd)
{
	unsigned int fd;

	BUG_ON(!spin_is_held(&files->lock));
	for (fd = min_fd; fd < files->max_fds; fd++)
		if (!files->fd[fd])
			return fd;
	return fd;
}

int fd_install(struct files_struct *files, struct file *f, unsigned int min_fd, bool cloexec)
{
	unsigned int fd;
	int err = 0;

	if (min_fd >= FILES_MAX)
		return -EINVAL;
	spin_lock(&files->lock);
	for (;;) {
		fd = fdt_find_free_locked(files, min_fd);
		if (fd < files->max_fds)
			break;
		err = fd >= FILES_MAX ? -EMFILE : fdt_grow_locked(files, fd);
		if (err)
			break;
	}
	if (!err) {
		files->fd[fd] = f;
		fd_set_bit(files->cloexec, fd, cloexec);
	}
	spin_unlock(&files->lock);
	return err ? err : (int)fd;
}

int fd_install_at(struct files_struct *files, unsigned int fd, struct file *f, bool cloexec)
{
	struct file *old = NULL;
	int err = 0;

	if (fd >= FILES_MAX)
		return -EBADF;
	spin_lock(&files->lock);
	if (fd >= files->max_fds)
		err = fdt_grow_locked(files, fd);
	if (!err) {
		old = files->fd[fd];
		files->fd[fd] = f;
		fd_set_bit(files->cloexec, fd, cloexec);
	}
	spin_unlock(&files->lock);
	if (old)
		file_put(old);
	return err ? err : (int)fd;
}

struct file *fd_get(struct files_struct *files, int fd)
{
	struct file *f = NULL;

	if (!files || fd < 0)
		return NULL;
	spin_lock(&files->lock);
	if ((unsigned int)fd < files->max_fds && files->fd[fd]) {
		f = files->fd[fd];
		file_get(f);
	}
	spin_unlock(&files->lock);
	return f;
}

int fd_close(struct files_struct *files, int fd)
{
	struct file *f = NULL;

	if (!files || fd < 0)
		return -EBADF;
	spin_lock(&files->lock);
	if ((unsigned int)fd < files->max_fds) {
		f = files->fd[fd];
		files->fd[fd] = NULL;
		fd_set_bit(files->cloexec, fd, false);
	}
	spin_unlock(&files->lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fd_get_cloexec(struct files_struct *files, int fd)
{
	int ret = -EBADF;

	if (!files || fd < 0)
		return -EBADF;
	spin_lock(&files->lock);
	if ((unsigned int)fd < files->max_fds && files->fd[fd])
		ret = fd_bit(files->cloexec, fd);
	spin_unlock(&files->lock);
	return ret;
}

int fd_set_cloexec(struct files_struct *files, int fd, bool on)
{
	int ret = -EBADF;

	if (!files || fd < 0)
		return -EBADF;
	spin_lock(&files->lock);
	if ((unsigned int)fd < files->max_fds && files->fd[fd]) {
		fd_set_bit(files->cloexec, fd, on);
		ret = 0;
	}
	spin_unlock(&files->lock);
	return ret;
}

/* Close every fd whose close-on-exec bit matches only_cloexec (or all). */
static void files_close_matching(struct files_struct *files, bool only_cloexec)
{
	unsigned int fd;

	for (fd = 0; fd < files->max_fds; fd++) {
		struct file *f;

		spin_lock(&files->lock);
		f = files->fd[fd];
		if (f && (!only_cloexec || fd_bit(files->cloexec, fd))) {
			files->fd[fd] = NULL;
			fd_set_bit(files->cloexec, fd, false);
		} else {
			f = NULL;
		}
		spin_unlock(&files->lock);
		if (f)
			file_put(f);
	}
}

void files_close_on_exec(struct files_struct *files)
{
	files_close_matching(files, true);
}

void files_get(struct files_struct *files)
{
	__atomic_add_fetch(&files->refcount, 1, __ATOMIC_RELAXED);
}

void files_put(struct files_struct *files)
{
	if (!files || __atomic_sub_fetch(&files->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	files_close_matching(files, false);
	kfree(files->fd);
	kfree(files->cloexec);
	kfree(files);
}

/* A copy of files: the same files (one more reference each) at the same fds. */
static struct files_struct *files_copy(struct files_struct *files)
{
	struct files_struct *copy = files_create();
	unsigned int fd;

	if (IS_ERR(copy))
		return copy;
	for (fd = 0; fd < __atomic_load_n(&files->max_fds, __ATOMIC_RELAXED); fd++) {
		struct file *f = fd_get(files, (int)fd);
		int cloexec = fd_get_cloexec(files, (int)fd);

		if (!f)
			continue;
		if (fd_install_at(copy, fd, f, cloexec > 0) < 0) {
			file_put(f);
			files_put(copy);
			return ERR_PTR(-ENOMEM);
		}
	}
	return copy;
}

struct files_struct *files_dup(struct files_struct *files, bool share)
{
	if (!files)
		return NULL;	/* a kernel thread's children have no table either */
	if (share) {
		files_get(files);
		return files;
	}
	return files_copy(files);
}

struct files_struct *files_create_stdio(void)
{
	struct files_struct *files = files_create();
	int fd;

	if (IS_ERR(files))
		return files;
	for (fd = 0; fd < 3; fd++) {
		struct file *con = console_open();

		if (IS_ERR(con)) {
			files_put(files);
			return ERR_PTR(-ENOMEM);
		}
		fd_install(files, con, (unsigned int)fd, false);
	}
	return files;
}

struct file *fget(int fd)
{
	return fd_get(current_files(), fd);
}
