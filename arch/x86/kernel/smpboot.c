// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing up the secondary CPUs (APs). The boot CPU sends INIT to every AP
 * at once and waits the INIT delay once for all of them; then it starts them
 * one at a time: up to two STARTUP IPIs pointing at the trampoline
 * (trampoline.S), then a wait, with a timeout, for the AP to mark itself
 * online in ap_start(). Logical CPU numbers follow the MADT's order, the
 * boot CPU being 0.
 *
 * One trampoline parameter block serves every AP in turn: an AP reads it
 * all before it marks itself online, and only then is the next one started.
 */
#define pr_fmt(fmt) "smp: " fmt

#include <asm/apic.h>
#include <asm/cpuinfo.h>
#include <asm/desc.h>
#include <asm/smpboot.h>
#include <asm/thread.h>
#include <asm/x86.h>
#include <mosaic/acpi.h>
#include <mosaic/mm.h>
#include <mosaic/percpu.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

#define AP_STACK_ORDER CONFIG_KSTACK_ORDER
#define AP_START_TIMEOUT_MS 1000
#define INIT_DELAY_MS 10
#define SIPI_DELAY_US 200
#define PDE_2M_PRESENT_RW 0x83

void smp_ipi_init(void);	/* smp.c */

static struct trampoline_params *trampoline_params_copy(void)
{
	return __va(TRAMPOLINE_BASE + (trampoline_params - trampoline_start));
}

/* Low 2 MiB identity-mapped (the trampoline runs there) plus the kernel's upper half. */
static void build_trampoline_page_table(void)
{
	u64 *pml4 = __va(TRAMPOLINE_PML4), *pdpt = __va(TRAMPOLINE_PDPT), *pd = __va(TRAMPOLINE_PD);

	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	memset(pd, 0, PAGE_SIZE);
	pd[0] = 0 | PDE_2M_PRESENT_RW;
	pdpt[0] = TRAMPOLINE_PD | PTE_P | PTE_RW;
	pml4[0] = TRAMPOLINE_PDPT | PTE_P | PTE_RW;
	memcpy(&pml4[256], &kernel_pml4[256], 256 * sizeof(u64));
}

static void trampoline_install(void)
{
	struct trampoline_params *tp;

	memcpy(__va(TRAMPOLINE_BASE), trampoline_start, trampoline_end - trampoline_start);
	build_trampoline_page_table();
	tp = trampoline_params_copy();
	tp->pml4 = TRAMPOLINE_PML4;
	tp->efer = rdmsr(MSR_EFER);
	tp->cr4 = read_cr4() & ~(X86_CR4_SMEP | X86_CR4_SMAP);	/* ap_start turns them on */
	tp->kernel_cr3 = read_cr3();
	tp->entry = (u64)ap_entry64;
}

/* The AP's first C code, on its own stack and the kernel's page table. */
__noreturn void ap_start(struct cpu_local *c)
{
	percpu_install(c);	/* first: spinlocks use the per-CPU preempt count */
	if (cpu_desc_setup(c->cpu)) {
		pr_err("CPU %u: no memory for its IST stacks; staying offline\n", c->cpu);
		for (;;)
			halt();
	}
	cpu_user_mode_init();
	lapic_setup_cpu();
	lapic_timer_start_cpu();
	__atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	local_irq_enable();
	cpu_idle_loop();
}

static bool wait_online(struct cpu_local *c, u64 timeout_ms)
{
	u64 deadline = ktime_ns() + timeout_ms * NSEC_PER_MSEC;

	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (ktime_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/* STARTUP (twice if the first is not answered), as the MP spec asks; INIT was sent before. */
static bool send_startup(struct cpu_local *c)
{
	u32 sipi = APIC_DM_STARTUP | (TRAMPOLINE_BASE >> PAGE_SHIFT);

	lapic_send_ipi(c->apic_id, sipi);
	if (wait_online(c, 1))
		return true;
	udelay(SIPI_DELAY_US);
	lapic_send_ipi(c->apic_id, sipi);
	return wait_online(c, AP_START_TIMEOUT_MS);
}

static void start_cpu(unsigned int cpu, u32 apic_id)
{
	struct cpu_local *c = &cpu_locals[cpu];
	void *stack = get_zeroed_pages(AP_STACK_ORDER);

	if (!stack) {
		pr_err("no memory for the stack of CPU %u\n", cpu);
		return;
	}
	c->cpu = cpu;
	c->apic_id = apic_id;
	c->kernel_stack_top = (unsigned long)stack + (PAGE_SIZE << AP_STACK_ORDER);
	trampoline_params_copy()->stack = c->kernel_stack_top;
	trampoline_params_copy()->cpu_local = (u64)c;
	if (send_startup(c))
		pr_info("CPU %u (APIC id %u) online\n", cpu, apic_id);
	else	/* the stack is not freed: a late AP might still run on it */
		pr_err("CPU %u (APIC id %u) did not start within %d ms\n", cpu, apic_id,
		       AP_START_TIMEOUT_MS);
}

unsigned int nr_cpus_possible(void)
{
	return acpi_madt_found ? acpi_madt.nr_cpus : 1;
}

/* The APs' APIC ids in logical CPU order (ap_ids[0] is CPU 1); returns how many. */
static unsigned int collect_ap_ids(u32 *ap_ids)
{
	unsigned int i, n = 0, bsp_apic = this_cpu()->apic_id;

	for (i = 0; i < acpi_madt.nr_cpus && acpi_madt_found; i++) {
		if (acpi_madt.apic_ids[i] == bsp_apic)
			continue;
		if (n + 1 >= CONFIG_NR_CPUS) {
			pr_warn("APIC id %u left offline: CONFIG_NR_CPUS is %d\n",
				acpi_madt.apic_ids[i], CONFIG_NR_CPUS);
			continue;
		}
		ap_ids[n++] = acpi_madt.apic_ids[i];
	}
	return n;
}

/*
 * INIT to every AP, then one INIT delay for all (none on CPUs that do not
 * need it): bring-up time does not grow with the number of CPUs.
 */
static void init_all_aps(const u32 *ap_ids, unsigned int n)
{
	struct cpu_ident id;
	unsigned int i;

	for (i = 0; i < n; i++)
		lapic_send_ipi(ap_ids[i], APIC_DM_INIT | APIC_ICR_ASSERT | APIC_ICR_LEVEL);
	cpu_identify(&id);
	if (n && !cpu_skips_init_delay(&id))
		mdelay(INIT_DELAY_MS);
}

void smp_init(void)
{
	static u32 ap_ids[CONFIG_NR_CPUS];
	unsigned int i, n;

	smp_ipi_init();
	cpu_locals[0].apic_id = this_cpu()->apic_id;
	n = collect_ap_ids(ap_ids);
	if (n)
		trampoline_install();
	init_all_aps(ap_ids, n);
	/* A CPU that failed keeps its number: it might still come up late. */
	for (i = 0; i < n; i++)
		start_cpu(i + 1, ap_ids[i]);
	pr_info("%u of %u CPUs online\n", nr_cpus_online, nr_cpus_possible());
	local_irq_enable();	/* the boot CPU takes interrupts from here on */
}
