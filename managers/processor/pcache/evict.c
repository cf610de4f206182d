// SPDX-License-Identifier: GPL-2.0
/*
 * Eviction: making room in a full set. A policy (an ops table, chosen at
 * boot with pcache.evict=) picks up to EVICT_BATCH victims under the set
 * lock; then, with only the victims' line locks held, three rmap walks per
 * victim take them out:
 *
 *   1. write-protect: every pte loses RW (and its dirty bit is gathered),
 *      then one TLB shootdown for the whole batch to the CPUs of every owner
 *      (page by page: a whole-TLB flush costs TCG far more than the
 *      eviction). A clean line mapped once is unmapped here instead, and
 *      is done after this shootdown (unmap_or_wrprotect());
 *   2. if any pte or the line was dirty, pcache_flush(): FLUSH the data to
 *      every owner's memory node (a line shared after fork belongs to each);
 *      then the owners' eviction counts drop (evict_barrier.c);
 *   3. unmap: every pte cleared and its rmap entry removed, then a second
 *      shootdown for the batch; the unlock frees the lines.
 *
 * Batching is what makes eviction affordable with several CPUs: every
 * shootdown waits for each CPU of the owners, and under TCG with more vCPUs
 * than host cores that wait is a host scheduling round (threads_evict at
 * -smp 4 did two shootdowns per line and took minutes). pcache_wrprotect()
 * and pcache_try_to_unmap() do the same for one line.
 *
 * Between 1 and 3 the ptes are read-only: readers go on, a writer faults
 * and waits in the fault path until the line is gone (PC_reclaim), then
 * refills from the memory node, which by then has the data. No write is
 * lost and no fault sees stale data. If the memory node refuses the data
 * (out of pages), step 2 has killed its owners before step 3 unmaps the
 * line: their threads leave on their next way back to user mode (the
 * shootdown's interrupt is one), so none runs on the stale copy.
 *
 * A line that a fork or an mremap in progress maps is never picked
 * (evict_barrier.c): its data's place at the memory node is changing.
 *
 * The overflow pool (overflow.c) is evicted the same way, one line at a
 * time, oldest first (pcache_evict_overflow()).
 *
 * Lock order: set -> line -> pte lock. The owners' mms cannot go away
 * during the walks: their exit zaps every pte, which needs this line lock.
 */
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

#define EVICT_BATCH 4

static void count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/*
 * Pages one shootdown invalidates one by one. A batch's victims share a set,
 * so they lie nr_sets pages (or a multiple) apart: the range covering them
 * is mostly a whole-TLB flush, which under TCG costs far more than the
 * eviction itself (every soft TLB entry, the kernel's too, is refilled).
 */
#define SHOOTDOWN_PAGES 32

/* What the walks of one eviction gather. */
struct evict_ctx {
	bool dirty;
	cpumask_t cpus;			/* CPUs that may cache a translation of the line */
	unsigned long lo, hi;		/* user addresses it is mapped at */
	unsigned int nr_pages;		/* mappings noted (pages[] holds the first ones) */
	unsigned long pages[SHOOTDOWN_PAGES];
	int err;
};

static void note_mapping(struct evict_ctx *ec, struct pcache_rmap *r)
{
	ec->cpus |= __atomic_load_n(&r->owner->cpus, __ATOMIC_SEQ_CST);
	ec->lo = min(ec->lo, r->address);
	ec->hi = max(ec->hi, r->address + PAGE_SIZE);
	if (ec->nr_pages < SHOOTDOWN_PAGES)
		ec->pages[ec->nr_pages] = r->address;
	ec->nr_pages++;
}

/* Invalidate every mapping noted: page by page when they fit in pages[]. */
static void shootdown(struct evict_ctx *ec)
{
	u64 t;

	if (!ec->nr_pages)
		return;		/* nothing was mapped: no TLB can hold it */
	t = profile_start();
	if (ec->nr_pages <= SHOOTDOWN_PAGES)
		flush_tlb_pages_cpus(ec->cpus, ec->pages, ec->nr_pages);
	else
		flush_tlb_range_cpus(ec->cpus, ec->lo, ec->hi);
	profile_end(PROF_shootdown, t);
	count(&pcache.stats.shootdowns);
}

/* ---- 1: write-protect ---- */
static enum rmap_ret wrprotect_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct evict_ctx *ec = arg;
	pte_t old;

	spin_lock(&r->owner->page_table_lock);
	/* Atomic: the CPU may set the dirty bit of this pte at any moment. */
	old = __atomic_fetch_and(r->pte, ~(PTE_RW | PTE_D), __ATOMIC_SEQ_CST);
	spin_unlock(&r->owner->page_table_lock);
	if (old & PTE_D)
		ec->dirty = true;
	note_mapping(ec, r);
	return RMAP_CONTINUE;
}

/* Write-protect pcm's ptes, gathering into ec; true when the line is dirty. */
static bool wrprotect_walk(struct pcache_meta *pcm, struct evict_ctx *ec)
{
	const struct rmap_walk_control rwc = { .rmap_one = wrprotect_one, .arg = ec };

	ec->dirty = false;
	rmap_walk(pcm, &rwc);
	return ec->dirty || pcache_test_flag(pcm, PC_dirty);
}

/*
 * Clear pte unless its dirty bit is set (then leave it). A compare-exchange:
 * the CPU may set the accessed or dirty bit at any moment.
 */
static bool clear_pte_if_clean(pte_t *pte)
{
	pte_t old = __atomic_load_n(pte, __ATOMIC_SEQ_CST);

	while (!(old & PTE_D))
		if (__atomic_compare_exchange_n(pte, &old, 0, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	return false;
}

/*
 * Step 1 for a line mapped once and not dirty: nothing to write back, so
 * its pte is cleared at once instead of write-protected, and a batch of
 * such lines needs one shootdown, not two. Clearing before the shootdown
 * is safe: a stale TLB entry whose dirty bit is clear cannot be written
 * through without the CPU walking to the pte again (to set the bit), and
 * it finds none; reads through it see the line's data, which the memory
 * node also has, until the shootdown. A pte found dirty is write-protected
 * instead, and the line takes the usual path.
 */
static enum rmap_ret unmap_clean_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct evict_ctx *ec = arg;
	bool cleared;

	spin_lock(&r->owner->page_table_lock);
	cleared = clear_pte_if_clean(r->pte);
	if (!cleared)
		__atomic_fetch_and(r->pte, ~(PTE_RW | PTE_D), __ATOMIC_SEQ_CST);
	spin_unlock(&r->owner->page_table_lock);
	note_mapping(ec, r);
	if (!cleared) {
		ec->dirty = true;
		return RMAP_CONTINUE;
	}
	/* Nothing to write back: fork may go on (evict_lines' release walk won't see r). */
	pcache_evict_release_owner(r->owner);
	return RMAP_REMOVE;
}

/*
 * Step 1 for a victim: unmapped already if clean and mapped once (all or
 * nothing: a second owner refilling from the memory node before a dirty
 * line is written back would read stale data), else write-protected.
 * True when the line must be written back.
 */
static bool unmap_or_wrprotect(struct pcache_meta *pcm, struct evict_ctx *ec)
{
	const struct rmap_walk_control rwc = { .rmap_one = unmap_clean_one, .arg = ec };

	if (pcm->mapcount != 1 || pcache_test_flag(pcm, PC_dirty))
		return wrprotect_walk(pcm, ec);
	ec->dirty = false;
	rmap_walk(pcm, &rwc);
	return ec->dirty;
}

bool pcache_wrprotect(struct pcache_meta *pcm, cpumask_t *cpus)
{
	struct evict_ctx ec = { .lo = ~0UL };
	bool dirty = wrprotect_walk(pcm, &ec);

	shootdown(&ec);
	if (cpus)
		*cpus = ec.cpus;
	return dirty;
}

/* ---- 2: write back to every owner ---- */
static enum rmap_ret flush_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	struct evict_ctx *ec = arg;
	int err = pcache_writeback_line(pcm, r->owner, r->address);

	if (err && !ec->err)
		ec->err = err;
	return RMAP_CONTINUE;
}

int pcache_flush(struct pcache_meta *pcm)
{
	struct evict_ctx ec = { 0 };
	const struct rmap_walk_control rwc = { .rmap_one = flush_one, .arg = &ec };

	rmap_walk(pcm, &rwc);
	if (!ec.err)
		pcache_clear_flag(pcm, PC_dirty);
	return ec.err;
}

/* ---- 3: unmap ---- */
static enum rmap_ret unmap_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	spin_lock(&r->owner->page_table_lock);
	__atomic_store_n(r->pte, 0, __ATOMIC_SEQ_CST);
	spin_unlock(&r->owner->page_table_lock);
	note_mapping(arg, r);
	return RMAP_REMOVE;
}

static void unmap_walk(struct pcache_meta *pcm, struct evict_ctx *ec)
{
	const struct rmap_walk_control rwc = { .rmap_one = unmap_one, .arg = ec };

	rmap_walk(pcm, &rwc);
}

void pcache_try_to_unmap(struct pcache_meta *pcm)
{
	struct evict_ctx ec = { .lo = ~0UL };

	unmap_walk(pcm, &ec);
	shootdown(&ec);
}

/* A refused write-back has killed the line's owners already (pcache_writeback_line()). */
static void write_back_victim(struct pcache_meta *pcm)
{
	pcache_flush(pcm);
	count(&pcache.stats.evict_dirty);
}

/*
 * Take n lines picked by policy out of the cache: one shootdown when every
 * victim was clean and mapped once, else two.
 * Context: each victim locked with a reference and PC_reclaim set; no other
 * lock held (may sleep).
 */
static void evict_lines(struct pcache_meta **victims, unsigned int n,
			const struct pcache_evict_ops *policy)
{
	struct evict_ctx ec = { .lo = ~0UL };
	bool dirty[EVICT_BATCH];
	unsigned int i;

	__atomic_fetch_add(&pcache.evict_seq, 1, __ATOMIC_RELAXED);	/* progress.c's gate */
	for (i = 0; i < n; i++)
		dirty[i] = unmap_or_wrprotect(victims[i], &ec);
	shootdown(&ec);		/* from here nobody writes the victims (or reads the clean ones) */
	for (i = 0; i < n; i++) {
		if (dirty[i])
			write_back_victim(victims[i]);
		else
			count(&pcache.stats.evict_clean);
		pcache_evict_release_owners(victims[i]);	/* written back: fork may go on */
		count(&pcache.stats.evict_by_policy[policy - pcache_evict_policies]);
	}
	ec = (struct evict_ctx){ .lo = ~0UL };
	for (i = 0; i < n; i++)
		unmap_walk(victims[i], &ec);	/* nothing left to do for the clean ones */
	shootdown(&ec);		/* from here nobody reads them */
	for (i = 0; i < n; i++) {
		pcache_put_locked(victims[i]);
		unlock_pcache(victims[i]);	/* no mapping, no reference: the way is free */
	}
}

void pcache_wait_for_ways(void)
{
	yield();	/* let the holders of the busy ways run */
}

/* Victims per eviction: a quarter of the set, at least one, at most EVICT_BATCH. */
static unsigned int batch_size(void)
{
	unsigned int n = pcache.assoc / 4;

	return n ? min(n, (unsigned int)EVICT_BATCH) : 1;
}

/* How long a busy set may go without freeing a way before a fault waiting there gives up. */
unsigned int pcache_busy_wait_ms = 2000;
KERNEL_PARAM("pcache.busy_wait_ms", param_set_uint, &pcache_busy_wait_ms,
	     "how long a busy set may free no way (ms) before its waiting faults get SIGBUS");

static u64 busy_wait_deadline(void)
{
	return ktime_ns() + (u64)READ_ONCE(pcache_busy_wait_ms) * NSEC_PER_MSEC;
}

/*
 * Sleep until the set gives us a way. A fixed bound on the whole wait
 * fails a set that is only slow: remote fills hold a way about 1 ms each
 * under TCG (a local one 7 us), and many processes faulting at one address
 * (a fork bomb's stacks) keep every way busy for seconds while each fill
 * completes. So the deadline moves whenever the set frees a way; only a
 * set where nothing moves (a fill that never ends) times the wait out, as
 * the transport's BUSY rule bounds a server's silence rather than its work.
 */
static struct pcache_meta *wait_for_way(const struct pcache_set *set, unsigned long uaddr)
{
	u32 freed = __atomic_load_n(&set->ways_freed, __ATOMIC_RELAXED), now_freed;
	u64 give_up = busy_wait_deadline();
	struct pcache_meta *pcm;

	do {
		now_freed = __atomic_load_n(&set->ways_freed, __ATOMIC_RELAXED);
		if (now_freed != freed) {
			freed = now_freed;
			give_up = busy_wait_deadline();	/* the set moves: keep waiting */
		} else if (ktime_ns() >= give_up) {
			return NULL;
		}
		count(&pcache.stats.busy_waits);
		msleep(1);	/* the holders are filling or evicting: let them finish */
	} while (!(pcm = pcache_alloc_line(uaddr)));
	return pcm;
}

/*
 * Fairness: a fault that finds others already sleeping for a way of its set
 * does not take the next freed way ahead of them; it sleeps too. Every
 * contender then tries once per tick, the longest waiter usually first (its
 * deadline comes first), so a waiter is no longer starved by faults that
 * keep arriving and take each way the moment it is freed, never sleeping
 * (a fork bomb's children did).
 */
struct pcache_meta *pcache_alloc_line_wait(unsigned long uaddr)
{
	struct pcache_set *set = &pcache.sets[pcache_set_index(uaddr)];
	struct pcache_meta *pcm = NULL;

	if (!__atomic_load_n(&set->waiters, __ATOMIC_ACQUIRE)) {
		pcm = pcache_alloc_line(uaddr);
		if (pcm)
			return pcm;
	}
	__atomic_fetch_add(&set->waiters, 1, __ATOMIC_ACQ_REL);
	pcm = wait_for_way(set, uaddr);
	__atomic_fetch_sub(&set->waiters, 1, __ATOMIC_ACQ_REL);
	return pcm;
}

/*
 * Pick up to want victims whose owners allow it (evict_barrier.c). Lines
 * of a forking or remapping range are held back until the pick is over,
 * so the policy passes them over and offers others.
 * Context: the set lock held.
 */
static unsigned int pick_victims(struct pcache_set *set, struct pcache_meta *ways,
				 const struct pcache_evict_ops *policy,
				 struct pcache_meta **victims, unsigned int want)
{
	struct pcache_meta *refused[PCACHE_MAX_ASSOC], *pcm;
	unsigned int n = 0, nr_refused = 0;

	while (n < want && (pcm = policy->pick(set, ways))) {
		if (pcache_evict_claim_owners(pcm))
			victims[n++] = pcm;
		else
			refused[nr_refused++] = pcm;	/* PC_reclaim: the next pick skips it */
	}
	while (nr_refused)
		pcache_victim_release(refused[--nr_refused]);
	return n;
}

/* Evict up to want lines of the set whose ways start at ways, chosen by policy. */
static unsigned int evict_from(struct pcache_set *set, struct pcache_meta *ways,
			       const struct pcache_evict_ops *policy, unsigned int want)
{
	struct pcache_meta *victims[EVICT_BATCH];
	unsigned long flags = spin_lock_irqsave(&set->lock);
	unsigned int n = pick_victims(set, ways, policy, victims, want);

	spin_unlock_irqrestore(&set->lock, flags);
	if (n) {
		u64 t = profile_start();

		evict_lines(victims, n, policy);
		profile_end(PROF_evict, t);
	}
	return n;
}

bool pcache_evict_one(unsigned long set_index)
{
	return evict_from(&pcache.sets[set_index], &pcache.meta[set_index * pcache.assoc],
			  pcache_evict_policy, batch_size()) > 0;
}

/* The pool is a queue: borrowed lines leave in the order they came. */
#define OVERFLOW_POLICY (&pcache_evict_policies[PCACHE_POLICY_FIFO])

bool pcache_evict_overflow(void)
{
	if (!pcache.nr_overflow ||
	    !evict_from(&pcache.overflow, &pcache.meta[pcache.nr_lines], OVERFLOW_POLICY, 1))
		return false;
	count(&pcache.stats.overflow_evictions);
	return true;
}
