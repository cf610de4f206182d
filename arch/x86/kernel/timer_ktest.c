// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "timer": the LAPIC timer ticks on every CPU at CONFIG_HZ and
 * the calibrated TSC agrees with the PIT. Tolerances are wide because TCG
 * runs virtual CPUs as host threads that may be descheduled at any time.
 */
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/ktest.h>
#include <mosaic/percpu.h>
#include <mosaic/time.h>

KTEST(timer, calibration_is_plausible)
{
	KEXPECT(tsc_khz >= 100000 && tsc_khz <= 10000000);	/* 100 MHz .. 10 GHz */
	KEXPECT(lapic_timer_ticks_per_sec >= 1000000);
}

KTEST(timer, ticks_advance_on_every_cpu)
{
	u64 before[CONFIG_NR_CPUS];
	unsigned int cpu;

	KASSERT(!irqs_disabled());
	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(cpu_locals[cpu].timer_ticks);
	mdelay(50);	/* 5 ticks at 100 Hz */
	for_each_online_cpu(cpu) {
		u64 ticks = READ_ONCE(cpu_locals[cpu].timer_ticks) - before[cpu];

		if (!KEXPECT(ticks >= 2))
			ktest_fail(__FILE__, __LINE__, "CPU %u: %llu ticks in 50 ms", cpu, ticks);
	}
}

/* TSC time of a 100 ms busy-wait, read off the PIT: within 10%. */
KTEST(timer, tsc_agrees_with_pit)
{
	struct pit_stopwatch sw;
	unsigned long flags = local_irq_save();
	u64 end, us;

	pit_stopwatch_start(&sw);
	end = rdtsc() + 100 * tsc_khz;
	while ((s64)(rdtsc() - end) < 0)
		pit_stopwatch_update(&sw);
	pit_stopwatch_update(&sw);
	local_irq_restore(flags);
	us = sw.ticks * 1000000 / PIT_HZ;
	if (!KEXPECT(us >= 90000 && us <= 110000))
		ktest_fail(__FILE__, __LINE__, "100 ms of TSC took %llu us of PIT time", us);
}

/* 200 ms of TSC time should see 20 ticks at 100 Hz: accept 15%. */
KTEST(timer, tick_rate_agrees_with_tsc)
{
	u64 expected = 200ULL * CONFIG_HZ / 1000, before, ticks;

	before = READ_ONCE(this_cpu()->timer_ticks);
	mdelay(200);
	ticks = READ_ONCE(this_cpu()->timer_ticks) - before;
	if (!KEXPECT(ticks * 100 >= expected * 85 && ticks * 100 <= expected * 115))
		ktest_fail(__FILE__, __LINE__, "%llu ticks in 200 ms, expected %llu", ticks,
			   expected);
}

static unsigned int pit_irqs;

static void count_pit_irq(struct pt_regs *regs)
{
	pit_irqs++;
}

/* The PIT's IRQ 0 reaches us only through the MADT override (GSI 2 on QEMU). */
KTEST(timer, ioapic_delivers_the_pit_irq)
{
	int vector = irq_request_vector(count_pit_irq);

	KASSERT(vector > 0);
	pit_irqs = 0;
	KEXPECT_EQ(ioapic_route_isa_irq(0, vector, 0), 0);
	KEXPECT_EQ(pit_ch0_start_periodic(1000), 0);
	mdelay(50);	/* 50 interrupts at 1 kHz */
	pit_ch0_stop();
	KEXPECT_EQ(ioapic_mask_isa_irq(0), 0);
	irq_free_vector(vector);
	if (!KEXPECT(pit_irqs >= 10))
		ktest_fail(__FILE__, __LINE__, "%u PIT interrupts in 50 ms at 1 kHz", pit_irqs);
}

KTEST(timer, bad_routes_and_rates_are_refused)
{
	KEXPECT_EQ(ioapic_route_isa_irq(16, DEVICE_VECTOR_FIRST, 0), -EINVAL);
	KEXPECT_EQ(ioapic_route_isa_irq(0, 3, 0), -EINVAL);
	KEXPECT_EQ(ioapic_route_isa_irq(0, DEVICE_VECTOR_FIRST, CONFIG_NR_CPUS), -EINVAL);
	KEXPECT_EQ(ioapic_mask_isa_irq(99), -EINVAL);
	KEXPECT_EQ(pit_ch0_start_periodic(0), -EINVAL);
	KEXPECT_EQ(pit_ch0_start_periodic(10), -EINVAL);
}
