// SPDX-License-Identifier: GPL-2.0
/*
 * Time system calls: clock_gettime, clock_getres, gettimeofday, time,
 * nanosleep and clock_nanosleep. There is no vDSO, so libcs call these
 * directly.
 *
 * Clocks: MONOTONIC, MONOTONIC_RAW and BOOTTIME are ktime_ns() (the TSC
 * since boot; nothing suspends, so BOOTTIME equals MONOTONIC). REALTIME and
 * TAI are the CMOS clock's reading at boot plus ktime_ns() (TAI without the
 * leap-second offset). The *_COARSE clocks read the same source, truncated
 * to the tick. PROCESS_ and THREAD_CPUTIME_ID are approximations: there is
 * no per-task run-time accounting yet, so they report time since boot.
 *
 * Sleeping uses the scheduler's timed sleep (tick resolution); a sleep lasts
 * at least the time asked. Nothing interrupts it yet (no signals), so rem
 * is never written.
 *
 * Context: task context; the sleeps may sleep.
 */
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/rtc.h>
#include <mosaic/sched.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/time.h>

/* ---- clocks ---- */

enum clock_kind { CLOCK_KIND_BAD, CLOCK_KIND_MONO, CLOCK_KIND_REAL, CLOCK_KIND_CPU };

struct clock_desc {
	enum clock_kind kind;
	bool coarse;
};

static struct clock_desc clock_lookup(int which)
{
	switch (which) {
	case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME:
		return (struct clock_desc){ CLOCK_KIND_MONO, false };
	case CLOCK_MONOTONIC_COARSE:
		return (struct clock_desc){ CLOCK_KIND_MONO, true };
	case CLOCK_REALTIME: case CLOCK_TAI:
		return (struct clock_desc){ CLOCK_KIND_REAL, false };
	case CLOCK_REALTIME_COARSE:
		return (struct clock_desc){ CLOCK_KIND_REAL, true };
	case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
		return (struct clock_desc){ CLOCK_KIND_CPU, false };
	default:	/* negative ids (per-process CPU clocks) included */
		return (struct clock_desc){ CLOCK_KIND_BAD, false };
	}
}

static u64 clock_read_ns(struct clock_desc c)
{
	u64 ns = ktime_ns();

	if (c.kind == CLOCK_KIND_REAL)
		ns += rtc_boot_realtime_ns();
	if (c.coarse)
		ns -= ns % TICK_NSEC;
	return ns;
}

static struct timespec ns_to_timespec(u64 ns)
{
	return (struct timespec){ .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };
}

/* Nanoseconds of a valid timespec, or -EINVAL (negative or tv_nsec out of range). */
static int timespec_to_ns(const struct timespec *ts, u64 *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts->tv_sec >= U64_MAX / NSEC_PER_SEC)
		*ns = U64_MAX;		/* far future: sleep "forever" */
	else
		*ns = ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	return 0;
}

u64 ktime_get_real_ns(void)
{
	return ktime_ns() + rtc_boot_realtime_ns();
}

SYSCALL_DEFINE2(clock_gettime, __NR_clock_gettime, int, which, struct timespec __user *, tp)
{
	struct clock_desc c = clock_lookup(which);
	struct timespec ts;

	if (c.kind == CLOCK_KIND_BAD)
		return -EINVAL;
	ts = ns_to_timespec(clock_read_ns(c));
	return copy_to_user(tp, &ts, sizeof(ts));
}

SYSCALL_DEFINE2(clock_getres, __NR_clock_getres, int, which, struct timespec __user *, tp)
{
	struct clock_desc c = clock_lookup(which);
	struct timespec ts = { 0, c.coarse ? TICK_NSEC : 1 };

	if (c.kind == CLOCK_KIND_BAD)
		return -EINVAL;
	return tp ? copy_to_user(tp, &ts, sizeof(ts)) : 0;
}

SYSCALL_DEFINE2(gettimeofday, __NR_gettimeofday, struct timeval __user *, tv,
		struct timezone __user *, tz)
{
	u64 ns = ktime_get_real_ns();
	struct timeval val = { .tv_sec = ns / NSEC_PER_SEC,
			       .tv_usec = ns % NSEC_PER_SEC / NSEC_PER_USEC };
	struct timezone zone = { 0, 0 };	/* the RTC keeps UTC */

	if (tv && copy_to_user(tv, &val, sizeof(val)))
		return -EFAULT;
	if (tz && copy_to_user(tz, &zone, sizeof(zone)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(time, __NR_time, s64 __user *, tloc)
{
	s64 now = ktime_get_real_ns() / NSEC_PER_SEC;

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/* ---- sleeping ---- */

/*
 * Sleep until ktime_ns() reaches deadline (wake-ups before it sleep again),
 * or a signal is pending: then the nanoseconds left (at least 1); 0 when
 * the deadline came.
 */
static u64 sleep_until_ns(u64 deadline)
{
	struct task *self = current_task();

	for (;;) {
		u64 now = ktime_ns();

		if (now >= deadline)
			return 0;
		set_current_state(TASK_SLEEPING);
		if (signal_pending(self)) {
			set_current_state(TASK_RUNNING);
			return deadline - now;
		}
		schedule_timeout(deadline - now);
	}
}

static u64 sleep_for_ns(u64 ns)
{
	u64 now = ktime_ns();

	return sleep_until_ns(ns > U64_MAX - now ? U64_MAX : now + ns);
}

/* A relative sleep a signal cut short: -EINTR, the time left in *rem (if given). */
static long interrupted_sleep(u64 left, struct timespec __user *rem)
{
	struct timespec ts = { .tv_sec = left / NSEC_PER_SEC, .tv_nsec = left % NSEC_PER_SEC };

	if (rem && copy_to_user(rem, &ts, sizeof(ts)))
		return -EFAULT;
	return -EINTR;
}

static int copy_sleep_request(const struct timespec __user *req, u64 *ns)
{
	struct timespec ts;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	return timespec_to_ns(&ts, ns);
}

SYSCALL_DEFINE2(nanosleep, __NR_nanosleep, const struct timespec __user *, req,
		struct timespec __user *, rem)
{
	u64 ns, left;
	int err = copy_sleep_request(req, &ns);

	if (err)
		return err;
	left = sleep_for_ns(ns);
	return left ? interrupted_sleep(left, rem) : 0;
}

/* An absolute time on clock c as a ktime_ns() deadline. */
static u64 abs_to_ktime(struct clock_desc c, u64 abs_ns)
{
	u64 base = c.kind == CLOCK_KIND_REAL ? rtc_boot_realtime_ns() : 0;

	return abs_ns > base ? abs_ns - base : 0;
}

SYSCALL_DEFINE4(clock_nanosleep, __NR_clock_nanosleep, int, which, int, flags,
		const struct timespec __user *, req, struct timespec __user *, rem)
{
	struct clock_desc c = clock_lookup(which);
	u64 ns, left;
	int err;

	if (c.kind == CLOCK_KIND_BAD)
		return -EINVAL;
	if (c.kind == CLOCK_KIND_CPU)
		return -EOPNOTSUPP;	/* as Linux for the thread clock; no CPU-time timers */
	err = copy_sleep_request(req, &ns);
	if (err)
		return err;
	if (flags & TIMER_ABSTIME)	/* the same deadline again if no handler runs */
		return sleep_until_ns(abs_to_ktime(c, ns)) ? -ERESTARTNOHAND : 0;
	left = sleep_for_ns(ns);
	return left ? interrupted_sleep(left, rem) : 0;
}
