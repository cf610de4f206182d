// SPDX-License-Identifier: GPL-2.0
/*
 * exec_chain: the program execs itself N times (argv[1] counts down, the
 * environment carries a marker through), then checks execve's error codes;
 * after each failure the old image must still be running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utest.h"

#define CHAIN_LENGTH 20

static int exec_errno(const char *path, char *const argv[], char *const envp[])
{
	errno = 0;
	execve(path, argv, envp);
	return errno;
}

/* An executable file that is no ELF program: "#!" scripts are not supported either. */
static const char *make_text_program(void)
{
	static const char path[] = "/tmp/exec_chain_text";
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0755);

	CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
	CHECK(write(fd, "not a program\n", 14) == 14, "write %s", path);
	close(fd);
	return path;
}

/* Runs until exec ends it: exec must take the other threads down. */
static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		sched_yield();
	return NULL;
}

static char *thread_argv[3];
static char *thread_envp[3];

static void *next_argv_for_thread(char *self, char *count, char *fds)
{
	thread_argv[0] = self;
	thread_argv[1] = count;
	thread_envp[0] = "CHAIN_MARKER=kept";
	thread_envp[1] = fds;
	return NULL;
}

static void *exec_from_thread(void *arg)
{
	(void)arg;
	execve(thread_argv[0], thread_argv, thread_envp);
	printf("exec_chain: FAIL execve from a thread: %s\n", strerror(errno));
	exit(1);
}

/* Bad user pointers the compiler cannot see through. */
static char *volatile bad_pointer = (char *)8;

static void check_error_codes(const char *self)
{
	char *argv[] = { (char *)self, NULL };
	char *envp[] = { NULL };
	static char big[200 * 1024];
	char *big_argv[] = { (char *)self, big, NULL };
	int err;

	CHECK(exec_errno("/no/such/program", argv, envp) == ENOENT, "missing file");
	err = exec_errno("/etc/passwd", argv, envp);
	CHECK(err == EACCES, "file without x bits: %s", strerror(err));
	err = exec_errno("/etc", argv, envp);
	CHECK(err == EACCES, "directory: %s", strerror(err));
	err = exec_errno(make_text_program(), argv, envp);
	CHECK(err == ENOEXEC, "executable text file: %s", strerror(err));
	CHECK(exec_errno("", argv, envp) == ENOENT, "empty path");
	CHECK(exec_errno(bad_pointer, argv, envp) == EFAULT, "bad path pointer");
	CHECK(exec_errno(self, (char **)bad_pointer, envp) == EFAULT, "bad argv pointer");
	memset(big, 'x', sizeof(big) - 1);
	CHECK(exec_errno(self, big_argv, envp) == E2BIG, "200 KiB argument");
	CHECK(syscall(SYS_execveat, AT_FDCWD, self, argv, envp, 0x8000) == -1 && errno == EINVAL,
	      "execveat bad flags");
}

/* The fds opened before the first exec: the O_CLOEXEC one must be gone. */
static void check_close_on_exec(void)
{
	const char *fds = getenv("CHAIN_FDS");
	int keep = -1, gone = -1;

	CHECK(fds && sscanf(fds, "%d,%d", &keep, &gone) == 2, "CHAIN_FDS %s", fds ? fds : "-");
	CHECK(fcntl(keep, F_GETFD) == 0, "fd %d without O_CLOEXEC was closed", keep);
	CHECK(fcntl(gone, F_GETFD) == -1 && errno == EBADF, "O_CLOEXEC fd %d survived", gone);
}

int main(int argc, char **argv)
{
	const char *marker = getenv("CHAIN_MARKER");
	static char fds_env[64];
	char count[16];
	int left = argc > 1 ? atoi(argv[1]) : CHAIN_LENGTH;

	if (argc > 1 && (!marker || strcmp(marker, "kept") != 0)) {
		printf("exec_chain: FAIL environment lost at %d\n", left);
		return 1;
	}
	if (left > 0) {
		char *next_argv[] = { argv[0], count, NULL };
		char *envp[] = { "CHAIN_MARKER=kept", fds_env, NULL };

		if (argc == 1) {	/* the first link: open the fds the last one checks */
			pthread_t t;

			snprintf(fds_env, sizeof(fds_env), "CHAIN_FDS=%d,%d",
				 open("/etc/passwd", O_RDONLY), open("/etc/group", O_RDONLY | O_CLOEXEC));
			pthread_create(&t, NULL, spinner, NULL);	/* exec with two threads */
		} else if (left % 5 == 0) {
			pthread_t t;	/* and now and then from a thread that is not the leader */

			snprintf(fds_env, sizeof(fds_env), "CHAIN_FDS=%s", getenv("CHAIN_FDS"));
			snprintf(count, sizeof(count), "%d", left - 1);
			pthread_create(&t, NULL, exec_from_thread, next_argv_for_thread(argv[0], count,
											 fds_env));
			pthread_join(t, NULL);
			return 1;	/* not reached: the exec ended this thread */
		} else
			snprintf(fds_env, sizeof(fds_env), "CHAIN_FDS=%s", getenv("CHAIN_FDS"));
		snprintf(count, sizeof(count), "%d", left - 1);
		execve(argv[0], next_argv, envp);
		printf("exec_chain: FAIL execve %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	utest_start("exec_chain");
	CHECK(argc == 2, "reached the end with argc %d", argc);
	check_close_on_exec();
	check_error_codes(argv[0]);
	printf("exec_chain: %d execs, then the error codes\n", CHAIN_LENGTH);
	return utest_finish();
}
