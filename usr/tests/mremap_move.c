// SPDX-License-Identifier: GPL-2.0
/*
 * mremap_move: grow, shrink and move anonymous mappings whose pages were
 * written (so they sit dirty in the pcache), and check every page's
 * contents afterwards. Moves by a whole number of pages land in other
 * pcache sets for most pages and in the same set for some; either way the
 * line stays in its way and only the pte and rmap move (the rmap_moves
 * counter of /proc/pcache); a move from one 2 MiB boundary to another
 * moves whole pte tables (move_tables). Also munmap of the middle of a vma.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define PAGES 64
#define P UTEST_PAGE_SIZE

static unsigned char pattern(unsigned long page, unsigned long off)
{
	return (unsigned char)(page * 31 + off * 7 + 1);
}

static void fill(unsigned char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		for (unsigned long off = 0; off < P; off += 509)
			p[i * P + off] = pattern(i, off);
}

static unsigned long count_bad(const unsigned char *p, unsigned long pages)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < pages; i++)
		for (unsigned long off = 0; off < P; off += 509)
			bad += p[i * P + off] != pattern(i, off);
	return bad;
}

static unsigned char *map_pages(unsigned long pages)
{
	void *p = mmap(NULL, pages * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	return p;
}

static long long moves(void)
{
	return utest_pcache_counter("rmap_moves");
}

static void test_move_fixed(void)
{
	unsigned char *a = map_pages(PAGES), *hole = map_pages(PAGES + 8), *b;
	long long before;

	munmap(hole, (PAGES + 8) * P);
	fill(a, PAGES);
	moves();	/* warm the reader */
	before = moves();
	/* 3 pages past the old hole start: other sets for most pages */
	b = mremap(a, PAGES * P, PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED, hole + 3 * P);
	CHECK(b == hole + 3 * P, "mremap fixed returned %p, wanted %p", (void *)b, hole + 3 * P);
	CHECK(count_bad(b, PAGES) == 0, "contents changed by a fixed move");
	if (before >= 0)	/* on Mosaic the ptes moved through pcache_move_pte */
		CHECK(moves() - before > 0, "no rmap move counted");
	munmap(b, PAGES * P);
}

#define TABLE_SPAN (512 * P)	/* what one pte table maps: 2 MiB */

/* The first 2 MiB boundary in p. */
static unsigned char *table_aligned(unsigned char *p)
{
	return (unsigned char *)(((unsigned long)p + TABLE_SPAN - 1) & ~(TABLE_SPAN - 1));
}

/*
 * 4 MiB from one 2 MiB boundary to another, onto pte tables a munmap left
 * empty, and back: Mosaic moves the two pte tables whole each time.
 */
static void test_move_whole_tables(void)
{
	unsigned long pages = 2 * TABLE_SPAN / P, span = pages * P + TABLE_SPAN;
	unsigned char *area = map_pages(span / P), *hole = map_pages(span / P), *a, *b;
	long long before = utest_pcache_counter("move_tables");

	for (unsigned long off = 0; off < span; off += TABLE_SPAN / 2)
		hole[off] = 1;	/* Mosaic's pte tables there stay, empty, after the munmap */
	munmap(hole, span);
	a = table_aligned(area);
	fill(a, pages);
	b = mremap(a, pages * P, pages * P, MREMAP_MAYMOVE | MREMAP_FIXED, table_aligned(hole));
	CHECK(b == table_aligned(hole), "aligned move returned %p", (void *)b);
	CHECK(count_bad(b, pages) == 0, "contents changed by an aligned move");
	if (before >= 0)
		CHECK(utest_pcache_counter("move_tables") - before >= 2,
		      "the pte tables were not moved whole");
	/* and back: the old place has the empty tables now */
	before = utest_pcache_counter("move_tables");
	CHECK(mremap(b, pages * P, pages * P, MREMAP_MAYMOVE | MREMAP_FIXED, a) == a,
	      "aligned move back failed");
	CHECK(count_bad(a, pages) == 0, "contents changed by the move back");
	if (before >= 0)
		CHECK(utest_pcache_counter("move_tables") - before >= 2,
		      "the pte tables were not moved back whole");
	munmap(area, span);
}

static void test_grow_and_shrink(void)
{
	unsigned char *a = map_pages(PAGES), *b;

	fill(a, PAGES);
	b = mremap(a, PAGES * P, 4 * PAGES * P, MREMAP_MAYMOVE);
	CHECK(b != MAP_FAILED, "grow: %s", strerror(errno));
	CHECK(count_bad(b, PAGES) == 0, "contents changed by growing");
	b[4 * PAGES * P - 1] = 9;	/* the new tail is usable */
	b = mremap(b, 4 * PAGES * P, PAGES / 2 * P, 0);
	CHECK(b != MAP_FAILED, "shrink: %s", strerror(errno));
	CHECK(count_bad(b, PAGES / 2) == 0, "contents changed by shrinking");
	munmap(b, PAGES / 2 * P);
}

static void test_munmap_middle(void)
{
	unsigned char *a = map_pages(PAGES);

	fill(a, PAGES);
	CHECK(munmap(a + 8 * P, 8 * P) == 0, "munmap of the middle: %s", strerror(errno));
	CHECK(count_bad(a, 8) == 0, "head changed");
	for (unsigned long i = 16; i < PAGES; i++)
		CHECK(a[i * P] == pattern(i, 0), "tail page %lu changed", i);
	CHECK(mremap(a + 8 * P, 8 * P, 8 * P, 0) == MAP_FAILED && errno == EFAULT,
	      "mremap of the hole must fail with EFAULT (errno %d)", errno);
	munmap(a, PAGES * P);
}

int main(void)
{
	utest_start("mremap_move");
	test_move_fixed();
	test_move_whole_tables();
	test_grow_and_shrink();
	test_munmap_middle();
	return utest_finish();
}
