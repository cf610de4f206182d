// SPDX-License-Identifier: GPL-2.0
/*
 * threads_evict: 4 threads, each writing and then verifying its own 16 MiB,
 * twice, at the same time on every CPU. With a pcache smaller than 64 MiB
 * (make test runs every program in 8 MiB too) their faults, evictions and
 * write-backs overlap: no write may be lost. "threads_evict MIB" gives each
 * thread MIB MiB instead (make test's -smp 4 boot: mosaic.args=4).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define THREADS 4
#define REGION (16UL << 20)
#define P UTEST_PAGE_SIZE

static unsigned long bad[THREADS];
static unsigned long region = REGION;

static unsigned char pattern(long t, unsigned long page, int round)
{
	return (unsigned char)(t * 67 + page * 13 + round * 5 + 1);
}

static void *worker(void *arg)
{
	long t = (long)arg;
	unsigned char *p = mmap(NULL, region, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		bad[t] = ~0UL;
		return NULL;
	}
	for (int round = 0; round < 2; round++) {
		for (unsigned long i = 0; i < region / P; i++) {
			p[i * P] = pattern(t, i, round);
			p[i * P + P - 1] = pattern(t, i, round) ^ 0xff;
		}
		for (unsigned long i = 0; i < region / P; i++)
			bad[t] += p[i * P] != pattern(t, i, round) ||
				  p[i * P + P - 1] != (pattern(t, i, round) ^ 0xff);
	}
	munmap(p, region);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	char *end;

	utest_start("threads_evict");
	if (argc > 1) {
		unsigned long mib = strtoul(argv[1], &end, 10);

		if (*end || mib < 1 || mib > REGION >> 20)
			utest_die("'%s': want MiB per thread, 1 to %lu", argv[1], REGION >> 20);
		region = mib << 20;
	}
	for (long t = 0; t < THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, worker, (void *)t) == 0, "pthread_create");
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < THREADS; t++)
		CHECK(bad[t] == 0, "thread %d: %lu pages lost their data", t, bad[t]);
	return utest_finish();
}
