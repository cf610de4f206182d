// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler start-up and the idle tasks.
 *
 * sched_init() runs once on the boot CPU at the end of the boot sequence:
 * the boot context becomes the task "boot" and CPU 0 gets an idle thread.
 * Secondary CPUs arrive in cpu_idle_loop() (called by the SMP bring-up code,
 * possibly before sched_init()); each waits for sched_init() and then turns
 * its own context into its idle task.
 *
 * The idle loop halts with interrupts on; a wake-up from another CPU ends
 * the halt with a reschedule IPI (see kick_idle_cpu() in core.c).
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>

#include "internal.h"

bool sched_initialized;

static struct task boot_task;
static struct task ap_idle_tasks[CONFIG_NR_CPUS];

/* Enable interrupts and halt: "sti" holds interrupts off for one more
 * instruction, so a wake-up IPI cannot slip in before the hlt. */
static inline void safe_halt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

static __noreturn void idle_loop(void)
{
	struct run_queue *rq = this_rq();

	for (;;) {
		local_irq_disable();
		if (READ_ONCE(rq->nr_runnable) || need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		safe_halt();
	}
}

static int boot_cpu_idle_fn(void *unused)
{
	idle_loop();
}

void sched_init(void)
{
	struct task *idle;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		rq_init(&run_queues[cpu], cpu);
	task_init(&boot_task, "boot", smp_processor_id());
	idle = kthread_alloc(boot_cpu_idle_fn, NULL, "idle/0", smp_processor_id());
	if (IS_ERR(idle))
		panic("sched: no memory for the idle task");
	idle->pid = idle->tgid = 0;
	rq_start(this_rq(), idle, &boot_task);
	__atomic_store_n(&sched_initialized, true, __ATOMIC_RELEASE);
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			smp_send_reschedule(cpu);	/* end their wait below */
	pr_info("sched: round-robin, %u-tick slices at %u Hz, %u CPUs\n",
		sched_slice_ticks, CONFIG_HZ, nr_cpus_online);
}

/* A secondary CPU waits here for sched_init(); returns with interrupts off. */
static void wait_for_sched_init(void)
{
	bool can_halt = !irqs_disabled();

	for (;;) {
		local_irq_disable();
		if (__atomic_load_n(&sched_initialized, __ATOMIC_ACQUIRE))
			return;
		if (can_halt)
			safe_halt();
		else
			cpu_relax();
	}
}

__noreturn void cpu_idle_loop(void)
{
	unsigned int cpu = smp_processor_id();
	struct task *idle = &ap_idle_tasks[cpu];
	char name[TASK_NAME_LEN];

	wait_for_sched_init();
	snprintf(name, sizeof(name), "idle/%u", cpu);
	task_init(idle, name, cpu);
	idle->pid = idle->tgid = 0;
	rq_start(this_rq(), idle, idle);
	local_irq_enable();
	idle_loop();
}
