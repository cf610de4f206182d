// SPDX-License-Identifier: GPL-2.0
/*
 * proc_pid: /proc/PID for the caller and for a child. /proc/self links to
 * the caller's pid and /proc/self/exe to the program; /proc lists both
 * pids; a child's stat, status, cmdline and comm say what it is, its state
 * reads T while stopped; another process's maps is refused (EACCES), a
 * missing pid is ENOENT.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

/* The whole of a /proc file (NUL-terminated), or "" when it cannot be read. */
static const char *slurp(const char *fmt, int pid)
{
	static char text[4096];
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), fmt, pid);
	fd = open(path, O_RDONLY);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	text[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return text;
}

/* The state letter (field 3) of /proc/PID/stat. */
static char proc_state(int pid)
{
	const char *paren = strrchr(slurp("/proc/%d/stat", pid), ')');

	return paren && paren[1] == ' ' ? paren[2] : '?';
}

static bool proc_lists(int pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char want[16];
	bool found = false;

	snprintf(want, sizeof(want), "%d", pid);
	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, want) && e->d_type == DT_DIR;
	if (d)
		closedir(d);
	return found;
}

static void check_self(const char *argv0)
{
	char link[256];
	ssize_t n;

	n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK(n > 0 && atoi(link) == getpid(), "/proc/self -> %s, pid %d", link, getpid());
	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK(n > 0 && !strcmp(link, argv0), "/proc/self/exe -> %s, want %s", link, argv0);
	CHECK(proc_lists(getpid()), "/proc lists the caller");
	CHECK(strstr(slurp("/proc/%d/status", getpid()), "Name:\tproc_pid\n") != NULL,
	      "status Name: %s", slurp("/proc/%d/status", getpid()));
	CHECK(open("/proc/999999/stat", O_RDONLY) < 0 && errno == ENOENT, "missing pid: ENOENT");
}

static void check_child(pid_t child)
{
	char want[64];
	const char *text;
	int status;

	CHECK(proc_lists(child), "/proc lists the child");
	text = slurp("/proc/%d/stat", child);
	snprintf(want, sizeof(want), "%d (proc_pid) ", child);
	CHECK(!strncmp(text, want, strlen(want)), "stat starts \"%s\": %s", want, text);
	snprintf(want, sizeof(want), "PPid:\t%d\n", getpid());
	CHECK(strstr(slurp("/proc/%d/status", child), want) != NULL, "status %s", want);
	CHECK(!memcmp(slurp("/proc/%d/cmdline", child), "proc_pid-child", 15),
	      "cmdline of the child: %s", slurp("/proc/%d/cmdline", child));
	CHECK(!strcmp(slurp("/proc/%d/comm", child), "proc_pid\n"), "comm");
	snprintf(want, sizeof(want), "/proc/%d/maps", child);
	CHECK(open(want, O_RDONLY) < 0 && errno == EACCES, "another's maps: EACCES");
	kill(child, SIGSTOP);
	waitpid(child, &status, WUNTRACED);
	CHECK(proc_state(child) == 'T', "stopped child's state %c", proc_state(child));
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	CHECK(!proc_lists(child), "a reaped child is gone from /proc");
}

int main(int argc, char **argv)
{
	char *child_argv[] = { "proc_pid-child", "x", NULL };
	pid_t child;

	if (argc > 1) {
		for (;;)
			pause();
	}
	utest_start("proc_pid");
	check_self(argv[0]);
	child = fork();
	if (child < 0)
		utest_die("fork: %s", strerror(errno));
	if (child == 0) {
		execv(argv[0], child_argv);
		_exit(127);
	}
	while (strcmp(slurp("/proc/%d/cmdline", child), "proc_pid-child"))
		usleep(1000);	/* until the child has exec'd */
	check_child(child);
	return utest_finish();
}
