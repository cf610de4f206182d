// SPDX-License-Identifier: GPL-2.0
/*
 * fork: copy-on-write in both directions (a child's write is not seen by
 * the parent, nor the parent's by the child; pages dirtied before the
 * fork keep their data for both), 100 children at once with their exit
 * codes, a 5-level fork tree where every process checks the pages it
 * shares with its ancestors and writes its own, and 1,000 fork/exit/wait
 * cycles after which the pcache's lines_used is back where it started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define NR_PAGES 16
#define TREE_DEPTH 5
#define NR_CHILDREN 100
#define NR_CYCLES 1000

static uint8_t pages[NR_PAGES][UTEST_PAGE_SIZE] __attribute__((aligned(4096)));

/* Every byte of page p equals v: 0 or 1. */
static int page_is(int p, uint8_t v)
{
	for (size_t i = 0; i < UTEST_PAGE_SIZE; i++)
		if (pages[p][i] != v)
			return 0;
	return 1;
}

static void check_cow(void)
{
	pid_t pid;

	memset(pages, 0x11, sizeof(pages));	/* dirty before the fork */
	pid = fork();
	if (pid == 0) {
		if (!page_is(0, 0x11) || !page_is(1, 0x11))
			_exit(1);
		memset(pages[0], 0x22, UTEST_PAGE_SIZE);	/* child writes page 0 */
		usleep(20000);	/* the parent writes page 1 meanwhile */
		_exit(page_is(0, 0x22) && page_is(1, 0x11) ? 0 : 2);
	}
	CHECK(pid > 0, "fork: %s", strerror(errno));
	memset(pages[1], 0x33, UTEST_PAGE_SIZE);
	CHECK(utest_wait_code(pid) == 0, "child saw the wrong data");
	CHECK(page_is(0, 0x11), "the child's write reached the parent");
	CHECK(page_is(1, 0x33), "parent lost its own write");
}

static void check_many_children(void)
{
	pid_t pids[NR_CHILDREN];
	int bad = 0;

	memset(pages[2], 0x11, UTEST_PAGE_SIZE);

	for (int i = 0; i < NR_CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(page_is(2, 0x11) ? i : 255);
	}
	for (int i = NR_CHILDREN - 1; i >= 0; i--)
		bad += utest_wait_code(pids[i]) != i;
	CHECK(bad == 0, "%d of %d children wrong", bad, NR_CHILDREN);
}

/* Level d checks pages [0, d) hold their ancestors' marks, marks page d, forks d + 1. */
static int fork_tree_level(int d)
{
	pid_t pid;
	int code;

	for (int p = 0; p < d; p++)
		if (!page_is(p, (uint8_t)(0x40 + p)))
			return 10 + d;
	memset(pages[d], 0x40 + d, UTEST_PAGE_SIZE);
	if (d + 1 == TREE_DEPTH)
		return 0;
	pid = fork();
	if (pid == 0)
		_exit(fork_tree_level(d + 1));
	code = utest_wait_code(pid);
	if (!page_is(d + 1, 0x11))
		return 30 + d;	/* the child's mark leaked up */
	return code;
}

static void check_tree(void)
{
	memset(pages, 0x11, sizeof(pages));
	CHECK(fork_tree_level(0) == 0, "fork tree failed");
}

struct fork_counters {
	long long lines_used, copies, cow, removes, evictions, misses;
};

static void read_counters(struct fork_counters *c)
{
	c->lines_used = utest_pcache_counter("lines_used");
	c->copies = utest_pcache_counter("rmap_copies");
	c->cow = utest_pcache_counter("cow_copies") + utest_pcache_counter("cow_reuses");
	c->removes = utest_pcache_counter("rmap_remove");
	c->evictions = utest_evictions();
	c->misses = utest_pcache_counter("misses");
}

static void check_cycles(void)
{
	struct fork_counters before, after;
	int bad = 0;

	read_counters(&before);	/* warms the reader's own pages too */
	read_counters(&before);
	for (int i = 0; i < NR_CYCLES; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			pages[3][0] = 1;	/* a copy-on-write fault in every child */
			_exit(0);
		}
		bad += utest_wait_code(pid) != 0;
	}
	read_counters(&after);
	CHECK(bad == 0, "%d cycles failed", bad);
	if (before.lines_used < 0) {
		printf("fork: no /proc/pcache here: counter checks skipped\n");
		return;
	}
	/*
	 * Without eviction every line a child took is back. An eviction frees
	 * lines in batches that refills take back one at a time, and a driver
	 * running beside us (the soak) may fault a page back: no exact count
	 * then.
	 */
	if (after.evictions == before.evictions && !utest_node_shared())
		CHECK(after.lines_used == before.lines_used, "lines_used %lld before, %lld after",
		      before.lines_used, after.lines_used);
	else
		printf("fork: %lld evictions meanwhile%s: lines_used not compared\n",
		       after.evictions - before.evictions,
		       utest_node_shared() ? ", node shared" : "");
	/* Every fork copies ptes through the rmap, every child faults once, exit zaps. */
	CHECK(after.copies - before.copies >= NR_CYCLES, "rmap_copies rose by %lld",
	      after.copies - before.copies);
	/*
	 * A child's write is a copy-on-write fault, or, when eviction took the
	 * shared line before the fork (direct-mapped: the parent's own fork
	 * and wait share its set), a miss that the memory node copies.
	 */
	if (after.evictions == before.evictions)
		CHECK(after.cow - before.cow >= NR_CYCLES, "copy-on-write faults rose by %lld",
		      after.cow - before.cow);
	else
		CHECK(after.cow - before.cow + after.misses - before.misses >= NR_CYCLES,
		      "copy-on-write faults and misses rose by %lld",
		      after.cow - before.cow + after.misses - before.misses);
	CHECK(after.removes - before.removes >= after.copies - before.copies,
	      "rmap_remove rose by %lld, less than the copies", after.removes - before.removes);
}

/* "fork PART" runs one part alone (cow, children, tree, cycles): for debugging. */
static int run_part(const char *part)
{
	if (!strcmp(part, "cow"))
		check_cow();
	else if (!strcmp(part, "children"))
		check_many_children();
	else if (!strcmp(part, "tree"))
		check_tree();
	else if (!strcmp(part, "cycles"))
		check_cycles();
	else
		utest_die("unknown part %s", part);
	return utest_finish();
}

int main(int argc, char **argv)
{
	utest_start("fork");
	if (argc > 1)
		return run_part(argv[1]);
	check_cow();
	printf("fork: copy-on-write checked\n");
	check_many_children();
	printf("fork: %d children checked\n", NR_CHILDREN);
	check_tree();
	printf("fork: %d-level tree checked\n", TREE_DEPTH);
	check_cycles();
	printf("fork: %d cycles checked\n", NR_CYCLES);
	return utest_finish();
}
