/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlocks: fair (FIFO) between CPUs. The _irqsave variants also
 * disable interrupts on this CPU, for data touched by interrupt handlers.
 * A lock remembers its owner CPU so lock-order assertions can check it.
 * Holding any spinlock disables preemption (include/mosaic/preempt.h).
 */
#ifndef _MOSAIC_SPINLOCK_H
#define _MOSAIC_SPINLOCK_H

#include <asm/x86.h>
#include <mosaic/compiler.h>
#include <mosaic/preempt.h>

typedef struct spinlock {
	volatile u16 next;
	volatile u16 owner;
	int holder_cpu; /* -1 when free */
} spinlock_t;

#define SPINLOCK_INIT { .next = 0, .owner = 0, .holder_cpu = -1 }
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l) { *l = (spinlock_t)SPINLOCK_INIT; }

unsigned int smp_processor_id(void);

static inline void spin_lock(spinlock_t *l)
{
	u16 ticket;

	preempt_disable();
	ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	l->holder_cpu = smp_processor_id();
}

static inline bool spin_trylock(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expected = owner;

	preempt_disable();
	if (!__atomic_compare_exchange_n(&l->next, &expected, (u16)(owner + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		preempt_enable();
		return false;
	}
	l->holder_cpu = smp_processor_id();
	return true;
}

/* Release without the preemption point (spin_unlock_irqrestore adds it). */
static inline void spin_release(spinlock_t *l)
{
	l->holder_cpu = -1;
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
	preempt_enable_no_resched();
}

static inline void spin_unlock(spinlock_t *l)
{
	spin_release(l);
	preempt_check_resched();
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

/* True when this CPU holds the lock: for "Context: lock held" assertions. */
static inline bool spin_is_held(const spinlock_t *l)
{
	return spin_is_locked(l) && l->holder_cpu == (int)smp_processor_id();
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_release(l);
	local_irq_restore(flags);
	preempt_check_resched();
}

#endif
