/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vma layer of the memory manager: an address-space layout (struct
 * vma_space) made of non-overlapping vmas [start, end) kept in a treap for
 * O(log n) lookup and in an address-ordered list for neighbour walks.
 *
 * Operations follow Linux's mmap/munmap/mprotect/brk/mremap semantics and
 * errnos (see each function). Pages are not this layer's business: when a
 * range stops being mapped or moves, it calls space->ops->zap / ->move so
 * the page table (pagetable.c) can free or move the pages.
 *
 * Pure logic: no locks, no hardware. The caller (space.c) holds the address
 * space's lock around every call. Host-tested by tools/testing/vma_test.c.
 */
#ifndef _MEMORY_VMA_H
#define _MEMORY_VMA_H

#include <mosaic/list.h>
#include <mosaic/memory.h>
#include <mosaic/treap.h>

/* Layout of a user address space (Linux x86-64 values). */
#define VMA_TASK_SIZE 0x00007ffffffff000UL	/* one guard page below 2^47 */
#define VMA_MMAP_MIN_ADDR 0x10000UL		/* below: -EPERM, like mmap_min_addr */
#define VMA_STACK_GAP (128UL << 20)		/* mmap_base = stack top - gap */

/* vma->flags */
#define VMA_ANON	0x1	/* not file-backed */
#define VMA_SHARED	0x2	/* MAP_SHARED (else private) */
#define VMA_GROWSDOWN	0x4	/* the stack */
#define VMA_BRK		0x8	/* the heap managed by brk() */

struct vma_file {
	u64 handle;	/* storage-manager file handle (0: none) */
	u64 offset;	/* file offset of vma->start */
};

struct vma {
	unsigned long start, end;
	u32 prot;	/* PROT_READ | PROT_WRITE | PROT_EXEC */
	u32 flags;	/* VMA_* */
	struct vma_file file;
	struct treap_node node;
	struct list_head link;	/* space->vmas, by address */
};

struct vma_space;

/* What the vma layer asks of the page layer. Both may be NULL. */
struct vma_space_ops {
	/* Forget (free) every page in [start, end). */
	void (*zap)(struct vma_space *vs, unsigned long start, unsigned long end);
	/* Move the pages of [from, from + len) to [to, to + len); ranges do not overlap. */
	void (*move)(struct vma_space *vs, unsigned long from, unsigned long to,
		     unsigned long len);
};

struct vma_space {
	struct treap_root tree;
	struct list_head vmas;
	unsigned long nr_vmas;
	unsigned long mmap_base;	/* top-down placement starts below this */
	unsigned long start_brk, brk;
	const struct vma_space_ops *ops;
};

void vma_space_init(struct vma_space *vs, unsigned long stack_top,
		    const struct vma_space_ops *ops);
/* Remove every vma (zapping its pages). */
void vma_space_clear(struct vma_space *vs);

/* Give the empty dst a copy of every vma of src, and its brk and mmap base (fork). 0, -EBUSY, -ENOMEM. */
int vma_space_copy(struct vma_space *dst, struct vma_space *src);

/* Every byte of [start, end) is in some vma (no holes). */
bool vma_range_covered(struct vma_space *vs, unsigned long start, unsigned long end);

/* The vma containing addr, or NULL. */
struct vma *vma_find(struct vma_space *vs, unsigned long addr);
/* The first vma with end > addr (the one containing addr or the next above), or NULL. */
struct vma *vma_find_above(struct vma_space *vs, unsigned long addr);
struct vma *vma_next(struct vma_space *vs, struct vma *vma);
struct vma *vma_prev(struct vma_space *vs, struct vma *vma);

/*
 * mmap: returns the address or a negative errno. file may be NULL for
 * anonymous mappings. Errors: -EINVAL (len 0, bad flags/prot, unaligned
 * MAP_FIXED address or file offset), -ENOMEM (too long, no room, out of
 * memory), -EEXIST (MAP_FIXED_NOREPLACE over a mapping), -EPERM (fixed
 * below VMA_MMAP_MIN_ADDR).
 */
long vma_mmap(struct vma_space *vs, unsigned long addr, unsigned long len, u32 prot,
	      u32 flags, const struct vma_file *file);
/* munmap: 0 or -EINVAL (unaligned, len 0, beyond user space), -ENOMEM (no memory to split). */
int vma_munmap(struct vma_space *vs, unsigned long addr, unsigned long len);
/*
 * mprotect: 0, -EINVAL (unaligned, bad prot), -ENOMEM (part of the range is
 * unmapped or out of memory). Unlike Linux, a hole leaves the whole range
 * unchanged (Linux changes the part before the hole).
 */
int vma_mprotect(struct vma_space *vs, unsigned long addr, unsigned long len, u32 prot);
/* Set the heap's start (exec: just above the highest segment). */
void vma_set_brk(struct vma_space *vs, unsigned long addr);
/* brk: returns the new break, or the old one when the request is refused. */
unsigned long vma_brk(struct vma_space *vs, unsigned long new_brk);
/* mremap: the new address or -EINVAL, -EFAULT (old range not in one vma), -ENOMEM. */
long vma_mremap(struct vma_space *vs, unsigned long old_addr, unsigned long old_len,
		unsigned long new_len, u32 flags, unsigned long new_addr);

/* Internal consistency check (ordering, no overlap, counts): 0 or -EINVAL. */
int vma_space_check(struct vma_space *vs);

#endif
