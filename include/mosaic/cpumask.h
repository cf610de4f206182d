/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of CPUs as a 64-bit mask (CONFIG_NR_CPUS is at most 64): bit n is
 * logical CPU n. Passed by value; the helpers never touch shared state.
 *
 *   cpumask_t m = cpu_online_mask();
 *   cpumask_clear_cpu(&m, smp_processor_id());
 *   for_each_cpu_in(cpu, m) ...
 */
#ifndef _MOSAIC_CPUMASK_H
#define _MOSAIC_CPUMASK_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>

typedef u64 cpumask_t;

BUILD_BUG_ON(CONFIG_NR_CPUS > 64);

#define CPUMASK_NONE ((cpumask_t)0)

static inline cpumask_t cpumask_of(unsigned int cpu) { return (cpumask_t)1 << cpu; }
static inline void cpumask_set_cpu(cpumask_t *m, unsigned int cpu) { *m |= cpumask_of(cpu); }
static inline void cpumask_clear_cpu(cpumask_t *m, unsigned int cpu) { *m &= ~cpumask_of(cpu); }
static inline bool cpumask_test_cpu(cpumask_t m, unsigned int cpu)
{
	return cpu < 64 && (m & cpumask_of(cpu));
}
static inline bool cpumask_empty(cpumask_t m) { return m == 0; }
/* Counted by hand: the kernel links without libgcc's popcount. */
static inline unsigned int cpumask_weight(cpumask_t m)
{
	unsigned int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* The lowest CPU in m at or above cpu, or 64 when there is none. */
static inline unsigned int cpumask_next(cpumask_t m, unsigned int cpu)
{
	if (cpu >= 64)
		return 64;
	m &= ~(u64)0 << cpu;
	return m ? (unsigned int)__builtin_ctzll(m) : 64;
}

#define for_each_cpu_in(cpu, m)                                                \
	for ((cpu) = cpumask_next((m), 0); (cpu) < 64; (cpu) = cpumask_next((m), (cpu) + 1))

/* The CPUs that are online now (a snapshot; arch/x86/kernel/smp.c). */
cpumask_t cpu_online_mask(void);

#endif
