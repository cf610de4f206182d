// SPDX-License-Identifier: GPL-2.0
/*
 * pcache_conflict: single instructions that need two pages of one pcache set
 * at once. A set is picked by the page number modulo the number of sets
 * (/proc/pcache_sets), so the test computes colliding addresses itself:
 *
 *   code+data   a load and a store whose code page shares the data's set
 *   rep movsb   source and destination pages in one set
 *   altstack    a signal handler whose code page shares a set with the
 *               alternate stack that holds its frame
 *   straddle    an instruction across two pages, the second one sharing a
 *               set with the data it loads
 *
 * Direct-mapped (pcache.assoc=1) each case needs two lines of a one-way set:
 * without the pcache's forward-progress rule each fault evicts the page the
 * other one needs and the instruction never completes (the boot times out).
 * There the test also checks that the refaults were seen (progress_refaults).
 * Any other geometry runs the same instructions and checks their results.
 * Exits 0 when every check held.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>

#include "utest.h"

#define PAGE UTEST_PAGE_SIZE
#define PATTERN 0x5a

static unsigned long nr_sets = 1;
static char *windows;

/* Window i: nr_sets pages, every set once. Each case takes fresh ones. */
static char *window(int i)
{
	return windows + i * nr_sets * PAGE;
}

static unsigned long set_of(const void *p)
{
	return ((uintptr_t)p / PAGE) % nr_sets;
}

/* The page of window (nr_sets pages long) that falls in the given set. */
static char *page_in_set(char *window, unsigned long set)
{
	return window + ((set + nr_sets - set_of(window)) % nr_sets) * PAGE;
}

static char *map_pages(unsigned long pages, int prot)
{
	char *p = mmap(NULL, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	if (p == MAP_FAILED)
		utest_die("mmap of %lu pages failed", pages);
	return p;
}

/* Tiny and 64-byte aligned: the whole function lies on one page. */
static long __attribute__((noinline, aligned(64))) load_word(const volatile long *p)
{
	return *p;
}

static void __attribute__((noinline, aligned(64))) store_word(volatile long *p, long v)
{
	*p = v;
}

/* Fresh windows for the load and the store: each case finds its own pages absent. */
static void code_and_data(char *load_window, char *store_window)
{
	long *load_at = (long *)page_in_set(load_window, set_of((void *)load_word)) + 3;
	long *store_at = (long *)page_in_set(store_window, set_of((void *)store_word)) + 5;

	*load_at = 0x1234567890L;	/* present now, in the code page's set */
	CHECK(load_word(load_at) == 0x1234567890L, "load through a colliding code page");
	store_word(store_at, 0x0badcafeL);
	CHECK(*store_at == 0x0badcafeL, "store through a colliding code page");
}

static void rep_movsb(void *dst, const void *src, size_t n)
{
	asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* Source and destination in one set: the destination is nr_sets pages on. */
static void movs_same_set(char *two_windows)
{
	char *src = two_windows + PAGE, *dst = src + nr_sets * PAGE;
	size_t bad = 0;

	memset(src, PATTERN, PAGE);
	rep_movsb(dst, src, PAGE);
	for (size_t i = 0; i < PAGE; i++)
		bad += dst[i] != PATTERN;
	CHECK(bad == 0, "rep movsb within one set: %zu bytes wrong", bad);
}

static volatile int handled;

static void __attribute__((noinline, aligned(64))) on_usr1(int sig)
{
	handled += sig == SIGUSR1;
}

/*
 * The frame goes at the top of the alternate stack: its last page is the
 * one that shares the handler's set (the stack is two pages, in case the
 * frame spills over the page below).
 */
static void altstack_same_set(char *window)
{
	char *top_page = page_in_set(window, set_of((void *)on_usr1));
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	stack_t ss = { .ss_size = 2 * PAGE };

	if (top_page == window)
		top_page += nr_sets * PAGE;	/* keep a page below it in the mapping */
	ss.ss_sp = top_page - PAGE;
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack");
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
	raise(SIGUSR1);
	CHECK(handled == 1, "handler ran %d times on a colliding alternate stack", handled);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

/* mov (%rdi),%rax; ret: the mov's 3 bytes cut by the page boundary after the first. */
static const unsigned char straddling_load[] = { 0x48, 0x8b, 0x07, 0xc3 };

static void straddle(char *window)
{
	char *code = map_pages(2, PROT_READ | PROT_WRITE), *entry = code + PAGE - 1;
	long (*load)(const long *) = (long (*)(const long *))(void *)entry;
	long *data = (long *)page_in_set(window, set_of(code + PAGE)) + 9;

	memcpy(entry, straddling_load, sizeof(straddling_load));
	CHECK(mprotect(code, 2 * PAGE, PROT_READ | PROT_EXEC) == 0, "mprotect to exec");
	*data = 0x77665544L;
	CHECK(load(data) == 0x77665544L, "a load that straddles two pages");
	munmap(code, 2 * PAGE);
}

int main(void)
{
	long long sets = utest_proc_value("/proc/pcache_sets", "sets");
	long long assoc = utest_proc_value("/proc/pcache_sets", "assoc");
	long long refaults = utest_pcache_counter("progress_refaults");

	utest_start("pcache_conflict");
	if (sets > 0)
		nr_sets = (unsigned long)sets;
	printf("pcache_conflict: %lu sets x %lld ways\n", nr_sets, assoc);
	/*
	 * Windows of nr_sets pages (each holds every set once), fresh ones for
	 * each case, and a few pages of slack. NORESERVE: few pages are touched.
	 */
	windows = map_pages(7 * nr_sets + 4, PROT_READ | PROT_WRITE);
	code_and_data(window(0), window(1));
	movs_same_set(window(2));	/* and window(3) */
	altstack_same_set(window(4));	/* and the page after window(5)'s start */
	straddle(window(6));
	if (assoc == 1 && !utest_node_shared()) {
		long long now = utest_pcache_counter("progress_refaults");

		printf("pcache_conflict: %lld refaults, %lld overflow borrows\n", now - refaults,
		       utest_pcache_counter("overflow_borrows"));
		CHECK(now >= refaults + 4, "direct-mapped: %lld refaults seen, want 4 or more",
		      now - refaults);
	}
	return utest_finish();
}
