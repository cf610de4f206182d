// SPDX-License-Identifier: GPL-2.0
/*
 * Address-space duplication for fork on the processor: the memory node
 * copies the vmas and shares the pages copy-on-write (FORK); the processor
 * copies the ptes so parent and child share the pcache lines as well.
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
	err = mem_call(parent->home_node, RPC_MEM_FORK, &req, sizeof(req));
	if (err)
		return err;
	err = copy_pte_range(child, parent, 0, USER_SPACE_END);
	if (err) {
		zap_pte_range(child, 0, USER_SPACE_END);
		mem_call(child->home_node, RPC_MEM_EXIT, &undo, sizeof(undo));
	}
	return err;
}
