// SPDX-License-Identifier: GPL-2.0
/*
 * memnode_oom: a memory node out of pages answers ENOMEM, and a fault it
 * cannot serve kills only the faulting program.
 *
 * Always (any kernel that refuses obvious overcommits, Linux included):
 *   - a private writable mmap far bigger than memory fails with ENOMEM;
 *   - the same with MAP_NORESERVE succeeds (nothing is promised);
 *   - sbrk of that size fails with ENOMEM.
 * With a capped memory node (boot with memory.max_pages=N, /proc/memnode):
 *   - a child that touches more MAP_NORESERVE pages than are left dies of
 *     SIGBUS (the kernel prints "out of memory for the page");
 *   - the node's page count comes back to where it was, and a small mapping
 *     still works.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define HUGE_LEN (1ULL << 40)	/* 1 TiB: more than any test machine has */
#define EXTRA_PAGES 64
#define SETTLE_SECONDS 20

static void check_overcommit_refused(void)
{
	void *p = mmap(NULL, HUGE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p == MAP_FAILED && errno == ENOMEM, "1 TiB writable mmap: %p errno %d", p, errno);
	p = mmap(NULL, HUGE_LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED, "1 TiB MAP_NORESERVE mmap: errno %d", errno);
	if (p != MAP_FAILED)
		munmap(p, HUGE_LEN);
	errno = 0;
	p = sbrk((intptr_t)HUGE_LEN);
	CHECK(p == (void *)-1 && errno == ENOMEM, "sbrk(1 TiB): %p errno %d", p, errno);
}

/* Touch pages of a MAP_NORESERVE mapping until the node runs out. */
static void __attribute__((noreturn)) eat_pages(long long pages)
{
	size_t len = (size_t)pages * UTEST_PAGE_SIZE;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	for (size_t off = 0; off < len; off += UTEST_PAGE_SIZE)
		p[off] = 1;
	_exit(3);	/* the node should have run out first */
}

static bool pages_back_to(long long start)
{
	time_t give_up = time(NULL) + SETTLE_SECONDS;

	while (utest_proc_value("/proc/memnode", "pages") > start)
		if (time(NULL) >= give_up)
			return false;
		else
			usleep(20000);
	return true;
}

/* Fork and reap a child that exits at once: our own pages for that path exist after. */
static void warm_up_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void check_fault_out_of_pages(long long max_pages)
{
	long long start;
	int status = 0;
	pid_t pid;

	warm_up_fork();
	start = utest_proc_value("/proc/memnode", "pages");
	pid = fork();

	if (pid == 0)
		eat_pages(max_pages - start + EXTRA_PAGES);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: errno %d", errno);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	      "the page eater should die of SIGBUS: status %#x", status);
	CHECK(pages_back_to(start), "memnode pages %lld, was %lld",
	      utest_proc_value("/proc/memnode", "pages"), start);
	char *p = mmap(NULL, 16 * UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "small mmap after the eater: errno %d", errno);
	if (p != MAP_FAILED) {
		memset(p, 7, 16 * UTEST_PAGE_SIZE);
		CHECK(p[5 * UTEST_PAGE_SIZE] == 7, "small mapping lost its data");
		munmap(p, 16 * UTEST_PAGE_SIZE);
	}
}

int main(void)
{
	long long max_pages;

	utest_start("memnode_oom");
	check_overcommit_refused();
	max_pages = utest_proc_value("/proc/memnode", "max_pages");
	if (max_pages > 0)
		check_fault_out_of_pages(max_pages);
	else
		printf("memnode_oom: no capped memory node here (memory.max_pages=): fault part skipped\n");
	return utest_finish();
}
