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
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/string.h>

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

int pcache_writeback_line(struct pcache_meta *pcm, struct mm_struct *mm, unsigned long address)
{
	struct mem_flush_req *req = kmalloc(sizeof(*req));
	struct mem_ret_reply reply;
	u64 t = profile_start();
	long len;

	if (!req)
		return -ENOMEM;
	*req = (struct mem_flush_req){ .tgid = mm->tgid, .addr = address };
	copy_page(req->data, pcache_line_data(pcm));
	len = rpc_call(mm->home_node, RPC_MEM_FLUSH, req, sizeof(*req), &reply, sizeof(reply));
	kfree(req);
	profile_end(PROF_writeback, t);
	__atomic_fetch_add(&pcache.stats.writebacks, 1, __ATOMIC_RELAXED);
	if (len < 0)
		return len;
	return len == sizeof(reply) && reply.ret < 0 ? reply.ret : 0;
}
