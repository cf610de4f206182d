// SPDX-License-Identifier: GPL-2.0
/*
 * evict_rate [pages]: the pcache's miss paths when the working set is larger
 * than the cache (run it with pcache= below pages * 4 KiB), seen from the
 * program. Three passes over the same pages, each touch timed with rdtsc:
 *
 *   evict_write  first write of each page: a zero-fill miss, and once the
 *                cache is full the eviction of a dirty line (its write-back);
 *                also reported as pages per second (eviction throughput)
 *   miss_dirty   read of each page: a miss answered with data, plus the
 *                write-back of the dirty line it evicts
 *   miss_clean   read again: a miss answered with data; the lines evicted
 *                now are clean (no write-back)
 *
 * Prints "bench: NAME METRIC VALUE UNIT" rows (median and p99) for
 * scripts/bench and scripts/bench-cluster. Asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bench.h"

#define PAGE BENCH_PAGE

/* Time one touch per page (a write, or a read); returns the pass's wall time in ns. */
static uint64_t touch_all(volatile char *p, size_t pages, uint64_t *ticks, int write)
{
	uint64_t start = now_ns();

	bench_touch_pages(p, pages, ticks, write);
	return now_ns() - start;
}

/* ticks per ns, from a pass's total ticks against its wall time */
static void report(const char *name, uint64_t *ticks, size_t n, uint64_t wall_ns)
{
	uint64_t total = 0;
	double rate;

	for (size_t i = 0; i < n; i++)
		total += ticks[i];
	rate = (double)total / (double)wall_ns;	/* the loop overhead is noise here */
	qsort(ticks, n, sizeof(*ticks), cmp_u64);
	printf("bench: %s ns_per_page.median %.0f ns\n", name, ticks[n / 2] / rate);
	printf("bench: %s ns_per_page.p99 %.0f ns\n", name, ticks[n * 99 / 100] / rate);
	printf("bench: %s pages_per_s %.0f pages/s\n", name, n * 1e9 / (double)wall_ns);
}

int main(int argc, char **argv)
{
	size_t pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	uint64_t *ticks = calloc(pages ? pages : 1, sizeof(*ticks));
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (!pages || !ticks || p == MAP_FAILED) {
		fprintf(stderr, "evict_rate: no memory for %zu pages\n", pages);
		return 1;
	}
	printf("bench: evict_pages touched %zu pages\n", pages);
	report("evict_write", ticks, pages, touch_all(p, pages, ticks, 1));
	report("miss_dirty", ticks, pages, touch_all(p, pages, ticks, 0));
	report("miss_clean", ticks, pages, touch_all(p, pages, ticks, 0));
	return 0;
}
