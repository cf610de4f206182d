// SPDX-License-Identifier: GPL-2.0
/*
 * elf_corpus: execve() of every file of the malformed-ELF corpus
 * (/corpus/elf, made by usr/corpus/make-elf-corpus.py) must fail with the
 * errno its "expected" list names, and the control copy must run; after
 * them all, a fork and an exec of a good program still work.
 *
 * A child execs the case; a failed exec writes its errno into a close-on-
 * exec pipe, a successful one closes the pipe (EOF) and the program's exit
 * status is checked instead. The errors are Mosaic's: Linux maps some of
 * these images and lets them crash later, so off Mosaic nothing is run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "utest.h"

#define CORPUS "/corpus/elf"
#define EXEC_OK -1	/* what run_case() returns when the exec succeeded */

/* exec path in a child: its errno, or EXEC_OK (then *status: its wait code). */
static int run_case(const char *path, int *status)
{
	char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };
	int fds[2], err = 0;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		utest_die("pipe2: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		utest_die("fork: %s", strerror(errno));
	if (pid == 0) {
		execve(path, argv, envp);
		err = errno;
		(void)!write(fds[1], &err, sizeof(err));
		_exit(127);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = EXEC_OK;
	close(fds[0]);
	*status = utest_wait_code(pid);
	return err;
}

static void check_case(const char *name, int want)
{
	char path[256];
	int status, got;

	snprintf(path, sizeof(path), CORPUS "/%s", name);
	got = run_case(path, &status);
	if (want == 0)
		CHECK(got == EXEC_OK && status == 0, "%s: exec gave %d, status %d (want a run, 0)",
		      name, got, status);
	else
		CHECK(got == want, "%s: errno %d (%s), want %d (%s)", name, got,
		      got == EXEC_OK ? "it ran" : strerror(got), want, strerror(want));
	printf("elf_corpus: %-22s %s\n", name,
	       got == EXEC_OK ? "ran" : strerror(got));
}

int main(void)
{
	FILE *list = fopen(CORPUS "/expected", "r");
	char name[128];
	int want, status, cases = 0;

	utest_start("elf_corpus");
	if (utest_pcache_bytes() == 0) {
		printf("elf_corpus: not Mosaic (no /proc/pcache): nothing run\n");
		return utest_finish();
	}
	if (!list)
		utest_die("no %s/expected: %s", CORPUS, strerror(errno));
	while (fscanf(list, "%127s %d", name, &want) == 2) {
		check_case(name, want);
		cases++;
	}
	fclose(list);
	CHECK(cases >= 20, "only %d cases in the corpus", cases);
	CHECK(run_case(CORPUS "/control", &status) == EXEC_OK && status == 0,
	      "a good program no longer runs after the corpus");
	return utest_finish();
}
