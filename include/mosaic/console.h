/* SPDX-License-Identifier: GPL-2.0 */
/* The serial console (16550 on COM1) and the QEMU exit device. */
#ifndef _MOSAIC_CONSOLE_H
#define _MOSAIC_CONSOLE_H

#include <mosaic/types.h>

void serial_init(void);
void serial_putc(char c);
/* Non-blocking read: a byte, or -1 when none is waiting. */
int serial_getc(void);
/*
 * Call notify (interrupt context, CPU 0) whenever received bytes wait; it
 * drains them with serial_getc(), under the same irq-safe lock as any
 * polling reader so no byte is read twice. 0, -EBUSY (already set),
 * -ENODEV (no IOAPIC: poll instead) or -ENOSPC (no vector).
 */
int serial_enable_rx_irq(void (*notify)(void));

/*
 * End a QEMU run with a verdict through isa-debug-exit (port 0xf4): QEMU exits
 * with status (code << 1) | 1, so success (code 0) is 1 and failure is 3.
 * On a machine without the device this returns and the caller halts.
 */
#define QEMU_EXIT_SUCCESS 0
#define QEMU_EXIT_FAILURE 1
void qemu_exit(u32 code);

#endif
