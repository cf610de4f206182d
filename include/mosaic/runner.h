/* SPDX-License-Identifier: GPL-2.0 */
/* The boot-time program runner (kernel/runner.c): mosaic.run= and mosaic.args=. */
#ifndef _MOSAIC_RUNNER_H
#define _MOSAIC_RUNNER_H

#include <mosaic/types.h>

/* mosaic.run= names at least one program. */
bool runner_requested(void);
/* Run them all in order; returns the last one's exit code (128 + signal if killed). */
int runner_run_all(void);

#endif
