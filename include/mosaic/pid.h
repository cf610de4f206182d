/* SPDX-License-Identifier: GPL-2.0 */
/* Tasks by pid (kernel/pid.c). */
#ifndef _MOSAIC_PID_H
#define _MOSAIC_PID_H

#include <mosaic/types.h>

struct task;

/* Called by the scheduler when a task is created and when it is freed. */
void pid_register(struct task *t);
void pid_unregister(struct task *t);

/* The live task with this pid, with a reference (task_put() it), or NULL. */
struct task *task_find_get(int pid);

/*
 * Up to max live tasks for which match(t, arg) holds, each with a reference
 * (task_put() them); returns how many were stored. match runs under the
 * pid lock: it may only read t. (kill() to a group, signals to a process.)
 */
int tasks_collect(bool (*match)(const struct task *t, const void *arg), const void *arg,
		  struct task **out, int max);

#endif
