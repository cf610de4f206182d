// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC in xAPIC mode: registers through an uncached mapping of
 * its MMIO page, per-CPU setup, EOI and sending IPIs. apic_init() is the
 * boot step that brings up the interrupt controllers: ACPI's MADT, this
 * LAPIC, the 8259s (masked for good) and the IOAPICs (all pins masked).
 *
 * Lock rules: the ICR is written as a pair (destination, then command), so
 * lapic_send_ipi() runs with interrupts off; each CPU has its own LAPIC,
 * so no lock is needed.
 */
#define pr_fmt(fmt) "apic: " fmt

#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/x86.h>
#include <mosaic/acpi.h>
#include <mosaic/irq.h>
#include <mosaic/panic.h>
#include <mosaic/percpu.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>

#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ULL
#define ICR_IDLE_SPINS 10000000

static volatile u32 *lapic_regs;

u32 lapic_read(u32 reg)
{
	return lapic_regs[reg / 4];
}

void lapic_write(u32 reg, u32 val)
{
	lapic_regs[reg / 4] = val;
}

unsigned int lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

bool lapic_wait_icr_idle(void)
{
	int spins;

	for (spins = 0; spins < ICR_IDLE_SPINS; spins++) {
		if (!(lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY))
			return true;
		cpu_relax();
	}
	return false;
}

void lapic_send_ipi(unsigned int apic_id, u32 icr_low)
{
	unsigned long flags;

	if (unlikely(!lapic_regs))
		return;	/* before apic_init(): no other CPU is up to receive it */
	flags = local_irq_save();
	if (!lapic_wait_icr_idle())
		pr_warn("CPU %u: ICR still busy; sending anyway\n", this_cpu()->cpu);
	lapic_write(APIC_ICR_HIGH, apic_id << 24);
	lapic_write(APIC_ICR_LOW, icr_low);
	local_irq_restore(flags);
}

static void lapic_error_interrupt(struct pt_regs *regs)
{
	u32 esr;

	lapic_write(APIC_ESR, 0);	/* latch the error bits */
	esr = lapic_read(APIC_ESR);
	pr_warn("CPU %u: APIC error, ESR %#x\n", this_cpu()->cpu, esr);
}

void lapic_setup_cpu(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);	/* ExtINT from the 8259: off */
	lapic_write(APIC_LVT_LINT1, APIC_DM_NMI);
	lapic_write(APIC_LVT_ERROR, ERROR_APIC_VECTOR);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	lapic_eoi();
}

static void lapic_map(void)
{
	u64 pa = acpi_madt_found ? acpi_madt.lapic_address : 0;

	if (!pa)
		pa = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
	lapic_regs = ioremap(pa, PAGE_SIZE);
	if (!lapic_regs)
		panic("apic: cannot map the local APIC at %#llx", pa);
}

static void check_cpu_has_apic(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1U << 9)))
		panic("apic: this CPU has no local APIC; Mosaic needs one");
}

void apic_init(void)
{
	check_cpu_has_apic();
	acpi_init();
	lapic_map();
	irq_set_handler(ERROR_APIC_VECTOR, lapic_error_interrupt);
	lapic_setup_cpu();
	this_cpu()->apic_id = lapic_id();
	i8259_disable();
	ioapic_init();
	pr_info("local APIC %u at %p, version %#x\n", this_cpu()->apic_id, (void *)lapic_regs,
		lapic_read(APIC_VERSION) & 0xff);
}
