// SPDX-License-Identifier: GPL-2.0
/*
 * The layout lock of a user address space: page faults against the two
 * operations that move where a page's data lives while its ptes still say
 * the old thing, fork (FORK, then the ptes are copied) and mremap (MREMAP,
 * then the ptes move). Linux's mmap lock does this job (faults read-hold
 * it, fork and mremap write-hold it); Mosaic holds it only around these.
 *
 * Why: a fault that ran between mremap's MREMAP and move_ptes() filled a
 * line at the new address with the memory node's copy, older than the
 * dirty line still mapped at the old address; the move then found the new
 * pte taken, wrote the newer data back, and left the stale line mapped.
 *
 * A fault counts itself in mm->faults_running unless a change is under
 * way; a change counts itself in mm->layout_changes, then waits for the
 * faults already running to end. Both sides store, then load the other's
 * counter, all sequentially consistent: one of them always sees the other.
 * New faults wait while a change runs; the change waits only for faults that
 * had already begun, before it blocks eviction (evict_barrier.c), so none
 * of them can be waiting on a way the block holds back.
 */
#include <mosaic/mm_types.h>
#include <mosaic/sched.h>

void mm_fault_begin(struct mm_struct *mm)
{
	for (;;) {
		while (__atomic_load_n(&mm->layout_changes, __ATOMIC_SEQ_CST))
			yield();
		__atomic_fetch_add(&mm->faults_running, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&mm->layout_changes, __ATOMIC_SEQ_CST))
			return;
		__atomic_fetch_sub(&mm->faults_running, 1, __ATOMIC_SEQ_CST);	/* let it go first */
	}
}

void mm_fault_end(struct mm_struct *mm)
{
	__atomic_fetch_sub(&mm->faults_running, 1, __ATOMIC_RELEASE);
}

void mm_layout_change_begin(struct mm_struct *mm)
{
	__atomic_fetch_add(&mm->layout_changes, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&mm->faults_running, __ATOMIC_SEQ_CST))
		yield();
}

void mm_layout_change_end(struct mm_struct *mm)
{
	__atomic_fetch_sub(&mm->layout_changes, 1, __ATOMIC_RELEASE);
}
