// SPDX-License-Identifier: GPL-2.0
/*
 * The sweep thread (LegoOS's idea): a kernel thread per processor node that
 * keeps pcache.sweep=K free ways in every set it hears about, by evicting in
 * the background, so that a miss finds a free way instead of evicting first.
 *
 *   pcache_sweep_note(set)   a fill took a way of set: if fewer than K ways
 *                            are free now, mark the set and wake the thread
 *   sweep_thread()           takes the marked sets and evicts, through the
 *                            policy in use (pcache_evict_one), until each has
 *                            K free ways or no way can be taken
 *   pcache_sweep_start()     boot, after the scheduler: start the thread
 *                            (not when K is 0 or there is no pcache)
 *
 * The thread runs on the last online CPU so that, with two or more CPUs, its
 * evictions overlap the faulting program's work. It is one more evictor
 * beside the fault path: the set lock serialises victim choice, a line lock
 * each eviction (lock order set -> line -> pte, as in evict.c).
 *
 * Marks: one bit per set in `marked`, set by the fault path (atomic, no
 * lock) and taken by the thread with an atomic exchange of a whole word, so
 * a set marked while it is being swept is swept again on the next round.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <mosaic/wait.h>

#include "internal.h"

#define BITS_PER_WORD 64

static unsigned int sweep_target = CONFIG_PCACHE_SWEEP;
static unsigned int sweep_active;	/* the target in force; 0 until the thread runs */
static u64 *marked;			/* a bit per set: needs sweeping */
static bool pending;			/* some bit was set since the thread last looked */
static DEFINE_WAIT_QUEUE_HEAD(sweep_wq);

static int set_sweep(const char *val, const struct kernel_param *kp)
{
	unsigned int k;
	int err = kstrtouint(val ? val : "", 0, &k);

	if (err)
		return err;
	if (k > 63)
		return -ERANGE;
	sweep_target = k;
	return 0;
}
KERNEL_PARAM("pcache.sweep", set_sweep, NULL,
	     "free ways the sweep thread keeps per set (0: no sweep thread)");

static void count(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static unsigned int free_ways(unsigned long set_index)
{
	u32 used = __atomic_load_n(&pcache.sets[set_index].nr_allocated, __ATOMIC_RELAXED);

	return used < pcache.assoc ? pcache.assoc - used : 0;
}

void pcache_sweep_note(unsigned long set_index)
{
	unsigned int target = pcache_sweep_free_ways();
	u64 bit = 1ULL << (set_index % BITS_PER_WORD);
	u64 *word;

	if (!target || free_ways(set_index) >= target)
		return;
	word = &marked[set_index / BITS_PER_WORD];
	if (__atomic_fetch_or(word, bit, __ATOMIC_ACQ_REL) & bit)
		return;		/* marked already: the thread will get to it */
	__atomic_store_n(&pending, true, __ATOMIC_SEQ_CST);
	count(&pcache.stats.sweep_wakeups);
	wake_up(&sweep_wq);
}

unsigned int pcache_sweep_free_ways(void)
{
	return __atomic_load_n(&sweep_active, __ATOMIC_ACQUIRE);
}

/* Evict until the set has the target's free ways, or nothing can be taken. */
static void sweep_set(unsigned long set_index)
{
	while (free_ways(set_index) < sweep_active && pcache_evict_one(set_index))
		count(&pcache.stats.sweep_evictions);
}

static void sweep_marked_sets(void)
{
	unsigned long words = (pcache.nr_sets + BITS_PER_WORD - 1) / BITS_PER_WORD;

	for (unsigned long w = 0; w < words; w++) {
		u64 bits = __atomic_exchange_n(&marked[w], 0, __ATOMIC_ACQ_REL);

		while (bits) {
			unsigned int b = __builtin_ctzll(bits);

			bits &= bits - 1;
			sweep_set(w * BITS_PER_WORD + b);
		}
	}
}

static int sweep_thread(void *unused)
{
	for (;;) {
		wait_event(sweep_wq, __atomic_load_n(&pending, __ATOMIC_ACQUIRE));
		__atomic_store_n(&pending, false, __ATOMIC_SEQ_CST);
		sweep_marked_sets();
	}
	return 0;
}

/* The target for this geometry: at most assoc - 1 (a set needs a way to fill). */
static unsigned int usable_target(void)
{
	if (sweep_target < pcache.assoc)
		return sweep_target;
	pr_warn("pcache: pcache.sweep=%u needs more than %u ways per set; using %u\n",
		sweep_target, pcache.assoc, pcache.assoc - 1);
	return pcache.assoc - 1;
}

int pcache_sweep_start(void)
{
	unsigned long words = (pcache.nr_sets + BITS_PER_WORD - 1) / BITS_PER_WORD;
	struct task *t;

	if (!sweep_target || !pcache.nr_lines)
		return 0;
	marked = kzalloc(words * sizeof(*marked));
	if (!marked)
		return -ENOMEM;
	t = kthread_create_on_cpu(sweep_thread, NULL, "pcache-sweep", nr_cpus_online - 1);
	if (IS_ERR(t)) {
		kfree(marked);
		return PTR_ERR(t);
	}
	kthread_detach(t);
	__atomic_store_n(&sweep_active, usable_target(), __ATOMIC_RELEASE);
	pr_info("pcache: sweep thread keeps %u free way(s) per set (CPU %u)\n", sweep_active,
		nr_cpus_online - 1);
	return 0;
}
