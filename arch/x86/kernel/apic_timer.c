// SPDX-License-Identifier: GPL-2.0
/*
 * Time keeping at boot and the periodic tick. time_calibrate() measures
 * the TSC against the PIT (tsc_khz) and then the LAPIC timer against the
 * TSC. Every CPU runs its LAPIC timer periodically at CONFIG_HZ; each tick
 * counts this_cpu()->timer_ticks and calls sched_tick().
 */
#define pr_fmt(fmt) "time: " fmt

#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/x86.h>
#include <mosaic/irq.h>
#include <mosaic/panic.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/time.h>

#define CALIBRATE_MS 10
#define CALIBRATE_PIT_TICKS (PIT_HZ * CALIBRATE_MS / 1000)
#define CALIBRATE_ROUNDS 2

u32 lapic_timer_ticks_per_sec;

/* The fastest of a few rounds: a round can only be slowed down, never sped up. */
static u64 tsc_khz_from_pit(void)
{
	u64 best = 0;
	int i;

	for (i = 0; i < CALIBRATE_ROUNDS; i++) {
		u64 cycles = pit_measure_tsc(CALIBRATE_PIT_TICKS);

		if (cycles && (!best || cycles < best))
			best = cycles;
	}
	return best * PIT_HZ / CALIBRATE_PIT_TICKS / 1000;
}

static void calibrate_tsc(void)
{
	u64 khz = tsc_khz_from_pit();

	if (!khz) {
		pr_warn("PIT did not respond: keeping the TSC estimate of %llu kHz\n", tsc_khz);
		return;
	}
	tsc_khz = khz;
	pr_info("TSC %llu.%03llu MHz (calibrated against the PIT)\n", khz / 1000, khz % 1000);
}

/* LAPIC timer counts per second at divide-by-16, measured over CALIBRATE_MS of TSC time. */
static void calibrate_lapic_timer(void)
{
	u32 left;

	lapic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	lapic_write(APIC_TIMER_INIT, U32_MAX);
	mdelay(CALIBRATE_MS);
	left = lapic_read(APIC_TIMER_CURRENT);
	lapic_write(APIC_TIMER_INIT, 0);
	lapic_timer_ticks_per_sec = (U32_MAX - left) * (1000 / CALIBRATE_MS);
	if (lapic_timer_ticks_per_sec < CONFIG_HZ)
		panic("time: LAPIC timer does not count (%u per second)", lapic_timer_ticks_per_sec);
	pr_info("LAPIC timer %u.%03u MHz (divide 16); tick %u Hz\n",
		lapic_timer_ticks_per_sec / 1000000, lapic_timer_ticks_per_sec / 1000 % 1000,
		CONFIG_HZ);
}

static void lapic_timer_interrupt(struct pt_regs *regs)
{
	this_cpu()->timer_ticks++;
	sched_tick(regs);
}

void lapic_timer_start_cpu(void)
{
	lapic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, LOCAL_TIMER_VECTOR | APIC_TIMER_PERIODIC);
	lapic_write(APIC_TIMER_INIT, lapic_timer_ticks_per_sec / CONFIG_HZ);
}

void time_calibrate(void)
{
	calibrate_tsc();
	calibrate_lapic_timer();
	irq_set_handler(LOCAL_TIMER_VECTOR, lapic_timer_interrupt);
	lapic_timer_start_cpu();
}
