// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for the RPC core (suite "rpc"): registry rules, argument checks,
 * the local transport, per-opcode counters and the remote transport hook.
 * Tests register their temporary handlers on RPC_TEST, an opcode no
 * manager uses, and always remove them.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/rpc.h>
#include <mosaic/string.h>

#define TEST_OP RPC_TEST

static int test_seen_src;

/* Replies with the request's first byte plus one, and records the caller. */
static long test_incr_handler(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			      void *reply, size_t reply_max)
{
	if (req_len != 1 || reply_max < 1)
		return -EINVAL;
	test_seen_src = ctx->src_node;
	*(u8 *)reply = *(const u8 *)req + 1;
	return 1;
}

/* A buggy handler: claims a longer reply than the buffer. */
static long test_liar_handler(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			      void *reply, size_t reply_max)
{
	return (long)reply_max + 1;
}

KTEST(rpc, nop_echoes_payload)
{
	char reply[8];

	KEXPECT_EQ(rpc_call(rpc_self_node(), RPC_NOP, "ping", 4, reply, sizeof(reply)), 4);
	KEXPECT(memcmp(reply, "ping", 4) == 0);
	KEXPECT_EQ(rpc_call(rpc_self_node(), RPC_NOP, NULL, 0, NULL, 0), 0);
}

KTEST(rpc, bad_arguments_rejected)
{
	char buf[4];
	int self = rpc_self_node();

	KEXPECT_EQ(rpc_call(self, RPC_NR_OPCODES, NULL, 0, NULL, 0), -EINVAL);
	KEXPECT_EQ(rpc_call(self, (enum rpc_opcode)-1, NULL, 0, NULL, 0), -EINVAL);
	KEXPECT_EQ(rpc_call(self, RPC_NOP, buf, RPC_MAX_PAYLOAD + 1, buf, 4), -EINVAL);
	KEXPECT_EQ(rpc_call(self, RPC_NOP, NULL, 4, buf, 4), -EINVAL);
	KEXPECT_EQ(rpc_call(self, RPC_NOP, buf, 4, NULL, 4), -EINVAL);
	KEXPECT_EQ(rpc_call(-1, RPC_NOP, NULL, 0, NULL, 0), -EINVAL);
	KEXPECT_EQ(rpc_call(RPC_MAX_NODES, RPC_NOP, NULL, 0, NULL, 0), -EINVAL);
	/* The NOP echo refuses a reply buffer too small for the request. */
	KEXPECT_EQ(rpc_call(self, RPC_NOP, "ping", 4, buf, 2), -EINVAL);
}

KTEST(rpc, unknown_node_unreachable_without_transport)
{
	int other = (rpc_self_node() + 1) % RPC_MAX_NODES;

	rpc_set_remote_transport(NULL);
	KEXPECT_EQ(rpc_call(other, RPC_NOP, NULL, 0, NULL, 0), -EHOSTUNREACH);
}

KTEST(rpc, register_rules)
{
	KEXPECT_EQ(rpc_register(RPC_NR_OPCODES, test_incr_handler), -EINVAL);
	KEXPECT_EQ(rpc_register(TEST_OP, NULL), -EINVAL);
	KEXPECT_EQ(rpc_register(RPC_NOP, test_incr_handler), -EBUSY);
	KEXPECT_EQ(rpc_unregister(RPC_NR_OPCODES), -EINVAL);
	KASSERT_EQ(rpc_register(TEST_OP, test_incr_handler), 0);
	KEXPECT_EQ(rpc_register(TEST_OP, test_incr_handler), -EBUSY);
	KEXPECT_EQ(rpc_unregister(TEST_OP), 0);
	KEXPECT_EQ(rpc_unregister(TEST_OP), -ENOENT);
	KEXPECT_EQ(rpc_call(rpc_self_node(), TEST_OP, NULL, 0, NULL, 0), -ENOSYS);
}

KTEST(rpc, local_call_reaches_handler_and_counts)
{
	u8 in = 41, out = 0;
	u64 before;
	int self = rpc_self_node();

	KASSERT_EQ(rpc_register(TEST_OP, test_incr_handler), 0);
	before = rpc_call_count(TEST_OP);
	test_seen_src = -1;
	KEXPECT_EQ(rpc_call(self, TEST_OP, &in, 1, &out, 1), 1);
	KEXPECT_EQ(out, 42);
	KEXPECT_EQ(test_seen_src, self);
	/* Handler errors come back unchanged. */
	KEXPECT_EQ(rpc_call(self, TEST_OP, &in, 0, &out, 1), -EINVAL);
	KEXPECT_EQ(rpc_call_count(TEST_OP), before + 2);
	KEXPECT_EQ(rpc_call_count(RPC_NR_OPCODES), 0);
	rpc_unregister(TEST_OP);
}

KTEST(rpc, overlong_reply_is_protocol_error)
{
	u8 out[4];

	KASSERT_EQ(rpc_register(TEST_OP, test_liar_handler), 0);
	KEXPECT_EQ(rpc_call(rpc_self_node(), TEST_OP, NULL, 0, out, sizeof(out)), -EPROTO);
	rpc_unregister(TEST_OP);
}

static int test_remote_node;

static long test_remote_call(int node, enum rpc_opcode op, const void *req, size_t req_len,
			     void *reply, size_t reply_max)
{
	test_remote_node = node;
	return -ETIMEDOUT;
}

static const struct rpc_transport_ops test_remote_ops = {
	.name = "ktest-remote",
	.call = test_remote_call,
};

KTEST(rpc, remote_transport_gets_other_nodes)
{
	int other = (rpc_self_node() + 1) % RPC_MAX_NODES;
	char reply[4];

	rpc_set_remote_transport(&test_remote_ops);
	test_remote_node = -1;
	KEXPECT_EQ(rpc_call(other, RPC_NOP, NULL, 0, NULL, 0), -ETIMEDOUT);
	KEXPECT_EQ(test_remote_node, other);
	/* This node still goes through the local transport. */
	test_remote_node = -1;
	KEXPECT_EQ(rpc_call(rpc_self_node(), RPC_NOP, "ab", 2, reply, 4), 2);
	KEXPECT_EQ(test_remote_node, -1);
	rpc_set_remote_transport(NULL);
}
