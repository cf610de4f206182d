// SPDX-License-Identifier: GPL-2.0
/*
 * evict_latency: what a pcache miss costs by what it finds in its set, and
 * how many lines per second eviction moves. Sized from /proc/pcache's
 * "lines" (N): a region of 3N pages, R0 R1 R2 of N pages each, so that one
 * region fills every set. Every page is written once first, so every miss
 * below is a MISS answered with data (not a zero-fill).
 *
 *   miss_free_way     read of half of R0 after mprotect emptied the pcache:
 *                     the set has a free way
 *   miss_clean_victim read of R2 after R1 filled the pcache with clean lines
 *                     (reads only): each miss first evicts a clean line
 *   miss_dirty_victim read of R1 after writes to R0 filled the pcache with
 *                     dirty lines: each miss first writes a line back
 *   evict_throughput  evict_clean and evict_dirty: the evictions of the
 *                     clean and dirty phases (from /proc/pcache, reset
 *                     before each phase; the sweep thread's included)
 *                     divided by the phase's time, in lines per second
 *
 * Read latencies are per touch (rdtsc, median and p99). With the sweep
 * thread on (pcache.sweep=K) a miss may find the free way the sweep made.
 */
#include <sys/mman.h>

#include "bench.h"

struct region {
	volatile char *base;
	size_t pages;		/* N: the pcache's lines */
	uint64_t *ticks;	/* one sample per page of a region */
	double rate;		/* TSC ticks per ns */
};

/* Touch pages [from, from + n) of the mapping, timing each into ticks. */
static void touch(struct region *r, size_t from, size_t n, int write)
{
	for (size_t i = 0; i < n; i++) {
		volatile char *p = r->base + (from + i) * BENCH_PAGE;
		uint64_t t = rdtsc();

		if (write)
			*p = (char)i;
		else
			(void)*p;
		r->ticks[i] = rdtsc() - t;
	}
}

/* One phase: reset the counters, touch, print latency and eviction rate. */
static void phase(struct region *r, const char *name, size_t from, size_t n, int write,
		  const char *evict_counter)
{
	uint64_t t0, ns;
	long long evicted;

	bench_counters_reset();
	t0 = now_ns();
	touch(r, from, n, write);
	ns = now_ns() - t0;
	evicted = evict_counter ? bench_counter(evict_counter) : 0;
	bench_ticks(name, "ns_per_touch", r->ticks, n, r->rate);
	if (evicted > 0)
		bench_row("evict_throughput", evict_counter, evicted * 1e9 / ns, "lines/s");
}

/* Write back and drop every line of the region (mprotect stores dirty lines), then allow writes. */
static int empty_pcache(struct region *r)
{
	size_t len = 3 * r->pages * BENCH_PAGE;

	return mprotect((void *)r->base, len, PROT_READ) ||
	       mprotect((void *)r->base, len, PROT_READ | PROT_WRITE);
}

int main(void)
{
	struct region r = { .pages = bench_counter("lines") };
	size_t n = r.pages;

	if ((long long)n <= 0) {
		printf("evict_latency: no /proc/pcache lines: not Mosaic, nothing measured\n");
		return 0;
	}
	r.rate = tsc_per_ns();
	r.ticks = calloc(n, sizeof(*r.ticks));
	r.base = mmap(NULL, 3 * n * BENCH_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!r.ticks || r.base == MAP_FAILED) {
		fprintf(stderr, "evict_latency: no memory for %zu pages\n", 3 * n);
		return 1;
	}
	bench_row("evict_latency", "pcache_lines", n, "lines");
	for (size_t region = 0; region < 3; region++)
		touch(&r, region * n, n, 1);	/* every page gets data at the memory node */
	if (empty_pcache(&r)) {
		perror("evict_latency: mprotect");
		return 1;
	}
	phase(&r, "miss_free_way", 0, n / 2, 0, NULL);
	touch(&r, n, n, 0);		/* R1: the pcache fills with clean lines */
	phase(&r, "miss_clean_victim", 2 * n, n, 0, "evict_clean");
	touch(&r, 0, n, 1);		/* R0 written: the pcache fills with dirty lines */
	phase(&r, "miss_dirty_victim", n, n, 0, "evict_dirty");
	return 0;
}
