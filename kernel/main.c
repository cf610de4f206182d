// SPDX-License-Identifier: GPL-2.0
/*
 * start_kernel(): the boot sequence, in order. Each step is one subsystem's
 * init function; read this file to learn the order things come up in.
 */
#include <asm/x86.h>
#include <mosaic/boot.h>
#include <mosaic/console.h>
#include <mosaic/fs.h>
#include <mosaic/fail_alloc.h>
#include <mosaic/init.h>
#include <mosaic/irq.h>
#include <mosaic/kbench.h>
#include <mosaic/ktest.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/pci.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/profile.h>
#include <mosaic/rpc.h>
#include <mosaic/runner.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/storage.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>

static void print_banner(void)
{
	pr_info("Mosaic %s booting via %s\n", MOSAIC_VERSION, boot_info.protocol);
	pr_info("Command line: %s\n", boot_info.cmdline);
}

__noreturn void kernel_poweroff(bool success)
{
	pr_info("Mosaic: powering off (%s)\n", success ? "success" : "failure");
	qemu_exit(success ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	local_irq_disable();
	for (;;)
		halt();
}

/* A memory or storage node: no /init; its managers answer RPCs until power-off. */
static __noreturn void serve_forever(void)
{
	bool both = rpc_has_role(RPC_ROLE_MEMORY | RPC_ROLE_STORAGE);

	pr_info("mosaic: node %d ready: %s\n", rpc_self_node(),
		both ? "memory,storage" : rpc_has_role(RPC_ROLE_MEMORY) ? "memory" : "storage");
	for (;;)
		msleep(1000);
}

__noreturn void start_kernel(void)
{
	int ret;

	print_banner();
	params_init(boot_info.cmdline);
	mm_init();
	apic_init();
	time_calibrate();
	smp_init();
	if (rpc_has_role(RPC_ROLE_STORAGE))
		storage_init();
	if (rpc_has_role(RPC_ROLE_MEMORY))
		memory_manager_init();
	if (rpc_has_role(RPC_ROLE_PROCESSOR)) {
		pcache_init();
		memory_node_failure_init();
	}
	syscall_init();
	fs_init();
	task_limit_init();	/* /proc/tasks */
	profile_init();		/* /proc/profile */
	fail_alloc_init();	/* /proc/fail_alloc */
	pci_init();	/* and the NIC drivers' probes */
	sched_init();	/* the boot context becomes a task */
	eth_transport_init();	/* kthreads, and the NICs pci_init() found */
	if (rpc_has_role(RPC_ROLE_PROCESSOR) && pcache_sweep_start())
		pr_warn("pcache: no sweep thread (out of memory)\n");
	console_tty_start();
	print_system_summary();

	if (ktest_requested() || kbench_requested() || runner_requested()) {
		bool ok = ktest_run_selected() == 0;

		ok = kbench_run_selected() == 0 && ok;
		if (runner_requested())
			ok = runner_run_all() == 0 && ok;
		kernel_poweroff(ok);
	}
	if (!rpc_has_role(RPC_ROLE_PROCESSOR))
		serve_forever();
	ret = runner_run_init();
	if (ret >= 0)
		kernel_poweroff(ret == 0);
	pr_info("Mosaic: nothing to run; halting\n");
	for (;;)
		halt();
}
