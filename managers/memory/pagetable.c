// SPDX-License-Identifier: GPL-2.0
/*
 * Radix page table of an address space (interface in pagetable.h).
 *
 * Walks over a range go through one iterator, pt_walk(), that skips absent
 * subtrees and calls a pt_walk_control's leaf() on each present page: zap
 * and move are one small leaf function each.
 */
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/page.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#include "image_cache.h"
#include "page_budget.h"
#include "pagetable.h"

#define PT_LEVELS	4
#define PT_BITS		9
#define PT_FANOUT	(1UL << PT_BITS)

/* Address bits below the entries of a node at level (0 = root). */
static unsigned int pt_shift(int level)
{
	return PAGE_SHIFT + PT_BITS * (PT_LEVELS - 1 - level);
}

static unsigned long pt_index(unsigned long addr, int level)
{
	return (addr >> pt_shift(level)) & (PT_FANOUT - 1);
}

int pt_init(struct page_table *pt)
{
	pt->root = get_zeroed_pages(0);
	pt->nr_pages = 0;
	pt->nr_nodes = pt->root ? 1 : 0;
	return pt->root ? 0 : -ENOMEM;
}

/* The leaf node (PT_FANOUT page slots) that holds addr; with alloc, create missing nodes. */
static void **pt_leaf_node(struct page_table *pt, unsigned long addr, bool alloc)
{
	void **node = pt->root;

	for (int level = 0; level < PT_LEVELS - 1; level++) {
		void **next = node[pt_index(addr, level)];

		if (!next) {
			if (!alloc || !(next = get_zeroed_pages(0)))
				return NULL;
			node[pt_index(addr, level)] = next;
			pt->nr_nodes++;
		}
		node = next;
	}
	return node;
}

/* The leaf slot of addr; with alloc, create missing interior nodes. */
static struct mem_page **pt_slot(struct page_table *pt, unsigned long addr, bool alloc)
{
	void **leaf = pt_leaf_node(pt, addr, alloc);

	return leaf ? (struct mem_page **)&leaf[pt_index(addr, PT_LEVELS - 1)] : NULL;
}

struct mem_page *pt_lookup(struct page_table *pt, unsigned long addr)
{
	struct mem_page **slot = pt_slot(pt, addr, false);

	return slot ? *slot : NULL;
}

static struct mem_page *mem_page_try_alloc(void)
{
	struct mem_page *p;

	if (!page_budget_take())
		return NULL;
	p = kzalloc(sizeof(*p));
	if (p)
		p->data = get_free_pages(0);	/* MEM_PAGE_ZERO: cleared on first store */
	if (!p || !p->data) {
		kfree(p);
		page_budget_give();
		return NULL;
	}
	p->refcount = 1;
	p->flags = MEM_PAGE_ZERO;
	return p;
}

/* A fresh page; short of pages, the exec image cache gives its own back first. */
static struct mem_page *mem_page_alloc(void)
{
	struct mem_page *p = mem_page_try_alloc();

	if (!p && image_cache_shrink())
		p = mem_page_try_alloc();
	return p;
}

void mem_page_get(struct mem_page *p)
{
	__atomic_add_fetch(&p->refcount, 1, __ATOMIC_RELAXED);
}

/*
 * After fork (or an exec served by the image cache) a page may sit in
 * several tables, each under its own lock: the refcount is atomic, and a
 * shared page is never written (see pt_lookup_private()).
 */
void mem_page_put(struct mem_page *p)
{
	if (__atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	free_pages_addr(p->data, 0);
	kfree(p);
	page_budget_give();
}

struct mem_page *pt_lookup_or_alloc(struct page_table *pt, unsigned long addr)
{
	struct mem_page **slot = pt_slot(pt, addr, true);

	if (!slot)
		return NULL;
	if (!*slot) {
		*slot = mem_page_alloc();
		if (*slot)
			pt->nr_pages++;
	}
	return *slot;
}

int pt_share_page(struct page_table *pt, unsigned long addr, struct mem_page *page)
{
	struct mem_page **slot = pt_slot(pt, addr, true);

	if (!slot)
		return -ENOMEM;
	if (*slot == page)
		return 0;	/* two segments filled the same page */
	if (*slot)
		mem_page_put(*slot);
	else
		pt->nr_pages++;
	mem_page_get(page);
	*slot = page;
	return 0;
}

struct mem_page *pt_lookup_private(struct page_table *pt, unsigned long addr)
{
	struct mem_page **slot = pt_slot(pt, addr, true), *copy;

	if (!slot)
		return NULL;
	if (!*slot || __atomic_load_n(&(*slot)->refcount, __ATOMIC_ACQUIRE) == 1)
		return pt_lookup_or_alloc(pt, addr);
	copy = mem_page_alloc();	/* copy-on-write: the other space keeps the old page */
	if (!copy)
		return NULL;
	copy->flags = (*slot)->flags;
	if (!(copy->flags & MEM_PAGE_ZERO))
		memcpy(copy->data, (*slot)->data, PAGE_SIZE);
	mem_page_put(*slot);
	*slot = copy;
	return copy;
}

/* ---------------------------------------------------------------- range walks */

/* A move's destination leaf node, kept between pages: one walk per leaf, not per page. */
struct move_cursor {
	unsigned long leaf_base;	/* address the leaf starts at (valid when leaf) */
	void **leaf;
};

struct pt_walk_control {
	/* Called on each present page; may clear or replace *slot. */
	void (*leaf)(struct page_table *pt, struct mem_page **slot, unsigned long addr,
		     const struct pt_walk_control *wc);
	long delta;	/* move: destination minus source */
	struct move_cursor *dst;	/* move: the destination leaf last used */
};

/* Entries [*first, *last) of a node at level (based at base) that overlap [start, end). */
static void pt_node_bounds(int level, unsigned long base, unsigned long start, unsigned long end,
			   unsigned long *first, unsigned long *last)
{
	unsigned int shift = pt_shift(level);

	*first = start > base ? (start - base) >> shift : 0;
	*last = min((end - base + (1UL << shift) - 1) >> shift, PT_FANOUT);
}

/*
 * Only the entries that overlap [start, end) are looked at: an exit or an
 * exec walks many small vmas, and a scan of all 512 entries of each node
 * on the way to each of them cost more than the pages themselves.
 */
static void pt_walk_node(struct page_table *pt, void **node, int level, unsigned long base,
			 unsigned long start, unsigned long end, const struct pt_walk_control *wc)
{
	unsigned long span = 1UL << pt_shift(level), first, last;

	pt_node_bounds(level, base, start, end, &first, &last);
	for (unsigned long i = first; i < last; i++) {
		if (!node[i])
			continue;
		if (level == PT_LEVELS - 1)
			wc->leaf(pt, (struct mem_page **)&node[i], base + i * span, wc);
		else
			pt_walk_node(pt, node[i], level + 1, base + i * span, start, end, wc);
	}
}

static void pt_walk(struct page_table *pt, unsigned long start, unsigned long end,
		    const struct pt_walk_control *wc)
{
	if (pt->root && start < end)	/* no root: destroyed, nothing left to walk */
		pt_walk_node(pt, pt->root, 0, 0, start, end, wc);
}

static void zap_leaf(struct page_table *pt, struct mem_page **slot, unsigned long addr,
		     const struct pt_walk_control *wc)
{
	mem_page_put(*slot);
	*slot = NULL;
	pt->nr_pages--;
}

void pt_zap_range(struct page_table *pt, unsigned long start, unsigned long end)
{
	const struct pt_walk_control wc = { .leaf = zap_leaf };

	pt_walk(pt, start, end, &wc);
}

/* The slot of addr for a move, through the cursor's leaf when addr lies in it. */
static struct mem_page **move_dst_slot(struct page_table *pt, struct move_cursor *cur,
				       unsigned long addr)
{
	unsigned long base = addr & ~(PT_FANOUT * PAGE_SIZE - 1);

	if (!cur->leaf || cur->leaf_base != base) {
		cur->leaf = pt_leaf_node(pt, addr, true);
		cur->leaf_base = base;
	}
	return cur->leaf ? (struct mem_page **)&cur->leaf[pt_index(addr, PT_LEVELS - 1)] : NULL;
}

static void move_leaf(struct page_table *pt, struct mem_page **slot, unsigned long addr,
		      const struct pt_walk_control *wc)
{
	struct mem_page **dst = move_dst_slot(pt, wc->dst, addr + wc->delta);

	if (!dst) {	/* no memory for a node: the data is lost, say so */
		pr_warn("memory: mremap lost the page at %#lx (out of memory)\n", addr);
		zap_leaf(pt, slot, addr, wc);
		return;
	}
	*dst = *slot;
	*slot = NULL;
}

void pt_move_range(struct page_table *pt, unsigned long from, unsigned long to,
		   unsigned long len)
{
	struct move_cursor cursor = { 0 };
	const struct pt_walk_control wc = { .leaf = move_leaf, .delta = (long)(to - from),
					    .dst = &cursor };

	pt_walk(pt, from, from + len, &wc);
}

/* ---------------------------------------------------------------- teardown */

static void pt_free_node(struct page_table *pt, void **node, int level)
{
	for (unsigned long i = 0; i < PT_FANOUT; i++) {
		if (!node[i])
			continue;
		if (level == PT_LEVELS - 1) {
			mem_page_put(node[i]);
			pt->nr_pages--;
		} else {
			pt_free_node(pt, node[i], level + 1);
		}
	}
	free_pages_addr(node, 0);
	pt->nr_nodes--;
}

void pt_destroy(struct page_table *pt)
{
	if (pt->root)
		pt_free_node(pt, pt->root, 0);
	pt->root = NULL;
}

/* ---------------------------------------------------------------- fork */

/* Share the pages of one leaf node of src (covering base) with dst. */
static int pt_copy_leaf(struct page_table *dst, void **leaf, unsigned long base)
{
	void **copy = pt_leaf_node(dst, base, true);

	if (!copy)
		return -ENOMEM;
	for (unsigned long i = 0; i < PT_FANOUT; i++) {
		struct mem_page *page = leaf[i];

		if (!page)
			continue;
		mem_page_get(page);
		copy[i] = page;
		dst->nr_pages++;
	}
	return 0;
}

/*
 * Map every page of src into the empty dst as well (shared until written):
 * a leaf node at a time, so the walk down dst's tree happens once per 512
 * pages and not once per page.
 */
static int pt_copy_node(struct page_table *dst, void **node, int level, unsigned long base)
{
	unsigned long span = 1UL << pt_shift(level);

	if (level == PT_LEVELS - 1)
		return pt_copy_leaf(dst, node, base);
	for (unsigned long i = 0; i < PT_FANOUT; i++)
		if (node[i] && pt_copy_node(dst, node[i], level + 1, base + i * span))
			return -ENOMEM;
	return 0;
}

int pt_copy(struct page_table *dst, struct page_table *src)
{
	return pt_copy_node(dst, src->root, 0, 0);
}
