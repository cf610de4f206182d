// SPDX-License-Identifier: GPL-2.0
/*
 * The pcache counters as text: /proc/pcache (one "name value" per line) and
 * the one-line summary printed when a program exits and at shutdown.
 */
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>

struct counter_desc {
	const char *name;
	size_t offset;	/* in struct pcache_stats */
};

#define COUNTER(field) { #field, offsetof(struct pcache_stats, field) }

static const struct counter_desc counters[] = {
	COUNTER(fills), COUNTER(zero_fills), COUNTER(misses), COUNTER(fill_errors),
	COUNTER(no_free_line), COUNTER(rmap_add), COUNTER(rmap_remove), COUNTER(rmap_walks),
	COUNTER(rmap_walk_steps), COUNTER(lines_freed), COUNTER(writebacks),
	COUNTER(rmap_copies), COUNTER(cow_copies), COUNTER(cow_reuses),
	COUNTER(rmap_moves), COUNTER(move_copies),
	COUNTER(evict_clean), COUNTER(evict_dirty), COUNTER(shootdowns), COUNTER(evict_waits),
	COUNTER(busy_waits),
};

static u64 counter_value(const struct counter_desc *c)
{
	return __atomic_load_n((const u64 *)((const char *)&pcache.stats + c->offset),
			       __ATOMIC_RELAXED);
}

static unsigned long lines_in_use(void)
{
	unsigned long used = 0;

	for (unsigned long s = 0; s < pcache.nr_sets; s++)
		used += __atomic_load_n(&pcache.sets[s].nr_allocated, __ATOMIC_RELAXED);
	return used;
}

static const char *const walk_bucket_names[PCACHE_WALK_BUCKETS] = {
	"0", "1", "2", "3_4", "5_8", "9_16", "17_64", "65_up",
};

static size_t show_walk_histogram(char *buf, size_t size)
{
	size_t n = 0;

	for (int b = 0; b < PCACHE_WALK_BUCKETS && n < size; b++)
		n += snprintf(buf + n, size - n, "rmap_walk_len_%s %llu\n", walk_bucket_names[b],
			      (unsigned long long)__atomic_load_n(&pcache.stats.walk_len[b],
								  __ATOMIC_RELAXED));
	return n;
}

long pcache_stats_show(char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(counters) && n < size; i++)
		n += snprintf(buf + n, size - n, "%s %llu\n", counters[i].name,
			      (unsigned long long)counter_value(&counters[i]));
	if (n < size)
		n += snprintf(buf + n, size - n, "lines %lu\nlines_used %lu\n", pcache.nr_lines,
			      lines_in_use());
	if (n < size)
		n += show_walk_histogram(buf + n, size - n);
	return n < size ? (long)n : (long)size;
}

void pcache_print_counters(const char *who)
{
	pr_info("pcache: after %s: fills %llu zero_fills %llu misses %llu rmap_add %llu "
		"rmap_remove %llu lines_used %lu/%lu\n", who,
		(unsigned long long)pcache.stats.fills,
		(unsigned long long)pcache.stats.zero_fills,
		(unsigned long long)pcache.stats.misses,
		(unsigned long long)pcache.stats.rmap_add,
		(unsigned long long)pcache.stats.rmap_remove, lines_in_use(), pcache.nr_lines);
}
