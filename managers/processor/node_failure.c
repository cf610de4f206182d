// SPDX-License-Identifier: GPL-2.0
/*
 * What a processor does when one of its memory nodes is lost: every process
 * homed there (mm->home_node) dies with SIGBUS, since its memory is gone,
 * and the console says which, e.g.
 *
 *     mosaic: memory node 2 is not answering: pid 12 (/glibc/x) killed with SIGBUS
 *
 * The RPC core decides a node is down (rpc_call(), include/mosaic/rpc.h:
 * silent for rpc.timeout_ms, or restarted) and calls memory_node_lost()
 * once. Processes homed on other nodes keep running. A killed process ends
 * like any group exit: its threads leave on their way to user mode, and its
 * exit does not wait for the lost node because every call to it now fails
 * at once with -EHOSTDOWN (dirty lines are dropped, EXIT is not delivered).
 *
 * A fault that finds the node down first (its own call failed) kills its
 * process the same way, with the same line (fault_hook.c).
 *
 * A memory node that is up but refuses a dirty line's write-back (FLUSH:
 * -ENOMEM when it has no page left for it) has lost that data too:
 * memory_node_refused_data() kills every process using the address space
 * with SIGKILL, as an out-of-memory killer would, e.g.
 *
 *     mosaic: memory node 0 has no memory for pid 31 (/musl/x)'s dirty page at 0x40a000 (error -12): killed with SIGKILL
 *
 * Interface: memory_node_failure_init(), memory_node_kill_process(),
 * memory_node_refused_data() (include/mosaic/process.h). Each kill prints
 * its line only if it started the group exit, so one line per process.
 * Context: memory_node_lost() runs in whichever thread's call found out,
 * possibly holding a pcache line lock; it takes only the pid lock and
 * process_tree_lock, both leaves.
 */
#include <mosaic/errno.h>
#include <mosaic/mm_types.h>
#include <mosaic/pid.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>

#define LOST_BATCH 32	/* processes killed per pass over the pid table */

/* A thread whose address space lives on node (arg), of a live process. Under the pid lock. */
static bool thread_homed_on(const struct task *t, const void *arg)
{
	const struct mm_struct *mm = READ_ONCE(t->mm);

	return t->proc && mm && mm->home_node == *(const int *)arg &&
	       !READ_ONCE(t->proc->group_exit);
}

static const char *loss_reason(long err)
{
	return err == -ECONNRESET ? "restarted and lost its memory" : "is not answering";
}

void memory_node_kill_process(struct process *proc, int node, long err)
{
	if (process_start_group_exit(proc, W_SIGNALED(SIGBUS), NULL))
		pr_err("mosaic: memory node %d %s: pid %d (%s) killed with SIGBUS\n", node,
		       loss_reason(err), proc->tgid, proc->exe);
}

/* A thread of a live process whose address space is mm (arg). Under the pid lock. */
static bool thread_uses_mm(const struct task *t, const void *arg)
{
	return t->proc && READ_ONCE(t->mm) == arg && !READ_ONCE(t->proc->group_exit);
}

static void kill_for_refused_data(struct process *proc, const struct mm_struct *mm,
				  unsigned long addr, long err)
{
	if (rpc_is_transport_error(err)) {
		memory_node_kill_process(proc, mm->home_node, err);
		return;
	}
	if (process_start_group_exit(proc, W_SIGNALED(SIGKILL), NULL))
		pr_err("mosaic: memory node %d %s pid %d (%s)'s dirty page at %#lx (error %ld): "
		       "killed with SIGKILL\n", mm->home_node,
		       err == -ENOMEM ? "has no memory for" : "refused", proc->tgid, proc->exe,
		       addr, err);
}

void memory_node_refused_data(struct mm_struct *mm, unsigned long addr, long err)
{
	struct task *batch[LOST_BATCH];
	int n;

	/* As in memory_node_lost(): a killed process's threads no longer match. */
	do {
		n = tasks_collect(thread_uses_mm, mm, batch, LOST_BATCH);
		for (int i = 0; i < n; i++) {
			kill_for_refused_data(batch[i]->proc, mm, addr, err);
			task_put(batch[i]);
		}
	} while (n == LOST_BATCH);
}

static void memory_node_lost(int node, long err)
{
	struct task *batch[LOST_BATCH];
	int n;

	/* A killed process's threads no longer match: repeat until none is left. */
	do {
		n = tasks_collect(thread_homed_on, &node, batch, LOST_BATCH);
		for (int i = 0; i < n; i++) {
			memory_node_kill_process(batch[i]->proc, node, err);
			task_put(batch[i]);
		}
	} while (n == LOST_BATCH);
}

void memory_node_failure_init(void)
{
	rpc_set_node_down_handler(memory_node_lost);
}
