// SPDX-License-Identifier: GPL-2.0
/*
 * select and pselect6 over do_poll() (fs/poll.c): the fds named in the
 * three bit sets become pollfds, and the answers become bits again.
 * Readable means POLLIN/POLLHUP/POLLERR, writable POLLOUT/POLLERR,
 * "exceptional" POLLPRI, as on Linux. An fd in a set that is not open is
 * -EBADF. nfds beyond the table's FILES_MAX is cut down to it.
 *
 * Context: process context, no locks held.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/poll.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <uapi/time.h>

#include "internal.h"

#define BITS_PER_LONG 64
#define SET_LONGS (FILES_MAX / BITS_PER_LONG)

#define SELECT_IN (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLERR)
#define SELECT_EX POLLPRI

struct fd_sets {
	unsigned long in[SET_LONGS], out[SET_LONGS], ex[SET_LONGS];
};

static bool bit_test(const unsigned long *set, unsigned int fd)
{
	return set[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void bit_set(unsigned long *set, unsigned int fd)
{
	set[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
}

/* Copy nfds bits of a user set (NULL: empty). */
static int set_copy_in(unsigned long *set, const unsigned long __user *uset, unsigned int nfds)
{
	memset(set, 0, SET_LONGS * sizeof(long));
	if (!uset)
		return 0;
	if (copy_from_user(set, uset, DIV_ROUND_UP(nfds, BITS_PER_LONG) * sizeof(long)))
		return -EFAULT;
	if (nfds % BITS_PER_LONG)	/* bits past nfds are not the caller's question */
		set[nfds / BITS_PER_LONG] &= (1UL << (nfds % BITS_PER_LONG)) - 1;
	return 0;
}

static int set_copy_out(unsigned long __user *uset, const unsigned long *set, unsigned int nfds)
{
	if (uset && copy_to_user(uset, set, DIV_ROUND_UP(nfds, BITS_PER_LONG) * sizeof(long)))
		return -EFAULT;
	return 0;
}

/* One pollfd per fd named in any set: how many. */
static unsigned int sets_to_pollfds(const struct fd_sets *s, unsigned int nfds,
				    struct pollfd *fds)
{
	unsigned int fd, n = 0;

	for (fd = 0; fd < nfds; fd++) {
		short events = 0;

		if (bit_test(s->in, fd))
			events |= POLLIN | POLLRDNORM;
		if (bit_test(s->out, fd))
			events |= POLLOUT | POLLWRNORM;
		if (bit_test(s->ex, fd))
			events |= POLLPRI;
		if (events)
			fds[n++] = (struct pollfd){ .fd = (int)fd, .events = events };
	}
	return n;
}

/* The answers as bit sets (cleared first): bits set, or -EBADF. */
static int pollfds_to_sets(const struct pollfd *fds, unsigned int n, struct fd_sets *s)
{
	unsigned int i, fd;
	int count = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++) {
		unsigned int r = (u16)fds[i].revents, ev = (u16)fds[i].events;

		if (r & POLLNVAL)
			return -EBADF;
		fd = (unsigned int)fds[i].fd;
		if ((ev & POLLIN) && (r & SELECT_IN) && ++count)
			bit_set(s->in, fd);
		if ((ev & POLLOUT) && (r & SELECT_OUT) && ++count)
			bit_set(s->out, fd);
		if ((ev & POLLPRI) && (r & SELECT_EX) && ++count)
			bit_set(s->ex, fd);
	}
	return count;
}

static int select_copy_out(struct fd_sets *s, unsigned int nfds, unsigned long __user *uin,
			   unsigned long __user *uout, unsigned long __user *uex)
{
	if (set_copy_out(uin, s->in, nfds) || set_copy_out(uout, s->out, nfds) ||
	    set_copy_out(uex, s->ex, nfds))
		return -EFAULT;
	return 0;
}

static long do_select(int nfds, unsigned long __user *uin, unsigned long __user *uout,
		      unsigned long __user *uex, u64 timeout_ns, u64 *left)
{
	struct fd_sets *s = kmalloc(sizeof(*s));
	struct pollfd *fds = NULL;
	unsigned int n, max;
	long ret = -ENOMEM;

	if (nfds < 0)
		return -EINVAL;
	max = min((unsigned int)nfds, (unsigned int)FILES_MAX);
	if (s)
		fds = kmalloc(max * sizeof(*fds) + 1);
	if (!fds)
		goto out;
	ret = -EFAULT;
	if (set_copy_in(s->in, uin, max) || set_copy_in(s->out, uout, max) ||
	    set_copy_in(s->ex, uex, max))
		goto out;
	n = sets_to_pollfds(s, max, fds);
	ret = do_poll(fds, n, timeout_ns, left);
	if (ret >= 0)
		ret = pollfds_to_sets(fds, n, s);
	if (ret >= 0 && select_copy_out(s, max, uin, uout, uex))
		ret = -EFAULT;
out:
	kfree(fds);
	kfree(s);
	return ret;
}

/* A user timeval as a timeout: 0, -EFAULT or -EINVAL. NULL: no limit. */
static int timeval_to_timeout(const struct timeval __user *utv, u64 *timeout)
{
	struct timeval tv;

	*timeout = POLL_FOREVER;
	if (!utv)
		return 0;
	if (copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	if ((u64)tv.tv_sec < POLL_FOREVER / NSEC_PER_SEC - 1)
		*timeout = (u64)tv.tv_sec * NSEC_PER_SEC + (u64)tv.tv_usec * NSEC_PER_USEC;
	return 0;
}

SYSCALL_DEFINE5(select, __NR_select, int, nfds, unsigned long __user *, in,
		unsigned long __user *, out, unsigned long __user *, ex,
		struct timeval __user *, tvp)
{
	u64 timeout, left;
	long ret = timeval_to_timeout(tvp, &timeout);

	if (ret)
		return ret;
	ret = do_select(nfds, in, out, ex, timeout, &left);
	if (ret >= 0 && tvp && left != POLL_FOREVER) {
		struct timeval tv = { (s64)(left / NSEC_PER_SEC),
				      (s64)(left % NSEC_PER_SEC / NSEC_PER_USEC) };

		(void)copy_to_user(tvp, &tv, sizeof(tv));
	}
	return ret;
}

/* pselect6's sixth argument: a pointer to { const sigset_t *ss; size_t ss_len; }. */
struct pselect_sigmask {
	const void __user *set;
	size_t size;
};

SYSCALL_DEFINE6(pselect6, __NR_pselect6, int, nfds, unsigned long __user *, in,
		unsigned long __user *, out, unsigned long __user *, ex,
		struct timespec __user *, tsp, const struct pselect_sigmask __user *, usig)
{
	struct pselect_sigmask sig;
	u64 timeout, left;
	long ret;

	if (usig) {
		if (copy_from_user(&sig, usig, sizeof(sig)))
			return -EFAULT;
		if (sig.set && sig.size != SIGSET_SIZE)
			return -EINVAL;
	}
	ret = timespec_to_timeout(tsp, &timeout);
	if (ret)
		return ret;
	ret = do_select(nfds, in, out, ex, timeout, &left);
	if (ret >= 0)
		timespec_store_left(tsp, left);
	return ret;
}
