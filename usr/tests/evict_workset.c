// SPDX-License-Identifier: GPL-2.0
/*
 * evict_workset: working sets of 1x, 2x, 4x and 16x the pcache, written
 * and then verified page by page, first in sequential order, then
 * rewritten and verified in a random order. Every 8-byte word holds a
 * value derived from its address and the pass, so a lost write-back, a
 * stale refill or a line filled for the wrong page shows as a mismatch.
 *
 * The size comes from /proc/pcache ("lines"); working sets above
 * MAX_WORKSET are skipped (the default 128 MiB pcache: make test also runs
 * everything with pcache=8M). Off Mosaic, 8 MiB stands in for the pcache.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define MAX_WORKSET (128UL << 20)
#define WORDS_PER_PAGE (UTEST_PAGE_SIZE / sizeof(uint64_t))

static const unsigned int multiples[] = { 1, 2, 4, 16 };

static uint64_t expected(const uint64_t *word, unsigned int pass)
{
	uint64_t x = (uint64_t)(uintptr_t)word * 0x9e3779b97f4a7c15ULL + pass;

	return x ^ (x >> 31);
}

static void write_page(uint64_t *page, unsigned int pass)
{
	for (unsigned long i = 0; i < WORDS_PER_PAGE; i++)
		page[i] = expected(&page[i], pass);
}

/* Mismatching words of the page. */
static unsigned long verify_page(const uint64_t *page, unsigned int pass)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < WORDS_PER_PAGE; i++)
		bad += page[i] != expected(&page[i], pass);
	return bad;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t next_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* order[i] = page to visit i-th: identity, or a Fisher-Yates shuffle of it. */
static void make_order(uint32_t *order, unsigned long pages, int shuffled)
{
	for (unsigned long i = 0; i < pages; i++)
		order[i] = i;
	for (unsigned long i = pages - 1; shuffled && i > 0; i--) {
		unsigned long j = next_random() % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

/* Write every page in one order, verify in another: the bad words. */
static unsigned long write_then_verify(char *buf, unsigned long pages, uint32_t *order,
				       int shuffled, unsigned int pass)
{
	unsigned long bad = 0;

	make_order(order, pages, shuffled);
	for (unsigned long i = 0; i < pages; i++)
		write_page((uint64_t *)(buf + order[i] * UTEST_PAGE_SIZE), pass);
	make_order(order, pages, shuffled);
	for (unsigned long i = 0; i < pages; i++)
		bad += verify_page((uint64_t *)(buf + order[i] * UTEST_PAGE_SIZE), pass);
	return bad;
}

static void run_multiple(unsigned long pcache_bytes, unsigned int m, uint32_t *order)
{
	unsigned long bytes = pcache_bytes * m, pages = bytes / UTEST_PAGE_SIZE;
	long long evictions = utest_evictions();
	char *buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		utest_die("mmap %lu bytes: %s", bytes, strerror(errno));
	CHECK(write_then_verify(buf, pages, order, 0, 1) == 0, "%ux sequential: words lost", m);
	CHECK(write_then_verify(buf, pages, order, 1, 2) == 0, "%ux random: words lost", m);
	munmap(buf, bytes);
	if (m > 1 && evictions >= 0)
		CHECK(utest_evictions() > evictions, "%ux the pcache evicted nothing", m);
	printf("evict_workset: %ux (%lu pages) checked, %lld evictions\n", m, pages,
	       evictions >= 0 ? utest_evictions() - evictions : -1);
}

int main(void)
{
	unsigned long pcache_bytes = utest_pcache_bytes();
	uint32_t *order;

	utest_start("evict_workset");
	if (!pcache_bytes)
		pcache_bytes = 8UL << 20;
	order = malloc(MAX_WORKSET / UTEST_PAGE_SIZE * sizeof(*order));
	if (!order)
		utest_die("no memory for the page order");
	for (unsigned int i = 0; i < sizeof(multiples) / sizeof(multiples[0]); i++) {
		if (pcache_bytes * multiples[i] > MAX_WORKSET) {
			printf("evict_workset: %ux the pcache is over %lu MiB: skipped\n",
			       multiples[i], MAX_WORKSET >> 20);
			continue;
		}
		run_multiple(pcache_bytes, multiples[i], order);
	}
	free(order);
	return utest_finish();
}
