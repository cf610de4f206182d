// SPDX-License-Identifier: GPL-2.0
/*
 * vfork_exec: vfork + execve of another test program (hello from the same
 * libc directory), vfork + _exit with a code, and vfork + a failing execve
 * (the child sees ENOENT and exits; the parent sleeps until then).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

/* "/glibc/vfork_exec" -> "/glibc/hello" */
static void sibling_path(const char *self, const char *name, char *out, size_t size)
{
	const char *slash = strrchr(self, '/');
	int dir_len = slash ? (int)(slash - self) : 0;

	snprintf(out, size, "%.*s/%s", dir_len, self, name);
}

static int wait_exit_code(pid_t pid)
{
	int status = -1;

	CHECK(waitpid(pid, &status, 0) == pid, "waitpid %d: %s", pid, strerror(errno));
	CHECK(WIFEXITED(status), "child %d status %#x not an exit", pid, status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	char hello[256];
	char *child_argv[] = { hello, NULL };
	char *envp[] = { NULL };
	volatile int shared = 0;
	pid_t pid;

	(void)argc;
	utest_start("vfork_exec");
	sibling_path(argv[0], "hello", hello, sizeof(hello));
	pid = vfork();
	if (pid == 0) {
		execve(hello, child_argv, envp);
		_exit(127);
	}
	CHECK(pid > 0, "vfork: %s", strerror(errno));
	CHECK(wait_exit_code(pid) == 0, "%s did not exit 0", hello);

	pid = vfork();
	if (pid == 0) {
		shared = 1;	/* the parent sees it: same memory, and it slept */
		_exit(42);
	}
	CHECK(shared == 1, "vfork child's store not seen");
	CHECK(wait_exit_code(pid) == 42, "vfork + _exit(42)");

	pid = vfork();
	if (pid == 0) {
		execve("/no/such/program", child_argv, envp);
		_exit(errno == ENOENT ? 3 : 4);
	}
	CHECK(wait_exit_code(pid) == 3, "vfork + failing execve");
	return utest_finish();
}
