// SPDX-License-Identifier: GPL-2.0
/*
 * User address spaces on the processor (include/mosaic/mm_types.h): a PML4
 * whose upper half points at the kernel's shared tables, the pte slots the
 * pcache fills, and zap_pte_range(), the one way ptes leave (munmap, exit).
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/panic.h>
#include <mosaic/pcache.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>

#define PTRS_PER_TABLE 512
#define PTE_TABLE_SPAN (PTRS_PER_TABLE * PAGE_SIZE)	/* what one pte table maps: 2 MiB */
#define USER_PML4_ENTRIES 256	/* entries 0..255 map the user half */

static LIST_HEAD(mm_list);
static DEFINE_SPINLOCK(mm_list_lock);

void for_each_mm(void (*fn)(struct mm_struct *mm, void *arg), void *arg)
{
	struct mm_struct *mm;

	spin_lock(&mm_list_lock);
	list_for_each_entry(mm, &mm_list, mm_link)
		fn(mm, arg);
	spin_unlock(&mm_list_lock);
}

struct mm_struct *mm_create(u32 tgid, int home_node)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pml4 = get_zeroed_pages(0);
	if (!mm->pml4) {
		kfree(mm);
		return NULL;
	}
	/* The kernel half is shared: its PML4 entries never change after boot. */
	memcpy(mm->pml4 + USER_PML4_ENTRIES, kernel_pml4 + USER_PML4_ENTRIES,
	       USER_PML4_ENTRIES * sizeof(pte_t));
	spin_lock_init(&mm->page_table_lock);
	spin_lock_init(&mm->evict_block_lock);
	mm->refcount = 1;
	mm->tgid = tgid;
	mm->home_node = home_node;
	spin_lock(&mm_list_lock);
	list_add(&mm->mm_link, &mm_list);
	spin_unlock(&mm_list_lock);
	return mm;
}

void mm_get(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->refcount, 1, __ATOMIC_RELAXED);
}

/* A pte table freed with live ptes would leave rmap entries pointing at freed memory. */
static void check_pte_table_empty(const pte_t *ptes)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		if (pte_present(ptes[i])) {
			pr_err("mm: freeing a page table with a live pte %#llx (not zapped)\n",
			       (unsigned long long)ptes[i]);
			return;
		}
}

/* Free the tables below `table`, a table of `level` (4 = PML4 ... 2 = PD). */
static void free_tables(pte_t *table, int level, unsigned int nr_entries)
{
	for (unsigned int i = 0; i < nr_entries; i++) {
		pte_t e = table[i];

		if (!pte_present(e))
			continue;
		if (level > 2)
			free_tables(__va(pte_phys(e)), level - 1, PTRS_PER_TABLE);
		else if (level == 2)
			check_pte_table_empty(__va(pte_phys(e)));
		free_pages_addr(__va(pte_phys(e)), 0);
	}
}

void mm_put(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	/* its lines were unmapped at exit: an entry left would point into freed tables */
	if (WARN_ON(mm->nr_mapped))
		pr_err("mm: tgid %u freed with %lu rmap entries\n", mm->tgid, mm->nr_mapped);
	spin_lock(&mm_list_lock);
	list_del(&mm->mm_link);
	spin_unlock(&mm_list_lock);
	free_tables(mm->pml4, 4, USER_PML4_ENTRIES);
	free_pages_addr(mm->pml4, 0);
	kfree(mm);
}

pte_t *user_pte_slot(struct mm_struct *mm, unsigned long va, bool create)
{
	if (va >= USER_SPACE_END)
		return NULL;
	return pgtable_walk_user(mm->pml4, va, create);
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned int cpu = this_cpu()->cpu;

	if (prev == next)
		return;
	if (next) {
		/* Before the switch: a shootdown sent from now on must reach us. */
		__atomic_fetch_or(&next->cpus, cpumask_of(cpu), __ATOMIC_SEQ_CST);
		write_cr3(__pa(next->pml4));
	} else {
		write_cr3(__pa(kernel_pml4));
	}
	/*
	 * Without PCIDs the CR3 load dropped every user translation of prev
	 * from this CPU's TLB: its shootdowns need not reach us any more.
	 */
	if (prev)
		__atomic_fetch_and(&prev->cpus, ~cpumask_of(cpu), __ATOMIC_SEQ_CST);
}

/*
 * Lines whose ptes a zap cleared, held (refcount) until the TLB flush: a
 * line must not be reused, nor its data read for write-back, while another
 * CPU may still write it through a stale translation.
 */
#define ZAP_BATCH 32
struct zap_batch {
	struct mm_struct *mm;
	bool writeback;			/* store dirty lines back before dropping them */
	unsigned long cleared;		/* ptes cleared in all */
	unsigned int nr;
	unsigned long start, end;	/* range of cleared ptes */
	struct {
		struct pcache_meta *pcm;
		unsigned long address;
		bool dirty;
	} lines[ZAP_BATCH];
};

static void zap_batch_flush(struct zap_batch *b)
{
	if (b->start < b->end)
		flush_tlb_range_cpus(__atomic_load_n(&b->mm->cpus, __ATOMIC_SEQ_CST),
				     b->start, b->end);
	for (unsigned int i = 0; i < b->nr; i++) {
		if (b->writeback && b->lines[i].dirty)	/* a refusal kills mm's users */
			pcache_writeback_line(b->lines[i].pcm, b->mm, b->lines[i].address);
		pcache_release_line(b->lines[i].pcm);
	}
	b->nr = 0;
	b->start = b->end = 0;
}

/* The end of the pte table that maps va (2 MiB), or end if sooner. */
static unsigned long table_end(unsigned long va, unsigned long end)
{
	unsigned long next = (va & ~(PTE_TABLE_SPAN - 1)) + PTE_TABLE_SPAN;

	return min(next, end);
}

/* Drop and retake the pte lock: the holder of a line lock we need may want it. */
static void relax_pte_lock(struct mm_struct *mm)
{
	spin_unlock(&mm->page_table_lock);
	cpu_relax();
	spin_lock(&mm->page_table_lock);
}

/*
 * No CPU but this one has mm loaded, so no other TLB can hold a translation
 * of a pte cleared before this call (a CPU that loads mm later walks the
 * cleared pte). A local invlpg then ends the line's last stale translation
 * and it need not wait for a batched shootdown: exit and munmap of a
 * single-threaded process. Context: preemption off (a pte lock held).
 */
static bool mm_only_here(struct mm_struct *mm)
{
	cpumask_t others = __atomic_load_n(&mm->cpus, __ATOMIC_SEQ_CST);

	cpumask_clear_cpu(&others, this_cpu()->cpu);
	return cpumask_empty(others);
}

/* Note a cleared pte that needs the batch's shootdown. */
static void zap_batch_note(struct zap_batch *b, unsigned long va)
{
	if (!b->end)
		b->start = va;
	b->end = va + PAGE_SIZE;
}

/* The fast way (mm_only_here): clear, invlpg, unlock; false if the line lock is busy. */
static bool zap_line_now(struct pcache_meta *pcm, pte_t *pte, unsigned long va)
{
	bool dirty;

	if (!trylock_pcache(pcm))
		return false;
	pcache_zap_pte_locked(pcm, pte, &dirty);
	flush_tlb_range_local(va, va + PAGE_SIZE);	/* before the line may go */
	unlock_pcache(pcm);	/* frees it if that was its last mapping */
	return true;
}

/* The batched way: the line is held until zap_batch_flush() (shootdown, write-back). */
static bool zap_line_batched(struct zap_batch *b, struct pcache_meta *pcm, pte_t *pte,
			     unsigned long va)
{
	bool dirty = false;

	if (!pcache_zap_pte(pcm, b->mm, pte, va, &dirty))
		return false;
	b->lines[b->nr++] = (typeof(b->lines[0])){ pcm, va, dirty };
	zap_batch_note(b, va);
	return true;
}

/*
 * Clear *pte (mapping va), if present. Returns false when the line lock
 * was busy (nothing changed: the caller relaxes and retries).
 * Context: b->mm's pte lock held.
 */
static bool zap_locked(struct zap_batch *b, pte_t *pte, unsigned long va)
{
	struct pcache_meta *pcm;

	if (!pte_present(*pte))
		return true;
	pcm = pcache_phys_to_meta(pte_phys(*pte));
	if (!pcm) {
		*pte = 0;	/* not a pcache line: nothing else refers to it */
		zap_batch_note(b, va);
	} else if (!b->writeback && mm_only_here(b->mm)) {
		if (!zap_line_now(pcm, pte, va))
			return false;
	} else if (!zap_line_batched(b, pcm, pte, va)) {
		return false;	/* the lock order says back off */
	}
	b->cleared++;
	return true;
}

/*
 * Zap [va, end) within one pte table, holding the pte lock across it
 * except while a full batch is flushed (the flush takes line locks).
 */
static void zap_pte_table(struct zap_batch *b, unsigned long va, unsigned long end)
{
	struct mm_struct *mm = b->mm;
	pte_t *pte;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, va, false);
	for (; pte && va < end; va += PAGE_SIZE, pte++) {
		while (!zap_locked(b, pte, va))
			relax_pte_lock(mm);
		if (b->nr == ZAP_BATCH) {
			spin_unlock(&mm->page_table_lock);
			zap_batch_flush(b);
			spin_lock(&mm->page_table_lock);
		}
	}
	spin_unlock(&mm->page_table_lock);
}

static unsigned long zap_range(struct zap_batch *b, unsigned long start, unsigned long end)
{
	unsigned long va, next;

	end = min(end, USER_SPACE_END);
	for (va = start & ~(PAGE_SIZE - 1); va < end; va = next) {
		next = pgtable_user_next_table(b->mm->pml4, va);
		if (next != va)
			continue;	/* no pte table: skip the hole */
		next = table_end(va, end);
		zap_pte_table(b, va, next);
	}
	zap_batch_flush(b);
	return b->cleared;
}

unsigned long zap_pte_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct zap_batch b = { .mm = mm, .writeback = false };

	return zap_range(&b, start, end);
}

unsigned long zap_pte_range_writeback(struct mm_struct *mm, unsigned long start,
				      unsigned long end)
{
	struct zap_batch b = { .mm = mm, .writeback = true };

	return zap_range(&b, start, end);
}

/* Drop and retake both pte locks of a fork (src first, as taken). */
static void relax_fork_locks(struct mm_struct *dst, struct mm_struct *src)
{
	spin_unlock(&dst->page_table_lock);
	relax_pte_lock(src);
	spin_lock(&dst->page_table_lock);
}

/*
 * The line *spte maps, locked, or NULL (no pcache line there). The line
 * lock comes before the pte locks in the lock order, so it is only tried
 * here; while it is busy the pte locks are dropped for a moment and the
 * pte read again (an eviction may have cleared it meanwhile).
 * Context: both pte locks held.
 */
static struct pcache_meta *lock_line_of(struct mm_struct *dst, struct mm_struct *src,
					pte_t *spte)
{
	struct pcache_meta *pcm;

	for (;;) {
		pcm = pte_present(*spte) ? pcache_phys_to_meta(pte_phys(*spte)) : NULL;
		if (!pcm || trylock_pcache(pcm))
			return pcm;
		relax_fork_locks(dst, src);
	}
}

/*
 * Copy the ptes of src in [va, end), within one pte table, to dst (fork):
 * one walk per table and the pte locks held across it (dst is new: its
 * lock comes last). 0 or -ENOMEM.
 */
static int copy_pte_table(struct mm_struct *dst, struct mm_struct *src, unsigned long va,
			  unsigned long end)
{
	struct pcache_meta *pcm;
	pte_t *spte, *dpte = NULL;
	int err = 0;

	spin_lock(&src->page_table_lock);
	spin_lock(&dst->page_table_lock);
	spte = user_pte_slot(src, va, false);
	if (spte)
		dpte = user_pte_slot(dst, va, true);
	if (spte && !dpte)
		err = -ENOMEM;
	for (; dpte && va < end && !err; va += PAGE_SIZE, spte++, dpte++) {
		pcm = lock_line_of(dst, src, spte);
		if (!pcm)
			continue;
		err = pcache_copy_pte(pcm, spte, dst, dpte, va);
		unlock_pcache(pcm);
	}
	spin_unlock(&dst->page_table_lock);
	spin_unlock(&src->page_table_lock);
	return err;
}

int copy_pte_range(struct mm_struct *dst, struct mm_struct *src, unsigned long start,
		   unsigned long end)
{
	unsigned long va, next, stop = min(end, USER_SPACE_END);
	int err = 0;

	for (va = start & ~(PAGE_SIZE - 1); va < stop && !err; va = next) {
		next = pgtable_user_next_table(src->pml4, va);
		if (next != va)
			continue;	/* no pte table: skip the hole */
		next = table_end(va, stop);
		err = copy_pte_table(dst, src, va, next);
	}
	/* The parent's writable ptes became read-only: no CPU may keep writing. */
	flush_tlb_range_cpus(__atomic_load_n(&src->cpus, __ATOMIC_SEQ_CST), start, end);
	return err;
}

/*
 * mremap (move_ptes): per pte table of the old range, under the pte lock,
 * each present pte moves to va + delta and its line stays where it is
 * (pcache_move_pte: the pte and the rmap entry change, no data moves). A
 * pte that cannot move (no memory for the new pte table, or a pte already
 * there: a thread faulted the new address in after MREMAP) is dropped
 * instead; its line is held until the TLB flush and, if dirty, written
 * back at the new address.
 */
struct move_batch {
	struct mm_struct *mm;
	unsigned long delta;		/* new address - old address (mod 2^64) */
	unsigned long old_start, old_end;
	unsigned int nr;
	struct {
		struct pcache_meta *pcm;
		unsigned long new_addr;		/* write back here */
		bool writeback;
	} held[ZAP_BATCH];
};

static void move_batch_flush(struct move_batch *b)
{
	flush_tlb_range_cpus(__atomic_load_n(&b->mm->cpus, __ATOMIC_SEQ_CST), b->old_start,
			     b->old_end);
	for (unsigned int i = 0; i < b->nr; i++) {
		if (b->held[i].writeback)	/* a refusal kills mm's users */
			pcache_writeback_line(b->held[i].pcm, b->mm, b->held[i].new_addr);
		pcache_release_line(b->held[i].pcm);
	}
	b->nr = 0;
}

/* The fallback: drop *pte and hold pcm (locked) until the flush. */
static void move_drop(struct move_batch *b, struct pcache_meta *pcm, pte_t *pte,
		      unsigned long new_addr)
{
	bool dirty;

	pcache_zap_pte_locked(pcm, pte, &dirty);
	pcache_get_locked(pcm);
	b->held[b->nr].pcm = pcm;
	b->held[b->nr].new_addr = new_addr;
	b->held[b->nr].writeback = dirty;
	b->nr++;
}

/*
 * Move *pte (mapping va), if present, to *new_pte (NULL: no table there).
 * Returns false when the line lock was busy (nothing changed: the caller
 * relaxes and retries). Context: b->mm's pte lock held.
 */
static bool move_locked(struct move_batch *b, pte_t *pte, unsigned long va, pte_t *new_pte)
{
	bool movable = new_pte && !pte_present(*new_pte);
	struct pcache_meta *pcm;

	if (!pte_present(*pte))
		return true;
	pcm = pcache_phys_to_meta(pte_phys(*pte));
	if (!pcm) {	/* not a pcache line: no rmap to follow */
		if (movable)
			*new_pte = *pte;
		*pte = 0;
		return true;
	}
	if (!trylock_pcache(pcm))
		return false;
	if (!movable || pcache_move_pte(pcm, pte, new_pte, va + b->delta))
		move_drop(b, pcm, pte, va + b->delta);
	unlock_pcache(pcm);
	return true;
}

/* The pte slot of new_va: the one after prev within a pte table, else a walk that creates. */
static pte_t *new_pte_slot(struct mm_struct *mm, pte_t *prev, unsigned long new_va)
{
	if (prev && (new_va & (PTE_TABLE_SPAN - 1)))
		return prev + 1;
	return user_pte_slot(mm, new_va, true);
}

/*
 * Move the ptes of [va, end), within one pte table of the old range: one
 * walk for the old table, one per new table (the new range need not be
 * 2 MiB-aligned like the old one), the pte lock held across.
 */
static void move_pte_table(struct move_batch *b, unsigned long va, unsigned long end)
{
	struct mm_struct *mm = b->mm;
	pte_t *pte, *new_pte = NULL;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, va, false);
	for (; pte && va < end; va += PAGE_SIZE, pte++) {
		new_pte = new_pte_slot(mm, new_pte, va + b->delta);
		while (!move_locked(b, pte, va, new_pte))
			relax_pte_lock(mm);
		if (b->nr == ZAP_BATCH) {
			spin_unlock(&mm->page_table_lock);
			move_batch_flush(b);
			spin_lock(&mm->page_table_lock);
		}
	}
	spin_unlock(&mm->page_table_lock);
}

/*
 * Point the rmap entry of the line *pte maps (if any) at new_addr; the pte
 * itself stays (its whole table moved). False when the line lock was busy
 * (nothing changed: the caller relaxes and retries).
 * Context: mm's pte lock held.
 */
static bool retarget_locked(struct mm_struct *mm, pte_t *pte, unsigned long new_addr)
{
	struct pcache_meta *pcm;

	if (!pte_present(*pte))
		return true;
	pcm = pcache_phys_to_meta(pte_phys(*pte));
	if (!pcm)
		return true;	/* not a pcache line: no rmap */
	if (!trylock_pcache(pcm))
		return false;
	if (pcache_move_rmap(pcm, pte, pte, new_addr))
		pr_warn("mm: tgid %u: no rmap entry for the pte moved to %#lx\n", mm->tgid,
			new_addr);
	unlock_pcache(pcm);
	return true;
}

/* May a moving pte table take the place of pd: empty, or a table that holds no pte? */
static bool pd_replaceable(pte_t pd)
{
	const pte_t *ptes = __va(pte_phys(pd));

	if (!pte_present(pd))
		return true;
	if (pd & PTE_PS)
		return false;
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		if (ptes[i])
			return false;
	return true;
}

/*
 * Move the whole pte table that maps the 2 MiB at va (aligned) to va +
 * delta (2 MiB-aligned too): the page-directory entries swap, no pte is
 * copied, and each line's rmap address follows (its pte pointer stays
 * right: the table page is the same). The new 2 MiB may have a table that
 * maps nothing (tables stay until exit after a munmap or an earlier move):
 * it goes to the old place. The entries swap first, so a thread that
 * faults at the new address meanwhile finds its pte. False when the new
 * 2 MiB maps something already (or no table can be made): nothing
 * changed, the caller moves pte by pte.
 */
static bool move_whole_table(struct move_batch *b, unsigned long va)
{
	struct mm_struct *mm = b->mm;
	pte_t *old_pd, *new_pd = NULL, *ptes, unused;

	spin_lock(&mm->page_table_lock);
	old_pd = pgtable_walk_user_pd(mm->pml4, va, false);
	if (old_pd && pte_present(*old_pd) && !(*old_pd & PTE_PS))
		new_pd = pgtable_walk_user_pd(mm->pml4, va + b->delta, true);
	if (!new_pd || !pd_replaceable(*new_pd)) {
		spin_unlock(&mm->page_table_lock);
		return false;
	}
	unused = *new_pd;
	*new_pd = *old_pd;
	*old_pd = unused;
	ptes = __va(pte_phys(*new_pd));
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++, va += PAGE_SIZE)
		while (!retarget_locked(mm, &ptes[i], va + b->delta))
			relax_pte_lock(mm);
	spin_unlock(&mm->page_table_lock);
	__atomic_fetch_add(&pcache.stats.move_tables, 1, __ATOMIC_RELAXED);
	return true;
}

/* Can [va, end) of the old range move as one pte table? */
static bool whole_table(const struct move_batch *b, unsigned long va, unsigned long end)
{
	return !(va & (PTE_TABLE_SPAN - 1)) && end - va == PTE_TABLE_SPAN &&
	       !(b->delta & (PTE_TABLE_SPAN - 1));
}

/*
 * A moved line's rmap names its new address at once, outside the old
 * range the caller's eviction barrier covers, while other CPUs may still
 * write it through the old translation until the final flush. Were it
 * evicted and its way reused meanwhile, such a write would land in another
 * page: so the new range is kept out of eviction too until the flush.
 */
void move_ptes(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr,
	       unsigned long len)
{
	struct move_batch b = { .mm = mm, .delta = new_addr - old_addr, .old_start = old_addr,
				.old_end = old_addr + len };
	unsigned long va, next, end = min(old_addr + len, USER_SPACE_END);

	pcache_block_eviction(mm, new_addr, new_addr + len);
	for (va = old_addr; va < end; va = next) {
		next = pgtable_user_next_table(mm->pml4, va);
		if (next != va)
			continue;	/* no pte table: skip the hole */
		next = table_end(va, end);
		if (!whole_table(&b, va, next) || !move_whole_table(&b, va))
			move_pte_table(&b, va, next);
	}
	move_batch_flush(&b);
	pcache_unblock_eviction(mm);
}
