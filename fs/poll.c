// SPDX-License-Identifier: GPL-2.0
/*
 * poll and ppoll: wait until one of several fds is ready
 * (include/mosaic/poll.h has the contract with f_op->poll).
 *
 * do_poll() marks the caller sleeping, asks every file what it is ready
 * for while queueing a poll_entry on each wait queue the file names, and
 * sleeps only if nothing was ready. A wake-up on any queue (or the
 * timeout, or a file's recheck interval) makes it ask every file again.
 * select (fs/select.c) is poll over the fds its bit sets name.
 *
 * Signal masks (ppoll, pselect6) are checked for size but not applied yet;
 * a wait ends with -EINTR when fs_interrupted() says so (fs/internal.h).
 *
 * Context: process context, no locks held; user memory is copied in
 * before the wait and out after it.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/poll.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <uapi/resource.h>
#include <uapi/time.h>

#include "internal.h"

#define POLL_TABLE_SLACK 8	/* queues beyond one per fd before rechecking by timer */
#define POLL_OVERFLOW_RECHECK_NS (10 * NSEC_PER_MSEC)

void poll_wait(struct poll_table *pt, struct wait_queue_head *wq)
{
	struct poll_entry *e;
	unsigned int i;

	if (!pt)
		return;
	for (i = 0; i < pt->nr; i++)
		if (pt->entries[i].wq == wq)
			break;
	if (i == pt->nr) {
		if (pt->nr == pt->max) {
			poll_recheck_within(pt, POLL_OVERFLOW_RECHECK_NS);
			return;
		}
		e = &pt->entries[pt->nr++];
		e->wq = wq;
		init_wait_entry(&e->wait);
	}
	/* Queued again each round: a waker takes an entry off its queue. */
	prepare_to_wait(wq, &pt->entries[i].wait);
}

void poll_recheck_within(struct poll_table *pt, u64 ns)
{
	if (pt && ns < pt->recheck_ns)
		pt->recheck_ns = ns;
}

unsigned int file_poll(struct file *f, struct poll_table *pt)
{
	return f->f_op->poll ? f->f_op->poll(f, pt) : POLL_DEFAULT_MASK;
}

static int poll_table_init(struct poll_table *pt, unsigned int nfds)
{
	pt->nr = 0;
	pt->max = nfds + POLL_TABLE_SLACK;
	pt->recheck_ns = POLL_FOREVER;
	pt->entries = kmalloc(pt->max * sizeof(*pt->entries));
	return pt->entries ? 0 : -ENOMEM;
}

/* Leave every queue and run again. */
static void poll_table_free(struct poll_table *pt)
{
	unsigned int i;

	for (i = 0; i < pt->nr; i++)
		finish_wait(pt->entries[i].wq, &pt->entries[i].wait);
	set_current_state(TASK_RUNNING);
	kfree(pt->entries);
}

/* Fill in revents for one pollfd: nonzero when it counts as ready. */
static unsigned int poll_one(struct pollfd *pfd, struct poll_table *pt)
{
	unsigned int wanted = (u16)pfd->events | POLLERR | POLLHUP;
	unsigned int mask;
	struct file *f;

	if (pfd->fd < 0) {
		pfd->revents = 0;	/* ignored, as poll(2) says */
		return 0;
	}
	f = fget(pfd->fd);
	if (!f) {
		pfd->revents = POLLNVAL;
		return POLLNVAL;
	}
	mask = file_poll(f, pt) & wanted;
	file_put(f);
	pfd->revents = (short)mask;
	return mask;
}

/* One round over every pollfd: how many are ready. */
static int poll_scan(struct pollfd *fds, unsigned int nfds, struct poll_table *pt)
{
	unsigned int i;
	int ready = 0;

	for (i = 0; i < nfds; i++)
		if (poll_one(&fds[i], pt))
			ready++;
	return ready;
}

int do_poll(struct pollfd *fds, unsigned int nfds, u64 timeout_ns, u64 *left)
{
	u64 now = ktime_ns(), deadline;
	struct poll_table pt;
	int ready;

	if (poll_table_init(&pt, nfds))
		return -ENOMEM;
	deadline = timeout_ns > POLL_FOREVER - now ? POLL_FOREVER : now + timeout_ns;
	for (;;) {
		set_current_state(TASK_SLEEPING);
		ready = poll_scan(fds, nfds, &pt);
		now = ktime_ns();
		if (ready || now >= deadline)
			break;
		if (fs_interrupted()) {
			ready = -EINTR;
			break;
		}
		schedule_timeout(min(deadline - now, pt.recheck_ns));
	}
	poll_table_free(&pt);
	*left = deadline == POLL_FOREVER ? POLL_FOREVER : deadline - min(now, deadline);
	return ready;
}

/* poll/ppoll on user pollfds: copy in, wait, copy revents out. */
static long poll_user(struct pollfd __user *ufds, unsigned int nfds, u64 timeout_ns, u64 *left)
{
	struct task *self = current_task();
	u64 limit = self ? self->rlim[RLIMIT_NOFILE].rlim_cur : FILES_MAX;
	size_t size = (size_t)nfds * sizeof(struct pollfd);
	struct pollfd *fds;
	long ret;

	if (nfds > limit)
		return -EINVAL;
	fds = kmalloc(size ? size : 1);
	if (!fds)
		return -ENOMEM;
	ret = -EFAULT;
	if (!copy_from_user(fds, ufds, size)) {
		ret = do_poll(fds, nfds, timeout_ns, left);
		if (ret >= 0 && copy_to_user(ufds, fds, size))
			ret = -EFAULT;
	}
	kfree(fds);
	return ret;
}

SYSCALL_DEFINE3(poll, __NR_poll, struct pollfd __user *, fds, unsigned int, nfds, int, timeout_ms)
{
	u64 timeout = timeout_ms < 0 ? POLL_FOREVER : (u64)timeout_ms * NSEC_PER_MSEC;
	u64 left;

	return poll_user(fds, nfds, timeout, &left);
}

int timespec_to_timeout(const struct timespec __user *uts, u64 *timeout)
{
	struct timespec ts;

	*timeout = POLL_FOREVER;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec >= POLL_FOREVER / NSEC_PER_SEC - 1)
		return 0;
	*timeout = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

void timespec_store_left(struct timespec __user *uts, u64 left)
{
	struct timespec ts = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };

	if (uts && left != POLL_FOREVER)
		(void)copy_to_user(uts, &ts, sizeof(ts));
}

SYSCALL_DEFINE5(ppoll, __NR_ppoll, struct pollfd __user *, fds, unsigned int, nfds,
		struct timespec __user *, tsp, const void __user *, sigmask, size_t, sigsetsize)
{
	u64 timeout, left;
	long ret;

	if (sigmask && sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	ret = timespec_to_timeout(tsp, &timeout);
	if (ret)
		return ret;
	ret = poll_user(fds, nfds, timeout, &left);
	if (ret >= 0)
		timespec_store_left(tsp, left);
	return ret;
}
