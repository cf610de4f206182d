// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces of the memory manager: the registry keyed by (processor
 * node, tgid), and the locked entry points that the RPC handlers call
 * (mmap family, MISS, FLUSH). Interface in <mosaic/memory.h>.
 *
 * Lock order:
 *   mem_registry_lock        (the hash table and every ms->refs)
 *     -> ms->lock            (one space's vmas and page table)
 * A space is freed when its last reference goes; destroy only unhashes it
 * and drops the registry's reference, so a handler still running keeps it
 * alive.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#include "page_budget.h"
#include "space.h"

#define MEM_HASH_BITS	6
#define MEM_HASH_SIZE	(1U << MEM_HASH_BITS)

static struct list_head mem_hash[MEM_HASH_SIZE];
static bool mem_hash_ready;
static DEFINE_SPINLOCK(mem_registry_lock);

static struct list_head *mem_bucket(int node, u32 tgid)
{
	u32 h = (tgid * 0x9e3779b1u) ^ ((u32)node * 0x85ebca6bu);

	return &mem_hash[h >> (32 - MEM_HASH_BITS)];
}

/* Context: mem_registry_lock held. */
static void mem_hash_init_once(void)
{
	if (mem_hash_ready)
		return;
	for (unsigned int i = 0; i < MEM_HASH_SIZE; i++)
		INIT_LIST_HEAD(&mem_hash[i]);
	mem_hash_ready = true;
}

/* Context: mem_registry_lock held. */
static struct mem_space *mem_lookup(int node, u32 tgid)
{
	struct mem_space *ms;

	mem_hash_init_once();
	list_for_each_entry(ms, mem_bucket(node, tgid), hash_link)
		if (ms->node == node && ms->tgid == tgid)
			return ms;
	return NULL;
}

/* ---------------------------------------------------------------- vma -> page callbacks */

static void mem_zap(struct vma_space *vs, unsigned long start, unsigned long end)
{
	pt_zap_range(&container_of(vs, struct mem_space, vs)->pt, start, end);
}

static void mem_move(struct vma_space *vs, unsigned long from, unsigned long to,
		     unsigned long len)
{
	pt_move_range(&container_of(vs, struct mem_space, vs)->pt, from, to, len);
}

static const struct vma_space_ops mem_vma_ops = { .zap = mem_zap, .move = mem_move };

/* ---------------------------------------------------------------- lifetime */

static struct mem_space *mem_space_alloc(int node, u32 tgid)
{
	struct mem_space *ms = kzalloc(sizeof(*ms));

	if (!ms)
		return NULL;
	if (pt_init(&ms->pt)) {
		kfree(ms);
		return NULL;
	}
	ms->node = node;
	ms->tgid = tgid;
	ms->refs = 1;	/* the registry's */
	spin_lock_init(&ms->lock);
	vma_space_init(&ms->vs, MEM_STACK_TOP, &mem_vma_ops);
	return ms;
}

static void mem_space_free(struct mem_space *ms)
{
	/* Pages first, in one pass: the vmas' zaps then find nothing to walk. */
	pt_destroy(&ms->pt);
	vma_space_clear(&ms->vs);
	kfree(ms);
}

struct mem_space *mem_space_create(int node, u32 tgid)
{
	struct mem_space *ms = mem_space_alloc(node, tgid);

	if (!ms)
		return ERR_PTR(-ENOMEM);
	spin_lock(&mem_registry_lock);
	if (mem_lookup(node, tgid)) {
		spin_unlock(&mem_registry_lock);
		mem_space_free(ms);
		return ERR_PTR(-EEXIST);
	}
	list_add(&ms->hash_link, mem_bucket(node, tgid));
	ms->refs++;	/* the caller's */
	spin_unlock(&mem_registry_lock);
	return ms;
}

struct mem_space *mem_space_get(int node, u32 tgid)
{
	struct mem_space *ms;

	spin_lock(&mem_registry_lock);
	ms = mem_lookup(node, tgid);
	if (ms)
		ms->refs++;
	spin_unlock(&mem_registry_lock);
	return ms;
}

void mem_space_put(struct mem_space *ms)
{
	bool last;

	spin_lock(&mem_registry_lock);
	last = --ms->refs == 0;
	spin_unlock(&mem_registry_lock);
	if (last)
		mem_space_free(ms);
}

int mem_space_destroy(int node, u32 tgid)
{
	struct mem_space *ms;

	spin_lock(&mem_registry_lock);
	ms = mem_lookup(node, tgid);
	if (ms)
		list_del(&ms->hash_link);
	spin_unlock(&mem_registry_lock);
	if (!ms)
		return -ESRCH;
	mem_space_put(ms);	/* the registry's reference */
	return 0;
}

unsigned long mem_space_nr_pages(struct mem_space *ms)
{
	return READ_ONCE(ms->pt.nr_pages);
}

/* ---------------------------------------------------------------- layout calls */

long mem_mmap(struct mem_space *ms, const struct mem_mmap_req *req)
{
	struct vma_file file = { .handle = req->file_handle, .offset = req->file_offset };
	bool anon = req->flags & MAP_ANONYMOUS;
	long ret;

	if (!anon && !req->file_handle)
		return -EBADF;
	if (anon && !IS_ALIGNED(req->file_offset, PAGE_SIZE))
		return -EINVAL;	/* x86-64 mmap checks the offset even for anonymous maps */
	if (!page_budget_admits(req->len, req->prot, req->flags))
		return -ENOMEM;
	spin_lock(&ms->lock);
	ret = vma_mmap(&ms->vs, req->addr, req->len, req->prot, req->flags, anon ? NULL : &file);
	spin_unlock(&ms->lock);
	return ret;
}

long mem_munmap(struct mem_space *ms, u64 addr, u64 len)
{
	long ret;

	spin_lock(&ms->lock);
	ret = vma_munmap(&ms->vs, addr, len);
	spin_unlock(&ms->lock);
	return ret;
}

long mem_mprotect(struct mem_space *ms, u64 addr, u64 len, u32 prot)
{
	long ret;

	spin_lock(&ms->lock);
	ret = vma_mprotect(&ms->vs, addr, len, prot);
	spin_unlock(&ms->lock);
	return ret;
}

long mem_brk(struct mem_space *ms, u64 brk)
{
	long ret;

	spin_lock(&ms->lock);
	if (brk > ms->vs.brk && !page_budget_admits(brk - ms->vs.brk, PROT_WRITE, 0))
		ret = ms->vs.brk;	/* refused: brk answers the current break */
	else
		ret = vma_brk(&ms->vs, brk);
	spin_unlock(&ms->lock);
	return ret;
}

long mem_mremap(struct mem_space *ms, const struct mem_mremap_req *req)
{
	long ret;

	spin_lock(&ms->lock);
	ret = vma_mremap(&ms->vs, req->old_addr, req->old_len, req->new_len, req->flags,
			 req->new_addr);
	spin_unlock(&ms->lock);
	return ret;
}

/* ---------------------------------------------------------------- fork */

/* Context: both locks held. */
static int mem_copy_space(struct mem_space *child, struct mem_space *parent)
{
	int err = vma_space_copy(&child->vs, &parent->vs);

	return err ? err : pt_copy(&child->pt, &parent->pt);
}

long mem_fork(struct mem_space *parent, u32 child_tgid)
{
	struct mem_space *child = mem_space_create(parent->node, child_tgid);
	int err;

	if (IS_ERR(child))
		return PTR_ERR(child);
	/* Lock order: parent, then child (only fork holds two spaces). */
	spin_lock(&parent->lock);
	spin_lock(&child->lock);
	err = mem_copy_space(child, parent);
	spin_unlock(&child->lock);
	spin_unlock(&parent->lock);
	if (err)
		mem_space_destroy(child->node, child_tgid);
	mem_space_put(child);
	return err;
}

/* ---------------------------------------------------------------- madvise */

long mem_dontneed(struct mem_space *ms, u64 addr, u64 len)
{
	long err = 0;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || !len || !IS_ALIGNED(len, PAGE_SIZE) ||
	    addr + len < addr || addr + len > VMA_TASK_SIZE)
		return -EINVAL;
	spin_lock(&ms->lock);
	if (vma_range_covered(&ms->vs, addr, addr + len))
		pt_zap_range(&ms->pt, addr, addr + len);
	else
		err = -ENOMEM;
	spin_unlock(&ms->lock);
	return err;
}
