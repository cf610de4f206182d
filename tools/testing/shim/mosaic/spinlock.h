/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for include/mosaic/spinlock.h: host tests are single-threaded,
 * so a lock is a flag. Taking a held lock or releasing a free one is a bug in
 * the code under test and aborts the test (ASan prints the stack).
 */
#ifndef _MOSAIC_SPINLOCK_H
#define _MOSAIC_SPINLOCK_H

#include <mosaic/compiler.h>

typedef struct spinlock {
	bool locked;
} spinlock_t;

#define SPINLOCK_INIT { .locked = false }
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

unsigned int smp_processor_id(void);

static inline void spin_lock_init(spinlock_t *l) { l->locked = false; }

static inline void spin_lock(spinlock_t *l)
{
	if (l->locked)
		abort(); /* would deadlock: single-threaded host */
	l->locked = true;
}

static inline bool spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return false;
	l->locked = true;
	return true;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->locked)
		abort();
	l->locked = false;
}

static inline bool spin_is_locked(const spinlock_t *l) { return l->locked; }
static inline bool spin_is_held(const spinlock_t *l) { return l->locked; }

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	spin_lock(l);
	return 0;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
}

#endif
