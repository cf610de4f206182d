// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues, completions and sleeping mutexes (include/mosaic/wait.h).
 *
 * Lock order: wait_queue_head.lock -> run_queue.lock (wake_up_process()).
 * wait_queue_head.lock is taken with interrupts off, so wake_up() may be
 * called from interrupt handlers. A completion's count is guarded by its
 * wait queue's lock.
 */
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>
#include <mosaic/wait.h>

#define COMPLETION_ALL U32_MAX

void init_wait_queue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->waiters);
}

void init_wait_entry(struct wait_queue_entry *w)
{
	w->task = current_task();
	INIT_LIST_HEAD(&w->link);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	if (list_empty(&w->link))
		list_add_tail(&w->link, &wq->waiters);
	set_current_state(TASK_SLEEPING);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	flags = spin_lock_irqsave(&wq->lock);
	list_del_init(&w->link);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/*
 * Take up to max waiters off the queue, oldest first, and wake them.
 * Context: wq->lock held.
 */
static int wake_waiters_locked(struct wait_queue_head *wq, int max)
{
	struct wait_queue_entry *w, *tmp;
	int woken = 0;

	BUG_ON(!spin_is_held(&wq->lock));
	list_for_each_entry_safe(w, tmp, &wq->waiters, link) {
		if (woken == max)
			break;
		list_del_init(&w->link);
		if (w->task)
			wake_up_process(w->task);
		woken++;
	}
	return woken;
}

/*
 * A waiter that gives up (timeout) after a waker took it off the queue got
 * a wake-up meant for someone who would use it: pass it on.
 */
void abort_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	flags = spin_lock_irqsave(&wq->lock);
	if (list_empty(&w->link))
		wake_waiters_locked(wq, 1);
	else
		list_del_init(&w->link);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static int wake_up_nr(struct wait_queue_head *wq, int max)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	int woken = wake_waiters_locked(wq, max);

	spin_unlock_irqrestore(&wq->lock, flags);
	return woken;
}

int wake_up(struct wait_queue_head *wq)
{
	return wake_up_nr(wq, 1);
}

int wake_up_all(struct wait_queue_head *wq)
{
	return wake_up_nr(wq, INT_MAX);
}

/* ---- completions ---- */

void init_completion(struct completion *c)
{
	c->done = 0;
	init_wait_queue_head(&c->wait);
}

void complete(struct completion *c)
{
	unsigned long flags = spin_lock_irqsave(&c->wait.lock);

	if (c->done != COMPLETION_ALL)
		c->done++;
	wake_waiters_locked(&c->wait, 1);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	unsigned long flags = spin_lock_irqsave(&c->wait.lock);

	c->done = COMPLETION_ALL;
	wake_waiters_locked(&c->wait, INT_MAX);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

/* Take one "done" if there is one. */
static bool completion_consume(struct completion *c)
{
	unsigned long flags = spin_lock_irqsave(&c->wait.lock);
	bool ok = c->done > 0;

	if (ok && c->done != COMPLETION_ALL)
		c->done--;
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ok;
}

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, completion_consume(c));
}

u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns)
{
	return wait_event_timeout(c->wait, completion_consume(c), timeout_ns);
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) > 0;
}

/* ---- sleeping mutexes ---- */

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	init_wait_queue_head(&m->waiters);
}

bool mutex_trylock(struct mutex *m)
{
	struct task *expected = NULL;

	return __atomic_compare_exchange_n(&m->owner, &expected, current_task(), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	struct task *self = current_task();

	if (self && READ_ONCE(m->owner) == self) {
		pr_err("mutex: %s locks a mutex it already holds; not taken\n", self->name);
		WARN_ON(1);
		return;
	}
	wait_event(m->waiters, mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	if (READ_ONCE(m->owner) != current_task()) {
		pr_err("mutex: unlock by a task that does not hold it; ignored\n");
		WARN_ON(1);
		return;
	}
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
	wake_up(&m->waiters);
}

bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}
