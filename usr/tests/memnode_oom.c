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
 *     still works;
 *   - a dirty line the node has no page for at write-back kills its owner
 *     (check_writeback_out_of_pages(), below), and the other processes keep
 *     their data.
 */
#include <errno.h>
#include <string.h>
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
#define SHARED_PAGES 64
#define PARENT_BYTE 0x5a
#define CHILD_BYTE 0xc3
#define STALE_DATA 4	/* the child's exit code when it read its pages back wrong */

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

/* ---- a write-back the node has no page for ---- */

static void write_byte(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(5);
}

static void read_byte(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(5);
}

/* Touch pages one by one until every page of the node is taken, image cache included. */
static void __attribute__((noreturn)) fill_node(long long max_pages, int ready_fd)
{
	size_t len = (size_t)max_pages * UTEST_PAGE_SIZE;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t off = 0;

	if (p == MAP_FAILED)
		_exit(2);
	/* A touch with the cache non-empty drops the cache, then takes a page. */
	while (utest_proc_value("/proc/memnode", "pages") < max_pages ||
	       utest_proc_value("/proc/memnode", "image_cache_pages") > 0) {
		if (off >= len)
			_exit(3);
		p[off] = 1;
		off += UTEST_PAGE_SIZE;
	}
	write_byte(ready_fd);
	pause();
	_exit(0);
}

/*
 * The child: copy-on-write all shared pages in the pcache (no page at the
 * node yet), wait until the node is full, then have its dirty lines written
 * back (their FLUSH needs a page the node does not have) and check them.
 * mprotect to PROT_NONE writes back only this process's lines; eviction
 * pressure would also push out the parent's and the filler's own dirty
 * copies, and kill them the same way.
 */
static void __attribute__((noreturn)) dirty_shared_then_evict(char *shared, int ready_fd, int go_fd)
{
	size_t len = SHARED_PAGES * UTEST_PAGE_SIZE;

	memset(shared, CHILD_BYTE, len);
	write_byte(ready_fd);
	read_byte(go_fd);
	if (mprotect(shared, len, PROT_NONE) || mprotect(shared, len, PROT_READ | PROT_WRITE))
		_exit(6);
	for (size_t off = 0; off < SHARED_PAGES * UTEST_PAGE_SIZE; off += UTEST_PAGE_SIZE)
		if ((unsigned char)shared[off] != CHILD_BYTE)
			_exit(STALE_DATA);	/* lost its own write and ran on */
	_exit(0);
}

/* Pages written and stored at the node, then read back: clean lines in the pcache. */
static char *clean_cached_pages(void)
{
	char *p = mmap(NULL, SHARED_PAGES * UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long sum = 0;

	if (p == MAP_FAILED)
		return NULL;
	memset(p, PARENT_BYTE, SHARED_PAGES * UTEST_PAGE_SIZE);
	/* PROT_NONE writes dirty lines back and drops them (Mosaic) */
	if (mprotect(p, SHARED_PAGES * UTEST_PAGE_SIZE, PROT_NONE) ||
	    mprotect(p, SHARED_PAGES * UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE))
		return NULL;
	for (size_t off = 0; off < SHARED_PAGES * UTEST_PAGE_SIZE; off += UTEST_PAGE_SIZE)
		sum += (unsigned char)p[off];
	return sum ? p : NULL;
}

static bool pages_hold(const char *p, unsigned char byte)
{
	for (size_t i = 0; i < SHARED_PAGES * UTEST_PAGE_SIZE; i++)
		if ((unsigned char)p[i] != byte)
			return false;
	return true;
}

/* Start the child and, once it has dirtied its copies, the filler; returns the filler. */
static pid_t start_child_and_filler(char *shared, long long max_pages, int to_child[2],
				    pid_t *child)
{
	int ready[2];
	pid_t filler;

	if (pipe(ready) || pipe(to_child))
		return -1;
	*child = fork();
	if (*child == 0)
		dirty_shared_then_evict(shared, ready[1], to_child[0]);
	read_byte(ready[0]);
	filler = fork();
	if (filler == 0)
		fill_node(max_pages, ready[1]);
	read_byte(ready[0]);
	close(ready[0]);
	close(ready[1]);
	return filler;
}

static void check_writeback_out_of_pages(long long max_pages)
{
	long long start = utest_proc_value("/proc/memnode", "pages");
	char *shared = clean_cached_pages();
	int to_child[2];
	pid_t child = -1, filler;
	int code;

	CHECK(shared != NULL, "setting up the shared pages: errno %d", errno);
	if (!shared)
		return;
	filler = start_child_and_filler(shared, max_pages, to_child, &child);
	CHECK(filler > 0 && child > 0, "fork: errno %d", errno);
	write_byte(to_child[1]);
	code = utest_wait_code(child);
	CHECK(code == 200 + SIGKILL, "the child whose write-back found no page should die of "
	      "SIGKILL: code %d (%d: it ran on after losing its data)", code, STALE_DATA);
	kill(filler, SIGKILL);
	utest_wait_code(filler);
	CHECK(pages_hold(shared, PARENT_BYTE), "the parent's copy of the shared pages changed");
	munmap(shared, SHARED_PAGES * UTEST_PAGE_SIZE);
	CHECK(pages_back_to(start), "memnode pages %lld, was %lld",
	      utest_proc_value("/proc/memnode", "pages"), start);
}

int main(void)
{
	long long max_pages;

	utest_start("memnode_oom");
	check_overcommit_refused();
	max_pages = utest_proc_value("/proc/memnode", "max_pages");
	if (max_pages > 0) {
		check_fault_out_of_pages(max_pages);
		check_writeback_out_of_pages(max_pages);
	} else
		printf("memnode_oom: no capped memory node here (memory.max_pages=): fault part skipped\n");
	return utest_finish();
}
