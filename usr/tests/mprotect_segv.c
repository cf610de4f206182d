// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect_segv: write a page, make it read-only, check it still reads
 * back, then write to it. Expected outcome: death by SIGSEGV (signal 11)
 * on that write; surviving it is a failure (exit 1).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

int main(void)
{
	size_t page = UTEST_PAGE_SIZE;
	volatile char *p;

	utest_start("mprotect_segv");
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		utest_die("mmap failed: %s", strerror(errno));
	p[0] = 'm';
	p[page - 1] = 'z';
	if (mprotect((void *)p, page, PROT_READ))
		utest_die("mprotect(PROT_READ) failed: %s", strerror(errno));
	CHECK(p[0] == 'm' && p[page - 1] == 'z', "read-only page lost its data");
	if (utest_failures)
		return utest_finish();
	printf("mprotect_segv: writing the read-only page %p: expect SIGSEGV\n", (void *)p);
	p[1] = 'x';
	utest_die("survived a write to a read-only page");
}
