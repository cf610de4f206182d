// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the pcache fill path (suite "pcache_fault"): a real
 * address space at the local memory manager, a processor mm, and
 * pcache_handle_fault() called as the page-fault hook would. The pages are
 * checked through the pcache line the pte points at, so the test needs no
 * user mode.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/memory.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#define FT_TGID 0x7ff0
#define FT_ADDR 0x400000UL
#define FT_PAGES 16
#define PF_READ 0x4UL		/* user-mode read of a not-present page */
#define PF_WRITE 0x6UL		/* user-mode write of a not-present page */
#define PF_WRITE_PROT 0x7UL	/* user-mode write of a present page */

struct fault_env {
	struct mem_space *ms;
	struct mm_struct *mm;
};

static bool env_setup(struct fault_env *env, unsigned long len, u32 prot)
{
	struct mem_mmap_req req = {
		/*
		 * NORESERVE: full_set_* map nr_sets * 2 * assoc pages (about 260 MiB)
		 * to touch a few; with an initramfs loaded the memory node's page
		 * budget would refuse that much writable memory.
		 */
		.tgid = FT_TGID, .prot = prot,
		.flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		.addr = FT_ADDR, .len = len,
	};

	env->ms = mem_space_create(rpc_self_node(), FT_TGID);
	if (IS_ERR(env->ms))
		return false;
	env->mm = mm_create(FT_TGID, rpc_self_node());
	return env->mm && mem_mmap(env->ms, &req) == (long)FT_ADDR;
}

static void env_teardown(struct fault_env *env)
{
	if (env->mm) {
		zap_pte_range(env->mm, 0, USER_SPACE_END);
		mm_put(env->mm);
	}
	if (!IS_ERR(env->ms)) {
		mem_space_destroy(rpc_self_node(), FT_TGID);
		mem_space_put(env->ms);
	}
}

/* The line mapped at addr in mm, or NULL. */
static struct pcache_meta *line_at(struct mm_struct *mm, unsigned long addr, pte_t *val)
{
	pte_t *pte = user_pte_slot(mm, addr, false);

	*val = pte ? *pte : 0;
	return pte_present(*val) ? pcache_phys_to_meta(pte_phys(*val)) : NULL;
}

KTEST(pcache_fault, zero_fill_installs_pte_and_rmap)
{
	struct fault_env env;
	u64 zero_fills = pcache.stats.zero_fills;
	struct pcache_meta *pcm;
	pte_t val;

	if (KEXPECT(env_setup(&env, FT_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR + 5, PF_WRITE), 0);
		pcm = line_at(env.mm, FT_ADDR, &val);
		KEXPECT(pcm != NULL);
		KEXPECT(val & PTE_US);
		KEXPECT(val & PTE_RW);
		KEXPECT(val & PTE_NX);
		KEXPECT_EQ(pcache.stats.zero_fills, zero_fills + 1);
		if (pcm) {
			KEXPECT_EQ(pcm->mapcount, 1);
			KEXPECT(pcm->rmap.owner == env.mm && pcm->rmap.address == FT_ADDR);
			KEXPECT_EQ(pcache_set_index(FT_ADDR), pcache_line_index(pcm) / pcache.assoc);
			KEXPECT_EQ(((u8 *)pcache_line_data(pcm))[100], 0);
		}
		/* A second fault on the same page finds the pte and changes nothing. */
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_READ), 0);
		KEXPECT_EQ(pcache.stats.zero_fills, zero_fills + 1);
	}
	env_teardown(&env);
}

KTEST(pcache_fault, bad_address_and_protection)
{
	struct fault_env env;

	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ))) {
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR + PAGE_SIZE, PF_READ), -EFAULT);
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), -EACCES);
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_READ), 0);
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE_PROT), -EACCES);
	}
	env_teardown(&env);
}

KTEST(pcache_fault, zap_frees_the_line)
{
	struct fault_env env;
	unsigned long freed = pcache.stats.lines_freed;
	pte_t val;

	if (KEXPECT(env_setup(&env, FT_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		for (int i = 0; i < FT_PAGES; i++)
			KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR + i * PAGE_SIZE, PF_WRITE), 0);
		KEXPECT_EQ(zap_pte_range(env.mm, FT_ADDR, FT_ADDR + FT_PAGES * PAGE_SIZE), FT_PAGES);
		KEXPECT(line_at(env.mm, FT_ADDR, &val) == NULL);
		KEXPECT_EQ(pcache.stats.lines_freed, freed + FT_PAGES);
	}
	env_teardown(&env);
}

KTEST(pcache_fault, writeback_then_refill_keeps_data)
{
	struct fault_env env;
	struct pcache_meta *pcm;
	u64 fills = pcache.stats.fills;
	pte_t val;

	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
		pcm = line_at(env.mm, FT_ADDR, &val);
		KASSERT(pcm != NULL);
		memset(pcache_line_data(pcm), 0x5a, PAGE_SIZE);
		KEXPECT_EQ(zap_pte_range_writeback(env.mm, FT_ADDR, FT_ADDR + PAGE_SIZE), 1);
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_READ), 0);
		KEXPECT_EQ(pcache.stats.fills, fills + 1);	/* data this time, not zero */
		pcm = line_at(env.mm, FT_ADDR, &val);
		KASSERT(pcm != NULL);
		KEXPECT_EQ(((u8 *)pcache_line_data(pcm))[PAGE_SIZE - 1], 0x5a);
	}
	env_teardown(&env);
}

KTEST(pcache_fault, full_set_evicts_and_keeps_the_data)
{
	unsigned long stride = pcache.nr_sets * PAGE_SIZE;	/* same set every time */
	unsigned int ways = pcache.assoc, n = 2 * ways, gone = 0;
	u64 dirty_before = pcache.stats.evict_dirty, fills = pcache.stats.fills;
	struct pcache_meta *pcm;
	struct fault_env env;
	pte_t val;

	/* One mapping covering 2 * assoc pages of a single set, each written. */
	if (KEXPECT(env_setup(&env, n * stride, PROT_READ | PROT_WRITE))) {
		for (unsigned int i = 0; i < n; i++) {
			KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR + i * stride, PF_WRITE), 0);
			pcm = line_at(env.mm, FT_ADDR + i * stride, &val);
			if (KEXPECT(pcm != NULL))
				memset(pcache_line_data(pcm), 0x10 + i, PAGE_SIZE);
		}
		KEXPECT(pcache.stats.evict_dirty >= dirty_before + ways);
		for (unsigned int i = 0; i < n; i++)
			gone += line_at(env.mm, FT_ADDR + i * stride, &val) == NULL;
		KEXPECT(gone >= ways);	/* at most assoc of them fit */
		/* Read them all back: evicted pages come from the memory node with their data. */
		for (unsigned int i = 0; i < n; i++) {
			KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR + i * stride, PF_READ), 0);
			pcm = line_at(env.mm, FT_ADDR + i * stride, &val);
			if (KEXPECT(pcm != NULL))
				KEXPECT_EQ(((u8 *)pcache_line_data(pcm))[99], 0x10 + i);
		}
		KEXPECT(pcache.stats.fills >= fills + ways);
		KEXPECT_EQ(pcache_check_invariants("eviction ktest"), 0);
	}
	env_teardown(&env);
}

#define FT_CHILD_TGID 0x7ff1

KTEST(pcache_fault, fork_shares_lines_then_copies_on_write)
{
	struct fault_env env;
	struct mm_struct *child = NULL;
	struct pcache_meta *shared, *copy, *mine;
	u64 copies = pcache.stats.cow_copies, reuses = pcache.stats.cow_reuses;
	pte_t pval, cval;

	if (!KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE)))
		goto out;
	KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
	shared = line_at(env.mm, FT_ADDR, &pval);
	KASSERT(shared != NULL);
	memset(pcache_line_data(shared), 0x77, PAGE_SIZE);	/* dirty, never flushed */
	child = mm_create(FT_CHILD_TGID, rpc_self_node());
	KASSERT(child != NULL);
	KEXPECT_EQ(mm_fork(env.mm, child), 0);
	KEXPECT(line_at(child, FT_ADDR, &cval) == shared);
	KEXPECT_EQ(shared->mapcount, 2);
	KEXPECT_EQ(pcache_check_invariants("fork ktest"), 0);
	lock_pcache(shared);
	KEXPECT_EQ(pcache_writable_mappings(shared), 0);	/* both copy-on-write */
	unlock_pcache(shared);
	line_at(env.mm, FT_ADDR, &pval);
	KEXPECT(!(pval & PTE_RW) && (pval & PTE_COW));
	KEXPECT(!(cval & PTE_RW) && (cval & PTE_COW));
	/* The child writes: it gets a copy of the dirty data in a line of the same set. */
	KEXPECT_EQ(pcache_handle_fault(child, FT_ADDR, PF_WRITE_PROT), 0);
	copy = line_at(child, FT_ADDR, &cval);
	KASSERT(copy != NULL && copy != shared);
	KEXPECT(cval & PTE_RW);
	KEXPECT_EQ(((u8 *)pcache_line_data(copy))[PAGE_SIZE - 1], 0x77);
	KEXPECT_EQ(pcache_line_index(copy) / pcache.assoc, pcache_set_index(FT_ADDR));
	KEXPECT_EQ(pcache.stats.cow_copies, copies + 1);
	/* The parent writes next: last mapping, the line is reused in place. */
	KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE_PROT), 0);
	mine = line_at(env.mm, FT_ADDR, &pval);
	KEXPECT(mine == shared && (pval & PTE_RW));
	lock_pcache(shared);
	KEXPECT_EQ(pcache_writable_mappings(shared), 1);	/* the parent's, reused */
	unlock_pcache(shared);
	KEXPECT_EQ(pcache.stats.cow_reuses, reuses + 1);
	KEXPECT_EQ(shared->mapcount, 1);
	KEXPECT_EQ(pcache_check_invariants("cow ktest"), 0);
out:
	if (child) {
		zap_pte_range(child, 0, USER_SPACE_END);
		mm_put(child);
		mem_space_destroy(rpc_self_node(), FT_CHILD_TGID);
	}
	env_teardown(&env);
}

/* mremap len bytes from FT_ADDR to new_addr: the memory node first, then the ptes. */
static bool kt_mremap(struct fault_env *env, unsigned long new_addr, unsigned long len)
{
	struct mem_mremap_req req = {
		.tgid = FT_TGID, .flags = MREMAP_MAYMOVE | MREMAP_FIXED, .old_addr = FT_ADDR,
		.old_len = len, .new_len = len, .new_addr = new_addr,
	};

	if (mem_mremap(env->ms, &req) != (long)new_addr)
		return false;
	move_ptes(env->mm, FT_ADDR, new_addr, len);
	return true;
}

/* mremap one dirty page from FT_ADDR to new_addr: the line now mapped there. */
static struct pcache_meta *kt_mremap_page(struct fault_env *env, unsigned long new_addr)
{
	pte_t val;

	if (!kt_mremap(env, new_addr, PAGE_SIZE))
		return NULL;
	if (line_at(env->mm, FT_ADDR, &val))
		return NULL;	/* the old pte must be gone */
	return line_at(env->mm, new_addr, &val);
}

/*
 * Evict the line moved from old_addr to new_addr (from the set it lives
 * in: old_addr's) and fault new_addr in again: the write-back must have
 * gone to the new address, so the line reads back byte.
 */
static void kt_evict_and_refault(struct fault_env *env, unsigned long old_addr,
				 unsigned long new_addr, u8 byte)
{
	pte_t val;
	struct pcache_meta *pcm;

	for (unsigned int i = 0; i < pcache.assoc && line_at(env->mm, new_addr, &val); i++)
		pcache_evict_one(pcache_set_index(old_addr));
	KEXPECT(line_at(env->mm, new_addr, &val) == NULL);
	KEXPECT_EQ(pcache_handle_fault(env->mm, new_addr, PF_READ), 0);
	pcm = line_at(env->mm, new_addr, &val);
	if (KEXPECT(pcm != NULL))
		KEXPECT_EQ(((u8 *)pcache_line_data(pcm))[7], byte);
}

/* A moved line keeps its way, whatever set new_addr hashes to: no data is copied. */
static void kt_move_case(unsigned long new_addr, bool same_set)
{
	u64 moves = pcache.stats.rmap_moves;
	struct fault_env env;
	struct pcache_meta *old, *moved;
	pte_t val;

	KEXPECT_EQ(pcache_set_index(new_addr) == pcache_set_index(FT_ADDR), same_set);
	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
		old = line_at(env.mm, FT_ADDR, &val);
		if (KEXPECT(old != NULL))
			memset(pcache_line_data(old), 0x5a, PAGE_SIZE);
		moved = kt_mremap_page(&env, new_addr);
		if (KEXPECT(moved != NULL)) {
			KEXPECT_EQ(moved, old);
			KEXPECT_EQ(((u8 *)pcache_line_data(moved))[7], 0x5a);
			KEXPECT_EQ(moved->mapcount, 1);
			KEXPECT_EQ(moved->rmap.address, new_addr);
		}
		KEXPECT_EQ(pcache_check_invariants("mremap ktest"), 0);
		KEXPECT_EQ(pcache.stats.rmap_moves, moves + 1);
		kt_evict_and_refault(&env, FT_ADDR, new_addr, 0x5a);
	}
	env_teardown(&env);
}

KTEST(pcache_fault, mremap_same_set_retargets_the_rmap)
{
	kt_move_case(FT_ADDR + 2 * pcache.nr_sets * PAGE_SIZE, true);
}

KTEST(pcache_fault, mremap_other_set_keeps_the_line)
{
	kt_move_case(FT_ADDR + 2 * pcache.nr_sets * PAGE_SIZE + PAGE_SIZE, false);
}

#define KT_TABLE_SPAN (512 * PAGE_SIZE)	/* what one pte table maps */

/* Pages of the table the whole-table ktest touches: its ends and its middle. */
static const unsigned int kt_table_pages[] = { 0, 255, 511 };

static void kt_table_check(struct fault_env *env, unsigned long new_addr,
			   struct pcache_meta *const *lines)
{
	unsigned long old_va, new_va;
	struct pcache_meta *moved;
	pte_t val;

	for (unsigned int i = 0; i < ARRAY_SIZE(kt_table_pages); i++) {
		old_va = FT_ADDR + kt_table_pages[i] * PAGE_SIZE;
		new_va = new_addr + kt_table_pages[i] * PAGE_SIZE;
		moved = line_at(env->mm, new_va, &val);
		KEXPECT(line_at(env->mm, old_va, &val) == NULL);
		if (KEXPECT_EQ(moved, lines[i]))
			KEXPECT_EQ(moved->rmap.address, new_va);
	}
	KEXPECT_EQ(pcache_check_invariants("mremap table ktest"), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(kt_table_pages); i++)
		kt_evict_and_refault(env, FT_ADDR + kt_table_pages[i] * PAGE_SIZE,
				     new_addr + kt_table_pages[i] * PAGE_SIZE, 0x40 + i);
}

/* An empty pte table at addr, as a munmap leaves one (tables stay until exit). */
static bool kt_empty_table_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte;

	spin_lock(&mm->page_table_lock);
	pte = user_pte_slot(mm, addr, true);
	spin_unlock(&mm->page_table_lock);
	return pte && !*pte;
}

/*
 * A 2 MiB-aligned move of a whole pte table onto an empty one: the tables
 * swap, the lines and their data stay.
 */
KTEST(pcache_fault, mremap_moves_a_whole_pte_table)
{
	unsigned long new_addr = FT_ADDR + 9 * KT_TABLE_SPAN;
	u64 tables = pcache.stats.move_tables;
	struct pcache_meta *lines[ARRAY_SIZE(kt_table_pages)];
	struct fault_env env;
	pte_t val;

	if (KEXPECT(env_setup(&env, KT_TABLE_SPAN, PROT_READ | PROT_WRITE))) {
		for (unsigned int i = 0; i < ARRAY_SIZE(kt_table_pages); i++) {
			unsigned long va = FT_ADDR + kt_table_pages[i] * PAGE_SIZE;

			KEXPECT_EQ(pcache_handle_fault(env.mm, va, PF_WRITE), 0);
			lines[i] = line_at(env.mm, va, &val);
			KASSERT(lines[i] != NULL);
			memset(pcache_line_data(lines[i]), 0x40 + i, PAGE_SIZE);
		}
		KEXPECT(kt_empty_table_at(env.mm, new_addr));
		if (KEXPECT(kt_mremap(&env, new_addr, KT_TABLE_SPAN))) {
			KEXPECT_EQ(pcache.stats.move_tables, tables + 1);
			kt_table_check(&env, new_addr, lines);
		}
	}
	env_teardown(&env);
}

/* ---- a set whose every way is busy ---- */

struct busy_set {
	struct pcache_meta *ways[64];
	unsigned int nr;
};

/* Take every free way of addr's set, as fills in progress would hold them. */
static void busy_set_take(struct busy_set *bs, unsigned long addr)
{
	bs->nr = 0;
	while (bs->nr < ARRAY_SIZE(bs->ways) && (bs->ways[bs->nr] = pcache_alloc_line(addr)))
		bs->nr++;
}

static void busy_set_release_one(struct busy_set *bs)
{
	struct pcache_meta *pcm = bs->ways[--bs->nr];

	pcache_put_locked(pcm);
	unlock_pcache(pcm);
}

static void busy_set_release(struct busy_set *bs)
{
	while (bs->nr)
		busy_set_release_one(bs);
}

KTEST(pcache_fault, busy_set_times_out)
{
	unsigned int saved_wait = pcache_busy_wait_ms;
	u64 waits = pcache.stats.busy_waits;
	struct fault_env env;
	struct busy_set bs;

	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		busy_set_take(&bs, FT_ADDR);
		KEXPECT_EQ(bs.nr, pcache.assoc);
		pcache_busy_wait_ms = 30;
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), -ENOSPC);
		pcache_busy_wait_ms = saved_wait;
		KEXPECT(pcache.stats.busy_waits > waits);
		busy_set_release(&bs);
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
	}
	env_teardown(&env);
}

/* Frees one way of the busy set after a while, as a fill that ends would. */
static int release_one_later(void *arg)
{
	msleep(20);
	busy_set_release_one(arg);
	return 0;
}

KTEST(pcache_fault, busy_set_waits_for_a_way)
{
	struct fault_env env;
	struct busy_set bs;
	struct task *releaser;

	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		busy_set_take(&bs, FT_ADDR);
		releaser = kthread_create(release_one_later, &bs, "release");
		KASSERT(!IS_ERR(releaser));
		/* The bound is seconds (pcache.busy_wait_ms): far above 20 ms. */
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
		kthread_join(releaser);
		busy_set_release(&bs);
	}
	env_teardown(&env);
}

/* ---- forward progress: a refault of one instruction borrows a pool line ---- */

#define FT_IP 0x401234UL	/* the instruction the faults pretend to come from */

/*
 * Borrow pool lines (held locked, as a fill holds them) until addr's
 * borrowed line is pushed out: how many it took.
 */
static unsigned int borrow_until_gone(struct fault_env *env, unsigned long addr,
				      struct pcache_meta **held)
{
	unsigned int n = 0;
	pte_t val;

	while (n <= pcache.nr_overflow && line_at(env->mm, addr, &val))
		held[n++] = pcache_borrow_line();
	return n;
}

static void release_borrowed(struct pcache_meta **held, unsigned int n)
{
	while (n--)
		if (held[n]) {
			pcache_put_locked(held[n]);
			unlock_pcache(held[n]);	/* unmapped: back to the pool */
		}
}

KTEST(pcache_fault, refault_borrows_an_overflow_line)
{
	struct pcache_meta *pcm, *held[PCACHE_MAX_ASSOC + 1];
	u64 borrows = pcache.stats.overflow_borrows, pushed = pcache.stats.overflow_evictions;
	struct fault_env env;
	unsigned int n;
	pte_t val;

	KASSERT(pcache.nr_overflow > 0);
	current_task()->pcache_progress = (struct pcache_progress){ 0 };
	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		KEXPECT_EQ(pcache_handle_user_fault(env.mm, FT_ADDR, PF_WRITE, FT_IP), 0);
		pcm = line_at(env.mm, FT_ADDR, &val);
		KASSERT(pcm && !pcache_is_overflow_line(pcm));
		memset(pcache_line_data(pcm), 0x3c, PAGE_SIZE);
		/* Evicted before the instruction completes; it faults again. */
		for (unsigned int i = 0; i < pcache.assoc && line_at(env.mm, FT_ADDR, &val); i++)
			pcache_evict_one(pcache_set_index(FT_ADDR));
		KEXPECT(line_at(env.mm, FT_ADDR, &val) == NULL);
		KEXPECT_EQ(pcache_handle_user_fault(env.mm, FT_ADDR, PF_READ, FT_IP), 0);
		pcm = line_at(env.mm, FT_ADDR, &val);
		KASSERT(pcm != NULL);
		KEXPECT(pcache_is_overflow_line(pcm));
		KEXPECT_EQ(pcache.stats.overflow_borrows, borrows + 1);
		KEXPECT_EQ(((u8 *)pcache_line_data(pcm))[77], 0x3c);
		KEXPECT_EQ(pcache_check_invariants("overflow ktest"), 0);
		/* A full pool pushes its oldest line out, data written back. */
		n = borrow_until_gone(&env, FT_ADDR, held);
		KEXPECT(n <= pcache.nr_overflow);
		KEXPECT(pcache.stats.overflow_evictions > pushed);
		release_borrowed(held, n);
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_READ), 0);
		pcm = line_at(env.mm, FT_ADDR, &val);
		if (KEXPECT(pcm != NULL))
			KEXPECT_EQ(((u8 *)pcache_line_data(pcm))[77], 0x3c);
	}
	env_teardown(&env);
}

/* A busy set whose ways keep changing hands, as many slow remote fills keep it. */
struct churning_set {
	struct busy_set bs;
	unsigned long addr;
	u64 until;		/* ktime_ns() when the churn stops and a way stays free */
	bool as_faults;		/* retake ways as a fault does (pcache_alloc_line_wait()) */
};

/*
 * Free a way and take it back at once every tick until c->until, then leave
 * one free: with pcache_alloc_line() a taker that never sleeps, with
 * as_faults one that queues as faults do.
 */
static int churn_ways(void *arg)
{
	struct churning_set *c = arg;
	struct pcache_meta *pcm;

	while (ktime_ns() < c->until) {
		msleep(1);
		busy_set_release_one(&c->bs);
		pcm = c->as_faults ? pcache_alloc_line_wait(c->addr) : pcache_alloc_line(c->addr);
		if (!pcm)
			return 0;	/* the waiting fault took the way: the churn is over */
		c->bs.ways[c->bs.nr++] = pcm;
	}
	busy_set_release_one(&c->bs);
	return 0;
}

/*
 * The bound is on the set's silence, not on the wait: a fault waits past
 * pcache.busy_wait_ms while ways are freed (and taken again) all along.
 * Not timing-sensitive when it passes: the fault gets a way during the
 * churn or after it, either way it returns 0.
 */
KTEST(pcache_fault, busy_set_that_moves_keeps_the_wait_alive)
{
	unsigned int saved_wait = pcache_busy_wait_ms;
	struct churning_set c = { .addr = FT_ADDR };
	struct fault_env env;
	struct task *churner;

	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		busy_set_take(&c.bs, FT_ADDR);
		pcache_busy_wait_ms = 300;	/* each free comes a tick or so after the last */
		c.until = ktime_ns() + 3 * 300 * NSEC_PER_MSEC;
		churner = kthread_create(churn_ways, &c, "churn");
		KASSERT(!IS_ERR(churner));
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
		kthread_join(churner);
		pcache_busy_wait_ms = saved_wait;
		busy_set_release(&c.bs);
	}
	env_teardown(&env);
}

/*
 * Fairness: a fault waiting in a busy set gets a way while newcomers keep
 * freeing and retaking them; before, each newcomer took the freed way
 * ahead of the sleeping fault, which got one only when the churn stopped.
 */
KTEST(pcache_fault, busy_set_waiter_is_served_before_newcomers)
{
	struct churning_set c = { .addr = FT_ADDR, .as_faults = true };
	struct fault_env env;
	struct task *churner;
	u64 served;

	if (KEXPECT(env_setup(&env, PAGE_SIZE, PROT_READ | PROT_WRITE))) {
		busy_set_take(&c.bs, FT_ADDR);
		c.until = ktime_ns() + 1000 * NSEC_PER_MSEC;
		churner = kthread_create(churn_ways, &c, "churn");
		KASSERT(!IS_ERR(churner));
		KEXPECT_EQ(pcache_handle_fault(env.mm, FT_ADDR, PF_WRITE), 0);
		served = ktime_ns();
		kthread_join(churner);
		KEXPECT(served < c.until);
		busy_set_release(&c.bs);
	}
	env_teardown(&env);
}
