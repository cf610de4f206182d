// SPDX-License-Identifier: GPL-2.0
/*
 * fault_latency [pages]: the cost of the two pcache fill paths, seen from
 * the program.
 *
 *   zero_fill  first touch of a fresh anonymous page (MISS answered "zero")
 *   miss       re-read of a page whose line was dropped while it held data
 *              (mprotect writes dirty lines back and drops them; the next
 *              read is a MISS answered with the page)
 *   hit        a touch of a page already in the pcache (no fault)
 *
 * Each touch is timed with rdtsc, converted to ns with a TSC rate measured
 * against CLOCK_MONOTONIC. Prints "bench: NAME METRIC VALUE UNIT" rows
 * (median and p99) that scripts/bench collects. Asserts nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bench.h"

#define PAGE 4096UL

/* TSC ticks per ns, over about 20 ms. */
static double tsc_per_ns(void)
{
	uint64_t t0 = bench_now_ns(), c0 = bench_rdtsc(), t1;

	while ((t1 = bench_now_ns()) - t0 < 20000000ULL)
		;
	return (double)(bench_rdtsc() - c0) / (double)(t1 - t0);
}

static void report(const char *name, uint64_t *ticks, size_t n, double rate)
{
	qsort(ticks, n, sizeof(*ticks), bench_cmp_u64);
	printf("bench: fault_%s ns_per_touch.median %.0f ns\n", name, ticks[n / 2] / rate);
	printf("bench: fault_%s ns_per_touch.p99 %.0f ns\n", name, ticks[n * 99 / 100] / rate);
}

int main(int argc, char **argv)
{
	size_t pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 2048;
	uint64_t *ticks = calloc(pages, sizeof(*ticks));
	double rate = tsc_per_ns();
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (!ticks || p == MAP_FAILED) {
		fprintf(stderr, "fault_latency: no memory for %zu pages\n", pages);
		return 1;
	}
	printf("bench: fault_pages touched %zu pages\n", pages);
	bench_touch_pages(p, pages, ticks, 1);
	report("zero_fill", ticks, pages, rate);
	bench_touch_pages(p, pages, ticks, 0);
	report("hit", ticks, pages, rate);
	if (mprotect(p, pages * PAGE, PROT_READ)) {
		perror("mprotect");
		return 1;
	}
	bench_touch_pages(p, pages, ticks, 0);
	report("miss", ticks, pages, rate);
	return 0;
}
