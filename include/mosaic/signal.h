/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals (kernel/signal.c). Being written: this header is the contract the
 * process, file and fault code call into.
 */
#ifndef _MOSAIC_SIGNAL_H
#define _MOSAIC_SIGNAL_H

struct pt_regs;

/*
 * The last kernel work before a task returns to user mode, from a system
 * call or any interrupt or exception that came from ring 3: deliver pending
 * signals (build the frame in regs), or end the thread when its group is
 * exiting. Context: interrupts on, no locks held; may not return.
 */
void exit_to_user_mode(struct pt_regs *regs);

#endif
