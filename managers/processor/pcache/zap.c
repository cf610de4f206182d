// SPDX-License-Identifier: GPL-2.0
/*
 * Removing a mapping from a line: pcache_zap_pte() is what zap_pte_range()
 * calls for each present pte that points into the pcache (munmap and exit
 * discard the data; mprotect to PROT_NONE and mremap write dirty lines back
 * first with pcache_writeback_line()).
 *
 * The caller holds the pte lock, which comes after the line lock in the
 * lock order, so the line lock is only tried here: on failure the caller
 * drops the pte lock and retries.
 */
#include <mosaic/errno.h>
#include <mosaic/fail_alloc.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>
#include <mosaic/process.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/string.h>
#include <mosaic/wait.h>

#include "internal.h"

void pcache_zap_pte_locked(struct pcache_meta *pcm, pte_t *pte, bool *dirty)
{
	*dirty = (*pte & PTE_D) || pcache_test_flag(pcm, PC_dirty);
	*pte = 0;
	pcache_remove_rmap(pcm, pte);
}

bool pcache_zap_pte(struct pcache_meta *pcm, struct mm_struct *mm, pte_t *pte,
		    unsigned long address, bool *dirty)
{
	BUG_ON(!spin_is_locked(&mm->page_table_lock));
	if (!trylock_pcache(pcm))
		return false;
	pcache_zap_pte_locked(pcm, pte, dirty);
	pcache_get_locked(pcm);		/* held until the caller's TLB flush */
	unlock_pcache(pcm);
	return true;
}

void pcache_release_line(struct pcache_meta *pcm)
{
	lock_pcache(pcm);
	pcache_put_locked(pcm);
	unlock_pcache(pcm);	/* frees the line if that was the last user */
}

/*
 * The FLUSH message: a kept buffer or one from the heap (msgbuf.c), or
 * when the heap is out, the one reserve, so that writing a line back
 * (which frees memory) never needs memory it cannot get. The reserve's
 * holder sleeps in the RPC: a mutex.
 */
static struct mem_flush_req flush_reserve;
static DEFINE_MUTEX(flush_reserve_lock);

static struct mem_flush_req *flush_req_get(void)
{
	struct mem_flush_req *req = pcache_msgbuf_get();

	if (req)
		return req;
	mutex_lock(&flush_reserve_lock);
	return &flush_reserve;
}

static void flush_req_put(struct mem_flush_req *req)
{
	if (req == &flush_reserve)
		mutex_unlock(&flush_reserve_lock);
	else
		pcache_msgbuf_put(req);
}

/* What a write-back's error means for the line's owners (see pcache_writeback_line()). */
static void writeback_refused(struct mm_struct *mm, unsigned long address, int err)
{
	if (err == -EFAULT || err == -ESRCH) {	/* no mapping or no space there now */
		__atomic_fetch_add(&pcache.stats.writeback_unmapped, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&pcache.stats.writeback_refused, 1, __ATOMIC_RELAXED);
	memory_node_refused_data(mm, address, err);
}

static int flush_call(struct mm_struct *mm, const struct mem_flush_req *req)
{
	struct mem_ret_reply reply;
	long len;

	fail_alloc_exempt_begin();	/* reclaim: not the running task's own allocation */
	len = rpc_call(mm->home_node, RPC_MEM_FLUSH, req, sizeof(*req), &reply, sizeof(reply));
	fail_alloc_exempt_end();
	if (len < 0)
		return (int)len;
	if (len != sizeof(reply))
		return -EPROTO;
	return reply.ret < 0 ? reply.ret : 0;
}

int pcache_writeback_line(struct pcache_meta *pcm, struct mm_struct *mm, unsigned long address)
{
	struct mem_flush_req *req = flush_req_get();
	u64 t = profile_start();
	int err;

	*req = (struct mem_flush_req){ .tgid = mm->tgid, .addr = address };
	copy_page(req->data, pcache_line_data(pcm));
	err = flush_call(mm, req);
	flush_req_put(req);
	profile_end(PROF_writeback, t);
	__atomic_fetch_add(&pcache.stats.writebacks, 1, __ATOMIC_RELAXED);
	if (err)
		writeback_refused(mm, address, err);
	return err;
}
