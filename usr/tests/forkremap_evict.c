// SPDX-License-Identifier: GPL-2.0
/*
 * forkremap_evict: fork and mremap while another process evicts hard.
 * fork and mremap no longer write the dirty lines back first: an eviction
 * barrier keeps the lines out of eviction while the memory node copies
 * (FORK) or moves (MREMAP) the pages and the ptes follow. A presser
 * process dirties fresh pages through twice the pcache all along, so in
 * a small pcache its faults keep evicting our lines. Round after round the
 * main process writes a region with the round's values, then
 *   - forks: the child verifies every word (a line evicted to the parent
 *     alone in the fork window would leave the child the old page);
 *   - moves the region with mremap into a hole and verifies every word (a
 *     line written back to the old address after the move would be lost).
 * Meant for pcache=296K pcache.assoc=64 (one set: every fault of the
 * presser picks among our lines); with a large pcache it still checks
 * fork and mremap data.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define PAGES 16
#define ROUNDS 80
#define P UTEST_PAGE_SIZE
#define WORDS (P / sizeof(uint64_t))
#define HOLE_SHIFT 3	/* pages between the region and its new place */
#define MAX_PRESS (32UL << 20)

static uint64_t value(int round, int page, unsigned long word)
{
	return ((uint64_t)round << 44) ^ ((uint64_t)page << 24) ^ (word * 0x9e3779b97f4a7c15ULL);
}

static void fill(uint64_t *region, int round)
{
	for (int p = 0; p < PAGES; p++)
		for (unsigned long w = 0; w < WORDS; w++)
			region[p * WORDS + w] = value(round, p, w);
}

static unsigned long bad_words(const uint64_t *region, int round)
{
	unsigned long bad = 0;

	for (int p = 0; p < PAGES; p++)
		for (unsigned long w = 0; w < WORDS; w++)
			bad += region[p * WORDS + w] != value(round, p, w);
	return bad;
}

/* fork with the region dirty: the child must see this round's data. */
static int fork_round(const uint64_t *region, int round)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(bad_words(region, round) ? 1 : 0);
	if (pid < 0)
		utest_die("fork: %s", strerror(errno));
	return utest_wait_code(pid) == 0;
}

/* Move the region into a hole; returns the new place, whose words are checked. */
static uint64_t *remap_round(uint64_t *region, int round, unsigned long *bad)
{
	char *place = mmap(NULL, (PAGES + HOLE_SHIFT) * P, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t *moved;

	if (place == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	moved = mremap(region, PAGES * P, PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED,
		       place + HOLE_SHIFT * P);
	if (moved == MAP_FAILED)
		utest_die("mremap: %s", strerror(errno));
	*bad += bad_words(moved, round);
	munmap(place, HOLE_SHIFT * P);	/* the hole's head; the tail is the region now */
	return moved;
}

static pid_t start_presser(void)
{
	unsigned long pcache_bytes = utest_pcache_bytes();
	unsigned long bytes = pcache_bytes && 2 * pcache_bytes <= MAX_PRESS ? 2 * pcache_bytes
									     : 1UL << 20;
	pid_t pid = fork();

	if (pid == 0)
		utest_press_forever(bytes);
	if (pid < 0)
		utest_die("fork: %s", strerror(errno));
	return pid;
}

int main(void)
{
	uint64_t *region = mmap(NULL, PAGES * P, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long bad_children = 0, bad_moved = 0;
	pid_t presser;

	utest_start("forkremap_evict");
	if (region == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	presser = start_presser();
	for (int round = 0; round < ROUNDS; round++) {
		fill(region, round);
		bad_children += !fork_round(region, round);
		fill(region, round + ROUNDS);
		region = remap_round(region, round + ROUNDS, &bad_moved);
	}
	kill(presser, SIGKILL);
	waitpid(presser, NULL, 0);
	CHECK(bad_children == 0, "%lu of %d children saw stale data after fork", bad_children,
	      ROUNDS);
	CHECK(bad_moved == 0, "%lu words lost by mremap under eviction", bad_moved);
	printf("forkremap_evict: %d forks and %d moves checked\n", ROUNDS, ROUNDS);
	return utest_finish();
}
