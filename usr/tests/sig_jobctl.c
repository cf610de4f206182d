// SPDX-License-Identifier: GPL-2.0
/*
 * sig_jobctl: job control between a parent and its children.
 *
 *  - SIGSTOP stops a child: wait with WUNTRACED reports it (once), the
 *    parent's SIGCHLD says CLD_STOPPED; a SIGTERM sent meanwhile waits
 *    until SIGCONT, which wait with WCONTINUED reports (CLD_CONTINUED).
 *  - SIGTSTP with the default action stops; SIGKILL ends a stopped child.
 *  - A child stopped inside read() on a pipe finishes the read after
 *    SIGCONT (the call restarts, no EINTR); /proc/PID/stat tells when it
 *    sleeps there.
 *  - SIGCONT discards a pending (blocked) SIGTSTP.
 *  - SA_NOCLDSTOP: no SIGCHLD for a stop, but wait still reports it.
 *  - A stopped multi-threaded child stops every thread and resumes them.
 *  - A child's SIGCHLD wakes a parent already asleep in sigtimedwait.
 * Nothing here depends on timing: every step waits for the state it checks
 * (the sigtimedwait check allows 10 s for what takes milliseconds).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

static pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0)
		utest_die("fork: %s", strerror(errno));
	return pid;
}

static __attribute__((noreturn)) void pause_forever(void)
{
	for (;;)
		pause();
}

/* SIGCHLD is blocked in the parent: drop one left pending by an earlier check. */
static void drain_sigchld(void)
{
	struct timespec now = { 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigtimedwait(&set, NULL, &now);
}

/* Take the next SIGCHLD and return its si_code. */
static int next_sigchld_code(pid_t pid)
{
	struct timespec limit = { .tv_sec = 10 };
	sigset_t set;
	siginfo_t info;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigtimedwait(&set, &info, &limit) != SIGCHLD)
		return -1;
	CHECK(info.si_pid == pid, "SIGCHLD si_pid %d, want %d", info.si_pid, pid);
	return info.si_code;
}

static int wait_status(pid_t pid, int options)
{
	int status = -1;
	pid_t got = waitpid(pid, &status, options);

	if (got == 0)
		return 0;	/* WNOHANG, nothing to report */
	CHECK(got == pid, "waitpid(%d, %#x): %d (%s)", pid, options, got, strerror(errno));
	return status;
}

static void check_stop_and_continue(void)
{
	pid_t pid;
	int status;

	drain_sigchld();
	pid = fork_or_die();
	if (pid == 0)
		pause_forever();
	CHECK(kill(pid, SIGSTOP) == 0, "kill SIGSTOP: %s", strerror(errno));
	status = wait_status(pid, WUNTRACED);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "stop status %#x", status);
	CHECK(next_sigchld_code(pid) == CLD_STOPPED, "SIGCHLD CLD_STOPPED");
	CHECK(wait_status(pid, WUNTRACED | WNOHANG) == 0, "a stop is reported once");
	kill(pid, SIGTERM);
	CHECK(wait_status(pid, WNOHANG) == 0, "a stopped child does not act on SIGTERM");
	CHECK(kill(pid, SIGCONT) == 0, "kill SIGCONT: %s", strerror(errno));
	CHECK(next_sigchld_code(pid) == CLD_CONTINUED, "SIGCHLD CLD_CONTINUED");
	status = wait_status(pid, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM after SIGCONT: %#x",
	      status);
}

/* The state letter of /proc/PID/stat ('?' when unreadable). */
static char proc_state(pid_t pid)
{
	char path[64], text[256] = "", *paren;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, text, sizeof(text) - 1) < 0)
		text[0] = '\0';
	if (fd >= 0)
		close(fd);
	paren = strrchr(text, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A SIGCHLD sent while the parent already sleeps in sigtimedwait (with
 * SIGCHLD blocked, as it must be) wakes it at once, not at the timeout.
 */
static void check_sigtimedwait_woken_by_child(void)
{
	struct timespec limit = { .tv_sec = 20 };
	uint64_t start, waited_ms;
	siginfo_t info;
	sigset_t set;
	pid_t pid;

	drain_sigchld();
	pid = fork_or_die();
	if (pid == 0) {
		while (proc_state(getppid()) != 'S')	/* the parent sleeps in sigtimedwait */
			sched_yield();
		_exit(7);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	start = monotonic_ns();
	CHECK(sigtimedwait(&set, &info, &limit) == SIGCHLD, "sigtimedwait: %s", strerror(errno));
	waited_ms = (monotonic_ns() - start) / 1000000;
	CHECK(waited_ms < 10000, "woken by the child's exit after %llu ms, not at once",
	      (unsigned long long)waited_ms);
	CHECK(info.si_code == CLD_EXITED && info.si_pid == pid && info.si_status == 7,
	      "SIGCHLD code %d pid %d status %d", info.si_code, info.si_pid, info.si_status);
	wait_status(pid, 0);
}

static void check_continued_report_and_kill(void)
{
	pid_t pid = fork_or_die();
	siginfo_t info;
	int status;

	if (pid == 0)
		pause_forever();
	kill(pid, SIGTSTP);
	status = wait_status(pid, WUNTRACED);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP, "SIGTSTP stops: %#x", status);
	kill(pid, SIGCONT);
	status = wait_status(pid, WCONTINUED);
	CHECK(WIFCONTINUED(status), "WCONTINUED status %#x", status);
	kill(pid, SIGSTOP);
	memset(&info, 0, sizeof(info));
	CHECK(waitid(P_PID, pid, &info, WSTOPPED) == 0, "waitid WSTOPPED: %s", strerror(errno));
	CHECK(info.si_code == CLD_STOPPED && info.si_status == SIGSTOP, "waitid code %d status %d",
	      info.si_code, info.si_status);
	kill(pid, SIGKILL);
	status = wait_status(pid, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "SIGKILL ends a stopped child");
}

/* The child reads one byte from fds[0], then exits with it. */
static void check_read_restarts(void)
{
	int fds[2], status;
	pid_t pid;
	char c;

	CHECK(pipe(fds) == 0, "pipe");
	pid = fork_or_die();
	if (pid == 0) {
		ssize_t n = read(fds[0], &c, 1);

		_exit(n == 1 ? c : 100 + (n < 0 ? errno : 0));
	}
	while (proc_state(pid) != 'S')	/* asleep in read() (the child does nothing else) */
		sched_yield();
	kill(pid, SIGSTOP);
	status = wait_status(pid, WUNTRACED);
	CHECK(WIFSTOPPED(status), "stopped in read: %#x", status);
	kill(pid, SIGCONT);
	CHECK(write(fds[1], "\x2a", 1) == 1, "write");
	status = wait_status(pid, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "read after SIGCONT: status %#x",
	      status);
	close(fds[0]);
	close(fds[1]);
}

/* The child blocks SIGTSTP, says so, waits for "go", unblocks: nothing must stop it. */
static void check_cont_discards_stop(void)
{
	int ready[2], go[2], status;
	sigset_t tstp;
	pid_t pid;
	char c;

	CHECK(pipe(ready) == 0 && pipe(go) == 0, "pipes");
	pid = fork_or_die();
	if (pid == 0) {
		sigemptyset(&tstp);
		sigaddset(&tstp, SIGTSTP);
		sigprocmask(SIG_BLOCK, &tstp, NULL);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		sigprocmask(SIG_UNBLOCK, &tstp, NULL);
		_exit(5);
	}
	CHECK(read(ready[0], &c, 1) == 1, "child ready");
	kill(pid, SIGTSTP);
	kill(pid, SIGCONT);
	write(go[1], "g", 1);
	status = wait_status(pid, WUNTRACED);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "SIGCONT dropped the SIGTSTP: %#x",
	      status);
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

static void check_nocldstop(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDSTOP };
	sigset_t pending;
	pid_t pid;
	int status;

	drain_sigchld();
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork_or_die();
	if (pid == 0)
		pause_forever();
	kill(pid, SIGSTOP);
	status = wait_status(pid, WUNTRACED);
	CHECK(WIFSTOPPED(status), "stopped: %#x", status);
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIGCHLD), "SA_NOCLDSTOP: no SIGCHLD for a stop");
	kill(pid, SIGKILL);
	wait_status(pid, 0);
	sa.sa_flags = 0;
	sigaction(SIGCHLD, &sa, NULL);
}

static volatile unsigned long spins;

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		__atomic_add_fetch(&spins, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* A child with a spinning thread: stopped, continued, then ends normally. */
static void check_threads_stop(void)
{
	pid_t pid = fork_or_die();
	pthread_t t;
	int status;

	if (pid == 0) {
		pthread_create(&t, NULL, spinner, NULL);
		pause_forever();
	}
	kill(pid, SIGSTOP);
	status = wait_status(pid, WUNTRACED);
	CHECK(WIFSTOPPED(status), "threaded child stopped: %#x", status);
	kill(pid, SIGCONT);
	status = wait_status(pid, WCONTINUED);
	CHECK(WIFCONTINUED(status), "threaded child continued: %#x", status);
	kill(pid, SIGTERM);
	status = wait_status(pid, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "threaded child ends: %#x",
	      status);
}

int main(void)
{
	sigset_t chld;

	utest_start("sig_jobctl");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	check_stop_and_continue();
	check_sigtimedwait_woken_by_child();
	check_continued_report_and_kill();
	check_read_restarts();
	check_cont_discards_stop();
	check_nocldstop();
	check_threads_stop();
	return utest_finish();
}
