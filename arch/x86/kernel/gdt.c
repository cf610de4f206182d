// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU GDT and TSS (layout in include/asm/desc.h). Each CPU has its own
 * pair because the TSS descriptor is marked busy when loaded and the TSS
 * holds that CPU's stacks: RSP0 for entries from user mode and the IST
 * stacks that #DF, NMI and #MC always switch to, so they run on a good
 * stack even when the kernel stack overflowed.
 */
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/smp.h>
#include <mosaic/printk.h>

#define IST_STACK_ORDER 1
#define IST_STACK_SIZE (PAGE_SIZE << IST_STACK_ORDER)

#define DESC_KERNEL_CODE64 0x00af9a000000ffffULL
#define DESC_KERNEL_DATA 0x00cf92000000ffffULL
#define DESC_USER_DATA 0x00cff2000000ffffULL
#define DESC_USER_CODE64 0x00affa000000ffffULL
#define DESC_TSS_AVAILABLE 0x89ULL

struct cpu_desc_tables {
	u64 gdt[GDT_ENTRIES];
	struct tss64 tss;
} __aligned(16);

static struct cpu_desc_tables cpu_tables[CONFIG_NR_CPUS];
/* The boot CPU's IST stacks are static so traps work before mm_init(). */
static u8 boot_ist_stacks[NR_IST_STACKS][IST_STACK_SIZE] __aligned(16);

/* A 64-bit TSS descriptor takes two GDT slots. */
static void set_tss_descriptor(u64 *slot, const struct tss64 *tss)
{
	u64 base = (u64)tss;
	u64 limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (DESC_TSS_AVAILABLE << 40) |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

static void build_tables(struct cpu_desc_tables *t, const unsigned long *ist_tops)
{
	int i;

	t->gdt[0] = 0;
	t->gdt[GDT_KERNEL_CS >> 3] = DESC_KERNEL_CODE64;
	t->gdt[GDT_KERNEL_DS >> 3] = DESC_KERNEL_DATA;
	t->gdt[GDT_USER_DS >> 3] = DESC_USER_DATA;
	t->gdt[GDT_USER_CS >> 3] = DESC_USER_CODE64;
	for (i = 0; i < NR_IST_STACKS; i++)
		t->tss.ist[i] = ist_tops[i];
	t->tss.iomap_base = sizeof(t->tss);
	set_tss_descriptor(&t->gdt[GDT_TSS >> 3], &t->tss);
}

/* Load the GDT, reload CS through a far return, then the data segments and TR. */
static void load_tables(struct cpu_desc_tables *t)
{
	struct desc_ptr p = { .limit = sizeof(t->gdt) - 1, .base = (u64)t->gdt };

	load_gdt(&p);
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:" :: "i"(GDT_KERNEL_CS) : "rax", "memory");
	/* FS and GS stay as they are: loading them would clear the per-CPU base. */
	__asm__ volatile("movw %w0, %%ds; movw %w0, %%es; movw %w0, %%ss"
			 :: "r"(GDT_KERNEL_DS) : "memory");
	load_tr(GDT_TSS);
}

static int ist_stack_tops(unsigned int cpu, unsigned long *tops)
{
	int i;

	for (i = 0; i < NR_IST_STACKS; i++) {
		u8 *stack = cpu == 0 ? boot_ist_stacks[i] : get_zeroed_pages(IST_STACK_ORDER);

		if (!stack)
			return -ENOMEM;	/* a few pages leak: the CPU stays offline anyway */
		tops[i] = (unsigned long)stack + IST_STACK_SIZE;
	}
	return 0;
}

int cpu_desc_setup(unsigned int cpu)
{
	unsigned long tops[NR_IST_STACKS];
	int err;

	if (cpu >= CONFIG_NR_CPUS)
		return -EINVAL;
	err = ist_stack_tops(cpu, tops);
	if (err)
		return err;
	build_tables(&cpu_tables[cpu], tops);
	load_tables(&cpu_tables[cpu]);
	idt_load();
	return 0;
}

void arch_set_kernel_stack(unsigned long top)
{
	cpu_tables[smp_processor_id()].tss.rsp[0] = top;
}

void trap_init(void)
{
	idt_init();
	cpu_desc_setup(0);	/* static stacks: cannot fail */
}
