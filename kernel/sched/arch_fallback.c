// SPDX-License-Identifier: GPL-2.0
/*
 * Weak defaults for the arch hooks the scheduler calls, so the scheduler
 * links and runs on one CPU before the arch code provides them: without
 * other CPUs there is nobody to send a reschedule IPI to, and without user
 * mode no TSS stack pointer to keep. The arch's definitions replace these.
 */
#include <mosaic/compiler.h>

#include "internal.h"

__attribute__((weak)) void smp_send_reschedule(unsigned int cpu)
{
}

__attribute__((weak)) void arch_set_kernel_stack(unsigned long top)
{
}
