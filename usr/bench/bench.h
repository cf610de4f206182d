/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h: clocks and sorting the user benchmarks share (header-only, like
 * usr/tests/utest.h: one bench, one source file, one binary).
 *
 *   bench_rdtsc()      the TSC, fenced so earlier loads are done
 *   bench_now_ns()     CLOCK_MONOTONIC in ns
 *   bench_cmp_u64      qsort() comparator for uint64_t samples
 *   bench_touch_pages  one timed touch (write or read) per 4 KiB page
 */
#ifndef MOSAIC_USR_BENCH_H
#define MOSAIC_USR_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t bench_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Touch the first byte of each of pages 4 KiB pages; ticks[i]: TSC ticks of touch i. */
static inline void bench_touch_pages(volatile char *p, size_t pages, uint64_t *ticks, int write)
{
	for (size_t i = 0; i < pages; i++) {
		uint64_t t = bench_rdtsc();

		if (write)
			p[i * 4096] = (char)i;
		else
			(void)p[i * 4096];
		ticks[i] = bench_rdtsc() - t;
	}
}

#endif
