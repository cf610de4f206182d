// SPDX-License-Identifier: GPL-2.0
/*
 * Timed sleep: schedule_timeout() and msleep(), driven by the tick.
 *
 * A task in a timed sleep sits on its run queue's sleepers list with a
 * deadline; sched_tick() wakes those whose deadline has passed, so sleeps
 * last at least the time asked and end within a tick after it. Another
 * wake-up may end the sleep earlier; the sleeper then takes itself off the
 * list. Everything here runs under the sleeper's run-queue lock (core.c).
 */
#include <mosaic/time.h>

#include "internal.h"

/* Context: rq->lock held. */
void wake_expired_sleepers(struct run_queue *rq, u64 now)
{
	struct task *t, *tmp;

	assert_rq_locked(rq);
	list_for_each_entry_safe(t, tmp, &rq->sleepers, sleep_link) {
		if (t->wake_at_ns > now)
			continue;
		list_del_init(&t->sleep_link);
		wake_task_locked(rq, t);
	}
}

static void sleep_timer_arm(struct task *t, u64 deadline)
{
	struct run_queue *rq = task_rq(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->wake_at_ns = deadline;
	if (list_empty(&t->sleep_link))
		list_add_tail(&t->sleep_link, &rq->sleepers);
	spin_unlock_irqrestore(&rq->lock, flags);
}

static void sleep_timer_cancel(struct task *t)
{
	struct run_queue *rq = task_rq(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	list_del_init(&t->sleep_link);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Before the scheduler runs on this CPU a timed sleep is a busy wait. */
static u64 busy_wait_timeout(u64 timeout_ns)
{
	udelay(timeout_ns / NSEC_PER_USEC);
	return 0;
}

u64 schedule_timeout(u64 timeout_ns)
{
	struct task *self = current_task();
	u64 now, deadline;

	if (!sched_running())
		return busy_wait_timeout(timeout_ns);
	if (timeout_ns == SCHED_TIMEOUT_MAX) {
		schedule();
		return SCHED_TIMEOUT_MAX;
	}
	now = ktime_ns();
	deadline = timeout_ns > U64_MAX - now ? U64_MAX : now + timeout_ns;
	sleep_timer_arm(self, deadline);
	schedule();
	sleep_timer_cancel(self);
	now = ktime_ns();
	return now < deadline ? deadline - now : 0;
}

void msleep(unsigned int ms)
{
	u64 left = (u64)ms * NSEC_PER_MSEC;

	if (!sched_running()) {
		mdelay(ms);
		return;
	}
	while (left) {
		set_current_state(TASK_SLEEPING);
		left = schedule_timeout(left);
	}
}
