/* SPDX-License-Identifier: GPL-2.0 */
/* The boot sequence (kernel/main.c) and what each subsystem contributes to it. */
#ifndef _MOSAIC_INIT_H
#define _MOSAIC_INIT_H

#include <mosaic/compiler.h>

#define MOSAIC_VERSION "0.1"

__noreturn void start_kernel(void);
/* The boot banner: CPUs, memory, the pcache, the command line (kernel/banner.c). */
void print_system_summary(void);
/* The boot CPU's last act: shut down (after tests or the last program). */
__noreturn void kernel_poweroff(bool success);

#endif
