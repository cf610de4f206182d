// SPDX-License-Identifier: GPL-2.0
/*
 * Address-space duplication for fork on the processor: the memory node
 * copies the vmas and shares the pages copy-on-write (FORK), then the
 * processor copies the ptes (copy_pte_range) so parent and child share the
 * pcache lines as well, both ptes write-protected. A dirty line stays dirty
 * and shared: it is written back to both owners when evicted.
 *
 * No bulk write-back: from just before FORK until the child's ptes are in
 * the rmaps, the parent's lines are kept out of eviction (the eviction
 * barrier, pcache/evict_barrier.c). An eviction that began earlier has
 * written back before FORK is sent (the barrier waits for it); one that
 * begins later finds the child in the rmap. Either way the child's copy
 * at the memory node or its shared line holds the newest data.
 *
 * Order: the layout lock (mm/layout_lock.c: its faults wait) -> block -> FORK -> copy ptes
 * (a pte table at a time: parent's pte lock -> child's, each line lock only
 * tried) -> unblock -> layout lock released.
 */
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm_types.h>
#include <mosaic/page.h>
#include <mosaic/pcache.h>
#include <mosaic/rpc.h>

static long mem_call(int node, enum rpc_opcode op, const void *req, size_t len)
{
	struct mem_ret_reply reply;
	long n = rpc_call(node, op, req, len, &reply, sizeof(reply));

	if (n < 0)
		return n;
	return n == sizeof(reply) ? reply.ret : -EIO;
}

int mm_fork(struct mm_struct *parent, struct mm_struct *child)
{
	struct mem_fork_req req = { .tgid = parent->tgid, .child_tgid = child->tgid };
	struct mem_exit_req undo = { .tgid = child->tgid };
	long err;

	if (child->home_node != parent->home_node)
		return -EINVAL;	/* the copy happens inside one memory node */
	mm_layout_change_begin(parent);	/* the parent's other threads' faults wait */
	pcache_block_eviction(parent, 0, USER_SPACE_END);
	err = mem_call(parent->home_node, RPC_MEM_FORK, &req, sizeof(req));
	if (!err) {
		err = copy_pte_range(child, parent, 0, USER_SPACE_END);
		if (err) {
			zap_pte_range(child, 0, USER_SPACE_END);
			mem_call(child->home_node, RPC_MEM_EXIT, &undo, sizeof(undo));
		}
	}
	pcache_unblock_eviction(parent);
	mm_layout_change_end(parent);
	return rpc_is_transport_error(err) ? -EIO : err;	/* the home node is lost */
}
