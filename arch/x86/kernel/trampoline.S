/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secondary CPU start-up code. smpboot.c copies trampoline_start ..
 * trampoline_end to TRAMPOLINE_BASE (0x8000) and fills trampoline_params;
 * a STARTUP IPI with vector 0x08 starts the CPU there in real mode with
 * CS = 0x0800. The code climbs to protected mode with its own GDT, enables
 * PAE paging with a small page table that identity-maps the low 2 MiB (so
 * this page stays reachable) and shares the kernel's upper half, enters
 * long mode, and jumps to ap_entry64 in kernel text. That switches to the
 * kernel's own page table (the boot CPU's CR3) and stack, and calls
 * ap_start(struct cpu_local *).
 *
 * Addresses inside the copy are TRAMP(label): assembled as offsets from
 * trampoline_start and rebased to TRAMPOLINE_BASE.
 */
#include <asm/smpboot.h>

#define TRAMP(x) (TRAMPOLINE_BASE + ((x) - trampoline_start))
#define CR0_PE_PG_WP 0x80010001
#define CR0_CD_NW 0x60000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18

	.section .rodata, "a"		/* data to copy, never run in place */
	.balign 16
	.globl trampoline_start
trampoline_start:
	.code16
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tramp_gdt_ptr - trampoline_start
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $TRAMP(tramp_protected)

	.code32
tramp_protected:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl TRAMP(tp_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl TRAMP(tp_efer), %eax	/* the boot CPU's: LME, NXE, ... */
	movl TRAMP(tp_efer) + 4, %edx
	wrmsr
	movl %cr0, %eax
	andl $~CR0_CD_NW, %eax		/* INIT leaves caching off */
	orl $CR0_PE_PG_WP, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE64, $TRAMP(tramp_long)

	.code64
tramp_long:
	movq TRAMP(tp_entry), %rax
	jmp *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_ptr:
	.short tramp_gdt_end - tramp_gdt - 1
	.long TRAMP(tramp_gdt)

	/* struct trampoline_params (asm/smpboot.h): keep the two in step. */
	.balign 8
	.globl trampoline_params
trampoline_params:
tp_pml4:	.quad 0
tp_efer:	.quad 0
tp_cr4:		.quad 0
tp_kernel_cr3:	.quad 0
tp_entry:	.quad 0
tp_stack:	.quad 0
tp_cpu_local:	.quad 0
	.globl trampoline_end
trampoline_end:

	.section .text, "ax"
	.code64
	/* Still on the trampoline's page table: read every parameter first. */
	.globl ap_entry64
ap_entry64:
	movq TRAMP(tp_cr4), %rax
	movq %rax, %cr4
	movq TRAMP(tp_stack), %rsp
	movq TRAMP(tp_cpu_local), %rdi
	movq TRAMP(tp_kernel_cr3), %rax
	movq %rax, %cr3
	xorl %ebp, %ebp
	call ap_start
1:	hlt
	jmp 1b
