// SPDX-License-Identifier: GPL-2.0
/*
 * mm_ops: the memory system calls and faults issue 4 names, seen from the
 * program (CLOCK_MONOTONIC):
 *
 *   cow_fault        first write to a page shared with a forked child
 *                    (median and p99 over PAGES pages)
 *   munmap_page      munmap of a touched region, per page
 *   mremap_64m       moving a touched 64 MiB mapping to another address
 *   fork_256m        fork + _exit + wait with 256 MiB touched
 *
 * Prints "bench: NAME METRIC VALUE UNIT" rows for scripts/bench; a failed
 * call prints -1. Asserts nothing.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define P 4096UL
#define PAGES 1024UL
#define MIB (1024UL * 1024)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static char *touched(unsigned long len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (unsigned long off = 0; off < len; off += P)
		p[off] = 1;
	return p;
}

static void bench_cow(void)
{
	static uint64_t ns[PAGES];
	char *p = touched(PAGES * P);
	pid_t child;

	if (!p || (child = fork()) < 0) {
		printf("bench: cow_fault ns_per_fault.median -1 ns\n");
		return;
	}
	if (child == 0) {
		pause();	/* keep the pages shared until the parent is done */
		_exit(0);
	}
	for (unsigned long i = 0; i < PAGES; i++) {
		uint64_t t = now_ns();

		p[i * P] = 2;
		ns[i] = now_ns() - t;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	qsort(ns, PAGES, sizeof(ns[0]), cmp_u64);
	printf("bench: cow_fault ns_per_fault.median %llu ns\n", (unsigned long long)ns[PAGES / 2]);
	printf("bench: cow_fault ns_per_fault.p99 %llu ns\n", (unsigned long long)ns[PAGES * 99 / 100]);
	munmap(p, PAGES * P);
}

static void bench_munmap(void)
{
	char *p = touched(PAGES * P);
	uint64_t t;

	if (!p)
		return;
	t = now_ns();
	munmap(p, PAGES * P);
	printf("bench: munmap_page ns_per_page %llu ns\n",
	       (unsigned long long)((now_ns() - t) / PAGES));
}

static void bench_mremap(void)
{
	unsigned long len = 64 * MIB;
	char *p = touched(len), *hole, *q;
	uint64_t t;

	hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!p || hole == MAP_FAILED)
		return;
	t = now_ns();
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	t = now_ns() - t;
	printf("bench: mremap_64m us %lld us\n", q == MAP_FAILED ? -1LL : (long long)(t / 1000));
	munmap(q == MAP_FAILED ? p : q, len);
}

static void bench_fork_256m(void)
{
	unsigned long len = 256 * MIB;
	char *p = touched(len);
	uint64_t t;
	pid_t child;

	if (!p) {
		printf("bench: fork_exit_wait_256m us -1 us\n");
		return;
	}
	t = now_ns();
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	printf("bench: fork_exit_wait_256m us %llu us\n", (unsigned long long)((now_ns() - t) / 1000));
	munmap(p, len);
}

int main(int argc, char **argv)
{
	bench_cow();
	bench_munmap();
	bench_mremap();
	if (argc < 2 || strcmp(argv[1], "--no-256m"))
		bench_fork_256m();
	return 0;
}
