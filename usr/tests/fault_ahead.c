// SPDX-License-Identifier: GPL-2.0
/*
 * fault_ahead: a scan over pages that were evicted (MADV_PAGEOUT writes
 * them back and drops them) traps once per few pages: the pcache fills the
 * next ones ahead (pcache.fault_ahead, managers/processor/pcache/fault.c).
 *
 *  - every byte reads back right, and /proc/pcache's fault_ahead counter
 *    grew by most of the scan;
 *  - a page filled ahead and then written keeps the write through another
 *    page-out (the dirty bit of a pte the scan never trapped on);
 *  - the run stops at a PROT_NONE page and at a hole: touching either
 *    still gives SIGSEGV;
 *  - pages never written are not filled ahead (their own fault allocates
 *    them on the memory node if it writes), so the run stops at them.
 * The counter checks need memory on this node (/proc/memnode: fault-ahead
 * is for a local home only) and a node of our own (not beside the soak's
 * driver); the rest holds everywhere, Linux included.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define PAGE ((long)UTEST_PAGE_SIZE)
#define SCAN_PAGES 64

static sigjmp_buf segv_jump;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_jump, 1);
}

/* Does reading addr give SIGSEGV? */
static bool read_faults(const volatile char *addr)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	volatile bool faulted = false;

	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(segv_jump, 1))
		faulted = true;
	else
		(void)*addr;
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

static unsigned char byte_at(long page, long off)
{
	return (unsigned char)(page * 7 + off * 13 + 1);
}

static void fill_pages(char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		for (long off = 0; off < PAGE; off++)
			p[i * PAGE + off] = (char)byte_at(i, off);
}

static long bad_bytes(const char *p, long pages)
{
	long bad = 0;

	for (long i = 0; i < pages; i++)
		for (long off = 0; off < PAGE; off++)
			bad += (unsigned char)p[i * PAGE + off] != byte_at(i, off);
	return bad;
}

/* A fault_ahead counter reading, or -1 where its changes are not ours to check. */
static long long fault_ahead_count(void)
{
	if (utest_node_shared() || utest_proc_value("/proc/memnode", "pages") < 0)
		return -1;
	return utest_pcache_counter("fault_ahead");
}

static void page_out(void *p, long pages)
{
	CHECK(madvise(p, pages * PAGE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT: %s", strerror(errno));
}

static void check_scan_and_write(void)
{
	char *p = mmap(NULL, SCAN_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long before;

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, SCAN_PAGES);
	page_out(p, SCAN_PAGES);
	before = fault_ahead_count();
	CHECK(bad_bytes(p, SCAN_PAGES) == 0, "the scan read wrong bytes");
	if (before >= 0)
		CHECK(utest_pcache_counter("fault_ahead") - before >= SCAN_PAGES / 2,
		      "only %lld of %d pages filled ahead",
		      utest_pcache_counter("fault_ahead") - before, SCAN_PAGES);
	/* Pages the scan never trapped on: their writes must survive a page-out. */
	for (long i = 0; i < SCAN_PAGES; i++)
		p[i * PAGE + 5] = (char)~byte_at(i, 5);
	page_out(p, SCAN_PAGES);
	for (long i = 0; i < SCAN_PAGES; i++) {
		CHECK((unsigned char)p[i * PAGE + 5] == (unsigned char)~byte_at(i, 5),
		      "page %ld lost its write", i);
		p[i * PAGE + 5] = (char)byte_at(i, 5);
	}
	CHECK(bad_bytes(p, SCAN_PAGES) == 0, "bytes changed after the second page-out");
	munmap(p, SCAN_PAGES * PAGE);
}

/* 12 pages: 0-7 data, 8 PROT_NONE, 9-10 data, 11 a hole. */
static void check_boundaries(void)
{
	char *p = mmap(NULL, 12 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, 11);
	CHECK(mprotect(p + 8 * PAGE, PAGE, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
	CHECK(munmap(p + 11 * PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	page_out(p, 8);
	page_out(p + 9 * PAGE, 2);
	CHECK(bad_bytes(p, 8) == 0, "pages 0-7 read wrong bytes");
	CHECK(read_faults(p + 8 * PAGE), "the PROT_NONE page was readable after the scan");
	CHECK((unsigned char)p[9 * PAGE] == byte_at(9, 0) &&
	      (unsigned char)p[10 * PAGE + 1] == byte_at(10, 1), "pages 9-10 read wrong bytes");
	CHECK(read_faults(p + 11 * PAGE), "the hole was readable after the scan");
	munmap(p, 12 * PAGE);
}

/* 4 pages with data, then 12 never written: the run stops where the data does. */
static void check_stops_at_unwritten(void)
{
	char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long before;
	long nonzero = 0;

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, 4);
	page_out(p, 4);
	before = fault_ahead_count();
	CHECK(bad_bytes(p, 4) == 0, "pages 0-3 read wrong bytes");
	for (long i = 4 * PAGE; i < 16 * PAGE; i++)
		nonzero += p[i] != 0;
	CHECK(nonzero == 0, "%ld bytes of never-written pages are not zero", nonzero);
	if (before >= 0)
		CHECK(utest_pcache_counter("fault_ahead") - before <= 3,
		      "%lld pages filled ahead: never-written ones among them",
		      utest_pcache_counter("fault_ahead") - before);
	munmap(p, 16 * PAGE);
}

int main(void)
{
	utest_start("fault_ahead");
	check_scan_and_write();
	check_boundaries();
	check_stops_at_unwritten();
	return utest_finish();
}
