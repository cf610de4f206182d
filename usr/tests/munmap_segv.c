// SPDX-License-Identifier: GPL-2.0
/*
 * munmap_segv: map three pages, write them, unmap the middle one (a vma
 * split), check the outer two kept their data, then touch the hole.
 * Expected outcome: death by SIGSEGV (signal 11) on that touch; surviving
 * it is a failure (exit 1). The runner checks the signal.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

int main(void)
{
	size_t page = UTEST_PAGE_SIZE;
	volatile char *base;

	utest_start("munmap_segv");
	base = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		utest_die("mmap failed: %s", strerror(errno));
	for (int i = 0; i < 3; i++)
		base[i * page] = (char)('a' + i);
	if (munmap((void *)(base + page), page))
		utest_die("munmap of the middle page failed: %s", strerror(errno));
	CHECK(base[0] == 'a' && base[2 * page] == 'c',
	      "the pages around the hole lost their data: '%c' '%c'", base[0], base[2 * page]);
	if (utest_failures)
		return utest_finish();
	printf("munmap_segv: touching the unmapped page %p: expect SIGSEGV\n",
	       (void *)(base + page));
	base[page] = 'x';
	utest_die("survived a write to an unmapped page");
}
