// SPDX-License-Identifier: GPL-2.0
/*
 * fault_latency [pages]: the cost of the two pcache fill paths, seen from
 * the program.
 *
 *   zero_fill  first touch of a fresh anonymous page (MISS answered "zero")
 *   miss       re-read of a page whose line was dropped while it held data:
 *              MADV_PAGEOUT, on Mosaic, writes the dirty lines back and
 *              drops them (the next read is a MISS answered with the page);
 *              on Linux it pages the region out to swap (the next read is a
 *              swap-in). Linux without swap keeps the pages: then this row
 *              measures hits, and the runners always give Linux zram swap.
 *   hit        a touch of a page already in the pcache (no fault)
 *
 * The region is mapped with MADV_NOHUGEPAGE (bench_map()): 4 KiB faults on
 * both kernels.
 * Each touch is timed with rdtsc, converted to ns with a TSC rate measured
 * against CLOCK_MONOTONIC. Prints "bench: NAME METRIC VALUE UNIT" rows
 * (median and p99) that scripts/bench collects. Asserts nothing.
 */
#include <sys/mman.h>

#include "bench.h"

#define PAGE BENCH_PAGE

static void report(const char *name, uint64_t *ticks, size_t n, double rate)
{
	char row[32];

	snprintf(row, sizeof(row), "fault_%s", name);
	bench_ticks(row, "ns_per_touch", ticks, n, rate);
}

int main(int argc, char **argv)
{
	size_t pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 2048;
	uint64_t *ticks = calloc(pages, sizeof(*ticks));
	double rate = tsc_per_ns();
	char *p = bench_map(pages * PAGE);

	if (!ticks || !p) {
		fprintf(stderr, "fault_latency: no memory for %zu pages\n", pages);
		return 1;
	}
	printf("bench: fault_pages touched %zu pages\n", pages);
	bench_touch_pages(p, pages, ticks, 1);
	report("zero_fill", ticks, pages, rate);
	bench_touch_pages(p, pages, ticks, 0);
	report("hit", ticks, pages, rate);
	if (madvise(p, pages * PAGE, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		return 1;
	}
	bench_touch_pages(p, pages, ticks, 0);
	report("miss", ticks, pages, rate);
	return 0;
}
