// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID: one directory per process (fs/internal.h "/proc/PID").
 *
 *   /proc/PID/stat      one line in Linux's format (ps, top read it)
 *   /proc/PID/status    "Name:", "State:", "Tgid:", "PPid:", "Threads:" ...;
 *                       "VmRSS:" (pcache lines mapped) for the reader's own process
 *   /proc/PID/cmdline   argv as the process was exec'd, NUL-separated
 *   /proc/PID/comm      the program's name
 *   /proc/PID/maps      the vmas (the caller's own process only: -EACCES)
 *   /proc/PID/exe       link to the executable (proc.c reads it)
 *
 * PID is a process's tgid, or "self". A process is found through its
 * leader task (task_find_get): once the leader thread has ended, its
 * process no longer shows. Zombies do not show either. There is no CPU
 * time accounting, so the times read 0.
 *
 * Context: the files are snapshots made at open in process context;
 * target->proc is read as kill() reads it (a task's process lives while
 * the task is hashed), then referenced.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pid.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#include "internal.h"

#define PROC_LIST_MAX 256	/* processes one directory listing sees */

/* "self" or a decimal tgid at the start of s: the tgid, *end past it; 0: neither. */
static int proc_parse_pid(const char *s, const char **end)
{
	long tgid = 0;

	if (!strncmp(s, "self", 4)) {
		*end = s + 4;
		return current_task() ? current_task()->tgid : 0;
	}
	for (*end = s; **end >= '0' && **end <= '9' && tgid < INT_MAX / 10; (*end)++)
		tgid = tgid * 10 + (**end - '0');
	return *end > s && tgid <= INT_MAX ? (int)tgid : 0;
}

static const char *basename_of(const char *path)
{
	const char *base = path;

	for (; (path = strchr(path, '/')); path++)
		base = path + 1;
	return base;
}

int proc_pid_get(const char *path, struct proc_target *target, const char **rest)
{
	struct process *proc;
	struct task *t;
	int tgid;

	if (strncmp(path, "/proc/", 6))
		return -ENOENT;
	tgid = proc_parse_pid(path + 6, rest);
	if (!tgid || (**rest && **rest != '/'))
		return -ENOENT;
	t = task_find_get(tgid);
	proc = t ? READ_ONCE(t->proc) : NULL;
	if (!proc || t->tgid != tgid || READ_ONCE(proc->state) != PROCESS_LIVE) {
		if (t)
			task_put(t);
		return -ENOENT;
	}
	process_get(proc);
	target->task = t;
	target->proc = proc;
	strlcpy(target->comm, basename_of(proc->exe), sizeof(target->comm));
	return 0;
}

void proc_pid_put(struct proc_target *target)
{
	process_put(target->proc);
	task_put(target->task);
}

/* ---- the files ---- */

/* R: a thread runs or waits to; T: stopped (job control); S: all asleep. */
static char proc_state(struct process *proc)
{
	unsigned long flags;
	struct task *t;
	char state = 'S';

	if (READ_ONCE(proc->stopped))
		return 'T';
	flags = spin_lock_irqsave(&process_tree_lock);
	list_for_each_entry(t, &proc->threads, thread_link)
		if (READ_ONCE(t->state) == TASK_RUNNING)
			state = 'R';
	spin_unlock_irqrestore(&process_tree_lock, flags);
	return state;
}

static const char *proc_state_name(char state)
{
	return state == 'R' ? "R (running)" : state == 'T' ? "T (stopped)" : "S (sleeping)";
}

static int task_pgid(const struct task *t) { return t->pgid ? t->pgid : t->tgid; }
static int task_sid(const struct task *t) { return t->sid ? t->sid : t->tgid; }

/* Fields 1-52 of Linux's /proc/PID/stat; what Mosaic does not count is 0. */
static long stat_show(const struct proc_target *tg, char *buf, size_t size)
{
	const struct task *t = tg->task;

	return snprintf(buf, size,
			"%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 %d 0 0 0 0 "
			"18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 %u 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
			tg->proc->tgid, tg->comm, proc_state(tg->proc), t->ppid, task_pgid(t),
			task_sid(t), READ_ONCE(tg->proc->nr_threads), t->cpu);
}

/*
 * "VmRSS: N kB": the pcache lines the process maps. Only for the reader's
 * own process: another's mm may be freed under us (exit and exec drop it
 * with no lock a reader could take).
 */
static int rss_line(const struct proc_target *tg, char *buf, size_t size)
{
	struct task *self = current_task();

	if (self->proc != tg->proc || !self->mm)
		return 0;
	return snprintf(buf, size, "VmRSS:\t%lu kB\n",
			__atomic_load_n(&self->mm->nr_mapped, __ATOMIC_RELAXED) * (PAGE_SIZE / 1024));
}

static long status_show(const struct proc_target *tg, char *buf, size_t size)
{
	const struct task *t = tg->task;
	int n = snprintf(buf, size,
			 "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
			 "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t%d\n"
			 "SigBlk:\t%016llx\n",
			 tg->comm, t->umask, proc_state_name(proc_state(tg->proc)), tg->proc->tgid,
			 tg->proc->tgid, t->ppid, READ_ONCE(tg->proc->nr_threads),
			 (unsigned long long)t->sig_blocked);

	if (n < 0 || (size_t)n >= size)
		return n;
	return n + rss_line(tg, buf + n, size - n);
}

static long cmdline_show(const struct proc_target *tg, char *buf, size_t size)
{
	size_t n = min((size_t)tg->proc->cmdline_len, size);

	memcpy(buf, tg->proc->cmdline, n);
	return (long)n;
}

static long comm_show(const struct proc_target *tg, char *buf, size_t size)
{
	return snprintf(buf, size, "%s\n", tg->comm);
}

/* Another process's address space may change under us: only one's own. */
static long maps_show_pid(const struct proc_target *tg, char *buf, size_t size)
{
	if (tg->proc != current_process())
		return -EACCES;
	return proc_maps_show(buf, size);
}

static const struct proc_pid_file {
	const char *name;
	long (*show)(const struct proc_target *tg, char *buf, size_t size);
} proc_pid_files[] = {
	{ "stat", stat_show },
	{ "status", status_show },
	{ "cmdline", cmdline_show },
	{ "comm", comm_show },
	{ "maps", maps_show_pid },
};

proc_pid_show_fn proc_pid_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_pid_files); i++)
		if (!strcmp(name, proc_pid_files[i].name))
			return proc_pid_files[i].show;
	return NULL;
}

const char *proc_pid_file_name(size_t index)
{
	return index < ARRAY_SIZE(proc_pid_files) ? proc_pid_files[index].name : NULL;
}

/* ---- listing /proc ---- */

/* A live process's leader (a zombie's last thread may still be hashed for a moment). */
static bool process_leader(const struct task *t, const void *unused)
{
	return t->proc && t->pid == t->tgid && READ_ONCE(t->proc->state) == PROCESS_LIVE;
}

int proc_pid_next(int after)
{
	struct task **leaders = kmalloc(PROC_LIST_MAX * sizeof(*leaders));
	int n, next = 0;

	if (!leaders)
		return -ENOMEM;
	n = tasks_collect(process_leader, NULL, leaders, PROC_LIST_MAX);
	for (int i = 0; i < n; i++) {
		if (leaders[i]->tgid > after && (!next || leaders[i]->tgid < next))
			next = leaders[i]->tgid;
		task_put(leaders[i]);
	}
	kfree(leaders);
	return next;
}
