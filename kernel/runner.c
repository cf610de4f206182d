// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-time program runner: `mosaic.run=/a;/b` runs each program in
 * turn with the words of `mosaic.args="..."` as arguments, and reports
 *
 *     mosaic: /a exited with status 0
 *     mosaic: /b killed by signal 11
 *     mosaic: exit status 139          (the last program; 128 + signal if killed)
 *
 * scripts/mosaic-run and scripts/run-user-tests read these lines.
 * Programs joined by '&' (`mosaic.run=/a&/b;/c`) run at the same time, each
 * reported when it ends, before the next ';' group starts: on a cluster each
 * gets its own home memory node (the node failure test).
 *
 * Without mosaic.run=, the kernel starts init instead: /init from the
 * initramfs (usr/init/init.c) or the program `mosaic.init=PATH` names,
 * with mosaic.args= as its arguments; when init ends the machine powers
 * off (success if its status was 0).
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/panic.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/rpc.h>
#include <mosaic/runner.h>
#include <mosaic/string.h>

#define RUN_MAX_ARGS 64
#define RUN_WORD_MAX 256

static const char *run_list;
static const char *run_args;
static const char *init_path;

KERNEL_PARAM("mosaic.run", param_set_string, &run_list,
	     "/path[;/path...]: static programs to run at boot, in order ('&' joins ones run together)");
KERNEL_PARAM("mosaic.args", param_set_string, &run_args,
	     "\"word ...\": arguments given to each program of mosaic.run (or to init)");
KERNEL_PARAM("mosaic.init", param_set_string, &init_path,
	     "PATH: the first program when mosaic.run= is not given (default /init)");

static const char *const run_envp[] = { "HOME=/", "PATH=/bin:/glibc:/musl", "TERM=linux", NULL };

bool runner_requested(void)
{
	return run_list && *run_list;
}

/* Copy the next sep-separated word of *s into word; false at the end. */
static bool next_word(const char **s, char sep, char *word, size_t size)
{
	size_t n = 0;

	while (**s == sep)
		(*s)++;
	if (!**s)
		return false;
	for (; **s && **s != sep; (*s)++)
		if (n + 1 < size)
			word[n++] = **s;
	word[n] = '\0';
	return true;
}

/* Split mosaic.args into argv[1..]; argv[0] is the program. Returns argc. */
static int build_argv(const char *path, char words[][RUN_WORD_MAX], const char **argv)
{
	const char *s = run_args ? run_args : "";
	int argc = 0;

	argv[argc++] = path;
	while (argc < RUN_MAX_ARGS && next_word(&s, ' ', words[argc], RUN_WORD_MAX)) {
		argv[argc] = words[argc];
		argc++;
	}
	argv[argc] = NULL;
	return argc;
}

#define RUN_MAX_TOGETHER 8

static struct process *run_start(const char *path)
{
	static char words[RUN_MAX_ARGS][RUN_WORD_MAX];
	const char *argv[RUN_MAX_ARGS + 1];
	struct process *proc;

	build_argv(path, words, argv);	/* process_spawn copies argv */
	proc = process_spawn(path, argv, run_envp);
	if (IS_ERR(proc))
		pr_err("mosaic: cannot start %s: error %ld\n", path, (long)proc);
	return proc;
}

/* Wait for proc (an ERR_PTR: it never started), report it, return its exit code. */
static int run_finish(const char *path, struct process *proc)
{
	int status = W_EXITCODE(127);

	if (!IS_ERR(proc)) {
		status = process_wait(proc);
		process_put(proc);
	}
	if (pcache_check_invariants(path))
		panic("pcache: invariants broken after %s", path);
	if (wifsignaled(status))
		pr_info("mosaic: %s killed by signal %d\n", path, wtermsig(status));
	else
		pr_info("mosaic: %s exited with status %d\n", path, wexitstatus(status));
	return wifsignaled(status) ? 128 + wtermsig(status) : wexitstatus(status);
}

/* Start every '&'-joined program of group, then wait for each. Returns the last's code. */
static int run_group(const char *group)
{
	static char paths[RUN_MAX_TOGETHER][RUN_WORD_MAX];
	struct process *procs[RUN_MAX_TOGETHER];
	int n = 0, code = 0;

	while (n < RUN_MAX_TOGETHER && next_word(&group, '&', paths[n], RUN_WORD_MAX)) {
		procs[n] = run_start(paths[n]);
		n++;
	}
	if (*group)
		pr_warn("mosaic: more than %d programs joined by '&': the rest is ignored\n",
			RUN_MAX_TOGETHER);
	for (int i = 0; i < n; i++)
		code = run_finish(paths[i], procs[i]);
	return code;
}

int runner_run_all(void)
{
	const char *s = run_list;
	char group[RUN_WORD_MAX * 2];
	int code = 0;

	while (next_word(&s, ';', group, sizeof(group)))
		code = run_group(group);
	pcache_print_report();
	eth_transport_print_counters("shutdown");
	pr_info("mosaic: exit status %d\n", code);
	return code;
}

int runner_run_init(void)
{
	static char words[RUN_MAX_ARGS][RUN_WORD_MAX];
	const char *path = init_path && *init_path ? init_path : "/init";
	const char *argv[RUN_MAX_ARGS + 1];
	struct process *proc;
	int status;

	if (!fs_path_is_file(path)) {
		pr_err("mosaic: no init: %s is not a file (give one with mosaic.init=PATH "
		       "or run programs with mosaic.run=)\n", path);
		return -1;
	}
	build_argv(path, words, argv);
	proc = process_spawn(path, argv, run_envp);
	if (IS_ERR(proc)) {
		pr_err("mosaic: cannot start init %s: error %ld\n", path, PTR_ERR(proc));
		return -1;
	}
	status = process_wait(proc);
	process_put(proc);
	if (wifsignaled(status))
		pr_info("mosaic: init %s killed by signal %d\n", path, wtermsig(status));
	else
		pr_info("mosaic: init %s exited with status %d\n", path, wexitstatus(status));
	return wifsignaled(status) ? 128 + wtermsig(status) : wexitstatus(status);
}
