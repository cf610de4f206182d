/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IDT vector map. Vectors 0-31 are the CPU's exceptions. The LAPIC
 * orders pending interrupts by vector >> 4, so the IPIs and the timer sit
 * in the highest classes, above device interrupts.
 */
#ifndef _ASM_IRQ_VECTORS_H
#define _ASM_IRQ_VECTORS_H

#define NR_VECTORS 256
#define NR_EXCEPTION_VECTORS 32

/* Legacy ISA IRQs 0-15, routed through the IOAPIC. */
#define ISA_IRQ_VECTOR_BASE 0x20
#define NR_ISA_IRQS 16
/* The 8259 PICs are remapped here and masked: only their spurious IRQ 7/15 land here. */
#define PIC_VECTOR_BASE 0x30
/* Free for drivers (ioapic_route_gsi(), irq_request_vector()). */
#define DEVICE_VECTOR_FIRST 0x40
#define DEVICE_VECTOR_LAST 0xdf

#define LOCAL_TIMER_VECTOR 0xef
#define CALL_FUNCTION_VECTOR 0xfb
#define RESCHEDULE_VECTOR 0xfc
#define ERROR_APIC_VECTOR 0xfe
#define SPURIOUS_APIC_VECTOR 0xff	/* low nibble must be all ones on old CPUs */

/* Exception vectors by name. */
#define X86_TRAP_DE 0
#define X86_TRAP_DB 1
#define X86_TRAP_NMI 2
#define X86_TRAP_BP 3
#define X86_TRAP_UD 6
#define X86_TRAP_DF 8
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MF 16
#define X86_TRAP_AC 17
#define X86_TRAP_MC 18
#define X86_TRAP_XF 19

/* Interrupt-stack-table slots in the TSS (1-based as the IDT gate counts them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define NR_IST_STACKS 3

/* Stride of the entry stubs in entry.S: vector n starts at irq_entry_stubs + n * 16. */
#define IRQ_STUB_SIZE 16

#endif
