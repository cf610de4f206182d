// SPDX-License-Identifier: GPL-2.0
/*
 * Where the x86 trap handler hands user faults to the processor manager:
 * page_fault_hook() sends a fault on a user address to the pcache, and
 * user_fault_hook() turns any other fault into a signal: the program's
 * handler runs (si_code and si_addr as Linux gives them), or, when it has
 * none or blocks it, the process dies with a line saying why
 * (force_sig_fault_why(), include/mosaic/signal.h).
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
#include <mosaic/rpc.h>
#include <mosaic/signal.h>

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
	err = pcache_handle_user_fault(proc->mm, cr2, regs->error_code, regs->rip);
	if (!err)
		return true;
	if (!user_mode(regs))
		return false;	/* the copy's fixup returns -EFAULT */
	if (rpc_is_transport_error(err)) {	/* the home node is lost: so is the memory */
		memory_node_kill_process(proc, proc->mm->home_node, err);
		return true;	/* the thread leaves on its way back to user mode */
	}
	if (err == -EFAULT || err == -EACCES)
		force_sig_fault_why(SIGSEGV, err == -EFAULT ? SEGV_MAPERR : SEGV_ACCERR, cr2,
				    fault_reason(err, regs->error_code));
	else
		force_sig_fault_why(SIGBUS, BUS_ADRERR, cr2, fault_reason(err, regs->error_code));
	return true;	/* the handler runs on the way back to user mode */
}

/* The signal and si_code Linux gives for a trap; *addr becomes si_addr. */
static int signal_for_trap(const struct pt_regs *regs, int *code, unsigned long *addr)
{
	*addr = regs->rip;
	switch (regs->vector) {
	case X86_TRAP_DE:
		*code = FPE_INTDIV;
		return SIGFPE;
	case X86_TRAP_MF: case X86_TRAP_XF:
		*code = FPE_FLTINV;
		return SIGFPE;
	case X86_TRAP_UD:
		*code = ILL_ILLOPN;
		return SIGILL;
	case X86_TRAP_DB: case X86_TRAP_BP:
		*code = TRAP_BRKPT;
		return SIGTRAP;
	case X86_TRAP_AC:
		*code = BUS_ADRALN;
		return SIGBUS;
	default:	/* #GP and friends (si_addr: Linux says 0, we say where) */
		*code = SI_KERNEL;
		return SIGSEGV;
	}
}

bool user_fault_hook(struct pt_regs *regs)
{
	int sig, code;
	unsigned long addr;

	if (!current_process())
		return false;
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_enable();
	sig = signal_for_trap(regs, &code, &addr);
	force_sig_fault_why(sig, code, addr, exception_name(regs->vector));
	return true;
}
