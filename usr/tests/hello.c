// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the smallest user program. Prints "hello from <libc>" and exits 0.
 * It needs only the libc's start-up, write and exit_group.
 */
#include "utest.h"

int main(void)
{
	printf("hello from %s\n", UTEST_LIBC);
	return 0;
}
