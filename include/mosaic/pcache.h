/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processor cache (pcache): a set-associative cache of 4 KiB lines in
 * local DRAM that holds the memory of processes whose pages live on a memory
 * node. The MMU is the tag store: a present user pte pointing into the pcache
 * is a hit. Each line has a struct pcache_meta and a reverse map (rmap): the
 * list of ptes that map it, walked by rmap_walk().
 *
 * Lock order (outermost first), asserted where taken:
 *     set lock  ->  line lock (PC_locked)  ->  pte lock (mm->page_table_lock)
 *
 * See Documentation/pcache.md for the guide to adding an rmap callback.
 */
#ifndef _MOSAIC_PCACHE_H
#define _MOSAIC_PCACHE_H

#include <mosaic/compiler.h>
#include <mosaic/cpumask.h>
#include <mosaic/pgtable.h>
#include <mosaic/spinlock.h>
#include <mosaic/types.h>

struct mm_struct;

/* Bits of pcache_meta.flags. */
enum pcache_flag_bit {
	PC_allocated,	/* the way is taken: being filled or valid */
	PC_valid,	/* the line holds the data of its mappings */
	PC_locked,	/* the line lock (a bit spinlock) */
	PC_dirty,	/* written since filled: must go back to memory */
	PC_writeback,	/* being written back */
	PC_reclaim,	/* chosen as an eviction victim */
};

/*
 * One mapping of a line: the pte that points at it, in which address space
 * and at which user address. The first mapping lives inside the line's
 * metadata; further ones come from a slab cache and hang off ->next.
 */
struct pcache_rmap {
	pte_t *pte;			/* NULL: this inline slot is empty */
	struct mm_struct *owner;
	unsigned long address;
	struct pcache_rmap *next;
};

/* Per-line metadata: 64 bytes (LegoOS uses 256). */
struct pcache_meta {
	unsigned long flags;		/* enum pcache_flag_bit */
	u32 mapcount;			/* rmap entries; line lock */
	u32 refcount;			/* transient holders (fill, eviction); line lock */
	u32 stamp;			/* eviction policy's clock (fill or use order) */
	u32 reserved;
	struct pcache_rmap rmap;	/* first mapping, inline */
	u64 image_id;			/* an executable's page nobody may write (fault.c); 0: none */
};

/*
 * rmap_walk() calls ->rmap_one for each mapping of a line. The callback
 * says what to do next; RMAP_REMOVE asks the walker to unlink and free the
 * entry (a callback never unlinks entries itself).
 */
enum rmap_ret {
	RMAP_CONTINUE = 0,
	RMAP_STOP = 1,
	RMAP_REMOVE = 2,
	RMAP_REMOVE_STOP = RMAP_REMOVE | RMAP_STOP,
};

struct rmap_walk_control {
	enum rmap_ret (*rmap_one)(struct pcache_meta *pcm, struct pcache_rmap *rmap, void *arg);
	bool (*done)(struct pcache_meta *pcm, void *arg);	/* optional early stop */
	void *arg;	/* the caller's own typed struct */
};

/*
 * Walk every mapping of pcm. Returns the number of entries visited.
 * Context: pcm's line lock held.
 */
int rmap_walk(struct pcache_meta *pcm, const struct rmap_walk_control *rwc);

/* ---- the cache ---- */
struct pcache_set {
	spinlock_t lock;
	u32 nr_allocated;	/* ways taken */
	u32 clock;		/* source of pcache_meta.stamp */
	u32 hand;		/* the clock policy's next way */
	u32 ways_freed;		/* ways given back, ever: a busy set's waiters see progress */
	u32 waiters;		/* faults sleeping for a way here: newcomers queue behind them */
};

#define PCACHE_WALK_BUCKETS 8
#define PCACHE_NR_POLICIES 4	/* lru, fifo, random, clock */
#define PCACHE_POLICY_FIFO 1	/* its index: the overflow pool evicts in fifo order */
#define PCACHE_MAX_ASSOC 64	/* pcache.assoc= at most */

struct pcache_stats {
	u64 fills, zero_fills, misses, fill_errors, no_free_line;
	u64 fault_ahead;	/* pages filled ahead of a scan (fault.c) */
	u64 image_shares;	/* read misses served by a line another mm holds (fault.c) */
	u64 rmap_add, rmap_remove, rmap_walks, rmap_walk_steps;
	u64 lines_freed, writebacks;
	u64 rmap_copies, cow_copies, cow_reuses;
	u64 rmap_moves, move_tables;	/* mremap: ptes moved; pte tables moved whole */
	u64 evict_clean, evict_dirty, shootdowns, evict_waits, busy_waits;
	u64 evict_blocked;	/* victims passed over: fork or mremap in progress */
	u64 writeback_unmapped;	/* dirty victims whose range munmap removed meanwhile */
	u64 writeback_refused;	/* write-backs the memory node refused: owners killed */
	u64 evict_by_policy[PCACHE_NR_POLICIES];	/* index in pcache_evict_policies[] */
	u64 sweep_wakeups, sweep_evictions;		/* the sweep thread (sweep.c) */
	/* forward progress (overflow.c): refaults seen, pool lines taken and pushed out */
	u64 progress_refaults, overflow_borrows, overflow_evictions;
	/* rmap walks by entries visited: 0, 1, 2, 3-4, 5-8, 9-16, 17-64, more */
	u64 walk_len[PCACHE_WALK_BUCKETS];
};

struct pcache {
	phys_addr_t base;		/* physical address of line 0's data */
	void *data;			/* the same, mapped */
	unsigned long nr_lines;		/* in the sets (the pool's are extra) */
	unsigned long nr_sets;
	unsigned int assoc;
	unsigned int nr_overflow;	/* lines of the overflow pool (overflow.c) */
	/* nr_lines + nr_overflow; set s owns [s*assoc, (s+1)*assoc), the pool the rest */
	struct pcache_meta *meta;
	struct pcache_set *sets;
	struct pcache_set overflow;	/* the pool: one fully associative set, FIFO */
	struct pcache_stats stats;	/* zeroed by pcache_stats_reset() */
	u64 resets;			/* how many resets so far: never goes back */
	u64 evict_seq;			/* eviction batches so far (the refault check's gate) */
};

extern struct pcache pcache;

/*
 * Set up the cache over the local memory [base, base + size), direct-mapped
 * at region: the line and set metadata first, then the lines of the sets,
 * then the overflow lines of the pool. The number of sets is whatever fits
 * beside the pool (set index = page number modulo sets).
 * Returns 0 or -EINVAL (too small or misaligned).
 */
int pcache_setup(phys_addr_t base, void *region, u64 size, unsigned int assoc,
		 unsigned int overflow);
/* How many lines in sets (and how many sets) pcache_setup() would make of size bytes. */
unsigned long pcache_lines_for(u64 size, unsigned int assoc, unsigned int overflow,
			       unsigned long *nr_sets);

static inline unsigned long pcache_set_index(unsigned long uaddr)
{
	return (uaddr >> 12) % pcache.nr_sets;
}

static inline unsigned long pcache_line_index(const struct pcache_meta *pcm)
{
	return pcm - pcache.meta;
}

static inline phys_addr_t pcache_line_phys(const struct pcache_meta *pcm)
{
	return pcache.base + (phys_addr_t)pcache_line_index(pcm) * 4096;
}

static inline void *pcache_line_data(const struct pcache_meta *pcm)
{
	return (char *)pcache.data + pcache_line_index(pcm) * 4096;
}

/* Is pcm a line of the overflow pool (not of the set its address picks)? */
static inline bool pcache_is_overflow_line(const struct pcache_meta *pcm)
{
	return pcache_line_index(pcm) >= pcache.nr_lines;
}

/* Lines of both kinds: the sets' and the pool's. */
static inline unsigned long pcache_all_lines(void)
{
	return pcache.nr_lines + pcache.nr_overflow;
}

/*
 * The line whose data holds physical address pa, or NULL if pa is not in
 * the pcache (the overflow pool included). Inline: fork and exit ask once per pte.
 */
static inline struct pcache_meta *pcache_phys_to_meta(phys_addr_t pa)
{
	if (pa < pcache.base || pa >= pcache.base + (phys_addr_t)pcache_all_lines() * 4096)
		return NULL;
	return &pcache.meta[(pa - pcache.base) / 4096];
}

/* How many ways a set has: assoc, or the pool's size for the pool. */
static inline unsigned int pcache_set_ways(const struct pcache_set *set)
{
	return set == &pcache.overflow ? pcache.nr_overflow : pcache.assoc;
}

/*
 * Take a free way in uaddr's set, evicting a line when the set is full. The
 * line comes back locked, allocated, not yet valid, with refcount 1 (the
 * caller's). NULL when every way is busy (being filled or evicted).
 * Context: no locks held; may sleep (eviction writes dirty lines back).
 */
struct pcache_meta *pcache_alloc_line(unsigned long uaddr);
/*
 * Take a free line of the overflow pool, as pcache_alloc_line() would of a
 * set (locked, allocated, refcount 1); NULL when none is free.
 * Context: no locks held.
 */
struct pcache_meta *pcache_alloc_overflow_way(void);

/* Line lock: a bit spinlock on PC_locked. */
void lock_pcache(struct pcache_meta *pcm);
static inline bool trylock_pcache(struct pcache_meta *pcm)
{
	unsigned long old = __atomic_fetch_or(&pcm->flags, 1UL << PC_locked, __ATOMIC_ACQUIRE);

	return !(old & (1UL << PC_locked));
}
/*
 * Release the line lock. A line that nothing maps (mapcount 0) and nothing
 * holds (refcount 0) is freed here, so every path that drops the last
 * mapping or reference frees the line by unlocking it.
 */
void unlock_pcache(struct pcache_meta *pcm);
static inline bool pcache_test_flag(const struct pcache_meta *pcm, enum pcache_flag_bit bit)
{
	return __atomic_load_n(&pcm->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}
static inline bool pcache_is_locked(const struct pcache_meta *pcm)
{
	return pcache_test_flag(pcm, PC_locked);
}
static inline void pcache_set_flag(struct pcache_meta *pcm, enum pcache_flag_bit bit)
{
	__atomic_fetch_or(&pcm->flags, 1UL << bit, __ATOMIC_ACQ_REL);
}
static inline void pcache_clear_flag(struct pcache_meta *pcm, enum pcache_flag_bit bit)
{
	__atomic_fetch_and(&pcm->flags, ~(1UL << bit), __ATOMIC_ACQ_REL);
}

/* Transient references. Context: line lock held. */
static inline void pcache_get_locked(struct pcache_meta *pcm) { pcm->refcount++; }
void pcache_put_locked(struct pcache_meta *pcm);

/* ---- rmap operations (managers/processor/pcache/rmap.c) ---- */
/*
 * Record that pte (in owner, at address) maps pcm. Returns 0 or -ENOMEM.
 * Context: pcm's line lock held.
 */
int pcache_add_rmap(struct pcache_meta *pcm, pte_t *pte, struct mm_struct *owner,
		    unsigned long address);
/*
 * Forget the mapping through pte, found by an rmap_walk that matches the
 * pointer. Returns 0, or -ENOENT when pcm has no such mapping (an invariant
 * violation: warned). The line is freed by the unlock that follows if this
 * was its last mapping. Context: pcm's line lock held.
 */
int pcache_remove_rmap(struct pcache_meta *pcm, pte_t *pte);
/*
 * zap_pte_range() found pte (in mm, at address) pointing at pcm: clear it
 * and remove its rmap entry. The line stays held (a reference) until the
 * caller has flushed the TLB and calls pcache_release_line(). Returns false,
 * changing nothing, when the line lock is busy: the caller drops the pte
 * lock and retries. Context: mm->page_table_lock held.
 */
bool pcache_zap_pte(struct pcache_meta *pcm, struct mm_struct *mm, pte_t *pte,
		    unsigned long address, bool *dirty);
/*
 * Store the line's data at address in mm's address space on its memory node
 * (FLUSH). 0 or -errno. Never fails for want of kernel heap (a reserve
 * buffer) or by /proc/fail_alloc. A refusal is handled here: -EFAULT and
 * -ESRCH (the range or the whole space went meanwhile: the data belonged to
 * no mapping) are only counted; any other error means mm's data is lost, so every process using
 * mm is killed with a console line saying why (memory_node_refused_data()).
 * Context: the caller holds a reference on pcm and no pte maps it writable
 * any more (write-protected or zapped, TLB flushed); may sleep.
 */
int pcache_writeback_line(struct pcache_meta *pcm, struct mm_struct *mm, unsigned long address);
/* The same with pcm already locked by the caller; no reference is taken. */
void pcache_zap_pte_locked(struct pcache_meta *pcm, pte_t *pte, bool *dirty);
/* Drop a reference taken for a caller; frees the line if nothing maps or holds it. */
void pcache_release_line(struct pcache_meta *pcm);

/*
 * Resolve a user page fault at address in mm (error_code: the x86 #PF code)
 * through the pcache. Returns 0 (the access can be retried), -EFAULT (no
 * vma there), -EACCES (protection), -ENOSPC (the set has no free line: the
 * pcache is full), -ENOMEM, or a transport error.
 * Context: process context, no locks held; may sleep in the RPC.
 */
int pcache_handle_fault(struct mm_struct *mm, unsigned long address, unsigned long error_code);
/*
 * The same for a fault of the current task's instruction at ip, with the
 * forward-progress rule: a refault of a page this instruction had filled
 * already (pcache_progress_refault()) takes a line of the overflow pool, so
 * an instruction that needs more pages of one set than it has ways still
 * completes. The page-fault hook calls this one.
 */
int pcache_handle_user_fault(struct mm_struct *mm, unsigned long address,
			     unsigned long error_code, unsigned long ip);

/*
 * fork: src_pte (in the parent) maps pcm; make dst_pte (in dst, at address)
 * map it too, write-protecting both for copy-on-write. 0 or -ENOMEM.
 * Context: pcm's line lock and both pte locks held.
 */
int pcache_copy_pte(struct pcache_meta *pcm, pte_t *src_pte, struct mm_struct *dst,
		    pte_t *dst_pte, unsigned long address);
/*
 * A write fault on a PTE_COW pte whose value was expected: reuse the line
 * (last mapping) or copy it. 0 (retry the access), -ENOSPC, -EFAULT.
 * Context: no locks held.
 */
int pcache_do_wp_page(struct mm_struct *mm, unsigned long address, pte_t expected);

/*
 * mremap: old_pte (mapping pcm in mm) moves to new_pte at new_addr. The
 * line stays in its way, whatever set new_addr hashes to: its rmap entry is
 * retargeted and the pte value moves (old_pte cleared). 0, or -ENOENT with
 * nothing changed when pcm has no rmap entry for old_pte.
 * Context: pcm's line lock and mm's pte lock held.
 */
int pcache_move_pte(struct pcache_meta *pcm, pte_t *old_pte, pte_t *new_pte,
		    unsigned long new_addr);
/* The rmap half of pcache_move_pte() (a moved pte table: the ptes stay put). Same context. */
int pcache_move_rmap(struct pcache_meta *pcm, pte_t *old_pte, pte_t *new_pte,
		     unsigned long new_addr);

/* ---- eviction (evict.c, evict_policy.c) ---- */
struct pcache_evict_ops {
	const char *name;
	/*
	 * Choose a victim among the set's ways: returned locked, with a
	 * reference and PC_reclaim set, or NULL when every way is busy.
	 * Context: the set lock held.
	 */
	struct pcache_meta *(*pick)(struct pcache_set *set, struct pcache_meta *ways);
};
extern const struct pcache_evict_ops *pcache_evict_policy;
/* Undo a pick: the line stays (still mapped), unlocked. Context: set lock held. */
void pcache_victim_release(struct pcache_meta *pcm);
extern const struct pcache_evict_ops pcache_evict_policies[PCACHE_NR_POLICIES];

/*
 * The eviction barrier (evict_barrier.c). fork and mremap block eviction of
 * the lines mm maps in [start, end) while the memory node's copy or move
 * and the pte copy or move run; block returns once no eviction is writing
 * back a line of mm. Blocks nest (the union of the ranges is blocked).
 * Context: process context, no locks held; block sleeps.
 */
void pcache_block_eviction(struct mm_struct *mm, unsigned long start, unsigned long end);
void pcache_unblock_eviction(struct mm_struct *mm);
/*
 * A policy picked pcm: count the eviction in each owner's mm->evicting, or
 * (false, nothing counted) refuse it because a mapping is blocked. Release
 * once the write-back is done. Context: pcm's line lock held.
 */
bool pcache_evict_claim_owners(struct pcache_meta *pcm);
void pcache_evict_release_owners(struct pcache_meta *pcm);
/*
 * Release one owner's count early: its mapping left the line before the
 * release walk (a clean victim unmapped at once), so that walk cannot find it.
 */
void pcache_evict_release_owner(struct mm_struct *owner);

/*
 * Evict one line of the set to make room: false when no way could be taken.
 * Context: no locks held; may sleep (write-back).
 */
bool pcache_evict_one(unsigned long set_index);
/* The same for the overflow pool: its oldest line goes (FIFO, whatever pcache.evict= says). */
bool pcache_evict_overflow(void);
/*
 * A line of the overflow pool for a refault (overflow.c): a free one, else
 * the pool's oldest is evicted. NULL when the pool is off (pcache.overflow=0)
 * or all its lines are busy. Context: no locks held; may sleep.
 */
struct pcache_meta *pcache_borrow_line(void);
/* Every way of a set is busy (being filled or evicted): give their holders time. */
void pcache_wait_for_ways(void);
/*
 * pcache_alloc_line(), waiting while every way of the set is busy; NULL
 * once no way of the set has been freed for pcache_busy_wait_ms (boot
 * parameter pcache.busy_wait_ms). The bound is on the set's silence, not on
 * the wait: ways that keep changing hands (remote fills of a few ms each)
 * renew it, ways that nobody gives back (a stuck fill) end it. A fault
 * never waits forever on lines that others hold. While faults wait in a
 * set, a newcomer waits with them instead of taking a freed way first.
 * Context: no locks held; sleeps.
 */
struct pcache_meta *pcache_alloc_line_wait(unsigned long uaddr);
extern unsigned int pcache_busy_wait_ms;
/* rmap walks of eviction. Context: pcm's line lock held. */
int pcache_referenced(struct pcache_meta *pcm);		/* ptes accessed since the last look */
bool pcache_wrprotect(struct pcache_meta *pcm, cpumask_t *cpus);	/* true: dirty */
int pcache_flush(struct pcache_meta *pcm);		/* FLUSH to every owner */
void pcache_try_to_unmap(struct pcache_meta *pcm);	/* clear every pte */

#if IS_ENABLED(CONFIG_DEBUG_PCACHE)
/* Walk every line and page table checking invariant 1 (debug.c): the number of violations. */
unsigned long pcache_check_invariants(const char *when);
#else
static inline unsigned long pcache_check_invariants(const char *when) { return 0; }
#endif

/*
 * The counters as "name value" lines (for /proc/pcache): bytes written.
 * Every counter only grows between two resets; "resets" counts the resets
 * and never goes back, so a reader that compares two snapshots first checks
 * that both show the same "resets" (else a reset fell between them).
 */
long pcache_stats_show(char *buf, size_t size);
/* Zero every counter and count the reset. Context: any; racing increments may survive. */
void pcache_stats_reset(void);
/* /proc/pcache_sets: occupancy gauges (sets.c). */
long pcache_sets_show(char *buf, size_t size);
/* The shutdown report: counters, evictions by policy, set occupancy. */
void pcache_print_report(void);

/* How many of pcm's ptes are writable (an rmap walk). Context: pcm's line lock held. */
unsigned int pcache_writable_mappings(struct pcache_meta *pcm);

/* Create the slab cache for extra rmap entries. Returns 0 or -ENOMEM. */
int pcache_rmap_init(void);
/*
 * An extra rmap entry (rmap_pool.c: a per-CPU pool in front of the slab
 * cache), or NULL when memory is out; and its return.
 * Context: process context, not from an interrupt.
 */
struct pcache_rmap *pcache_rmap_entry_alloc(void);
void pcache_rmap_entry_free(struct pcache_rmap *r);
/* Boot: build the pcache over the reserved region (pcache_region). */
int pcache_init(void);
/*
 * Boot, once the scheduler runs: start the sweep thread that keeps
 * pcache.sweep= free ways per set (sweep.c). 0 or -ENOMEM.
 */
int pcache_sweep_start(void);

#endif
