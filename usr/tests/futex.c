// SPDX-License-Identifier: GPL-2.0
/*
 * futex: the raw system call. WAIT's -EAGAIN and relative timeout, an
 * absolute WAIT_BITSET deadline (monotonic and FUTEX_CLOCK_REALTIME),
 * WAKE and WAKE_BITSET with a thread asleep, REQUEUE and CMP_REQUEUE moving
 * sleepers to a second word, and -EFAULT, -EINVAL, -ENOSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

/* The ABI numbers (musl ships no <linux/futex.h>). */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_WAIT_PRIVATE	(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

static uint32_t word, word2;
static volatile int sleepers_woken;

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts,
		  uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static long futex_errno(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts,
			uint32_t *uaddr2, uint32_t val3)
{
	return futex(uaddr, op, val, ts, uaddr2, val3) == -1 ? errno : 0;
}

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ULL, .tv_nsec = ns % 1000000000ULL };

	return ts;
}

static void check_errors(void)
{
	struct timespec bad = { .tv_sec = 0, .tv_nsec = 1000000000 };
	uint32_t *misaligned = (uint32_t *)((char *)&word + 1);
	uint32_t *volatile unmapped = (uint32_t *)8;

	word = 1;
	CHECK(futex_errno(&word, FUTEX_WAIT, 2, NULL, NULL, 0) == EAGAIN, "value differs");
	CHECK(futex_errno(unmapped, FUTEX_WAIT, 0, NULL, NULL, 0) == EFAULT, "unmapped word");
	CHECK(futex_errno(misaligned, FUTEX_WAIT, 0, NULL, NULL, 0) == EINVAL, "misaligned");
	CHECK(futex_errno(&word, FUTEX_WAIT, 1, &bad, NULL, 0) == EINVAL, "tv_nsec 1e9");
	CHECK(futex_errno(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0) == EINVAL, "bitset 0");
	CHECK(futex_errno(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) == ENOSYS,
	      "CLOCK_REALTIME with WAKE");
	CHECK(futex_errno(&word, 99, 1, NULL, NULL, 0) == ENOSYS, "unknown op");
	CHECK(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "wake with no sleeper");
	CHECK(futex_errno(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &word2, 7) == EAGAIN,
	      "CMP_REQUEUE value differs");
}

static void check_timeouts(void)
{
	struct timespec rel = ns_to_ts(30000000);	/* 30 ms */
	struct timespec abs;
	uint64_t start = now_ns(CLOCK_MONOTONIC);

	word = 0;
	CHECK(futex_errno(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0) == ETIMEDOUT, "relative");
	CHECK(now_ns(CLOCK_MONOTONIC) - start >= 25000000, "woke before the timeout");
	abs = ns_to_ts(now_ns(CLOCK_MONOTONIC) + 20000000);
	CHECK(futex_errno(&word, FUTEX_WAIT_BITSET, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY) ==
	      ETIMEDOUT, "absolute monotonic");
	CHECK(now_ns(CLOCK_MONOTONIC) >= abs.tv_sec * 1000000000ULL + abs.tv_nsec - 2000000,
	      "woke before the monotonic deadline");
	abs = ns_to_ts(now_ns(CLOCK_REALTIME) + 20000000);
	CHECK(futex_errno(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, NULL,
			  FUTEX_BITSET_MATCH_ANY) == ETIMEDOUT, "absolute realtime");
	abs = ns_to_ts(1);	/* long past */
	CHECK(futex_errno(&word, FUTEX_WAIT_BITSET, 0, &abs, NULL, 1) == ETIMEDOUT, "past deadline");
}

/* Sleeps on word (bitset in arg) until woken; counts the wake-up. */
static void *sleeper(void *arg)
{
	uint32_t bitset = (uint32_t)(uintptr_t)arg;

	while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0)
		futex(&word, FUTEX_WAIT_BITSET, 0, NULL, NULL, bitset);
	__atomic_add_fetch(&sleepers_woken, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Wake calls until n sleepers were queued and got woken; returns the total woken. */
static long wake_when_queued(int op, int n, uint32_t bitset)
{
	long woken = 0;

	for (int tries = 0; woken < n && tries < 2000; tries++) {
		woken += futex(&word, op, n - woken, NULL, NULL, bitset);
		usleep(1000);
	}
	return woken;
}

static void check_wake(void)
{
	pthread_t a, b;

	word = 0;
	sleepers_woken = 0;
	pthread_create(&a, NULL, sleeper, (void *)1);
	pthread_create(&b, NULL, sleeper, (void *)2);
	usleep(20000);
	CHECK(futex(&word, FUTEX_WAKE_BITSET, 2, NULL, NULL, 4) == 0, "bitset 4 woke someone");
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	CHECK(wake_when_queued(FUTEX_WAKE_BITSET, 1, 2) == 1, "bitset 2 wakes one");
	CHECK(wake_when_queued(FUTEX_WAKE, 1, 0) == 1, "plain wake");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(sleepers_woken == 2, "%d woken", sleepers_woken);
}

/* Two sleepers on word: CMP_REQUEUE wakes one and moves one to word2. */
static void check_requeue(void)
{
	pthread_t a, b;
	long moved = 0;

	word = 0;
	sleepers_woken = 0;
	pthread_create(&a, NULL, sleeper, (void *)FUTEX_BITSET_MATCH_ANY);
	pthread_create(&b, NULL, sleeper, (void *)FUTEX_BITSET_MATCH_ANY);
	for (int tries = 0; moved < 2 && tries < 2000; tries++) {
		moved += futex(&word, FUTEX_REQUEUE, 0, (void *)2, &word2, 0);
		usleep(1000);
	}
	CHECK(moved == 2, "requeued %ld", moved);
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	CHECK(futex(&word, FUTEX_WAKE, 2, NULL, NULL, 0) == 0, "word has no sleeper left");
	CHECK(futex(&word2, FUTEX_CMP_REQUEUE, 1, (void *)1, &word, 0) == 2, "wake 1 + move 1");
	CHECK(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 1, "the moved one is on word");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(sleepers_woken == 2, "%d woken", sleepers_woken);
}

int main(void)
{
	utest_start("futex");
	check_errors();
	check_timeouts();
	check_wake();
	check_requeue();
	return utest_finish();
}
