// SPDX-License-Identifier: GPL-2.0
/*
 * remap_evict: munmap and mremap of ranges whose lines another thread is
 * evicting. A pressing thread keeps dirtying fresh pages through twice
 * the pcache while the main thread, round after round, writes a region,
 * moves it with mremap (into a hole, so the lines change sets), unmaps a
 * piece of its middle, and verifies every word left: the moved pages keep
 * their data whether their lines were in the pcache, being evicted or
 * already written back. At the end the pcache holds no more lines than at
 * the start (nothing leaked by the races). "remap_evict ROUNDS" runs fewer
 * rounds (make test's cluster stage, where every page crosses the wire).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define PAGES 32
#define ROUNDS 60
#define P UTEST_PAGE_SIZE
#define WORDS (P / sizeof(uint64_t))
#define HOLE_SHIFT 5	/* pages between the region and its new place, off the set stride */
#define MAX_PRESS (32UL << 20)

static volatile int stop_pressing;
static unsigned long press_bytes;

static void *press(void *arg)
{
	char *buf = mmap(NULL, press_bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long rounds = 0;

	if (buf == MAP_FAILED)
		return NULL;
	while (!stop_pressing) {
		for (unsigned long off = 0; off < press_bytes && !stop_pressing; off += P)
			buf[off] = (char)rounds;
		rounds++;
	}
	munmap(buf, press_bytes);
	return arg;
}

static uint64_t value(int round, int page, unsigned long word)
{
	return ((uint64_t)round << 40) ^ ((uint64_t)page << 20) ^ (word * 0x9e3779b97f4a7c15ULL);
}

static unsigned long bad_words(const uint64_t *region, int round, int first, int last)
{
	unsigned long bad = 0;

	for (int p = first; p < last; p++)
		for (unsigned long w = 0; w < WORDS; w++)
			bad += region[p * WORDS + w] != value(round, p, w);
	return bad;
}

/* One round: write, move, punch a hole, verify. Returns the bad words. */
static unsigned long one_round(int round)
{
	uint64_t *old = mmap(NULL, PAGES * P, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *place = mmap(NULL, (PAGES + HOLE_SHIFT) * P, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t *moved;
	unsigned long bad;

	if (old == MAP_FAILED || place == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	for (int p = 0; p < PAGES; p++)
		for (unsigned long w = 0; w < WORDS; w++)
			old[p * WORDS + w] = value(round, p, w);
	moved = mremap(old, PAGES * P, PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED,
		       place + HOLE_SHIFT * P);
	if (moved == MAP_FAILED)
		utest_die("mremap: %s", strerror(errno));
	if (munmap((char *)moved + PAGES / 4 * P, PAGES / 4 * P))
		utest_die("munmap of the middle: %s", strerror(errno));
	bad = bad_words(moved, round, 0, PAGES / 4) + bad_words(moved, round, PAGES / 2, PAGES);
	munmap(place, (PAGES + HOLE_SHIFT) * P);
	return bad;
}

/* A thread that stops at once: the libc's thread stack and TLS exist from now on. */
static void warm_up_threads(void)
{
	pthread_t t;

	stop_pressing = 1;
	if (pthread_create(&t, NULL, press, NULL) || pthread_join(t, NULL))
		utest_die("pthread_create");
	stop_pressing = 0;
}

/* ROUNDS, or the number of rounds argv[1] asks for (1 to ROUNDS). */
static int rounds_wanted(int argc, char **argv)
{
	char *end;
	long n;

	if (argc < 2)
		return ROUNDS;
	n = strtol(argv[1], &end, 10);
	if (*end || n < 1 || n > ROUNDS)
		utest_die("'%s': want a number of rounds, 1 to %d", argv[1], ROUNDS);
	return (int)n;
}

int main(int argc, char **argv)
{
	unsigned long pcache_bytes = utest_pcache_bytes();
	unsigned long bad = 0;
	long long used_before;
	pthread_t presser;
	int rounds;

	utest_start("remap_evict");
	rounds = rounds_wanted(argc, argv);
	press_bytes = pcache_bytes && 2 * pcache_bytes <= MAX_PRESS ? 2 * pcache_bytes : 1UL << 20;
	warm_up_threads();	/* glibc keeps a joined thread's stack for the next one */
	used_before = utest_pcache_counter("lines_used");
	if (pthread_create(&presser, NULL, press, NULL))
		utest_die("pthread_create");
	for (int round = 0; round < rounds; round++)
		bad += one_round(round);
	stop_pressing = 1;
	pthread_join(presser, NULL);
	CHECK(bad == 0, "%lu words lost by mremap/munmap under eviction", bad);
	/* Beside the soak's other jobs lines_used is theirs too: the soak checks leaks itself. */
	if (used_before >= 0 && !utest_node_shared())
		CHECK(utest_pcache_counter("lines_used") <= used_before + 4,
		      "lines_used %lld at the start, %lld at the end", used_before,
		      utest_pcache_counter("lines_used"));
	printf("remap_evict: %d rounds checked\n", rounds);
	return utest_finish();
}
