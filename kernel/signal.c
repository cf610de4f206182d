// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: for now only the hook every return to user mode passes through
 * (include/mosaic/signal.h). Delivery comes with the process issue.
 */
#include <mosaic/process.h>
#include <mosaic/signal.h>

void exit_to_user_mode(struct pt_regs *regs)
{
	/* Process lifecycle (kernel/exit.c): exit_group or exec ends this thread. */
	process_exit_if_killed();
}
