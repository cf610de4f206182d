/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the entry code (arch/x86/kernel/entry.S) and C:
 * offsets into struct cpu_local and struct pt_regs that the assembly uses.
 * syscall_64.c checks each against the C layout at build time.
 */
#ifndef _ASM_ENTRY_H
#define _ASM_ENTRY_H

#define CPU_LOCAL_KERNEL_STACK_TOP 32	/* struct cpu_local.kernel_stack_top */
#define CPU_LOCAL_USER_RSP_SCRATCH 64	/* struct cpu_local.user_rsp_scratch */

/* struct pt_regs, counted from the vector slot (after the 15 general registers). */
#define PT_REGS_GPR_BYTES (15 * 8)
#define FRAME_RIP 16
#define FRAME_CS 24
#define FRAME_RFLAGS 32
#define FRAME_RSP 40

/* Ring 3 starts with interrupts on (IF) and the always-one bit 1. */
#define USER_RFLAGS_INIT 0x202

/* STAR[63:48]: SYSRET loads CS from this + 16 and SS from this + 8. */
#define STAR_SYSRET_BASE (GDT_USER_DS - 8)

#endif
