// SPDX-License-Identifier: GPL-2.0
/*
 * The exec image cache (interface in image_cache.h).
 *
 * An entry holds a reference on each page the loader filled from the file
 * (text, read-only data, the file part of the data segment), at the
 * addresses it filled them. A later exec of the same content (same storage
 * node, inode and version: the storage node gives a file a new version at
 * every write or truncate) at the same load bias maps those pages instead
 * of reading the file and copying it again. A shared page is never written:
 * the first store through mem_store() copies it (pt_lookup_private), as
 * after fork, so a process writing its data segment gets a private page
 * and the cache keeps the file's bytes.
 *
 * At most IMAGE_CACHE_MAX_PAGES pages are kept; the least recently used
 * entries go first. When the node runs out of pages the whole cache is
 * dropped (mem_page_alloc calls image_cache_shrink and tries again).
 */
#include <mosaic/errno.h>
#include <mosaic/list.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>
#include <mosaic/spinlock.h>
#include <mosaic/time.h>
#include <mosaic/string.h>

#include "image_cache.h"

#define IMAGE_CACHE_MAX_PAGES 4096	/* 16 MiB of memory-node pages */

struct image_page {
	u64 addr;
	struct mem_page *page;
};

struct image_entry {
	struct list_head link;		/* in image_lru, most recently used first */
	struct image_key key;
	unsigned int refs;		/* the cache's, plus installs in progress */
	unsigned int nr_pages;
	struct image_page pages[];
};

static LIST_HEAD(image_lru);
static DEFINE_SPINLOCK(image_lock);
static unsigned long image_pages;	/* pages held by every entry */

static bool key_equal(const struct image_key *a, const struct image_key *b)
{
	return a->node == b->node && a->ino == b->ino && a->version == b->version &&
	       a->load_bias == b->load_bias;
}

static void entry_put(struct image_entry *e)
{
	if (__atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (unsigned int i = 0; i < e->nr_pages; i++)
		mem_page_put(e->pages[i].page);
	kfree(e);
}

/* Context: image_lock held. The entry's pages go once no install uses them. */
static void entry_unlink(struct image_entry *e)
{
	list_del(&e->link);
	image_pages -= e->nr_pages;
	entry_put(e);
}

/* Context: image_lock held. */
static struct image_entry *find_locked(const struct image_key *key)
{
	struct image_entry *e;

	list_for_each_entry(e, &image_lru, link)
		if (key_equal(&e->key, key))
			return e;
	return NULL;
}

/* The entry for key, with a reference for the caller, moved to the front; or NULL. */
static struct image_entry *entry_get(const struct image_key *key)
{
	struct image_entry *e;

	spin_lock(&image_lock);
	e = find_locked(key);
	if (e) {
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);
		list_del(&e->link);
		list_add(&e->link, &image_lru);
	}
	spin_unlock(&image_lock);
	return e;
}

bool image_cache_install(struct mem_space *ms, const struct image_key *key)
{
	struct image_entry *e = entry_get(key);
	int err = 0;

	if (!e)
		return false;
	spin_lock(&ms->lock);
	for (unsigned int i = 0; i < e->nr_pages && !err; i++)
		err = pt_share_page(&ms->pt, e->pages[i].addr, e->pages[i].page);
	if (err)	/* no memory for a node: the caller loads from the file instead */
		pt_zap_range(&ms->pt, 0, VMA_TASK_SIZE);
	spin_unlock(&ms->lock);
	entry_put(e);
	return !err;
}

/*
 * A new image page id (memory.h): this node's id on top of a counter that
 * starts at the boot's wall-clock time, so a processor's line tagged with
 * an id from before a restart of this node never matches a new page.
 */
static u64 image_new_id(void)
{
	static u64 counter;
	u64 low = (1ULL << MEM_IMAGE_ID_NODE_SHIFT) - 1, n;

	if (!__atomic_load_n(&counter, __ATOMIC_RELAXED)) {
		u64 zero = 0;

		__atomic_compare_exchange_n(&counter, &zero, ktime_get_real_ns() & low, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	do
		n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) & low;
	while (!n);
	return ((u64)rpc_self_node() << MEM_IMAGE_ID_NODE_SHIFT) | n;
}

/* The pages of [start, end) that the loader filled, counted or (with e) recorded. */
static unsigned int collect_pages(struct mem_space *ms, u64 start, u64 end,
				  struct image_entry *e)
{
	unsigned int n = 0;

	for (u64 addr = start; addr < end; addr += PAGE_SIZE) {
		struct mem_page *page = pt_lookup(&ms->pt, addr);

		if (!page || (page->flags & MEM_PAGE_ZERO))
			continue;
		if (e) {
			if (!page->image_id)
				page->image_id = image_new_id();
			mem_page_get(page);
			e->pages[e->nr_pages++] = (struct image_page){ addr, page };
		}
		n++;
	}
	return n;
}

/* The file-filled pages of every PT_LOAD of info (e NULL: count them only). */
static unsigned int collect_image(struct mem_space *ms, const struct elf_info *info,
				  struct image_entry *e)
{
	unsigned int n = 0;

	for (int i = 0; i < info->ehdr.e_phnum; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];
		u64 va = ph->p_vaddr + info->load_bias;

		if (ph->p_type == PT_LOAD && ph->p_filesz)
			n += collect_pages(ms, ALIGN_DOWN(va, PAGE_SIZE),
					   ALIGN_UP(va + ph->p_filesz, PAGE_SIZE), e);
	}
	return n;
}

/* Context: image_lock held. Make room for n more pages. */
static void evict_for(unsigned int n)
{
	while (!list_empty(&image_lru) && image_pages + n > IMAGE_CACHE_MAX_PAGES)
		entry_unlink(list_entry(image_lru.prev, struct image_entry, link));
}

void image_cache_store(struct mem_space *ms, const struct image_key *key,
		       const struct elf_info *info)
{
	struct image_entry *e, *old;
	unsigned int n;

	spin_lock(&ms->lock);
	n = collect_image(ms, info, NULL);
	e = n <= IMAGE_CACHE_MAX_PAGES ? kmalloc(sizeof(*e) + n * sizeof(e->pages[0])) : NULL;
	if (e) {
		*e = (struct image_entry){ .key = *key, .refs = 1 };
		collect_image(ms, info, e);	/* the same pages: ms->lock held throughout */
	}
	spin_unlock(&ms->lock);
	if (!e)
		return;
	spin_lock(&image_lock);
	old = find_locked(key);	/* another exec stored it meanwhile */
	if (old)
		entry_unlink(old);
	evict_for(e->nr_pages);
	list_add(&e->link, &image_lru);
	image_pages += e->nr_pages;
	spin_unlock(&image_lock);
}

bool image_cache_shrink(void)
{
	bool dropped = false;

	spin_lock(&image_lock);
	while (!list_empty(&image_lru)) {
		entry_unlink(list_first_entry(&image_lru, struct image_entry, link));
		dropped = true;
	}
	spin_unlock(&image_lock);
	return dropped;
}

unsigned long image_cache_pages(void)
{
	return READ_ONCE(image_pages);
}
