// SPDX-License-Identifier: GPL-2.0
/*
 * churn_evict: fork/exit churn under eviction, with the leak check. A
 * pressing child keeps dirtying fresh pages through twice the pcache while
 * the parent forks short-lived children, each of which copies-on-write
 * some inherited pages, dirties pages of its own, checks them and exits.
 * Afterwards the node's free memory (/proc/meminfo) and the pcache's used
 * lines are back where they were after a warm-up round: neither the
 * memory manager nor the pcache kept anything of the dead processes.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define CYCLES 60
#define INHERITED 8
#define OWN_PAGES 48
#define P UTEST_PAGE_SIZE
#define MAX_PRESS (32UL << 20)
#define FREE_SLACK_KB 64	/* a page per cycle would be 240 KiB */
#define LINES_SLACK 4

static char inherited[INHERITED][P] __attribute__((aligned(4096)));

/* A short-lived child: copy-on-write, pages of its own, a check. */
static int child(int cycle)
{
	char *own = mmap(NULL, OWN_PAGES * P, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (own == MAP_FAILED)
		return 1;
	for (int i = 0; i < INHERITED; i++)
		if (inherited[i][7] != (char)(i + 1))
			return 2;
		else
			inherited[i][7] = (char)cycle;	/* a copy-on-write fault */
	for (int i = 0; i < OWN_PAGES; i++)
		memset(own + i * P, cycle + i, P);
	for (int i = 0; i < OWN_PAGES; i++)
		if (own[i * P] != (char)(cycle + i) || own[i * P + P - 1] != (char)(cycle + i))
			return 3;
	return 0;	/* exit unmaps own: no munmap, exit must clean up */
}

/* Fork and reap cycles children; the number that failed. */
static int churn(int cycles)
{
	int bad = 0;

	for (int c = 0; c < cycles; c++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(child(c));
		bad += pid < 0 || utest_wait_code(pid) != 0;
	}
	return bad;
}

int main(void)
{
	unsigned long pcache_bytes = utest_pcache_bytes();
	long long free_kb, used, evictions;
	pid_t presser;
	int bad;

	utest_start("churn_evict");
	for (int i = 0; i < INHERITED; i++)
		memset(inherited[i], i + 1, P);
	churn(2);	/* warm-up: the parent's own pages and the kernel's caches */
	free_kb = utest_mem_free_kb();
	used = utest_pcache_counter("lines_used");
	evictions = utest_evictions();
	presser = fork();
	if (presser == 0)
		utest_press_forever(pcache_bytes && 2 * pcache_bytes <= MAX_PRESS ? 2 * pcache_bytes
									  : 1UL << 20);
	CHECK(presser > 0, "fork of the presser: %s", strerror(errno));
	bad = churn(CYCLES);
	kill(presser, SIGKILL);
	CHECK(utest_wait_code(presser) == 200 + SIGKILL, "the presser did not die of SIGKILL");
	CHECK(bad == 0, "%d of %d children failed", bad, CYCLES);
	if (free_kb >= 0 && used >= 0)	/* a busy Linux host's MemFree says nothing */
		CHECK(utest_mem_free_kb() >= free_kb - FREE_SLACK_KB,
		      "MemFree %lld kB before, %lld kB after", free_kb, utest_mem_free_kb());
	if (used >= 0) {
		CHECK(utest_pcache_counter("lines_used") <= used + LINES_SLACK,
		      "lines_used %lld before, %lld after", used, utest_pcache_counter("lines_used"));
		printf("churn_evict: %lld evictions during the churn\n", utest_evictions() - evictions);
	}
	printf("churn_evict: %d cycles checked\n", CYCLES);
	return utest_finish();
}
