// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for SMEP/SMAP (suite "smap", arch/x86/kernel/cpu_protect.c): with
 * a user page mapped, a kernel read of it outside a user-access window
 * faults (the probe's fixup reports -EFAULT) and the same read inside
 * user_access_begin()/user_access_end() sees the data. Skipped on a CPU
 * without SMAP.
 */
#include <asm/smap.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pgtable.h>
#include <mosaic/sched.h>

#define SMAP_TEST_VA 0x700000UL
#define SMAP_TEST_TGID 0x5a17
#define SMAP_MAGIC 0x5a5a0123456789abULL

int probe_read_u64(const void *addr, u64 *out);	/* extable.c */

/* Read SMAP_TEST_VA twice from inside mm: outside and inside the window. */
static void probe_user_page(struct mm_struct *mm, int *closed_err, int *open_err, u64 *seen)
{
	struct task *self = current_task();
	unsigned long flags = local_irq_save();

	self->mm = mm;
	switch_mm(NULL, mm);
	*closed_err = probe_read_u64((const void *)SMAP_TEST_VA, seen);
	user_access_begin();
	*open_err = probe_read_u64((const void *)SMAP_TEST_VA, seen);
	user_access_end();
	switch_mm(mm, NULL);
	self->mm = NULL;
	local_irq_restore(flags);
}

KTEST(smap, kernel_reads_user_page_only_in_window)
{
	struct mm_struct *mm;
	u64 *page, seen = 0;
	int closed_err, open_err;

	if (!x86_smap_enabled) {
		ktest_skip("this CPU has no SMAP");
		return;
	}
	KEXPECT(read_cr4() & X86_CR4_SMAP);
	mm = mm_create(SMAP_TEST_TGID, 0);
	page = get_zeroed_pages(0);
	KASSERT(mm && page);
	*page = SMAP_MAGIC;
	KASSERT(!pgtable_map_page(mm->pml4, SMAP_TEST_VA, __pa(page), PTE_US | PTE_NX));
	probe_user_page(mm, &closed_err, &open_err, &seen);
	KEXPECT_EQ(closed_err, -EFAULT);
	KEXPECT_EQ(open_err, 0);
	KEXPECT_EQ(seen, SMAP_MAGIC);
	pgtable_unmap_page(mm->pml4, SMAP_TEST_VA);
	mm_put(mm);
	free_pages_addr(page, 0);
}

KTEST(smap, smep_on_when_the_cpu_has_it)
{
	u32 a, b, c, d;

	cpuid_count(7, 0, &a, &b, &c, &d);
	if (!(b & (1U << 7))) {
		ktest_skip("this CPU has no SMEP");
		return;
	}
	KEXPECT(read_cr4() & X86_CR4_SMEP);
}
