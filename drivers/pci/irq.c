// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy PCI interrupts (INTx). On PC chipsets the firmware links each
 * INTx pin to an ISA IRQ and writes it into the function's interrupt-line
 * register; QEMU's MADT marks those IRQs level-triggered, and
 * ioapic_route_isa_irq() honours that. Functions on one line share it:
 * every interrupt calls each handler registered on the line, in order.
 *
 * Lock order: pci_irq_lock is a leaf, taken with interrupts off. The
 * interrupt path reads a line's handlers without it: a slot is filled
 * before the count that publishes it is raised, and slots are never freed.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <asm/irq_vectors.h>
#include <asm/ptrace.h>
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/pci.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>

#define PCI_IRQ_MAX_SHARERS 4

struct pci_irq_action {
	void (*handler)(void *arg);
	void *arg;
};

struct pci_irq_line {
	unsigned int vector;		/* 0: not routed yet */
	unsigned int nr_actions;
	struct pci_irq_action actions[PCI_IRQ_MAX_SHARERS];
};

static struct pci_irq_line irq_lines[NR_ISA_IRQS];
static DEFINE_SPINLOCK(pci_irq_lock);

static void pci_intx_interrupt(struct pt_regs *regs)
{
	unsigned int line, i, n;

	for (line = 0; line < NR_ISA_IRQS; line++) {
		struct pci_irq_line *l = &irq_lines[line];

		if (READ_ONCE(l->vector) != regs->vector)
			continue;
		n = READ_ONCE(l->nr_actions);
		barrier();
		for (i = 0; i < n; i++)
			l->actions[i].handler(l->actions[i].arg);
	}
}

/* Context: pci_irq_lock held. Gives line a vector and an IOAPIC route on CPU 0. */
static int route_line(unsigned int line, struct pci_irq_line *l)
{
	int vector, err;

	vector = irq_request_vector(pci_intx_interrupt);
	if (vector < 0)
		return vector;
	WRITE_ONCE(l->vector, (unsigned int)vector);
	err = ioapic_route_isa_irq(line, (unsigned int)vector, 0);
	if (err) {
		WRITE_ONCE(l->vector, 0);
		irq_free_vector((unsigned int)vector);
	}
	return err;
}

/* Context: pci_irq_lock held. */
static int add_action(unsigned int line, void (*handler)(void *arg), void *arg)
{
	struct pci_irq_line *l = &irq_lines[line];
	int err;

	if (l->nr_actions == PCI_IRQ_MAX_SHARERS)
		return -ENOSPC;
	l->actions[l->nr_actions].handler = handler;
	l->actions[l->nr_actions].arg = arg;
	barrier();	/* the slot is whole before the interrupt path can see it */
	WRITE_ONCE(l->nr_actions, l->nr_actions + 1);
	if (l->vector)
		return 0;
	err = route_line(line, l);
	if (err)
		WRITE_ONCE(l->nr_actions, l->nr_actions - 1);
	return err;
}

int pci_request_irq(struct pci_dev *dev, void (*handler)(void *arg), void *arg)
{
	unsigned long flags;
	int err;

	if (!handler)
		return -EINVAL;
	if (!dev->irq_pin || dev->irq_line >= NR_ISA_IRQS)
		return -ENODEV;
	flags = spin_lock_irqsave(&pci_irq_lock);
	err = add_action(dev->irq_line, handler, arg);
	spin_unlock_irqrestore(&pci_irq_lock, flags);
	return err;
}
