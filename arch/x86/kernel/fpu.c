// SPDX-License-Identifier: GPL-2.0
/*
 * User FPU state (include/asm/fpu.h): turning the FPU on at CPU bring-up,
 * choosing XSAVE or FXSAVE, and the save, restore and init-state helpers
 * the context switch and arch_enter_user() use.
 *
 * Every CPU enables the same features: the boot CPU decides (from CPUID)
 * and the others follow, so one area size fits all tasks. Only x87, SSE
 * and AVX are enabled in XCR0; larger state (AVX-512, AMX) stays off.
 */
#include <asm/fpu.h>
#include <asm/x86.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>

#define X86_CR0_MP (1UL << 1)	/* WAIT honours TS */
#define X86_CR0_EM (1UL << 2)	/* no FPU: x87 traps (must be clear) */
#define X86_CR0_TS (1UL << 3)	/* lazy switching: we switch eagerly */
#define X86_CR0_NE (1UL << 5)	/* x87 errors as #MF, not IRQ 13 */

#define CPUID1_ECX_XSAVE (1U << 26)
#define CPUID1_ECX_AVX (1U << 28)
#define CPUID_LEAF_XSTATE 0xd
#define FXSAVE_AREA_SIZE 512

static u64 xfeatures;		/* XCR0; 0 when the CPU has no XSAVE */
static unsigned int area_size = FXSAVE_AREA_SIZE;
static unsigned int avx_offset;

u64 fpu_xfeatures(void) { return xfeatures; }
unsigned int fpu_area_size(void) { return area_size; }
unsigned int fpu_avx_offset(void) { return avx_offset; }

static void xsetbv(u32 reg, u64 val)
{
	__asm__ volatile("xsetbv" :: "c"(reg), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

/* The boot CPU: which features to enable and how large the area is. */
static void fpu_choose_features(void)
{
	u32 a, b, c, d;
	bool has_avx;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_XSAVE))
		return;
	has_avx = c & CPUID1_ECX_AVX;
	cpuid_count(CPUID_LEAF_XSTATE, 0, &a, &b, &c, &d);	/* EAX: XCR0 bits supported */
	xfeatures = XFEATURE_X87 | XFEATURE_SSE;
	if (has_avx && (a & XFEATURE_AVX))
		xfeatures |= XFEATURE_AVX;
}

/* With XCR0 set: the area size and where the AVX upper halves go. */
static void fpu_size_area(void)
{
	u32 a, b, c, d;

	cpuid_count(CPUID_LEAF_XSTATE, 0, &a, &b, &c, &d);
	area_size = b;	/* EBX: size for the features enabled in XCR0 */
	if (xfeatures & XFEATURE_AVX) {
		cpuid_count(CPUID_LEAF_XSTATE, 2, &a, &b, &c, &d);
		avx_offset = b;
	}
}

void fpu_init_cpu(void)
{
	bool boot_cpu = smp_processor_id() == 0;
	u64 cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

	write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE) & ~(X86_CR0_EM | X86_CR0_TS));
	if (boot_cpu)
		fpu_choose_features();
	if (xfeatures)
		cr4 |= X86_CR4_OSXSAVE;
	write_cr4(cr4);
	if (!xfeatures)
		return;
	xsetbv(0, xfeatures);
	if (boot_cpu)
		fpu_size_area();
}

void fpu_report(void)
{
	pr_info("fpu: %s, XCR0 %#llx, %u-byte save area per user task\n",
		xfeatures ? "XSAVE" : "FXSAVE", (unsigned long long)xfeatures, area_size);
}

void fpu_area_init(void *area)
{
	u8 *p = area;
	u16 fcw = FPU_INIT_FCW;
	u32 mxcsr = FPU_INIT_MXCSR;
	u64 bv = xfeatures & (XFEATURE_X87 | XFEATURE_SSE);

	memset(p, 0, area_size);
	memcpy(p + FPU_AREA_FCW, &fcw, sizeof(fcw));
	memcpy(p + FPU_AREA_MXCSR, &mxcsr, sizeof(mxcsr));
	/* AVX's bit stays clear: XRSTOR puts the upper halves in their init state (zero). */
	if (xfeatures)
		memcpy(p + FPU_AREA_XSTATE_BV, &bv, sizeof(bv));
}

void fpu_save(void *area)
{
	if (xfeatures)
		__asm__ volatile("xsave64 (%0)" :: "r"(area), "a"((u32)xfeatures),
				 "d"((u32)(xfeatures >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	if (xfeatures)
		__asm__ volatile("xrstor64 (%0)" :: "r"(area), "a"((u32)xfeatures),
				 "d"((u32)(xfeatures >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory");
}
