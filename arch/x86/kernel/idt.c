// SPDX-License-Identifier: GPL-2.0
/*
 * The IDT, one for all CPUs: every vector points at its stub in entry.S,
 * as an interrupt gate (interrupts stay off in the handler). #DF, NMI and
 * #MC switch to their own IST stacks (see gdt.c).
 */
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/traps.h>

#define GATE_INTERRUPT 0x8e	/* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

static struct idt_gate idt[NR_VECTORS] __aligned(16);

static unsigned int ist_of(unsigned int vector)
{
	switch (vector) {
	case X86_TRAP_DF:
		return IST_DOUBLE_FAULT;
	case X86_TRAP_NMI:
		return IST_NMI;
	case X86_TRAP_MC:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

static void set_gate(unsigned int vector, unsigned long handler)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->selector = GDT_KERNEL_CS;
	g->ist = ist_of(vector);
	g->type_attr = GATE_INTERRUPT;
	g->reserved = 0;
}

void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < NR_VECTORS; v++)
		set_gate(v, (unsigned long)irq_entry_stubs + v * IRQ_STUB_SIZE);
}

void idt_load(void)
{
	struct desc_ptr p = { .limit = sizeof(idt) - 1, .base = (u64)idt };

	load_idt(&p);
}
