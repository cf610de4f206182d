// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmarks of the pcache reverse map (bench=rmap, bench=pcache_meta):
 * the cost of adding and removing mappings and of walking them, by the
 * number of mappings of a line, and the bytes of metadata per line and per
 * mapping. They use a real line of the live pcache (given back after) and
 * fake pte slots: the rmap stores pte pointers and never dereferences them.
 */
#include <mosaic/kbench.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#define BENCH_ADDR 0x7e0000000000UL
#define MAX_MAPPINGS 64

static const int mapping_counts[] = { 1, 2, 8, 64 };
static pte_t fake_ptes[MAX_MAPPINGS];
static struct mm_struct bench_mm;	/* their owner: only its rmap entry count is touched */

struct rmap_bench {
	struct pcache_meta *pcm;
	int mappings;
};

/* Map the line n times and unmap it again, in the order mapped. */
static void add_remove_all(void *arg)
{
	struct rmap_bench *rb = arg;
	int i;

	for (i = 0; i < rb->mappings; i++)
		pcache_add_rmap(rb->pcm, &fake_ptes[i], &bench_mm, BENCH_ADDR);
	for (i = 0; i < rb->mappings; i++)
		pcache_remove_rmap(rb->pcm, &fake_ptes[i]);
}

static enum rmap_ret visit(struct pcache_meta *pcm, struct pcache_rmap *r, void *arg)
{
	return RMAP_CONTINUE;
}

static void walk_once(void *arg)
{
	struct rmap_bench *rb = arg;
	const struct rmap_walk_control rwc = { .rmap_one = visit };

	rmap_walk(rb->pcm, &rwc);
}

static void row_name(char *buf, size_t size, const char *what, int mappings)
{
	snprintf(buf, size, "%s_%d", what, mappings);
}

/* Time rmap_walk() over a line that has rb->mappings mappings. */
static void bench_walk(struct rmap_bench *rb)
{
	char name[48];
	int i;

	for (i = 0; i < rb->mappings; i++)
		if (pcache_add_rmap(rb->pcm, &fake_ptes[i], &bench_mm, BENCH_ADDR))
			goto undo;
	row_name(name, sizeof(name), "rmap_walk", rb->mappings);
	kbench_time(name, "ns_per_walk", 1, walk_once, rb);
undo:
	while (i-- > 0)
		pcache_remove_rmap(rb->pcm, &fake_ptes[i]);
}

KBENCH(rmap)
{
	struct rmap_bench rb = { .pcm = pcache_alloc_line(BENCH_ADDR) };
	char name[48];
	unsigned int i;

	if (!rb.pcm) {
		pr_warn("kbench: rmap: no free pcache line\n");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(mapping_counts); i++) {
		rb.mappings = mapping_counts[i];
		row_name(name, sizeof(name), "rmap_add_remove", rb.mappings);
		kbench_time(name, "ns_per_op", 2 * rb.mappings, add_remove_all, &rb);
		bench_walk(&rb);
	}
	pcache_put_locked(rb.pcm);
	unlock_pcache(rb.pcm);	/* nothing maps or holds it: freed */
}

/* What the cache costs in memory besides the lines themselves. */
KBENCH(pcache_meta)
{
	struct kmem_cache *c = kmem_cache_create("kbench_rmap", sizeof(struct pcache_rmap), 8);

	kbench_row("pcache_meta", "bytes_per_line", sizeof(struct pcache_meta), "B");
	if (pcache.assoc)
		kbench_row("pcache_set", "bytes_per_line",
			   sizeof(struct pcache_set) / pcache.assoc, "B");
	kbench_row("pcache_rmap", "bytes_per_extra_mapping", sizeof(struct pcache_rmap), "B");
	if (!c)
		return;
	/* the same size and alignment as the rmap's own cache */
	kbench_row("pcache_rmap_slab", "bytes_per_extra_mapping",
		   kmem_cache_bytes_per_object(c), "B");
	kmem_cache_destroy(c);
}
