// SPDX-License-Identifier: GPL-2.0
/*
 * threads: pthread create/join, a mutex and a condition variable under
 * contention (4 workers passing a token round-robin, every CPU busy), the
 * thread ids, and exit of one thread while the others keep running.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utest.h"

#define NR_WORKERS 4
#define ROUNDS 300
#define MUTEX_LOOPS 5000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn;		/* which worker may take the next round */
static long counter;		/* bumped under lock only */
static long plain_adds[NR_WORKERS];
static pid_t worker_tid[NR_WORKERS];

/* Each worker waits for its turn ROUNDS times: the cond var sees every kind of wake-up. */
static void *token_worker(void *arg)
{
	int me = (int)(long)arg;

	worker_tid[me] = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		while (turn != me)
			pthread_cond_wait(&turn_changed, &lock);
		counter++;
		turn = (turn + 1) % NR_WORKERS;
		pthread_cond_broadcast(&turn_changed);
		pthread_mutex_unlock(&lock);
	}
	return (void *)(long)(me + 100);
}

/* Pure mutex contention: many short critical sections. */
static void *mutex_worker(void *arg)
{
	int me = (int)(long)arg;

	for (int i = 0; i < MUTEX_LOOPS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		plain_adds[me]++;
	}
	return NULL;
}

static void run_workers(void *(*fn)(void *), const char *what)
{
	pthread_t th[NR_WORKERS];
	void *ret;

	for (long i = 0; i < NR_WORKERS; i++)
		CHECK(pthread_create(&th[i], NULL, fn, (void *)i) == 0, "%s: create %ld", what, i);
	for (int i = 0; i < NR_WORKERS; i++) {
		CHECK(pthread_join(th[i], &ret) == 0, "%s: join %d", what, i);
		if (fn == token_worker)
			CHECK(ret == (void *)(long)(i + 100), "worker %d returned %p", i, ret);
	}
}

static void *early_exit(void *arg)
{
	(void)arg;
	pthread_exit((void *)7L);
}

int main(void)
{
	pthread_t t;
	void *ret;

	utest_start("threads");
	run_workers(token_worker, "token");
	CHECK(counter == (long)NR_WORKERS * ROUNDS, "token rounds %ld", counter);
	for (int i = 0; i < NR_WORKERS; i++) {
		CHECK(worker_tid[i] != getpid(), "worker %d has the leader's tid", i);
		for (int j = 0; j < i; j++)
			CHECK(worker_tid[i] != worker_tid[j], "workers %d and %d share tid", i, j);
	}
	counter = 0;
	run_workers(mutex_worker, "mutex");
	CHECK(counter == (long)NR_WORKERS * MUTEX_LOOPS, "mutex counter %ld", counter);
	CHECK(pthread_create(&t, NULL, early_exit, NULL) == 0, "create early_exit");
	CHECK(pthread_join(t, &ret) == 0 && ret == (void *)7L, "pthread_exit value %p", ret);
	printf("threads: %d workers, %d token rounds each\n", NR_WORKERS, ROUNDS);
	return utest_finish();
}
