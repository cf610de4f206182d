// SPDX-License-Identifier: GPL-2.0
/*
 * Page access for processors: MISS (hand out a page: data, "zero" or an
 * error, always with the vma's protection) and FLUSH (store a dirty line
 * back), plus mem_space_write() for the loader. Interface in
 * <mosaic/memory.h> and space.h.
 *
 * A page is allocated on the first write miss (so the later FLUSH of that
 * line cannot fail for lack of memory) or on the first FLUSH; a read miss on
 * a never-written page allocates nothing and answers "zero".
 *
 * Lock: every function takes or expects ms->lock (see the Context lines).
 */
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/string.h>

#include "space.h"

static size_t miss_error(struct mem_miss_reply *reply, int err)
{
	reply->status = err;
	reply->kind = MEM_MISS_ERROR;
	return MEM_MISS_REPLY_HDR;
}

/* Context: ms->lock held. */
static int miss_check(struct mem_space *ms, u64 addr, bool write, u32 *prot)
{
	struct vma *vma = addr < VMA_TASK_SIZE ? vma_find(&ms->vs, addr) : NULL;

	if (!vma)
		return -EFAULT;
	*prot = vma->prot;
	if (write ? !(vma->prot & PROT_WRITE) : !(vma->prot & PROT_MASK))
		return -EACCES;
	return 0;
}

/*
 * A read of an image page in a vma nobody may write: the processor may map a
 * line it already holds for that page (req->known) instead of a copy.
 * Returns the index in known[], or -1.
 */
static int miss_known(const struct mem_miss_req *req, const struct mem_page *page, u32 prot)
{
	if (req->write || (prot & PROT_WRITE) || !page->image_id)
		return -1;
	for (int i = 0; i < MEM_MISS_KNOWN; i++)
		if (req->known[i] == page->image_id)
			return i;
	return -1;
}

/* Context: ms->lock held. */
static size_t miss_fill(struct mem_space *ms, const struct mem_miss_req *req, u32 prot,
			struct mem_miss_reply *reply)
{
	struct mem_page *page;
	int known;

	WARN_ON(!spin_is_held(&ms->lock));
	page = pt_lookup(&ms->pt, req->addr);
	if (!page && req->write) {
		page = pt_lookup_or_alloc(&ms->pt, req->addr);
		if (!page)
			return miss_error(reply, -ENOMEM);
	}
	reply->status = 0;
	if (!page || (page->flags & MEM_PAGE_ZERO)) {
		reply->kind = MEM_MISS_ZERO;
		return MEM_MISS_REPLY_HDR;
	}
	known = miss_known(req, page, prot);
	if (known >= 0) {
		reply->kind = MEM_MISS_SAME;
		reply->which = (u32)known;
		return MEM_MISS_REPLY_HDR;
	}
	reply->kind = MEM_MISS_DATA;
	reply->image_id = req->write ? 0 : page->image_id;
	memcpy(reply->data, page->data, PAGE_SIZE);
	return sizeof(*reply);
}

size_t mem_miss_req(struct mem_space *ms, const struct mem_miss_req *req,
		    struct mem_miss_reply *reply)
{
	struct mem_miss_req r = *req;
	size_t len;
	u32 prot = 0;
	int err;

	r.addr &= PAGE_MASK;
	reply->which = 0;
	reply->image_id = 0;
	spin_lock(&ms->lock);
	err = miss_check(ms, r.addr, r.write, &prot);
	len = err ? miss_error(reply, err) : miss_fill(ms, &r, prot, reply);
	spin_unlock(&ms->lock);
	reply->prot = prot;	/* the vma's, even with -EACCES */
	return len;
}

size_t mem_miss(struct mem_space *ms, u64 addr, bool write, struct mem_miss_reply *reply)
{
	struct mem_miss_req req = { .write = write, .addr = addr };

	return mem_miss_req(ms, &req, reply);
}

/* Context: ms->lock held. */
static int mem_store(struct mem_space *ms, u64 addr, const void *src, size_t len)
{
	struct mem_page *page;

	WARN_ON(!spin_is_held(&ms->lock));
	page = pt_lookup_private(&ms->pt, addr);
	if (!page)
		return -ENOMEM;
	if ((page->flags & MEM_PAGE_ZERO) && len < PAGE_SIZE)
		memset(page->data, 0, PAGE_SIZE);	/* never cleared (pagetable.h) */
	memcpy((u8 *)page->data + (addr & ~PAGE_MASK), src, len);
	page->flags &= ~MEM_PAGE_ZERO;
	page->image_id = 0;	/* no longer the image's bytes: no line may share it */
	return 0;
}

/* A dirty line may come back after an mprotect took write away: only the vma must exist. */
int mem_flush(struct mem_space *ms, u64 addr, const void *data)
{
	int err = -EFAULT;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	spin_lock(&ms->lock);
	if (addr < VMA_TASK_SIZE && vma_find(&ms->vs, addr))
		err = mem_store(ms, addr, data, PAGE_SIZE);
	spin_unlock(&ms->lock);
	return err;
}

/* Context: ms->lock held (see space.h). */
int mem_space_write(struct mem_space *ms, unsigned long addr, const void *src, size_t len)
{
	const u8 *p = src;

	while (len) {
		size_t chunk = min(len, PAGE_SIZE - (addr & ~PAGE_MASK));
		int err = mem_store(ms, addr, p, chunk);

		if (err)
			return err;
		addr += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}
