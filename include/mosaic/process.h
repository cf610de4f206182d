/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes on a processor node (kernel/process.c, kernel/exit.c,
 * managers/processor/exec.c). A process is a thread group sharing one
 * struct mm_struct; its memory lives at its home memory node, which the
 * processor reaches through RPC (exec, mm calls, misses).
 *
 *   proc = process_spawn("/glibc/hello", argv, envp);   // runs it
 *   status = process_wait(proc);                        // wait status, Linux encoding
 *   process_put(proc);
 */
#ifndef _MOSAIC_PROCESS_H
#define _MOSAIC_PROCESS_H

#include <mosaic/signal.h>
#include <mosaic/types.h>
#include <mosaic/wait.h>

#define PROCESS_PATH_MAX 256

struct mm_struct;
struct task;

struct process {
	int tgid;
	int refcount;
	struct mm_struct *mm;
	struct task *leader;
	char exe[PROCESS_PATH_MAX];	/* the path it was started from */
	unsigned long brk;		/* program break as the memory manager last said */
	int wait_status;		/* valid once exited: (code << 8) or the signal */
	struct completion exited;

	/* Signals (include/mosaic/signal.h): actions, and process-directed pending ones. */
	struct sighand *sighand;	/* NULL until first used; CLONE_SIGHAND shares it */
	struct sigpending sig_shared;	/* under sighand->lock */
};

/* Linux wait-status encoding. */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig) ((sig) & 0x7f)
static inline bool wifsignaled(int status) { return (status & 0x7f) != 0; }
static inline int wexitstatus(int status) { return (status >> 8) & 0xff; }
static inline int wtermsig(int status) { return status & 0x7f; }

/*
 * Start path as a new process with argv/envp (NULL-terminated). Returns the
 * process (a reference for the caller) or an ERR_PTR: -ENOMEM, -EAGAIN.
 * Loading errors (-ENOENT, -ENOEXEC, ...) end the process with status 127
 * after a console message naming the cause.
 */
struct process *process_spawn(const char *path, const char *const *argv,
			      const char *const *envp);
/* Wait until proc has exited; returns its wait status. */
int process_wait(struct process *proc);
void process_get(struct process *proc);
void process_put(struct process *proc);

/* The process of the running task (NULL for kernel threads). */
struct process *current_process(void);

/*
 * End the calling process: zap its ptes, free its memory-node address
 * space, report, wake waiters. status is a wait status (W_EXITCODE or
 * W_SIGNALED). Context: the process's own task.
 */
__noreturn void process_exit(int status);

/*
 * Kill the calling process with signal sig after a console line saying
 * why (a user fault the process cannot survive). Context: its own task.
 */
__noreturn void process_kill_self(int sig, const char *why, unsigned long address);

/*
 * Exec glue (managers/processor/exec.c): ask the home memory node to load
 * path into the (empty) address space of the calling process; on success
 * *entry and *sp say where the program starts. 0 or -errno.
 */
int process_exec_image(const char *path, const char *const *argv, const char *const *envp,
		       unsigned long *entry, unsigned long *sp);

/* Print the pcache counters (one line, prefixed with who) to the console. */
void pcache_print_counters(const char *who);

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11

#endif
