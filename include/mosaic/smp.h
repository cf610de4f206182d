/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiprocessor support (arch/x86/kernel/smpboot.c, smp.c): bringing up
 * the secondary CPUs, running functions on other CPUs, stopping them, and
 * the TLB shootdown the pcache uses.
 *
 * Cross-CPU calls run fn(arg) in interrupt context (interrupts off) on the
 * target. A caller that waits also serves calls aimed at itself while it
 * waits, so two CPUs that call each other with interrupts off do not
 * deadlock. They may be used from any context once smp_init() has run,
 * but fn must not sleep.
 */
#ifndef _MOSAIC_SMP_H
#define _MOSAIC_SMP_H

#include <mosaic/cpumask.h>
#include <mosaic/irq.h>
#include <mosaic/types.h>

typedef void (*smp_call_fn_t)(void *arg);

unsigned int smp_processor_id(void);

/* Start every CPU the MADT lists (up to CONFIG_NR_CPUS); boot CPU, once. */
void smp_init(void);
/* CPUs the firmware listed as enabled (capped at CONFIG_NR_CPUS). */
unsigned int nr_cpus_possible(void);

/*
 * Run fn(arg) on cpu (directly when cpu is this CPU). With wait, return
 * after it ran. Returns 0, -EINVAL (no such CPU, or it is offline or
 * fn is NULL) or -ENOMEM (no memory to queue a call without wait).
 */
int smp_call_function(unsigned int cpu, smp_call_fn_t fn, void *arg, bool wait);
/*
 * The same on every online CPU in mask (this one included when in mask).
 * A caller waiting with interrupts on halts after a few microseconds and
 * the target wakes it with an IPI (kind to vCPUs that share host cores).
 */
int smp_call_function_many(cpumask_t mask, smp_call_fn_t fn, void *arg, bool wait);
/* How many halted waiters the targets have woken so far (for tests). */
u64 smp_call_wakeups(void);
/* Is cpu's waiting caller halted right now? (for tests) */
bool smp_waiter_halted(unsigned int cpu);

/* Make cpu enter the scheduler soon (its interrupt exit runs sched_preempt_irq()). */
void smp_send_reschedule(unsigned int cpu);
/* Halt every other CPU through an NMI (panic). */
void smp_send_stop(void);

/*
 * Invalidate [start, end) in the TLBs of the CPUs in mask (this one too
 * when in mask) and return when all have done it. Large ranges flush the
 * whole TLB instead (global pages included).
 */
void flush_tlb_range_cpus(cpumask_t mask, unsigned long start, unsigned long end);
/*
 * Invalidate the n pages whose addresses are in pages[] in the TLBs of the
 * CPUs in mask, one invlpg each: for scattered pages (an eviction batch's
 * victims lie a set's stride apart) where the range covering them would
 * flush the whole TLB, which under TCG throws away every soft TLB entry.
 */
void flush_tlb_pages_cpus(cpumask_t mask, const unsigned long *pages, unsigned int n);
/* This CPU only. */
void flush_tlb_range_local(unsigned long start, unsigned long end);
void flush_tlb_all_local(void);

#endif
