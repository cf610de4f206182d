// SPDX-License-Identifier: GPL-2.0
/*
 * The boot banner: once every CPU is up and memory, the pcache and the
 * scheduler are set up, one block of lines says what this kernel runs on:
 *
 *   Mosaic 0.1 up in 0.045 s (guest time):
 *     CPUs:     2 online of 2, QEMU TCG CPU version 2.5+ (AuthenticAMD family 15)
 *     memory:   511 MiB RAM, 437 MiB free after boot
 *     pcache:   64 MiB: 16120 lines of 4 KiB, 2015 sets x 8 ways
 *     cmdline:  mosaic.role=all ktest=all
 */
#include <asm/cpuinfo.h>
#include <mosaic/boot.h>
#include <mosaic/init.h>
#include <mosaic/mm.h>
#include <mosaic/pcache.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/smp.h>
#include <mosaic/time.h>

/* RAM the loader called usable (the kernel image and the pcache included). */
static u64 usable_ram_bytes(void)
{
	u64 total = 0;
	int i;

	for (i = 0; i < boot_info.nr_mem; i++)
		if (boot_info.mem[i].type == BOOT_MEM_USABLE)
			total += boot_info.mem[i].len;
	return total;
}

static void print_cpus(void)
{
	struct cpu_ident id;

	cpu_identify(&id);
	pr_info("  CPUs:     %u online of %u, %s (%s family %u)\n", nr_cpus_online,
		nr_cpus_possible(), id.model_name, id.vendor, id.family);
}

static void print_memory(void)
{
	pr_info("  memory:   %llu MiB RAM, %lu MiB free after boot\n",
		usable_ram_bytes() >> 20, nr_free_pages() >> (20 - PAGE_SHIFT));
}

static void print_pcache(void)
{
	if (!pcache.nr_lines) {
		pr_info("  pcache:   none (no region reserved)\n");
		return;
	}
	pr_info("  pcache:   %llu MiB: %lu lines of 4 KiB, %lu sets x %u ways\n",
		pcache_region.size >> 20, pcache.nr_lines, pcache.nr_sets, pcache.assoc);
}

void print_system_summary(void)
{
	u64 ms = ktime_ns() / NSEC_PER_MSEC;

	pr_info("Mosaic %s up in %llu.%03llu s (guest time):\n", MOSAIC_VERSION, ms / 1000,
		ms % 1000);
	print_cpus();
	print_memory();
	print_pcache();
	pr_info("  cmdline:  %s\n", boot_info.cmdline);
}
