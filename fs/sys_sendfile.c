// SPDX-License-Identifier: GPL-2.0
/*
 * sendfile: copy between two open files inside the kernel, through a
 * bounce buffer of SENDFILE_CHUNK bytes. With an offset pointer the input
 * is read from *offset (which is updated) and its file position stays;
 * without one the input's position moves. Busybox's cat and cp use it and
 * fall back to read/write on -EINVAL.
 *
 * Context: process context; each file's pos_lock is held while its
 * position is used (input then output, never both at once).
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>

#include "internal.h"

#define SENDFILE_CHUNK 4096
#define MAX_RW_COUNT (0x7ffff000UL)

static long sendfile_check(struct file *in, struct file *out, bool has_offset)
{
	if (!file_readable(in) || !file_writable(out))
		return -EBADF;
	if (!in->f_op->read || !out->f_op->write || S_ISDIR(in->type))
		return -EINVAL;
	if (has_offset && !in->f_op->llseek)
		return -ESPIPE;
	if (out->flags & O_APPEND)
		return -EINVAL;		/* as Linux */
	return 0;
}

/* Read one chunk at *pos (the input's own position when pos is NULL). */
static long sendfile_read(struct file *in, char *buf, size_t len, loff_t *pos)
{
	long n;

	if (pos)
		return in->f_op->read(in, buf, len, pos);
	mutex_lock(&in->pos_lock);
	n = in->f_op->read(in, buf, len, &in->pos);
	mutex_unlock(&in->pos_lock);
	return n;
}

static long sendfile_write(struct file *out, const char *buf, size_t len)
{
	long n;

	mutex_lock(&out->pos_lock);
	n = out->f_op->write(out, buf, len, &out->pos);
	mutex_unlock(&out->pos_lock);
	return n;
}

/* A short write: put the input back before the bytes that did not go (if it can seek). */
static void sendfile_unread(struct file *in, loff_t *pos, size_t unsent)
{
	if (pos) {
		*pos -= (loff_t)unsent;
	} else if (in->f_op->llseek) {
		mutex_lock(&in->pos_lock);
		in->pos -= (loff_t)unsent;
		mutex_unlock(&in->pos_lock);
	}
}

/* Move up to count bytes: how many, or -errno when none moved. */
static long sendfile_copy(struct file *in, struct file *out, loff_t *pos, size_t count)
{
	char *buf = kmalloc(SENDFILE_CHUNK);
	size_t done = 0;
	long err = 0, n, w;

	if (!buf)
		return -ENOMEM;
	while (done < count) {
		n = sendfile_read(in, buf, min(count - done, (size_t)SENDFILE_CHUNK), pos);
		if (n <= 0) {
			err = n;
			break;
		}
		w = sendfile_write(out, buf, (size_t)n);
		if (w < 0)
			err = w;
		done += w > 0 ? (size_t)w : 0;
		if (w != n) {
			sendfile_unread(in, pos, (size_t)(n - max(w, 0L)));
			break;
		}
	}
	kfree(buf);
	return done ? (long)done : err;
}

SYSCALL_DEFINE4(sendfile, __NR_sendfile, int, out_fd, int, in_fd, loff_t __user *, uoffset,
		size_t, count)
{
	struct file *in = fget(in_fd), *out = fget(out_fd);
	loff_t offset = 0;
	long ret = -EBADF;

	if (!in || !out)
		goto put;
	ret = sendfile_check(in, out, uoffset != NULL);
	if (!ret && uoffset && copy_from_user(&offset, uoffset, sizeof(offset)))
		ret = -EFAULT;
	if (!ret && offset < 0)
		ret = -EINVAL;
	if (!ret)
		ret = sendfile_copy(in, out, uoffset ? &offset : NULL, min(count, MAX_RW_COUNT));
	if (ret >= 0 && uoffset && copy_to_user(uoffset, &offset, sizeof(offset)))
		ret = -EFAULT;
put:
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return ret;
}
