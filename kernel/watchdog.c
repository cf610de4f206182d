// SPDX-License-Identifier: GPL-2.0
/*
 * The lockup watchdog: soft lockups (a CPU kept in the kernel with
 * preemption off) and hard lockups (a CPU whose timer tick stopped), seen
 * from the timer tick. Interface and the two definitions:
 * include/mosaic/watchdog.h; Documentation/x86.md ("Lockup watchdog").
 *
 * Per-CPU state (struct wd_cpu) has one writer: the CPU's own tick writes
 * its soft-lockup fields and the fields about the neighbour it watches; the
 * dump handshake fields are written by the reporter and the dumped CPU in
 * turn. The first report wins a global flag (wd_fired), so a lockup that
 * lasts is reported once and two CPUs never report together.
 *
 * A report freezes each other CPU in its NMI handler while the reporter
 * prints that CPU's registers and call trace (the frames cannot change
 * under the walk), then lets it go. Nothing is printed from NMI context,
 * so an NMI that lands inside printk() cannot deadlock on the console lock.
 */
#define pr_fmt(fmt) "watchdog: " fmt

#include <asm/apic.h>
#include <asm/ptrace.h>
#include <asm/x86.h>
#include <mosaic/panic.h>
#include <mosaic/param.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/time.h>
#include <mosaic/watchdog.h>

#define WATCHDOG_DEFAULT_S 20	/* generous: a loaded host stalls TCG vCPUs for seconds */
#define DUMP_CAPTURE_WAIT_MS 2000	/* for a CPU to enter its NMI handler */
#define DUMP_FREEZE_MAX_MS 5000	/* a frozen CPU's own limit, should the reporter die */

struct wd_cpu {
	u64 calm_since_ns;		/* last tick that found this CPU preemptible */
	u64 neighbour_ticks;		/* the watched CPU's tick count when last seen moving */
	u64 neighbour_moved_ns;
	int neighbour;			/* the CPU watched, -1 before the first look */
	const struct pt_regs *frozen_regs;	/* NMI dump: set by the frozen CPU */
	bool dump_requested;		/* reporter -> CPU: stop and show your registers */
	bool dump_printed;		/* reporter -> CPU: done, go on */
};

static struct wd_cpu wd_cpus[CONFIG_NR_CPUS];
static unsigned int wd_threshold_s = WATCHDOG_DEFAULT_S;
static u64 wd_threshold_ns = WATCHDOG_DEFAULT_S * NSEC_PER_SEC;
static int wd_fired;
static struct watchdog_report wd_report;

static int param_set_watchdog_s(const char *val, const struct kernel_param *kp)
{
	int err = param_parse_uint_range(val, 0, 3600, &wd_threshold_s);

	if (!err)
		WRITE_ONCE(wd_threshold_ns, (u64)wd_threshold_s * NSEC_PER_SEC);
	return err;
}
KERNEL_PARAM("watchdog_s", param_set_watchdog_s, NULL,
	     "seconds without progress before a lockup report (0..3600, 0 = off)");

static bool irq_regs_preemptible(const struct pt_regs *regs)
{
	return user_mode(regs) || preempt_count() == 0;
}

/* The next online CPU after cpu, cyclically; cpu itself when it is alone. */
static unsigned int next_online_cpu(unsigned int cpu)
{
	for (unsigned int i = 1; i < CONFIG_NR_CPUS; i++) {
		unsigned int c = (cpu + i) % CONFIG_NR_CPUS;

		if (READ_ONCE(cpu_locals[c].online))
			return c;
	}
	return cpu;
}

/*
 * Soft lockup on this CPU (limit 0: never)? The state is kept up to date
 * even when the watchdog is off, so turning it on cannot report stale time.
 * Context: its timer tick (the preempt count is the interrupted code's).
 */
static bool soft_lockup(struct wd_cpu *w, const struct pt_regs *regs, u64 now, u64 limit)
{
	if (!w->calm_since_ns || irq_regs_preemptible(regs)) {
		w->calm_since_ns = now;
		return false;
	}
	return limit && now - w->calm_since_ns > limit;
}

/* Hard lockup on the neighbour this CPU watches? Returns that CPU or -1. */
static int hard_lockup(struct wd_cpu *w, unsigned int self, u64 now, u64 limit)
{
	unsigned int n = next_online_cpu(self);
	u64 ticks;

	if (n == self)
		return -1;
	ticks = READ_ONCE(cpu_locals[n].timer_ticks);
	if (w->neighbour != (int)n || ticks != w->neighbour_ticks) {
		w->neighbour = (int)n;
		w->neighbour_ticks = ticks;
		w->neighbour_moved_ns = now;
		return -1;
	}
	return limit && now - w->neighbour_moved_ns > limit ? (int)n : -1;
}

/* Freeze cpu in its NMI handler, print its registers, let it go. */
static void dump_other_cpu(unsigned int cpu)
{
	struct wd_cpu *w = &wd_cpus[cpu];
	u64 deadline = ktime_ns() + DUMP_CAPTURE_WAIT_MS * NSEC_PER_MSEC;
	const struct pt_regs *regs;

	WRITE_ONCE(w->dump_printed, false);
	WRITE_ONCE(w->frozen_regs, NULL);
	__atomic_store_n(&w->dump_requested, true, __ATOMIC_SEQ_CST);
	lapic_send_ipi(cpu_locals[cpu].apic_id, APIC_DM_NMI);
	while (!(regs = __atomic_load_n(&w->frozen_regs, __ATOMIC_ACQUIRE)) &&
	       ktime_ns() < deadline)
		cpu_relax();
	if (!regs) {
		WRITE_ONCE(w->dump_requested, false);
		pr_emerg("CPU %u did not answer the NMI\n", cpu);
		return;
	}
	pr_emerg("CPU %u (NMI):\n", cpu);
	show_regs(regs);
	if (cpu == wd_report.cpu)
		wd_report.stuck_rip = regs->rip;
	__atomic_store_n(&w->dump_printed, true, __ATOMIC_RELEASE);
}

static void print_rpc_state(void)
{
	for (int op = 0; op < RPC_NR_OPCODES; op++)
		if (rpc_call_count(op))
			pr_emerg("rpc: opcode %d called %llu times\n", op,
				 (unsigned long long)rpc_call_count(op));
	for (int node = 0; node < RPC_MAX_NODES; node++)
		if (rpc_node_is_down(node))
			pr_emerg("rpc: node %d is down\n", node);
}

static void report_lockup(enum watchdog_kind kind, unsigned int stuck,
			  const struct pt_regs *regs)
{
	unsigned int self = smp_processor_id(), cpu;
	struct task *t = cpu_locals[stuck].current;

	wd_report.kind = kind;
	wd_report.cpu = stuck;
	wd_report.stuck_rip = 0;
	if (kind == WATCHDOG_SOFT)
		pr_emerg("soft lockup on CPU %u: in the kernel with preemption off for %u ms "
			 "(task %s pid %d)\n", stuck, (unsigned int)(wd_threshold_ns / NSEC_PER_MSEC),
			 t ? t->name : "-", t ? t->pid : 0);
	else
		pr_emerg("hard lockup on CPU %u: no timer tick for %u ms (interrupts off?), "
			 "seen by CPU %u\n", stuck, (unsigned int)(wd_threshold_ns / NSEC_PER_MSEC),
			 self);
	pr_emerg("CPU %u (timer tick):\n", self);
	show_regs(regs);
	if (stuck == self)
		wd_report.stuck_rip = regs->rip;
	for_each_online_cpu(cpu)
		if (cpu != self)
			dump_other_cpu(cpu);
	pcache_print_counters("lockup");
	print_rpc_state();
	__atomic_fetch_add(&wd_report.reports, 1, __ATOMIC_RELEASE);
	pr_emerg("---[ end of lockup report ]---\n");
}

void watchdog_tick(struct pt_regs *regs)
{
	unsigned int self = smp_processor_id();
	struct wd_cpu *w = &wd_cpus[self];
	u64 now = ktime_ns(), limit = READ_ONCE(wd_threshold_ns);
	int stuck;

	if (soft_lockup(w, regs, now, limit))
		stuck = (int)self;
	else
		stuck = hard_lockup(w, self, now, limit);
	if (stuck < 0 || __atomic_exchange_n(&wd_fired, 1, __ATOMIC_SEQ_CST))
		return;
	report_lockup(stuck == (int)self ? WATCHDOG_SOFT : WATCHDOG_HARD, stuck, regs);
}

bool watchdog_nmi(struct pt_regs *regs)
{
	struct wd_cpu *w = &wd_cpus[smp_processor_id()];
	u64 deadline = ktime_ns() + DUMP_FREEZE_MAX_MS * NSEC_PER_MSEC;

	if (!__atomic_load_n(&w->dump_requested, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&w->frozen_regs, regs, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&w->dump_printed, __ATOMIC_ACQUIRE) && ktime_ns() < deadline)
		cpu_relax();
	WRITE_ONCE(w->dump_requested, false);
	return true;
}

void watchdog_last_report(struct watchdog_report *out)
{
	out->reports = __atomic_load_n(&wd_report.reports, __ATOMIC_ACQUIRE);
	out->kind = wd_report.kind;
	out->cpu = wd_report.cpu;
	out->stuck_rip = wd_report.stuck_rip;
}

unsigned int watchdog_set_threshold_ms(unsigned int ms)
{
	unsigned int old = (unsigned int)(READ_ONCE(wd_threshold_ns) / NSEC_PER_MSEC);

	WRITE_ONCE(wd_threshold_ns, (u64)ms * NSEC_PER_MSEC);
	return old;
}

void watchdog_rearm(void)
{
	__atomic_store_n(&wd_fired, 0, __ATOMIC_SEQ_CST);
}
