// SPDX-License-Identifier: GPL-2.0
/*
 * mm_ops: the memory system calls and faults issue 4 names, seen from the
 * program (CLOCK_MONOTONIC):
 *
 *   cow_fault        first write to a page shared with a forked child
 *                    (rdtsc, median and p99 over PAGES pages)
 *   munmap_page      munmap of a touched region, per page
 *   mremap_64m       moving a touched 64 MiB mapping to another address
 *   fork_256m        fork + _exit + wait with 256 MiB touched
 *
 * Regions are mapped with MADV_NOHUGEPAGE (bench_map()), so both kernels
 * fault, copy and unmap 4 KiB pages. Prints "bench: NAME METRIC VALUE UNIT"
 * rows for scripts/bench; a failed call prints -1. Asserts nothing.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>

#include "bench.h"

#define P BENCH_PAGE
#define PAGES 1024UL
#define MIB (1024UL * 1024)

/* A region of len bytes without huge pages, every page written once. */
static char *touched(unsigned long len)
{
	char *p = bench_map(len);

	if (p)
		bench_touch(p, len);
	return p;
}

static void bench_cow(double rate)
{
	static uint64_t ticks[PAGES];
	char *p = touched(PAGES * P);
	pid_t child;

	if (!p || (child = fork()) < 0) {
		bench_row("cow_fault", "ns_per_fault.median", -1, "ns");
		return;
	}
	if (child == 0) {
		pause();	/* keep the pages shared until the parent is done */
		_exit(0);
	}
	for (unsigned long i = 0; i < PAGES; i++) {
		uint64_t t = rdtsc();

		p[i * P] = 2;
		ticks[i] = rdtsc() - t;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	bench_ticks("cow_fault", "ns_per_fault", ticks, PAGES, rate);
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
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_cow(tsc_per_ns());
	bench_munmap();
	bench_mremap();
	if (argc < 2 || strcmp(argv[1], "--no-256m"))
		bench_fork_256m();
	return 0;
}
