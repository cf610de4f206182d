/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sleeping until something happens (kernel/sched/wait.c).
 *
 * Wait queues. A waiter queues itself and marks itself sleeping *before* it
 * checks its condition, so a waker that makes the condition true and then
 * calls wake_up() cannot slip in between and be lost:
 *
 *   wait_event(dev->wq, dev->ready);             // sleeper
 *   dev->ready = true; wake_up_all(&dev->wq);    // waker (any CPU, or IRQ)
 *
 * wake_up() wakes the oldest waiter, wake_up_all() every waiter. A woken
 * waiter is taken off the queue by its waker; it checks its condition again
 * and queues itself again if the condition is still false.
 *
 * Completions: a count of "done" events with a wait queue; complete() lets one
 * waiter through, complete_all() every present and future waiter.
 *
 * Mutexes: sleeping locks with an owner; not for interrupt context, and
 * only once sched_init() has run (they need a task to own them).
 *
 * Timeouts are in nanoseconds with tick resolution.
 */
#ifndef _MOSAIC_WAIT_H
#define _MOSAIC_WAIT_H

#include <mosaic/list.h>
#include <mosaic/spinlock.h>
#include <mosaic/types.h>

struct task;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head waiters;	/* of wait_queue_entry.link, oldest first */
};

struct wait_queue_entry {
	struct task *task;
	struct list_head link;		/* empty when not queued */
};

#define WAIT_QUEUE_HEAD_INIT(name) { SPINLOCK_INIT, LIST_HEAD_INIT((name).waiters) }
#define DEFINE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

void init_wait_queue_head(struct wait_queue_head *wq);
void init_wait_entry(struct wait_queue_entry *w);
/* Queue w (if not queued) and mark the running task sleeping. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Leave the queue and mark the running task running. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* finish_wait() for a waiter giving up: passes on a wake-up it was handed. */
void abort_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Wake the oldest waiter / every waiter. Returns how many were woken. */
int wake_up(struct wait_queue_head *wq);
int wake_up_all(struct wait_queue_head *wq);

void schedule(void);
u64 schedule_timeout(u64 timeout_ns);

/* Sleep until cond is true. */
#define wait_event(wq, cond)                                                   \
	do {                                                                   \
		struct wait_queue_entry __we;                                  \
		if (cond)                                                      \
			break;                                                 \
		init_wait_entry(&__we);                                        \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__we);                         \
			if (cond)                                              \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq), &__we);                                     \
	} while (0)

/*
 * Sleep until cond is true or timeout_ns has passed. Evaluates to the
 * nanoseconds left (at least 1) when cond became true, 0 on timeout.
 */
#define wait_event_timeout(wq, cond, timeout_ns)                               \
	({                                                                     \
		u64 __left = (timeout_ns);                                     \
		struct wait_queue_entry __we;                                  \
		bool __ok;                                                     \
		init_wait_entry(&__we);                                        \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__we);                         \
			__ok = (cond);                                         \
			if (__ok || !__left)                                   \
				break;                                         \
			__left = schedule_timeout(__left);                     \
		}                                                              \
		if (__ok)                                                      \
			finish_wait(&(wq), &__we);                             \
		else                                                           \
			abort_wait(&(wq), &__we);                              \
		__ok ? (__left ? __left : 1) : 0;                              \
	})

/* ---- completions ---- */
struct completion {
	unsigned int done;		/* UINT_MAX after complete_all() */
	struct wait_queue_head wait;	/* its lock also guards done */
};

void init_completion(struct completion *c);
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
/* Returns the nanoseconds left (at least 1) on completion, 0 on timeout. */
u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns);
bool completion_done(struct completion *c);

/* ---- sleeping mutexes ---- */
struct mutex {
	struct task *owner;		/* NULL when free */
	struct wait_queue_head waiters;
};

#define MUTEX_INIT(name) { NULL, WAIT_QUEUE_HEAD_INIT((name).waiters) }
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
/* Only the owner may unlock; anyone else gets a warning and nothing changes. */
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#endif
