// SPDX-License-Identifier: GPL-2.0
/*
 * Open file objects (include/mosaic/fs.h): allocation and reference
 * counting. The last file_put() lets the file's kind free its state
 * (f_op->release) and then frees the file.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#include "internal.h"

/* A kmalloc'd copy of s, or NULL (also for s == NULL). */
char *fs_strdup(const char *s)
{
	size_t len;
	char *copy;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	copy = kmalloc(len);
	if (copy)
		memcpy(copy, s, len);
	return copy;
}

struct file *file_alloc(const struct file_operations *ops, unsigned int flags, u32 type,
			const char *path, void *private_data)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	if (path) {
		f->path = fs_strdup(path);
		if (!f->path) {
			kfree(f);
			return NULL;
		}
	}
	f->f_op = ops;
	f->refcount = 1;
	f->flags = flags;
	f->type = type;
	mutex_init(&f->pos_lock);
	f->private_data = private_data;
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	if (f->f_op->release)
		f->f_op->release(f);
	kfree(f->path);
	kfree(f);
}

void fs_init(void)
{
	proc_init();
	console_tty_init();
}
