// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "cpu": every CPU the firmware listed checks in, with a
 * distinct APIC id that matches its hardware, and runs on its own
 * descriptor tables.
 */
#include <asm/apic.h>
#include <asm/desc.h>
#include <mosaic/acpi.h>
#include <mosaic/ktest.h>
#include <mosaic/percpu.h>
#include <mosaic/smp.h>

KTEST(cpu, every_listed_cpu_is_online)
{
	unsigned int cpu, counted = 0;

	for_each_online_cpu(cpu) {
		KEXPECT_EQ(cpu_locals[cpu].cpu, cpu);
		counted++;
	}
	KEXPECT_EQ(counted, nr_cpus_online);
	KEXPECT_EQ(nr_cpus_online, nr_cpus_possible());
	KEXPECT_EQ(cpumask_weight(cpu_online_mask()), nr_cpus_online);
}

KTEST(cpu, apic_ids_are_distinct)
{
	unsigned int a, b;

	for_each_online_cpu(a)
		for_each_online_cpu(b)
			if (a < b)
				KEXPECT_NE(cpu_locals[a].apic_id, cpu_locals[b].apic_id);
}

struct cpu_report {
	unsigned int cpu;
	unsigned int hw_apic_id;
	u16 task_register;
	u16 code_segment;
	u64 gdt_base;
};

static struct cpu_report reports[CONFIG_NR_CPUS];

static void report_self(void *unused)
{
	struct cpu_report *r = &reports[smp_processor_id()];
	struct desc_ptr gdt;

	r->cpu = this_cpu()->cpu;
	r->hw_apic_id = lapic_id();
	__asm__ volatile("str %0" : "=r"(r->task_register));
	__asm__ volatile("movw %%cs, %0" : "=r"(r->code_segment));
	__asm__ volatile("sgdt %0" : "=m"(gdt));
	r->gdt_base = gdt.base;
}

KTEST(cpu, each_cpu_runs_on_its_own_tables)
{
	unsigned int cpu, other;

	KASSERT_EQ(smp_call_function_many(cpu_online_mask(), report_self, NULL, true), 0);
	for_each_online_cpu(cpu) {
		KEXPECT_EQ(reports[cpu].cpu, cpu);
		KEXPECT_EQ(reports[cpu].hw_apic_id, cpu_locals[cpu].apic_id);
		KEXPECT_EQ(reports[cpu].task_register, GDT_TSS);
		KEXPECT_EQ(reports[cpu].code_segment, GDT_KERNEL_CS);
		for_each_online_cpu(other)
			if (other < cpu)
				KEXPECT_NE(reports[other].gdt_base, reports[cpu].gdt_base);
	}
}

KTEST(cpu, madt_was_found)
{
	KEXPECT(acpi_madt_found);
	KEXPECT(acpi_madt.nr_ioapics >= 1);
	KEXPECT_NE(acpi_madt.lapic_address, 0);
}
