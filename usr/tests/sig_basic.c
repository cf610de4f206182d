// SPDX-License-Identifier: GPL-2.0
/*
 * sig_basic: handlers, masks and the signal system calls' errors.
 *   - raise() and kill(getpid()) run an SA_SIGINFO handler with si_signo,
 *     si_code (SI_TKILL / SI_USER) and si_pid right;
 *   - a blocked signal stays pending (sigpending) and is delivered as soon
 *     as sigprocmask unblocks it; the handler runs with its own signal and
 *     sa_mask blocked, and the old mask is back afterwards;
 *   - SA_RESETHAND: the action is SIG_DFL once the handler ran;
 *   - a handler raising its own signal runs again only after it returns,
 *     or nested with SA_NODEFER;
 *   - an ignored signal is dropped; sigsuspend waits for a signal;
 *   - sigtimedwait takes a blocked pending signal (with its siginfo), and
 *     times out with EAGAIN;
 *   - registers and the FPU state survive a handler that clobbers them;
 *   - errors: SIGKILL/SIGSTOP cannot be caught, bad signal numbers,
 *     bad sigsetsize, bad pointers, kill of no process.
 * Exits 0 when every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

static volatile int hits, last_sig, last_code, last_pid;
static volatile int usr2_blocked_inside, usr1_blocked_inside;

static void on_info(int sig, siginfo_t *info, void *uc)
{
	sigset_t now;

	(void)uc;
	hits++;
	last_sig = info->si_signo == sig ? sig : -1;
	last_code = info->si_code;
	last_pid = info->si_pid;
	sigprocmask(SIG_BLOCK, NULL, &now);
	usr1_blocked_inside = sigismember(&now, SIGUSR1);
	usr2_blocked_inside = sigismember(&now, SIGUSR2);
}

static void on_plain(int sig)
{
	volatile double x = 1.0;

	for (int i = 0; i < 10; i++)
		x = x * 3.5 + sig;	/* clobber the FPU registers */
	hits++;
}

static void set_handler(int sig, void *fn, int flags, int also_block)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = fn;
	else
		sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (also_block)
		sigaddset(&sa.sa_mask, also_block);
	if (sigaction(sig, &sa, NULL))
		utest_die("sigaction(%d): %s", sig, strerror(errno));
}

static void check_siginfo(void)
{
	set_handler(SIGUSR1, on_info, SA_SIGINFO, SIGUSR2);
	hits = 0;
	raise(SIGUSR1);
	CHECK(hits == 1 && last_sig == SIGUSR1, "raise: hits %d sig %d", hits, last_sig);
	CHECK(last_code == SI_TKILL, "raise: si_code %d, want SI_TKILL", last_code);
	CHECK(last_pid == getpid(), "raise: si_pid %d", last_pid);
	CHECK(usr1_blocked_inside && usr2_blocked_inside, "in the handler SIGUSR1 %d SIGUSR2 %d blocked",
	      usr1_blocked_inside, usr2_blocked_inside);
	kill(getpid(), SIGUSR1);
	CHECK(hits == 2 && last_code == SI_USER, "kill: hits %d si_code %d", hits, last_code);
}

static void check_block_unblock(void)
{
	sigset_t set, pending, now;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	hits = 0;
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "block");
	kill(getpid(), SIGUSR1);
	CHECK(hits == 0, "a blocked signal was delivered");
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1), "not pending");
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0, "unblock");
	CHECK(hits == 1, "unblocking did not deliver (hits %d)", hits);
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(!sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2),
	      "the handler's mask stayed after it returned");
}

static void check_resethand_and_ignore(void)
{
	struct sigaction old;

	set_handler(SIGUSR2, on_plain, SA_RESETHAND, 0);
	hits = 0;
	raise(SIGUSR2);
	CHECK(hits == 1, "SA_RESETHAND handler did not run");
	CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_DFL,
	      "SA_RESETHAND: action not back to SIG_DFL");
	signal(SIGUSR2, SIG_IGN);
	CHECK(raise(SIGUSR2) == 0, "raise of an ignored signal");
	signal(SIGCHLD, SIG_DFL);
	CHECK(raise(SIGCHLD) == 0, "SIGCHLD's default is to ignore");
}

/*
 * r12 and xmm8 hold patterns across a kill() that runs a handler: the
 * kernel gives the handler a fresh FPU state, so only rt_sigreturn's
 * restore of the frame's FPU image brings xmm8 back.
 */
static void check_state_survives(void)
{
	unsigned long pattern = 0x1234567812345678UL, r12_out, xmm_out;

	set_handler(SIGUSR1, on_plain, 0, 0);
	hits = 0;
	__asm__ volatile("mov %2, %%r12\n\t"
			 "movq %2, %%xmm8\n\t"
			 "mov $62, %%eax\n\t"	/* kill(getpid(), SIGUSR1) */
			 "syscall\n\t"
			 "mov %%r12, %0\n\t"
			 "movq %%xmm8, %1"
			 : "=r"(r12_out), "=r"(xmm_out)
			 : "r"(pattern), "D"((long)getpid()), "S"((long)SIGUSR1)
			 : "rax", "rcx", "r11", "r12", "xmm8", "memory");
	CHECK(hits == 1, "the handler did not run");
	CHECK(r12_out == pattern, "r12 changed across the handler: %#lx", r12_out);
	CHECK(xmm_out == pattern, "xmm8 changed across the handler: %#lx", xmm_out);
}

static void check_sigsuspend(void)
{
	sigset_t block, wait_mask;

	set_handler(SIGUSR1, on_plain, 0, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	hits = 0;
	sigemptyset(&wait_mask);
	CHECK(sigsuspend(&wait_mask) == -1 && errno == EINTR, "sigsuspend: %s", strerror(errno));
	CHECK(hits == 1, "sigsuspend returned without the handler");
	sigprocmask(SIG_BLOCK, NULL, &wait_mask);
	CHECK(sigismember(&wait_mask, SIGUSR1), "sigsuspend did not restore the mask");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static volatile int depth, max_depth;

/* Raises its own signal once from inside: nested only when SA_NODEFER. */
static void on_reentrant(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (hits++ == 0)
		raise(sig);
	depth--;
}

static void check_nodefer(void)
{
	set_handler(SIGUSR2, on_reentrant, 0, 0);
	hits = max_depth = 0;
	raise(SIGUSR2);
	CHECK(hits == 2 && max_depth == 1, "deferred: hits %d depth %d, want 2 and 1", hits,
	      max_depth);
	set_handler(SIGUSR2, on_reentrant, SA_NODEFER, 0);
	hits = max_depth = 0;
	raise(SIGUSR2);
	CHECK(hits == 2 && max_depth == 2, "SA_NODEFER: hits %d depth %d, want 2 and 2", hits,
	      max_depth);
}

static void check_sigtimedwait(void)
{
	struct timespec short_wait = { 0, 10 * 1000 * 1000 };
	sigset_t set;
	siginfo_t info;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	memset(&info, 0, sizeof(info));
	CHECK(sigtimedwait(&set, &info, &short_wait) == SIGUSR2, "sigtimedwait: %s",
	      strerror(errno));
	CHECK(info.si_signo == SIGUSR2 && info.si_code == SI_USER && info.si_pid == getpid(),
	      "sigtimedwait info: signo %d code %d pid %d", info.si_signo, info.si_code,
	      info.si_pid);
	CHECK(sigtimedwait(&set, &info, &short_wait) == -1 && errno == EAGAIN,
	      "sigtimedwait with nothing pending: %s", strerror(errno));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void check_errors(void)
{
	struct sigaction sa;
	unsigned long mask = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_plain;
	errno = 0;
	CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "catch SIGKILL");
	CHECK(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL, "catch SIGSTOP");
	CHECK(syscall(SYS_rt_sigaction, 0, NULL, NULL, 8) == -1 && errno == EINVAL, "signal 0");
	CHECK(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8) == -1 && errno == EINVAL, "signal 65");
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4) == -1 && errno == EINVAL,
	      "sigsetsize 4");
	CHECK(syscall(SYS_rt_sigprocmask, 99, &mask, NULL, 8) == -1 && errno == EINVAL, "how 99");
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8) == -1 && errno == EFAULT,
	      "bad set pointer");
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8) == -1 && errno == EFAULT,
	      "bad sigaction pointer");
	CHECK(kill(getpid(), 65) == -1 && errno == EINVAL, "kill with signal 65");
	CHECK(kill(getpid(), 0) == 0, "kill(self, 0) checks existence");
	CHECK(kill(999999, 0) == -1 && errno == ESRCH, "kill of no process: %s", strerror(errno));
	CHECK(syscall(SYS_tgkill, getpid() + 1000, getpid(), SIGUSR1) == -1 && errno == ESRCH,
	      "tgkill with the wrong tgid");
	CHECK(syscall(SYS_tgkill, 0, getpid(), SIGUSR1) == -1 && errno == EINVAL, "tgkill tgid 0");
}

int main(void)
{
	utest_start("sig_basic");
	check_siginfo();
	check_block_unblock();
	check_resethand_and_ignore();
	check_state_survives();
	check_sigsuspend();
	check_nodefer();
	check_sigtimedwait();
	check_errors();
	return utest_finish();
}
