// SPDX-License-Identifier: GPL-2.0
/*
 * Time keeping at boot and the periodic tick. time_calibrate() measures
 * the TSC against the PIT (tsc_khz) and then the LAPIC timer against the
 * TSC. Every CPU runs its LAPIC timer periodically at CONFIG_HZ; each tick
 * counts this_cpu()->timer_ticks and calls watchdog_tick() and sched_tick().
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
#include <mosaic/watchdog.h>

#define CALIBRATE_MS 5	/* 5966 PIT ticks */
#define CALIBRATE_PIT_TICKS (PIT_HZ * CALIBRATE_MS / 1000)
#define SAMPLE_TRIES 8

u32 lapic_timer_ticks_per_sec;

/* A clock's reading and the TSC at the moment it was taken. */
struct clock_sample {
	u64 tsc;
	u64 value;
};

/*
 * Read a clock between two TSC reads, a few times, and keep the reading
 * with the narrowest bracket. Its TSC time (the bracket's middle) is then
 * exact to a few microseconds even when the vCPU was descheduled during some
 * tries: timing the readings, not the wait between them, is what lets a
 * 5 ms window calibrate to better than 0.1%.
 */
static struct clock_sample sample_clock(u64 (*read)(void *arg), void *arg)
{
	struct clock_sample best = { 0 };
	u64 best_gap = U64_MAX, before, after, value;
	int i;

	for (i = 0; i < SAMPLE_TRIES; i++) {
		before = rdtsc();
		value = read(arg);
		after = rdtsc();
		if (after - before < best_gap) {
			best_gap = after - before;
			best.tsc = before + best_gap / 2;
			best.value = value;
		}
	}
	return best;
}

static u64 read_pit_ticks(void *stopwatch)
{
	struct pit_stopwatch *sw = stopwatch;

	pit_stopwatch_update(sw);
	return sw->ticks;
}

/* TSC kHz from CALIBRATE_MS of PIT time; 0 when the PIT does not count. */
static u64 tsc_khz_from_pit(void)
{
	u64 give_up = rdtsc() + 20 * CALIBRATE_MS * tsc_khz;	/* at the first estimate */
	struct clock_sample start, end;
	struct pit_stopwatch sw;

	pit_stopwatch_start(&sw);
	start = sample_clock(read_pit_ticks, &sw);
	while (read_pit_ticks(&sw) - start.value < CALIBRATE_PIT_TICKS)
		if ((s64)(rdtsc() - give_up) > 0)
			return 0;
	end = sample_clock(read_pit_ticks, &sw);
	return (end.tsc - start.tsc) * PIT_HZ / (end.value - start.value) / 1000;
}

/*
 * The PIT's 16-bit count wraps every 55 ms: a vCPU descheduled that long
 * (a loaded TCG host) misses whole wraps, counts too few ticks and reads
 * the TSC as far too fast (264 GHz was seen). Missed wraps only ever
 * inflate the result, so the slowest of a few tries is the right one.
 */
#define CALIBRATE_TRIES 3

static u64 tsc_khz_from_pit_tries(void)
{
	u64 khz, best = 0;

	for (int i = 0; i < CALIBRATE_TRIES; i++) {
		khz = tsc_khz_from_pit();
		if (khz && (!best || khz < best))
			best = khz;
	}
	return best;
}

static void calibrate_tsc(void)
{
	u64 khz = tsc_khz_from_pit_tries();

	if (!khz) {
		pr_warn("PIT did not respond: keeping the TSC estimate of %llu kHz\n", tsc_khz);
		return;
	}
	tsc_khz = khz;
	pr_info("TSC %llu.%03llu MHz (calibrated against the PIT)\n", khz / 1000, khz % 1000);
}

static u64 read_lapic_count(void *unused)
{
	return lapic_read(APIC_TIMER_CURRENT);
}

/* LAPIC timer counts per second at divide-by-16, over about CALIBRATE_MS of TSC time. */
static void calibrate_lapic_timer(void)
{
	struct clock_sample start, end;

	lapic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	lapic_write(APIC_TIMER_INIT, U32_MAX);
	start = sample_clock(read_lapic_count, NULL);
	mdelay(CALIBRATE_MS);
	end = sample_clock(read_lapic_count, NULL);
	lapic_write(APIC_TIMER_INIT, 0);
	/* the timer counts down */
	lapic_timer_ticks_per_sec = (start.value - end.value) * tsc_khz * 1000 /
				    (end.tsc - start.tsc);
	if (lapic_timer_ticks_per_sec < CONFIG_HZ)
		panic("time: LAPIC timer does not count (%u per second)", lapic_timer_ticks_per_sec);
	pr_info("LAPIC timer %u.%03u MHz (divide 16); tick %u Hz\n",
		lapic_timer_ticks_per_sec / 1000000, lapic_timer_ticks_per_sec / 1000 % 1000,
		CONFIG_HZ);
}

static void lapic_timer_interrupt(struct pt_regs *regs)
{
	this_cpu()->timer_ticks++;
	watchdog_tick(regs);
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
