// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-CPU calls, reschedule and stop IPIs, and TLB shootdown
 * (include/mosaic/smp.h).
 *
 * Each CPU has a queue of call requests. A caller queues one request per
 * target and sends CALL_FUNCTION_VECTOR; the target's handler runs the
 * queue. A waiting caller's requests live on its stack and are marked done
 * by the target; a non-waiting caller's are kmalloc'ed and freed by the
 * target. While it waits, a caller also runs its own queue, so CPUs that
 * call each other with interrupts off make progress.
 *
 * A caller that waits with interrupts on halts after a short spin instead
 * of spinning on: it sets its queue's waiter_halted and the target that
 * completes its request sends it a CALL_FUNCTION_VECTOR with nothing queued
 * to wake it. Under TCG with more vCPUs than host cores this is what lets
 * the targets run at all: a spinning vCPU keeps its host core from the very
 * vCPUs it waits for (threads_evict at -smp 4 did ~270 shootdowns/s spinning).
 * The caller keeps preemption off while it waits, so the flag stays its own.
 *
 * Lock order: call_queue.lock is a leaf, always taken with interrupts off;
 * no function runs under it.
 */
#define pr_fmt(fmt) "smp: " fmt

#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/list.h>
#include <mosaic/mm.h>
#include <mosaic/percpu.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include <mosaic/smp.h>
#include <mosaic/spinlock.h>
#include <mosaic/time.h>

/* Beyond this many pages a full TLB flush is cheaper than invlpg per page. */
#define TLB_FLUSH_ALL_THRESHOLD 32
#define STOP_WAIT_MS 100
/*
 * How long a waiting caller spins before it halts until a target wakes it
 * (an IPI round trip on hardware takes a few microseconds).
 */
#define WAIT_SPIN_NS 5000

struct call_request {
	struct list_head link;
	smp_call_fn_t fn;
	void *arg;
	bool free_when_done;	/* queued without wait: the target frees it */
	bool done;		/* set by the target when fn returned (waiting callers) */
	unsigned int caller;	/* CPU to wake when done, if it halted waiting */
};

struct call_queue {
	spinlock_t lock;
	struct list_head pending;
	bool waiter_halted;	/* this CPU's waiting caller halts: wake it on completion */
} __aligned(64);

static struct call_queue call_queues[CONFIG_NR_CPUS];
static u64 wakeups_sent;	/* halted waiters woken (smp_call_wakeups()) */

cpumask_t cpu_online_mask(void)
{
	cpumask_t m = CPUMASK_NONE;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		cpumask_set_cpu(&m, cpu);
	return m;
}

static bool cpu_is_online(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && __atomic_load_n(&cpu_locals[cpu].online, __ATOMIC_ACQUIRE);
}

static struct call_request *pop_request(struct call_queue *q)
{
	struct call_request *req = NULL;
	unsigned long flags = spin_lock_irqsave(&q->lock);

	if (!list_empty(&q->pending)) {
		req = list_first_entry(&q->pending, struct call_request, link);
		list_del(&req->link);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return req;
}

static void send_call_ipi(unsigned int cpu)
{
	lapic_send_ipi(cpu_locals[cpu].apic_id, APIC_DM_FIXED | CALL_FUNCTION_VECTOR);
}

/*
 * Mark a waiting caller's request done and wake the caller if it halted.
 * The store of done and the caller's store of waiter_halted are both
 * sequentially consistent and each side reads the other's after its own:
 * either the caller sees done before it halts or we see it halted.
 */
static void complete_request(struct call_request *req)
{
	unsigned int caller = req->caller;	/* req may vanish once done is set */

	__atomic_store_n(&req->done, true, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&call_queues[caller].waiter_halted, __ATOMIC_SEQ_CST)) {
		send_call_ipi(caller);	/* nothing queued: the handler only wakes it */
		__atomic_fetch_add(&wakeups_sent, 1, __ATOMIC_RELAXED);
	}
}

u64 smp_call_wakeups(void)
{
	return __atomic_load_n(&wakeups_sent, __ATOMIC_RELAXED);
}

bool smp_waiter_halted(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && __atomic_load_n(&call_queues[cpu].waiter_halted,
							__ATOMIC_SEQ_CST);
}

/* Run every call queued for this CPU, with interrupts off. */
static void run_queued_calls(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	unsigned long flags = local_irq_save();
	struct call_request *req;

	while ((req = pop_request(q))) {
		req->fn(req->arg);
		if (req->free_when_done)
			kfree(req);
		else
			complete_request(req);
	}
	local_irq_restore(flags);
}

static void queue_request(unsigned int cpu, struct call_request *req)
{
	struct call_queue *q = &call_queues[cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);

	list_add_tail(&req->link, &q->pending);
	spin_unlock_irqrestore(&q->lock, flags);
	send_call_ipi(cpu);
}

static bool request_done(struct call_request *req)
{
	return __atomic_load_n(&req->done, __ATOMIC_SEQ_CST);
}

/*
 * Sleep until an interrupt unless req is done. Interrupts go off before
 * the last look, so a wake-up sent after it stays pending and ends the
 * hlt at once ("sti; hlt" takes no interrupt between the two).
 * Context: interrupts on, preemption off (the flag belongs to this CPU).
 */
static void halt_until_woken(struct call_request *req)
{
	struct call_queue *q = &call_queues[smp_processor_id()];

	local_irq_disable();
	__atomic_store_n(&q->waiter_halted, true, __ATOMIC_SEQ_CST);
	if (!request_done(req))
		__asm__ volatile("sti; hlt" ::: "memory");
	else
		local_irq_enable();
	__atomic_store_n(&q->waiter_halted, false, __ATOMIC_RELAXED);
}

static void wait_for_request(struct call_request *req, bool may_halt)
{
	u64 halt_after = ktime_ns() + WAIT_SPIN_NS;

	while (!request_done(req)) {
		run_queued_calls();
		if (may_halt && ktime_ns() > halt_after)
			halt_until_woken(req);
		else
			cpu_relax();
	}
}

static void run_here(smp_call_fn_t fn, void *arg)
{
	unsigned long flags = local_irq_save();

	fn(arg);
	local_irq_restore(flags);
}

static struct call_request *new_request(struct call_request *slot, bool wait)
{
	struct call_request *req = wait ? slot : kmalloc(sizeof(*req));

	if (req) {
		req->free_when_done = !wait;
		req->done = false;
		req->caller = smp_processor_id();
	}
	return req;
}

int smp_call_function_many(cpumask_t mask, smp_call_fn_t fn, void *arg, bool wait)
{
	struct call_request reqs[CONFIG_NR_CPUS], *req;
	unsigned int cpu, self = smp_processor_id();
	bool include_self = cpumask_test_cpu(mask, self);
	int err = 0;

	if (!fn)
		return -EINVAL;
	preempt_disable();	/* waiter_halted is per CPU: stay the only waiter here */
	mask &= cpu_online_mask();
	cpumask_clear_cpu(&mask, self);
	for_each_cpu_in(cpu, mask) {
		req = new_request(&reqs[cpu], wait);
		if (!req) {
			err = -ENOMEM;
			continue;
		}
		req->fn = fn;
		req->arg = arg;
		queue_request(cpu, req);
	}
	if (include_self)
		run_here(fn, arg);
	if (wait)
		for_each_cpu_in(cpu, mask)
			wait_for_request(&reqs[cpu], !irqs_disabled());
	preempt_enable();
	return err;
}

int smp_call_function(unsigned int cpu, smp_call_fn_t fn, void *arg, bool wait)
{
	if (!fn || !cpu_is_online(cpu))
		return -EINVAL;
	return smp_call_function_many(cpumask_of(cpu), fn, arg, wait);
}

static void call_function_interrupt(struct pt_regs *regs)
{
	run_queued_calls();
}

/* Nothing to do here: the interrupt's exit path calls sched_preempt_irq(). */
static void reschedule_interrupt(struct pt_regs *regs)
{
}

void smp_send_reschedule(unsigned int cpu)
{
	if (cpu_is_online(cpu))
		lapic_send_ipi(cpu_locals[cpu].apic_id, APIC_DM_FIXED | RESCHEDULE_VECTOR);
}

void smp_send_stop(void)
{
	unsigned int cpu, self = smp_processor_id();
	u64 deadline;

	cpus_stopping = true;
	for_each_online_cpu(cpu)
		if (cpu != self)
			lapic_send_ipi(cpu_locals[cpu].apic_id, APIC_DM_NMI);
	deadline = ktime_ns() + STOP_WAIT_MS * NSEC_PER_MSEC;
	while (cpumask_weight(cpu_online_mask()) > 1 && ktime_ns() < deadline)
		cpu_relax();	/* let them park before the panic report */
}

void flush_tlb_all_local(void)
{
	unsigned long flags = local_irq_save();
	u64 cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {	/* toggling PGE drops global entries too */
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
	local_irq_restore(flags);
}

void flush_tlb_range_local(unsigned long start, unsigned long end)
{
	unsigned long va;

	if (end <= start)
		return;
	if ((end - start) >> PAGE_SHIFT > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all_local();
		return;
	}
	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		invlpg(va);
}

struct flush_range {
	unsigned long start, end;
};

static void flush_range_here(void *arg)
{
	const struct flush_range *r = arg;

	flush_tlb_range_local(r->start, r->end);
}

void flush_tlb_range_cpus(cpumask_t mask, unsigned long start, unsigned long end)
{
	struct flush_range r = { .start = start, .end = end };

	smp_call_function_many(mask, flush_range_here, &r, true);
}

struct flush_pages {
	const unsigned long *pages;
	unsigned int n;
};

static void flush_pages_here(void *arg)
{
	const struct flush_pages *fp = arg;

	for (unsigned int i = 0; i < fp->n; i++)
		invlpg(fp->pages[i]);
}

void flush_tlb_pages_cpus(cpumask_t mask, const unsigned long *pages, unsigned int n)
{
	struct flush_pages fp = { .pages = pages, .n = n };

	if (n)
		smp_call_function_many(mask, flush_pages_here, &fp, true);
}

/* mm/pgtable.c's hook: kernel mappings changed; the caller flushed its own TLB. */
void tlb_shootdown_others(unsigned long start, unsigned long end)
{
	cpumask_t others = cpu_online_mask();

	cpumask_clear_cpu(&others, smp_processor_id());
	if (!cpumask_empty(others))
		flush_tlb_range_cpus(others, start, end);
}

void smp_ipi_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		spin_lock_init(&call_queues[cpu].lock);
		INIT_LIST_HEAD(&call_queues[cpu].pending);
	}
	irq_set_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
	irq_set_handler(RESCHEDULE_VECTOR, reschedule_interrupt);
}
