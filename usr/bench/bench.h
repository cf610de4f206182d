/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h: what the user benchmarks of usr/bench share.
 *
 *   rdtsc(), now_ns()              the two clocks (TSC, CLOCK_MONOTONIC)
 *   tsc_per_ns()                   the TSC rate, measured over 20 ms
 *   bench_row(name, metric, v, u)  one "bench: NAME METRIC VALUE UNIT" line
 *   bench_ticks(name, metric, ...) median and p99 of TSC samples, in ns, and
 *                                  their histogram ("bench-hist:" lines)
 *   bench_touch_pages(p, n, t, w)  one timed touch (write or read) per page
 *   bench_counter("x")             a /proc/pcache counter (-1: none)
 *   bench_counters_reset()         write "reset" to /proc/pcache
 *   bench_map(len)                 an anonymous region without huge pages
 *   bench_touch(p, len)            write one byte per page (first touch)
 *   bench_best_run(runs, fn, ...)  the fastest of runs calls of fn, in ns
 *   bench_app_rows(name, ...)      an application workload's rows
 *   bench_app(name, bytes, ...)    an application workload's whole main()
 *
 * scripts/bench turns the rows into its table. Benchmarks assert nothing.
 * Header-only: each benchmark is one source file and one binary.
 */
#ifndef MOSAIC_USR_BENCH_H
#define MOSAIC_USR_BENCH_H

#include <fcntl.h>
#include <sys/mman.h>
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

/*
 * A latency histogram of n sorted TSC samples: one line per non-empty
 * power-of-two bucket, "bench-hist: NAME LOW_NS COUNT" (samples in
 * [LOW_NS, 2 * LOW_NS)). scripts/bench-report plots them; scripts/bench
 * ignores them (they are not "bench:" rows).
 */
static void __attribute__((unused))
bench_histogram(const char *name, const uint64_t *sorted, size_t n, double rate)
{
	size_t i = 0;

	for (uint64_t low = 1; i < n; low *= 2) {
		size_t count = 0;

		for (; i < n && sorted[i] / rate < 2.0 * low; i++)
			count++;
		if (count)
			printf("bench-hist: %s %llu %zu\n", name, (unsigned long long)low, count);
	}
}

/* Sort n TSC samples; print their median, p99 (ns; rate: ticks per ns) and histogram. */
static void __attribute__((unused))
bench_ticks(const char *name, const char *metric, uint64_t *ticks, size_t n, double rate)
{
	char m[64];

	if (!n)
		return;
	qsort(ticks, n, sizeof(*ticks), cmp_u64);
	bench_histogram(name, ticks, n, rate);
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

/*
 * A private anonymous region of len bytes, or NULL. MADV_NOHUGEPAGE keeps
 * Linux from backing it with 2 MiB pages (one fault per 512 pages would make
 * its per-page rows measure hits); Mosaic accepts the advice and ignores it.
 */
static __attribute__((unused)) void *bench_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

/* Write one byte in every page of [p, p + len): each page's first touch. */
static void __attribute__((unused)) bench_touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += BENCH_PAGE)
		p[off] = 1;
}

/*
 * Call run(data) runs times; returns the fastest call's time in ns (the
 * host's noise only adds) and leaves the last call's result in *result.
 */
static uint64_t __attribute__((unused))
bench_best_run(int runs, int64_t (*run)(const void *data), const void *data, int64_t *result)
{
	uint64_t best = UINT64_MAX;

	for (int r = 0; r < runs; r++) {
		uint64_t t0 = now_ns();

		*result = run(data);
		if (now_ns() - t0 < best)
			best = now_ns() - t0;
	}
	return best;
}

/*
 * The rows every application workload (kmeans, hashjoin, wordcount) prints:
 * its best run in ms, its working set in pages, the pcache's lines and
 * misses per run (-1 off Mosaic: the counters are Mosaic's), and a
 * checksum that must not depend on the kernel or the pcache size.
 * Call bench_counters_reset() before the timed runs.
 */
static void __attribute__((unused))
bench_app_rows(const char *name, uint64_t best_ns, size_t ws_bytes, int runs, int64_t checksum)
{
	long long misses = bench_counter("misses");

	bench_row(name, "ms", best_ns / 1e6, "ms");
	bench_row(name, "ws_pages", (double)(ws_bytes / BENCH_PAGE), "pages");
	bench_row(name, "pcache_lines", (double)bench_counter("lines"), "lines");
	bench_row(name, "misses_per_run", misses < 0 ? -1 : (double)misses / runs, "misses");
	bench_row(name, "checksum", (double)checksum, "sum");
}

/*
 * An application workload from start to end: map its working set of bytes
 * (no huge pages), fill it with make(), reset the pcache counters, time
 * runs calls of run() and print bench_app_rows(). Returns main()'s status.
 */
static int __attribute__((unused))
bench_app(const char *name, size_t bytes, int runs, void (*make)(void *data),
	  int64_t (*run)(const void *data))
{
	void *data = bench_map(bytes);
	int64_t checksum = 0;
	uint64_t best;

	if (!data) {
		fprintf(stderr, "%s: no memory for %zu bytes\n", name, bytes);
		return 1;
	}
	make(data);
	bench_counters_reset();
	best = bench_best_run(runs, run, data, &checksum);
	bench_app_rows(name, best, bytes, runs, checksum);
	return 0;
}

#endif /* MOSAIC_USR_BENCH_H */
