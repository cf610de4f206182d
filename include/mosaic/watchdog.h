/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lockup watchdog (kernel/watchdog.c). Every CPU's timer tick calls
 * watchdog_tick(); it finds two kinds of hang:
 *
 *   soft lockup: this CPU's ticks keep coming, but for watchdog_s seconds
 *                every tick found it in the kernel with preemption off (a
 *                spinlock held, preempt_disable()): the scheduler could not
 *                run there.
 *   hard lockup: a neighbour CPU's tick counter has not moved for
 *                watchdog_s seconds (its interrupts are off). Each CPU
 *                watches the next online CPU, so with one CPU there is no
 *                hard-lockup check.
 *
 * The first lockup is reported once: a header line, every online CPU's
 * registers and call trace (the others are asked through an NMI, one at a
 * time), and the pcache and RPC counters. The kernel then goes on.
 * watchdog_s=0 turns the watchdog off; the default is
 * 20 s (a loaded host can stall a TCG vCPU for seconds).
 */
#ifndef _MOSAIC_WATCHDOG_H
#define _MOSAIC_WATCHDOG_H

#include <mosaic/types.h>

struct pt_regs;

enum watchdog_kind { WATCHDOG_NONE, WATCHDOG_SOFT, WATCHDOG_HARD };

/* What the last report said (for tests and for reading after the fact). */
struct watchdog_report {
	unsigned int reports;		/* how many reports since boot */
	enum watchdog_kind kind;
	unsigned int cpu;		/* the CPU found stuck */
	unsigned long stuck_rip;	/* where it was (0: it did not answer the NMI) */
};

/* Context: timer interrupt, interrupts off. */
void watchdog_tick(struct pt_regs *regs);
/* Context: NMI. True when the NMI was the watchdog's request for a dump. */
bool watchdog_nmi(struct pt_regs *regs);

void watchdog_last_report(struct watchdog_report *out);

/* For tests: set the threshold (0 = off) and return the old one, in ms. */
unsigned int watchdog_set_threshold_ms(unsigned int ms);
/* For tests: allow one more report after a provoked one. */
void watchdog_rearm(void);

#endif
