// SPDX-License-Identifier: GPL-2.0
/* Boot-relative time from the TSC (see include/mosaic/time.h). */
#include <asm/x86.h>
#include <mosaic/time.h>

u64 tsc_khz;
u64 boot_tsc;

/* A first estimate, from CPUID leaf 0x15 or 0x16 when the CPU reports it. */
static u64 cpuid_tsc_khz(void)
{
	u32 max, a, b, c, d;

	cpuid(0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, &a, &b, &c, &d);
		if (a && b && c)
			return (u64)c * b / a / 1000;
	}
	if (max >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if (a)
			return (u64)a * 1000;
	}
	return 0;
}

void time_early_init(void)
{
	boot_tsc = rdtsc();
	tsc_khz = cpuid_tsc_khz();
	if (!tsc_khz)
		tsc_khz = 2000000;	/* 2 GHz until calibrated */
}

u64 ktime_ns(void)
{
	u64 delta = rdtsc() - boot_tsc;

	/* Split to avoid both 64-bit overflow and 128-bit division. */
	return delta / tsc_khz * 1000000 + (delta % tsc_khz) * 1000000 / tsc_khz;
}

void udelay(u64 us)
{
	u64 end = rdtsc() + us * tsc_khz / 1000;

	while ((s64)(rdtsc() - end) < 0)
		cpu_relax();
}

void mdelay(u64 ms)
{
	udelay(ms * 1000);
}
