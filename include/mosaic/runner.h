/* SPDX-License-Identifier: GPL-2.0 */
/* The boot-time program runner (kernel/runner.c): mosaic.run=, mosaic.args=
 * and mosaic.init=. */
#ifndef _MOSAIC_RUNNER_H
#define _MOSAIC_RUNNER_H

#include <mosaic/types.h>

/* mosaic.run= names at least one program. */
bool runner_requested(void);
/* Run them all in order; returns the last one's exit code (128 + signal if killed). */
int runner_run_all(void);
/*
 * Without mosaic.run=: run init (mosaic.init=PATH, default /init) and wait
 * for it. Returns its exit code (128 + signal if killed), or -1 when it
 * could not start (said on the console).
 */
int runner_run_init(void);

#endif
