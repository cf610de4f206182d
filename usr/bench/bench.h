/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h: what the user benchmarks of usr/bench share.
 *
 *   rdtsc(), now_ns()              the two clocks (TSC, CLOCK_MONOTONIC)
 *   tsc_per_ns()                   the TSC rate, measured over 20 ms
 *   bench_row(name, metric, v, u)  one "bench: NAME METRIC VALUE UNIT" line
 *   bench_ticks(name, metric, ...) median and p99 of TSC samples, in ns
 *   bench_touch_pages(p, n, t, w)  one timed touch (write or read) per page
 *   bench_counter("x")             a /proc/pcache counter (-1: none)
 *   bench_counters_reset()         write "reset" to /proc/pcache
 *
 * scripts/bench turns the rows into its table. Benchmarks assert nothing.
 * Header-only: each benchmark is one source file and one binary.
 */
#ifndef MOSAIC_USR_BENCH_H
#define MOSAIC_USR_BENCH_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_PAGE 4096UL

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* TSC ticks per ns, over about 20 ms. */
static double __attribute__((unused)) tsc_per_ns(void)
{
	uint64_t t0 = now_ns(), c0 = rdtsc(), t1;

	while ((t1 = now_ns()) - t0 < 20000000ULL)
		;
	return (double)(rdtsc() - c0) / (double)(t1 - t0);
}

static int __attribute__((unused)) cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void __attribute__((unused))
bench_row(const char *name, const char *metric, double value, const char *unit)
{
	printf("bench: %s %s %.*f %s\n", name, metric, value < 100 ? 3 : 0, value, unit);
}

/* Sort n TSC samples and print their median and p99 in ns (rate: ticks per ns). */
static void __attribute__((unused))
bench_ticks(const char *name, const char *metric, uint64_t *ticks, size_t n, double rate)
{
	char m[64];

	if (!n)
		return;
	qsort(ticks, n, sizeof(*ticks), cmp_u64);
	snprintf(m, sizeof(m), "%s.median", metric);
	bench_row(name, m, ticks[n / 2] / rate, "ns");
	snprintf(m, sizeof(m), "%s.p99", metric);
	bench_row(name, m, ticks[n * 99 / 100] / rate, "ns");
}

/* One timed touch (write or read) per 4 KiB page: ticks[i] for page i. */
static void __attribute__((unused))
bench_touch_pages(volatile char *p, size_t pages, uint64_t *ticks, int write)
{
	for (size_t i = 0; i < pages; i++) {
		uint64_t t = rdtsc();

		if (write)
			p[i * BENCH_PAGE] = (char)i;
		else
			(void)p[i * BENCH_PAGE];
		ticks[i] = rdtsc() - t;
	}
}

/* The value of the /proc/pcache counter want, or -1. Reads with open/read (no malloc). */
static long long __attribute__((unused)) bench_counter(const char *want)
{
	static char text[8192];
	size_t len = strlen(want);
	int fd = open("/proc/pcache", O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, text + total, sizeof(text) - 1 - total)) > 0)
		total += n;
	close(fd);
	text[total] = '\0';
	for (char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : 0)
		if (!strncmp(line, want, len) && line[len] == ' ')
			return strtoll(line + len + 1, NULL, 10);
	return -1;
}

/* Zero the pcache counters (a new benchmark phase). 0, or -1 off Mosaic. */
static int __attribute__((unused)) bench_counters_reset(void)
{
	int fd = open("/proc/pcache", O_WRONLY);
	int ok = fd >= 0 && write(fd, "reset", 5) == 5;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

#endif /* MOSAIC_USR_BENCH_H */
