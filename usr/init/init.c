// SPDX-License-Identifier: GPL-2.0
/*
 * /init: the first user program when the kernel is given no mosaic.run=.
 *
 *   /init                 run /etc/rc with /bin/sh and wait for it, then
 *                         an interactive login shell on the console; init
 *                         ends when that shell does (the kernel powers off)
 *   /init --exec-shell    replace init by the interactive shell at once
 *   /init --rc FILE       run FILE instead of /etc/rc first
 *
 * While it waits, init also reaps orphans the kernel re-parents to it.
 * Without fork (a kernel that has none yet), it says so and execs the
 * shell directly, skipping /etc/rc.
 *
 * Static, built for glibc like usr/tests (usr/Makefile.usr).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define DEFAULT_RC "/etc/rc"

static char *const init_envp[] = {
	"HOME=/", "PATH=/bin", "TERM=linux", "SHELL=" SHELL, "USER=root", NULL,
};

static void say(const char *fmt, const char *what, int err)
{
	fprintf(stderr, "init: ");
	fprintf(stderr, fmt, what);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

/* Become an interactive login shell ("-sh": it reads /etc/profile). */
static void exec_shell(void)
{
	char *const argv[] = { "-sh", NULL };

	execve(SHELL, argv, init_envp);
	say("cannot exec %s", SHELL, errno);
	exit(127);
}

/* Wait for pid, reaping any other child that ends first: its wait status. */
static int wait_for(pid_t pid)
{
	int status;
	pid_t got;

	do {
		got = waitpid(-1, &status, 0);
	} while (got != pid && (got > 0 || errno == EINTR));
	return got == pid ? status : -1;
}

/* Start path with argv in a child; its wait status, or -1 when fork failed. */
static int run(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid < 0) {
		say("cannot fork to run %s", path, errno);
		return -1;
	}
	if (pid == 0) {
		execve(path, argv, init_envp);
		say("cannot exec %s", path, errno);
		_exit(127);
	}
	return wait_for(pid);
}

static void report(const char *what, int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr, "init: %s killed by signal %d\n", what, WTERMSIG(status));
	else if (WEXITSTATUS(status))
		fprintf(stderr, "init: %s exited with status %d\n", what, WEXITSTATUS(status));
}

/* /etc/rc (or rc) through the shell: false when fork is missing. */
static int run_rc(const char *rc)
{
	char *const argv[] = { SHELL, (char *)rc, NULL };
	int status;

	if (access(rc, R_OK)) {
		say("no %s, nothing to run first", rc, 0);
		return 1;
	}
	status = run(SHELL, argv);
	if (status == -1)
		return 0;
	report(rc, status);
	return 1;
}

/*
 * The interactive shell; when it exits, init ends with its status and the
 * kernel powers the machine off (so "exit" at the prompt stops Mosaic).
 */
static int interactive_shell(void)
{
	char *const argv[] = { "-sh", NULL };
	int status = run(SHELL, argv);

	if (status == -1)
		exec_shell();
	report(SHELL, status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	const char *rc = DEFAULT_RC;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--exec-shell"))
			exec_shell();
		else if (!strcmp(argv[i], "--rc") && i + 1 < argc)
			rc = argv[++i];
		else
			say("unknown argument %s (want --exec-shell or --rc FILE)", argv[i], 0);
	}
	if (!run_rc(rc)) {
		say("no fork on this kernel: %s skipped, the shell replaces init", rc, 0);
		exec_shell();
	}
	return interactive_shell();
}
