// SPDX-License-Identifier: GPL-2.0
/*
 * Intrusive treap (see include/mosaic/treap.h). Insertion splits the tree at
 * the new key where the new node's priority belongs; erasure replaces the
 * node with the merge of its two subtrees. Both recurse only along one
 * root-to-leaf path, so stack depth is the tree depth (expected ~2 log2 n).
 */
#include <mosaic/treap.h>

static u32 treap_next_prio(struct treap_root *root)
{
	u32 x = root->seed ? root->seed : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	root->seed = x;
	return x;
}

/* Split t into nodes before key (*lo) and after it (*hi). */
static void treap_split(struct treap_node *t, const struct treap_node *key, treap_cmp_t cmp,
			struct treap_node **lo, struct treap_node **hi)
{
	if (!t) {
		*lo = *hi = NULL;
	} else if (cmp(t, key) < 0) {
		treap_split(t->right, key, cmp, &t->right, hi);
		*lo = t;
	} else {
		treap_split(t->left, key, cmp, lo, &t->left);
		*hi = t;
	}
}

/* Join two treaps where every key of a sorts before every key of b. */
static struct treap_node *treap_merge(struct treap_node *a, struct treap_node *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio >= b->prio) {
		a->right = treap_merge(a->right, b);
		return a;
	}
	b->left = treap_merge(a, b->left);
	return b;
}

static struct treap_node **treap_link_of(struct treap_root *root, const struct treap_node *node,
					 treap_cmp_t cmp, u32 stop_below_prio, bool by_prio)
{
	struct treap_node **link = &root->top;

	while (*link && *link != node) {
		if (by_prio && (*link)->prio < stop_below_prio)
			break;
		link = cmp(node, *link) < 0 ? &(*link)->left : &(*link)->right;
	}
	return link;
}

void treap_insert(struct treap_root *root, struct treap_node *node, treap_cmp_t cmp)
{
	struct treap_node **link;

	node->prio = treap_next_prio(root);
	link = treap_link_of(root, node, cmp, node->prio, true);
	treap_split(*link, node, cmp, &node->left, &node->right);
	*link = node;
}

void treap_erase(struct treap_root *root, struct treap_node *node, treap_cmp_t cmp)
{
	struct treap_node **link = treap_link_of(root, node, cmp, 0, false);

	if (*link == node)
		*link = treap_merge(node->left, node->right);
	node->left = node->right = NULL;
}
