// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 PIT's channel 2 as a reference clock of PIT_HZ: used to
 * calibrate the TSC at boot and, by the tests, to check time keeping.
 * Channel 2's gate is bit 0 of port 0x61; its count is read by polling,
 * without any interrupt.
 *
 * Channel 0 (ISA IRQ 0) is only used by tests, to check IOAPIC routing.
 *
 * Context: boot CPU, one user at a time (no lock: the boot sequence and
 * the tests are single-threaded).
 */
#include <asm/apic.h>
#include <asm/x86.h>
#include <mosaic/errno.h>

#define PIT_CH0_DATA 0x40
#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PIT_CTRL_PORT 0x61
#define CTRL_GATE2 0x01
#define CTRL_SPEAKER 0x02
#define MODE_CH2_LOHI_RATE 0xb4		/* channel 2, lobyte/hibyte, mode 2 */
#define MODE_CH2_LATCH 0x80
#define MODE_CH0_LOHI_RATE 0x34		/* channel 0, lobyte/hibyte, mode 2 */
#define MODE_CH0_LOHI_ONESHOT 0x30	/* channel 0, lobyte/hibyte, mode 0 */

static void pit_ch2_load(u8 mode, u16 count)
{
	u8 ctrl = inb(PIT_CTRL_PORT) & ~(CTRL_SPEAKER | CTRL_GATE2);

	outb(PIT_CTRL_PORT, ctrl);		/* gate low: hold the counter */
	outb(PIT_MODE, mode);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	outb(PIT_CTRL_PORT, ctrl | CTRL_GATE2);	/* gate high: count */
}

static u16 pit_ch2_read(void)
{
	u8 lo, hi;

	outb(PIT_MODE, MODE_CH2_LATCH);
	lo = inb(PIT_CH2_DATA);
	hi = inb(PIT_CH2_DATA);
	return ((u16)hi << 8) | lo;
}

void pit_stopwatch_start(struct pit_stopwatch *sw)
{
	pit_ch2_load(MODE_CH2_LOHI_RATE, 0);	/* 0 = 65536: the longest period */
	sw->ticks = 0;
	sw->last = pit_ch2_read();
}

/* The counter runs down and wraps at 65536: the distance travelled is last - now. */
void pit_stopwatch_update(struct pit_stopwatch *sw)
{
	u16 now = pit_ch2_read();

	sw->ticks += (u16)(sw->last - now);
	sw->last = now;
}

static void pit_ch0_load(u8 mode, u16 count)
{
	outb(PIT_MODE, mode);
	outb(PIT_CH0_DATA, count & 0xff);
	outb(PIT_CH0_DATA, count >> 8);
}

int pit_ch0_start_periodic(unsigned int hz)
{
	if (hz < 19 || hz > PIT_HZ / 2)	/* the divisor must fit in 16 bits and be >= 2 */
		return -EINVAL;
	pit_ch0_load(MODE_CH0_LOHI_RATE, PIT_HZ / hz);
	return 0;
}

/* Mode 0 with a count of 1: one last edge, then the output stays high. */
void pit_ch0_stop(void)
{
	pit_ch0_load(MODE_CH0_LOHI_ONESHOT, 1);
}
