// SPDX-License-Identifier: GPL-2.0
/*
 * sig_fault: a program catches its own faults and carries on.
 *   - a write to an unmapped page: SIGSEGV, SEGV_MAPERR, si_addr the address;
 *     the handler siglongjmp()s out, three times in a row (the mask is
 *     restored by siglongjmp, so the handler can run again);
 *   - a write to a read-only page: SIGSEGV, SEGV_ACCERR;
 *   - an integer division by zero: SIGFPE, FPE_INTDIV;
 *   - ud2: SIGILL, ILL_ILLOPN, si_addr the instruction;
 *   - SIGBUS sent with raise() reaches its handler (no real bus error can
 *     be caused here: there are no file mappings to truncate);
 *   - the sigcontext in the frame names the faulting rip and cr2.
 * Exits 0 when every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "utest.h"

static sigjmp_buf recover;
static volatile int caught_sig, caught_code;
static void *volatile caught_addr;
static volatile unsigned long caught_cr2;

static void on_fault(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	caught_sig = sig;
	caught_code = info->si_code;
	caught_addr = info->si_addr;
	caught_cr2 = uc->uc_mcontext.gregs[REG_CR2];
	siglongjmp(recover, 1);
}

static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(sig, &sa, NULL))
		utest_die("sigaction(%d): %s", sig, strerror(errno));
}

/* Run fn; true when it faulted into on_fault with signal sig. */
static int faults(void (*fn)(void *), void *arg, int sig)
{
	caught_sig = 0;
	if (sigsetjmp(recover, 1) == 0) {
		fn(arg);
		return 0;
	}
	return caught_sig == sig;
}

static void write_to(void *p) { *(volatile int *)p = 42; }

static volatile int divisor;
static volatile int quotient;
static void divide_by_zero(void *unused) { (void)unused; quotient = 100 / divisor; }

static void bad_opcode(void *unused) { (void)unused; __asm__ volatile("ud2"); }

static void check_segv_mapped_and_protected(void)
{
	char *page = mmap(NULL, UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole;

	if (page == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	hole = page;
	munmap(page, UTEST_PAGE_SIZE);
	for (int round = 0; round < 3; round++) {
		CHECK(faults(write_to, hole + 8, SIGSEGV), "round %d: no SIGSEGV (got %d)",
		      round, caught_sig);
		CHECK(caught_code == SEGV_MAPERR, "si_code %d, want SEGV_MAPERR", caught_code);
		CHECK(caught_addr == hole + 8, "si_addr %p, want %p", caught_addr, hole + 8);
		CHECK(caught_cr2 == (unsigned long)(hole + 8), "cr2 %#lx", caught_cr2);
	}
	page = mmap(NULL, UTEST_PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page[0] == 0, "a fresh read-only page reads as zero");
	CHECK(faults(write_to, page, SIGSEGV), "write to read-only: no SIGSEGV");
	CHECK(caught_code == SEGV_ACCERR, "si_code %d, want SEGV_ACCERR", caught_code);
	CHECK(caught_addr == page, "si_addr %p, want %p", caught_addr, (void *)page);
}

int main(void)
{
	utest_start("sig_fault");
	catch(SIGSEGV);
	catch(SIGFPE);
	catch(SIGILL);
	catch(SIGBUS);
	check_segv_mapped_and_protected();

	CHECK(faults(divide_by_zero, NULL, SIGFPE), "no SIGFPE (got %d)", caught_sig);
	CHECK(caught_code == FPE_INTDIV, "si_code %d, want FPE_INTDIV", caught_code);

	CHECK(faults(bad_opcode, NULL, SIGILL), "no SIGILL (got %d)", caught_sig);
	CHECK(caught_code == ILL_ILLOPN, "si_code %d, want ILL_ILLOPN", caught_code);
	CHECK(caught_addr != NULL, "SIGILL si_addr is the instruction");

	caught_sig = 0;
	if (sigsetjmp(recover, 1) == 0)
		raise(SIGBUS);
	CHECK(caught_sig == SIGBUS, "raise(SIGBUS) not caught (got %d)", caught_sig);
	CHECK(caught_code == SI_TKILL, "raise si_code %d, want SI_TKILL", caught_code);

	printf("sig_fault: still running after %lu checks\n", utest_checks);
	return utest_finish();
}
