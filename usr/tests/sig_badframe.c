// SPDX-License-Identifier: GPL-2.0
/*
 * sig_badframe: rt_sigreturn must not trust the frame. A handler edits its
 * ucontext: rflags asks for IOPL 3 and NT, the code segment for the
 * kernel's; the program must come back in ring 3 with IOPL 0 and go on.
 * Then a handler writes an MXCSR with reserved bits into the FPU image:
 * loading it would fault in the kernel, so the process must die of
 * SIGSEGV instead (Linux does the same).
 * Expected outcome: death by SIGSEGV (signal 11); surviving is exit 1.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "utest.h"

#define EFLAGS_IOPL3 0x3000UL
#define EFLAGS_NT 0x4000UL

static void on_usr1_raise_privilege(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)info;
	uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_IOPL3 | EFLAGS_NT;
	uc->uc_mcontext.gregs[REG_CSGSFS] = (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffL) | 0x08;
}

static void on_usr2_bad_mxcsr(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)info;
	uc->uc_mcontext.fpregs->mxcsr = 0xffffffffU;
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static unsigned long read_rflags(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(flags));
	return flags;
}

static unsigned int read_cs(void)
{
	unsigned int cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

int main(void)
{
	utest_start("sig_badframe");
	set_handler(SIGUSR1, on_usr1_raise_privilege);
	raise(SIGUSR1);
	CHECK(!(read_rflags() & (EFLAGS_IOPL3 | EFLAGS_NT)), "rflags %#lx after sigreturn",
	      read_rflags());
	CHECK((read_cs() & 3) == 3, "cs %#x: not ring 3", read_cs());
	if (utest_failures)
		return utest_finish();
	printf("sig_badframe: returning with a bad MXCSR: expect SIGSEGV\n");
	set_handler(SIGUSR2, on_usr2_bad_mxcsr);
	raise(SIGUSR2);
	utest_die("survived a frame with a bad MXCSR");
}
