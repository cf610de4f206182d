/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Supervisor-mode access and execution prevention (arch/x86/kernel/
 * cpu_protect.c). With SMEP the kernel cannot execute a user page; with
 * SMAP it cannot read or write one, except between user_access_begin() and
 * user_access_end(), which only the user-copy helpers (arch/x86/lib/uaccess.c)
 * call. Every entry from an interrupt or exception clears EFLAGS.AC
 * (entry.S), SYSCALL clears it through SFMASK, and iretq puts back the
 * interrupted context's AC, so an open window never leaks into a handler.
 *
 * Both are on whenever the CPU has them (QEMU -cpu max does).
 */
#ifndef _ASM_SMAP_H
#define _ASM_SMAP_H

#include <mosaic/types.h>

extern bool x86_smap_enabled;	/* set once on the boot CPU, read by entry.S */

static inline void user_access_begin(void)
{
	if (x86_smap_enabled)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_access_end(void)
{
	if (x86_smap_enabled)
		__asm__ volatile("clac" ::: "memory");
}

/* Turn SMEP and SMAP on for this CPU (each CPU, at bring-up). */
void cpu_protect_init_cpu(void);

/* One console line naming what is on (called once the console works). */
void cpu_protect_report(void);

#endif
