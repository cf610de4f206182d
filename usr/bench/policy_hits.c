// SPDX-License-Identifier: GPL-2.0
/*
 * policy_hits: the hit ratio of the eviction policy in use (pcache.evict=,
 * one boot per policy) on two access patterns, sized from /proc/pcache's
 * "lines" (N):
 *
 *   zipf   ZIPF_ACCESSES page reads over 4N pages, page of rank k drawn with
 *          probability ~ 1/k (Zipf, s = 1); ranks are scattered over the
 *          pages so that hot pages fall in every set
 *   scan   SCAN_PASSES sequential passes over 5N/4 pages (a loop a little
 *          larger than the pcache: LRU's worst case)
 *
 * Every page is written before the phases, so a miss is a MISS with data.
 * The counters are reset before each phase; hit_pct = 100 * (1 - misses /
 * accesses) (hits are free: the MMU serves them, only misses are counted).
 * The program's own faults (stack, buffers) count as misses too: a few.
 */
#include <sys/mman.h>

#include "bench.h"

#define ZIPF_ACCESSES 60000
#define SCAN_PASSES 4

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t xorshift64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* cdf[k] = P(rank <= k) for Zipf s = 1 over n ranks. */
static double *zipf_cdf(size_t n)
{
	double *cdf = malloc(n * sizeof(*cdf)), sum = 0;

	if (!cdf)
		return NULL;
	for (size_t k = 0; k < n; k++)
		cdf[k] = sum += 1.0 / (double)(k + 1);
	for (size_t k = 0; k < n; k++)
		cdf[k] /= sum;
	return cdf;
}

/* A rank drawn from the distribution (binary search of the cdf). */
static size_t zipf_rank(const double *cdf, size_t n)
{
	double u = (double)(xorshift64() >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void report(const char *pattern, long long accesses)
{
	long long misses = bench_counter("misses");

	bench_row(pattern, "accesses", (double)accesses, "reads");
	bench_row(pattern, "misses", (double)misses, "misses");
	bench_row(pattern, "hit_pct", 100.0 * (1.0 - (double)misses / (double)accesses), "%");
}

static void zipf_phase(volatile char *base, size_t pages, const double *cdf)
{
	bench_counters_reset();
	for (long i = 0; i < ZIPF_ACCESSES; i++) {
		size_t rank = zipf_rank(cdf, pages);

		/* an odd multiplier permutes ranks over a power-of-two page count */
		(void)base[(rank * 2654435761UL % pages) * BENCH_PAGE];
	}
	report("hits_zipf", ZIPF_ACCESSES);
}

static void scan_phase(volatile char *base, size_t pages)
{
	bench_counters_reset();
	for (int pass = 0; pass < SCAN_PASSES; pass++)
		for (size_t i = 0; i < pages; i++)
			(void)base[i * BENCH_PAGE];
	report("hits_scan", (long long)SCAN_PASSES * pages);
}

/* The power of two at or above n. */
static size_t pow2_at_least(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

int main(void)
{
	long long lines = bench_counter("lines");
	size_t zipf_pages, scan_pages, total;
	volatile char *base;
	double *cdf;

	if (lines <= 0) {
		printf("policy_hits: no /proc/pcache lines: not Mosaic, nothing measured\n");
		return 0;
	}
	zipf_pages = pow2_at_least(4 * (size_t)lines);
	scan_pages = 5 * (size_t)lines / 4;
	total = zipf_pages > scan_pages ? zipf_pages : scan_pages;
	cdf = zipf_cdf(zipf_pages);
	base = mmap(NULL, total * BENCH_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!cdf || base == MAP_FAILED) {
		fprintf(stderr, "policy_hits: no memory for %zu pages\n", total);
		return 1;
	}
	for (size_t i = 0; i < total; i++)
		base[i * BENCH_PAGE] = 1;
	zipf_phase(base, zipf_pages, cdf);
	scan_phase(base, scan_pages);
	return 0;
}
