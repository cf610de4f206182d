// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the forward-progress decision (suite "pcache_progress",
 * progress.c): which fills count as refaults of one instruction. The
 * borrowing they lead to is tested in pcache_fault
 * (refault_borrows_an_overflow_line).
 */
#include <mosaic/ktest.h>
#include <mosaic/pcache_progress.h>

#define IP_A 0x401000UL
#define IP_B 0x401008UL
#define PAGE_X 0x7000000UL
#define PAGE_Y 0x7400000UL
#define EVICTED 1	/* an evict_seq after an eviction (the history began at 0) */

KTEST(pcache_progress, first_fills_are_not_refaults)
{
	struct pcache_progress p = { 0 };

	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X, 0));
	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_Y + 0x123, EVICTED));
	KEXPECT(pcache_progress_refault(&p, IP_A, PAGE_X + 0x800, EVICTED));	/* same page */
	KEXPECT(pcache_progress_refault(&p, IP_A, PAGE_Y, EVICTED));
}

/* No eviction since the history began: nothing of it was lost (a zap, say). */
KTEST(pcache_progress, no_eviction_no_refault)
{
	struct pcache_progress p = { 0 };

	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X, 7));
	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X, 7));
	KEXPECT(pcache_progress_refault(&p, IP_A, PAGE_X, 8));
}

/* The code+data livelock: data, code, data again at one instruction. */
KTEST(pcache_progress, ping_pong_is_caught_on_the_third_fault)
{
	struct pcache_progress p = { 0 };

	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_Y, 0));	/* data: evicts the code */
	KEXPECT(!pcache_progress_refault(&p, IP_A, IP_A, 1));		/* code: evicts the data */
	KEXPECT(pcache_progress_refault(&p, IP_A, PAGE_Y, 2));		/* data again: borrow */
}

KTEST(pcache_progress, a_new_instruction_starts_afresh)
{
	struct pcache_progress p = { 0 };

	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X, 0));
	KEXPECT(!pcache_progress_refault(&p, IP_B, PAGE_X, EVICTED));	/* IP_A retired */
	KEXPECT(!pcache_progress_refault(&p, IP_B, PAGE_X, EVICTED));	/* no eviction since */
	KEXPECT(pcache_progress_refault(&p, IP_B, PAGE_X, EVICTED + 1));
	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X, EVICTED + 1));
}

/* One instruction streaming through many pages (rep movs) only remembers the last few. */
KTEST(pcache_progress, history_keeps_the_last_pages)
{
	struct pcache_progress p = { 0 };
	unsigned long n = PCACHE_PROGRESS_PAGES + 3;

	for (unsigned long i = 0; i < n; i++)	/* the history begins at 0, then evictions */
		KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X + i * 4096, i ? EVICTED : 0));
	KEXPECT(!pcache_progress_refault(&p, IP_A, PAGE_X, EVICTED));	/* forgotten: new */
	KEXPECT(pcache_progress_refault(&p, IP_A, PAGE_X + (n - 1) * 4096, EVICTED));
}
