// SPDX-License-Identifier: GPL-2.0
/*
 * Victim selection policies for eviction (an ops table; pcache.evict=
 * picks one at boot, Kconfig gives the default):
 *
 *   fifo    the line filled longest ago (its stamp)
 *   lru     like fifo, but a line whose ptes were accessed since the last
 *           look (pcache_referenced(), which clears the accessed bits) gets
 *           a new stamp and is passed over: LRU approximated by sampling
 *   random  any way
 *   clock   a hand per set sweeps the ways; accessed lines get a second chance
 *
 * Each pick runs under the set lock and returns the victim locked, with a
 * reference and PC_reclaim set, or NULL when every way is busy (being
 * filled, locked or already leaving). A set has pcache_set_ways() ways:
 * assoc, or the overflow pool's size (evicted with fifo).
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/random.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>

/* Make pcm the victim if nobody is using it. Context: set lock held. */
static bool victim_claim(struct pcache_meta *pcm)
{
	if (!trylock_pcache(pcm))
		return false;
	if (!pcache_test_flag(pcm, PC_valid) || pcache_test_flag(pcm, PC_reclaim) ||
	    pcm->refcount || !pcm->mapcount) {
		pcache_clear_flag(pcm, PC_locked);	/* not unlock_pcache: nothing to free here */
		return false;
	}
	pcache_set_flag(pcm, PC_reclaim);
	pcache_get_locked(pcm);
	return true;
}

void pcache_victim_release(struct pcache_meta *pcm)
{
	pcache_clear_flag(pcm, PC_reclaim);
	pcm->refcount--;
	pcache_clear_flag(pcm, PC_locked);
}

/* ---- accessed bits ---- */
/*
 * The CPU sets a pte's accessed bit only when it walks to the pte, on a TLB
 * miss: while the translation stays cached, the page's next uses leave a
 * cleared bit clear and the line looks cold. Eviction's shootdowns are page
 * by page (evict.c), so translations do stay cached. So the bit is cleared
 * only where the translation can be dropped at once: when the owner runs
 * on no other CPU, with an invlpg here if it runs on this one. An owner
 * running elsewhere keeps its bit (an IPI per sampled line would cost more
 * than the misses it saves): the line just counts as referenced.
 */
static bool test_and_clear_young(struct pcache_rmap *r)
{
	cpumask_t cpus = __atomic_load_n(&r->owner->cpus, __ATOMIC_RELAXED);
	unsigned int here = smp_processor_id();
	pte_t old;

	if (cpus & ~cpumask_of(here))
		return __atomic_load_n(r->pte, __ATOMIC_RELAXED) & PTE_A;
	old = __atomic_fetch_and(r->pte, ~PTE_A, __ATOMIC_SEQ_CST);
	if ((old & PTE_A) && cpumask_test_cpu(cpus, here))
		invlpg(r->address);
	return old & PTE_A;
}

static enum rmap_ret referenced_one(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	bool young;

	spin_lock(&r->owner->page_table_lock);
	young = test_and_clear_young(r);
	spin_unlock(&r->owner->page_table_lock);
	if (young)
		(*(int *)arg)++;
	return RMAP_CONTINUE;
}

int pcache_referenced(struct pcache_meta *pcm)
{
	int referenced = 0;
	const struct rmap_walk_control rwc = { .rmap_one = referenced_one, .arg = &referenced };

	rmap_walk(pcm, &rwc);
	return referenced;
}

/* The nr_ways ways in stamp order (oldest first): way indexes into order[]. */
static void ways_by_age(const struct pcache_meta *ways, unsigned int nr_ways, unsigned int *order)
{
	for (unsigned int i = 0; i < nr_ways; i++)
		order[i] = i;
	for (unsigned int i = 1; i < nr_ways; i++)	/* insertion sort: at most 64 ways */
		for (unsigned int j = i; j && (s32)(ways[order[j]].stamp -
						     ways[order[j - 1]].stamp) < 0; j--) {
			unsigned int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

static struct pcache_meta *pick_oldest(struct pcache_set *set, struct pcache_meta *ways,
				       bool second_chance)
{
	unsigned int order[PCACHE_MAX_ASSOC], nr_ways = pcache_set_ways(set);

	ways_by_age(ways, nr_ways, order);
	for (int pass = second_chance ? 0 : 1; pass < 2; pass++)
		for (unsigned int i = 0; i < nr_ways; i++) {
			struct pcache_meta *pcm = &ways[order[i]];

			if (!victim_claim(pcm))
				continue;
			if (pass == 0 && pcache_referenced(pcm)) {
				pcm->stamp = ++set->clock;	/* used lately: move to the young end */
				pcache_victim_release(pcm);
				continue;
			}
			return pcm;
		}
	return NULL;
}

static struct pcache_meta *pick_fifo(struct pcache_set *set, struct pcache_meta *ways)
{
	return pick_oldest(set, ways, false);
}

static struct pcache_meta *pick_lru(struct pcache_set *set, struct pcache_meta *ways)
{
	return pick_oldest(set, ways, true);
}

static struct pcache_meta *pick_random(struct pcache_set *set, struct pcache_meta *ways)
{
	unsigned int nr_ways = pcache_set_ways(set), start = get_random_u64() % nr_ways;

	for (unsigned int i = 0; i < nr_ways; i++) {
		struct pcache_meta *pcm = &ways[(start + i) % nr_ways];

		if (victim_claim(pcm))
			return pcm;
	}
	return NULL;
}

static struct pcache_meta *pick_clock(struct pcache_set *set, struct pcache_meta *ways)
{
	unsigned int nr_ways = pcache_set_ways(set);

	for (unsigned int step = 0; step < 2 * nr_ways; step++) {
		struct pcache_meta *pcm = &ways[set->hand];

		set->hand = (set->hand + 1) % nr_ways;
		if (!victim_claim(pcm))
			continue;
		if (step < nr_ways && pcache_referenced(pcm)) {
			pcache_victim_release(pcm);	/* second chance: the bit is cleared now */
			continue;
		}
		return pcm;
	}
	return NULL;
}

const struct pcache_evict_ops pcache_evict_policies[PCACHE_NR_POLICIES] = {
	{ "lru", pick_lru }, [PCACHE_POLICY_FIFO] = { "fifo", pick_fifo },
	{ "random", pick_random }, { "clock", pick_clock },
};

/* The Kconfig choice; exactly one of the four is set. */
const struct pcache_evict_ops *pcache_evict_policy = &pcache_evict_policies[
	IS_ENABLED(CONFIG_PCACHE_EVICT_LRU) ? 0 :
	IS_ENABLED(CONFIG_PCACHE_EVICT_FIFO) ? 1 :
	IS_ENABLED(CONFIG_PCACHE_EVICT_RANDOM) ? 2 : 3];

static int set_evict_policy(const char *val, const struct kernel_param *kp)
{
	for (size_t i = 0; i < ARRAY_SIZE(pcache_evict_policies); i++)
		if (val && !strcmp(val, pcache_evict_policies[i].name)) {
			pcache_evict_policy = &pcache_evict_policies[i];
			return 0;
		}
	return -EINVAL;
}
KERNEL_PARAM("pcache.evict", set_evict_policy, NULL, "lru | fifo | random | clock");
