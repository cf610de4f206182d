// SPDX-License-Identifier: GPL-2.0
/*
 * group_exit: a non-leader thread calls _exit(3) (exit_group) while the
 * leader sleeps in pthread_join, one thread spins in user mode and one
 * sleeps in FUTEX_WAIT with no timeout. Every thread must end and the
 * process must exit with status 3 (usr/tests/outcomes); a thread left
 * behind hangs the run instead.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utest.h"

static uint32_t never_changes;
static volatile int spinning;

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		spinning = 1;
	return NULL;
}

static void *futex_sleeper(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_futex, &never_changes, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
	return NULL;
}

static void *ender(void *arg)
{
	(void)arg;
	while (!spinning)
		usleep(1000);
	usleep(20000);	/* let the sleeper reach its futex */
	printf("group_exit: _exit(3) from a thread\n");
	_exit(3);
}

int main(void)
{
	pthread_t spin, sleep, end;

	utest_start("group_exit");
	pthread_create(&spin, NULL, spinner, NULL);
	pthread_create(&sleep, NULL, futex_sleeper, NULL);
	pthread_create(&end, NULL, ender, NULL);
	pthread_join(sleep, NULL);	/* never returns: the group exit ends it */
	printf("group_exit: FAIL pthread_join returned\n");
	return 1;
}
