// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt vectors 32-255: a handler table, the dispatcher entry.S reaches
 * through x86_handle_trap(), and the weak scheduler hooks.
 *
 * Lock order: vector_lock is a leaf (taken with interrupts off). The
 * handler table is written under it and read without it: a slot changes
 * from NULL to a handler (or back) in one aligned store.
 */
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>

static irq_handler_t vector_handlers[NR_VECTORS];
static DEFINE_SPINLOCK(vector_lock);

__attribute__((weak)) void sched_tick(struct pt_regs *regs)
{
}

__attribute__((weak)) void sched_preempt_irq(struct pt_regs *regs)
{
}

/* Until the scheduler supplies its own: halt between interrupts for good. */
__attribute__((weak)) __noreturn void cpu_idle_loop(void)
{
	for (;;)
		__asm__ volatile("sti; hlt" ::: "memory");
}

int irq_set_handler(unsigned int vector, irq_handler_t handler)
{
	unsigned long flags;
	int err = 0;

	if (vector < NR_EXCEPTION_VECTORS || vector >= NR_VECTORS || !handler)
		return -EINVAL;
	flags = spin_lock_irqsave(&vector_lock);
	if (vector_handlers[vector])
		err = -EBUSY;
	else
		WRITE_ONCE(vector_handlers[vector], handler);
	spin_unlock_irqrestore(&vector_lock, flags);
	return err;
}

int irq_request_vector(irq_handler_t handler)
{
	unsigned int v;

	for (v = DEVICE_VECTOR_FIRST; v <= DEVICE_VECTOR_LAST; v++)
		if (irq_set_handler(v, handler) == 0)
			return (int)v;
	return -ENOSPC;
}

void irq_free_vector(unsigned int vector)
{
	if (vector >= NR_EXCEPTION_VECTORS && vector < NR_VECTORS)
		WRITE_ONCE(vector_handlers[vector], NULL);
}

/* The masked 8259 can still raise a spurious IRQ 7 or 15: never acknowledged. */
static bool is_pic_spurious(unsigned long vector)
{
	return vector >= PIC_VECTOR_BASE && vector < PIC_VECTOR_BASE + 16;
}

void irq_dispatch(struct pt_regs *regs)
{
	unsigned long vector = regs->vector;
	irq_handler_t handler = READ_ONCE(vector_handlers[vector]);

	this_cpu()->irq_count++;
	if (vector == SPURIOUS_APIC_VECTOR || is_pic_spurious(vector))
		return;	/* no EOI for spurious interrupts */
	if (handler)
		handler(regs);
	else
		pr_warn("irq: CPU %u: unexpected interrupt on vector %#lx\n", this_cpu()->cpu,
			vector);
	lapic_eoi();
	sched_preempt_irq(regs);
}
