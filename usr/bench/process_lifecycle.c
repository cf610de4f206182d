// SPDX-License-Identifier: GPL-2.0
/*
 * process_lifecycle: the cost of the process system calls, seen from the
 * program (CLOCK_MONOTONIC, median of many runs):
 *
 *   fork_exit_wait        fork, the child _exits, the parent waits (small)
 *   fork_exit_wait_64m    the same with 64 MiB of touched memory to share
 *   vfork_exec_wait       vfork + execve of this static binary (it exits at once)
 *   futex_wake            FUTEX_WAKE in one thread to the return of the
 *                         sleeper's FUTEX_WAIT in another
 *
 * Prints "bench: NAME METRIC VALUE UNIT" rows for scripts/bench. Asserts
 * nothing; a row whose system call fails says so with the value -1.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench.h"

#define MAX_RUNS 200
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

static void report(const char *name, uint64_t *ns, int n)
{
	if (n <= 0) {
		printf("bench: %s median -1 us\n", name);
		return;
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	printf("bench: %s median %.1f us\n", name, ns[n / 2] / 1000.0);
}

/* One fork + _exit + wait: its time in ns, or 0 when fork failed. */
static uint64_t fork_exit_wait_once(void)
{
	uint64_t start = now_ns();
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 0;
	return now_ns() - start;
}

static void bench_fork(const char *name, int runs)
{
	uint64_t ns[MAX_RUNS];
	int n = 0;

	for (int i = 0; i < runs; i++)
		if ((ns[n] = fork_exit_wait_once()))
			n++;
	report(name, ns, n);
}

static void bench_fork_64m(void)
{
	size_t size = 64UL << 20;
	char *mem = bench_map(size);	/* 4 KiB pages on both kernels */

	if (!mem) {
		report("fork_exit_wait_64m", NULL, 0);
		return;
	}
	bench_touch(mem, size);
	bench_fork("fork_exit_wait_64m", 5);
	munmap(mem, size);
}

/* One vfork + execve(self --exit) + wait: ns, or 0 on failure. */
static uint64_t __attribute__((noinline)) vfork_exec_wait_once(const char *self)
{
	char *argv[] = { (char *)self, "--exit", NULL };
	char *envp[] = { NULL };
	uint64_t start = now_ns();
	pid_t pid = vfork();

	if (pid == 0) {
		execve(self, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 0;
	return now_ns() - start;
}

static void bench_exec(const char *self)
{
	uint64_t ns[MAX_RUNS];
	int n = 0;

	for (int i = 0; i < 20; i++)
		if ((ns[n] = vfork_exec_wait_once(self)))
			n++;
	report("vfork_exec_wait", ns, n);
}

static uint32_t futex_word;
static volatile uint64_t wake_sent_ns;

static void *futex_sleeper(void *arg)
{
	uint64_t *ns = arg;

	for (int i = 0; i < MAX_RUNS; i++) {
		while (__atomic_load_n(&futex_word, __ATOMIC_ACQUIRE) == (uint32_t)(2 * i))
			syscall(SYS_futex, &futex_word, FUTEX_WAIT, 2 * i, NULL, NULL, 0);
		ns[i] = now_ns() - wake_sent_ns;
		__atomic_store_n(&futex_word, 2 * i + 2, __ATOMIC_RELEASE);	/* ready again */
	}
	return NULL;
}

static void bench_futex(void)
{
	uint64_t ns[MAX_RUNS];
	pthread_t t;

	pthread_create(&t, NULL, futex_sleeper, ns);
	for (int i = 0; i < MAX_RUNS; i++) {
		usleep(2000);	/* let the sleeper reach FUTEX_WAIT */
		wake_sent_ns = now_ns();
		__atomic_store_n(&futex_word, 2 * i + 1, __ATOMIC_RELEASE);
		syscall(SYS_futex, &futex_word, FUTEX_WAKE, 1, NULL, NULL, 0);
		while (__atomic_load_n(&futex_word, __ATOMIC_ACQUIRE) != (uint32_t)(2 * i + 2))
			sched_yield();	/* one CPU: let the sleeper run */
	}
	pthread_join(t, NULL);
	report("futex_wake", ns, MAX_RUNS);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_fork("fork_exit_wait", MAX_RUNS);
	bench_fork_64m();
	bench_exec(argv[0]);
	bench_futex();
	return 0;
}
