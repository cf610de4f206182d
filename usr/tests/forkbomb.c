// SPDX-License-Identifier: GPL-2.0
/*
 * forkbomb: a fork bomb is bounded, and the system is whole afterwards.
 *
 * Each round starts a bomb (every process
 * forks until fork fails, reports its errno through a pipe and waits), then
 * checks that fork failed with EAGAIN (the bomb's and our own), kills the
 * bomb's process group, and waits until /proc/tasks, the pcache lines in use
 * beside this program's own (lines_used less our VmRSS, within LINES_SLACK)
 * and the memory node's pages (/proc/memnode, within MEMNODE_SLACK) are back
 * to their start values. A last fork shows the system still works.
 *
 *   round "warm-up":   as "nproc", judging only the task count (the
 *                      program's own pages grow as it first takes each path);
 *   round "nproc":     RLIMIT_NPROC lowered to NPROC_LIMIT;
 *   round "max_tasks": the kernel's own limit, only when it is small enough
 *                      to fill quickly (boot with max_tasks=N, as make test does).
 *
 * It refuses to run off Mosaic (no /proc/tasks): on a Linux host run as
 * root it would really fork-bomb the machine.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define NPROC_LIMIT 40
#define MAX_TASKS_TO_FILL 256	/* a bigger kernel limit takes too long under TCG */
#define SETTLE_SECONDS 20
/*
 * Lines in use beyond the ones this program maps: a fill or an eviction in
 * flight may hold one or two; a leak of the bomb's ~40 dead processes would
 * be dozens. (Our own lines come and go with evictions and fault-ahead, so
 * they are taken out of the count: VmRSS.)
 */
#define LINES_SLACK 4
/*
 * The memory node gets a page for a line that was zero-filled and written
 * only when the line is first written back: the bomb's pressure evicts a
 * few of ours for the first time. A leak would be the bomb's pages.
 */
#define MEMNODE_SLACK 8

struct snapshot {
	long long tasks, lines_used, own_lines, memnode_pages;
};

/* The pcache lines this process maps ("VmRSS: N kB" of /proc/self/status), or -1. */
static long long own_lines(void)
{
	long long kb = utest_proc_scan("/proc/self/status", "VmRSS: %lld kB");

	return kb < 0 ? -1 : kb / 4;
}

static struct snapshot take_snapshot(void)
{
	struct snapshot s = {
		.tasks = utest_proc_value("/proc/tasks", "tasks"),
		.lines_used = utest_pcache_counter("lines_used"),
		.own_lines = own_lines(),
		.memnode_pages = utest_proc_value("/proc/memnode", "pages"),
	};
	return s;
}

/* Lines in use that are not this process's own. */
static long long others_lines(const struct snapshot *s)
{
	return s->lines_used - s->own_lines;
}

/* Every bomb process forks until fork fails, reports errno once, then waits to be killed. */
static void __attribute__((noreturn)) bomb(int report_fd)
{
	int err;

	while (fork() >= 0)
		;	/* parent and child both go on forking */
	err = errno;
	if (write(report_fd, &err, sizeof(err)) != sizeof(err))
		_exit(2);
	for (;;)
		pause();
}

/* Start the bomb in its own process group; returns the group leader. */
static pid_t start_bomb(int report_fd)
{
	pid_t leader = fork();

	if (leader < 0)
		utest_die("first fork failed: errno %d", errno);
	if (leader == 0) {
		setpgid(0, 0);
		bomb(report_fd);
	}
	setpgid(leader, leader);	/* whichever of us runs first */
	return leader;
}

/* Kill the whole group until no member is left; reap the leader. */
static void kill_bomb(pid_t leader)
{
	time_t give_up = time(NULL) + SETTLE_SECONDS;

	while (kill(-leader, SIGKILL) == 0 && time(NULL) < give_up) {
		waitpid(leader, NULL, WNOHANG);
		usleep(10000);
	}
	waitpid(leader, NULL, 0);
	CHECK(kill(-leader, 0) < 0 && errno == ESRCH, "the bomb's group is still alive");
}

/*
 * Wait until every counter is back to (or below) its start value; with
 * only_tasks, the task count alone (a warm-up round, whose counters also
 * hold this program's first use of the paths it takes). Below, not only
 * back: a task is uncharged when it is freed, a moment after its parent
 * reaped it, so the start snapshot may still count the child that the
 * round before forked last (check_fork_works). Waiting for the count to
 * equal that start value failed in CI (tasks 0, start 1).
 */
static bool settled(const struct snapshot *start, bool only_tasks)
{
	time_t give_up = time(NULL) + SETTLE_SECONDS;
	struct snapshot now;

	do {
		now = take_snapshot();
		if (now.tasks <= start->tasks &&
		    (only_tasks || (others_lines(&now) <= others_lines(start) + LINES_SLACK &&
				    now.memnode_pages <= start->memnode_pages + MEMNODE_SLACK)))
			return true;
		usleep(50000);
	} while (time(NULL) < give_up);
	printf("forkbomb: not settled: tasks %lld (start %lld), lines_used %lld (%lld), "
	       "own lines %lld (%lld), memnode pages %lld (%lld)\n", now.tasks, start->tasks,
	       now.lines_used, start->lines_used, now.own_lines, start->own_lines,
	       now.memnode_pages, start->memnode_pages);
	return false;
}

static void check_fork_works(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	CHECK(pid > 0, "fork after the bomb: errno %d", errno);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 7, "child after the bomb: status %#x", status);
}

static void bomb_round(const char *name, long long limit, bool warm_up)
{
	struct snapshot start = take_snapshot();
	int pipefd[2], err = 0;
	pid_t leader;

	if (pipe(pipefd))
		utest_die("pipe: errno %d", errno);
	leader = start_bomb(pipefd[1]);
	CHECK(read(pipefd[0], &err, sizeof(err)) == sizeof(err), "%s: no report", name);
	CHECK(err == EAGAIN, "%s: the bomb's fork failed with errno %d, not EAGAIN", name, err);
	errno = 0;
	CHECK(fork() < 0 && errno == EAGAIN, "%s: our fork at the limit: errno %d", name, errno);
	printf("forkbomb: %s: limit %lld, tasks at the limit %lld\n", name, limit,
	       utest_proc_value("/proc/tasks", "tasks"));
	kill_bomb(leader);
	close(pipefd[0]);
	close(pipefd[1]);
	CHECK(settled(&start, warm_up), "%s: counters did not come back", name);
	check_fork_works();
}

int main(void)
{
	struct rlimit lim, low;
	long long max_tasks = utest_proc_value("/proc/tasks", "max_tasks");

	utest_start("forkbomb");
	if (max_tasks < 0) {
		printf("forkbomb: not Mosaic (no /proc/tasks): nothing run\n");
		return utest_finish();
	}
	CHECK(own_lines() > 0, "no VmRSS in /proc/self/status");
	if (getrlimit(RLIMIT_NPROC, &lim))
		utest_die("getrlimit: errno %d", errno);
	low = (struct rlimit){ NPROC_LIMIT, lim.rlim_max };
	CHECK(setrlimit(RLIMIT_NPROC, &low) == 0, "setrlimit: errno %d", errno);
	bomb_round("warm-up", NPROC_LIMIT, true);
	bomb_round("nproc", NPROC_LIMIT, false);
	CHECK(setrlimit(RLIMIT_NPROC, &lim) == 0, "setrlimit back: errno %d", errno);
	if (max_tasks <= MAX_TASKS_TO_FILL)
		bomb_round("max_tasks", max_tasks, false);
	else
		printf("forkbomb: max_tasks %lld: too many to fill here, round skipped\n", max_tasks);
	return utest_finish();
}
