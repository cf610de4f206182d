// SPDX-License-Identifier: GPL-2.0
/*
 * Address-space duplication for fork on the processor: the parent's ptes
 * turn copy-on-write and its dirty lines are written back (so the memory
 * node's copy is current even if a line is evicted before the child maps
 * it), the memory node copies the vmas and shares the pages copy-on-write
 * (FORK), then the processor copies the ptes so parent and child share
 * the pcache lines as well.
 */
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm_types.h>
#include <mosaic/page.h>
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
	/* Like a write-held mmap lock in Linux: the parent's other threads wait. */
	__atomic_store_n(&parent->forking, true, __ATOMIC_SEQ_CST);
	err = fork_clean_parent(parent);
	if (!err)
		err = mem_call(parent->home_node, RPC_MEM_FORK, &req, sizeof(req));
	if (!err) {
		err = copy_pte_range(child, parent, 0, USER_SPACE_END);
		if (err) {
			zap_pte_range(child, 0, USER_SPACE_END);
			mem_call(child->home_node, RPC_MEM_EXIT, &undo, sizeof(undo));
		}
	}
	__atomic_store_n(&parent->forking, false, __ATOMIC_SEQ_CST);
	return rpc_is_transport_error(err) ? -EIO : err;	/* the home node is lost */
}
