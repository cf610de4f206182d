// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz [SECONDS [SEED [WORKERS [verbose]]]]: a system-call fuzzer. The kernel must
 * survive whatever a program asks of it.
 *
 * The parent forks WORKERS workers at a time (default 3) until SECONDS
 * (default 5) have passed. Each worker makes CALLS_PER_WORKER raw system
 * calls with numbers from 0 to 460 and a few beyond, and arguments drawn
 * from edge cases: zero, -1, small and huge lengths, page-aligned and
 * unaligned addresses, valid buffers and their last byte, kernel and
 * non-canonical pointers, fds that are open, closed and negative, and
 * random bits. Workers may die of signals (that is their business); a
 * worker still running after WORKER_SECONDS is killed with SIGKILL, which
 * also tests killing tasks blocked in the kernel.
 *
 * Reproducible: everything follows from SEED (printed first; default from
 * the clock); worker n of the run uses SEED + n. A fourth argument
 * "verbose" makes workers print each call before making it, so the last
 * line before a kernel crash names the call that caused it.
 *
 * A few calls are narrowed so that the fuzzer stays a test of the kernel,
 * not of the machine around it: kill/tkill/tgkill/rt_sigqueueinfo only aim
 * at the worker itself, each worker is its own process group, clone may
 * not use CLONE_PARENT, paths come from a pool under /tmp/fuzz, and a child
 * a worker forks exits at once. The parent ignores the signals a worker's
 * stray child could still send it (workers get the defaults back).
 *
 * On any kernel but Mosaic (no /proc/pcache) it does nothing and exits 0:
 * run as root on a Linux host, random calls could change the host's clock,
 * mounts or modules.
 *
 * Exit status 0 when the run finished and the kernel still answers
 * (a fork and a pipe round trip work afterwards).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define CALLS_PER_WORKER 3000
#define WORKER_SECONDS 4
#define MAX_WORKERS 8
#define MAX_NR 460

static uint64_t rng_state;

/* xorshift64*: small, fast, and the same on every libc. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t pick(const uint64_t *v, size_t n) { return v[rng() % n]; }

static char *buffer;		/* a few valid pages for the worker to hand out */
#define BUFFER_SIZE (4 * UTEST_PAGE_SIZE)
static int verbose;		/* print each call before making it */

static const char *const paths[] = {
	"/tmp/fuzz", "/tmp/fuzz/a", "/tmp/fuzz/b", "/tmp/fuzz/dir/c", "/tmp/fuzz/link",
	"/proc/self/maps", "/proc/pcache", "/dev/null", "/nonexistent/x", "", ".", "..",
};

static uint64_t random_pointer(void)
{
	static const uint64_t bad[] = {
		0, 1, 0xfff, 0x1000, 0x7ffffffff000ULL, 0x800000000000ULL,
		0xffff800000000000ULL, 0xffff888000000000ULL, 0xffffffff80000000ULL,
		0xfffffffffffff000ULL, ~0ULL,
	};

	switch (rng() % 6) {
	case 0: return pick(bad, sizeof(bad) / sizeof(bad[0]));
	case 1: return (uint64_t)(buffer + BUFFER_SIZE - 1 - rng() % 8);	/* runs off the end */
	case 2: return (uint64_t)(buffer + rng() % BUFFER_SIZE);		/* unaligned, valid */
	case 3: return (uint64_t)paths[rng() % (sizeof(paths) / sizeof(paths[0]))];
	case 4: return (uint64_t)&random_pointer;				/* read-only text */
	default: return (uint64_t)buffer;
	}
}

static uint64_t random_number(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 7, 16, 64, 255, 4095, 4096, 4097, 65536, 1ULL << 20, 1ULL << 31,
		1ULL << 32, 1ULL << 47, 1ULL << 62, 0x7fffffff, 0xffffffff, ~0ULL, ~0ULL - 1,
		(uint64_t)-4096, (uint64_t)-2,
	};

	switch (rng() % 4) {
	case 0: return pick(edge, sizeof(edge) / sizeof(edge[0]));
	case 1: return rng() % 64;		/* small: fds, flags, signals */
	case 2: return rng();
	default: return 1ULL << (rng() % 64);	/* one flag bit */
	}
}

static uint64_t random_arg(void)
{
	return rng() % 2 ? random_pointer() : random_number();
}

/* Keep signal-sending calls aimed at this worker, and away from dangerous numbers. */
static long narrow(long nr, uint64_t a[6])
{
	pid_t self = getpid();

	switch (nr) {
	case SYS_kill:
		a[0] = self;
		break;
	case SYS_tkill:
		a[0] = syscall(SYS_gettid);
		break;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		a[0] = self;
		a[1] = syscall(SYS_gettid);
		break;
	case SYS_rt_sigqueueinfo:
		a[0] = self;
		break;
	case SYS_setpgid:	/* stay out of the parent's group */
		a[0] = 0;
		a[1] = 0;
		break;
	case SYS_clone:		/* CLONE_PARENT would make the fuzzer the child's parent */
		a[0] &= ~(uint64_t)CLONE_PARENT;
		break;
	case SYS_execve:
	case SYS_execveat:	/* busybox would run applets with random names */
		return SYS_getpid;
	}
	return nr;
}

static long random_nr(void)
{
	static const long beyond[] = { 461, 500, 1000, 0x40000000, 0x40000001, -1, 0x7fffffff };

	if (rng() % 32 == 0)
		return beyond[rng() % (sizeof(beyond) / sizeof(beyond[0]))];
	return rng() % (MAX_NR + 1);
}

/* One call; a child created by fork/clone leaves at once. */
static void one_call(pid_t self)
{
	uint64_t a[6];
	long nr = random_nr(), ret;

	for (int i = 0; i < 6; i++)
		a[i] = random_arg();
	nr = narrow(nr, a);
	if (verbose)
		dprintf(2, "fuzz: %d: syscall(%ld, %#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n",
			self, nr, (unsigned long long)a[0], (unsigned long long)a[1],
			(unsigned long long)a[2], (unsigned long long)a[3],
			(unsigned long long)a[4], (unsigned long long)a[5]);
	ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	(void)ret;
	if (getpid() != self)
		syscall(SYS_exit_group, 0);
}

static void quiet_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (!verbose)
			dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

/* The parent ignores what it can; a worker starts from the defaults. */
static void set_all_signals(void (*action)(int))
{
	for (int sig = 1; sig < 65; sig++)
		if (sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP && sig != SIGSEGV)
			signal(sig, action);
}

static void __attribute__((noreturn)) worker(uint64_t seed)
{
	pid_t self = getpid();

	set_all_signals(SIG_DFL);
	setpgid(0, 0);
	quiet_stdio();
	rng_state = seed ? seed : 1;
	buffer = mmap(NULL, BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buffer == MAP_FAILED)
		_exit(2);
	for (int i = 0; i < CALLS_PER_WORKER; i++)
		one_call(self);
	syscall(SYS_exit_group, 0);
	__builtin_unreachable();
}

struct run_stats {
	unsigned long started, finished, by_signal, killed_slow, other_exit;
	unsigned long signals[65];
};

struct slot {
	pid_t pid;
	time_t deadline;
};

static void account(struct run_stats *st, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		st->finished++;
	else if (WIFSIGNALED(status)) {
		st->by_signal++;
		if (WTERMSIG(status) < 65)
			st->signals[WTERMSIG(status)]++;
	} else
		st->other_exit++;
}

/* Reap what ended; kill what overran. Returns the slots still busy. */
static int reap(struct slot *slots, int n, struct run_stats *st)
{
	int busy = 0;

	for (int i = 0; i < n; i++) {
		int status;

		if (!slots[i].pid)
			continue;
		if (waitpid(slots[i].pid, &status, WNOHANG) == slots[i].pid) {
			account(st, status);
			slots[i].pid = 0;
			continue;
		}
		if (time(NULL) > slots[i].deadline) {
			kill(-slots[i].pid, SIGKILL);	/* its group: it and what it forked */
			kill(slots[i].pid, SIGKILL);
			st->killed_slow++;
			slots[i].deadline = time(NULL) + 60;	/* reaped on a later pass */
		}
		busy++;
	}
	return busy;
}

static void start_workers(struct slot *slots, int n, uint64_t seed, struct run_stats *st)
{
	for (int i = 0; i < n; i++) {
		pid_t pid;

		if (slots[i].pid)
			continue;
		pid = fork();
		if (pid == 0)
			worker(seed + st->started);
		if (pid < 0)
			utest_die("fork: %s", strerror(errno));
		slots[i].pid = pid;
		slots[i].deadline = time(NULL) + WORKER_SECONDS;
		st->started++;
	}
}

static void report(const struct run_stats *st, uint64_t seed)
{
	printf("fuzz: seed %llu: %lu workers, %lu finished their %d calls, %lu died of a signal, "
	       "%lu killed for running long, %lu other exits\n", (unsigned long long)seed,
	       st->started, st->finished, CALLS_PER_WORKER, st->by_signal, st->killed_slow,
	       st->other_exit);
	for (int s = 1; s < 65; s++)
		if (st->signals[s])
			printf("fuzz:   signal %d: %lu\n", s, st->signals[s]);
}

/* After the storm: a fork and a pipe round trip still work. */
static void check_still_answering(void)
{
	int fds[2], status = -1;
	char c = 0;
	pid_t pid;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(write(fds[1], "k", 1) == 1 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'k', "pipe round trip");
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 5;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL);
	int nworkers = argc > 3 ? atoi(argv[3]) : 3;
	struct slot slots[MAX_WORKERS] = { { 0 } };
	struct run_stats st = { 0 };
	time_t end;

	verbose = argc > 4 && !strcmp(argv[4], "verbose");
	utest_start("fuzz");
	if (access("/proc/pcache", F_OK)) {
		printf("fuzz: not Mosaic (no /proc/pcache): nothing run\n");
		return utest_finish();
	}
	if (seconds < 1 || nworkers < 1 || nworkers > MAX_WORKERS)
		utest_die("usage: fuzz [SECONDS>0 [SEED [WORKERS 1..%d]]]", MAX_WORKERS);
	printf("fuzz: seed %llu, %d s, %d workers at a time (replay: fuzz %d %llu %d)\n",
	       (unsigned long long)seed, seconds, nworkers, seconds, (unsigned long long)seed,
	       nworkers);
	fflush(stdout);
	mkdir("/tmp/fuzz", 0755);
	set_all_signals(SIG_IGN);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		start_workers(slots, nworkers, seed, &st);
		reap(slots, nworkers, &st);
		usleep(20000);
	}
	while (reap(slots, nworkers, &st))
		usleep(20000);
	report(&st, seed);
	CHECK(st.started > 0, "no worker ran");
	check_still_answering();
	return utest_finish();
}
