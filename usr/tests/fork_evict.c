// SPDX-License-Identifier: GPL-2.0
/*
 * fork_evict: copy-on-write meets eviction. Dirty pages are shared by
 * fork, then
 *   - "before": the shared dirty lines are evicted (written back to both
 *     owners) before either process writes; then each writes its half and
 *     must see the other half unchanged;
 *   - "after": each process writes its half first (copy-on-write), then
 *     the private copies and the still-shared lines are evicted and read
 *     back from the memory node.
 * A sweep through twice the pcache evicts everything; every word of every
 * page is verified, in the child (its exit status) and in the parent.
 * Sweeps are skipped when the pcache is over MAX_SWEEP (make test also
 * runs with pcache=8M); the copy-on-write checks still run.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define PAGES 32
#define HALF (PAGES / 2)
#define WORDS (UTEST_PAGE_SIZE / sizeof(uint64_t))
#define MAX_SWEEP (32UL << 20)

enum mark { PARENT_OLD = 1, CHILD_NEW = 2, PARENT_NEW = 3 };

static uint64_t pages[PAGES][WORDS] __attribute__((aligned(4096)));
static unsigned long sweep_bytes;

static uint64_t value(int page, unsigned long word, enum mark mark)
{
	return ((uint64_t)mark << 56) ^ ((uint64_t)page << 32) ^ (word * 0x9e3779b9ULL);
}

static void fill(int first, int last, enum mark mark)
{
	for (int p = first; p < last; p++)
		for (unsigned long w = 0; w < WORDS; w++)
			pages[p][w] = value(p, w, mark);
}

/* The pages [first, last) hold mark in every word. */
static int holds(int first, int last, enum mark mark)
{
	for (int p = first; p < last; p++)
		for (unsigned long w = 0; w < WORDS; w++)
			if (pages[p][w] != value(p, w, mark))
				return 0;
	return 1;
}

/* Dirty fresh pages through twice the pcache: every older line goes. */
static void evict_everything(void)
{
	char *buf;

	if (!sweep_bytes)
		return;
	buf = mmap(NULL, sweep_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		utest_die("sweep mmap: %s", strerror(errno));
	for (unsigned long off = 0; off < sweep_bytes; off += UTEST_PAGE_SIZE)
		buf[off] = 1;
	munmap(buf, sweep_bytes);
}

/* The child's side: writes [0, HALF), keeps [HALF, PAGES) as inherited. */
static int child_side(int evict_first, int go_fd)
{
	char go;

	if (read(go_fd, &go, 1) != 1)	/* the parent has evicted (or not) */
		return 1;
	if (evict_first)
		evict_everything();
	if (!holds(0, PAGES, PARENT_OLD))
		return 2;
	fill(0, HALF, CHILD_NEW);
	evict_everything();
	return holds(0, HALF, CHILD_NEW) && holds(HALF, PAGES, PARENT_OLD) ? 0 : 3;
}

static void run_case(const char *name, int evict_first)
{
	int go[2];
	pid_t pid;

	fill(0, PAGES, PARENT_OLD);	/* dirty lines, shared by the fork */
	if (pipe(go))
		utest_die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(child_side(evict_first, go[0]));
	CHECK(pid > 0, "fork: %s", strerror(errno));
	if (evict_first)
		evict_everything();
	CHECK(write(go[1], "g", 1) == 1, "pipe write");
	CHECK(holds(0, PAGES, PARENT_OLD), "%s: parent lost its data before writing", name);
	fill(HALF, PAGES, PARENT_NEW);
	evict_everything();
	CHECK(holds(0, HALF, PARENT_OLD), "%s: the child's writes reached the parent", name);
	CHECK(holds(HALF, PAGES, PARENT_NEW), "%s: the parent lost its own writes", name);
	CHECK(utest_wait_code(pid) == 0, "%s: the child saw the wrong data", name);
	close(go[0]);
	close(go[1]);
	printf("fork_evict: %s copy-on-write checked\n", name);
}

int main(void)
{
	long long dirty_before = utest_pcache_counter("evict_dirty");
	unsigned long pcache_bytes = utest_pcache_bytes();

	utest_start("fork_evict");
	if (pcache_bytes && 2 * pcache_bytes <= MAX_SWEEP)
		sweep_bytes = 2 * pcache_bytes;
	else
		printf("fork_evict: pcache not known or over %lu MiB: no eviction sweeps\n",
		       MAX_SWEEP >> 21);
	run_case("evicted before", 1);
	run_case("evicted after", 0);
	if (sweep_bytes)
		CHECK(utest_pcache_counter("evict_dirty") > dirty_before, "nothing was evicted dirty");
	return utest_finish();
}
