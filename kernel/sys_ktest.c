// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `sys`: the simple system calls of sys_info.c, sys_time.c and
 * sys_random.c, called through syscall_invoke() with user pointers from
 * ktest_user_run() (kernel/ktest_user.c). Each test checks the good path,
 * bad pointers (-EFAULT) and bad arguments (the Linux errno).
 */
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/random.h>
#include <mosaic/rtc.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <uapi/mman.h>
#include <uapi/prctl.h>
#include <uapi/random.h>
#include <uapi/resource.h>
#include <uapi/time.h>
#include <uapi/utsname.h>

#define KERNEL_PTR 0xffffffff80000000UL		/* never a user pointer */
#define UNMAPPED(u) ((unsigned long)ktest_uptr(u, (u)->nr_pages * PAGE_SIZE))

static long sc(unsigned int nr, unsigned long a0, unsigned long a1, unsigned long a2,
	       unsigned long a3)
{
	const unsigned long args[6] = { a0, a1, a2, a3, 0, 0 };

	return syscall_invoke(nr, args);
}

static unsigned long up(struct ktest_user *u, unsigned long off)
{
	return (unsigned long)ktest_uptr(u, off);
}

/* Run body in a user context with 2 pages and expect it to finish. */
#define SYS_KTEST(name)                                                        \
	static int sys_body_##name(struct ktest_user *u, void *arg);           \
	KTEST(sys, name) { KEXPECT_EQ(ktest_user_run(sys_body_##name, NULL, 2), 0); } \
	static int sys_body_##name(struct ktest_user *u, void *arg)

/* ---- sys_info.c ---- */

SYS_KTEST(uname_fills_and_faults)
{
	struct new_utsname *k = ktest_ukaddr(u, 0);

	KEXPECT_EQ(sc(__NR_uname, up(u, 0), 0, 0, 0), 0);
	KEXPECT(!strcmp(k->sysname, "Linux") && !strcmp(k->machine, "x86_64"));
	KEXPECT(!memcmp(k->version, "#1 SMP Mosaic", 13));
	KEXPECT_EQ(sc(__NR_uname, KERNEL_PTR, 0, 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_uname, UNMAPPED(u), 0, 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_uname, up(u, 2 * PAGE_SIZE - 100), 0, 0, 0), -EFAULT);
	return 0;
}

SYS_KTEST(ids_and_umask)
{
	struct task *self = current_task();

	KEXPECT_EQ(sc(__NR_getpid, 0, 0, 0, 0), self->tgid);
	KEXPECT_EQ(sc(__NR_gettid, 0, 0, 0, 0), self->pid);
	KEXPECT_EQ(sc(__NR_getppid, 0, 0, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_getuid, 0, 0, 0, 0) | sc(__NR_geteuid, 0, 0, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_getgid, 0, 0, 0, 0) | sc(__NR_getegid, 0, 0, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_umask, 0777077, 0, 0, 0), 022);
	KEXPECT_EQ(sc(__NR_umask, 022, 0, 0, 0), 077);	/* only the permission bits stay */
	return 0;
}

SYS_KTEST(process_groups_and_sessions)
{
	int tgid = current_task()->tgid;

	KEXPECT_EQ(sc(__NR_getpgrp, 0, 0, 0, 0), tgid);
	KEXPECT_EQ(sc(__NR_getpgid, 0, 0, 0, 0), tgid);
	KEXPECT_EQ(sc(__NR_getpgid, 99999, 0, 0, 0), -ESRCH);
	KEXPECT_EQ(sc(__NR_getpgid, -1UL, 0, 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_setpgid, 0, tgid + 1000, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_getpgrp, 0, 0, 0, 0), tgid + 1000);
	KEXPECT_EQ(sc(__NR_setpgid, 99999, 0, 0, 0), -ESRCH);
	KEXPECT_EQ(sc(__NR_setsid, 0, 0, 0, 0), tgid);
	KEXPECT_EQ(sc(__NR_getsid, 0, 0, 0, 0), tgid);
	KEXPECT_EQ(sc(__NR_getpgrp, 0, 0, 0, 0), tgid);
	KEXPECT_EQ(sc(__NR_setsid, 0, 0, 0, 0), -EPERM);
	KEXPECT_EQ(sc(__NR_setpgid, 0, 0, 0, 0), -EPERM);
	return 0;
}

SYS_KTEST(rlimits)
{
	struct rlimit64 *k = ktest_ukaddr(u, 0), *k2 = ktest_ukaddr(u, 64);

	KEXPECT_EQ(sc(__NR_getrlimit, RLIMIT_STACK, up(u, 0), 0, 0), 0);
	KEXPECT(k->rlim_cur == 8UL << 20 && k->rlim_max == RLIM_INFINITY);
	KEXPECT_EQ(sc(__NR_getrlimit, RLIMIT_AS, up(u, 0), 0, 0), 0);
	KEXPECT_EQ(k->rlim_cur, RLIM_INFINITY);
	KEXPECT_EQ(sc(__NR_getrlimit, RLIM_NLIMITS, up(u, 0), 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_getrlimit, RLIMIT_NOFILE, UNMAPPED(u), 0, 0), -EFAULT);
	*k = (struct rlimit64){ 2048, 1024 };			/* soft above hard */
	KEXPECT_EQ(sc(__NR_setrlimit, RLIMIT_NOFILE, up(u, 0), 0, 0), -EINVAL);
	*k = (struct rlimit64){ 1024, 8192 };			/* raise the hard limit */
	KEXPECT_EQ(sc(__NR_setrlimit, RLIMIT_NOFILE, up(u, 0), 0, 0), -EPERM);
	*k = (struct rlimit64){ 512, 2048 };
	KEXPECT_EQ(sc(__NR_prlimit64, 0, RLIMIT_NOFILE, up(u, 0), up(u, 64)), 0);
	KEXPECT(k2->rlim_cur == 1024 && k2->rlim_max == 4096);	/* the old values */
	KEXPECT_EQ(sc(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, up(u, 64)), 0);
	KEXPECT(k2->rlim_cur == 512 && k2->rlim_max == 2048);
	KEXPECT_EQ(sc(__NR_prlimit64, 99999, RLIMIT_NOFILE, 0, up(u, 64)), -ESRCH);
	KEXPECT_EQ(sc(__NR_prlimit64, 0, RLIMIT_NOFILE, KERNEL_PTR, 0), -EFAULT);
	KEXPECT_EQ(current_task()->rlim[RLIMIT_NOFILE].rlim_cur, 512);	/* unchanged */
	return 0;
}

SYS_KTEST(sched_getaffinity_and_yield)
{
	u64 *mask = ktest_ukaddr(u, 0);

	KEXPECT_EQ(sc(__NR_sched_getaffinity, 0, 64, up(u, 0), 0), 8);
	KEXPECT_EQ(*mask, cpu_online_mask());
	KEXPECT_EQ(sc(__NR_sched_getaffinity, 0, 4, up(u, 0), 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_sched_getaffinity, 0, 12, up(u, 0), 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_sched_getaffinity, 0, 8, KERNEL_PTR, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_sched_getaffinity, 99999, 8, up(u, 0), 0), -ESRCH);
	KEXPECT_EQ(sc(__NR_sched_yield, 0, 0, 0, 0), 0);
	return 0;
}

SYS_KTEST(prctl_names)
{
	char *k = ktest_ukaddr(u, 0), *out = ktest_ukaddr(u, 64);

	strlcpy(k, "a-rather-long-thread-name", 64);
	KEXPECT_EQ(sc(__NR_prctl, PR_SET_NAME, up(u, 0), 0, 0), 0);
	KEXPECT(!strcmp(current_task()->name, "a-rather-long-t"));	/* 15 + NUL */
	KEXPECT_EQ(sc(__NR_prctl, PR_GET_NAME, up(u, 64), 0, 0), 0);
	KEXPECT(!strcmp(out, "a-rather-long-t"));
	KEXPECT_EQ(sc(__NR_prctl, PR_SET_NAME, KERNEL_PTR, 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_prctl, PR_GET_NAME, UNMAPPED(u), 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_prctl, 12345, 0, 0, 0), -EINVAL);
	return 0;
}

SYS_KTEST(thread_registrations)
{
	struct task *self = current_task();
	unsigned long *head = ktest_ukaddr(u, 0), *len = ktest_ukaddr(u, 8);

	KEXPECT_EQ(sc(__NR_set_robust_list, up(u, 512), 23, 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_set_robust_list, up(u, 512), 24, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_get_robust_list, 0, up(u, 0), up(u, 8), 0), 0);
	KEXPECT(*head == up(u, 512) && *len == 24);
	KEXPECT_EQ(sc(__NR_get_robust_list, 0, KERNEL_PTR, up(u, 8), 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_get_robust_list, 99999, up(u, 0), up(u, 8), 0), -ESRCH);
	KEXPECT_EQ(sc(__NR_set_tid_address, up(u, 256), 0, 0, 0), self->pid);
	KEXPECT_EQ(self->clear_child_tid, up(u, 256));
	KEXPECT_EQ(sc(__NR_rseq, up(u, 1024), 32, 0, 0), -ENOSYS);
	KEXPECT(syscall_name(__NR_rseq) != NULL);	/* registered: no unknown-call log */
	return 0;
}

SYS_KTEST(madvise_checks)
{
	/* MADV_DONTNEED drops pages of a process: usr/tests/madvise_dontneed */
	KEXPECT_EQ(sc(__NR_madvise, up(u, 0), 1, MADV_WILLNEED, 0), 0);
	KEXPECT_EQ(sc(__NR_madvise, up(u, 0), 0, MADV_NORMAL, 0), 0);
	KEXPECT_EQ(sc(__NR_madvise, up(u, 1), PAGE_SIZE, MADV_DONTNEED, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_madvise, up(u, 0), PAGE_SIZE, 5, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_madvise, up(u, 0), PAGE_SIZE, 999, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_madvise, up(u, 0), -1UL, MADV_DONTNEED, 0), -EINVAL);
	return 0;
}

/* ---- sys_time.c ---- */

static s64 ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * (s64)NSEC_PER_SEC + ts->tv_nsec;
}

SYS_KTEST(clock_gettime_clocks)
{
	struct timespec *a = ktest_ukaddr(u, 0), *b = ktest_ukaddr(u, 16);

	KEXPECT_EQ(sc(__NR_clock_gettime, CLOCK_MONOTONIC, up(u, 0), 0, 0), 0);
	udelay(2000);
	KEXPECT_EQ(sc(__NR_clock_gettime, CLOCK_MONOTONIC, up(u, 16), 0, 0), 0);
	KEXPECT(ts_ns(b) - ts_ns(a) >= 2000000);
	KEXPECT(a->tv_nsec >= 0 && a->tv_nsec < (s64)NSEC_PER_SEC);
	KEXPECT_EQ(sc(__NR_clock_gettime, CLOCK_REALTIME, up(u, 0), 0, 0), 0);
	KEXPECT(a->tv_sec > 1577836800);		/* after 2020: the RTC was read */
	for (int c = 0; c <= CLOCK_BOOTTIME; c++)
		KEXPECT_EQ(sc(__NR_clock_gettime, c, up(u, 0), 0, 0), 0);
	KEXPECT_EQ(sc(__NR_clock_gettime, 99, up(u, 0), 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_clock_gettime, -1UL, up(u, 0), 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_clock_gettime, CLOCK_MONOTONIC, KERNEL_PTR, 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_clock_gettime, CLOCK_MONOTONIC, UNMAPPED(u), 0, 0), -EFAULT);
	return 0;
}

SYS_KTEST(clock_getres_and_wall_clock)
{
	struct timespec *res = ktest_ukaddr(u, 0), *rt = ktest_ukaddr(u, 64);
	struct timeval *tv = ktest_ukaddr(u, 32);
	s64 *t = ktest_ukaddr(u, 128);

	KEXPECT_EQ(sc(__NR_clock_getres, CLOCK_MONOTONIC, up(u, 0), 0, 0), 0);
	KEXPECT(res->tv_sec == 0 && res->tv_nsec == 1);
	KEXPECT_EQ(sc(__NR_clock_getres, CLOCK_REALTIME_COARSE, up(u, 0), 0, 0), 0);
	KEXPECT_EQ(res->tv_nsec, TICK_NSEC);
	KEXPECT_EQ(sc(__NR_clock_getres, CLOCK_MONOTONIC, 0, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_clock_getres, 42, up(u, 0), 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_clock_getres, CLOCK_MONOTONIC, KERNEL_PTR, 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_clock_gettime, CLOCK_REALTIME, up(u, 64), 0, 0), 0);
	KEXPECT_EQ(sc(__NR_gettimeofday, up(u, 32), up(u, 48), 0, 0), 0);
	KEXPECT(tv->tv_sec - rt->tv_sec <= 2 && tv->tv_usec < 1000000);
	KEXPECT_EQ(sc(__NR_gettimeofday, 0, 0, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_gettimeofday, KERNEL_PTR, 0, 0, 0), -EFAULT);
	KEXPECT(sc(__NR_time, up(u, 128), 0, 0, 0) - rt->tv_sec <= 2);
	KEXPECT(*t - rt->tv_sec <= 2 && *t >= rt->tv_sec);
	KEXPECT_EQ(sc(__NR_time, 0, 0, 0, 0) >= rt->tv_sec, 1);
	KEXPECT_EQ(sc(__NR_time, UNMAPPED(u), 0, 0, 0), -EFAULT);
	return 0;
}

KTEST(sys, rtc_date_conversion)
{
	struct rtc_date d = { 1970, 1, 1, 0, 0, 0 };

	KEXPECT_EQ(rtc_date_to_unix(&d), 0);
	d = (struct rtc_date){ 2000, 3, 1, 0, 0, 0 };
	KEXPECT_EQ(rtc_date_to_unix(&d), 951868800);
	d = (struct rtc_date){ 2024, 2, 29, 12, 34, 56 };
	KEXPECT_EQ(rtc_date_to_unix(&d), 1709210096);
	d = (struct rtc_date){ 2100, 12, 31, 23, 59, 59 };
	KEXPECT_EQ(rtc_date_to_unix(&d), 4133980799ULL);
	KEXPECT_EQ(cmos_rtc_read(&d), 0);
	KEXPECT(d.year >= 2020);
}

/* Slack for a sleep's end: a tick plus scheduling delays under TCG. */
#define SLEEP_SLACK_NS (500 * NSEC_PER_MSEC)

static u64 timed_sleep(unsigned int nr, unsigned long a0, unsigned long a1, unsigned long a2,
		       long *ret)
{
	u64 start = ktime_ns();

	*ret = sc(nr, a0, a1, a2, 0);
	return ktime_ns() - start;
}

SYS_KTEST(nanosleep_duration_and_errors)
{
	struct timespec *req = ktest_ukaddr(u, 0);
	long ret;
	u64 took;

	*req = (struct timespec){ 0, 20 * NSEC_PER_MSEC };
	took = timed_sleep(__NR_nanosleep, up(u, 0), 0, 0, &ret);
	KEXPECT_EQ(ret, 0);
	KEXPECT(took >= 20 * NSEC_PER_MSEC && took < 20 * NSEC_PER_MSEC + SLEEP_SLACK_NS);
	*req = (struct timespec){ 0, NSEC_PER_SEC };
	KEXPECT_EQ(sc(__NR_nanosleep, up(u, 0), 0, 0, 0), -EINVAL);
	*req = (struct timespec){ -1, 0 };
	KEXPECT_EQ(sc(__NR_nanosleep, up(u, 0), 0, 0, 0), -EINVAL);
	*req = (struct timespec){ 0, -1 };
	KEXPECT_EQ(sc(__NR_nanosleep, up(u, 0), 0, 0, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_nanosleep, KERNEL_PTR, 0, 0, 0), -EFAULT);
	*req = (struct timespec){ 0, 0 };
	KEXPECT_EQ(sc(__NR_nanosleep, up(u, 0), 0, 0, 0), 0);
	return 0;
}

SYS_KTEST(clock_nanosleep_absolute_and_relative)
{
	struct timespec *req = ktest_ukaddr(u, 0);
	u64 deadline = ktime_ns() + 15 * NSEC_PER_MSEC;
	long ret;
	u64 took;

	*req = (struct timespec){ deadline / NSEC_PER_SEC, deadline % NSEC_PER_SEC };
	timed_sleep(__NR_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, up(u, 0), &ret);
	KEXPECT_EQ(ret, 0);
	KEXPECT(ktime_ns() >= deadline);
	took = timed_sleep(__NR_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, up(u, 0), &ret);
	KEXPECT(ret == 0 && took < SLEEP_SLACK_NS);		/* the past: no sleep */
	*req = (struct timespec){ 0, 10 * NSEC_PER_MSEC };
	took = timed_sleep(__NR_clock_nanosleep, CLOCK_REALTIME, 0, up(u, 0), &ret);
	KEXPECT(ret == 0 && took >= 10 * NSEC_PER_MSEC);
	KEXPECT_EQ(sc(__NR_clock_nanosleep, 77, 0, up(u, 0), 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, up(u, 0), 0),
		   -EOPNOTSUPP);
	KEXPECT_EQ(sc(__NR_clock_nanosleep, CLOCK_MONOTONIC, 0, UNMAPPED(u), 0), -EFAULT);
	req->tv_nsec = NSEC_PER_SEC + 1;
	KEXPECT_EQ(sc(__NR_clock_nanosleep, CLOCK_MONOTONIC, 0, up(u, 0), 0), -EINVAL);
	return 0;
}

/* ---- sys_random.c ---- */

static bool all_zero(const u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

SYS_KTEST(getrandom_bytes_and_errors)
{
	u8 *a = ktest_ukaddr(u, 0), *b = ktest_ukaddr(u, 64);
	unsigned long last = 2 * PAGE_SIZE;

	KEXPECT_EQ(sc(__NR_getrandom, up(u, 0), 64, 0, 0), 64);
	KEXPECT_EQ(sc(__NR_getrandom, up(u, 64), 64, GRND_NONBLOCK, 0), 64);
	KEXPECT(!all_zero(a, 64) && memcmp(a, b, 64));
	KEXPECT_EQ(sc(__NR_getrandom, up(u, 0), 16, GRND_RANDOM, 0), 16);
	KEXPECT_EQ(sc(__NR_getrandom, up(u, 0), 16, GRND_INSECURE, 0), 16);
	KEXPECT_EQ(sc(__NR_getrandom, up(u, 0), 16, GRND_RANDOM | GRND_INSECURE, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_getrandom, up(u, 0), 16, 0x8, 0), -EINVAL);
	KEXPECT_EQ(sc(__NR_getrandom, up(u, 0), 0, 0, 0), 0);
	KEXPECT_EQ(sc(__NR_getrandom, KERNEL_PTR, 16, 0, 0), -EFAULT);
	KEXPECT_EQ(sc(__NR_getrandom, UNMAPPED(u), 16, 0, 0), -EFAULT);
	/* Crossing into the unmapped page: the bytes before it count. */
	KEXPECT_EQ(sc(__NR_getrandom, up(u, last - 256), 4096, 0, 0), 256);
	return 0;
}

KTEST(sys, get_random_bytes_differ)
{
	u64 a[4], b[4];

	get_random_bytes(a, sizeof(a));
	get_random_bytes(b, sizeof(b));
	KEXPECT(memcmp(a, b, sizeof(a)) != 0);
	KEXPECT_NE(get_random_u64(), get_random_u64());
}
