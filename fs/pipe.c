// SPDX-License-Identifier: GPL-2.0
/*
 * Pipes: pipe(2) and pipe2(2). A pipe is a PIPE_SIZE ring buffer shared by
 * two struct files, a read end and a write end. Each end counts once per
 * struct file (not per fd): dup, fork (files_dup) and fd passing only take
 * file references, and the end goes away with the file's last reference.
 *
 *   read:  blocks while the ring is empty and a write end is open; returns
 *          0 (end of file) once it is empty and no write end is left.
 *   write: -EPIPE once no read end is left; a write of at most PIPE_BUF
 *          bytes waits for room for all of it, so it is never interleaved
 *          with another writer's bytes; longer ones go in pieces.
 *   O_NONBLOCK: -EAGAIN instead of blocking. A blocked call that is
 *          interrupted (fs_interrupted()) returns what it moved, or
 *          -ERESTARTSYS (restarted unless a handler without SA_RESTART
 *          runs; a stop and continue resumes it unseen).
 *
 * One wait queue per pipe serves readers, writers, pollers and FIFO
 * openers: every change wakes all of them and each checks its own
 * condition again.
 *
 * A FIFO (fifo.c) is a pipe whose ends are opened by name, any number of
 * times: pipe_alloc_fifo() makes one with no ends, pipe_open_end() adds a
 * file on either end and pipe_wait_peer() gives open its blocking rules.
 * When its last end closes, the FIFO's idle callback decides its fate.
 *
 * Context: pipe.lock (irq-safe, as wait queues wake from interrupts) guards
 * the ring and the end counts; it is never held across a sleep.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/poll.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <uapi/fcntl.h>

#include "internal.h"

struct pipe {
	spinlock_t lock;
	char *ring;		/* PIPE_SIZE bytes */
	size_t head;		/* index of the oldest byte */
	size_t len;		/* bytes held */
	int readers, writers;	/* open read / write ends */
	unsigned long read_opens, write_opens;	/* FIFO: ends ever opened, per side */
	u64 ino;		/* for fstat */
	struct wait_queue_head wait;
	void (*idle)(struct pipe *p, void *arg);	/* FIFO: no end is left (else freed) */
	void *idle_arg;
};

static u64 pipe_next_ino = 1;

static size_t pipe_room(const struct pipe *p)
{
	return PIPE_SIZE - p->len;
}

/* Context: p->lock held. Move up to len bytes out of the ring. */
static size_t pipe_take_locked(struct pipe *p, char *buf, size_t len)
{
	size_t n = min(len, p->len), first = min(n, PIPE_SIZE - p->head);

	memcpy(buf, p->ring + p->head, first);
	memcpy(buf + first, p->ring, n - first);
	p->head = (p->head + n) % PIPE_SIZE;
	p->len -= n;
	return n;
}

/* Context: p->lock held. Move up to len bytes into the ring. */
static size_t pipe_put_locked(struct pipe *p, const char *buf, size_t len)
{
	size_t n = min(len, pipe_room(p));
	size_t tail = (p->head + p->len) % PIPE_SIZE;
	size_t first = min(n, PIPE_SIZE - tail);

	memcpy(p->ring + tail, buf, first);
	memcpy(p->ring, buf + first, n - first);
	p->len += n;
	return n;
}

/* One attempt at a read: bytes, 0 at end of file, -EAGAIN when it would block. */
static long pipe_try_read(struct pipe *p, char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	long n = -EAGAIN;

	if (p->len)
		n = (long)pipe_take_locked(p, buf, len);
	else if (!p->writers)
		n = 0;
	spin_unlock_irqrestore(&p->lock, flags);
	if (n > 0)
		wake_up_all(&p->wait);
	return n;
}

static long pipe_read(struct file *f, char *buf, size_t len, loff_t *pos)
{
	struct pipe *p = f->private_data;
	long n;

	for (;;) {
		n = pipe_try_read(p, buf, len);
		if (n != -EAGAIN || (f->flags & O_NONBLOCK))
			return n;
		wait_event(p->wait, READ_ONCE(p->len) || !READ_ONCE(p->writers) ||
				    fs_interrupted());
		if (fs_interrupted())
			return -ERESTARTSYS;
	}
}

/*
 * One attempt at a write: bytes put in (maybe fewer than len), -EAGAIN
 * when nothing may go in yet, -EPIPE without readers. A write of at most
 * PIPE_BUF goes in whole or not at all.
 */
static long pipe_try_write(struct pipe *p, const char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	long n = -EAGAIN;

	if (!p->readers)
		n = -EPIPE;
	else if (len <= PIPE_BUF ? pipe_room(p) >= len : pipe_room(p) > 0)
		n = (long)pipe_put_locked(p, buf, len);
	spin_unlock_irqrestore(&p->lock, flags);
	if (n > 0)
		wake_up_all(&p->wait);
	return n;
}

static bool pipe_writable(struct pipe *p, size_t len)
{
	return !READ_ONCE(p->readers) || pipe_room(p) >= min(len, (size_t)PIPE_BUF);
}

/* Blocking: everything is written unless the readers go away (O_NONBLOCK: what fits). */
static long pipe_write(struct file *f, const char *buf, size_t len, loff_t *pos)
{
	struct pipe *p = f->private_data;
	size_t done = 0;
	long n;

	while (done < len) {
		n = pipe_try_write(p, buf + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == -EAGAIN && !(f->flags & O_NONBLOCK)) {
			wait_event(p->wait, pipe_writable(p, len - done) || fs_interrupted());
			if (!fs_interrupted())
				continue;
			n = -ERESTARTSYS;
		}
		if (n == -EPIPE && !done) {
			send_signal(current_task(), SIGPIPE);
		}
		return done ? (long)done : n;
	}
	return (long)done;
}

static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private_data;
	unsigned int mask = 0;
	unsigned long flags;

	poll_wait(pt, &p->wait);
	flags = spin_lock_irqsave(&p->lock);
	if (file_readable(f)) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers)
			mask |= POLLHUP;
	}
	if (file_writable(f)) {
		if (pipe_room(p) >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return mask;
}

static int pipe_fstat(struct file *f, struct stat *st)
{
	struct pipe *p = f->private_data;

	memset(st, 0, sizeof(*st));
	st->st_dev = 9;		/* Linux's pipefs is an anonymous device too */
	st->st_ino = p->ino;
	st->st_nlink = 1;
	st->st_mode = S_IFIFO | 0600;
	st->st_blksize = PAGE_SIZE;
	st->st_size = (s64)READ_ONCE(p->len);
	return 0;
}

/* An end closes: the other side learns of it (EOF, EPIPE, POLLHUP). */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->private_data;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	bool last;

	if (file_readable(f))
		p->readers--;
	if (file_writable(f))
		p->writers--;
	last = !p->readers && !p->writers;
	spin_unlock_irqrestore(&p->lock, flags);
	if (!last)
		wake_up_all(&p->wait);
	else if (p->idle)
		p->idle(p, p->idle_arg);
	else
		pipe_free(p);
}

void pipe_free(struct pipe *p)
{
	kfree(p->ring);
	kfree(p);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.fstat = pipe_fstat,
	.poll = pipe_poll,
	.release = pipe_release,
};

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->ring = kmalloc(PIPE_SIZE);
	if (!p->ring) {
		kfree(p);
		return NULL;
	}
	spin_lock_init(&p->lock);
	init_wait_queue_head(&p->wait);
	p->ino = __atomic_fetch_add(&pipe_next_ino, 1, __ATOMIC_RELAXED);
	return p;
}

struct pipe *pipe_alloc_fifo(void (*idle)(struct pipe *p, void *arg), void *arg)
{
	struct pipe *p = pipe_alloc();

	if (p) {
		p->idle = idle;
		p->idle_arg = arg;
	}
	return p;
}

bool pipe_unused(struct pipe *p)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	bool unused = !p->readers && !p->writers;

	spin_unlock_irqrestore(&p->lock, flags);
	return unused;
}

/* Count a new end of either side; *seen: the other side's opens so far. */
static int pipe_add_end(struct pipe *p, unsigned int flags, unsigned long *seen)
{
	unsigned int acc = flags & O_ACCMODE;
	unsigned long irq = spin_lock_irqsave(&p->lock);
	int err = 0;

	if (acc == O_WRONLY && (flags & O_NONBLOCK) && !p->readers) {
		err = -ENXIO;	/* no reader: a nonblocking writer may not wait for one */
	} else {
		*seen = acc == O_RDONLY ? p->write_opens : p->read_opens;
		if (acc != O_WRONLY) {
			p->readers++;
			p->read_opens++;
		}
		if (acc != O_RDONLY) {
			p->writers++;
			p->write_opens++;
		}
	}
	spin_unlock_irqrestore(&p->lock, irq);
	return err;
}

struct file *pipe_open_end(struct pipe *p, unsigned int flags, const char *path,
			   unsigned long *seen)
{
	struct file *f;
	int err = pipe_add_end(p, flags, seen);

	if (err)
		return ERR_PTR(err);
	wake_up_all(&p->wait);	/* openers of the other side */
	f = file_alloc(&pipe_fops, flags & (O_ACCMODE | O_NONBLOCK | O_APPEND), S_IFIFO, path, p);
	if (!f) {
		unsigned long irq = spin_lock_irqsave(&p->lock);

		p->readers -= (flags & O_ACCMODE) != O_WRONLY;
		p->writers -= (flags & O_ACCMODE) != O_RDONLY;
		spin_unlock_irqrestore(&p->lock, irq);
		return ERR_PTR(-ENOMEM);
	}
	return f;
}

/* Has the other side of f's pipe an end open, or opened one since seen? */
static bool pipe_peer_came(struct pipe *p, bool reader, unsigned long seen)
{
	if (reader)
		return READ_ONCE(p->writers) || READ_ONCE(p->write_opens) != seen;
	return READ_ONCE(p->readers) || READ_ONCE(p->read_opens) != seen;
}

int pipe_wait_peer(struct file *f, unsigned long seen)
{
	struct pipe *p = f->private_data;
	bool reader = file_readable(f);

	if (reader == file_writable(f) || (reader && (f->flags & O_NONBLOCK)))
		return 0;	/* O_RDWR, or a nonblocking reader: no wait */
	wait_event(p->wait, pipe_peer_came(p, reader, seen) || fs_interrupted());
	return pipe_peer_came(p, reader, seen) ? 0 : -ERESTARTSYS;
}

int pipe_create(struct file **rd, struct file **wr, unsigned int flags)
{
	struct pipe *p = pipe_alloc();

	if (!p)
		return -ENOMEM;
	flags &= O_NONBLOCK;
	p->readers = 1;
	p->writers = 1;
	*rd = file_alloc(&pipe_fops, O_RDONLY | flags, S_IFIFO, NULL, p);
	*wr = file_alloc(&pipe_fops, O_WRONLY | flags, S_IFIFO, NULL, p);
	if (*rd && *wr)
		return 0;
	/* Release only runs for files that exist: account for the missing end. */
	p->readers = *rd ? 1 : 0;
	p->writers = *wr ? 1 : 0;
	if (*rd)
		file_put(*rd);
	if (*wr)
		file_put(*wr);
	if (!*rd && !*wr)
		pipe_free(p);
	return -ENOMEM;
}

/* Install both ends and store their fds in the user's int[2]. */
static long do_pipe2(int __user *ufds, unsigned int flags)
{
	struct files_struct *files = current_files();
	bool cloexec = flags & O_CLOEXEC;
	struct file *rd, *wr;
	int fds[2];
	long err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!files)
		return -EMFILE;
	err = pipe_create(&rd, &wr, flags);
	if (err)
		return err;
	fds[0] = fd_install(files, rd, 0, cloexec);
	if (fds[0] < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(files, wr, 0, cloexec);
	if (fds[1] < 0) {
		fd_close(files, fds[0]);
		file_put(wr);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(files, fds[0]);
		fd_close(files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, __NR_pipe, int __user *, fds)
{
	return do_pipe2(fds, 0);
}

SYSCALL_DEFINE2(pipe2, __NR_pipe2, int __user *, fds, int, flags)
{
	return do_pipe2(fds, (unsigned int)flags);
}
