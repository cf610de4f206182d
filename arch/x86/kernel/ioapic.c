// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPICs from the MADT: every pin masked at boot; ISA IRQs routed on
 * request (ioapic_route_isa_irq()), following the MADT's source overrides
 * (QEMU, for one, wires the PIT's IRQ 0 to GSI 2).
 *
 * Lock order: ioapic_lock is a leaf, taken with interrupts off. It keeps
 * the select-then-access register pairs whole.
 */
#define pr_fmt(fmt) "ioapic: " fmt

#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <mosaic/acpi.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/percpu.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_REDIR(pin) (0x10 + 2 * (pin))

#define REDIR_MASKED (1U << 16)
#define REDIR_LEVEL (1U << 15)
#define REDIR_ACTIVE_LOW (1U << 13)

/* MPS INTI flags in MADT overrides. */
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_MASK 0xc
#define INTI_TRIGGER_LEVEL 0xc

struct ioapic {
	volatile u32 *regs;
	u32 gsi_base;
	unsigned int nr_pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static DEFINE_SPINLOCK(ioapic_lock);

/* Context: ioapic_lock held. */
static u32 ioapic_read(struct ioapic *io, u32 reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

/* Context: ioapic_lock held. */
static void ioapic_write(struct ioapic *io, u32 reg, u32 val)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = val;
}

/* Context: ioapic_lock held. */
static void write_redirection(struct ioapic *io, unsigned int pin, u32 low, u32 high)
{
	ioapic_write(io, IOAPIC_REG_REDIR(pin), REDIR_MASKED);	/* never half-written live */
	ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, high);
	ioapic_write(io, IOAPIC_REG_REDIR(pin), low);
}

static void ioapic_setup_one(const struct acpi_ioapic *desc)
{
	struct ioapic *io = &ioapics[nr_ioapics];
	unsigned long flags;
	unsigned int pin;

	io->regs = ioremap(desc->address, PAGE_SIZE);
	if (!io->regs) {
		pr_warn("IOAPIC %u at %#x cannot be mapped; skipped\n", desc->id, desc->address);
		return;
	}
	io->gsi_base = desc->gsi_base;
	flags = spin_lock_irqsave(&ioapic_lock);
	io->nr_pins = ((ioapic_read(io, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
	for (pin = 0; pin < io->nr_pins; pin++)
		write_redirection(io, pin, REDIR_MASKED, 0);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	nr_ioapics++;
}

void ioapic_init(void)
{
	unsigned int i;

	for (i = 0; i < acpi_madt.nr_ioapics; i++)
		ioapic_setup_one(&acpi_madt.ioapics[i]);
	if (!nr_ioapics)
		pr_warn("no IOAPIC: device interrupts are unavailable\n");
}

static struct ioapic *ioapic_for_gsi(u32 gsi, unsigned int *pin)
{
	unsigned int i;

	for (i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

/* The GSI and redirection flags of an ISA IRQ: identity, edge, active high unless overridden. */
static u32 isa_irq_to_gsi(unsigned int irq, u32 *redir_flags)
{
	unsigned int i;

	*redir_flags = 0;
	for (i = 0; i < acpi_madt.nr_overrides; i++) {
		const struct acpi_irq_override *o = &acpi_madt.overrides[i];

		if (o->isa_irq != irq)
			continue;
		if ((o->flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
			*redir_flags |= REDIR_ACTIVE_LOW;
		if ((o->flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
			*redir_flags |= REDIR_LEVEL;
		return o->gsi;
	}
	return irq;
}

static int program_isa_irq(unsigned int irq, u32 low_bits, u32 high)
{
	unsigned long flags;
	struct ioapic *io;
	unsigned int pin;
	u32 redir_flags;
	u32 gsi = isa_irq_to_gsi(irq, &redir_flags);

	io = ioapic_for_gsi(gsi, &pin);
	if (!io)
		return -ENODEV;
	flags = spin_lock_irqsave(&ioapic_lock);
	write_redirection(io, pin, low_bits | redir_flags, high);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int ioapic_route_isa_irq(unsigned int irq, unsigned int vector, unsigned int cpu)
{
	if (irq >= NR_ISA_IRQS || vector < NR_EXCEPTION_VECTORS || vector >= NR_VECTORS ||
	    cpu >= CONFIG_NR_CPUS || !cpu_locals[cpu].online)
		return -EINVAL;
	return program_isa_irq(irq, vector, cpu_locals[cpu].apic_id << 24);
}

int ioapic_mask_isa_irq(unsigned int irq)
{
	if (irq >= NR_ISA_IRQS)
		return -EINVAL;
	return program_isa_irq(irq, REDIR_MASKED, 0);
}
