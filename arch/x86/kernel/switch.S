/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The context switch between two tasks (kernel/sched/core.c).
 *
 * struct task *switch_context(struct task *prev, struct task *next)
 *   Saves the callee-saved registers on prev's stack and the stack pointer
 *   in prev->saved_sp (offset 0 of struct task), then loads next's and
 *   returns on next's stack. The return value, in whichever task resumes,
 *   is the task that was running before it (%rdi survives the switch).
 *   Caller-saved registers need no saving: the C caller expects them lost.
 *   Interrupts must be off.
 *
 * ret_from_kthread
 *   Where a new thread's first switch_context() returns to (the frame is
 *   built by stack_prepare_first_run() in kernel/sched/kthread.c):
 *   kthread_start(prev) finishes the switch and runs the thread.
 */
#define TASK_SAVED_SP 0

	.text
	.globl switch_context
	.type switch_context, @function
switch_context:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TASK_SAVED_SP(%rdi)
	movq	TASK_SAVED_SP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax
	ret
	.size switch_context, . - switch_context

	.globl ret_from_kthread
	.type ret_from_kthread, @function
ret_from_kthread:
	/* %rdi = prev, from switch_context; the stack is 16-byte aligned */
	call	kthread_start
	ud2
	.size ret_from_kthread, . - ret_from_kthread
