/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbench: in-kernel micro-benchmarks, run at boot when the command line says
 * bench=all or bench=NAME[,NAME...]. They print numbers, never verdicts, one
 * row per line on the console:
 *
 *   bench: <name> <metric> <value> <unit>
 *
 * Repeated measurements give two rows, "<metric>.median" and "<metric>.p99";
 * scripts/bench collects every such line of a serial log into a table.
 *
 *   static void one_kmalloc(void *arg) { kfree(kmalloc(64)); }
 *
 *   KBENCH(kmalloc)
 *   {
 *           kbench_time("kmalloc_kfree_64", "ns_per_pair", 1, one_kmalloc, NULL);
 *   }
 *
 * Benches live beside the code in *_kbench.c files, built with
 * obj-$(CONFIG_KTEST) like the ktests. They run on the boot CPU after the
 * self-tests (if any), with the scheduler running.
 */
#ifndef _MOSAIC_KBENCH_H
#define _MOSAIC_KBENCH_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>

struct kbench {
	const char *name;
	void (*fn)(void);
};

#define KBENCH(_name)                                                          \
	static void kbench_##_name(void);                                      \
	static const struct kbench __kbench_##_name                            \
		__section(".kbenches") __used __aligned(8) = {                 \
		.name = #_name, .fn = kbench_##_name };                        \
	static void kbench_##_name(void)

/* Repetitions of each timed operation: enough for a meaningful p99. */
#define KBENCH_REPS 1000

/* Print one row. name and metric must not contain spaces. */
void kbench_row(const char *name, const char *metric, u64 value, const char *unit);

/*
 * Run op(arg) KBENCH_REPS times, each with interrupts off and timed with the
 * TSC; a run does ops operations, so each sample is divided by ops. Prints
 * "<metric>.median" and "<metric>.p99" in ns (calibrated TSC frequency).
 * Returns 0 or -ENOMEM.
 */
int kbench_time(const char *name, const char *metric, unsigned int ops,
		void (*op)(void *arg), void *arg);

#if IS_ENABLED(CONFIG_KTEST)
/* True when bench= was given. */
bool kbench_requested(void);
/* Run the selected benches; returns 0, or -1 when no bench matches the selection. */
int kbench_run_selected(void);
#else
static inline bool kbench_requested(void) { return false; }
static inline int kbench_run_selected(void) { return 0; }
#endif

#endif
