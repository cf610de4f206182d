/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An intrusive treap: a binary search tree kept balanced (expected depth
 * O(log n)) by a random heap priority per node. Embed a struct treap_node in
 * your object; the caller supplies the ordering and does its own lookups by
 * walking ->left / ->right from root->top (see managers/memory/vma.c).
 *
 *   treap_insert(root, node, cmp)   keys must be unique
 *   treap_erase(root, node, cmp)    node must be in the tree
 *
 * No locking inside: the owner of the root serializes access. Pure C, no
 * allocation, host-testable (lib/treap.c).
 */
#ifndef _MOSAIC_TREAP_H
#define _MOSAIC_TREAP_H

#include <mosaic/types.h>

struct treap_node {
	struct treap_node *left, *right;
	u32 prio;
};

struct treap_root {
	struct treap_node *top;
	u32 seed;	/* xorshift state for priorities; any non-zero value */
};

#define TREAP_ROOT_INIT { .top = NULL, .seed = 0x9e3779b9u }

/* <0 when a sorts before b, 0 when equal, >0 after. */
typedef int (*treap_cmp_t)(const struct treap_node *a, const struct treap_node *b);

void treap_insert(struct treap_root *root, struct treap_node *node, treap_cmp_t cmp);
void treap_erase(struct treap_root *root, struct treap_node *node, treap_cmp_t cmp);

#endif
