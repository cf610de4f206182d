// SPDX-License-Identifier: GPL-2.0
/*
 * SMEP and SMAP (include/asm/smap.h): the CPU itself stops the kernel from
 * executing user pages and from touching user data outside the copy
 * helpers, so a stray user pointer in the kernel faults at once instead of
 * reading whatever a program placed there.
 *
 * The boot CPU decides from CPUID leaf 7 and every CPU sets the same CR4
 * bits at bring-up (cpu_user_mode_init()). The AP trampoline starts with
 * them off (smpboot.c masks them out of its CR4), since it runs from a low
 * page before this code turns them on.
 */
#include <asm/smap.h>
#include <asm/x86.h>
#include <mosaic/printk.h>

#define CPUID7_EBX_SMEP (1U << 7)
#define CPUID7_EBX_SMAP (1U << 20)

bool x86_smap_enabled;
static bool smep_enabled;

static u32 cpuid7_ebx(void)
{
	u32 a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
	if (a < 7)
		return 0;
	cpuid_count(7, 0, &a, &b, &c, &d);
	return b;
}

void cpu_protect_init_cpu(void)
{
	u32 features = cpuid7_ebx();
	u64 cr4 = read_cr4();

	if (features & CPUID7_EBX_SMEP) {
		cr4 |= X86_CR4_SMEP;
		smep_enabled = true;
	}
	if (features & CPUID7_EBX_SMAP) {
		__asm__ volatile("clac" ::: "memory");	/* no window open by accident */
		cr4 |= X86_CR4_SMAP;
		x86_smap_enabled = true;
	}
	write_cr4(cr4);
}

void cpu_protect_report(void)
{
	pr_info("x86: SMEP %s, SMAP %s\n", smep_enabled ? "on" : "not supported by this CPU",
		x86_smap_enabled ? "on" : "not supported by this CPU");
}
