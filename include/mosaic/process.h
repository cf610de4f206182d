/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes on a processor node: the tree and spawning (kernel/process.c),
 * clone/fork/vfork (kernel/fork.c), exit (kernel/exit.c), wait4/waitid
 * (kernel/wait.c), execve (kernel/exec.c), futex (kernel/futex.c) and the
 * exec glue (managers/processor/exec.c). A process is a thread group
 * sharing one struct mm_struct; its memory lives at its home memory node,
 * which the processor reaches through RPC (exec, mm calls, misses).
 * Documentation/processes.md tells the whole story.
 *
 *   proc = process_spawn("/glibc/hello", argv, envp);   // runs it
 *   status = process_wait(proc);                        // wait status, Linux encoding
 *   process_put(proc);
 */
#ifndef _MOSAIC_PROCESS_H
#define _MOSAIC_PROCESS_H

#include <mosaic/signal.h>
#include <mosaic/spinlock.h>
#include <mosaic/types.h>
#include <mosaic/wait.h>

#define PROCESS_PATH_MAX 256
#define PROCESS_CMDLINE_MAX 256	/* argv kept for /proc/PID/cmdline (cut there) */

struct mm_struct;
struct task;

enum process_state {
	PROCESS_LIVE,		/* has threads */
	PROCESS_ZOMBIE,		/* every thread ended; waits for its parent's wait */
	PROCESS_REAPED,		/* waited for: out of the tree */
};

/*
 * The tree: every process but init has a parent; when a process ends, its
 * children go to init, which reaps them as soon as they end.
 *
 * Lock rules: process_tree_lock (irqsave; inside it only wait-queue and
 * run-queue locks, and the parent's sighand lock and pid_lock when exit
 * posts SIGCHLD) guards parent, children, sibling, state, threads, nr_threads and
 * the group_exit fields. tgid, exe, mm (changed only by the process's own
 * threads: exec) and wait_status (written before state becomes ZOMBIE)
 * are read without it.
 *
 * References: the spawn caller's, one per live thread, and the parent's
 * (from linking until reaped).
 */
struct process {
	int tgid;
	int refcount;
	struct mm_struct *mm;		/* one reference, and one of mm->process_users */
	struct task *leader;
	char exe[PROCESS_PATH_MAX];	/* the path it was started from */
	char cmdline[PROCESS_CMDLINE_MAX];	/* argv, each string NUL-ended (cut) */
	unsigned int cmdline_len;
	unsigned long brk;		/* program break as the memory manager last said */
	int wait_status;		/* valid once exited: (code << 8) or the signal */
	struct completion exited;	/* completed when it becomes a zombie */

	enum process_state state;
	int exit_signal;		/* sent to the parent at the end (SIGCHLD, or 0) */
	struct process *parent;
	struct list_head children;	/* its child processes (sibling links) */
	struct list_head sibling;	/* in parent->children */
	struct list_head threads;	/* its tasks (task->thread_link) */
	int nr_threads;
	int leader_status;		/* the leader's own exit status */
	int exit_pgid;			/* its process group when it ended (wait by pgid) */
	bool group_exit;		/* exit_group or exec: other threads must end */
	int group_exit_status;
	struct task *group_exit_keeper;	/* exec: the one thread that stays */
	struct wait_queue_head child_wait;	/* wait4 sleepers: a child changed state */
	struct wait_queue_head thread_wait;	/* exec: a thread of this process ended */
	struct completion *vfork_done;	/* the vfork parent sleeps on it */
	bool report_counters;		/* print the pcache counters at the end (spawned) */

	/* Signals (include/mosaic/signal.h): actions, and process-directed pending ones. */
	struct sighand *sighand;	/* NULL until first used; CLONE_SIGHAND shares it */
	struct sigpending sig_shared;	/* under sighand->lock */

	/* Job control (kernel/signal_jobctl.c): written under sighand->lock. */
	bool stopped;			/* its threads sleep until SIGCONT or SIGKILL */
	int jobctl_report;		/* W_STOPCODE/W_CONTINUED not yet reported by wait; 0: none */
	bool continue_unannounced;	/* continued, parent not told yet: sender or woken thread tells */
	struct wait_queue_head stop_wait;	/* its stopped threads */
};

/* The reaper at the root of the tree (tgid 1, no threads). */
extern struct process init_process;
extern spinlock_t process_tree_lock;

/* Linux wait-status encoding. */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig) ((sig) & 0x7f)
#define W_STOPCODE(sig) ((((sig) & 0xff) << 8) | 0x7f)
#define W_CONTINUED 0xffff
static inline bool wifstopped(int status) { return (status & 0xff) == 0x7f; }
static inline bool wifcontinued(int status) { return status == W_CONTINUED; }
static inline bool wifsignaled(int status)
{
	return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
}
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
/* Keep argv (NULL-terminated) for /proc/PID/cmdline, cut to PROCESS_CMDLINE_MAX. */
void process_set_cmdline(struct process *proc, const char *const *argv);
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

/*
 * End the calling thread with wait status status; the last thread ends
 * the process as process_exit() does. Context: the thread's own task.
 */
__noreturn void thread_exit(int status);

/*
 * If the calling thread's process is exiting as a group (exit_group, a
 * fatal signal, another thread's exec), end this thread. Called on every
 * return to user mode (exit_to_user_mode) and by interruptible sleeps.
 */
void process_exit_if_killed(void);
/*
 * Ask every thread of proc but current (and keeper, when not NULL) to end;
 * the process's status becomes status. True when this call started the
 * group exit, false when one was under way (its status stands): a killer
 * reports the kill only when it was first. Context: none held.
 */
bool process_start_group_exit(struct process *proc, int status, struct task *keeper);
/* Wake the vfork parent of proc, if it still waits (exec or exit). */
void process_vfork_release(struct process *proc);
/* Zap every pte of mm and free its space at the memory node (exit, exec). */
void mm_release_space(struct mm_struct *mm);

/*
 * Processor role: kill (SIGBUS) the processes homed on a memory node that
 * the RPC core declares down (managers/processor/node_failure.c).
 */
void memory_node_failure_init(void);
/*
 * Kill proc (SIGBUS, uncatchable) because its memory node was lost: err
 * -ECONNRESET (restarted) or another transport error (not answering). One console line
 * names the node and the process; a process already exiting is left alone.
 */
void memory_node_kill_process(struct process *proc, int node, long err);
/*
 * The memory node did not take mm's dirty page at addr back (err: -ENOMEM
 * when it has no page for it, a transport error when it is lost): the data
 * is gone, so every process using mm is killed (SIGKILL; SIGBUS as above
 * for a lost node) with one console line each. Context: may sleep; no
 * spinlock held.
 */
void memory_node_refused_data(struct mm_struct *mm, unsigned long addr, long err);
/*
 * Make mm proc's address space (taking a reference and a process use), or
 * drop it: the last process to drop a shared (CLONE_VM) space frees it.
 */
void process_set_mm(struct process *proc, struct mm_struct *mm);
void process_drop_mm(struct process *proc);
/* True when current's process is ending as a group: sleeps should stop. */
bool process_group_exiting(void);

/*
 * Tree helpers for fork/exit/wait (kernel/process.c). Context: none held.
 */
struct process *process_alloc(void);
void process_link_child(struct process *parent, struct process *child);
void process_unlink_child(struct process *child);
void process_add_thread(struct process *proc, struct task *t);
/* Load mm as self's address space (taking a reference), or drop it (self is current). */
void attach_mm(struct task *self, struct mm_struct *mm);
void detach_mm(struct task *self, struct mm_struct *mm);

/* FUTEX_WAKE one waiter on the word at uaddr of mm (kernel/futex.c). */
int futex_wake_word(struct mm_struct *mm, unsigned long uaddr, int nr);

/*
 * Task limit (kernel/task_limit.c): every task clone creates is charged
 * first; -EAGAIN past max_tasks or the parent's RLIMIT_NPROC. A charged
 * task carries TASK_LIMIT_CHARGED and is uncharged when it is freed.
 */
int task_limit_charge(const struct task *parent);
void task_limit_uncharge(void);
unsigned long task_limit_count(void);
unsigned long task_limit_max(void);
void task_limit_init(void);	/* registers /proc/tasks */

/* Print the pcache counters (one line, prefixed with who) to the console. */
void pcache_print_counters(const char *who);

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGCHLD 17

#endif
