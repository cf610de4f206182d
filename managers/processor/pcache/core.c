// SPDX-License-Identifier: GPL-2.0
/*
 * pcache core: the geometry of the cache (lines, sets, ways), allocation
 * of a free way in a set, the line lock, and freeing a line when nothing
 * maps or holds it. Pure logic: also built by the host tests.
 *
 * Lock order: set lock -> line lock -> pte lock (include/mosaic/pcache.h).
 * A set lock serialises the claiming of free ways in the set (and, later,
 * victim choice); freeing a way is a single atomic store of its flags. A
 * line lock guards the line's rmap, mapcount and refcount.
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>
#include <mosaic/string.h>

struct pcache pcache;

BUILD_BUG_ON(sizeof(struct pcache_meta) != 64);

/* Bytes of metadata (line and set arrays, page-rounded) for a geometry. */
static u64 meta_bytes(unsigned long nr_sets, unsigned int assoc)
{
	u64 bytes = (u64)nr_sets * assoc * sizeof(struct pcache_meta) +
		    (u64)nr_sets * sizeof(struct pcache_set);

	return (bytes + 4095) & ~4095ULL;
}

unsigned long pcache_lines_for(u64 size, unsigned int assoc, unsigned long *nr_sets)
{
	unsigned long sets = 0;

	if (assoc)
		sets = size / ((u64)assoc * (4096 + sizeof(struct pcache_meta)) +
			       sizeof(struct pcache_set));
	while (sets && (u64)sets * assoc * 4096 + meta_bytes(sets, assoc) > size)
		sets--;
	*nr_sets = sets;
	return sets * assoc;
}

/*
 * The region starts with the metadata (line array, then set array), and the
 * lines follow, page-aligned.
 */
int pcache_setup(phys_addr_t base, void *region, u64 size, unsigned int assoc)
{
	unsigned long nr_sets, nr_lines = pcache_lines_for(size, assoc, &nr_sets);
	u64 meta = meta_bytes(nr_sets, assoc);

	if (!nr_lines || (base & 4095) || ((unsigned long)region & 4095))
		return -EINVAL;
	memset(&pcache, 0, sizeof(pcache));
	memset(region, 0, meta);
	pcache.meta = region;
	pcache.sets = (struct pcache_set *)(pcache.meta + nr_lines);
	pcache.base = base + meta;
	pcache.data = (char *)region + meta;
	pcache.nr_lines = nr_lines;
	pcache.nr_sets = nr_sets;
	pcache.assoc = assoc;
	for (unsigned long s = 0; s < nr_sets; s++)
		spin_lock_init(&pcache.sets[s].lock);
	return 0;
}

struct pcache_meta *pcache_phys_to_meta(phys_addr_t pa)
{
	if (pa < pcache.base || pa >= pcache.base + (phys_addr_t)pcache.nr_lines * 4096)
		return NULL;
	return &pcache.meta[(pa - pcache.base) / 4096];
}

static struct pcache_set *set_of(const struct pcache_meta *pcm)
{
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
 * Claim the first free way of the set. A way can look free but carry a
 * transient lock bit (someone locked a line it found through a stale pte):
 * claim_way() then fails and the next way is tried, never the same one in
 * a loop. Context: the set's lock held.
 */
static struct pcache_meta *claim_free_way(struct pcache_set *set, unsigned long set_index)
{
	struct pcache_meta *way = &pcache.meta[set_index * pcache.assoc];

	BUG_ON(!spin_is_held(&set->lock));
	for (unsigned int i = 0; i < pcache.assoc; i++, way++)
		if (!pcache_test_flag(way, PC_allocated) && claim_way(way))
			return way;
	return NULL;
}


/* Take a free way of the set, if there is one. */
static struct pcache_meta *alloc_free_way(unsigned long uaddr)
{
	unsigned long index = pcache_set_index(uaddr);
	struct pcache_set *set = &pcache.sets[index];
	struct pcache_meta *pcm;
	unsigned long flags = spin_lock_irqsave(&set->lock);

	pcm = claim_free_way(set, index);
	if (pcm) {
		pcm->refcount = 1;
		pcm->mapcount = 0;
		pcm->rmap = (struct pcache_rmap){ 0 };
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
	struct pcache_meta *pcm;

	for (int i = 0; i < ALLOC_TRIES; i++) {
		pcm = alloc_free_way(uaddr);
		if (pcm)
			return pcm;
		if (!pcache_evict_one(pcache_set_index(uaddr)))
			pcache_wait_for_ways();	/* every way busy for now */
	}
	return NULL;
}

void lock_pcache(struct pcache_meta *pcm)
{
	while (!trylock_pcache(pcm))
		cpu_relax();
}

bool trylock_pcache(struct pcache_meta *pcm)
{
	unsigned long old = __atomic_fetch_or(&pcm->flags, 1UL << PC_locked, __ATOMIC_ACQUIRE);

	return !(old & (1UL << PC_locked));
}

bool pcache_is_locked(const struct pcache_meta *pcm)
{
	return pcache_test_flag(pcm, PC_locked);
}

/*
 * Return an unused line to its set. Clearing every flag at once also drops
 * the line lock and makes the way free for claim_way(). No set lock: taking
 * it here, under the line lock, would invert the lock order.
 */
static void free_line(struct pcache_meta *pcm)
{
	pcm->rmap = (struct pcache_rmap){ 0 };
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
