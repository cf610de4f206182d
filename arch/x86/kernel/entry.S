/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception entry. Every IDT vector has a 16-byte stub that
 * makes the stack look the same for all of them (an error code, 0 where the
 * CPU pushes none, then the vector number) and jumps to irq_common, which
 * saves the general registers as a struct pt_regs (include/asm/ptrace.h)
 * and calls x86_handle_trap(regs). The handler may edit the frame (an
 * exception fixup changes rip); irq_common restores from it and irets.
 *
 * Entries from user mode swap GS so %gs:0 is the kernel's per-CPU area.
 */
#include <asm/irq_vectors.h>

/* Offsets into the frame once the stub has pushed error code and vector. */
#define FRAME_CS 24

/* Vectors where the CPU pushes an error code itself. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			   (v) == 21 || (v) == 29 || (v) == 30)

	.section .text.entry, "ax"
	.balign IRQ_STUB_SIZE
	.globl irq_entry_stubs
irq_entry_stubs:
	.set vec, 0
	.rept NR_VECTORS
	.balign IRQ_STUB_SIZE
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp irq_common
	.set vec, vec + 1
	.endr

irq_common:
	cld
	testb $3, FRAME_CS(%rsp)
	jz 1f
	swapgs
1:	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	xorl %ebp, %ebp		/* backtraces stop at the trap frame */
	call x86_handle_trap
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	testb $3, FRAME_CS(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp		/* vector and error code */
	iretq
