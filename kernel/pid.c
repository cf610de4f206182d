// SPDX-License-Identifier: GPL-2.0
/*
 * Finding tasks by pid (include/mosaic/pid.h): every task with a stack of
 * its own is hashed by pid from creation until it is freed, so kill(),
 * wait4() and the /proc files can name tasks the way user space does.
 *
 * Context: pid_lock is taken with interrupts saved; it is a leaf lock.
 */
#include <mosaic/list.h>
#include <mosaic/pid.h>
#include <mosaic/sched.h>
#include <mosaic/spinlock.h>

#define PID_HASH_BITS 8
#define PID_HASH_SIZE (1U << PID_HASH_BITS)

static struct list_head pid_hash[PID_HASH_SIZE];
static DEFINE_SPINLOCK(pid_lock);
static bool pid_hash_ready;

static struct list_head *pid_bucket(int pid)
{
	return &pid_hash[(unsigned int)pid & (PID_HASH_SIZE - 1)];
}

static void pid_hash_init(void)
{
	for (unsigned int i = 0; i < PID_HASH_SIZE; i++)
		INIT_LIST_HEAD(&pid_hash[i]);
	pid_hash_ready = true;
}

void pid_register(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&pid_lock);

	if (!pid_hash_ready)
		pid_hash_init();
	list_add(&t->pid_link, pid_bucket(t->pid));
	spin_unlock_irqrestore(&pid_lock, flags);
}

void pid_unregister(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&pid_lock);

	if (t->pid_link.next)
		list_del(&t->pid_link);
	t->pid_link.next = t->pid_link.prev = NULL;
	spin_unlock_irqrestore(&pid_lock, flags);
}

struct task *task_find_get(int pid)
{
	struct task *t, *found = NULL;
	unsigned long flags;

	if (pid <= 0)
		return NULL;
	flags = spin_lock_irqsave(&pid_lock);
	if (pid_hash_ready)
		list_for_each_entry(t, pid_bucket(pid), pid_link)
			if (t->pid == pid && t->state != TASK_DEAD) {
				task_get(t);
				found = t;
				break;
			}
	spin_unlock_irqrestore(&pid_lock, flags);
	return found;
}

int tasks_collect(bool (*match)(const struct task *t, const void *arg), const void *arg,
		  struct task **out, int max)
{
	unsigned long flags = spin_lock_irqsave(&pid_lock);
	struct task *t;
	int n = 0;

	for (unsigned int i = 0; pid_hash_ready && i < PID_HASH_SIZE; i++)
		list_for_each_entry(t, &pid_hash[i], pid_link) {
			if (n == max)
				goto out;
			if (t->state != TASK_DEAD && match(t, arg)) {
				task_get(t);
				out[n++] = t;
			}
		}
out:
	spin_unlock_irqrestore(&pid_lock, flags);
	return n;
}
