/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Waiting on several files at once (fs/poll.c): the contract between
 * poll/select and a file's f_op->poll.
 *
 * f_op->poll(f, pt) returns the POLL* bits (include/uapi/poll.h) that hold
 * now and, when pt is not NULL, calls poll_wait(pt, wq) for every wait
 * queue that is woken when those bits may change. The poller queues itself
 * on those queues *before* it asks, so a wake_up_all() between the check
 * and the sleep is not lost (the rule of include/mosaic/wait.h).
 *
 * A file without f_op->poll is always ready for reading and writing
 * (POLL_DEFAULT_MASK), as Linux treats files that cannot block.
 *
 * Context: f_op->poll runs with the poller marked sleeping: it may take
 * spinlocks but must not sleep (no mutexes, no RPCs).
 */
#ifndef _MOSAIC_POLL_H
#define _MOSAIC_POLL_H

#include <mosaic/types.h>
#include <mosaic/wait.h>
#include <uapi/poll.h>

#define POLL_DEFAULT_MASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct poll_entry {
	struct wait_queue_head *wq;
	struct wait_queue_entry wait;
};

struct poll_table {
	struct poll_entry *entries;
	unsigned int nr, max;
	/* Longest sleep before everything is asked again: for files whose
	 * readiness no interrupt reports (the console without an IOAPIC). */
	u64 recheck_ns;
};

/* Queue the poller on wq (once per table); a full table makes it re-check often. */
void poll_wait(struct poll_table *pt, struct wait_queue_head *wq);
/* A file that must be asked again at least every ns nanoseconds. */
void poll_recheck_within(struct poll_table *pt, u64 ns);

struct file;
/* What f is ready for now (its f_op->poll or POLL_DEFAULT_MASK); pt may be NULL. */
unsigned int file_poll(struct file *f, struct poll_table *pt);

#endif
