/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register frame that interrupt, exception and SYSCALL entry build on
 * the kernel stack (arch/x86/kernel/entry.S pushes it in this order).
 */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

/* regs->vector of a frame built by the SYSCALL entry (above every IDT vector). */
#define PT_VECTOR_SYSCALL 0x100

#ifndef __ASSEMBLY__
#include <mosaic/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;	/* 0 where the CPU pushes none; SYSCALL: the call number */
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

static inline bool user_mode(const struct pt_regs *r) { return (r->cs & 3) == 3; }
static inline bool regs_from_syscall(const struct pt_regs *r) { return r->vector == PT_VECTOR_SYSCALL; }
#endif

#endif
