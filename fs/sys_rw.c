// SPDX-License-Identifier: GPL-2.0
/*
 * Data system calls on open fds: read, write, readv, writev, pread64,
 * pwrite64, lseek, ioctl, getdents64. User buffers are copied through a
 * kernel bounce buffer of at most RW_CHUNK bytes per file operation.
 *
 * Context: process context; file->pos_lock is held across an operation
 * that uses the position of a seekable file, so concurrent reads of one
 * open file do not return the same bytes. Streams are not locked here.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>

#include "internal.h"

#define RW_CHUNK 4096
#define MAX_RW_COUNT (0x7ffff000UL)	/* Linux caps one call at this many bytes */
#define GETDENTS_MAX (32 * 1024)

/* Read up to len bytes at *pos into user memory: bytes, or -errno if none moved. */
static long file_read_user(struct file *f, char __user *ubuf, size_t len, loff_t *pos)
{
	char *kbuf = kmalloc(min(len, (size_t)RW_CHUNK));
	size_t done = 0;
	long err = 0;

	if (!kbuf)
		return -ENOMEM;
	while (done < len) {
		size_t chunk = min(len - done, (size_t)RW_CHUNK);
		long n = f->f_op->read(f, kbuf, chunk, pos);

		if (n <= 0) {
			err = n;
			break;
		}
		if (copy_to_user(ubuf + done, kbuf, (size_t)n)) {
			err = -EFAULT;
			break;
		}
		done += (size_t)n;
		/* A stream (pipe, tty) could block for more: hand over what came. */
		if ((size_t)n < chunk || !f->f_op->llseek)
			break;
	}
	kfree(kbuf);
	return done ? (long)done : err;
}

static long file_write_user(struct file *f, const char __user *ubuf, size_t len, loff_t *pos)
{
	char *kbuf = kmalloc(min(len, (size_t)RW_CHUNK));
	size_t done = 0;
	long err = 0;

	if (!kbuf)
		return -ENOMEM;
	while (done < len) {
		size_t chunk = min(len - done, (size_t)RW_CHUNK);
		long n;

		if (copy_from_user(kbuf, ubuf + done, chunk)) {
			err = -EFAULT;
			break;
		}
		n = f->f_op->write(f, kbuf, chunk, pos);
		if (n <= 0) {
			err = n;
			break;
		}
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	kfree(kbuf);
	return done ? (long)done : err;
}

/* Can f be read (write: written) at all? 0 or the errno read()/write() gives. */
static long rw_check(struct file *f, bool write)
{
	if (write ? !file_writable(f) : !file_readable(f))
		return -EBADF;
	if (S_ISDIR(f->type))
		return -EISDIR;
	if (write ? !f->f_op->write : !f->f_op->read)
		return -EINVAL;
	return 0;
}

/* read/write at the file position (pos == NULL) or at *pos (pread/pwrite). */
static long do_rw(int fd, char __user *ubuf, size_t len, loff_t *pos, bool write)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = rw_check(f, write);
	if (!ret && pos && !f->f_op->llseek)
		ret = -ESPIPE;
	if (!ret && !access_ok(ubuf, len))
		ret = -EFAULT;
	if (!ret && len) {
		/* Streams (no llseek: pipes, the tty) have no position to guard, and a
		 * reader blocked on one must not hold up a writer of the same file. */
		bool lock_pos = !pos && f->f_op->llseek;

		len = min(len, MAX_RW_COUNT);
		if (lock_pos)
			mutex_lock(&f->pos_lock);
		ret = write ? file_write_user(f, ubuf, len, pos ?: &f->pos)
			    : file_read_user(f, ubuf, len, pos ?: &f->pos);
		if (lock_pos)
			mutex_unlock(&f->pos_lock);
	}
	file_put(f);
	return ret;
}

SYSCALL_DEFINE3(read, __NR_read, int, fd, char __user *, buf, size_t, count)
{
	return do_rw(fd, buf, count, NULL, false);
}

SYSCALL_DEFINE3(write, __NR_write, int, fd, const char __user *, buf, size_t, count)
{
	return do_rw(fd, (char __user *)buf, count, NULL, true);
}

SYSCALL_DEFINE4(pread64, __NR_pread64, int, fd, char __user *, buf, size_t, count,
		loff_t, offset)
{
	if (offset < 0)
		return -EINVAL;
	return do_rw(fd, buf, count, &offset, false);
}

SYSCALL_DEFINE4(pwrite64, __NR_pwrite64, int, fd, const char __user *, buf, size_t, count,
		loff_t, offset)
{
	if (offset < 0)
		return -EINVAL;
	return do_rw(fd, (char __user *)buf, count, &offset, true);
}

/* ---- readv, writev ---- */

/* Copy in and check an iovec array: a kmalloc'd copy, or ERR_PTR. */
static struct iovec *iov_import(const struct iovec __user *uiov, int iovcnt)
{
	struct iovec *iov;
	size_t total = 0;
	int i;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	iov = kmalloc(((size_t)iovcnt ?: 1) * sizeof(*iov));
	if (!iov)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(iov, uiov, (size_t)iovcnt * sizeof(*iov))) {
		kfree(iov);
		return ERR_PTR(-EFAULT);
	}
	for (i = 0; i < iovcnt; i++) {
		/* Each length and the running total must fit in a ssize_t. */
		if (iov[i].iov_len > (size_t)LONG_MAX - total) {
			kfree(iov);
			return ERR_PTR(-EINVAL);
		}
		total += iov[i].iov_len;
	}
	return iov;
}

/* fd is open on a stream (a pipe, the tty): a read there may block for more. */
static bool fd_is_stream(int fd)
{
	struct file *f = fget(fd);
	bool stream = f && !f->f_op->llseek;

	if (f)
		file_put(f);
	return stream;
}

static long do_rwv(int fd, const struct iovec __user *uiov, int iovcnt, bool write)
{
	struct iovec *iov = iov_import(uiov, iovcnt);
	bool stop_after_data = !write && fd_is_stream(fd);
	long total = 0, n = 0;
	int i;

	if (IS_ERR(iov))
		return PTR_ERR(iov);
	for (i = 0; i < iovcnt; i++) {
		n = do_rw(fd, iov[i].iov_base, iov[i].iov_len, NULL, write);
		if (n < 0)
			break;
		total += n;
		/* Short, or a stream that gave something: the next read could block. */
		if ((size_t)n < iov[i].iov_len || (stop_after_data && total))
			break;
	}
	kfree(iov);
	if (!iovcnt)
		return do_rw(fd, NULL, 0, NULL, write);	/* still checks the fd */
	return total ? total : n;
}

SYSCALL_DEFINE3(readv, __NR_readv, int, fd, const struct iovec __user *, iov, int, iovcnt)
{
	return do_rwv(fd, iov, iovcnt, false);
}

SYSCALL_DEFINE3(writev, __NR_writev, int, fd, const struct iovec __user *, iov, int, iovcnt)
{
	return do_rwv(fd, iov, iovcnt, true);
}

/* ---- lseek, ioctl, getdents64 ---- */

SYSCALL_DEFINE3(lseek, __NR_lseek, int, fd, loff_t, offset, unsigned int, whence)
{
	struct file *f = fget(fd);
	loff_t ret;

	if (!f)
		return -EBADF;
	if (!f->f_op->llseek) {
		ret = -ESPIPE;
	} else if (whence > SEEK_END) {
		ret = -EINVAL;
	} else {
		mutex_lock(&f->pos_lock);
		ret = f->f_op->llseek(f, offset, (int)whence);
		mutex_unlock(&f->pos_lock);
	}
	file_put(f);
	return ret;
}

SYSCALL_DEFINE3(ioctl, __NR_ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	file_put(f);
	return ret;
}

static long file_getdents_user(struct file *f, void __user *udirp, size_t count)
{
	size_t len = min(count, (size_t)GETDENTS_MAX);
	void *kbuf = kmalloc(len);
	long n;

	if (!kbuf)
		return -ENOMEM;
	mutex_lock(&f->pos_lock);
	n = f->f_op->getdents(f, kbuf, len);
	mutex_unlock(&f->pos_lock);
	if (n > 0 && copy_to_user(udirp, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	return n;
}

SYSCALL_DEFINE3(getdents64, __NR_getdents64, int, fd, void __user *, dirp, unsigned int, count)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->type) || !f->f_op->getdents)
		ret = -ENOTDIR;
	else if (!access_ok(dirp, count))
		ret = -EFAULT;
	else if (count < sizeof(struct linux_dirent64) + 1)
		ret = -EINVAL;
	else
		ret = file_getdents_user(f, dirp, count);
	file_put(f);
	return ret;
}
