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

/* Send mm's memory node a MISS: the reply's length, or -errno. */
static long miss_rpc(struct mm_struct *mm, const struct mem_miss_req *req,
		     struct mem_miss_reply *reply)
{
	u64 t = profile_start();
	long len;

	count(&pcache.stats.misses);
	len = rpc_call(mm->home_node, RPC_MEM_MISS, req, sizeof(*req), reply, sizeof(*reply));
	profile_end(PROF_miss_rpc, t);
	return len;
}

/*
 * Put the page of a MISS reply (len bytes, or -errno) in pcm's data.
 * Returns the vma's PROT_* bits, or -errno; *data tells whether the page
 * had data (false: zero-filled here). A page of an executable that nobody
 * may write keeps its image id in the line, for other mms to share.
 */
static long fill_from_reply(struct pcache_meta *pcm, const struct mem_miss_reply *reply,
			    long len, bool *data)
{
	u64 t = profile_start();

	*data = false;
	if (len < MEM_MISS_REPLY_HDR)
		return len < 0 ? len : -EIO;
	if (reply->status < 0 || reply->kind == MEM_MISS_ERROR)
		return reply->status < 0 ? reply->status : -EIO;
	if (reply->kind == MEM_MISS_ZERO) {
		memset(pcache_line_data(pcm), 0, PAGE_SIZE);
		count(&pcache.stats.zero_fills);
		profile_end(PROF_zero_fill, t);
		return reply->prot;
	}
	if (reply->kind != MEM_MISS_DATA || len != sizeof(*reply))
		return -EIO;	/* a reply that does not follow the protocol */
	memcpy(pcache_line_data(pcm), reply->data, PAGE_SIZE);
	if (!(reply->prot & PROT_WRITE))
		pcm->image_id = reply->image_id;
	*data = true;
	count(&pcache.stats.fills);
	profile_end(PROF_data_fill, t);
	return reply->prot;
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

/* ---- lines shared between address spaces: an executable's pages ---- */

/*
 * A read miss on a page of an executable that no process may write can map
 * the line another process running the same program holds for it, as Linux
 * maps one page-cache page into every process that runs a binary. Besides
 * the 4 KiB copy this saves what costs most under TCG: QEMU keys translated
 * code by physical page, so every new copy of the text was translated anew
 * (about 750 blocks per exec of a static glibc program). A line filled with
 * such a page keeps the page's image id (memory.h); a read miss names the
 * image lines of its set, and the memory node answers MEM_MISS_SAME when
 * the page at the faulting address is one of them and its vma is read-only.
 */
static bool pcache_share_images = true;
KERNEL_PARAM("pcache.share_images", param_set_bool, &pcache_share_images,
	     "map an executable's read-only pages from lines other processes hold (0 or 1)");

struct known_lines {
	unsigned int nr;
	struct pcache_meta *line[MEM_MISS_KNOWN];
};

/* The image lines of address's set from mm's memory node, named in req (racy: checked later). */
static void find_known_lines(struct mm_struct *mm, unsigned long address,
			     struct mem_miss_req *req, struct known_lines *known)
{
	struct pcache_meta *way = &pcache.meta[pcache_set_index(address) * pcache.assoc];

	known->nr = 0;
	for (unsigned int i = 0; i < pcache.assoc && known->nr < MEM_MISS_KNOWN; i++, way++) {
		u64 id = READ_ONCE(way->image_id);

		if (id && mem_image_id_node(id) == mm->home_node && pcache_test_flag(way, PC_valid)) {
			req->known[known->nr] = id;
			known->line[known->nr++] = way;
		}
	}
}

/*
 * Map pcm at address if it still holds image page id: valid, clean, mapped
 * and not being evicted. False: it changed since it was named.
 */
static bool map_known_line(struct mm_struct *mm, struct pcache_meta *pcm, u64 id,
			   unsigned long address, u32 prot, int *err)
{
	bool same;

	if (!trylock_pcache(pcm))
		return false;
	same = pcm->image_id == id && pcm->mapcount && pcache_test_flag(pcm, PC_valid) &&
	       !pcache_test_flag(pcm, PC_reclaim) && !pcache_test_flag(pcm, PC_dirty);
	if (same) {
		pcm->refcount++;
		*err = install_pte(mm, pcm, address, prot, false);
		pcache_put_locked(pcm);
		count(&pcache.stats.image_shares);
	}
	unlock_pcache(pcm);
	return same;
}

/*
 * A read miss that names the image lines of its set. True: the page was
 * mapped from one of them (*err: 0 or -errno). False leaves in reply the
 * MISS reply to fill a line of our own from (*len bytes, or -errno; 0: no
 * MISS was sent).
 */
static bool share_known_line(struct mm_struct *mm, unsigned long address,
			     unsigned long error_code, struct mem_miss_reply *reply, long *len,
			     int *err)
{
	struct mem_miss_req req = { .tgid = mm->tgid, .addr = address };
	struct known_lines known;
	u32 which;

	*len = 0;
	if (!READ_ONCE(pcache_share_images) || (error_code & PF_ERR_WRITE))
		return false;
	find_known_lines(mm, address, &req, &known);
	if (!known.nr)
		return false;
	*len = miss_rpc(mm, &req, reply);
	if (*len != MEM_MISS_REPLY_HDR || reply->status || reply->kind != MEM_MISS_SAME)
		return false;
	which = reply->which;
	if ((error_code & PF_ERR_FETCH) && !(reply->prot & PROT_EXEC)) {
		count(&pcache.stats.fill_errors);
		*err = -EACCES;
		return true;
	}
	if (which < known.nr &&
	    map_known_line(mm, known.line[which], req.known[which], address, reply->prot, err))
		return true;
	memset(req.known, 0, sizeof(req.known));	/* the line went meanwhile: a copy then */
	*len = miss_rpc(mm, &req, reply);
	return false;
}

/* ---- the fault ---- */

/* Make pcm, filled for address (prot: fill_from_reply's result), valid and map it. */
static int map_filled_line(struct mm_struct *mm, struct pcache_meta *pcm, unsigned long address,
			   unsigned long error_code, long prot)
{
	bool write = error_code & PF_ERR_WRITE;
	int err;

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

/* A missing pte: a line shared with another mm, or one of our own filled by a MISS. */
static int fault_missing_pte(struct mm_struct *mm, unsigned long address,
			     unsigned long error_code, const struct fault_origin *from,
			     struct mem_miss_reply *reply, bool *data)
{
	struct mem_miss_req req = { .tgid = mm->tgid, .write = !!(error_code & PF_ERR_WRITE),
				    .addr = address };
	struct pcache_meta *pcm;
	long len;
	int err;
	u64 t;

	if (share_known_line(mm, address, error_code, reply, &len, &err)) {
		*data = !err;
		return err;
	}
	t = profile_start();
	pcm = take_line(address, from);
	profile_end(PROF_line_alloc, t);
	if (!pcm) {
		count(&pcache.stats.no_free_line);
		return -ENOSPC;
	}
	if (!len)
		len = miss_rpc(mm, &req, reply);
	return map_filled_line(mm, pcm, address, error_code, fill_from_reply(pcm, reply, len, data));
}

static int handle_fault(struct mm_struct *mm, unsigned long address, unsigned long error_code,
			const struct fault_origin *from, bool *data)
{
	struct mem_miss_reply *reply;
	bool present;
	int err;

	*data = false;
	address &= ~(PAGE_SIZE - 1);
	err = handle_present_pte(mm, address, error_code, &present);
	if (err || present)
		return err;
	reply = pcache_msgbuf_get();
	if (!reply)
		return -ENOMEM;
	err = fault_missing_pte(mm, address, error_code, from, reply, data);
	pcache_msgbuf_put(reply);
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
	struct mem_miss_req req = { .tgid = mm->tgid, .addr = address };
	struct mem_miss_reply *reply;
	struct pcache_meta *pcm = NULL;
	bool present, data = false;
	long len, prot = -EIO;
	int err;

	if (pcache_set_index(address) == set)
		return false;	/* could push out the line the faulting access needs */
	if (handle_present_pte(mm, address, 0, &present) || present)
		return false;
	if (__atomic_load_n(&pcache.sets[pcache_set_index(address)].waiters, __ATOMIC_ACQUIRE))
		return false;	/* faults sleep for this set: leave its ways to them */
	reply = pcache_msgbuf_get();
	if (!reply)
		return false;
	if (share_known_line(mm, address, 0, reply, &len, &err)) {
		pcache_msgbuf_put(reply);
		if (!err)
			count(&pcache.stats.fault_ahead);
		return !err;
	}
	if (!len)
		len = miss_rpc(mm, &req, reply);
	/* a line only for a readable page with data: the reply is in hand first */
	if (len == sizeof(*reply) && reply->kind == MEM_MISS_DATA && (reply->prot & PROT_READ))
		pcm = pcache_alloc_line(address);
	if (pcm)
		prot = fill_from_reply(pcm, reply, len, &data);
	pcache_msgbuf_put(reply);
	if (!pcm)
		return false;
	if (prot < 0 || !data) {
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
