// SPDX-License-Identifier: GPL-2.0
/*
 * sig_altstack: a handler installed with SA_ONSTACK runs on the alternate
 * stack (its locals lie inside it and sigaltstack reports SS_ONSTACK);
 * changing the stack from there is -EPERM; a stack below MINSIGSTKSZ is
 * -ENOMEM; bad flags -EINVAL; SS_DISABLE turns it off, and a handler then
 * runs on the normal stack.
 * Exits 0 when every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utest.h"

#define ALT_SIZE (64 * 1024)

static char *alt;
static volatile int ran, on_alt, reported_onstack, change_err;

static void on_usr1(int sig)
{
	char local;
	stack_t now, other;

	(void)sig;
	ran++;
	on_alt = &local >= alt && &local < alt + ALT_SIZE;
	reported_onstack = sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_ONSTACK);
	memset(&other, 0, sizeof(other));
	other.ss_sp = alt;
	other.ss_size = ALT_SIZE;
	change_err = sigaltstack(&other, NULL) == -1 ? errno : 0;
}

static void check_errors(void)
{
	stack_t ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt;
	ss.ss_size = 2047;	/* the kernel's MINSIGSTKSZ is 2048 (libcs may say more) */
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "small stack: %s", strerror(errno));
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 0x10;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL, "bad flags: %s", strerror(errno));
	CHECK(syscall(SYS_sigaltstack, 8L, 0L) == -1 && errno == EFAULT, "bad pointer");
}

int main(void)
{
	struct sigaction sa;
	stack_t ss, old;

	utest_start("sig_altstack");
	alt = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (alt == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	check_errors();
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt;
	ss.ss_size = ALT_SIZE;
	CHECK(sigaltstack(&ss, &old) == 0, "sigaltstack: %s", strerror(errno));
	CHECK(old.ss_flags & SS_DISABLE, "no alternate stack at first (flags %#x)", old.ss_flags);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(ran == 1 && on_alt, "the handler ran %d times, on the altstack: %d", ran, on_alt);
	CHECK(reported_onstack, "sigaltstack in the handler did not say SS_ONSTACK");
	CHECK(change_err == EPERM, "changing the stack on it: errno %d, want EPERM", change_err);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt && !(old.ss_flags & SS_ONSTACK),
	      "after the handler: sp %p flags %#x", old.ss_sp, old.ss_flags);

	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0, "SS_DISABLE");
	raise(SIGUSR1);
	CHECK(ran == 2 && !on_alt, "with SS_DISABLE the handler still ran on the altstack");
	CHECK(sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE), "not disabled");
	return utest_finish();
}
