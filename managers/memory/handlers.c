// SPDX-License-Identifier: GPL-2.0
/*
 * RPC entry points of the memory manager: one small handler per opcode that
 * checks the message size, finds the sender's address space by (source
 * node, tgid), calls the matching mem_* function and writes the reply.
 * Malformed requests (wrong size, reply buffer too small) return -EINVAL to
 * the transport; operation errors travel inside the reply.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/init.h>
#include <mosaic/memory.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>

#include "image_cache.h"
#include "exec_rpc.h"
#include "page_budget.h"

/* An operation whose reply is a struct mem_ret_reply. */
struct mem_ret_op {
	size_t req_size;
	s64 (*run)(struct mem_space *ms, const void *req);
};

static long mem_ret_call(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			 void *reply, size_t reply_max, const struct mem_ret_op *op)
{
	struct mem_ret_reply *out = reply;
	struct mem_space *ms;

	if (req_len != op->req_size || reply_max < sizeof(*out))
		return -EINVAL;
	ms = mem_space_get(ctx->src_node, *(const u32 *)req);	/* every request starts with tgid */
	out->ret = ms ? op->run(ms, req) : -ESRCH;
	if (ms)
		mem_space_put(ms);
	return sizeof(*out);
}

static s64 run_mmap(struct mem_space *ms, const void *req) { return mem_mmap(ms, req); }
static s64 run_mremap(struct mem_space *ms, const void *req) { return mem_mremap(ms, req); }

static s64 run_munmap(struct mem_space *ms, const void *req)
{
	const struct mem_munmap_req *r = req;

	return mem_munmap(ms, r->addr, r->len);
}

static s64 run_mprotect(struct mem_space *ms, const void *req)
{
	const struct mem_mprotect_req *r = req;

	return mem_mprotect(ms, r->addr, r->len, r->prot);
}

static s64 run_brk(struct mem_space *ms, const void *req)
{
	return mem_brk(ms, ((const struct mem_brk_req *)req)->brk);
}

static s64 run_fork(struct mem_space *ms, const void *req)
{
	return mem_fork(ms, ((const struct mem_fork_req *)req)->child_tgid);
}

static s64 run_dontneed(struct mem_space *ms, const void *req)
{
	const struct mem_dontneed_req *r = req;

	return mem_dontneed(ms, r->addr, r->len);
}

static s64 run_flush(struct mem_space *ms, const void *req)
{
	const struct mem_flush_req *r = req;

	return mem_flush(ms, r->addr, r->data);
}

#define MEM_RET_HANDLER(name, req_type)                                              \
	BUILD_BUG_ON(offsetof(req_type, tgid) != 0);                                   \
	static const struct mem_ret_op name##_op = { sizeof(req_type), run_##name };   \
	static long rpc_##name(const struct rpc_ctx *ctx, const void *req, size_t len, \
			       void *reply, size_t max)                                \
	{                                                                              \
		return mem_ret_call(ctx, req, len, reply, max, &name##_op);            \
	}

MEM_RET_HANDLER(mmap, struct mem_mmap_req)
MEM_RET_HANDLER(munmap, struct mem_munmap_req)
MEM_RET_HANDLER(mprotect, struct mem_mprotect_req)
MEM_RET_HANDLER(brk, struct mem_brk_req)
MEM_RET_HANDLER(mremap, struct mem_mremap_req)
MEM_RET_HANDLER(flush, struct mem_flush_req)
MEM_RET_HANDLER(fork, struct mem_fork_req)
MEM_RET_HANDLER(dontneed, struct mem_dontneed_req)

static long rpc_exit(const struct rpc_ctx *ctx, const void *req, size_t len, void *reply,
		     size_t max)
{
	const struct mem_exit_req *r = req;
	struct mem_ret_reply *out = reply;

	if (len != sizeof(*r) || max < sizeof(*out))
		return -EINVAL;
	out->ret = mem_space_destroy(ctx->src_node, r->tgid);
	return sizeof(*out);
}

static long rpc_miss(const struct rpc_ctx *ctx, const void *req, size_t len, void *reply,
		     size_t max)
{
	const struct mem_miss_req *r = req;
	struct mem_miss_reply *out = reply;
	struct mem_space *ms;
	u64 t = profile_start();
	size_t n;

	if (len != sizeof(*r) || max < sizeof(*out))
		return -EINVAL;
	ms = mem_space_get(ctx->src_node, r->tgid);
	if (!ms) {
		*out = (struct mem_miss_reply){ .status = -ESRCH, .kind = MEM_MISS_ERROR };
		return MEM_MISS_REPLY_HDR;
	}
	n = mem_miss_req(ms, r, out);
	mem_space_put(ms);
	profile_end(PROF_mem_miss, t);
	return n;
}

static long rpc_maps(const struct rpc_ctx *ctx, const void *req, size_t len, void *reply,
		     size_t max)
{
	const struct mem_maps_req *r = req;
	struct mem_maps_reply *out = reply;
	struct mem_space *ms;

	if (len != sizeof(*r) || max < sizeof(*out))
		return -EINVAL;
	*out = (struct mem_maps_reply){ .err = -ESRCH };
	ms = mem_space_get(ctx->src_node, r->tgid);
	if (ms) {
		out->err = 0;
		out->len = (u32)mem_maps(ms, r->from, out->text, max - sizeof(*out), &out->next);
		mem_space_put(ms);
	}
	return (long)(sizeof(*out) + out->len);
}

static const struct {
	enum rpc_opcode op;
	rpc_handler_t fn;
} mem_handlers[] = {
	{ RPC_MEM_EXEC, rpc_mem_exec }, { RPC_MEM_MMAP, rpc_mmap }, { RPC_MEM_MUNMAP, rpc_munmap },
	{ RPC_MEM_MPROTECT, rpc_mprotect }, { RPC_MEM_BRK, rpc_brk },
	{ RPC_MEM_MREMAP, rpc_mremap }, { RPC_MEM_FLUSH, rpc_flush },
	{ RPC_MEM_MISS, rpc_miss }, { RPC_MEM_EXIT, rpc_exit }, { RPC_MEM_FORK, rpc_fork },
	{ RPC_MEM_DONTNEED, rpc_dontneed }, { RPC_MEM_MAPS, rpc_maps },
};

static long memnode_show(char *buf, size_t size)
{
	return snprintf(buf, size, "pages %lu\nmax_pages %u\nimage_cache_pages %lu\n",
			page_budget_used(), page_budget_max(), image_cache_pages());
}

void memory_manager_init(void)
{
	if (proc_register("memnode", memnode_show))
		pr_warn("memory: could not register /proc/memnode\n");
	for (size_t i = 0; i < ARRAY_SIZE(mem_handlers); i++)
		if (rpc_register(mem_handlers[i].op, mem_handlers[i].fn))
			pr_err("memory: cannot register RPC opcode %d\n", mem_handlers[i].op);
}
