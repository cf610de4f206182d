// SPDX-License-Identifier: GPL-2.0
/*
 * The RPC core: the per-opcode handler registry, rpc_call() and the local
 * transport. rpc_call() checks the opcode, the sizes and the node, counts
 * the call, then hands it to a transport through struct rpc_transport_ops:
 * the built-in local one when the target is this node, the registered
 * remote one otherwise. Interface: include/mosaic/rpc.h.
 *
 * A remote call ending in -ETIMEDOUT or -ECONNRESET declares its node down
 * (rpc_declare_node_down()): one bit in rpc_down_nodes, set atomically, so
 * the transport's node_down() and the down handler run once per node. The
 * bit is cleared again by rpc_probe_down_nodes() when a new incarnation of
 * the node answers (rpc_node_back()).
 *
 * Locking: rpc_table_lock serialises writers of the handler table and of
 * the remote transport pointer. Readers (every call) load a slot once with
 * READ_ONCE and take no lock: a handler is registered before its manager
 * serves requests and unregistered only when nothing calls it any more.
 */
#include <mosaic/errno.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "rpc: " fmt

static long rpc_nop_handler(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			    void *reply, size_t reply_max);

static rpc_handler_t rpc_handlers[RPC_NR_OPCODES] = {
	[RPC_NOP] = rpc_nop_handler,
};
static u64 rpc_calls[RPC_NR_OPCODES];
static const struct rpc_transport_ops *rpc_remote_transport;
static DEFINE_SPINLOCK(rpc_table_lock);

/* ---- node identity ---- */

static unsigned int rpc_node_id;

static int rpc_set_node_param(const char *val, const struct kernel_param *kp)
{
	int err = param_parse_uint_range(val, 0, RPC_MAX_NODES - 1, kp->arg);

	if (err == -ERANGE)
		pr_warn("mosaic.node=%s is not below %d\n", val, RPC_MAX_NODES);
	return err;
}
KERNEL_PARAM("mosaic.node", rpc_set_node_param, &rpc_node_id, "this node's id (0..63)");

int rpc_self_node(void)
{
	return (int)rpc_node_id;
}

/* ---- registry ---- */

static bool rpc_opcode_valid(enum rpc_opcode op)
{
	return (unsigned int)op < RPC_NR_OPCODES;
}

int rpc_register(enum rpc_opcode op, rpc_handler_t fn)
{
	int err = 0;

	if (!rpc_opcode_valid(op) || !fn)
		return -EINVAL;
	spin_lock(&rpc_table_lock);
	if (rpc_handlers[op])
		err = -EBUSY;
	else
		WRITE_ONCE(rpc_handlers[op], fn);
	spin_unlock(&rpc_table_lock);
	return err;
}

int rpc_unregister(enum rpc_opcode op)
{
	int err = 0;

	if (!rpc_opcode_valid(op))
		return -EINVAL;
	spin_lock(&rpc_table_lock);
	if (!rpc_handlers[op])
		err = -ENOENT;
	else
		WRITE_ONCE(rpc_handlers[op], NULL);
	spin_unlock(&rpc_table_lock);
	return err;
}

u64 rpc_call_count(enum rpc_opcode op)
{
	if (!rpc_opcode_valid(op))
		return 0;
	return __atomic_load_n(&rpc_calls[op], __ATOMIC_RELAXED);
}

void rpc_set_remote_transport(const struct rpc_transport_ops *ops)
{
	spin_lock(&rpc_table_lock);
	WRITE_ONCE(rpc_remote_transport, ops);
	spin_unlock(&rpc_table_lock);
	if (ops)
		pr_info("remote transport: %s\n", ops->name);
}

/* ---- dispatch (the receiving side of every transport) ---- */

/* RPC_NOP echoes its request: a ping that also checks the payload path. */
static long rpc_nop_handler(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			    void *reply, size_t reply_max)
{
	if (req_len > reply_max)
		return -EINVAL;
	if (req_len)
		memcpy(reply, req, req_len);
	return (long)req_len;
}

long rpc_dispatch(int src_node, enum rpc_opcode op, const void *req, size_t req_len,
		  void *reply, size_t reply_max)
{
	struct rpc_ctx ctx = { .src_node = src_node };
	rpc_handler_t fn;
	long ret;

	if (!rpc_opcode_valid(op) || req_len > RPC_MAX_PAYLOAD)
		return -EINVAL;
	fn = READ_ONCE(rpc_handlers[op]);
	if (!fn)
		return -ENOSYS;
	ret = fn(&ctx, req, req_len, reply, reply_max);
	/* A handler that claims more than the buffer holds has overrun it. */
	if (ret > 0 && (size_t)ret > reply_max) {
		pr_err("handler for opcode %d returned %ld > reply_max %zu\n",
		       op, ret, reply_max);
		return -EPROTO;
	}
	return ret;
}

/* ---- nodes declared down ---- */

static u64 rpc_down_nodes;	/* bit n: node n is down; atomic */
static rpc_node_down_fn rpc_down_handler;
/*
 * The epoch of the incarnation that lost this node's state, per node down:
 * it must not come back as if nothing happened. 0 when the node was found
 * restarted (-ECONNRESET): the incarnation we know is already a new one.
 */
static u64 rpc_lost_epoch[RPC_MAX_NODES];

bool rpc_node_is_down(int node)
{
	if (node < 0 || node >= RPC_MAX_NODES)
		return false;
	return __atomic_load_n(&rpc_down_nodes, __ATOMIC_ACQUIRE) & (1ULL << node);
}

void rpc_set_node_down_handler(rpc_node_down_fn fn)
{
	WRITE_ONCE(rpc_down_handler, fn);
}

/* Does a remote call's result say the node lost us (silent, or restarted)? */
static bool rpc_result_means_down(long ret)
{
	return ret == -ETIMEDOUT || ret == -ECONNRESET;
}

static void rpc_declare_node_down(const struct rpc_transport_ops *tp, int node, long err)
{
	u64 bit = 1ULL << node;
	rpc_node_down_fn fn;

	if (__atomic_fetch_or(&rpc_down_nodes, bit, __ATOMIC_ACQ_REL) & bit)
		return;		/* somebody else found out first */
	WRITE_ONCE(rpc_lost_epoch[node],
		   err == -ECONNRESET || !tp->node_epoch ? 0 : tp->node_epoch(node));
	pr_err("node %d is down (%s): its calls fail with EHOSTDOWN from now on\n", node,
	       err == -ECONNRESET ? "it restarted" : "no answer");
	if (tp->node_down)
		tp->node_down(node);
	fn = READ_ONCE(rpc_down_handler);
	if (fn)
		fn(node, err);
}

/* A node declared down answered a probe: take it back if it is a new incarnation. */
static void rpc_node_back(const struct rpc_transport_ops *tp, int node)
{
	u64 epoch = tp->node_epoch(node);

	if (!epoch || epoch == READ_ONCE(rpc_lost_epoch[node]))
		return;		/* the incarnation that lost our state: keep it out */
	__atomic_fetch_and(&rpc_down_nodes, ~(1ULL << node), __ATOMIC_ACQ_REL);
	pr_info("node %d is back (new epoch %016llx): new processes may be homed there\n",
		node, (unsigned long long)epoch);
}

void rpc_probe_down_nodes(void)
{
	const struct rpc_transport_ops *tp = READ_ONCE(rpc_remote_transport);

	if (!tp || !tp->node_epoch)
		return;
	for (int node = 0; node < RPC_MAX_NODES; node++) {
		if (node == rpc_self_node() || !rpc_node_is_down(node))
			continue;
		/*
		 * Straight to the transport: rpc_call() refuses a node that is
		 * down. A restarted node first answers -ECONNRESET (its epoch
		 * changed), which teaches the transport the new epoch; the next
		 * probe gets through.
		 */
		if (tp->call(node, RPC_NOP, NULL, 0, NULL, 0) == 0)
			rpc_node_back(tp, node);
	}
}

/* ---- transports ---- */

static long rpc_local_call(int node, enum rpc_opcode op, const void *req, size_t req_len,
			   void *reply, size_t reply_max)
{
	return rpc_dispatch(node, op, req, req_len, reply, reply_max);
}

static const struct rpc_transport_ops rpc_local_transport = {
	.name = "local",
	.call = rpc_local_call,
};

static const struct rpc_transport_ops *rpc_pick_transport(int node)
{
	if (node == rpc_self_node())
		return &rpc_local_transport;
	return READ_ONCE(rpc_remote_transport);
}

/* Sizes and buffers a caller gives must be usable by any transport. */
static int rpc_check_buffers(const void *req, size_t req_len, void *reply, size_t reply_max)
{
	if (req_len > RPC_MAX_PAYLOAD)
		return -EINVAL;
	if ((req_len && !req) || (reply_max && !reply))
		return -EINVAL;
	return 0;
}

long rpc_call(int node, enum rpc_opcode op, const void *req, size_t req_len,
	      void *reply, size_t reply_max)
{
	const struct rpc_transport_ops *tp;
	u64 t;
	long ret;
	int err;

	if (!rpc_opcode_valid(op))
		return -EINVAL;
	err = rpc_check_buffers(req, req_len, reply, reply_max);
	if (err)
		return err;
	if (node < 0 || node >= RPC_MAX_NODES)
		return -EINVAL;
	tp = rpc_pick_transport(node);
	if (!tp)
		return -EHOSTUNREACH;
	if (rpc_node_is_down(node))
		return -EHOSTDOWN;
	__atomic_fetch_add(&rpc_calls[op], 1, __ATOMIC_RELAXED);
	t = profile_start();
	ret = tp->call(node, op, req, req_len, reply, reply_max);
	profile_end(tp == &rpc_local_transport ? PROF_rpc_local : PROF_rpc_remote, t);
	if (node != rpc_self_node() && rpc_result_means_down(ret))
		rpc_declare_node_down(tp, node, ret);
	return ret;
}
