// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the role and peer parameters (net/cluster.c): what each
 * parser accepts, what it refuses, and that a refusal leaves the old value.
 */
// test-sources: net/cluster.c lib/kstrto.c
#include <mosaic/errno.h>
#include <mosaic/rpc.h>
#include <mosaic/string.h>
#include "tap.h"

int rpc_self_node(void) { return 5; }

static int down_node = -1;
bool rpc_node_is_down(int node) { return node == down_node; }

static void test_roles(void)
{
	unsigned int r = 0;

	EXPECT_EQ(rpc_parse_roles("all", &r), 0);
	EXPECT_EQ(r, RPC_ROLE_ALL);
	EXPECT_EQ(rpc_parse_roles("memory,storage", &r), 0);
	EXPECT_EQ(r, RPC_ROLE_MEMORY | RPC_ROLE_STORAGE);
	EXPECT_EQ(rpc_parse_roles("processor", &r), 0);
	EXPECT_EQ(r, RPC_ROLE_PROCESSOR);
	EXPECT_EQ(rpc_parse_roles("memory,,storage", &r), -EINVAL);
	EXPECT_EQ(rpc_parse_roles("memory,cpu", &r), -EINVAL);
	EXPECT_EQ(rpc_parse_roles("", &r), -EINVAL);
	EXPECT_EQ(rpc_parse_roles(NULL, &r), -EINVAL);
	EXPECT_EQ(rpc_parse_roles("memoryyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", &r), -EINVAL);
	EXPECT_EQ(r, RPC_ROLE_PROCESSOR);	/* refusals left it alone */
}

static void test_peers(void)
{
	struct rpc_peer_table t = { 0 };

	EXPECT_EQ(rpc_parse_peers("0@52:54:00:00:00:10,63@52:54:00:ab:CD:11", &t), 0);
	EXPECT(t.present[0] && t.present[63] && !t.present[1]);
	EXPECT_EQ(t.mac[0][5], 0x10);
	EXPECT_EQ(t.mac[63][3], 0xab);
	EXPECT_EQ(t.mac[63][4], 0xcd);
	EXPECT_EQ(rpc_parse_peers("64@52:54:00:00:00:10", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("1@52:54:00:00:00", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("1@52:54:00:00:00:10:11", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("1@52:54:00:00:00:1g", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("1@52:54:00:00:00:100", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("1@52:54:00:00:00:10,1@52:54:00:00:00:11", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("1", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("@52:54:00:00:00:10", &t), -EINVAL);
	EXPECT_EQ(rpc_parse_peers("x@52:54:00:00:00:10", &t), -EINVAL);
	EXPECT(t.present[0] && t.present[63]);	/* refusals left it alone */
}

static void test_node_lists(void)
{
	struct rpc_node_list l = { 0 };

	EXPECT_EQ(rpc_parse_node_list("1,2", &l), 0);
	EXPECT_EQ(l.nr, 2);
	EXPECT_EQ(l.node[1], 2);
	EXPECT_EQ(rpc_parse_node_list("1,2,3,4,5,6,7,8,9", &l), -EINVAL);
	EXPECT_EQ(rpc_parse_node_list("1,-2", &l), -EINVAL);
	EXPECT_EQ(rpc_parse_node_list("64", &l), -EINVAL);
	EXPECT_EQ(rpc_parse_node_list("1,", &l), 0);	/* a trailing comma ends the list */
	EXPECT_EQ(l.nr, 1);
}

static void test_defaults(void)
{
	EXPECT(rpc_has_role(RPC_ROLE_ALL));
	EXPECT_EQ(rpc_storage_node(), 5);
	EXPECT_EQ(rpc_next_memory_node(), 5);
}

/* Round robin over mosaic.memory= passes over a node declared down. */
static void test_memory_round_robin_skips_down_nodes(void)
{
	struct rpc_node_list l;
	int first, second;

	ASSERT(rpc_parse_node_list("1,2", &l) == 0);
	/* as mosaic.memory=1,2 would set it (the table is only read through this pointer) */
	*(struct rpc_node_list *)rpc_memory_nodes() = l;
	first = rpc_next_memory_node();
	second = rpc_next_memory_node();
	EXPECT(first != second);
	down_node = 2;
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(rpc_next_memory_node(), 1);
	down_node = 1;
	EXPECT_EQ(rpc_next_memory_node(), 2);
	down_node = -1;
	memset((void *)rpc_memory_nodes(), 0, sizeof(l));
}

int main(void)
{
	RUN(test_roles);
	RUN(test_peers);
	RUN(test_node_lists);
	RUN(test_defaults);
	RUN(test_memory_round_robin_skips_down_nodes);
	return tap_finish();
}
