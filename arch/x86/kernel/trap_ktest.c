// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "trap": the entry path builds a correct frame, the vector
 * table refuses bad input, and expected faults are caught through the
 * exception fixup table while the kernel runs on.
 */
#include <asm/extable.h>
#include <asm/irq_vectors.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/ktest.h>
#include <mosaic/percpu.h>
#include <mosaic/string.h>

#define TEST_VECTOR DEVICE_VECTOR_LAST
#define FRAME_MAGIC 0x6d6f7361696321ULL

KTEST(trap, probe_read_of_unmapped_address_returns_efault)
{
	u64 v = 7;

	KEXPECT_EQ(probe_read_u64((const void *)0x1000, &v), -EFAULT);
	KEXPECT_EQ(v, 7);	/* untouched on failure */
}

KTEST(trap, probe_read_of_noncanonical_address_returns_efault)
{
	u64 v;

	/* A non-canonical address raises #GP, not #PF: the same fixup catches it. */
	KEXPECT_EQ(probe_read_u64((const void *)0x8000000000000000UL, &v), -EFAULT);
}

KTEST(trap, probe_read_of_mapped_address_reads_it)
{
	u64 source = 0x0123456789abcdefULL, v = 0;

	KEXPECT_EQ(probe_read_u64(&source, &v), 0);
	KEXPECT_EQ(v, source);
}

KTEST(trap, fixup_table_lists_only_listed_instructions)
{
	KEXPECT_EQ(search_exception_table((unsigned long)memcpy), 0);
	KEXPECT_EQ(search_exception_table(0), 0);
}

KTEST(trap, exception_names)
{
	KEXPECT(!strcmp(exception_name(X86_TRAP_PF), "page fault"));
	KEXPECT(!strcmp(exception_name(X86_TRAP_DF), "double fault"));
	KEXPECT(!strcmp(exception_name(LOCAL_TIMER_VECTOR), "interrupt"));
}

static struct pt_regs seen_frame;

static void record_frame(struct pt_regs *regs)
{
	seen_frame = *regs;
}

KTEST(trap, software_interrupt_builds_the_frame)
{
	u64 before = this_cpu()->irq_count;

	memset(&seen_frame, 0, sizeof(seen_frame));
	KASSERT_EQ(irq_set_handler(TEST_VECTOR, record_frame), 0);
	__asm__ volatile("movq %1, %%rbx\n\tint %0" :: "i"(TEST_VECTOR), "r"(FRAME_MAGIC)
			 : "rbx", "memory");
	irq_free_vector(TEST_VECTOR);
	KEXPECT_EQ(seen_frame.vector, TEST_VECTOR);
	KEXPECT_EQ(seen_frame.error_code, 0);
	KEXPECT_EQ(seen_frame.rbx, FRAME_MAGIC);
	KEXPECT_EQ(seen_frame.cs, 0x08);
	KEXPECT(!user_mode(&seen_frame));
	KEXPECT(this_cpu()->irq_count > before);
}

KTEST(trap, vector_table_refuses_bad_input)
{
	KEXPECT_EQ(irq_set_handler(X86_TRAP_PF, record_frame), -EINVAL);
	KEXPECT_EQ(irq_set_handler(NR_VECTORS, record_frame), -EINVAL);
	KEXPECT_EQ(irq_set_handler(TEST_VECTOR, NULL), -EINVAL);
	KEXPECT_EQ(irq_set_handler(LOCAL_TIMER_VECTOR, record_frame), -EBUSY);
}

KTEST(trap, vectors_are_handed_out_once)
{
	int a = irq_request_vector(record_frame);
	int b = irq_request_vector(record_frame);

	KEXPECT(a >= DEVICE_VECTOR_FIRST && a <= DEVICE_VECTOR_LAST);
	KEXPECT(b >= DEVICE_VECTOR_FIRST && b != a);
	if (a > 0)
		irq_free_vector(a);
	if (b > 0)
		irq_free_vector(b);
}
