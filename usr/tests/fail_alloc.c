// SPDX-License-Identifier: GPL-2.0
/*
 * fail_alloc [ROUNDS]: system calls under allocation failure.
 *
 * With /proc/fail_alloc set to each of INTERVALS in turn (every Nth kernel
 * allocation made for a user task fails), children run small workloads
 * ROUNDS times (default 5), each child turning the switch on for itself:
 * fork and wait, mmap and touch, mremap, a pipe round trip, file calls,
 * exec, a thread (clone). Each child must either succeed (exit 0), see a
 * call fail with ENOMEM or EAGAIN (exit 2), or die of SIGKILL, SIGBUS or
 * SIGSEGV (a fault that found no memory); any other errno or wrong data is
 * a failure. Then the switch goes off and the kernel must still work (a
 * fork and an exec), with free memory, pcache lines and tasks back where
 * they were (within a little slack). The kernel must not panic throughout.
 *
 * Caught so far: the memory manager's mem_page_alloc() wrote through NULL
 * when kzalloc() failed (managers/memory/pagetable.c), a kernel panic on
 * the first failed allocation of a page fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define PAGES 32
#define P UTEST_PAGE_SIZE
#define OUT_OF_MEMORY 2
#define SETTLE_TRIES 30
#define FREE_SLACK_KB 256
#define LINES_SLACK 8

static unsigned long failures_seen;	/* children that saw ENOMEM or were killed */

/* A failed call: ENOMEM/EAGAIN is what the switch causes; anything else is a bug. */
static void failed(const char *call)
{
	if (errno == ENOMEM || errno == EAGAIN)
		_exit(OUT_OF_MEMORY);
	printf("fail_alloc: %s failed with %s\n", call, strerror(errno));
	_exit(1);
}

static int work_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		failed("fork");
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		failed("waitpid");
	return 0;
}

static int work_touch(void)
{
	char *p = mmap(NULL, PAGES * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		failed("mmap");
	for (int i = 0; i < PAGES; i++)
		p[i * P] = (char)i;
	p = mremap(p, PAGES * P, 2 * PAGES * P, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		failed("mremap");
	for (int i = 0; i < PAGES; i++)
		if (p[i * P] != (char)i)
			return 1;
	return munmap(p, 2 * PAGES * P) ? (failed("munmap"), 1) : 0;
}

static int work_pipe(void)
{
	char buf[8] = "";
	int fds[2];

	if (pipe(fds))
		failed("pipe");
	if (write(fds[1], "mosaic", 7) != 7)
		failed("write");
	if (read(fds[0], buf, sizeof(buf)) != 7)
		failed("read");
	return strcmp(buf, "mosaic") != 0;
}

static int work_files(void)
{
	char buf[64];
	int fd = open("/tmp/fail_alloc", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (fd < 0)
		failed("open");
	if (write(fd, "data", 4) != 4)
		failed("write");
	if (pread(fd, buf, sizeof(buf), 0) != 4)
		failed("pread");
	close(fd);
	return memcmp(buf, "data", 4) != 0;
}

static int work_exec(void)
{
	execl("/glibc/hello", "hello", (char *)NULL);
	failed("execl");
	return 1;
}

static void *thread_body(void *arg)
{
	return arg;
}

static int work_thread(void)
{
	pthread_t t;
	void *ret;
	int err = pthread_create(&t, NULL, thread_body, (void *)1);

	if (err) {
		errno = err;
		failed("pthread_create");
	}
	pthread_join(t, &ret);
	return ret != (void *)1;
}

static int (*const works[])(void) = {
	work_fork, work_touch, work_pipe, work_files, work_exec, work_thread,
};
#define NR_WORKS (sizeof(works) / sizeof(works[0]))

static void set_switch(const char *value)
{
	int fd = open("/proc/fail_alloc", O_WRONLY);

	if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		utest_die("cannot write %s to /proc/fail_alloc: %s", value, strerror(errno));
	close(fd);
}

/*
 * Run work in a child that turns the switch on first (interval; NULL: leave
 * it off), so only the child's allocations fail; the parent turns it off
 * again after the child ended, however it ended. True when it ended in one
 * of the allowed ways.
 */
static bool run_child(int (*work)(void), const char *interval, unsigned long *ok,
		      unsigned long *oom, unsigned long *killed)
{
	pid_t pid = fork();
	int code;

	if (pid < 0) {		/* the parent's own fork failed */
		*oom += errno == ENOMEM || errno == EAGAIN;
		return errno == ENOMEM || errno == EAGAIN;
	}
	if (pid == 0) {
		if (interval)
			set_switch(interval);
		_exit(work());
	}
	code = utest_wait_code(pid);
	if (interval)
		set_switch("0");
	if (code == 0 || code == OUT_OF_MEMORY) {
		*(code ? oom : ok) += 1;
		return true;
	}
	*killed += code == 200 + SIGKILL || code == 200 + SIGBUS || code == 200 + SIGSEGV;
	return code == 200 + SIGKILL || code == 200 + SIGBUS || code == 200 + SIGSEGV;
}

static bool back_to(long long free_kb, long long lines, long long tasks)
{
	for (int i = 0; i < SETTLE_TRIES; i++) {
		if (utest_mem_free_kb() + FREE_SLACK_KB >= free_kb &&
		    utest_pcache_counter("lines_used") <= lines + LINES_SLACK &&
		    utest_proc_value("/proc/tasks", "tasks") <= tasks)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static const char *const intervals[] = { "400", "100", "37", "11", "3", "1" };

/* ROUNDS of every work at one interval; returns the children that ended badly. */
static unsigned long run_interval(const char *interval, int rounds)
{
	unsigned long ok = 0, oom = 0, killed = 0, bad = 0;

	for (int r = 0; r < rounds; r++)
		for (size_t w = 0; w < NR_WORKS; w++)
			bad += !run_child(works[w], interval, &ok, &oom, &killed);
	printf("fail_alloc: every %s-th allocation failing: %lu ok, %lu ENOMEM/EAGAIN, %lu killed, "
	       "%lu bad\n", interval, ok, oom, killed, bad);
	failures_seen += oom + killed;
	return bad;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	unsigned long ok = 0, oom = 0, killed = 0, bad = 0;
	long long free_kb, lines, tasks;

	utest_start("fail_alloc");
	if (access("/proc/fail_alloc", F_OK))
		return printf("fail_alloc: no /proc/fail_alloc: nothing run\n"), 0;
	run_child(work_exec, NULL, &ok, &oom, &killed);	/* warm up: hello in the pcache */
	free_kb = utest_mem_free_kb();
	lines = utest_pcache_counter("lines_used");
	tasks = utest_proc_value("/proc/tasks", "tasks");
	for (size_t i = 0; i < sizeof(intervals) / sizeof(intervals[0]); i++)
		bad += run_interval(intervals[i], rounds);
	CHECK(bad == 0, "%lu children ended with an unexpected errno, status or signal", bad);
	CHECK(failures_seen > 0, "no allocation failure was seen");
	CHECK(run_child(work_fork, NULL, &ok, &oom, &killed) &&
	      run_child(work_exec, NULL, &ok, &oom, &killed),
	      "fork and exec work again with the switch off");
	CHECK(back_to(free_kb, lines, tasks), "memory, pcache lines and tasks back (MemFree %lld -> "
	      "%lld kB)", free_kb, utest_mem_free_kb());
	return utest_finish();
}
