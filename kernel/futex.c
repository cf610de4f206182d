// SPDX-License-Identifier: GPL-2.0
/*
 * futex(2): FUTEX_WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET and
 * WAKE_BITSET, with FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME.
 *
 * A waiter is keyed by (mm, user address): private and shared futexes are
 * the same here, as no memory is shared between address spaces. Waiters
 * sit in a hash of buckets; each has a spinlock (irqsave, a leaf but for
 * the run-queue lock wake_up_process takes). A waiter queues itself
 * *before* it reads the futex word (get_user may sleep for a pcache fill,
 * so the word cannot be read under the lock): a waker that changed the
 * word afterwards finds it queued, so no wake-up is lost.
 *
 * Timeouts: relative for FUTEX_WAIT, absolute for FUTEX_WAIT_BITSET
 * (CLOCK_MONOTONIC, or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME).
 */
#include <mosaic/errno.h>
#include <mosaic/list.h>
#include <mosaic/mm_types.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/spinlock.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/time.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

#define FUTEX_HASH_SIZE 64

struct futex_bucket {
	spinlock_t lock;
	struct list_head waiters;
};

struct futex_waiter {
	struct list_head link;		/* in bucket->waiters; empty once woken */
	struct futex_bucket *bucket;	/* changes on requeue, under both locks */
	struct mm_struct *mm;
	unsigned long uaddr;
	u32 bitset;
	struct task *task;
	bool woken;
};

static struct futex_bucket futex_hash[FUTEX_HASH_SIZE];
static bool futex_hash_ready;
static DEFINE_SPINLOCK(futex_init_lock);

static struct futex_bucket *futex_bucket(struct mm_struct *mm, unsigned long uaddr)
{
	unsigned long h = (uaddr >> 2) ^ ((unsigned long)mm >> 6);

	if (!READ_ONCE(futex_hash_ready)) {
		unsigned long flags = spin_lock_irqsave(&futex_init_lock);

		for (unsigned int i = 0; !futex_hash_ready && i < FUTEX_HASH_SIZE; i++) {
			spin_lock_init(&futex_hash[i].lock);
			INIT_LIST_HEAD(&futex_hash[i].waiters);
		}
		__atomic_store_n(&futex_hash_ready, true, __ATOMIC_RELEASE);
		spin_unlock_irqrestore(&futex_init_lock, flags);
	}
	h ^= h >> 11;
	return &futex_hash[h % FUTEX_HASH_SIZE];
}

/* Wake w. Context: w->bucket->lock held. */
static void futex_wake_waiter(struct futex_waiter *w)
{
	struct task *t = w->task;

	task_get(t);	/* w lives on the waiter's stack: gone once woken is seen */
	list_del_init(&w->link);
	__atomic_store_n(&w->woken, true, __ATOMIC_SEQ_CST);
	wake_up_process(t);
	task_put(t);
}

static bool futex_match(const struct futex_waiter *w, struct mm_struct *mm, unsigned long uaddr)
{
	return w->mm == mm && w->uaddr == uaddr;
}

/* Wake up to nr waiters (at least one, as Linux) on (mm, uaddr) whose bitset meets bitset. */
static int futex_wake(struct mm_struct *mm, unsigned long uaddr, int nr, u32 bitset)
{
	struct futex_bucket *b = futex_bucket(mm, uaddr);
	struct futex_waiter *w, *next;
	unsigned long flags;
	int woken = 0;

	if (nr < 1)
		nr = 1;
	flags = spin_lock_irqsave(&b->lock);
	list_for_each_entry_safe(w, next, &b->waiters, link) {
		if (woken >= nr)
			break;
		if (futex_match(w, mm, uaddr) && (w->bitset & bitset)) {
			futex_wake_waiter(w);
			woken++;
		}
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}

int futex_wake_word(struct mm_struct *mm, unsigned long uaddr, int nr)
{
	return futex_wake(mm, uaddr, nr, FUTEX_BITSET_MATCH_ANY);
}

static void futex_queue(struct futex_waiter *w)
{
	struct futex_bucket *b = futex_bucket(w->mm, w->uaddr);
	unsigned long flags = spin_lock_irqsave(&b->lock);

	w->bucket = b;
	list_add_tail(&w->link, &b->waiters);
	spin_unlock_irqrestore(&b->lock, flags);
}

/* Leave the queue if still on it; true when a waker took it off first. */
static bool futex_unqueue(struct futex_waiter *w)
{
	struct futex_bucket *b;
	unsigned long flags;

	for (;;) {
		b = READ_ONCE(w->bucket);
		flags = spin_lock_irqsave(&b->lock);
		if (b == READ_ONCE(w->bucket))
			break;
		spin_unlock_irqrestore(&b->lock, flags);	/* requeued meanwhile */
	}
	if (!list_empty(&w->link))
		list_del_init(&w->link);
	spin_unlock_irqrestore(&b->lock, flags);
	return __atomic_load_n(&w->woken, __ATOMIC_ACQUIRE);
}

/* Sleep until woken, deadline (ktime_ns; 0: none), a signal or a group exit. */
static void futex_sleep(struct futex_waiter *w, u64 deadline)
{
	for (;;) {
		u64 now = ktime_ns();

		set_current_state(TASK_SLEEPING);
		if (__atomic_load_n(&w->woken, __ATOMIC_ACQUIRE) || process_group_exiting() ||
		    signal_pending(current_task()) || (deadline && now >= deadline))
			break;
		schedule_timeout(deadline ? deadline - now : SCHED_TIMEOUT_MAX);
	}
	set_current_state(TASK_RUNNING);
}

static long futex_wait(u32 __user *uaddr, u32 val, u64 deadline, u32 bitset)
{
	struct futex_waiter w = { .mm = current_task()->mm, .uaddr = (unsigned long)uaddr,
				  .bitset = bitset, .task = current_task() };
	u32 uval;

	INIT_LIST_HEAD(&w.link);
	futex_queue(&w);
	if (get_user(uval, uaddr)) {
		futex_unqueue(&w);
		return -EFAULT;
	}
	if (uval != val) {
		futex_unqueue(&w);
		return -EAGAIN;
	}
	futex_sleep(&w, deadline);
	if (futex_unqueue(&w))
		return 0;
	if (process_group_exiting() || signal_pending(current_task()))
		return -EINTR;
	return -ETIMEDOUT;
}

static void lock_two_buckets(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a < b) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static void unlock_two_buckets(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

/* Wake nr_wake waiters on uaddr, move up to nr_requeue others to uaddr2. */
static long futex_requeue(struct mm_struct *mm, unsigned long uaddr, unsigned long uaddr2,
			  int nr_wake, int nr_requeue)
{
	struct futex_bucket *b1 = futex_bucket(mm, uaddr), *b2 = futex_bucket(mm, uaddr2);
	struct futex_waiter *w, *next;
	unsigned long flags = local_irq_save();
	int done = 0, moved = 0;

	lock_two_buckets(b1, b2);
	list_for_each_entry_safe(w, next, &b1->waiters, link) {
		if (!futex_match(w, mm, uaddr))
			continue;
		if (done < nr_wake) {
			futex_wake_waiter(w);
			done++;
		} else if (moved < nr_requeue) {
			list_move_tail(&w->link, &b2->waiters);
			w->uaddr = uaddr2;
			WRITE_ONCE(w->bucket, b2);
			moved++;
		} else {
			break;
		}
	}
	unlock_two_buckets(b1, b2);
	local_irq_restore(flags);
	return done + moved;
}

/* A user timespec as an absolute ktime_ns deadline; *deadline 0: none. */
static int futex_deadline(const struct timespec __user *ut, bool absolute, bool realtime,
			  u64 *deadline)
{
	struct timespec ts;
	u64 ns;

	*deadline = 0;
	if (!ut)
		return 0;
	if (copy_from_user(&ts, ut, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	ns = (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	if (absolute && realtime) {
		u64 real = ktime_get_real_ns();

		ns = ns > real ? ns - real : 0;
		absolute = false;
	}
	*deadline = absolute ? ns : ktime_ns() + ns;
	if (!*deadline)
		*deadline = 1;	/* already past, but not "no deadline" */
	return 0;
}

static long futex_do_wait(u32 __user *uaddr, int op, u32 val, const struct timespec __user *ut,
			  u32 bitset)
{
	bool bitset_op = (op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET;
	u64 deadline;
	int err;

	if (!bitset)
		return -EINVAL;
	err = futex_deadline(ut, bitset_op, op & FUTEX_CLOCK_REALTIME, &deadline);
	if (err)
		return err;
	return futex_wait(uaddr, val, deadline, bitset);
}

static long futex_do_cmp_requeue(u32 __user *uaddr, u32 __user *uaddr2, int nr_wake,
				 int nr_requeue, u32 val3)
{
	u32 uval;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if (get_user(uval, uaddr))
		return -EFAULT;
	if (uval != val3)
		return -EAGAIN;
	return futex_requeue(current_task()->mm, (unsigned long)uaddr, (unsigned long)uaddr2,
			     nr_wake, nr_requeue);
}

static bool futex_args_ok(int cmd, int op, unsigned long uaddr)
{
	if (uaddr & 3)
		return false;
	return !(op & FUTEX_CLOCK_REALTIME) || cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
}

SYSCALL_DEFINE6(futex, __NR_futex, u32 __user *, uaddr, int, op, u32, val,
		const struct timespec __user *, timeout, u32 __user *, uaddr2, u32, val3)
{
	struct mm_struct *mm = current_task()->mm;
	int cmd = op & FUTEX_CMD_MASK;
	int nr_requeue = (int)(unsigned long)timeout;	/* val2 shares timeout's slot */

	if (!mm)
		return -EFAULT;
	if (!futex_args_ok(cmd, op, (unsigned long)uaddr))
		return (op & FUTEX_CLOCK_REALTIME) ? -ENOSYS : -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_do_wait(uaddr, op, val, timeout, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_do_wait(uaddr, op, val, timeout, val3);
	case FUTEX_WAKE:
		return futex_wake(mm, (unsigned long)uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return val3 ? futex_wake(mm, (unsigned long)uaddr, (int)val, val3) : -EINVAL;
	case FUTEX_REQUEUE:
		if ((int)val < 0 || nr_requeue < 0)
			return -EINVAL;
		return futex_requeue(mm, (unsigned long)uaddr, (unsigned long)uaddr2, val,
				     nr_requeue);
	case FUTEX_CMP_REQUEUE:
		return futex_do_cmp_requeue(uaddr, uaddr2, val, nr_requeue, val3);
	default:
		return -ENOSYS;
	}
}
