// SPDX-License-Identifier: GPL-2.0
/*
 * execveat_fd: execveat(fd, "", argv, envp, AT_EMPTY_PATH) and fexecve()
 * run the program an open fd names. The program re-runs itself: first by
 * the raw system call, then through the libc's fexecve(); the last stage
 * checks the error codes (a bad fd, a directory fd, bad flags, "" without
 * AT_EMPTY_PATH).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utest.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

static char *self_path;

static long raw_execveat(int dirfd, const char *path, char *const argv[], char *const envp[],
			 int flags)
{
	return syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

static int open_self(void)
{
	int fd = open(self_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		utest_die("open %s: %s", self_path, strerror(errno));
	return fd;
}

/* Stage "start": the raw call with AT_EMPTY_PATH runs stage "raw". */
static void run_raw_stage(void)
{
	char *argv[] = { self_path, "raw", NULL };
	char *envp[] = { "EXECVEAT_MARKER=raw", NULL };

	raw_execveat(open_self(), "", argv, envp, AT_EMPTY_PATH);
	utest_die("execveat(fd, \"\", AT_EMPTY_PATH): %s", strerror(errno));
}

/* Stage "raw": fexecve runs stage "checks". */
static void run_fexecve_stage(void)
{
	char *argv[] = { self_path, "checks", NULL };
	char *envp[] = { "EXECVEAT_MARKER=fexecve", NULL };
	const char *marker = getenv("EXECVEAT_MARKER");

	CHECK(marker && !strcmp(marker, "raw"), "environment through execveat: %s",
	      marker ? marker : "(none)");
	fexecve(open_self(), argv, envp);
	utest_die("fexecve: %s", strerror(errno));
}

static int execveat_errno(int dirfd, const char *path, int flags)
{
	char *argv[] = { self_path, "never", NULL };

	errno = 0;
	raw_execveat(dirfd, path, argv, NULL, flags);
	return errno;
}

/* Stage "checks": the failures, each leaving this image running. */
static void check_errors(void)
{
	const char *marker = getenv("EXECVEAT_MARKER");
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	int fd = open_self();

	CHECK(marker && !strcmp(marker, "fexecve"), "environment through fexecve: %s",
	      marker ? marker : "(none)");
	CHECK(execveat_errno(987, "", AT_EMPTY_PATH) == EBADF, "a closed fd: EBADF");
	CHECK(execveat_errno(dir, "", AT_EMPTY_PATH) == EACCES, "a directory fd: EACCES");
	CHECK(execveat_errno(fd, "", 0) == ENOENT, "\"\" without AT_EMPTY_PATH: ENOENT");
	CHECK(execveat_errno(fd, "", 0x4) == EINVAL, "unknown flags: EINVAL");
	close(dir);
	close(fd);
}

int main(int argc, char **argv)
{
	utest_start("execveat_fd");
	self_path = argv[0];
	if (argc < 2)
		run_raw_stage();
	else if (!strcmp(argv[1], "raw"))
		run_fexecve_stage();
	else
		check_errors();
	return utest_finish();
}
