/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The secondary-CPU trampoline (arch/x86/kernel/trampoline.S) and the
 * fixed low-memory pages it uses. mm/ keeps physical 0-1 MiB out of the
 * allocator, so these pages are free for it.
 */
#ifndef _ASM_SMPBOOT_H
#define _ASM_SMPBOOT_H

#define TRAMPOLINE_BASE 0x8000		/* STARTUP IPI vector 0x08 */
#define TRAMPOLINE_PML4 0x9000		/* the trampoline's page table: PML4, */
#define TRAMPOLINE_PDPT 0xa000		/* one PDPT and one PD for the low 2 MiB */
#define TRAMPOLINE_PD 0xb000

#ifndef __ASSEMBLY__
#include <mosaic/types.h>

/* Mirrors the block at trampoline_params in trampoline.S, field for field. */
struct trampoline_params {
	u64 pml4;		/* physical, below 4 GiB: loaded in 32-bit mode */
	u64 efer;
	u64 cr4;
	u64 kernel_cr3;
	u64 entry;		/* ap_entry64 */
	u64 stack;		/* top of this CPU's kernel stack */
	u64 cpu_local;		/* struct cpu_local * handed to ap_start() */
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
void ap_entry64(void);
#endif

#endif
