/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trap entry and exception handling (arch/x86/kernel/entry.S, traps.c).
 *
 * entry.S builds a struct pt_regs for every vector and calls
 * x86_handle_trap(). Exceptions go to the page-fault hook, the exception
 * fixup table, the user-mode hook, and otherwise end in die() (a kernel
 * fault is fatal: panic with the full report).
 */
#ifndef _ASM_TRAPS_H
#define _ASM_TRAPS_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>

struct pt_regs;

void x86_handle_trap(struct pt_regs *regs);
/* The 256 entry stubs, IRQ_STUB_SIZE bytes apart (entry.S). */
extern const char irq_entry_stubs[];

/*
 * Hooks with weak defaults that return false ("not handled"):
 *   page_fault_hook(): every #PF first (the pcache fills user pages here);
 *                      true means the access can be retried.
 *   user_fault_hook(): an exception from user mode that nothing else took
 *                      (signals, later); true means the task was dealt with.
 */
bool page_fault_hook(struct pt_regs *regs, unsigned long cr2);
bool user_fault_hook(struct pt_regs *regs);

/* The human name of an exception vector ("page fault"), or "interrupt". */
const char *exception_name(unsigned long vector);
/* Print the fault report (name, error code, RIP, CR2, CPU, task, registers) and panic. */
__noreturn void die(struct pt_regs *regs, const char *why);

/* NMI: smp_send_stop() parks CPUs here, the watchdog freezes them for a dump;
 * anything else is reported. */
void handle_nmi(struct pt_regs *regs);
extern volatile bool cpus_stopping;

#endif
