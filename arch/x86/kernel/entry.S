/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every way into the kernel from outside, and the way out to user mode.
 *
 * Interrupts and exceptions: every IDT vector has a 16-byte stub that makes
 * the stack look the same for all of them (an error code, 0 where the CPU
 * pushes none, then the vector number) and jumps to irq_common, which
 * saves the general registers as a struct pt_regs (include/asm/ptrace.h)
 * and calls x86_handle_trap(regs). The handler may edit the frame (an
 * exception fixup changes rip); irq_return restores from it and irets.
 * Entries from user mode (CPL 3 in the saved CS) swap GS on the way in and
 * out, so %gs:0 is always the kernel's per-CPU area while in the kernel.
 *
 * SYSCALL (entry_syscall_64): the CPU left rip in rcx and rflags in r11,
 * masked IF/DF/TF/AC/NT (SFMASK) and did not switch stacks. The stub swaps
 * GS, moves to the task's kernel stack, builds the same struct pt_regs as
 * an interrupt would (vector PT_VECTOR_SYSCALL) and calls do_syscall_64().
 * It returns through SYSRET, or through iretq when do_syscall_64() says
 * the frame cannot be restored by SYSRET.
 *
 * enter_user_mode: the first entry of a task into ring 3 (iretq).
 * ret_to_user_frame: a new thread's (clone's child) first entry, from a
 * frame already laid out at the top of its kernel stack.
 */
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/irq_vectors.h>
#include <asm/ptrace.h>

/* Vectors where the CPU pushes an error code itself. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			   (v) == 21 || (v) == 29 || (v) == 30)

/* struct pt_regs, from rax (pushed first) down to r15. */
.macro PUSH_GPRS
	pushq %rax
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
.endm

.macro POP_GPRS
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
.endm

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
	testb $1, x86_smap_enabled(%rip)
	jz 4f
	clac			/* a user-access window never spans a handler */
4:
	testb $3, FRAME_CS(%rsp)
	jz 1f
	swapgs
1:	PUSH_GPRS
	movq %rsp, %rdi
	xorl %ebp, %ebp		/* backtraces stop at the trap frame */
	call x86_handle_trap
	POP_GPRS
	/* rsp: the vector slot of a struct pt_regs. Interrupts are off. */
irq_return:
	testb $3, FRAME_CS(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp		/* vector and error code */
	iretq

	.text
	.globl entry_syscall_64
	.type entry_syscall_64, @function
entry_syscall_64:
	swapgs
	movq %rsp, %gs:CPU_LOCAL_USER_RSP_SCRATCH
	movq %gs:CPU_LOCAL_KERNEL_STACK_TOP, %rsp
	pushq $GDT_USER_DS			/* ss */
	pushq %gs:CPU_LOCAL_USER_RSP_SCRATCH	/* rsp */
	pushq %r11				/* rflags */
	pushq $GDT_USER_CS			/* cs */
	pushq %rcx				/* rip */
	pushq %rax				/* error code slot: the call number (signal restarts) */
	pushq $PT_VECTOR_SYSCALL		/* vector */
	PUSH_GPRS
	movq %rsp, %rdi
	xorl %ebp, %ebp
	call do_syscall_64	/* returns with interrupts off; true: leave by iretq */
	testb %al, %al
	jnz 3f
	POP_GPRS
	movq FRAME_RIP(%rsp), %rcx
	movq FRAME_RFLAGS(%rsp), %r11
	movq FRAME_RSP(%rsp), %rsp	/* the user stack, from here to sysret */
	swapgs
	sysretq
3:	POP_GPRS
	jmp irq_return
	.size entry_syscall_64, . - entry_syscall_64

/*
 * __noreturn void enter_user_mode(unsigned long rip, unsigned long rsp,
 *                                 unsigned long kernel_stack_top)
 * Interrupts off; user FS/GS bases and FPU state already loaded.
 */
	.globl enter_user_mode
	.type enter_user_mode, @function
enter_user_mode:
	cli
	movq %rdx, %rsp		/* nothing below the top is needed any more */
	pushq $GDT_USER_DS
	pushq %rsi
	pushq $USER_RFLAGS_INIT
	pushq $GDT_USER_CS
	pushq %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	swapgs
	iretq
	.size enter_user_mode, . - enter_user_mode

/*
 * __noreturn void ret_to_user_frame(struct pt_regs *regs)
 * regs: the frame at the top of this task's kernel stack (task_user_regs),
 * holding ring-3 selectors. Interrupts off; user FS/GS bases and FPU state
 * already loaded. Leaves like any interrupt returning to user mode.
 */
	.globl ret_to_user_frame
	.type ret_to_user_frame, @function
ret_to_user_frame:
	cli
	movq %rdi, %rsp		/* the frame is the stack's top: nothing above it */
	POP_GPRS
	jmp irq_return
	.size ret_to_user_frame, . - ret_to_user_frame
