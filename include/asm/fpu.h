/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user FPU/SSE/AVX state (arch/x86/kernel/fpu.c). The kernel is built
 * without SSE and never touches these registers, so they hold the running
 * user task's values from its entry until the next context switch, which
 * saves them into the task's area (XSAVE where the CPU has it, FXSAVE
 * otherwise) and loads the next task's.
 *
 * Area layout (both formats): FCW at offset 0, MXCSR at 24, XMM0 at 160;
 * with XSAVE, the header (XSTATE_BV) at 512 and the AVX upper halves at the
 * offset CPUID 0xD reports.
 */
#ifndef _ASM_FPU_H
#define _ASM_FPU_H

#include <mosaic/types.h>

#define XFEATURE_X87 (1ULL << 0)
#define XFEATURE_SSE (1ULL << 1)
#define XFEATURE_AVX (1ULL << 2)

#define FPU_INIT_FCW 0x037f	/* all exceptions masked, 64-bit precision, round nearest */
#define FPU_INIT_MXCSR 0x1f80	/* all SIMD exceptions masked, round nearest */

#define FPU_AREA_FCW 0
#define FPU_AREA_MXCSR 24
#define FPU_AREA_XMM0 160
#define FPU_AREA_XSTATE_BV 512

/* Per-CPU: CR0/CR4 bits and XCR0. The boot CPU also sizes the area. */
void fpu_init_cpu(void);
/* One boot log line: save instruction, features, area size. */
void fpu_report(void);

/* XCR0 in use (0 without XSAVE), the area size, the AVX upper-half offset (0: no AVX). */
u64 fpu_xfeatures(void);
unsigned int fpu_area_size(void);
unsigned int fpu_avx_offset(void);

/* Write the init state (FCW 0x37f, MXCSR 0x1f80, registers zero) into area. */
void fpu_area_init(void *area);
/* Save this CPU's user FPU state into area / load it from area. Interrupts off. */
void fpu_save(void *area);
void fpu_restore(const void *area);

#endif
