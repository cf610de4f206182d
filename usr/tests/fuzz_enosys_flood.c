// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_enosys_flood: regression test for the syscall fuzzer's first
 * finding. Unknown system call numbers each wrote a console line per call,
 * so a fuzzer (or glibc probing clone3/rseq in a loop) flooded the console
 * and slowed the whole machine. Now each unknown number is named once per
 * boot and numbers past the table share one line (kernel/syscall.c).
 *
 * Here: 1000 calls each of two unknown numbers inside the table and two
 * past it must all fail with ENOSYS; scripts/run-tests counts the console
 * lines (user/fuzz-enosys-flood-named-once: three lines in all).
 */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "utest.h"

#define CALLS 1000

static const long unknown[] = { 335, 399, 1000, 1L << 40 };

int main(void)
{
	utest_start("fuzz_enosys_flood");
	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		unsigned int enosys = 0;

		for (int n = 0; n < CALLS; n++)
			enosys += syscall(unknown[i], 0, 0, 0, 0, 0, 0) == -1 && errno == ENOSYS;
		CHECK(enosys == CALLS, "syscall %ld: %u of %d calls gave ENOSYS", unknown[i],
		      enosys, CALLS);
	}
	return utest_finish();
}
