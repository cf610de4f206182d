// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of trap entry: x86_handle_trap() sends interrupt vectors to
 * irq.c and handles the 32 exception vectors here.
 *
 * An exception goes, in order, to:
 *   1. page_fault_hook() for #PF (the pcache; weak default: not handled),
 *   2. the exception fixup table for #PF and #GP in kernel mode (probes,
 *      user copies: see include/asm/extable.h),
 *   3. user_fault_hook() for a fault in user mode (weak: not handled),
 *   4. die(): a report with the exception's name, vector, error code,
 *      symbolized RIP, CR2, CPU and task, the registers, then panic.
 */
#include <asm/extable.h>
#include <asm/irq_vectors.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <mosaic/panic.h>
#include <mosaic/signal.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/watchdog.h>

void irq_dispatch(struct pt_regs *regs);	/* irq.c */

static const char *const exception_names[NR_EXCEPTION_VECTORS] = {
	[0] = "divide error",		[1] = "debug",
	[2] = "NMI",			[3] = "breakpoint",
	[4] = "overflow",		[5] = "bound range exceeded",
	[6] = "invalid opcode",		[7] = "device not available",
	[8] = "double fault",		[9] = "coprocessor segment overrun",
	[10] = "invalid TSS",		[11] = "segment not present",
	[12] = "stack-segment fault",	[13] = "general protection fault",
	[14] = "page fault",		[15] = "reserved (15)",
	[16] = "x87 floating-point error", [17] = "alignment check",
	[18] = "machine check",		[19] = "SIMD floating-point error",
	[20] = "virtualization exception", [21] = "control protection",
	[22 ... 27] = "reserved",	[28] = "hypervisor injection",
	[29] = "VMM communication",	[30] = "security exception",
	[31] = "reserved (31)",
};

const char *exception_name(unsigned long vector)
{
	return vector < NR_EXCEPTION_VECTORS ? exception_names[vector] : "interrupt";
}

__attribute__((weak)) bool page_fault_hook(struct pt_regs *regs, unsigned long cr2)
{
	return false;
}

__attribute__((weak)) bool user_fault_hook(struct pt_regs *regs)
{
	return false;
}

/* The #PF error code in words: "write to a not-present page from kernel mode". */
static void print_pf_cause(u64 err)
{
	printk(KERN_EMERG "  %s %s page%s from %s mode\n",
	       err & (1 << 4) ? "instruction fetch from" : err & 2 ? "write to" : "read from",
	       err & 1 ? "a protected" : "a not-present",
	       err & (1 << 3) ? " (reserved bit set)" : "", err & 4 ? "user" : "kernel");
}

__noreturn void die(struct pt_regs *regs, const char *why)
{
	struct cpu_local *c = this_cpu();
	char sym[128];

	sprint_symbol(sym, sizeof(sym), regs->rip);
	printk(KERN_EMERG "%s: %s (vector %llu) error code %#llx at %s\n", why,
	       exception_name(regs->vector), regs->vector, regs->error_code, sym);
	if (regs->vector == X86_TRAP_PF) {
		printk(KERN_EMERG "  CR2 (faulting address) %#lx\n", (unsigned long)read_cr2());
		print_pf_cause(regs->error_code);
	}
	if (c->current)
		printk(KERN_EMERG "  on CPU %u, task %p\n", c->cpu, (void *)c->current);
	else
		printk(KERN_EMERG "  on CPU %u, no task yet (boot)\n", c->cpu);
	show_regs(regs);
	panic("fatal %s in %s mode at %s", exception_name(regs->vector),
	      user_mode(regs) ? "user" : "kernel", sym);
}

static bool try_hooks(struct pt_regs *regs)
{
	if (regs->vector == X86_TRAP_PF && page_fault_hook(regs, read_cr2()))
		return true;
	if (!user_mode(regs) && (regs->vector == X86_TRAP_PF || regs->vector == X86_TRAP_GP))
		return fixup_exception(regs);
	if (user_mode(regs))
		return user_fault_hook(regs);
	return false;
}

static void handle_exception(struct pt_regs *regs)
{
	if (regs->vector == X86_TRAP_NMI) {
		handle_nmi(regs);
		return;
	}
	if (try_hooks(regs))
		return;
	die(regs, "Oops");
}

void x86_handle_trap(struct pt_regs *regs)
{
	if (regs->vector < NR_EXCEPTION_VECTORS)
		handle_exception(regs);
	else
		irq_dispatch(regs);
	if (user_mode(regs)) {
		local_irq_enable();
		exit_to_user_mode(regs);	/* signals, group exit */
		local_irq_disable();
	}
}

volatile bool cpus_stopping;

void handle_nmi(struct pt_regs *regs)
{
	char sym[128];

	if (cpus_stopping) {
		this_cpu()->online = false;
		for (;;)	/* parked for good: another CPU panicked */
			halt();
	}
	if (watchdog_nmi(regs))
		return;
	sprint_symbol(sym, sizeof(sym), regs->rip);
	pr_warn("NMI on CPU %u at %s (unexpected; ignored)\n", this_cpu()->cpu, sym);
}
