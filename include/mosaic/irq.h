/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts: vector handlers, the timer tick and the hooks the scheduler
 * fills in (arch/x86/kernel/irq.c, apic_timer.c).
 *
 * A handler runs with interrupts off on the CPU that took the interrupt.
 * The LAPIC is acknowledged (EOI) after the handler returns; then
 * sched_preempt_irq() may switch tasks before the interrupted code resumes.
 */
#ifndef _MOSAIC_IRQ_H
#define _MOSAIC_IRQ_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>

struct pt_regs;

typedef void (*irq_handler_t)(struct pt_regs *regs);

/*
 * Install handler for vector (32..255). Returns 0, -EINVAL for an exception
 * vector or a NULL handler, -EBUSY when the vector already has one.
 */
int irq_set_handler(unsigned int vector, irq_handler_t handler);
/* Take a free vector in DEVICE_VECTOR_FIRST..LAST for handler: vector or -ENOSPC. */
int irq_request_vector(irq_handler_t handler);
void irq_free_vector(unsigned int vector);

/*
 * Route ISA IRQ irq (0-15) through the IOAPIC to vector on CPU cpu, honouring
 * the MADT's interrupt source overrides. 0, -EINVAL or -ENODEV (no IOAPIC).
 */
int ioapic_route_isa_irq(unsigned int irq, unsigned int vector, unsigned int cpu);
int ioapic_mask_isa_irq(unsigned int irq);

/* Ticks of the periodic LAPIC timer, CONFIG_HZ per second on every CPU. */
#define TICK_NSEC (NSEC_PER_SEC / CONFIG_HZ)

/*
 * Scheduler hooks, called by arch code. Weak empty defaults live in
 * arch/x86/kernel/irq.c; kernel/sched/ provides the real ones.
 *   sched_tick():        every timer tick, interrupt context.
 *   sched_preempt_irq(): at the end of every interrupt, after the EOI.
 *   cpu_idle_loop():     where each secondary CPU goes once it is online.
 */
void sched_tick(struct pt_regs *regs);
void sched_preempt_irq(struct pt_regs *regs);
__noreturn void cpu_idle_loop(void);

/* Boot steps (kernel/main.c), in this order, after mm_init(). */
void apic_init(void);		/* MADT, LAPIC, IOAPIC, 8259 off */
void time_calibrate(void);	/* TSC against the PIT, LAPIC timer against the TSC */

#endif
