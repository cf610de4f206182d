// SPDX-License-Identifier: GPL-2.0
/*
 * Where the x86 trap handler hands user faults to the processor manager:
 * page_fault_hook() sends a fault on a user address to the pcache, and
 * user_fault_hook() turns any other fault a program cannot survive into
 * the death of its process (signals arrive with the process issue).
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <asm/irq_vectors.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/page.h>
#include <mosaic/pcache.h>
#include <mosaic/process.h>

#define X86_EFLAGS_IF (1UL << 9)
#define PF_ERR_PRESENT (1UL << 0)
#define PF_ERR_WRITE (1UL << 1)

static const char *fault_reason(int err, unsigned long error_code)
{
	switch (err) {
	case -EFAULT:
		return "access to an unmapped address";
	case -EACCES:
		return error_code & PF_ERR_WRITE ? "write to a read-only page"
						 : "access against the page's protection";
	case -ENOSPC:
		return "out of pcache (every way of the set is being filled or evicted)";
	case -ENOMEM:
		return "out of memory for the page";
	default:
		return "page fill failed (memory node unreachable or bad reply)";
	}
}

bool page_fault_hook(struct pt_regs *regs, unsigned long cr2)
{
	struct process *proc = current_process();
	int err;

	if (!proc || !proc->mm || cr2 >= USER_SPACE_END)
		return false;
	/* The kernel touches user memory only in the user-copy helpers. */
	if (!user_mode(regs) && !search_exception_table(regs->rip))
		return false;
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_enable();	/* the fill may sleep on the memory node */
	err = pcache_handle_fault(proc->mm, cr2, regs->error_code);
	if (!err)
		return true;
	if (!user_mode(regs))
		return false;	/* the copy's fixup returns -EFAULT */
	process_kill_self(err == -EFAULT || err == -EACCES ? SIGSEGV : SIGBUS,
			  fault_reason(err, regs->error_code), cr2);
}

static int signal_for_trap(unsigned long vector)
{
	switch (vector) {
	case X86_TRAP_DE: case X86_TRAP_MF: case X86_TRAP_XF:
		return SIGFPE;
	case X86_TRAP_UD:
		return SIGILL;
	case X86_TRAP_DB: case X86_TRAP_BP:
		return SIGTRAP;
	case X86_TRAP_AC:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

bool user_fault_hook(struct pt_regs *regs)
{
	if (!current_process())
		return false;
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_enable();
	process_kill_self(signal_for_trap(regs->vector), exception_name(regs->vector), regs->rip);
}
