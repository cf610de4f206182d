// SPDX-License-Identifier: GPL-2.0
/*
 * boot_mark: prints one line at once and exits. scripts/bench-compare runs
 * it first on Mosaic and stamps the host time its line reaches the serial
 * port: "boot to first user instruction" (on Linux the same line comes from
 * /init, scripts/linux/init.sh, before anything else).
 */
#include <stdio.h>

int main(void)
{
	puts("bench-boot: first user line");
	return 0;
}
