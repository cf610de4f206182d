// SPDX-License-Identifier: GPL-2.0
/*
 * mremap_race: a thread reads the destination of an mremap while another
 * moves freshly written (dirty) pages there with MREMAP_FIXED. Once
 * mremap returns, every moved page must hold the bytes written before the
 * move, whatever the reader saw meanwhile.
 *
 * Caught: without the layout lock (mm/layout_lock.c) the reader's fault
 * between the memory node's MREMAP and the move of the ptes filled a line
 * at the destination with the node's older copy, and that stale line stayed
 * mapped after the move.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "utest.h"

#define PAGES 64
#define P UTEST_PAGE_SIZE
#define ROUNDS 150

static char *volatile watched;	/* the destination the reader touches */
static atomic_int stop;

static void *read_destination(void *arg)
{
	unsigned long sum = 0;

	(void)arg;
	while (!atomic_load(&stop))
		for (int i = PAGES - 1; i >= 0 && !atomic_load(&stop); i--)
			sum += (unsigned char)watched[(size_t)i * P];
	return (void *)sum;
}

/* Map len bytes at addr (fixed) filled with byte: the destination's old contents. */
static char *map_filled(char *addr, unsigned char byte)
{
	char *p = mmap(addr, PAGES * P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED : 0), -1, 0);

	if (p != MAP_FAILED)
		memset(p, byte, PAGES * P);
	return p;
}

static int bad_pages(const char *p, unsigned char byte)
{
	int bad = 0;

	for (int i = 0; i < PAGES; i++)
		bad += (unsigned char)p[(size_t)i * P] != byte ||
		       (unsigned char)p[(size_t)i * P + P - 1] != byte;
	return bad;
}

/* One round: write src, move it onto dst while the reader runs; 0 or pages wrong. */
static int one_round(char *src, char *dst, unsigned char byte)
{
	pthread_t reader;
	void *moved;

	if (map_filled(src, byte) == MAP_FAILED || map_filled(dst, (unsigned char)~byte) == MAP_FAILED)
		return -1;
	watched = dst;
	atomic_store(&stop, 0);
	if (pthread_create(&reader, NULL, read_destination, NULL))
		return -1;
	usleep(200);
	moved = mremap(src, PAGES * P, PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	atomic_store(&stop, 1);
	pthread_join(reader, NULL);
	if (moved != dst)
		return -1;
	return bad_pages(dst, byte);
}

int main(void)
{
	char *area = mmap(NULL, 2 * PAGES * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int failed_rounds = 0, r, worst = 0;

	utest_start("mremap_race");
	CHECK(area != MAP_FAILED, "mmap: errno %d", errno);
	if (area == MAP_FAILED)
		return utest_finish();
	for (int round = 0; round < ROUNDS; round++) {
		r = one_round(area, area + PAGES * P, (unsigned char)(round + 1));
		CHECK(r >= 0, "round %d: mmap, thread or mremap failed: errno %d", round, errno);
		if (r > 0) {
			failed_rounds++;
			worst = r > worst ? r : worst;
		}
	}
	CHECK(failed_rounds == 0, "%d of %d rounds left stale pages after the move (up to %d)",
	      failed_rounds, ROUNDS, worst);
	return utest_finish();
}
