// SPDX-License-Identifier: GPL-2.0
/*
 * Address-space layout: vmas with Linux mmap/munmap/mprotect/brk/mremap
 * semantics (interface and errnos in vma.h).
 *
 * Shape of every operation: check arguments, "isolate" the range (split the
 * vmas that straddle its ends so whole vmas lie inside), change or remove the
 * vmas inside, then merge compatible neighbours around the range. After every
 * successful operation no two adjacent vmas are mergeable (vma_space_check).
 *
 * Context: the caller serializes all calls on one vma_space (space.c holds
 * the address space's lock). Allocation uses kmalloc and may fail: the
 * operation then returns -ENOMEM with the layout still consistent.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#include "vma.h"

#define vma_of(n) container_of(n, struct vma, node)
#define PAGE_ALIGN_UP(x) ALIGN_UP((unsigned long)(x), PAGE_SIZE)

static int vma_cmp(const struct treap_node *a, const struct treap_node *b)
{
	unsigned long sa = vma_of(a)->start, sb = vma_of(b)->start;

	return sa < sb ? -1 : sa > sb;
}

void vma_space_init(struct vma_space *vs, unsigned long stack_top,
		    const struct vma_space_ops *ops)
{
	memset(vs, 0, sizeof(*vs));
	vs->tree = (struct treap_root)TREAP_ROOT_INIT;
	INIT_LIST_HEAD(&vs->vmas);
	vs->mmap_base = stack_top - VMA_STACK_GAP;
	vs->ops = ops;
}

/* ---------------------------------------------------------------- lookup */

struct vma *vma_find_above(struct vma_space *vs, unsigned long addr)
{
	struct treap_node *t = vs->tree.top;
	struct vma *best = NULL;

	while (t) {
		if (vma_of(t)->end > addr) {
			best = vma_of(t);
			t = t->left;
		} else {
			t = t->right;
		}
	}
	return best;
}

struct vma *vma_find(struct vma_space *vs, unsigned long addr)
{
	struct vma *v = vma_find_above(vs, addr);

	return v && v->start <= addr ? v : NULL;
}

struct vma *vma_next(struct vma_space *vs, struct vma *vma)
{
	return vma->link.next == &vs->vmas ? NULL : list_entry(vma->link.next, struct vma, link);
}

struct vma *vma_prev(struct vma_space *vs, struct vma *vma)
{
	return vma->link.prev == &vs->vmas ? NULL : list_entry(vma->link.prev, struct vma, link);
}

static struct vma *vma_last(struct vma_space *vs)
{
	return list_empty(&vs->vmas) ? NULL : list_entry(vs->vmas.prev, struct vma, link);
}

/* The last vma that starts below addr, or NULL. */
static struct vma *vma_last_below(struct vma_space *vs, unsigned long addr)
{
	struct vma *v = vma_find_above(vs, addr);

	if (v && v->start < addr)
		return v;
	return v ? vma_prev(vs, v) : vma_last(vs);
}

static bool vma_range_free(struct vma_space *vs, unsigned long start, unsigned long end)
{
	struct vma *v = vma_find_above(vs, start);

	return !v || v->start >= end;
}

/* ---------------------------------------------------------------- link, split, merge */

static void vma_insert(struct vma_space *vs, struct vma *vma)
{
	struct vma *prev = vma_last_below(vs, vma->start);

	list_add(&vma->link, prev ? &prev->link : &vs->vmas);
	treap_insert(&vs->tree, &vma->node, vma_cmp);
	vs->nr_vmas++;
}

static void vma_unlink(struct vma_space *vs, struct vma *vma)
{
	treap_erase(&vs->tree, &vma->node, vma_cmp);
	list_del(&vma->link);
	vs->nr_vmas--;
}

static struct vma *vma_alloc(unsigned long start, unsigned long end, u32 prot, u32 flags)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (v) {
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->flags = flags;
	}
	return v;
}

int vma_space_copy(struct vma_space *dst, struct vma_space *src)
{
	struct vma *v, *copy;

	if (dst->nr_vmas)
		return -EBUSY;
	list_for_each_entry(v, &src->vmas, link) {
		copy = vma_alloc(v->start, v->end, v->prot, v->flags);
		if (!copy)
			return -ENOMEM;	/* the caller clears dst */
		copy->file = v->file;
		vma_insert(dst, copy);
	}
	dst->mmap_base = src->mmap_base;
	dst->start_brk = src->start_brk;
	dst->brk = src->brk;
	return 0;
}

/* Cut vma at addr (strictly inside it): vma keeps [start, addr), a new vma gets the rest. */
static int vma_split(struct vma_space *vs, struct vma *vma, unsigned long addr)
{
	struct vma *upper = vma_alloc(addr, vma->end, vma->prot, vma->flags);

	if (!upper)
		return -ENOMEM;
	upper->file = vma->file;
	if (!(vma->flags & VMA_ANON))
		upper->file.offset += addr - vma->start;
	vma->end = addr;	/* the tree is keyed by start: order is unchanged */
	vma_insert(vs, upper);
	return 0;
}

/* Split the vmas straddling start or end so that none crosses either boundary. */
static int vma_isolate(struct vma_space *vs, unsigned long start, unsigned long end)
{
	struct vma *v = vma_find(vs, start);
	int err;

	if (v && v->start < start) {
		err = vma_split(vs, v, start);
		if (err)
			return err;
	}
	v = vma_find(vs, end);
	if (v && v->start < end)
		return vma_split(vs, v, end);
	return 0;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags)
		return false;
	if (a->flags & VMA_ANON)
		return true;
	return a->file.handle == b->file.handle &&
	       a->file.offset + (a->end - a->start) == b->file.offset;
}

/* Merge every mergeable pair of neighbours touching [start, end]. */
static void vma_merge_range(struct vma_space *vs, unsigned long start, unsigned long end)
{
	struct vma *v = vma_last_below(vs, start), *next;

	if (!v)
		v = vma_find_above(vs, start);
	while (v && v->start <= end) {
		next = vma_next(vs, v);
		if (!next)
			break;
		if (vma_mergeable(v, next)) {
			vma_unlink(vs, next);
			v->end = next->end;
			kfree(next);
		} else {
			v = next;
		}
	}
}

/* ---------------------------------------------------------------- removal and placement */

static void vma_destroy(struct vma_space *vs, struct vma *vma)
{
	if (vs->ops && vs->ops->zap)
		vs->ops->zap(vs, vma->start, vma->end);
	vma_unlink(vs, vma);
	kfree(vma);
}

/* Unmap [start, end): split the ends, drop every vma inside. */
static int vma_remove_range(struct vma_space *vs, unsigned long start, unsigned long end)
{
	struct vma *v, *next;
	int err;

	if (start >= end)
		return 0;
	err = vma_isolate(vs, start, end);
	if (err)
		return err;
	for (v = vma_find_above(vs, start); v && v->start < end; v = next) {
		next = vma_next(vs, v);
		vma_destroy(vs, v);
	}
	return 0;
}

void vma_space_clear(struct vma_space *vs)
{
	struct vma *v;

	while ((v = vma_last(vs)))
		vma_destroy(vs, v);
}

/* Highest free [addr, addr + len) that ends at or below high: addr or -ENOMEM. */
static long vma_unmapped_area(struct vma_space *vs, unsigned long len, unsigned long high)
{
	unsigned long top = high;
	struct vma *v;

	for (v = vma_last_below(vs, high); v; v = vma_prev(vs, v)) {
		if (v->end <= top && top - v->end >= len)
			return top - len;
		top = min(top, v->start);
	}
	if (top >= VMA_MMAP_MIN_ADDR + len)
		return top - len;
	return -ENOMEM;
}

/* Top-down below mmap_base first, then anywhere below the end of user space. */
static long vma_find_free(struct vma_space *vs, unsigned long len)
{
	long addr = vma_unmapped_area(vs, len, vs->mmap_base);

	return addr >= 0 ? addr : vma_unmapped_area(vs, len, VMA_TASK_SIZE);
}

static bool vma_range_ok(unsigned long addr, unsigned long len)
{
	return addr >= VMA_MMAP_MIN_ADDR && len <= VMA_TASK_SIZE && addr <= VMA_TASK_SIZE - len;
}

/* ---------------------------------------------------------------- mmap */

static int mmap_check_args(unsigned long len, u32 prot, u32 flags, const struct vma_file *file)
{
	u32 type = flags & MAP_TYPE;

	if (!len || (prot & ~PROT_MASK))
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (file && !IS_ALIGNED(file->offset, PAGE_SIZE))
		return -EINVAL;
	if (file && file->offset + PAGE_ALIGN_UP(len) < file->offset)
		return -EOVERFLOW;
	return 0;
}

static long mmap_fixed_addr(struct vma_space *vs, unsigned long addr, unsigned long len,
			    u32 flags)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	if (len > VMA_TASK_SIZE || addr > VMA_TASK_SIZE - len)
		return -ENOMEM;
	if (addr < VMA_MMAP_MIN_ADDR)
		return -EPERM;
	if ((flags & MAP_FIXED_NOREPLACE) && !vma_range_free(vs, addr, addr + len))
		return -EEXIST;
	return addr;
}

/* Where the new mapping goes: the fixed address, a free hint, or top-down. */
static long mmap_pick_addr(struct vma_space *vs, unsigned long addr, unsigned long len,
			   u32 flags)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		return mmap_fixed_addr(vs, addr, len, flags);
	addr = PAGE_ALIGN_UP(addr);
	if (addr && vma_range_ok(addr, len) && vma_range_free(vs, addr, addr + len))
		return addr;
	return vma_find_free(vs, len);
}

static u32 mmap_vma_flags(u32 flags, const struct vma_file *file)
{
	u32 vflags = file ? 0 : VMA_ANON;

	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		vflags |= VMA_SHARED;
	if (flags & MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	return vflags;
}

/* Install vma at its range, replacing whatever is mapped there. */
static int vma_place(struct vma_space *vs, struct vma *vma)
{
	int err = vma_remove_range(vs, vma->start, vma->end);

	if (err) {
		kfree(vma);
		return err;
	}
	vma_insert(vs, vma);
	vma_merge_range(vs, vma->start, vma->end);
	return 0;
}

long vma_mmap(struct vma_space *vs, unsigned long addr, unsigned long len, u32 prot,
	      u32 flags, const struct vma_file *file)
{
	struct vma *vma;
	long start;
	int err;

	err = mmap_check_args(len, prot, flags, file);
	if (err)
		return err;
	len = PAGE_ALIGN_UP(len);
	if (!len || len > VMA_TASK_SIZE)
		return -ENOMEM;
	start = mmap_pick_addr(vs, addr, len, flags);
	if (start < 0)
		return start;
	vma = vma_alloc(start, start + len, prot, mmap_vma_flags(flags, file));
	if (!vma)
		return -ENOMEM;
	if (file)
		vma->file = *file;
	err = vma_place(vs, vma);
	return err ? err : start;
}

/* ---------------------------------------------------------------- munmap, mprotect */

int vma_munmap(struct vma_space *vs, unsigned long addr, unsigned long len)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !len)
		return -EINVAL;
	len = PAGE_ALIGN_UP(len);
	if (!len || len > VMA_TASK_SIZE || addr > VMA_TASK_SIZE - len)
		return -EINVAL;
	return vma_remove_range(vs, addr, addr + len);
}

/* True when [start, end) is mapped without a hole. */
bool vma_range_covered(struct vma_space *vs, unsigned long start, unsigned long end)
{
	struct vma *v = vma_find(vs, start);

	while (v && v->end < end) {
		struct vma *next = vma_next(vs, v);

		if (!next || next->start != v->end)
			return false;
		v = next;
	}
	return v != NULL;
}

int vma_mprotect(struct vma_space *vs, unsigned long addr, unsigned long len, u32 prot)
{
	unsigned long end;
	struct vma *v;
	int err;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~PROT_MASK))
		return -EINVAL;
	if (!len)
		return 0;
	end = PAGE_ALIGN_UP(addr + len);
	if (end <= addr || end > VMA_TASK_SIZE)
		return -ENOMEM;
	if (!vma_range_covered(vs, addr, end))
		return -ENOMEM;
	err = vma_isolate(vs, addr, end);
	if (err)
		return err;
	for (v = vma_find(vs, addr); v && v->start < end; v = vma_next(vs, v))
		v->prot = prot;
	vma_merge_range(vs, addr, end);
	return 0;
}

/* ---------------------------------------------------------------- brk */

void vma_set_brk(struct vma_space *vs, unsigned long addr)
{
	vs->start_brk = vs->brk = PAGE_ALIGN_UP(addr);
}

static int brk_grow(struct vma_space *vs, unsigned long old_top, unsigned long new_top)
{
	struct vma *vma;

	if (!vma_range_free(vs, old_top, new_top))
		return -ENOMEM;
	vma = vma_alloc(old_top, new_top, PROT_READ | PROT_WRITE, VMA_ANON | VMA_BRK);
	if (!vma)
		return -ENOMEM;
	return vma_place(vs, vma);
}

unsigned long vma_brk(struct vma_space *vs, unsigned long new_brk)
{
	unsigned long old_top = PAGE_ALIGN_UP(vs->brk), new_top = PAGE_ALIGN_UP(new_brk);
	int err = 0;

	if (!vs->start_brk || new_brk < vs->start_brk)
		return vs->brk;
	if (!new_top || new_top > VMA_TASK_SIZE)
		return vs->brk;
	if (new_top < old_top)
		err = vma_remove_range(vs, new_top, old_top);
	else if (new_top > old_top)
		err = brk_grow(vs, old_top, new_top);
	if (!err)
		vs->brk = new_brk;
	return vs->brk;
}

/* ---------------------------------------------------------------- mremap */

/* Move [old, old + old_len), which lies in one vma, to [new, new + new_len). */
static long mremap_move(struct vma_space *vs, unsigned long old, unsigned long old_len,
			unsigned long new, unsigned long new_len)
{
	struct vma *vma;
	int err = vma_isolate(vs, old, old + old_len);

	if (err)
		return err;
	vma = vma_find(vs, old);
	vma_unlink(vs, vma);
	if (vs->ops && vs->ops->move)
		vs->ops->move(vs, old, new, old_len);
	vma->start = new;
	vma->end = new + new_len;
	vma_insert(vs, vma);
	vma_merge_range(vs, new, new + new_len);
	return new;
}

static long mremap_to(struct vma_space *vs, unsigned long old, unsigned long old_len,
		      unsigned long new_len, unsigned long new)
{
	int err;

	if (!IS_ALIGNED(new, PAGE_SIZE) || !vma_range_ok(new, new_len))
		return -EINVAL;
	if (new < old + old_len && old < new + new_len)
		return -EINVAL;
	err = vma_remove_range(vs, new, new + new_len);
	if (!err && new_len < old_len)
		err = vma_remove_range(vs, old + new_len, old + old_len);
	if (err)
		return err;
	return mremap_move(vs, old, min(old_len, new_len), new, new_len);
}

/* Grow in place when the range ends its vma and the space above is free. */
static bool mremap_grow_in_place(struct vma_space *vs, struct vma *vma, unsigned long old,
				 unsigned long old_len, unsigned long new_len)
{
	unsigned long end = old + new_len;

	if (old + old_len != vma->end || !vma_range_ok(old, new_len))
		return false;
	if (!vma_range_free(vs, vma->end, end))
		return false;
	vma->end = end;
	vma_merge_range(vs, old, end);
	return true;
}

static long mremap_check_args(unsigned long old, unsigned long old_len,
			      unsigned long new_len, u32 flags)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED))
		return -EINVAL;	/* MREMAP_DONTUNMAP is not supported */
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (!IS_ALIGNED(old, PAGE_SIZE) || !old_len || !new_len)
		return -EINVAL;	/* old_len 0 duplicates shared mappings only: unsupported */
	if (!PAGE_ALIGN_UP(old_len) || !PAGE_ALIGN_UP(new_len))
		return -EINVAL;
	return 0;
}

long vma_mremap(struct vma_space *vs, unsigned long old, unsigned long old_len,
		unsigned long new_len, u32 flags, unsigned long new_addr)
{
	long err = mremap_check_args(old, old_len, new_len, flags);
	struct vma *vma;

	if (err)
		return err;
	old_len = PAGE_ALIGN_UP(old_len);
	new_len = PAGE_ALIGN_UP(new_len);
	vma = vma_find(vs, old);
	if (!vma || old_len > vma->end - old)
		return -EFAULT;
	if (flags & MREMAP_FIXED)
		return mremap_to(vs, old, old_len, new_len, new_addr);
	if (new_len <= old_len) {
		err = vma_remove_range(vs, old + new_len, old + old_len);
		return err ? err : (long)old;
	}
	if (mremap_grow_in_place(vs, vma, old, old_len, new_len))
		return old;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = vma_find_free(vs, new_len);
	if (IS_ERR_VALUE(new_addr))
		return new_addr;
	return mremap_move(vs, old, old_len, new_addr, new_len);
}

/* ---------------------------------------------------------------- self-check */

static int vma_check_one(struct vma_space *vs, struct vma *v, struct vma *prev)
{
	if (v->start >= v->end || !IS_ALIGNED(v->start | v->end, PAGE_SIZE))
		return -EINVAL;
	if (v->end > VMA_TASK_SIZE || vma_find(vs, v->start) != v)
		return -EINVAL;
	if (prev && (prev->end > v->start || vma_mergeable(prev, v)))
		return -EINVAL;
	return 0;
}

static unsigned long treap_count(const struct treap_node *t)
{
	return t ? 1 + treap_count(t->left) + treap_count(t->right) : 0;
}

int vma_space_check(struct vma_space *vs)
{
	struct vma *v, *prev = NULL;
	unsigned long n = 0;

	list_for_each_entry(v, &vs->vmas, link) {
		if (vma_check_one(vs, v, prev))
			return -EINVAL;
		prev = v;
		n++;
	}
	if (n != vs->nr_vmas || treap_count(vs->tree.top) != n)
		return -EINVAL;
	return 0;
}
