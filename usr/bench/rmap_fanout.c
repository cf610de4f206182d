// SPDX-License-Identifier: GPL-2.0
/*
 * rmap_fanout: what one more mapping of a line costs the operations that
 * must find a pte's rmap entry, seen from the program. For each fan-out N
 * in 1, 2, 8, 64 a fork tree makes every page of a region mapped N times
 * (the parent and N - 1 paused children; one more child exits at once, so
 * that even at N = 1 the parent's ptes are write-protected), then the
 * parent times
 *
 *   rmap_cow_xN     its first write to each page of the first half (COW:
 *                   Mosaic copies the line and unlinks the parent's entry
 *                   from a list of N; Linux copies the page and drops a
 *                   mapcount)
 *   rmap_munmap_xN  munmap of the second half, per page (Mosaic finds and
 *                   removes the parent's entry among N; Linux drops a
 *                   mapcount)
 *
 * On Mosaic both walks grow with N; on Linux neither should. Rows are
 * "bench: rmap_cow_xN ns_per_fault.median|p99 V ns" (rdtsc) and
 * "bench: rmap_munmap_xN ns_per_page V ns". Asserts nothing.
 */
#include <signal.h>
#include <sys/wait.h>

#include "bench.h"

#define PAGES 512UL		/* half timed by COW, half by munmap */
#define HALF (PAGES / 2)
#define MAX_FANOUT 64

static const int fanouts[] = { 1, 2, 8, 64 };

/* Share the region with a child that exits at once: its ptes become copy-on-write. */
static void write_protect_by_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* Fork n - 1 children that sleep until killed; returns how many started. */
static int fork_sleepers(pid_t *kids, int n)
{
	int started = 0;

	for (int i = 0; i < n - 1; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			pause();
			_exit(0);
		}
		if (pid < 0)
			break;
		kids[started++] = pid;
	}
	return started;
}

static void kill_sleepers(pid_t *kids, int n)
{
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
}

static void time_cow(char *p, int n, double rate)
{
	static uint64_t ticks[HALF];
	char name[32];

	for (unsigned long i = 0; i < HALF; i++) {
		uint64_t t = rdtsc();

		p[i * BENCH_PAGE] = 2;
		ticks[i] = rdtsc() - t;
	}
	snprintf(name, sizeof(name), "rmap_cow_x%d", n);
	bench_ticks(name, "ns_per_fault", ticks, HALF, rate);
}

static void time_munmap(char *p, int n, double rate)
{
	char name[32];
	uint64_t t = rdtsc();

	munmap(p, HALF * BENCH_PAGE);
	t = rdtsc() - t;
	snprintf(name, sizeof(name), "rmap_munmap_x%d", n);
	bench_row(name, "ns_per_page", t / rate / HALF, "ns");
}

/* One fork tree of fan-out n over a fresh region. */
static void bench_fanout(int n, double rate)
{
	pid_t kids[MAX_FANOUT];
	char *p = bench_map(PAGES * BENCH_PAGE);
	int started;

	if (!p) {
		fprintf(stderr, "rmap_fanout: no memory\n");
		return;
	}
	bench_touch(p, PAGES * BENCH_PAGE);
	write_protect_by_fork();
	started = fork_sleepers(kids, n);
	if (started == n - 1) {
		time_cow(p, n, rate);
		time_munmap(p + HALF * BENCH_PAGE, n, rate);
	} else {
		fprintf(stderr, "rmap_fanout: only %d of %d forks\n", started, n - 1);
	}
	kill_sleepers(kids, started);
	munmap(p, PAGES * BENCH_PAGE);
}

int main(void)
{
	double rate = tsc_per_ns();

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(fanouts) / sizeof(fanouts[0]); i++)
		bench_fanout(fanouts[i], rate);
	return 0;
}
