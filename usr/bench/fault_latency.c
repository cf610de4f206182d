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
#include <time.h>

#define PAGE 4096UL

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* TSC ticks per ns, over about 20 ms. */
static double tsc_per_ns(void)
{
	uint64_t t0 = now_ns(), c0 = rdtsc(), t1;

	while ((t1 = now_ns()) - t0 < 20000000ULL)
		;
	return (double)(rdtsc() - c0) / (double)(t1 - t0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, uint64_t *ticks, size_t n, double rate)
{
	qsort(ticks, n, sizeof(*ticks), cmp_u64);
	printf("bench: fault_%s ns_per_touch.median %.0f ns\n", name, ticks[n / 2] / rate);
	printf("bench: fault_%s ns_per_touch.p99 %.0f ns\n", name, ticks[n * 99 / 100] / rate);
}

/* Time one touch per page; write or read. */
static void touch_all(volatile char *p, size_t pages, uint64_t *ticks, int write)
{
	for (size_t i = 0; i < pages; i++) {
		uint64_t t = rdtsc();

		if (write)
			p[i * PAGE] = (char)i;
		else
			(void)p[i * PAGE];
		ticks[i] = rdtsc() - t;
	}
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
	touch_all(p, pages, ticks, 1);
	report("zero_fill", ticks, pages, rate);
	touch_all(p, pages, ticks, 0);
	report("hit", ticks, pages, rate);
	if (mprotect(p, pages * PAGE, PROT_READ)) {
		perror("mprotect");
		return 1;
	}
	touch_all(p, pages, ticks, 0);
	report("miss", ticks, pages, rate);
	return 0;
}
