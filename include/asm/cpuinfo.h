/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who made the CPU we run on, and what it calls itself: CPUID's vendor
 * string, family/model/stepping and the brand string ("model name"). For the
 * boot banner, the benchmark header and quirks such as the INIT delay.
 */
#ifndef _ASM_CPUINFO_H
#define _ASM_CPUINFO_H

#include <mosaic/types.h>

struct cpu_ident {
	char vendor[13];	/* "GenuineIntel", "AuthenticAMD", ... */
	char model_name[49];	/* the brand string, trimmed; the vendor if there is none */
	unsigned int family;	/* with the extended family folded in */
	unsigned int model;	/* with the extended model folded in */
	unsigned int stepping;
};

/* Fill id from CPUID on the calling CPU. */
void cpu_identify(struct cpu_ident *id);

/* Does this CPU start an AP right after INIT, without the MP spec's 10 ms wait? */
bool cpu_skips_init_delay(const struct cpu_ident *id);

#endif
