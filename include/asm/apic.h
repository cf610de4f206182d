/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC (xAPIC, memory-mapped), the IOAPIC and the legacy 8259
 * and PIT chips (arch/x86/kernel/apic.c, ioapic.c, i8259.c, pit.c,
 * apic_timer.c).
 */
#ifndef _ASM_APIC_H
#define _ASM_APIC_H

#include <mosaic/types.h>

/* Local APIC register offsets. */
#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_SVR 0xf0
#define APIC_ESR 0x280
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0

#define APIC_SVR_ENABLE (1U << 8)
#define APIC_LVT_MASKED (1U << 16)
#define APIC_TIMER_PERIODIC (1U << 17)
#define APIC_TIMER_DIV_16 0x3

/* ICR delivery modes and flags. */
#define APIC_DM_FIXED 0x000
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600
#define APIC_ICR_BUSY (1U << 12)
#define APIC_ICR_ASSERT (1U << 14)
#define APIC_ICR_LEVEL (1U << 15)

u32 lapic_read(u32 reg);
void lapic_write(u32 reg, u32 val);
/* Enable this CPU's LAPIC: spurious vector, LVTs masked, TPR 0. */
void lapic_setup_cpu(void);
void lapic_eoi(void);
unsigned int lapic_id(void);
/* Send an ICR command (delivery mode | vector | flags) to one APIC id. */
void lapic_send_ipi(unsigned int apic_id, u32 icr_low);
/* False when the ICR stayed busy (the target never accepted the last IPI). */
bool lapic_wait_icr_idle(void);

/* Start the periodic timer on this CPU (after time_calibrate()). */
void lapic_timer_start_cpu(void);
extern u32 lapic_timer_ticks_per_sec;

void ioapic_init(void);
void i8259_disable(void);

/*
 * PIT channel 2 as a stopwatch. Poll pit_stopwatch_update() at least every
 * 50 ms; elapsed time is in PIT ticks (PIT_HZ per second).
 */
#define PIT_HZ 1193182ULL
struct pit_stopwatch {
	u16 last;
	u64 ticks;
};
void pit_stopwatch_start(struct pit_stopwatch *sw);
void pit_stopwatch_update(struct pit_stopwatch *sw);
/* Channel 0 raises ISA IRQ 0 at hz (19..PIT_HZ/2): 0 or -EINVAL. */
int pit_ch0_start_periodic(unsigned int hz);
void pit_ch0_stop(void);

#endif
