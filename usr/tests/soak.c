// SPDX-License-Identifier: GPL-2.0
/*
 * soak [SECONDS [SEED]]: one boot's share of `make soak` (scripts/soak).
 *
 * Until SECONDS (default 60) have passed, start the test programs of
 * jobs[] one after the other: fork trees, threads, mremap, the eviction
 * tests, busybox scripts (when /bin/sh exists) and the system-call fuzzer.
 * Jobs marked "shared" run two at a time; the others check node-wide
 * counters (free memory, pcache lines, the task count) themselves, so they
 * run alone. Every job must end as its table entry says; one still running
 * GRACE_S after SECONDS is killed with what it forked and counted as
 * stopped (on a slow cluster a job may take longer than the round).
 *
 * Then the leak check: with every job reaped, MemFree, the pcache's used
 * lines, the task count and the memory node's pages (where this node has
 * one; the exec image cache's pages, which keep the programs run by
 * design, count as free, like Linux's page cache) must be back at their start values, within a small slack for caches
 * that keep a page once used. The values may take a moment to settle (the
 * sweep thread, deferred frees), so the check retries for a few seconds.
 *
 * Prints one "soak: job ..." line per program, a "soak: counters ..." line
 * (pcache and RPC counters' growth), a "soak: leak ..." line and
 * "soak: PASS" or "soak: FAIL"; exit status 0 on PASS. SEED (default from
 * the clock) picks the first job; the fuzzer's seed is SEED plus the number
 * of jobs started before it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define LANES 2			/* shared jobs running at once */
#define SETTLE_TRIES 30		/* 100 ms apart */
#define FREE_SLACK_KB 512	/* slab caches may keep a few pages they grew */
#define LINES_SLACK 8
#define MEMNODE_SLACK 8
#define GRACE_S 15		/* after SECONDS, running jobs get this long to end */
#define REAP_POLL_US 20000

/*
 * ALONE: checks node-wide counters, runs by itself. SHARED: two at a time.
 * LOCAL: an eviction test that runs alone and only where memory is local:
 * on a lossy cluster, where every page crosses the wire, one alone outlasts
 * a round (threads_evict: over 120 s); make test's cluster stage runs them
 * at smaller sizes (Documentation/cluster.md).
 */
enum lane { ALONE, SHARED, LOCAL };

struct job {
	const char *argv[5];
	int expect;		/* utest_wait_code(): exit status, or 200 + signal */
	enum lane lane;
	unsigned long runs, failures, stopped;
};

static char fuzz_seed[24];

#define JOB(_lane, _expect, ...) { .argv = { __VA_ARGS__ }, .expect = _expect, .lane = _lane }

static struct job jobs[] = {
	JOB(ALONE, 0, "/glibc/fork"),
	JOB(SHARED, 0, "/musl/threads"),
	JOB(SHARED, 0, "/glibc/fuzz", "4", fuzz_seed, "2"),
	JOB(ALONE, 0, "/musl/mremap_move"),
	JOB(SHARED, 0, "/bin/sh", "/scripts/pipelines.sh"),
	JOB(LOCAL, 0, "/glibc/fork_evict"),
	JOB(SHARED, 0, "/musl/exec_chain"),
	JOB(LOCAL, 0, "/glibc/threads_evict"),
	JOB(SHARED, 0, "/bin/sh", "/scripts/loops.sh"),
	JOB(LOCAL, 0, "/musl/remap_evict"),
	JOB(SHARED, 0, "/glibc/sig_child"),
	JOB(LOCAL, 0, "/glibc/churn_evict"),
	JOB(SHARED, 0, "/musl/fuzz", "4", fuzz_seed, "2"),
	JOB(SHARED, 0, "/glibc/vfork_exec"),
	JOB(SHARED, 0, "/bin/sh", "/scripts/xargs.sh"),
	JOB(SHARED, 200 + SIGSEGV, "/musl/munmap_segv"),
	JOB(SHARED, 0, "/glibc/pipe_poll"),
	JOB(SHARED, 0, "/musl/futex"),
};
#define NR_JOBS (sizeof(jobs) / sizeof(jobs[0]))

struct running {
	pid_t pid;		/* 0: lane free */
	struct job *job;
	bool stopped;		/* killed at the hard deadline */
};

static struct running lanes[LANES];
static double hard_deadline;	/* jobs still running then are stopped */
static bool memory_is_local;	/* this node is its own memory node (/proc/memnode) */

/* What the summary shows as "grew by" (a name missing from a file reads as 0). */
struct activity_counter {
	const char *file, *name;
	long long start;
};

#define PCACHE(_name) { .file = "/proc/pcache", .name = _name }
#define RPC(_name) { .file = "/proc/rpc", .name = _name }

static struct activity_counter activity[] = {
	PCACHE("fills"), PCACHE("misses"), PCACHE("evict_clean"), PCACHE("evict_dirty"),
	PCACHE("writebacks"), PCACHE("cow_copies"), PCACHE("busy_waits"),
	RPC("calls_done"), RPC("frames_out"), RPC("frames_in"), RPC("retransmits"),
	RPC("calls_timeout"), RPC("drop_replay"), RPC("drop_frag_dup"),
};
#define NR_ACTIVITY (sizeof(activity) / sizeof(activity[0]))

struct leak_counters {
	long long free_kb, lines_used, tasks, memnode_pages;
};

static void read_leak_counters(struct leak_counters *c)
{
	long long cached = utest_proc_value("/proc/memnode", "image_cache_pages");

	c->free_kb = utest_mem_free_kb();
	c->lines_used = utest_pcache_counter("lines_used");
	c->tasks = utest_proc_value("/proc/tasks", "tasks");
	c->memnode_pages = utest_proc_value("/proc/memnode", "pages");
	if (c->memnode_pages > 0 && cached > 0) {	/* a cache, as Linux's page cache */
		c->memnode_pages -= cached;
		c->free_kb += cached * (UTEST_PAGE_SIZE / 1024);	/* this node's RAM */
	}
}

/*
 * The value of line "name N" of a /proc file, 0 when absent. Line by line:
 * /proc/rpc has lines with more than one value, which fscanf would trip on.
 */
static long long proc_line_value(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char line[256], key[64];
	long long value, found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &value) == 2 && !strcmp(key, name))
			found = value;
	fclose(f);
	return found;
}

static void activity_start(void)
{
	for (size_t i = 0; i < NR_ACTIVITY; i++)
		activity[i].start = proc_line_value(activity[i].file, activity[i].name);
}

/* One line: how much each counter grew during the soak (the host script sums them). */
static void activity_report(void)
{
	char line[1024];
	size_t n = snprintf(line, sizeof(line), "soak: counters");

	for (size_t i = 0; i < NR_ACTIVITY && n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, " %s %lld", activity[i].name,
			      proc_line_value(activity[i].file, activity[i].name) -
			      activity[i].start);
	printf("%s\n", line);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Count how lane's job ended (status from waitpid) and free the lane. */
static void job_ended(struct running *lane, int status)
{
	struct job *job = lane->job;
	int code = WIFSIGNALED(status) ? 200 + WTERMSIG(status) : WEXITSTATUS(status);

	lane->pid = 0;
	if (lane->stopped) {
		job->stopped++;
		return;
	}
	if (code != job->expect) {
		job->failures++;
		printf("soak: FAIL %s ended with %d (want %d)\n", job->argv[0], code, job->expect);
	}
}

/* Past the hard deadline: kill every running job's process group. */
static void stop_running_jobs(void)
{
	for (int i = 0; i < LANES; i++) {
		if (!lanes[i].pid || lanes[i].stopped)
			continue;
		lanes[i].stopped = true;
		kill(-lanes[i].pid, SIGKILL);
	}
}

/*
 * Wait for one job to end and count it. Returns false when none runs. A
 * job still running at hard_deadline is killed (with what it forked) and
 * counted as stopped, not failed: a slow cluster round must not overrun
 * its boot's time limit.
 */
static bool reap_one(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) == 0) {
		if (now_s() > hard_deadline)
			stop_running_jobs();
		usleep(REAP_POLL_US);
	}
	if (pid < 0)
		return false;
	for (int i = 0; i < LANES; i++)
		if (lanes[i].pid == pid)
			job_ended(&lanes[i], status);
	return true;
}

static int busy_lanes(void)
{
	int n = 0;

	for (int i = 0; i < LANES; i++)
		n += lanes[i].pid != 0;
	return n;
}

static void start_job(struct job *job)
{
	int lane = 0;
	pid_t pid;

	while (busy_lanes() == LANES || (job->lane != SHARED && busy_lanes()))
		reap_one();
	while (lanes[lane].pid)
		lane++;
	pid = fork();
	if (pid < 0) {
		printf("soak: FAIL fork: %s\n", strerror(errno));
		job->failures++;
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);	/* so a stop kills what the job forked too */
		if (chdir("/tmp"))
			_exit(126);
		execv(job->argv[0], (char *const *)job->argv);
		_exit(127);
	}
	lanes[lane] = (struct running){ .pid = pid, .job = job };
	job->runs++;
	if (job->lane != SHARED)
		reap_one();
}

/* Run the mix until the deadline; the jobs' failures are counted in jobs[]. */
static void run_mix(double seconds, unsigned long seed)
{
	double deadline = now_s() + seconds;
	size_t next = seed % NR_JOBS;

	hard_deadline = deadline + GRACE_S;
	for (unsigned long round = 0; now_s() < deadline; round++) {
		struct job *job = &jobs[next];

		next = (next + 1) % NR_JOBS;
		snprintf(fuzz_seed, sizeof(fuzz_seed), "%lu", seed + round);
		if (access(job->argv[0], X_OK) == 0 && (job->lane != LOCAL || memory_is_local))
			start_job(job);
	}
	while (reap_one())
		;
}

static bool leak_within(const struct leak_counters *start, const struct leak_counters *end)
{
	return end->free_kb + FREE_SLACK_KB >= start->free_kb &&
	       end->lines_used <= start->lines_used + LINES_SLACK &&
	       end->tasks == start->tasks &&
	       end->memnode_pages <= start->memnode_pages + MEMNODE_SLACK;
}

/* Wait for the counters to settle back; report them. True when nothing leaked. */
static bool leak_check(const struct leak_counters *start)
{
	struct leak_counters end;
	bool ok = false;

	for (int i = 0; i < SETTLE_TRIES && !ok; i++) {
		if (i)
			usleep(100 * 1000);
		read_leak_counters(&end);
		ok = leak_within(start, &end);
	}
	printf("soak: leak MemFree_kB %lld -> %lld, lines_used %lld -> %lld, tasks %lld -> %lld, "
	       "memnode_pages %lld -> %lld: %s\n", start->free_kb, end.free_kb,
	       start->lines_used, end.lines_used, start->tasks, end.tasks,
	       start->memnode_pages, end.memnode_pages, ok ? "ok" : "LEAK");
	return ok;
}

static unsigned long report_jobs(void)
{
	unsigned long runs = 0, failures = 0, stopped = 0;

	for (size_t i = 0; i < NR_JOBS; i++) {
		if (!jobs[i].runs)
			continue;
		printf("soak: job %s%s%s runs %lu failures %lu stopped %lu\n", jobs[i].argv[0],
		       jobs[i].argv[1] ? " " : "", jobs[i].argv[1] ? jobs[i].argv[1] : "",
		       jobs[i].runs, jobs[i].failures, jobs[i].stopped);
		runs += jobs[i].runs;
		failures += jobs[i].failures;
		stopped += jobs[i].stopped;
	}
	printf("soak: %lu jobs, %lu failures, %lu stopped at the deadline\n", runs, failures,
	       stopped);
	return failures;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 60;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : (unsigned long)time(NULL);
	struct leak_counters start;
	unsigned long failures;
	bool no_leak;

	utest_start("soak");
	/* this program stays alive beside its ALONE jobs: see utest_node_shared() */
	setenv(UTEST_SHARED_ENV, "1", 1);
	if (utest_pcache_counter("lines") < 0) {
		printf("soak: not Mosaic (no /proc/pcache): nothing run\n");
		return 0;
	}
	printf("soak: %.0f s, seed %lu (replay: soak %.0f %lu)\n", seconds, seed, seconds, seed);
	read_leak_counters(&start);
	memory_is_local = start.memnode_pages >= 0;
	activity_start();
	run_mix(seconds, seed);
	failures = report_jobs();
	activity_report();
	no_leak = leak_check(&start);
	printf("soak: %s\n", !failures && no_leak ? "PASS" : "FAIL");
	return !failures && no_leak ? 0 : 1;
}
