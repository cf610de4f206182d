// SPDX-License-Identifier: GPL-2.0
/*
 * pcache_sweep: the sweep thread evicts in the background when fills leave
 * a set with fewer free ways than pcache.sweep= asks (K, shown as
 * sweep_free_ways in /proc/pcache_sets).
 *
 * Writes assoc + K + 2 pages that all fall in one set (addresses nr_sets
 * pages apart), so the set fills up whatever the pcache's size. Then:
 *   K > 0: sweep_wakeups and, within a generous bound (the thread only
 *          needs to be scheduled once), sweep_evictions rise;
 *   K = 0: there is no sweep thread and both stay where they were.
 * Every page is read back with its value (evicted ones come from memory).
 * Skipped (exit 0) without /proc/pcache_sets (not Mosaic).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define SETS_FILE "/proc/pcache_sets"
#define WAIT_LIMIT_MS 5000	/* a bound, not a timing expectation */

static long long sets_value(const char *name)
{
	return utest_proc_value(SETS_FILE, name);
}

/* Write n pages stride pages apart (one set), each with its own value. */
static volatile char *fill_one_set(long n, long stride)
{
	volatile char *p = mmap(NULL, n * stride * UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		utest_die("mmap of %ld pages failed: %s", n * stride, strerror(errno));
	for (long i = 0; i < n; i++)
		p[i * stride * UTEST_PAGE_SIZE] = (char)(i + 1);
	return p;
}

static void check_values(volatile char *p, long n, long stride)
{
	long bad = 0;

	for (long i = 0; i < n; i++)
		bad += p[i * stride * UTEST_PAGE_SIZE] != (char)(i + 1);
	CHECK(bad == 0, "%ld of %ld pages read back wrong", bad, n);
}

/*
 * Until the counter exceeds before (up to WAIT_LIMIT_MS): every 10 ms read
 * one of the n pages again, in turn. Why keep touching: eviction takes
 * victims in batches, so the fault path may leave a free way behind its own
 * fill and the set is at the sweep's target before the thread runs. A
 * re-read of an evicted page is a fill that may leave the set full again,
 * which the thread then has to sweep.
 */
static long long wait_above(const char *counter, long long before, volatile char *p, long n,
			    long stride)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	long long now = utest_pcache_counter(counter);

	for (int ms = 0, i = 0; now <= before && ms < WAIT_LIMIT_MS; ms += 10, i = (i + 1) % n) {
		(void)p[i * stride * UTEST_PAGE_SIZE];
		nanosleep(&tick, NULL);
		now = utest_pcache_counter(counter);
	}
	return now;
}

int main(void)
{
	long long k = sets_value("sweep_free_ways"), sets = sets_value("sets");
	long long assoc = sets_value("assoc"), wakeups, evictions;
	volatile char *p;
	long n;

	utest_start("pcache_sweep");
	if (k < 0 || sets <= 0 || assoc <= 0) {
		printf("pcache_sweep: SKIP: %s has no sweep_free_ways\n", SETS_FILE);
		return 0;
	}
	n = assoc + k + 2;
	wakeups = utest_pcache_counter("sweep_wakeups");
	evictions = utest_pcache_counter("sweep_evictions");
	printf("pcache_sweep: K=%lld, %ld pages into one set of %lld ways\n", k, n, assoc);
	p = fill_one_set(n, sets);
	if (k > 0) {
		CHECK(utest_pcache_counter("sweep_wakeups") > wakeups, "no sweep wake-up");
		CHECK(wait_above("sweep_evictions", evictions, p, n, sets) > evictions,
		      "the sweep thread evicted nothing in %d ms", WAIT_LIMIT_MS);
	} else {
		CHECK(utest_pcache_counter("sweep_wakeups") == wakeups, "a wake-up without a thread");
		CHECK(utest_pcache_counter("sweep_evictions") == evictions, "a sweep without a thread");
	}
	check_values(p, n, sets);
	return utest_finish();
}
