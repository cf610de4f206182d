// SPDX-License-Identifier: GPL-2.0
/*
 * sig_child: signals between processes. A child pauses; the parent kills
 * it with SIGTERM and wait() reports WIFSIGNALED with WTERMSIG 15; SIGCHLD
 * reaches the parent's handler with si_pid = the child. Without fork
 * (ENOSYS: the process lifecycle is not built yet) it says so and passes.
 * Exits 0 when every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

static volatile int chld_pid;

static void on_chld(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)uc;
	chld_pid = info->si_pid;
}

int main(void)
{
	struct sigaction sa;
	int status = 0;
	pid_t pid;

	utest_start("sig_child");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid < 0 && errno == ENOSYS) {
		printf("sig_child: SKIP: fork is not implemented (ENOSYS)\n");
		return utest_finish();
	}
	if (pid < 0)
		utest_die("fork: %s", strerror(errno));
	if (pid == 0) {
		for (;;)
			pause();
	}
	usleep(20000);
	CHECK(kill(pid, SIGTERM) == 0, "kill(child): %s", strerror(errno));
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status %#x", status);
	for (int i = 0; i < 100 && chld_pid != pid; i++)
		usleep(1000);
	CHECK(chld_pid == pid, "SIGCHLD si_pid %d, want %d", chld_pid, pid);
	return utest_finish();
}
