// SPDX-License-Identifier: GPL-2.0
/*
 * madvise_dontneed: after MADV_DONTNEED, private anonymous pages read back
 * as zero (the kernel dropped the lines and the memory node the pages);
 * MADV_PAGEOUT keeps the data but writes the dirty lines back (on Mosaic the
 * pcache's writebacks counter grows by the pages paged out); other advice
 * changes nothing; bad arguments give EINVAL / ENOMEM.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define PAGES 16
#define P UTEST_PAGE_SIZE

/* Paged-out pages keep their data; on Mosaic each dirty line was written back. */
static void check_pageout(unsigned char *p)
{
	long long before = utest_pcache_counter("writebacks");
	unsigned long wrong = 0;

	for (unsigned long i = 0; i < 4; i++)
		memset(p + i * P, 0x10 + (int)i, P);
	CHECK(madvise(p, 4 * P, MADV_PAGEOUT) == 0, "PAGEOUT: %s", strerror(errno));
	if (before >= 0)
		CHECK(utest_pcache_counter("writebacks") - before >= 4, "PAGEOUT wrote back %lld lines",
		      utest_pcache_counter("writebacks") - before);
	for (unsigned long i = 0; i < 4 * P; i++)
		wrong += p[i] != 0x10 + i / P;
	CHECK(wrong == 0, "%lu bytes changed by PAGEOUT", wrong);
}

int main(void)
{
	unsigned char *p = mmap(NULL, PAGES * P, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long nonzero = 0;

	utest_start("madvise_dontneed");
	if (p == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	memset(p, 0xab, PAGES * P);
	CHECK(madvise(p, PAGES * P, MADV_WILLNEED) == 0, "WILLNEED: %s", strerror(errno));
	CHECK(p[5 * P] == 0xab, "WILLNEED changed the data");
	CHECK(madvise(p + 4 * P, 8 * P, MADV_DONTNEED) == 0, "DONTNEED: %s", strerror(errno));
	for (unsigned long i = 4 * P; i < 12 * P; i++)
		nonzero += p[i] != 0;
	CHECK(nonzero == 0, "%lu bytes not zero after DONTNEED", nonzero);
	CHECK(p[0] == 0xab && p[PAGES * P - 1] == 0xab, "pages outside the range changed");
	check_pageout(p + 12 * P);
	CHECK(madvise(p + 1, P, MADV_DONTNEED) == -1 && errno == EINVAL, "unaligned: errno %d", errno);
	CHECK(madvise(p, P, 12345) == -1 && errno == EINVAL, "bad advice: errno %d", errno);
	munmap(p + 2 * P, P);
	CHECK(madvise(p, 4 * P, MADV_DONTNEED) == -1 && errno == ENOMEM, "hole: errno %d", errno);
	return utest_finish();
}
