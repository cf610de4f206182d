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
 * Interface: memory_node_failure_init(), memory_node_kill_process()
 * (include/mosaic/process.h).
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
	if (READ_ONCE(proc->group_exit))
		return;
	pr_err("mosaic: memory node %d %s: pid %d (%s) killed with SIGBUS\n", node,
	       loss_reason(err), proc->tgid, proc->exe);
	process_start_group_exit(proc, W_SIGNALED(SIGBUS), NULL);
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
