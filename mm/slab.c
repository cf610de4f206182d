// SPDX-License-Identifier: GPL-2.0
/*
 * Object caches and kmalloc (interface in include/mosaic/mm.h).
 *
 * A kmem_cache hands out fixed-size objects carved from slabs: blocks of
 * 2^slab_order pages from the buddy allocator. A slab's bookkeeping lives in
 * the struct page of its first page (cache, free list, objects in use), so
 * kfree() finds everything from the address: the page says which cache, or
 * that the block is a large kmalloc (more than KMALLOC_MAX_CACHE_SIZE bytes,
 * straight from the buddy, order in the page). A free object holds the link
 * to the next free one in its first word and, when it has room, a marker in
 * its second word, so most double frees are caught.
 *
 * A slab with no object in use goes back to the buddy at once.
 *
 * Lock order: kmem_cache.lock -> nothing. Pages are allocated and freed with
 * no cache lock held, so the buddy's zone_lock never nests under one.
 */
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/fail_alloc.h>
#include <mosaic/mm.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include "buddy.h"
#include "mm_internal.h"

#define KMALLOC_MIN_SHIFT 3
#define KMALLOC_MAX_SHIFT 11
#define NR_KMALLOC_CACHES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)
#define SLAB_MAX_ORDER 3
#define SLAB_MIN_OBJECTS 8
#define FREE_MARKER 0x5a5a0f7eef5a5a5aUL

struct kmem_cache {
	const char *name;
	size_t obj_size;	    /* rounded up to the alignment */
	unsigned int slab_order;
	unsigned int objs_per_slab;
	spinlock_t lock;
	struct list_head partial; /* slabs with at least one free object */
	unsigned long nr_slabs;	    /* protected by lock */
};

static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static const char *const kmalloc_names[NR_KMALLOC_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

static unsigned int choose_slab_order(size_t obj_size)
{
	unsigned int order = 0;

	while (order < SLAB_MAX_ORDER && (PAGE_SIZE << order) / obj_size < SLAB_MIN_OBJECTS)
		order++;
	return order;
}

static void cache_init(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	c->name = name;
	c->obj_size = ALIGN_UP(max(size, sizeof(void *)), max(align, sizeof(void *)));
	c->slab_order = choose_slab_order(c->obj_size);
	c->objs_per_slab = (PAGE_SIZE << c->slab_order) / c->obj_size;
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->partial);
	c->nr_slabs = 0;
}

void slab_init(void)
{
	unsigned int i;

	for (i = 0; i < NR_KMALLOC_CACHES; i++)
		cache_init(&kmalloc_caches[i], kmalloc_names[i], 1UL << (i + KMALLOC_MIN_SHIFT), 0);
}

static void mark_free(const struct kmem_cache *c, void **obj, void *next)
{
	obj[0] = next;
	if (c->obj_size >= 2 * sizeof(void *))
		obj[1] = (void *)(FREE_MARKER ^ (unsigned long)obj);
}

/* A fresh slab with every object on its free list, or NULL. Called unlocked. */
static struct page *new_slab(struct kmem_cache *c)
{
	struct page *head = alloc_pages(c->slab_order);
	char *base;
	unsigned int i;

	if (!head)
		return NULL;
	base = page_address(head);
	head->flags |= PG_SLAB;
	head->slab.cache = c;
	head->slab.freelist = NULL;
	head->slab_inuse = 0;
	for (i = 1; i < (1U << c->slab_order); i++) {
		head[i].flags |= PG_SLAB_TAIL;
		head[i].slab_head = head;
	}
	for (i = c->objs_per_slab; i-- > 0;) {
		mark_free(c, (void **)(base + i * c->obj_size), head->slab.freelist);
		head->slab.freelist = base + i * c->obj_size;
	}
	return head;
}

static void free_slab(struct kmem_cache *c, struct page *head)
{
	unsigned int i;

	for (i = 1; i < (1U << c->slab_order); i++)
		head[i].flags &= ~PG_SLAB_TAIL;
	head->flags &= ~PG_SLAB;
	free_pages(head, c->slab_order);
}

/* Take one object from the first partial slab. Context: c->lock held. */
static void *take_object(struct kmem_cache *c)
{
	struct page *slab = list_first_entry(&c->partial, struct page, lru);
	void **obj = slab->slab.freelist;

	slab->slab.freelist = obj[0];
	if (c->obj_size >= 2 * sizeof(void *))
		obj[1] = NULL;
	if (++slab->slab_inuse == c->objs_per_slab)
		list_del_init(&slab->lru);
	return obj;
}

int kmem_cache_alloc_bulk(struct kmem_cache *c, void **objs, int n)
{
	unsigned long flags;
	struct page *slab;
	int got = 0;

	if (n <= 0 || should_fail_alloc())
		return 0;
	flags = spin_lock_irqsave(&c->lock);
	while (got < n) {
		if (list_empty(&c->partial)) {
			spin_unlock_irqrestore(&c->lock, flags);
			slab = new_slab(c);
			if (!slab)
				return got;
			flags = spin_lock_irqsave(&c->lock);
			list_add(&slab->lru, &c->partial);
			c->nr_slabs++;
		}
		objs[got++] = take_object(c);
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return got;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	void *obj;

	return kmem_cache_alloc_bulk(c, &obj, 1) ? obj : NULL;
}

/* The first page of the slab holding addr, or NULL when addr is in no slab. */
static struct page *slab_of(const void *addr)
{
	struct page *p = virt_to_page(addr);

	if (p && (p->flags & PG_SLAB_TAIL))
		p = p->slab_head;
	return p && (p->flags & PG_SLAB) ? p : NULL;
}

/* True when obj is the start of one of slab's objects. */
static bool object_in_slab(const struct kmem_cache *c, struct page *slab, const void *obj)
{
	unsigned long off = (unsigned long)obj - (unsigned long)page_address(slab);

	return off % c->obj_size == 0 && off / c->obj_size < c->objs_per_slab;
}

/* Context: c->lock held. */
static bool already_free(const struct kmem_cache *c, const struct page *slab, void **obj)
{
	void **f;

	if (c->obj_size >= 2 * sizeof(void *) &&
	    obj[1] != (void *)(FREE_MARKER ^ (unsigned long)obj))
		return false; /* cheap answer: no marker, so in use */
	for (f = slab->slab.freelist; f; f = f[0])
		if (f == obj)
			return true;
	return false;
}

/*
 * Return obj to its slab. True when the slab emptied: it is off the partial
 * list and the caller gives it back to the buddy once c->lock is dropped.
 * Context: c->lock held.
 */
static bool put_object_locked(struct kmem_cache *c, struct page *slab, void *obj)
{
	bool was_full = slab->slab_inuse == c->objs_per_slab;

	mark_free(c, obj, slab->slab.freelist);
	slab->slab.freelist = obj;
	if (--slab->slab_inuse == 0) {
		if (!was_full)
			list_del_init(&slab->lru);
		c->nr_slabs--;
		return true;
	}
	if (was_full)
		list_add(&slab->lru, &c->partial);
	return false;
}

static void warn_double_free(const struct kmem_cache *c, const void *obj)
{
	pr_warn("slab %s: double free of %p refused\n", c->name, obj);
	WARN_ON(1);
}

/* Return obj to its slab, giving the slab back to the buddy when it empties. */
static void free_object(struct kmem_cache *c, struct page *slab, void *obj)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	bool double_free = already_free(c, slab, obj);
	bool emptied = !double_free && put_object_locked(c, slab, obj);

	spin_unlock_irqrestore(&c->lock, flags);
	if (double_free)
		warn_double_free(c, obj);
	if (emptied)
		free_slab(c, slab);
}

static void warn_bad_free(const char *who, const void *p)
{
	pr_warn("%s: %p was not allocated here; not freed\n", who, p);
	WARN_ON(1);
}

/* The slab of obj, which must be an object of c; NULL (warned) otherwise. */
static struct page *owning_slab(struct kmem_cache *c, void *obj)
{
	struct page *slab = slab_of(obj);

	if (!slab || slab->slab.cache != c || !object_in_slab(c, slab, obj)) {
		warn_bad_free(c->name, obj);
		return NULL;
	}
	return slab;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *slab;

	if (!obj)
		return;
	slab = owning_slab(c, obj);
	if (slab)
		free_object(c, slab, obj);
}

/*
 * Free objs[0..n) under one lock round trip; an emptied slab goes back to
 * the buddy with the lock dropped for a moment.
 */
void kmem_cache_free_bulk(struct kmem_cache *c, void **objs, int n)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);

	for (int i = 0; i < n; i++) {
		struct page *slab = objs[i] ? owning_slab(c, objs[i]) : NULL;

		if (!slab)
			continue;
		if (already_free(c, slab, objs[i])) {
			warn_double_free(c, objs[i]);
		} else if (put_object_locked(c, slab, objs[i])) {
			spin_unlock_irqrestore(&c->lock, flags);
			free_slab(c, slab);
			flags = spin_lock_irqsave(&c->lock);
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (!size || size > (PAGE_SIZE << SLAB_MAX_ORDER) || (align & (align - 1)) ||
	    align > PAGE_SIZE) {
		pr_warn("kmem_cache_create(%s): bad size %lu or alignment %lu\n", name, size, align);
		return NULL;
	}
	c = kmalloc(sizeof(*c));
	if (c)
		cache_init(c, name, size, align);
	return c;
}

size_t kmem_cache_bytes_per_object(const struct kmem_cache *c)
{
	return (PAGE_SIZE << c->slab_order) / c->objs_per_slab;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags;
	unsigned long slabs;

	if (!c)
		return 0;
	flags = spin_lock_irqsave(&c->lock);
	slabs = c->nr_slabs;
	spin_unlock_irqrestore(&c->lock, flags);
	if (slabs) {
		pr_warn("kmem_cache_destroy(%s): %lu slabs still hold objects\n", c->name, slabs);
		return -EBUSY;
	}
	kfree(c);
	return 0;
}

/* The kmalloc cache for size bytes (size <= KMALLOC_MAX_CACHE_SIZE). */
static struct kmem_cache *kmalloc_cache_for(size_t size)
{
	unsigned int shift = KMALLOC_MIN_SHIFT;

	while ((1UL << shift) < size)
		shift++;
	return &kmalloc_caches[shift - KMALLOC_MIN_SHIFT];
}

static void *kmalloc_large(size_t size)
{
	unsigned int order = 0;
	struct page *page;

	while ((PAGE_SIZE << order) < size && order <= MAX_ORDER)
		order++;
	page = order <= MAX_ORDER ? alloc_pages(order) : NULL;
	if (!page)
		return NULL;
	page->flags |= PG_KMALLOC_LARGE;
	return page_address(page);
}

void *kmalloc(size_t size)
{
	if (!size)
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	return kmem_cache_alloc(kmalloc_cache_for(size));
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, ksize(p));
	return p;
}

size_t ksize(const void *p)
{
	struct page *page = p ? virt_to_page(p) : NULL;
	struct page *slab;

	if (page && (page->flags & PG_KMALLOC_LARGE))
		return PAGE_SIZE << page->order;
	slab = p ? slab_of(p) : NULL;
	return slab ? slab->slab.cache->obj_size : 0;
}

void kfree(const void *p)
{
	struct page *page, *slab;

	if (!p)
		return;
	page = virt_to_page(p);
	if (page && (page->flags & PG_KMALLOC_LARGE) && p == page_address(page)) {
		page->flags &= ~PG_KMALLOC_LARGE;
		free_pages(page, page->order);
		return;
	}
	slab = slab_of(p);
	if (!slab || !object_in_slab(slab->slab.cache, slab, p)) {
		warn_bad_free("kfree", p);
		return;
	}
	free_object(slab->slab.cache, slab, (void *)p);
}
