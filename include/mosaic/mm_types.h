/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A user address space as the processor sees it: page tables and nothing
 * else. The processor keeps no vma tree (the memory manager owns the
 * address space); it only installs and removes ptes as the memory manager's
 * replies say. Implemented in mm/user_pgtable.c.
 *
 * Lock order: pcache set -> pcache line -> mm->page_table_lock (the pte lock).
 */
#ifndef _MOSAIC_MM_TYPES_H
#define _MOSAIC_MM_TYPES_H

#include <mosaic/cpumask.h>
#include <mosaic/list.h>
#include <mosaic/pgtable.h>
#include <mosaic/spinlock.h>
#include <mosaic/types.h>

struct mm_struct {
	pte_t *pml4;			/* user half private; kernel half copied from kernel_pml4 */
	spinlock_t page_table_lock;	/* the pte lock: every user pte of this mm */
	int refcount;			/* tasks using it, plus transient holders */
	int process_users;		/* processes sharing it (kernel/fork.c): the last frees it */
	u32 tgid;			/* with the processor's node: the key at the memory manager */
	int home_node;			/* the memory node serving its misses and mm calls */
	cpumask_t cpus;			/* CPUs that may hold its translations in their TLB */
	unsigned long last_fault;	/* page of its last user fault or fault-ahead (a hint) */
	unsigned long nr_mapped;	/* its rmap entries: pcache lines it maps (atomic) */
	struct list_head mm_link;	/* on the list of every mm (for_each_mm) */
	/* The layout lock (mm/layout_lock.c): faults against fork and mremap. */
	unsigned int faults_running;	/* faults of its threads in progress */
	unsigned int layout_changes;	/* fork or mremap running: new faults wait */
	/* The eviction barrier (pcache/evict_barrier.c): fork and mremap windows. */
	spinlock_t evict_block_lock;	/* orders the blockers of this mm */
	unsigned int evict_blocks;	/* blocks in force: their range is not evicted */
	unsigned long evict_block_start, evict_block_end;
	unsigned int evicting;		/* evictions writing back a line of this mm now */
};

/*
 * Call fn on every live mm (the pcache's invariant checker). Context:
 * fn runs under the mm list lock, may take a pte lock, must not sleep.
 */
void for_each_mm(void (*fn)(struct mm_struct *mm, void *arg), void *arg);

/* A new address space with empty user half: NULL on no memory. refcount 1. */
struct mm_struct *mm_create(u32 tgid, int home_node);
void mm_get(struct mm_struct *mm);
/* Drop a reference; the last one frees the page tables (ptes must be zapped). */
void mm_put(struct mm_struct *mm);

/*
 * The pte slot for the user address va (4 KiB level), creating the tables
 * above it when create. NULL: no table (create false), no memory, or va
 * outside the user half. Context: mm->page_table_lock held.
 */
pte_t *user_pte_slot(struct mm_struct *mm, unsigned long va, bool create);

/*
 * Remove every present pte in [start, end): each pcache line it maps loses
 * that rmap entry (pcache_zap_pte). Returns how many ptes were cleared. The
 * caller flushes the TLB of mm->cpus for the range (zap_pte_range does it).
 */
unsigned long zap_pte_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* The same, but dirty lines are first stored back at the memory node (FLUSH). */
unsigned long zap_pte_range_writeback(struct mm_struct *mm, unsigned long start,
				      unsigned long end);

/*
 * fork: make dst map every pcache line src maps in [start, end), through
 * pcache_copy_pte (both ptes write-protected for copy-on-write), then flush
 * src's TLBs. 0 or -ENOMEM (dst holds part of the copy: zap it).
 */
int copy_pte_range(struct mm_struct *dst, struct mm_struct *src, unsigned long start,
		   unsigned long end);

/*
 * Duplicate parent's address space into the new, empty child (fork): the
 * home memory node copies vmas and pages copy-on-write (FORK), then the
 * ptes are copied. 0 or -errno; on failure nothing of the child remains
 * at the memory node and the child has no ptes.
 */
int mm_fork(struct mm_struct *parent, struct mm_struct *child);

/*
 * mremap after the memory node moved [old_addr, old_addr + len) to
 * new_addr: every present pte follows (pcache_move_pte: same set retargets,
 * another set copies; with no free line the data is stored at the new
 * address and the pte dropped). The new range holds no ptes (the caller
 * zapped it). Context: no locks held.
 */
void move_ptes(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr,
	       unsigned long len);

/*
 * The layout lock (mm/layout_lock.c), Linux's mmap lock cut to one job: a
 * page fault runs between mm_fault_begin() and _end(); mm_fork() and
 * mremap run between mm_layout_change_begin() and _end(), which waits for
 * the faults already running and holds new ones until the change is over.
 * Context: no locks held (both sides yield). A thread must not fault on
 * mm inside its own change.
 */
void mm_fault_begin(struct mm_struct *mm);
void mm_fault_end(struct mm_struct *mm);
void mm_layout_change_begin(struct mm_struct *mm);
void mm_layout_change_end(struct mm_struct *mm);

/* Load mm's page tables on this CPU (NULL: the kernel's) and note the CPU in mm->cpus. */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

#endif
