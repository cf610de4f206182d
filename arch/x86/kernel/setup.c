// SPDX-License-Identifier: GPL-2.0
/* The first C code: per-CPU base, boot information, then the generic kernel. */
#include <asm/smap.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/thread.h>
#include <asm/x86.h>
#include <mosaic/boot.h>
#include <mosaic/console.h>
#include <mosaic/init.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/time.h>

struct cpu_local cpu_locals[CONFIG_NR_CPUS];
unsigned int nr_cpus_online = 1;

void percpu_install(struct cpu_local *c)
{
	c->self = c;
	wrmsr(MSR_GS_BASE, (u64)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

unsigned int smp_processor_id(void)
{
	return this_cpu()->cpu;
}

__noreturn void x86_64_start(u32 magic, u32 info_phys)
{
	int err;

	percpu_install(&cpu_locals[0]);
	cpu_locals[0].online = true;
	trap_init();	/* faults from here on are reported, not a triple fault */
	cpu_user_mode_init();
	time_early_init();
	serial_init();
	fpu_report();	/* chosen in cpu_user_mode_init(), before the console was up */
	cpu_protect_report();
	err = bootinfo_parse(magic, info_phys);
	if (err)
		pr_err("boot: unrecognised loader (magic %#x) or missing memory map; "
		       "boot with GRUB (multiboot2) or QEMU -kernel (PVH)\n", magic);
	start_kernel();
}
