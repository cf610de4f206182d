// SPDX-License-Identifier: GPL-2.0
/* QEMU's isa-debug-exit device: lets a test boot end QEMU with a verdict. */
#include <asm/x86.h>
#include <mosaic/console.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4

void qemu_exit(u32 code)
{
	outl(QEMU_DEBUG_EXIT_PORT, code);
}
