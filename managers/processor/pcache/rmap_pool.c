// SPDX-License-Identifier: GPL-2.0
/*
 * Where the extra rmap entries come from (the second and later mappings of
 * a line; the first lives inline in struct pcache_meta):
 *
 *   pcache_rmap_init()          create the slab cache behind the pools
 *   pcache_rmap_entry_alloc()   an entry, or NULL (out of memory)
 *   pcache_rmap_entry_free(r)   give it back
 *
 * A per-CPU pool sits in front of the slab cache and is refilled and
 * drained RMAP_POOL_BATCH entries at a time with one slab lock round trip.
 * fork adds one entry per shared line and the child's exit frees as many,
 * and the slab's lock round trip per object was part of that cost (its
 * per-object work, about 200 instructions an entry, remains: see
 * Documentation/performance.md). A pool holds at most RMAP_POOL_MAX
 * entries (2 KiB).
 *
 * Context: any process context (rmap callers hold a line lock, which does
 * not disable preemption, so the pool does it itself); never from an
 * interrupt.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/pcache.h>
#include <mosaic/percpu.h>
#include <mosaic/preempt.h>

#define RMAP_POOL_BATCH 32
#define RMAP_POOL_MAX (2 * RMAP_POOL_BATCH)

struct rmap_pool {
	unsigned int nr;
	void *entries[RMAP_POOL_MAX];
};

static struct kmem_cache *rmap_cache;
static struct rmap_pool rmap_pools[CONFIG_NR_CPUS];

int pcache_rmap_init(void)
{
	rmap_cache = kmem_cache_create("pcache_rmap", sizeof(struct pcache_rmap), 8);
	return rmap_cache ? 0 : -ENOMEM;
}

/* This CPU's pool. Context: preemption disabled. */
static struct rmap_pool *this_pool(void)
{
	return &rmap_pools[this_cpu()->cpu];
}

struct pcache_rmap *pcache_rmap_entry_alloc(void)
{
	struct pcache_rmap *r = NULL;
	struct rmap_pool *pool;

	preempt_disable();
	pool = this_pool();
	if (!pool->nr)
		pool->nr = kmem_cache_alloc_bulk(rmap_cache, pool->entries, RMAP_POOL_BATCH);
	if (pool->nr)
		r = pool->entries[--pool->nr];
	preempt_enable();
	return r;
}

void pcache_rmap_entry_free(struct pcache_rmap *r)
{
	struct rmap_pool *pool;

	preempt_disable();
	pool = this_pool();
	if (pool->nr == RMAP_POOL_MAX) {
		/* Drain half, so that alternating frees and allocs stay in the pool. */
		kmem_cache_free_bulk(rmap_cache, pool->entries + RMAP_POOL_BATCH,
				     RMAP_POOL_MAX - RMAP_POOL_BATCH);
		pool->nr = RMAP_POOL_BATCH;
	}
	pool->entries[pool->nr++] = r;
	preempt_enable();
}
