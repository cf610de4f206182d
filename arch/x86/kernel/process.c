// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task user state (include/asm/thread.h): its allocation, the arch part
 * of the context switch, and the first entry into ring 3.
 *
 * What a switch saves for a task with user state (thread_has_user_state):
 *   FS base        MSR_FS_BASE, read back because the program may change it
 *   user GS base   MSR_KERNEL_GS_BASE (the kernel's own GS base is live)
 *   FPU/SSE/AVX    XSAVE or FXSAVE into t->arch.xstate
 * and for every task the address space (switch_mm). The general registers
 * are the scheduler's (switch.S) and the entry frame's business; TSS.RSP0
 * and the per-CPU kernel stack top are set by the scheduler core.
 */
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>
#include <asm/smap.h>
#include <asm/thread.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/panic.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#define FPU_AREA_ALIGN 64	/* XSAVE needs it (FXSAVE needs 16) */

__noreturn void enter_user_mode(unsigned long rip, unsigned long rsp,
				unsigned long kernel_stack_top);	/* entry.S */
__noreturn void ret_to_user_frame(struct pt_regs *regs);	/* entry.S */
void syscall_init_cpu(void);	/* syscall_64.c */

void cpu_user_mode_init(void)
{
	/*
	 * FS and GS hold the null selector from boot (head.S, and the AP
	 * trampoline never loads them): iretq to ring 3 then keeps their bases.
	 */
	fpu_init_cpu();
	syscall_init_cpu();
	cpu_protect_init_cpu();
}

/* Allocate the FPU area once; publish it only when it holds a valid state. */
static int thread_alloc_xstate(struct thread_arch *ta)
{
	void *block;
	void *area;

	if (ta->xstate)
		return 0;
	block = kmalloc(fpu_area_size() + FPU_AREA_ALIGN - 1);
	if (!block)
		return -ENOMEM;
	area = (void *)ALIGN_UP((unsigned long)block, FPU_AREA_ALIGN);
	fpu_area_init(area);
	ta->xstate_block = block;
	WRITE_ONCE(ta->xstate, area);
	return 0;
}

/*
 * Fresh-program state: init FPU, bases 0. Context: interrupts off when t is
 * current and already has user state (a switch would save the live
 * registers over what we write).
 */
static void thread_reset_user_state(struct thread_arch *ta)
{
	fpu_area_init(ta->xstate);
	ta->fs_base = 0;
	ta->gs_base = 0;
}

int arch_task_init_user(struct task *t)
{
	unsigned long flags;
	int err = thread_alloc_xstate(&t->arch);

	if (err)
		return err;
	flags = local_irq_save();
	thread_reset_user_state(&t->arch);
	local_irq_restore(flags);
	return 0;
}

struct pt_regs *task_user_regs(struct task *t)
{
	return (struct pt_regs *)task_stack_top(t) - 1;	/* entry.S builds it there */
}

void arch_task_free(struct task *t)
{
	kfree(t->arch.xstate_block);
	t->arch.xstate_block = NULL;
	t->arch.xstate = NULL;
}

/* Context: interrupts off. */
static void save_user_state(struct thread_arch *ta)
{
	ta->fs_base = rdmsr(MSR_FS_BASE);
	ta->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	fpu_save(ta->xstate);
}

/* Context: interrupts off. */
static void load_user_state(const struct thread_arch *ta)
{
	wrmsr(MSR_FS_BASE, ta->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, ta->gs_base);
	fpu_restore(ta->xstate);
}

void arch_context_switch(struct task *prev, struct task *next)
{
	if (thread_has_user_state(&prev->arch))
		save_user_state(&prev->arch);
	switch_mm(prev->mm, next->mm);	/* nothing when both are kernel threads */
	if (thread_has_user_state(&next->arch))
		load_user_state(&next->arch);
}

__noreturn void arch_enter_user(unsigned long entry, unsigned long sp)
{
	struct task *self = current_task();

	BUG_ON(!(self->flags & TASK_OWNS_STACK));	/* entries from ring 3 land on it */
	WARN_ON(!self->mm);
	if (thread_alloc_xstate(&self->arch))
		panic("%s (pid %d): no memory for its FPU state", self->name, self->pid);
	local_irq_disable();	/* from here the registers are the program's */
	thread_reset_user_state(&self->arch);
	load_user_state(&self->arch);
	enter_user_mode(entry, sp, task_stack_top(self));
}

/*
 * Clone's arch half. The FPU registers and the FS/GS bases are live on this
 * CPU (eager switching), so they are read from the hardware, with
 * interrupts off so that no switch saves over them halfway. They go to
 * staged, not to the child: the child may be running (in the kernel) right
 * now, and a switch would save its own registers over them.
 */
int arch_copy_user_thread(struct task *child, struct thread_arch *staged,
			  const struct pt_regs *regs, unsigned long new_sp, bool set_tls,
			  unsigned long tls)
{
	struct pt_regs *child_regs = task_user_regs(child);
	unsigned long flags;
	int err = thread_alloc_xstate(staged);

	if (err)
		return err;
	flags = local_irq_save();
	fpu_save(staged->xstate);
	staged->fs_base = rdmsr(MSR_FS_BASE);
	staged->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	local_irq_restore(flags);
	if (set_tls)
		staged->fs_base = tls;
	*child_regs = *regs;	/* its place on the child's stack is kept free */
	child_regs->rax = 0;	/* the child's return value */
	if (new_sp)
		child_regs->rsp = new_sp;
	return 0;
}

void arch_thread_state_free(struct thread_arch *staged)
{
	kfree(staged->xstate_block);
	staged->xstate_block = NULL;
	staged->xstate = NULL;
}

__noreturn void arch_return_to_user(struct thread_arch *staged)
{
	struct task *self = current_task();

	BUG_ON(thread_has_user_state(&self->arch) || !staged->xstate || !self->mm);
	local_irq_disable();	/* from here the registers are the program's */
	self->arch = *staged;	/* the FPU area changes hands */
	load_user_state(&self->arch);
	ret_to_user_frame(task_user_regs(self));
}

void arch_exec_user_regs(struct pt_regs *regs, unsigned long entry, unsigned long sp)
{
	struct task *self = current_task();
	unsigned long flags = local_irq_save();

	thread_reset_user_state(&self->arch);
	load_user_state(&self->arch);
	local_irq_restore(flags);
	memset(regs, 0, offsetof(struct pt_regs, vector));	/* every general register */
	regs->rip = entry;
	regs->rsp = sp;
	regs->cs = GDT_USER_CS;
	regs->ss = GDT_USER_DS;
	regs->rflags = USER_RFLAGS_INIT;
}
