/* SPDX-License-Identifier: GPL-2.0 */
/* Tasks by pid (kernel/pid.c). */
#ifndef _MOSAIC_PID_H
#define _MOSAIC_PID_H

struct task;

/* Called by the scheduler when a task is created and when it is freed. */
void pid_register(struct task *t);
void pid_unregister(struct task *t);

/* The live task with this pid, with a reference (task_put() it), or NULL. */
struct task *task_find_get(int pid);

#endif
