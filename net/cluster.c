// SPDX-License-Identifier: GPL-2.0
/*
 * Roles and peers: what this node serves and where the others are, from the
 * boot command line (DESIGN.md section 2). Interface: include/mosaic/rpc.h.
 *
 *   mosaic.role=all | processor,memory,storage (any comma list; default all)
 *   mosaic.peers=0@52:54:00:00:00:10,1@52:54:00:00:00:11   node id -> MAC
 *   mosaic.memory=1[,2...]   memory nodes serving this processor (default: self)
 *   mosaic.storage=1         storage node serving this processor (default: self)
 *
 * A bad value is refused as a whole with a message naming the bad part, and
 * the default stays. The parsers are pure (tools/testing/cluster_test.c).
 *
 * Locking: the tables are written only while the command line is parsed
 * (one CPU, before anything reads them) and read-only afterwards; the round
 * robin cursor is an atomic counter.
 */
#include <mosaic/errno.h>
#include <mosaic/netdev.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/rpc.h>
#include <mosaic/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "cluster: " fmt

#define CLUSTER_TOKEN_MAX 32

static unsigned int node_roles = RPC_ROLE_ALL;
static struct rpc_peer_table peer_table;
static struct rpc_node_list memory_nodes;
static struct rpc_node_list storage_nodes;
static unsigned int memory_cursor;

/* ---- parsers ---- */

/*
 * Copy the text up to sep (or the end) into tok. Returns where the next
 * token starts, "" at the end, or NULL if the token does not fit or is empty.
 */
static const char *cluster_token(const char *p, char sep, char *tok)
{
	size_t n = 0;

	while (p[n] && p[n] != sep)
		n++;
	if (!n || n >= CLUSTER_TOKEN_MAX)
		return NULL;
	memcpy(tok, p, n);
	tok[n] = '\0';
	return p + n + (p[n] == sep);
}

static int cluster_parse_role(const char *name, unsigned int *roles)
{
	static const struct { const char *name; unsigned int bits; } table[] = {
		{ "all", RPC_ROLE_ALL },
		{ "processor", RPC_ROLE_PROCESSOR },
		{ "memory", RPC_ROLE_MEMORY },
		{ "storage", RPC_ROLE_STORAGE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		if (!strcmp(name, table[i].name)) {
			*roles |= table[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

int rpc_parse_roles(const char *val, unsigned int *roles)
{
	char tok[CLUSTER_TOKEN_MAX];
	unsigned int bits = 0;

	if (!val || !*val)
		return -EINVAL;
	while (*val) {
		val = cluster_token(val, ',', tok);
		if (!val || cluster_parse_role(tok, &bits))
			return -EINVAL;
	}
	*roles = bits;
	return 0;
}

static int cluster_parse_node(const char *s, int *node)
{
	unsigned int id;

	if (kstrtouint(s, 10, &id) || id >= RPC_MAX_NODES)
		return -EINVAL;
	*node = (int)id;
	return 0;
}

int rpc_parse_node_list(const char *val, struct rpc_node_list *out)
{
	char tok[CLUSTER_TOKEN_MAX];
	struct rpc_node_list list = { 0 };

	if (!val || !*val)
		return -EINVAL;
	while (*val) {
		val = cluster_token(val, ',', tok);
		if (!val || list.nr == RPC_MAX_LISTED_NODES)
			return -EINVAL;
		if (cluster_parse_node(tok, &list.node[list.nr++]))
			return -EINVAL;
	}
	*out = list;
	return 0;
}

/* "52:54:00:00:00:10" -> 6 bytes. */
static int cluster_parse_mac(const char *s, u8 *mac)
{
	char tok[CLUSTER_TOKEN_MAX];
	unsigned int byte;

	for (int i = 0; i < ETH_ALEN; i++) {
		s = cluster_token(s, ':', tok);
		if (!s || strlen(tok) != 2 || kstrtouint(tok, 16, &byte))
			return -EINVAL;
		mac[i] = (u8)byte;
	}
	return *s ? -EINVAL : 0;
}

/* One "id@mac" entry. */
static int cluster_parse_peer(const char *entry, struct rpc_peer_table *t)
{
	char id[CLUSTER_TOKEN_MAX];
	const char *mac = cluster_token(entry, '@', id);
	int node;

	if (!mac || !*mac || cluster_parse_node(id, &node) || t->present[node])
		return -EINVAL;
	if (cluster_parse_mac(mac, t->mac[node]))
		return -EINVAL;
	t->present[node] = true;
	return 0;
}

int rpc_parse_peers(const char *val, struct rpc_peer_table *out)
{
	static struct rpc_peer_table t;	/* too big for a boot stack; one parser at a time */
	char entry[CLUSTER_TOKEN_MAX];

	if (!val || !*val)
		return -EINVAL;
	memset(&t, 0, sizeof(t));
	while (*val) {
		val = cluster_token(val, ',', entry);
		if (!val || cluster_parse_peer(entry, &t))
			return -EINVAL;
	}
	*out = t;
	return 0;
}

/* ---- boot parameters ---- */

static int cluster_set_roles(const char *val, const struct kernel_param *kp)
{
	if (rpc_parse_roles(val, &node_roles)) {
		pr_warn("mosaic.role=%s: expected all or a list of processor, memory, storage; "
			"running all\n", val ? val : "");
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("mosaic.role", cluster_set_roles, NULL,
	     "all | processor,memory,storage: the managers this node runs");

static int cluster_set_peers(const char *val, const struct kernel_param *kp)
{
	if (rpc_parse_peers(val, &peer_table)) {
		pr_warn("mosaic.peers=%s: expected id@xx:xx:xx:xx:xx:xx[,...] with ids below %d, "
			"each once; no peers\n", val ? val : "", RPC_MAX_NODES);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("mosaic.peers", cluster_set_peers, NULL, "node id -> MAC: 0@52:54:00:00:00:10,...");

static int cluster_set_nodes(const char *val, const struct kernel_param *kp)
{
	if (rpc_parse_node_list(val, kp->arg)) {
		pr_warn("%s=%s: expected up to %d node ids below %d; using this node\n", kp->name,
			val ? val : "", RPC_MAX_LISTED_NODES, RPC_MAX_NODES);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("mosaic.memory", cluster_set_nodes, &memory_nodes,
	     "memory nodes for this processor's processes (round robin)");
KERNEL_PARAM("mosaic.storage", cluster_set_nodes, &storage_nodes,
	     "the storage node for this processor's files");

/* ---- queries ---- */

bool rpc_has_role(unsigned int role)
{
	return (node_roles & role) == role;
}

unsigned int rpc_roles(void)
{
	return node_roles;
}

const struct rpc_peer_table *rpc_peers(void)
{
	return &peer_table;
}

bool rpc_peers_configured(void)
{
	for (int i = 0; i < RPC_MAX_NODES; i++)
		if (peer_table.present[i])
			return true;
	return false;
}

int rpc_next_memory_node(void)
{
	unsigned int i;
	int node;

	if (!memory_nodes.nr)
		return rpc_self_node();
	for (unsigned int tries = 0; tries < memory_nodes.nr; tries++) {
		i = __atomic_fetch_add(&memory_cursor, 1, __ATOMIC_RELAXED);
		node = memory_nodes.node[i % memory_nodes.nr];
		if (!rpc_node_is_down(node))
			return node;
	}
	return node;	/* all down: its calls fail with EHOSTDOWN */
}

const struct rpc_node_list *rpc_memory_nodes(void)
{
	return &memory_nodes;
}

int rpc_storage_node(void)
{
	return storage_nodes.nr ? storage_nodes.node[0] : rpc_self_node();
}
