// SPDX-License-Identifier: GPL-2.0
/*
 * pcache core: the geometry of the cache (lines, sets, ways, and the
 * overflow pool: lines any set may borrow, see overflow.c), allocation of a
 * free way in a set or in the pool, the line lock, and freeing a line when
 * nothing maps or holds it. Pure logic: also built by the host tests.
 *
 * Lock order: set lock -> line lock -> pte lock (include/mosaic/pcache.h).
 * A set lock serialises the claiming of free ways in the set (and, later,
 * victim choice); freeing a way is a single atomic store of its flags. A
 * line lock guards the line's rmap, mapcount and refcount.
 */
#include <asm/x86.h>
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>
#include <mosaic/string.h>

struct pcache pcache;

BUILD_BUG_ON(sizeof(struct pcache_meta) != 64);

/* Bytes of metadata (line and set arrays, page-rounded) for a geometry. */
static u64 meta_bytes(unsigned long nr_sets, unsigned int assoc, unsigned int overflow)
{
	u64 bytes = ((u64)nr_sets * assoc + overflow) * sizeof(struct pcache_meta) +
		    (u64)nr_sets * sizeof(struct pcache_set);

	return (bytes + 4095) & ~4095ULL;
}

/* Bytes a geometry takes: metadata, then the lines of the sets and of the pool. */
static u64 geometry_bytes(unsigned long nr_sets, unsigned int assoc, unsigned int overflow)
{
	return ((u64)nr_sets * assoc + overflow) * 4096 + meta_bytes(nr_sets, assoc, overflow);
}

unsigned long pcache_lines_for(u64 size, unsigned int assoc, unsigned int overflow,
			       unsigned long *nr_sets)
{
	u64 pool = (u64)overflow * (4096 + sizeof(struct pcache_meta));
	unsigned long sets = 0;

	if (assoc && size > pool)
		sets = (size - pool) / ((u64)assoc * (4096 + sizeof(struct pcache_meta)) +
					sizeof(struct pcache_set));
	while (sets && geometry_bytes(sets, assoc, overflow) > size)
		sets--;
	*nr_sets = sets;
	return sets * assoc;
}

/*
 * The region starts with the metadata (line array, then set array), and the
 * lines follow, page-aligned.
 */
int pcache_setup(phys_addr_t base, void *region, u64 size, unsigned int assoc,
		 unsigned int overflow)
{
	unsigned long nr_sets, nr_lines = pcache_lines_for(size, assoc, overflow, &nr_sets);
	u64 meta = meta_bytes(nr_sets, assoc, overflow);

	if (!nr_lines || (base & 4095) || ((unsigned long)region & 4095))
		return -EINVAL;
	memset(&pcache, 0, sizeof(pcache));
	memset(region, 0, meta);
	pcache.meta = region;
	pcache.sets = (struct pcache_set *)(pcache.meta + nr_lines + overflow);
	pcache.base = base + meta;
	pcache.data = (char *)region + meta;
	pcache.nr_lines = nr_lines;
	pcache.nr_sets = nr_sets;
	pcache.assoc = assoc;
	pcache.nr_overflow = overflow;
	for (unsigned long s = 0; s < nr_sets; s++)
		spin_lock_init(&pcache.sets[s].lock);
	spin_lock_init(&pcache.overflow.lock);
	return 0;
}

static struct pcache_set *set_of(const struct pcache_meta *pcm)
{
	if (pcache_is_overflow_line(pcm))
		return &pcache.overflow;
	return &pcache.sets[pcache_line_index(pcm) / pcache.assoc];
}

/* A free way has no flags at all; take it allocated and locked in one step. */
static bool claim_way(struct pcache_meta *pcm)
{
	unsigned long expected = 0;

	return __atomic_compare_exchange_n(&pcm->flags, &expected,
					   (1UL << PC_allocated) | (1UL << PC_locked), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Claim the first free way of the nr_ways at way. A way can look free but
 * carry a transient lock bit (someone locked a line it found through a
 * stale pte): claim_way() then fails and the next way is tried, never the
 * same one in a loop. Context: the set's lock held.
 */
static __always_inline struct pcache_meta *claim_free_way(struct pcache_set *set,
							  struct pcache_meta *way,
							  unsigned int nr_ways)
{
	BUG_ON(!spin_is_held(&set->lock));
	for (unsigned int i = 0; i < nr_ways; i++, way++)
		if (!pcache_test_flag(way, PC_allocated) && claim_way(way))
			return way;
	return NULL;
}

/*
 * Take a free way of the set whose nr_ways ways start at ways, if there is
 * one. Inlined into both callers (a set, the overflow pool), each passing
 * its own way count: it is every fill's first step, and the fault path
 * paid for the calls since the pool shared it.
 */
static __always_inline struct pcache_meta *alloc_free_way(struct pcache_set *set,
							  struct pcache_meta *ways,
							  unsigned int nr_ways)
{
	struct pcache_meta *pcm;
	unsigned long flags = spin_lock_irqsave(&set->lock);

	pcm = claim_free_way(set, ways, nr_ways);
	if (pcm) {
		pcm->refcount = 1;
		pcm->mapcount = 0;
		pcm->rmap = (struct pcache_rmap){ 0 };
		pcm->image_id = 0;
		pcm->stamp = ++set->clock;
		__atomic_fetch_add(&set->nr_allocated, 1, __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&set->lock, flags);
	return pcm;
}

/* Ways whose eviction another CPU wins between our eviction and our claim: retry a few times. */
#define ALLOC_TRIES 8

struct pcache_meta *pcache_alloc_line(unsigned long uaddr)
{
	unsigned long index = pcache_set_index(uaddr);
	struct pcache_meta *pcm;

	for (int i = 0; i < ALLOC_TRIES; i++) {
		pcm = alloc_free_way(&pcache.sets[index], &pcache.meta[index * pcache.assoc],
				     pcache.assoc);
		if (pcm)
			return pcm;
		if (!pcache_evict_one(index))
			pcache_wait_for_ways();	/* every way busy for now */
	}
	return NULL;
}

struct pcache_meta *pcache_alloc_overflow_way(void)
{
	if (!pcache.nr_overflow)
		return NULL;
	return alloc_free_way(&pcache.overflow, &pcache.meta[pcache.nr_lines], pcache.nr_overflow);
}

void lock_pcache(struct pcache_meta *pcm)
{
	while (!trylock_pcache(pcm))
		cpu_relax();
}

/*
 * Return an unused line to its set. Clearing every flag at once also drops
 * the line lock and makes the way free for claim_way(). No set lock: taking
 * it here, under the line lock, would invert the lock order.
 */
static void free_line(struct pcache_meta *pcm)
{
	pcm->rmap = (struct pcache_rmap){ 0 };
	WRITE_ONCE(pcm->image_id, 0);
	__atomic_fetch_sub(&set_of(pcm)->nr_allocated, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&pcm->flags, 0UL, __ATOMIC_RELEASE);
	__atomic_fetch_add(&set_of(pcm)->ways_freed, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&pcache.stats.lines_freed, 1, __ATOMIC_RELAXED);
}

void unlock_pcache(struct pcache_meta *pcm)
{
	BUG_ON(!pcache_is_locked(pcm));
	/*
	 * Only an allocated line is freed: a caller that locked a line found
	 * through a pte it read earlier may find the way already free (evicted
	 * meanwhile) and must not free it twice.
	 */
	if (pcm->mapcount == 0 && pcm->refcount == 0 && pcache_test_flag(pcm, PC_allocated)) {
		free_line(pcm);
		return;
	}
	pcache_clear_flag(pcm, PC_locked);
}

void pcache_put_locked(struct pcache_meta *pcm)
{
	BUG_ON(!pcache_is_locked(pcm));
	if (WARN_ON(pcm->refcount == 0))
		return;
	pcm->refcount--;
}
