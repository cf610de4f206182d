/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segment descriptors, the per-CPU GDT and TSS, and the IDT
 * (arch/x86/kernel/gdt.c, idt.c).
 *
 * GDT layout (the SYSCALL/SYSRET order: STAR takes the kernel code selector
 * and, for SYSRET, the selector below user data):
 *   0x00 null, 0x08 kernel code 64, 0x10 kernel data,
 *   0x18 user data (RPL 3: 0x1b), 0x20 user code 64 (RPL 3: 0x23),
 *   0x28 TSS (two slots).
 */
#ifndef _ASM_DESC_H
#define _ASM_DESC_H

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_USER_DS 0x1b
#define GDT_USER_CS 0x23
#define GDT_TSS 0x28
#define GDT_ENTRIES 7

#ifndef __ASSEMBLY__
#include <mosaic/compiler.h>
#include <mosaic/types.h>

struct tss64 {
	u32 reserved0;
	u64 rsp[3];	/* rsp[0]: the stack for entries from user mode */
	u64 reserved1;
	u64 ist[7];	/* ist[n - 1] is IST slot n */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;	/* past the limit: no I/O permission bitmap */
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/*
 * Build the calling CPU's GDT and TSS (with its IST stacks) and load them
 * and the IDT. cpu is this CPU's logical number. Once per CPU.
 * Returns 0 or -ENOMEM (no memory for the IST stacks of a secondary CPU).
 */
int cpu_desc_setup(unsigned int cpu);
/* The boot CPU's traps, before anything else: the IDT and cpu_desc_setup(0). */
void trap_init(void);
/* Point the running CPU's TSS.RSP0 (stack for user-to-kernel entries) at top. */
void arch_set_kernel_stack(unsigned long top);

/* Fill the IDT shared by all CPUs (once); load it on this CPU. */
void idt_init(void);
void idt_load(void);

static inline void load_gdt(const struct desc_ptr *p) { __asm__ volatile("lgdt %0" :: "m"(*p)); }
static inline void load_idt(const struct desc_ptr *p) { __asm__ volatile("lidt %0" :: "m"(*p)); }
static inline void load_tr(u16 sel) { __asm__ volatile("ltr %0" :: "r"(sel)); }
#endif

#endif
