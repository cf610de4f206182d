// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of the SYSCALL entry (entry.S: entry_syscall_64), the MSRs
 * that route SYSCALL there, and arch_prctl(2).
 *
 * do_syscall_64() runs on the task's kernel stack with the user registers
 * saved as a struct pt_regs. The system call runs with interrupts on and a
 * zero preempt count, so it may sleep, be preempted, or end the task for
 * good (kthread_exit(): the frame is simply abandoned). On the way out,
 * with interrupts off again, a pending reschedule is served, and the entry
 * code is told whether SYSRET may restore the frame.
 */
#include <asm/desc.h>
#include <mosaic/signal.h>
#include <asm/entry.h>
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>
#include <uapi/arch_prctl.h>

#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_NT (1UL << 14)
#define X86_EFLAGS_RF (1UL << 16)
#define X86_EFLAGS_AC (1UL << 18)

/* Cleared on SYSCALL: no interrupts until the stack is ours, and sane string/trap flags. */
#define SYSCALL_FLAGS_MASK (X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_AC | \
			    X86_EFLAGS_NT)

BUILD_BUG_ON(offsetof(struct cpu_local, kernel_stack_top) != CPU_LOCAL_KERNEL_STACK_TOP);
BUILD_BUG_ON(offsetof(struct cpu_local, user_rsp_scratch) != CPU_LOCAL_USER_RSP_SCRATCH);
BUILD_BUG_ON(offsetof(struct pt_regs, vector) != PT_REGS_GPR_BYTES);
BUILD_BUG_ON(offsetof(struct pt_regs, rip) - offsetof(struct pt_regs, vector) != FRAME_RIP);
BUILD_BUG_ON(offsetof(struct pt_regs, cs) - offsetof(struct pt_regs, vector) != FRAME_CS);
BUILD_BUG_ON(offsetof(struct pt_regs, rflags) - offsetof(struct pt_regs, vector) != FRAME_RFLAGS);
BUILD_BUG_ON(offsetof(struct pt_regs, rsp) - offsetof(struct pt_regs, vector) != FRAME_RSP);

void entry_syscall_64(void);	/* entry.S */

/* Per CPU at bring-up: enable SYSCALL and point it at entry_syscall_64. */
void syscall_init_cpu(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSCALL: CS = 0x08, SS = 0x10. SYSRET: CS = 0x23, SS = 0x1b (asm/desc.h). */
	wrmsr(MSR_STAR, ((u64)STAR_SYSRET_BASE << 48) | ((u64)GDT_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_syscall_64);
	wrmsr(MSR_SFMASK, SYSCALL_FLAGS_MASK);
}

/*
 * SYSRET restores rip from rcx and rflags from r11 and nothing else of the
 * frame, and faults in ring 0 on a non-canonical rip. Anything it cannot
 * reproduce (a frame rewritten by a signal or sigreturn, single-stepping,
 * other selectors) leaves through iretq instead.
 */
static bool sysret_can_restore(const struct pt_regs *regs)
{
	return regs->rcx == regs->rip && regs->r11 == regs->rflags &&
	       regs->rip < USER_ADDR_END && regs->cs == GDT_USER_CS &&
	       regs->ss == GDT_USER_DS &&
	       !(regs->rflags & (X86_EFLAGS_TF | X86_EFLAGS_RF));
}

/* A system call must not return to user mode holding a spinlock. */
static void check_preempt_balance(unsigned long nr)
{
	if (likely(preempt_count() == 0))
		return;
	pr_err("syscall: %s (%lu) returned with preempt count %d; reset to 0\n",
	       syscall_name(nr) ?: "unknown", nr, preempt_count());
	this_cpu()->preempt_count = 0;
}

/* Last work before user mode. Context: interrupts off (schedule() keeps them off). */
static void exit_to_user_work(void)
{
	while (need_resched())
		schedule();
}

/*
 * Called by entry_syscall_64 with interrupts off. Returns with interrupts
 * off; true when the frame must be restored with iretq rather than SYSRET.
 */
bool do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->rax;

	local_irq_enable();
	syscall_dispatch(regs);
	exit_to_user_mode(regs);
	local_irq_disable();
	check_preempt_balance(nr);
	exit_to_user_work();
	return !sysret_can_restore(regs);
}

/* Bases must be user addresses: a kernel-half FS would let user code read the kernel's. */
static long set_user_base(u32 msr, unsigned long base)
{
	unsigned long flags;

	if (base >= USER_ADDR_END)
		return -EPERM;
	flags = local_irq_save();	/* the MSR and the saved copy change together */
	wrmsr(msr, base);
	if (msr == MSR_FS_BASE)
		current_task()->arch.fs_base = base;
	else
		current_task()->arch.gs_base = base;
	local_irq_restore(flags);
	return 0;
}

/* In the kernel the user GS base sits in KERNEL_GS_BASE (swapped at entry). */
SYSCALL_DEFINE2(arch_prctl, __NR_arch_prctl, int, code, unsigned long, addr)
{
	unsigned long __user *out = (unsigned long __user *)addr;

	switch (code) {
	case ARCH_SET_FS:
		return set_user_base(MSR_FS_BASE, addr);
	case ARCH_SET_GS:
		return set_user_base(MSR_KERNEL_GS_BASE, addr);
	case ARCH_GET_FS:
		return put_user(rdmsr(MSR_FS_BASE), out);
	case ARCH_GET_GS:
		return put_user(rdmsr(MSR_KERNEL_GS_BASE), out);
	default:
		return -EINVAL;
	}
}
