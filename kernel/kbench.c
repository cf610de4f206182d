// SPDX-License-Identifier: GPL-2.0
/*
 * The kbench runner (see include/mosaic/kbench.h). Benches register with
 * KBENCH(name) into the .kbenches section; bench=all or bench=NAME[,NAME]
 * selects them. Every result is a "bench: " row; a header row names the TSC
 * frequency that converts cycles to nanoseconds.
 */
#include <asm/x86.h>
#include <mosaic/console.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>
#include <mosaic/kbench.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/time.h>

extern const struct kbench __start_kbenches[], __stop_kbenches[];

static const char *bench_selection;
KERNEL_PARAM("bench", param_set_string, &bench_selection, "all | NAME[,NAME...]: run benchmarks");

bool kbench_requested(void)
{
	return bench_selection != NULL;
}

/* Rows go straight to the console, unprefixed by printk's timestamp. */
void kbench_row(const char *name, const char *metric, u64 value, const char *unit)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "bench: %s %s %llu %s\n", name, metric, value, unit);

	console_write(line, min(n, (int)sizeof(line) - 1));
}

static u64 cycles_to_ns(u64 cycles)
{
	return cycles * 1000000 / tsc_khz;
}

/* The p-th percentile of n sorted samples (nearest rank). */
static u64 percentile(const u64 *sorted, int n, int p)
{
	int rank = (n * p + 99) / 100;

	return sorted[rank > 0 ? rank - 1 : 0];
}

int kbench_time(const char *name, const char *metric, unsigned int ops,
		void (*op)(void *arg), void *arg)
{
	u64 *cycles = kmalloc(KBENCH_REPS * sizeof(*cycles));
	char label[64];
	int i;

	if (!cycles)
		return -ENOMEM;
	for (i = 0; i < KBENCH_REPS; i++) {
		unsigned long flags = local_irq_save();
		u64 start = rdtsc();

		op(arg);
		cycles[i] = (rdtsc() - start) / (ops ? ops : 1);
		local_irq_restore(flags);
	}
	snprintf(label, sizeof(label), "%s.median", metric);
	kbench_row(name, label, cycles_to_ns(ktest_median(cycles, KBENCH_REPS)), "ns");
	snprintf(label, sizeof(label), "%s.p99", metric);	/* cycles is sorted now */
	kbench_row(name, label, cycles_to_ns(percentile(cycles, KBENCH_REPS, 99)), "ns");
	kfree(cycles);
	return 0;
}

int kbench_run_selected(void)
{
	int ran = 0;

	if (!bench_selection)
		return 0;
	kbench_row("kbench", "tsc_khz", tsc_khz, "kHz");
	kbench_row("kbench", "reps", KBENCH_REPS, "runs");
	for (const struct kbench *b = __start_kbenches; b < __stop_kbenches; b++) {
		if (!ktest_list_has(bench_selection, b->name))
			continue;
		pr_info("kbench: %s\n", b->name);
		b->fn();
		ran++;
	}
	if (!ran) {
		pr_warn("kbench: no bench matches '%s'\n", bench_selection);
		return -1;
	}
	return 0;
}

/* What the timing itself costs: two TSC reads and an indirect call. */
static void nothing(void *arg)
{
}

KBENCH(overhead)
{
	kbench_time("timing_overhead", "ns_per_run", 1, nothing, NULL);
}
