/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-task x86 state for user mode, and the ways into and out of ring 3
 * (arch/x86/kernel/process.c, fpu.c, syscall_64.c, entry.S).
 *
 * Every struct task embeds a struct thread_arch (zero for kernel threads).
 * A task gets user state the first time it enters user mode: an FPU/SSE/AVX
 * save area and its own FS and user GS bases. From then on the context
 * switch (arch_context_switch) saves and restores that state eagerly; a
 * kernel thread costs the switch nothing beyond a few tests.
 *
 * Entering user mode (a thread with an address space):
 *   current->mm = mm;
 *   switch_mm(NULL, mm);
 *   arch_enter_user(entry, user_stack_top);   // never returns
 * The program then runs in ring 3 until it makes a system call (SYSCALL:
 * syscall_dispatch() runs with interrupts on, on the task's kernel stack)
 * or is interrupted; both return to it. It leaves for good only when a
 * system call ends the task (kthread_exit(), or the process exit path).
 */
#ifndef _ASM_THREAD_H
#define _ASM_THREAD_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>

struct task;

struct thread_arch {
	unsigned long fs_base;	/* user FS base (MSR_FS_BASE) while switched out */
	unsigned long gs_base;	/* user GS base (MSR_KERNEL_GS_BASE in the kernel) */
	void *xstate;		/* FPU save area, 64-byte aligned; NULL: no user state */
	void *xstate_block;	/* the allocation xstate lies in (for kfree) */
};

/* The task has run (or is about to run) in user mode. */
static inline bool thread_has_user_state(const struct thread_arch *ta)
{
	return ta->xstate != NULL;
}

/*
 * Give t user state (an FPU area in the init state, FS/GS bases 0), ahead
 * of its first arch_enter_user(). Optional: arch_enter_user() does it when
 * it was not done. Returns 0 or -ENOMEM.
 */
int arch_task_init_user(struct task *t);

/*
 * The user registers a task saved on entry to the kernel (system call or
 * interrupt from ring 3), at the top of its kernel stack. Valid while the
 * task is in the kernel on behalf of its user code; a system call may edit
 * them (a signal frame, fork's child), and the way out honours every field.
 */
struct pt_regs *task_user_regs(struct task *t);

/* Free what arch_task_init_user() allocated (the scheduler's task free path). */
void arch_task_free(struct task *t);

/*
 * Start a fresh program in ring 3 at entry with stack pointer sp: general
 * registers zero, FPU in its init state (FCW 0x37f, MXCSR 0x1f80), FS and
 * GS bases 0, interrupts on. The caller has set current->mm and loaded it
 * with switch_mm(). Panics when no memory is left for the FPU area (use
 * arch_task_init_user() first to handle that as an error).
 */
__noreturn void arch_enter_user(unsigned long entry, unsigned long sp);

/*
 * Clone (kernel/fork.c), in the parent: write child's first user register
 * frame (the caller's own frame regs, with rax 0 and, when new_sp is not 0,
 * rsp new_sp) at the top of child's kernel stack, and save the caller's
 * live FPU state and FS/GS bases (FS base tls when set_tls) in staged, a
 * zeroed struct the child later adopts. Returns 0 or -ENOMEM. Free staged
 * with arch_thread_state_free() if the child never runs.
 */
struct pt_regs;
int arch_copy_user_thread(struct task *child, struct thread_arch *staged,
			  const struct pt_regs *regs, unsigned long new_sp, bool set_tls,
			  unsigned long tls);
void arch_thread_state_free(struct thread_arch *staged);

/*
 * The clone child's first entry into ring 3: adopt staged (the task has
 * no user state of its own until now) and iret through the frame
 * arch_copy_user_thread() wrote. The caller has current->mm loaded.
 */
__noreturn void arch_return_to_user(struct thread_arch *staged);

/*
 * Exec: make regs (the caller's own frame) start a fresh program at entry
 * with stack sp: general registers zero, rflags USER_RFLAGS_INIT; the FPU
 * goes to its init state and the FS/GS bases to 0 now. The system call
 * returns through iretq because rcx no longer equals rip.
 */
void arch_exec_user_regs(struct pt_regs *regs, unsigned long entry, unsigned long sp);

/*
 * The arch part of a task switch (kernel/sched/core.c, just before the
 * stacks change): address space, FS/GS bases, FPU state.
 * Context: interrupts off, this CPU's run-queue lock held.
 */
void arch_context_switch(struct task *prev, struct task *next);

/*
 * Per-CPU set-up for user mode, once on each CPU at bring-up: FPU control
 * bits and XCR0, the SYSCALL MSRs, null FS/GS selectors.
 */
void cpu_user_mode_init(void);

#endif
