/* SPDX-License-Identifier: GPL-2.0 */
/*
 * panic() prints the message, the registers and a symbolized backtrace, stops
 * the other CPUs and then halts (or, with panic=exit, ends QEMU as a failure).
 * BUG_ON() and WARN_ON() check kernel invariants.
 */
#ifndef _MOSAIC_PANIC_H
#define _MOSAIC_PANIC_H

#include <mosaic/compiler.h>

struct pt_regs;

__printf(1, 2) __noreturn void panic(const char *fmt, ...);
/* Print registers and a backtrace from a trap frame. */
void show_regs(const struct pt_regs *regs);
void dump_stack(void);
/* "Call trace:" from a frame pointer (the first address printed first if set). */
void show_backtrace(unsigned long fp, unsigned long first_ip);
/*
 * Every task: pid, tgid, name, state, CPU, and where each sleeping task
 * sleeps (kernel/task_dump.c). For hangs: ^] t on the console.
 * Context: process context, no locks held.
 */
void show_all_tasks(void);
/* Print "name+0xoff/0xsize" for a kernel text address into buf. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)
void __warn(const char *file, int line, const char *cond);
#define WARN_ON(c) ({ bool __w = !!(c); if (unlikely(__w)) __warn(__FILE__, __LINE__, #c); __w; })

#endif
