// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for pipes (suite pipe): blocking reads and writes between two
 * kernel threads through the file operations, and the end counts.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/poll.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <uapi/fcntl.h>

#define STREAM_BYTES (3 * PIPE_SIZE + 123)	/* more than the ring holds */

struct pipe_pair {
	struct file *rd, *wr;
};

/* Write STREAM_BYTES of a known pattern in odd pieces, then close. */
static int pipe_writer(void *arg)
{
	struct pipe_pair *pp = arg;
	char *buf = kmalloc(1000);
	size_t done = 0, i;

	if (!buf)
		return -ENOMEM;
	msleep(10);		/* let the reader block first */
	while (done < STREAM_BYTES) {
		size_t n = min((size_t)1000, STREAM_BYTES - done);

		for (i = 0; i < n; i++)
			buf[i] = (char)((done + i) % 253);
		if (pp->wr->f_op->write(pp->wr, buf, n, NULL) != (long)n)
			break;
		done += n;
	}
	kfree(buf);
	file_put(pp->wr);
	return done == STREAM_BYTES ? 0 : -EIO;
}

/* Read until EOF: how many bytes came in order, or -1 at the first wrong one. */
static long pipe_read_all(struct file *rd)
{
	char buf[512];
	long total = 0, n, i;

	while ((n = rd->f_op->read(rd, buf, sizeof(buf), NULL)) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != (char)((total + i) % 253))
				return -1;
		total += n;
	}
	return n < 0 ? n : total;
}

KTEST(pipe, blocking_stream_between_threads)
{
	struct pipe_pair pp;
	struct task *t;

	KASSERT(pipe_create(&pp.rd, &pp.wr, 0) == 0);
	t = kthread_create(pipe_writer, &pp, "pipe-writer");
	KASSERT(!IS_ERR(t));
	KEXPECT_EQ(pipe_read_all(pp.rd), (long)STREAM_BYTES);
	KEXPECT_EQ(kthread_join(t), 0);
	file_put(pp.rd);
}

static int pipe_closer(void *arg)
{
	struct pipe_pair *pp = arg;

	msleep(10);
	file_put(pp->rd);
	return 0;
}

/* A writer blocked on a full pipe learns of the last reader's close. */
KTEST(pipe, blocked_writer_gets_epipe)
{
	static char chunk[PIPE_BUF];
	struct pipe_pair pp;
	struct task *t;
	long n;

	KASSERT(pipe_create(&pp.rd, &pp.wr, 0) == 0);
	for (n = 0; n < PIPE_SIZE / PIPE_BUF; n++)
		KEXPECT_EQ(pp.wr->f_op->write(pp.wr, chunk, sizeof(chunk), NULL), PIPE_BUF);
	KEXPECT_EQ(file_poll(pp.wr, NULL) & POLLOUT, 0U);
	t = kthread_create(pipe_closer, &pp, "pipe-closer");
	KASSERT(!IS_ERR(t));
	KEXPECT_EQ(pp.wr->f_op->write(pp.wr, chunk, 1, NULL), -EPIPE);
	KEXPECT_EQ(file_poll(pp.wr, NULL) & POLLERR, (unsigned int)POLLERR);
	kthread_join(t);
	file_put(pp.wr);
}

KTEST(pipe, extra_references_keep_an_end_open)
{
	struct file *rd, *wr;
	char c;

	KASSERT(pipe_create(&rd, &wr, O_NONBLOCK) == 0);
	file_get(wr);			/* as dup() or fork would */
	file_put(wr);
	KEXPECT_EQ(rd->f_op->read(rd, &c, 1, NULL), -EAGAIN);
	file_put(wr);
	KEXPECT_EQ(rd->f_op->read(rd, &c, 1, NULL), 0);
	file_put(rd);
}
