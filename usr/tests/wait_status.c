// SPDX-License-Identifier: GPL-2.0
/*
 * wait_status: wait4 and waitid on children made with clone(CLONE_VM) (no
 * fork needed): exit codes, a child killed by SIGSEGV, WNOHANG while a
 * child runs, waitid's siginfo, wait by process group, __WCLONE/__WALL for
 * a child with no exit signal, ECHILD and EINVAL, and SIGCHLD reaching a
 * handler when a child ends; an orphan goes to init (getppid 1) and is
 * no longer the grandparent's to wait for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define STACK_SIZE (64 * 1024)

static volatile int release_child;

static int exit_with_arg(void *arg)
{
	syscall(SYS_exit_group, (int)(long)arg);
	return 0;
}

static int wait_then_exit(void *arg)
{
	while (!release_child)
		;
	syscall(SYS_exit_group, (int)(long)arg);
	return 0;
}

static int *volatile bad_pointer = (int *)16;

static int segfault(void *arg)
{
	(void)arg;
	*bad_pointer = 1;
	return 0;
}

static pid_t start_child(int (*fn)(void *), long arg, int exit_signal)
{
	char *stack = malloc(STACK_SIZE);	/* leaked: the child may still run on it */

	return clone(fn, stack + STACK_SIZE, CLONE_VM | exit_signal, (void *)arg);
}

static void check_exit_and_signal(void)
{
	int status = 0;
	pid_t pid = start_child(exit_with_arg, 5, SIGCHLD);

	CHECK(pid > 0, "clone: %s", strerror(errno));
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid exit child");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "status %#x, want exit 5", status);
	pid = start_child(segfault, 0, SIGCHLD);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid segv child");
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "status %#x, want SIGSEGV",
	      status);
}

static void check_wnohang_and_waitid(void)
{
	siginfo_t info;
	pid_t pid;

	release_child = 0;
	pid = start_child(wait_then_exit, 9, SIGCHLD);
	CHECK(waitpid(pid, NULL, WNOHANG) == 0, "WNOHANG on a running child");
	memset(&info, 0xff, sizeof(info));
	CHECK(waitid(P_PID, pid, &info, WEXITED | WNOHANG) == 0 && info.si_pid == 0,
	      "waitid WNOHANG: si_pid %d", info.si_pid);
	release_child = 1;
	CHECK(waitid(P_PID, pid, &info, WEXITED) == 0, "waitid: %s", strerror(errno));
	CHECK(info.si_signo == SIGCHLD && info.si_pid == pid && info.si_code == CLD_EXITED &&
	      info.si_status == 9, "siginfo signo %d pid %d code %d status %d", info.si_signo,
	      info.si_pid, info.si_code, info.si_status);
}

static void check_groups_and_clone_children(void)
{
	int status = 0;
	pid_t pid = start_child(exit_with_arg, 6, SIGCHLD);

	CHECK(waitpid(0, &status, 0) == pid && WEXITSTATUS(status) == 6, "wait by own group");
	pid = start_child(exit_with_arg, 7, SIGCHLD);
	CHECK(waitpid(-getpgrp(), &status, 0) == pid, "wait by -pgid");
	pid = start_child(exit_with_arg, 8, 0);	/* no exit signal: a "clone" child */
	CHECK(waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD, "plain wait sees it");
	CHECK(waitpid(pid, &status, __WALL) == pid && WEXITSTATUS(status) == 8, "__WALL");
}

static volatile int orphan_ppid, orphan_release;

/* The grandchild: waits until its parent has ended, then reports its ppid. */
static int orphan(void *arg)
{
	(void)arg;
	while (!orphan_release)
		;
	orphan_ppid = (int)syscall(SYS_getppid);
	syscall(SYS_exit_group, 0);
	return 0;
}

static int orphan_maker(void *arg)
{
	*(volatile pid_t *)arg = start_child(orphan, 0, SIGCHLD);
	syscall(SYS_exit_group, 0);
	return 0;
}

static void check_orphan(void)
{
	volatile pid_t grandchild = 0;
	pid_t child = start_child(orphan_maker, (long)&grandchild, SIGCHLD);

	CHECK(waitpid(child, NULL, 0) == child, "wait for the orphan's parent");
	CHECK(grandchild > 0, "grandchild not started");
	orphan_release = 1;
	for (int i = 0; i < 2000 && !orphan_ppid; i++)
		usleep(1000);
	CHECK(orphan_ppid == 1, "orphan's ppid %d, want 1 (init)", orphan_ppid);
	CHECK(waitpid(grandchild, NULL, WNOHANG) == -1 && errno == ECHILD,
	      "a grandchild is not ours to wait for");
}

static volatile int sigchld_seen;

static void on_sigchld(int sig)
{
	(void)sig;
	sigchld_seen++;
}

static void check_sigchld(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };
	int status = 0;
	pid_t pid;

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	pid = start_child(exit_with_arg, 4, SIGCHLD);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 4, "wait with a handler");
	CHECK(sigchld_seen == 1, "SIGCHLD handler ran %d times", sigchld_seen);
	signal(SIGCHLD, SIG_DFL);
}

int main(void)
{
	siginfo_t info;

	utest_start("wait_status");
	CHECK(waitpid(-1, NULL, 0) == -1 && errno == ECHILD, "no children: ECHILD");
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "WNOHANG, no children");
	CHECK(waitpid(-1, NULL, 0x100000) == -1 && errno == EINVAL, "bad option: EINVAL");
	CHECK(waitid(P_ALL, 0, &info, WNOHANG) == -1 && errno == EINVAL, "waitid without WEXITED");
	CHECK(waitid(P_ALL, 0, &info, WEXITED) == -1 && errno == ECHILD, "waitid: ECHILD");
	check_exit_and_signal();
	check_wnohang_and_waitid();
	check_groups_and_clone_children();
	check_sigchld();
	check_orphan();
	CHECK(waitpid(1, NULL, 0) == -1 && errno == ECHILD, "not our child: ECHILD");
	return utest_finish();
}
