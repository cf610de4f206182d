// SPDX-License-Identifier: GPL-2.0
/*
 * The pcache fill path: pcache_handle_fault() resolves a user page fault
 * on a missing pte by giving the page a line in its set, asking the memory
 * manager for the data (MISS), filling or zero-filling the line, then
 * installing the pte with the vma's protection and recording it in the
 * line's rmap.
 *
 * When every way of the set is busy (being filled or evicted by others),
 * the fault sleeps and retries until the set has freed no way for
 * pcache.busy_wait_ms, then fails with -ENOSPC (SIGBUS): it never waits
 * forever on ways nobody gives back (pcache_alloc_line_wait()).
 *
 * A user fault that refills a page its instruction had filled already (the
 * instruction needs more pages of one set than the set has ways) takes a
 * line of the overflow pool instead (overflow.c), so the instruction can
 * complete: pcache_handle_user_fault().
 *
 * Lock order: set -> line -> pte lock. The MISS is sent with the line
 * locked but no pte lock, so the pte is checked again before it is set: a
 * thread of the same process may have filled the page meanwhile.
 */
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#include "internal.h"

#define PF_ERR_WRITE (1UL << 1)
#define PF_ERR_FETCH (1UL << 4)

static void count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/* The pte for a line of the given PROT_* (user, accessed; dirty when written now). */
static pte_t make_user_pte(const struct pcache_meta *pcm, u32 prot, bool write)
{
	pte_t pte = pcache_line_phys(pcm) | PTE_P | PTE_US | PTE_A;

	if (prot & PROT_WRITE)
		pte |= PTE_RW;
	if (!(prot & PROT_EXEC))
		pte |= PTE_NX;
	if (write)
		pte |= PTE_D;
	return pte;
}

/*
 * Ask mm's memory node for the page at address and put it in pcm's data.
 * Returns the vma's PROT_* bits, or -errno from the memory manager; *data
 * tells whether the page had data (false: zero-filled here).
 */
static long fill_line(struct mm_struct *mm, struct pcache_meta *pcm, unsigned long address,
		      bool write, bool *data)
{
	struct mem_miss_req req = { .tgid = mm->tgid, .write = write, .addr = address };
	struct mem_miss_reply *reply = kmalloc(sizeof(*reply));
	long len, ret;
	u64 t;

	*data = false;
	if (!reply)
		return -ENOMEM;
	count(&pcache.stats.misses);
	t = profile_start();
	len = rpc_call(mm->home_node, RPC_MEM_MISS, &req, sizeof(req), reply, sizeof(*reply));
	profile_end(PROF_miss_rpc, t);
	t = profile_start();
	if (len < MEM_MISS_REPLY_HDR) {
		ret = len < 0 ? len : -EIO;
	} else if (reply->status < 0 || reply->kind == MEM_MISS_ERROR) {
		ret = reply->status < 0 ? reply->status : -EIO;
	} else if (reply->kind == MEM_MISS_ZERO) {
		memset(pcache_line_data(pcm), 0, PAGE_SIZE);
		count(&pcache.stats.zero_fills);
		profile_end(PROF_zero_fill, t);
		ret = reply->prot;
	} else if (reply->kind == MEM_MISS_DATA && len == sizeof(*reply)) {
		memcpy(pcache_line_data(pcm), reply->data, PAGE_SIZE);
		*data = true;
		count(&pcache.stats.fills);
		profile_end(PROF_data_fill, t);
		ret = reply->prot;
	} else {
		ret = -EIO;	/* a reply that does not follow the protocol */
	}
	kfree(reply);
	return ret;
}

/*
 * Install the filled line at address unless another thread did first.
 * Returns 0 (installed, or somebody else's pte is there) or -ENOMEM.
 * Context: pcm's line lock held.
 */
static int install_pte(struct mm_struct *mm, struct pcache_meta *pcm, unsigned long address,
		       u32 prot, bool write)
{
	u64 t = profile_start();
	int err = 0;
	pte_t *pte;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, address, true);
	if (!pte)
		err = -ENOMEM;
	else if (!pte_present(*pte) && !(err = pcache_add_rmap(pcm, pte, mm, address)))
		__atomic_store_n(pte, make_user_pte(pcm, prot, write), __ATOMIC_RELEASE);
	spin_unlock(&mm->page_table_lock);
	profile_end(PROF_pte_install, t);
	return err;
}

/* The pte at address still holds val (accessed and dirty bits aside). */
static bool pte_unchanged(struct mm_struct *mm, unsigned long address, pte_t val)
{
	pte_t *pte, now = 0;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, address, false);
	if (pte)
		now = *pte;
	spin_unlock(&mm->page_table_lock);
	return ((now ^ val) & ~(PTE_A | PTE_D)) == 0;
}

/*
 * Eviction write-protects a line's ptes while it stores the data back. A
 * write to such a pte waits until the line is gone, then the access is
 * retried (and refills from the memory node). False: a real protection fault.
 */
static bool wait_for_eviction(struct mm_struct *mm, unsigned long address, pte_t val)
{
	struct pcache_meta *pcm = pcache_phys_to_meta(pte_phys(val));
	pte_t *pte;

	if (!pcm)
		return false;
	/* The eviction may have ended since the pte was read: then retry. */
	if (!pcache_test_flag(pcm, PC_reclaim))
		return !pte_unchanged(mm, address, val);
	count(&pcache.stats.evict_waits);
	do {
		yield();
		pte = user_pte_slot(mm, address, false);
	} while (pte && __atomic_load_n(pte, __ATOMIC_ACQUIRE) == val &&
		 pcache_test_flag(pcm, PC_reclaim));
	return true;
}

/*
 * A pte is already there: a race with another thread (retry), a write to a
 * copy-on-write pte, a line being evicted, or a protection fault.
 */
static int handle_present_pte(struct mm_struct *mm, unsigned long address,
			      unsigned long error_code, bool *present)
{
	pte_t *pte, val = 0;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, address, false);
	if (pte)
		val = *pte;
	spin_unlock(&mm->page_table_lock);
	*present = pte_present(val);
	if (!*present)
		return 0;
	if ((error_code & PF_ERR_WRITE) && !(val & PTE_RW)) {
		if (val & PTE_COW)
			return pcache_do_wp_page(mm, address, val);
		return wait_for_eviction(mm, address, val) ? 0 : -EACCES;
	}
	if ((error_code & PF_ERR_FETCH) && (val & PTE_NX))
		return -EACCES;
	return 0;	/* filled by another thread meanwhile: retry the access */
}

/* Who faults: an instruction and its task's history (progress NULL: no rule). */
struct fault_origin {
	struct pcache_progress *progress;
	unsigned long ip;
};

/* A line for address: borrowed from the pool on a refault, else one of its set. */
static struct pcache_meta *take_line(unsigned long address, const struct fault_origin *from)
{
	struct pcache_meta *pcm = NULL;

	if (from->progress && pcache_progress_refault(from->progress, from->ip, address,
						       READ_ONCE(pcache.evict_seq))) {
		count(&pcache.stats.progress_refaults);
		pcm = pcache_borrow_line();
		if (pcm)
			return pcm;
	}
	pcm = pcache_alloc_line_wait(address);
	if (pcm)
		pcache_sweep_note(pcache_set_index(address));	/* refill the set's free ways */
	return pcm;
}

static void drop_unused_line(struct pcache_meta *pcm)
{
	pcache_put_locked(pcm);
	unlock_pcache(pcm);	/* no mapping, no reference: the way is free again */
}

static int handle_fault(struct mm_struct *mm, unsigned long address, unsigned long error_code,
			const struct fault_origin *from, bool *data)
{
	bool write = error_code & PF_ERR_WRITE, present;
	struct pcache_meta *pcm;
	long prot;
	int err;
	u64 t;

	*data = false;
	address &= ~(PAGE_SIZE - 1);
	err = handle_present_pte(mm, address, error_code, &present);
	if (err || present)
		return err;
	t = profile_start();
	pcm = take_line(address, from);
	profile_end(PROF_line_alloc, t);
	if (!pcm) {
		count(&pcache.stats.no_free_line);
		return -ENOSPC;
	}
	prot = fill_line(mm, pcm, address, write, data);
	if (prot >= 0 && (error_code & PF_ERR_FETCH) && !(prot & PROT_EXEC))
		prot = -EACCES;
	if (prot < 0) {
		count(&pcache.stats.fill_errors);
		drop_unused_line(pcm);
		return prot;
	}
	pcache_set_flag(pcm, PC_valid);
	if (write)
		pcache_set_flag(pcm, PC_dirty);
	err = install_pte(mm, pcm, address, prot, write);
	drop_unused_line(pcm);	/* our reference; the rmap entry keeps the line */
	return err;
}

/* ---- fault-ahead ---- */

/* Pages filled ahead of a fault that continues a scan; 0: off. */
#define FAULT_AHEAD_MAX 64	/* a fault holds the layout lock while it fills them */
static unsigned int pcache_fault_ahead = 7;

static int set_fault_ahead(const char *val, const struct kernel_param *kp)
{
	return param_parse_uint_range(val, 0, FAULT_AHEAD_MAX, &pcache_fault_ahead);
}
KERNEL_PARAM("pcache.fault_ahead", set_fault_ahead, NULL,
	     "pages filled ahead when a miss continues a scan (0-64; 0: off)");

/*
 * Fill the page at address as a read miss would, if no pte is there, its
 * set is not the faulting page's and gives a way without waiting, and the
 * memory node has data for it. False: the run stops (at anything else,
 * errors included: a fault-ahead never signals). A never-written page is
 * left to its own fault, which allocates it on the node if it writes.
 */
static bool fault_ahead_one(struct mm_struct *mm, unsigned long address, unsigned long set)
{
	struct pcache_meta *pcm;
	bool present, data;
	long prot;

	if (pcache_set_index(address) == set)
		return false;	/* could push out the line the faulting access needs */
	if (handle_present_pte(mm, address, 0, &present) || present)
		return false;
	if (__atomic_load_n(&pcache.sets[pcache_set_index(address)].waiters, __ATOMIC_ACQUIRE))
		return false;	/* faults sleep for this set: leave its ways to them */
	pcm = pcache_alloc_line(address);
	if (!pcm)
		return false;
	prot = fill_line(mm, pcm, address, false, &data);
	if (prot < 0 || !data || !(prot & PROT_READ)) {
		drop_unused_line(pcm);
		return false;
	}
	count(&pcache.stats.fault_ahead);
	pcache_set_flag(pcm, PC_valid);
	prot = install_pte(mm, pcm, address, prot, false);
	drop_unused_line(pcm);
	return prot == 0;
}

/*
 * A miss with data on the page right after the last one this mm missed on
 * (or filled ahead) continues a scan of pages that were evicted: fill the
 * next ones now, so the scan traps once per 1 + pcache.fault_ahead pages.
 * Each page still takes its own MISS, so only a local home is worth it: a
 * remote MISS (0.5 ms under TCG) dwarfs the trap it would save, and pages
 * the scan never reaches would cost whole round trips. last_fault is a
 * hint: threads of one mm race on it harmlessly.
 */
static void fault_ahead(struct mm_struct *mm, unsigned long address)
{
	unsigned long n = READ_ONCE(pcache_fault_ahead), set = pcache_set_index(address), end;

	address &= ~(PAGE_SIZE - 1);
	end = address;
	if (address == READ_ONCE(mm->last_fault) + PAGE_SIZE)
		for (unsigned long i = 1; i <= n; i++) {
			if (!fault_ahead_one(mm, address + i * PAGE_SIZE, set))
				break;
			end = address + i * PAGE_SIZE;
		}
	WRITE_ONCE(mm->last_fault, end);
}

static int handle_fault_timed(struct mm_struct *mm, unsigned long address,
			      unsigned long error_code, const struct fault_origin *from)
{
	u64 t = profile_start();
	bool data;
	int err;

	mm_fault_begin(mm);	/* waits while a fork or an mremap of mm runs */
	err = handle_fault(mm, address, error_code, from, &data);
	if (!err && data && from->progress && mm->home_node == rpc_self_node())
		fault_ahead(mm, address);
	mm_fault_end(mm);
	profile_end(PROF_fault, t);
	return err;
}

int pcache_handle_fault(struct mm_struct *mm, unsigned long address, unsigned long error_code)
{
	const struct fault_origin nobody = { 0 };

	return handle_fault_timed(mm, address, error_code, &nobody);
}

int pcache_handle_user_fault(struct mm_struct *mm, unsigned long address,
			     unsigned long error_code, unsigned long ip)
{
	const struct fault_origin from = { &current_task()->pcache_progress, ip };

	return handle_fault_timed(mm, address, error_code, &from);
}
