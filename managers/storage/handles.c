// SPDX-License-Identifier: GPL-2.0
/*
 * Per-node handle tables: see handles.h. A node's table is allocated on its
 * first open. Lock: the store's lock (sto_fs.lock) covers the tables too.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>

#include "fs_tree.h"
#include "handles.h"

struct sto_handle_table {
	struct sto_handle slot[STO_HANDLES_PER_NODE];
};

static struct sto_handle_table *sto_tables[RPC_MAX_NODES];

static bool sto_node_valid(int node)
{
	return node >= 0 && node < RPC_MAX_NODES;
}

static struct sto_handle_table *sto_table_get(int node)
{
	if (!sto_tables[node])
		sto_tables[node] = kzalloc(sizeof(struct sto_handle_table));
	return sto_tables[node];
}

int sto_handle_install(int node, struct sto_inode *ino, u32 flags, u64 *id)
{
	struct sto_handle_table *t;
	struct sto_handle *h;
	u32 i;

	if (!sto_node_valid(node))
		return -EINVAL;
	t = sto_table_get(node);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < STO_HANDLES_PER_NODE; i++) {
		h = &t->slot[i];
		if (h->inode)
			continue;
		h->inode = ino;
		h->flags = flags;
		if (++h->gen == 0)	/* generation 0 would make id 0 valid */
			h->gen = 1;
		*id = ((u64)h->gen << 32) | i;
		return 0;
	}
	return -ENFILE;
}

struct sto_handle *sto_handle_find(int node, u64 id)
{
	u64 i = id & 0xffffffffu;
	struct sto_handle *h;

	if (!sto_node_valid(node) || !sto_tables[node] || i >= STO_HANDLES_PER_NODE)
		return NULL;
	h = &sto_tables[node]->slot[i];
	if (!h->inode || h->gen != (u32)(id >> 32))
		return NULL;
	return h;
}

static void sto_handle_release(struct sto_handle *h)
{
	fst_put(h->inode);
	h->inode = NULL;
}

int sto_handle_close(int node, u64 id)
{
	struct sto_handle *h = sto_handle_find(node, id);

	if (!h)
		return -EBADF;
	sto_handle_release(h);
	return 0;
}

int sto_handles_drop_node(int node)
{
	int i, n = 0;

	if (!sto_node_valid(node) || !sto_tables[node])
		return 0;
	for (i = 0; i < STO_HANDLES_PER_NODE; i++) {
		if (sto_tables[node]->slot[i].inode) {
			sto_handle_release(&sto_tables[node]->slot[i]);
			n++;
		}
	}
	return n;
}
