// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suites "smp" (cross-CPU calls reach the right CPU, bad input is
 * refused) and "ipi" (many CPUs at once: a contended spinlock, calls from
 * interrupt context, and a TLB shootdown that really drops stale entries).
 */
#include <asm/apic.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/percpu.h>
#include <mosaic/pgtable.h>
#include <mosaic/smp.h>
#include <mosaic/spinlock.h>
#include <mosaic/time.h>

#define HAMMER_ROUNDS 2000
#define HAMMER_MS 30
#define TLB_TEST_VA 0xffffc90000000000UL	/* an unused slot of the kernel half */

struct where_ran {
	int cpu;
	unsigned int hw_apic_id;
	bool irqs_were_off;
};

static void record_where(void *arg)
{
	struct where_ran *w = arg;

	w->cpu = (int)smp_processor_id();
	w->hw_apic_id = lapic_id();
	w->irqs_were_off = irqs_disabled();
}

KTEST(smp, call_runs_on_the_target_cpu)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct where_ran w = { .cpu = -1 };

		KEXPECT_EQ(smp_call_function(cpu, record_where, &w, true), 0);
		KEXPECT_EQ(w.cpu, cpu);
		KEXPECT_EQ(w.hw_apic_id, cpu_locals[cpu].apic_id);
		KEXPECT(w.irqs_were_off);
	}
}

static void count_call(void *arg)
{
	__atomic_add_fetch((unsigned int *)arg, 1, __ATOMIC_SEQ_CST);
}

KTEST(smp, call_without_wait_completes)
{
	static unsigned int calls;
	unsigned int cpu, sent = 0;
	u64 deadline = ktime_ns() + NSEC_PER_SEC;

	calls = 0;
	for_each_online_cpu(cpu)
		sent += smp_call_function(cpu, count_call, &calls, false) == 0;
	KEXPECT_EQ(sent, nr_cpus_online);
	while (__atomic_load_n(&calls, __ATOMIC_SEQ_CST) < sent && ktime_ns() < deadline)
		cpu_relax();
	KEXPECT_EQ(calls, sent);
}

KTEST(smp, bad_calls_are_refused)
{
	unsigned int dummy = 0;

	KEXPECT_EQ(smp_call_function(CONFIG_NR_CPUS, count_call, &dummy, true), -EINVAL);
	KEXPECT_EQ(smp_call_function(0, NULL, NULL, true), -EINVAL);
	if (nr_cpus_online < CONFIG_NR_CPUS && !cpu_locals[CONFIG_NR_CPUS - 1].online)
		KEXPECT_EQ(smp_call_function(CONFIG_NR_CPUS - 1, count_call, &dummy, true),
			   -EINVAL);
	KEXPECT_EQ(smp_call_function_many(cpu_online_mask(), NULL, NULL, true), -EINVAL);
	KEXPECT_EQ(dummy, 0);
}

static DEFINE_SPINLOCK(hammer_lock);
static u64 hammer_count;
static u64 hammer_done[CONFIG_NR_CPUS];	/* increments each CPU made */
static unsigned int hammer_arrived;

/* Start together, so the CPUs really contend (bounded: a late CPU is not waited for forever). */
static void hammer_start_line(void)
{
	u64 deadline = ktime_ns() + NSEC_PER_SEC;

	__atomic_add_fetch(&hammer_arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&hammer_arrived, __ATOMIC_SEQ_CST) < nr_cpus_online &&
	       ktime_ns() < deadline)
		cpu_relax();
}

/*
 * Up to HAMMER_ROUNDS increments, but no longer than HAMMER_MS: ticket locks
 * convoy when TCG's vCPU threads outnumber the host's cores, and the test
 * must stay short. Exactness is judged against what each CPU counted itself.
 */
static void hammer(void *unused)
{
	u64 deadline, done = 0;

	hammer_start_line();
	deadline = ktime_ns() + HAMMER_MS * NSEC_PER_MSEC;
	while (done < HAMMER_ROUNDS && ktime_ns() < deadline) {
		u64 v;

		spin_lock(&hammer_lock);
		v = READ_ONCE(hammer_count);
		cpu_relax();	/* a wide read-modify-write window: only the lock keeps it exact */
		WRITE_ONCE(hammer_count, v + 1);
		spin_unlock(&hammer_lock);
		done++;
	}
	hammer_done[smp_processor_id()] = done;
}

KTEST(ipi, spinlock_counter_hammered_from_all_cpus)
{
	u64 expected = 0;
	unsigned int cpu;

	hammer_count = 0;
	hammer_arrived = 0;
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		hammer_done[cpu] = 0;
	KASSERT_EQ(smp_call_function_many(cpu_online_mask(), hammer, NULL, true), 0);
	for_each_online_cpu(cpu) {
		KEXPECT(hammer_done[cpu] > 0);
		expected += hammer_done[cpu];
	}
	KEXPECT_EQ(hammer_count, expected);
}

/* On another CPU, from interrupt context: call back the caller, which is waiting. */
static void call_back_cpu0(void *arg)
{
	struct where_ran *w = arg;

	w->irqs_were_off = smp_call_function(0, record_where, w, true) == 0;
}

KTEST(ipi, nested_calls_between_waiting_cpus_complete)
{
	struct where_ran w = { .cpu = -1 };

	if (nr_cpus_online < 2) {
		ktest_skip("needs two CPUs");
		return;
	}
	KEXPECT_EQ(smp_call_function(1, call_back_cpu0, &w, true), 0);
	KEXPECT(w.irqs_were_off);	/* the inner call succeeded */
	KEXPECT_EQ(w.cpu, 0);
}

#define HALT_WAIT_MS 1000
#define HALT_TRIES 5

/* Return only once the caller (CPU 0) sleeps in its wait: the wake-up is then needed. */
static void wait_until_caller_halts(void *arg)
{
	*(bool *)arg = ktest_spin_until(smp_waiter_halted(0), HALT_WAIT_MS);
}

/*
 * No timing: the target itself waits for the caller to halt. A timer tick
 * may still wake the caller just before the target finishes (then no
 * wake-up is needed), so a few tries; without wake-ups every try fails.
 */
KTEST(ipi, halted_waiter_is_woken_by_the_target)
{
	u64 wakeups = smp_call_wakeups();
	bool saw_halt = false;

	if (nr_cpus_online < 2 || smp_processor_id() != 0) {
		ktest_skip("needs two CPUs, running on CPU 0");
		return;
	}
	KASSERT(!irqs_disabled());	/* only a caller with interrupts on halts */
	for (int i = 0; i < HALT_TRIES && smp_call_wakeups() == wakeups; i++)
		KEXPECT_EQ(smp_call_function(1, wait_until_caller_halts, &saw_halt, true), 0);
	KEXPECT(saw_halt);
	KEXPECT(smp_call_wakeups() > wakeups);
}

static void read_test_page(void *arg)
{
	u64 *seen = arg;

	seen[smp_processor_id()] = READ_ONCE(*(volatile u64 *)TLB_TEST_VA);
}

static bool all_cpus_saw(const u64 *seen, u64 value)
{
	unsigned int cpu;
	bool ok = true;

	for_each_online_cpu(cpu)
		if (seen[cpu] != value) {
			ktest_fail(__FILE__, __LINE__, "CPU %u read %#llx, expected %#llx", cpu,
				   seen[cpu], value);
			ok = false;
		}
	return ok;
}

/* Invalidate TLB_TEST_VA everywhere: as a one-page range or as a list of pages. */
static void shoot_down_test_page(bool page_list)
{
	const unsigned long pages[] = { TLB_TEST_VA };

	if (page_list)
		flush_tlb_pages_cpus(cpu_online_mask(), pages, ARRAY_SIZE(pages));
	else
		flush_tlb_range_cpus(cpu_online_mask(), TLB_TEST_VA, TLB_TEST_VA + PAGE_SIZE);
}

/* Retarget a mapping behind every TLB's back, then shoot it down: all must see the new page. */
static void shootdown_check(u64 *a, u64 *b, bool page_list)
{
	static u64 seen[CONFIG_NR_CPUS];
	pte_t *pte;

	*a = 0xaaaa;
	*b = 0xbbbb;
	KASSERT_EQ(pgtable_map_page(kernel_pml4, TLB_TEST_VA, __pa(a), PTE_KERNEL_RW), 0);
	smp_call_function_many(cpu_online_mask(), read_test_page, seen, true);
	KEXPECT(all_cpus_saw(seen, 0xaaaa));	/* every TLB now caches the old page */
	pte = pgtable_lookup(kernel_pml4, TLB_TEST_VA, NULL);
	KASSERT(pte != NULL);
	WRITE_ONCE(*pte, (*pte & ~PTE_ADDR_MASK) | __pa(b));
	shoot_down_test_page(page_list);
	smp_call_function_many(cpu_online_mask(), read_test_page, seen, true);
	KEXPECT(all_cpus_saw(seen, 0xbbbb));
	KEXPECT_EQ(pgtable_unmap_page(kernel_pml4, TLB_TEST_VA), 0);
}

static void shootdown_test(bool page_list)
{
	u64 *a = get_zeroed_pages(0), *b = get_zeroed_pages(0);

	if (a && b)
		shootdown_check(a, b, page_list);
	else
		KEXPECT(a && b);
	if (a)
		free_pages_addr(a, 0);
	if (b)
		free_pages_addr(b, 0);
}

KTEST(ipi, tlb_shootdown_reaches_every_cpu)
{
	shootdown_test(false);
}

/* The eviction's form (flush_tlb_pages_cpus): a list of scattered pages. */
KTEST(ipi, tlb_page_list_shootdown_reaches_every_cpu)
{
	shootdown_test(true);
}

KTEST(ipi, large_range_flushes_everything)
{
	/* Above the invlpg threshold: a full flush on every CPU, and it returns. */
	flush_tlb_range_cpus(cpu_online_mask(), 0, 1UL << 30);
	flush_tlb_range_cpus(CPUMASK_NONE, 0, PAGE_SIZE);
	KEXPECT(true);
}
