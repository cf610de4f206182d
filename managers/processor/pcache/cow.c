// SPDX-License-Identifier: GPL-2.0
/*
 * Copy-on-write in the pcache. fork() shares every line of the parent with
 * the child: pcache_copy_pte() adds the child's pte to the line's rmap and
 * write-protects both ptes (PTE_COW marks "writable after a copy"). The
 * first write through either pte faults into pcache_do_wp_page(), which
 * reuses the line when that pte is its only mapping and otherwise copies
 * the data into a new line of the same set.
 *
 * A dirty line shared at fork stays dirty: it holds the newest data of
 * every address space that maps it, and each keeps it until it writes
 * (copy) or drops the mapping.
 *
 * Lock order: set -> line -> pte lock. do_wp_page takes a fresh line first
 * (set lock inside pcache_alloc_line), then only tries the shared line's
 * lock: the pte may be stale and its line recycled as another fault's fresh
 * line, so waiting for it while holding ours could deadlock (ABBA).
 */
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>

static void count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

int pcache_copy_pte(struct pcache_meta *pcm, pte_t *src_pte, struct mm_struct *dst,
		    pte_t *dst_pte, unsigned long address)
{
	pte_t val = *src_pte;
	int err;

	if (val & PTE_RW) {
		val = (val & ~PTE_RW) | PTE_COW;
		*src_pte = val;		/* the caller flushes the parent's TLBs */
	}
	if (val & PTE_D)
		pcache_set_flag(pcm, PC_dirty);
	err = pcache_add_rmap(pcm, dst_pte, dst, address);
	if (err)
		return err;
	*dst_pte = val;
	count(&pcache.stats.rmap_copies);
	return 0;
}

/* Give pte a private copy of old's data in new (both lines locked, pte lock held). */
static void wp_copy(struct mm_struct *mm, unsigned long address, pte_t *pte,
		    struct pcache_meta *old, struct pcache_meta *new)
{
	pte_t val = *pte;

	copy_page(pcache_line_data(new), pcache_line_data(old));
	pcache_set_flag(new, PC_valid);
	pcache_set_flag(new, PC_dirty);
	pcache_remove_rmap(old, pte);
	pcache_add_rmap(new, pte, mm, address);	/* inline slot of a fresh line: cannot fail */
	*pte = pcache_line_phys(new) | (val & ~(PTE_ADDR_MASK | PTE_COW)) | PTE_RW | PTE_D;
	count(&pcache.stats.cow_copies);
}

/*
 * Resolve the write to a PTE_COW pte at address. Returns 0 (done, or the
 * pte changed meanwhile: the access is retried) or -ENOSPC (a copy is
 * needed and the set has no free line).
 */
static int wp_locked(struct mm_struct *mm, unsigned long address, pte_t expected,
		     struct pcache_meta *old, struct pcache_meta *new, bool *used_new)
{
	pte_t *pte;
	int err = 0;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, address, false);
	if (!pte || *pte != expected) {
		spin_unlock(&mm->page_table_lock);
		return 0;
	}
	if (old->mapcount == 1) {
		*pte = (expected | PTE_RW | PTE_D) & ~PTE_COW;
		count(&pcache.stats.cow_reuses);
	} else if (new) {
		wp_copy(mm, address, pte, old, new);
		*used_new = true;
	} else {
		err = -ENOSPC;
	}
	spin_unlock(&mm->page_table_lock);
	return err;
}

/* Drop our reference to the line taken for the copy (NULL: none). */
static void put_fresh_line(struct pcache_meta *new)
{
	if (!new)
		return;
	pcache_put_locked(new);
	unlock_pcache(new);
}

int pcache_do_wp_page(struct mm_struct *mm, unsigned long address, pte_t expected)
{
	struct pcache_meta *old = pcache_phys_to_meta(pte_phys(expected)), *new;
	bool used_new = false;
	int err;

	if (!old)
		return -EFAULT;
	new = pcache_alloc_line_wait(address);
	if (new == old) {
		/*
		 * Making room evicted the very line to copy (same set): its data
		 * is at the memory node now and the pte is gone. Retry the
		 * access; it refills.
		 */
		put_fresh_line(new);
		return 0;
	}
	if (!trylock_pcache(old)) {
		/*
		 * Not lock_pcache(): expected may be stale, its line evicted and
		 * its way handed out fresh to another copy-on-write that now
		 * waits for the line we hold fresh (found by the fork bomb
		 * test, usr/tests/forkbomb.c). Back off; the access is retried.
		 */
		put_fresh_line(new);
		yield();
		return 0;
	}
	err = wp_locked(mm, address, expected, old, new, &used_new);
	unlock_pcache(old);
	if (used_new) {
		/* Other CPUs may still read the old line through this pte. */
		flush_tlb_range_cpus(__atomic_load_n(&mm->cpus, __ATOMIC_SEQ_CST), address,
				     address + PAGE_SIZE);
	} else {
		flush_tlb_range_local(address, address + PAGE_SIZE);
	}
	put_fresh_line(new);	/* frees it if the copy was not needed */
	return err;
}
