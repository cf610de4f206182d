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
 *              The pages are read even ones first, then odd ones: no miss
 *              follows a miss on the page before it, so this is the cost of
 *              one miss (Mosaic's fault-ahead serves scans, below).
 *   miss_scan  the same re-read as one forward scan, after another page-out:
 *              the mean per page (Mosaic fills pages ahead of a scan's
 *              misses, pcache.fault_ahead; Linux's swap readahead is off for
 *              zram, a synchronous device).
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

/* Read every page once, the even ones first: no two misses are neighbours. */
static void touch_evens_then_odds(volatile char *p, size_t pages, uint64_t *ticks)
{
	size_t k = 0;

	for (size_t first = 0; first < 2; first++)
		for (size_t i = first; i < pages; i += 2) {
			uint64_t t = rdtsc();

			(void)p[i * PAGE];
			ticks[k++] = rdtsc() - t;
		}
}

static int page_out(char *p, size_t pages)
{
	if (madvise(p, pages * PAGE, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		return -1;
	}
	return 0;
}

/* A forward scan over paged-out pages: the mean cost per page. */
static void report_scan(char *p, size_t pages, uint64_t *ticks, double rate)
{
	double total = 0;

	bench_touch_pages(p, pages, ticks, 0);
	for (size_t i = 0; i < pages; i++)
		total += (double)ticks[i];
	bench_row("fault_miss_scan", "ns_per_touch", total / (double)pages / rate, "ns");
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
	if (page_out(p, pages))
		return 1;
	touch_evens_then_odds(p, pages, ticks);
	report("miss", ticks, pages, rate);
	if (page_out(p, pages))
		return 1;
	report_scan(p, pages, ticks, rate);
	return 0;
}
