// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "watchdog": provoke each kind of lockup in a kthread on
 * another CPU (interrupts off: hard; preemption off: soft) with a short
 * threshold, wait for the report, check it names the right CPU, kind and
 * spinning function, then let the thread go and restore the threshold.
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/panic.h>
#include <mosaic/percpu.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>
#include <mosaic/watchdog.h>

#define TEST_THRESHOLD_MS 500	/* short: every ktest=all boot pays for this suite */
#define REPORT_WAIT_MS 15000	/* threshold + a loaded host's slack */

static bool lockup_released;

static __noinline void spin_with_irqs_off(void)
{
	unsigned long flags = local_irq_save();

	while (!READ_ONCE(lockup_released))
		cpu_relax();
	local_irq_restore(flags);
}

static __noinline void spin_with_preemption_off(void)
{
	preempt_disable();
	while (!READ_ONCE(lockup_released))
		cpu_relax();
	preempt_enable();
}

static int lockup_thread(void *spin)
{
	((void (*)(void))spin)();
	return 0;
}

/*
 * Wait for a report about victim. A report about another CPU (a vCPU the
 * loaded host did not run for a second) is not this test's: re-arm, wait on.
 */
static bool wait_for_report(unsigned int victim, struct watchdog_report *r)
{
	unsigned int seen;

	watchdog_last_report(r);
	seen = r->reports;
	for (unsigned int waited = 0; waited < REPORT_WAIT_MS; waited += 10) {
		watchdog_last_report(r);
		if (r->reports != seen && r->cpu == victim)
			return true;
		if (r->reports != seen) {
			seen = r->reports;
			watchdog_rearm();
		}
		msleep(10);
	}
	return false;
}

static bool rip_is_in(unsigned long rip, const char *fn)
{
	char sym[128];

	sprint_symbol(sym, sizeof(sym), rip);
	return !strncmp(sym, fn, strlen(fn)) && sym[strlen(fn)] == '+';
}

/* Run spin on another CPU until the watchdog reports it; check the report. */
static void provoke_lockup(void (*spin)(void), const char *spin_name, enum watchdog_kind kind)
{
	unsigned int victim = (smp_processor_id() + 1) % nr_cpus_online, old_ms;
	struct watchdog_report r;
	struct task *t;
	bool reported;

	if (nr_cpus_online < 2) {
		ktest_skip("needs two CPUs (--smp 2)");
		return;
	}
	lockup_released = false;
	old_ms = watchdog_set_threshold_ms(TEST_THRESHOLD_MS);
	watchdog_rearm();
	t = kthread_create_on_cpu(lockup_thread, (void *)spin, "lockup", victim);
	KEXPECT(!IS_ERR(t));
	if (IS_ERR(t))
		goto out;
	reported = wait_for_report(victim, &r);
	WRITE_ONCE(lockup_released, true);
	KEXPECT_EQ(kthread_join(t), 0);
	KEXPECT(reported);
	KEXPECT_EQ(r.kind, kind);
	KEXPECT_EQ(r.cpu, victim);
	KEXPECT(rip_is_in(r.stuck_rip, spin_name));
out:
	watchdog_set_threshold_ms(old_ms);
	watchdog_rearm();
}

KTEST(watchdog, hard_lockup_is_reported_with_the_stuck_rip)
{
	provoke_lockup(spin_with_irqs_off, "spin_with_irqs_off", WATCHDOG_HARD);
}

KTEST(watchdog, soft_lockup_is_reported_with_the_stuck_rip)
{
	provoke_lockup(spin_with_preemption_off, "spin_with_preemption_off", WATCHDOG_SOFT);
}

/* No soft lockup for a CPU busy in preemptible kernel code (other CPUs may be reported). */
KTEST(watchdog, a_busy_preemptible_cpu_is_not_a_lockup)
{
	struct watchdog_report before, after;
	unsigned int old_ms = watchdog_set_threshold_ms(TEST_THRESHOLD_MS);
	u64 end = ktime_ns() + 2ULL * TEST_THRESHOLD_MS * NSEC_PER_MSEC;
	unsigned int self = smp_processor_id();

	watchdog_last_report(&before);
	watchdog_rearm();
	while (ktime_ns() < end)	/* busy in the kernel, but preemptible */
		cpu_relax();
	watchdog_last_report(&after);
	KEXPECT(after.reports == before.reports || after.cpu != self ||
		after.kind != WATCHDOG_SOFT);
	watchdog_set_threshold_ms(old_ms);
	watchdog_rearm();
}
