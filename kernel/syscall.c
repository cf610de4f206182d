// SPDX-License-Identifier: GPL-2.0
/*
 * The system call table (include/mosaic/syscall.h): built at boot from the
 * SYSCALL_DEFINEn entries in the .syscalls section, indexed by the Linux
 * x86-64 number.
 */
#include <asm/ptrace.h>
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>
#include <mosaic/syscall.h>

extern const struct syscall_def __start_syscalls[], __stop_syscalls[];

static const struct syscall_def *syscall_table[NR_SYSCALLS];

void syscall_init(void)
{
	const struct syscall_def *d;
	unsigned int n = 0;

	for (d = __start_syscalls; d < __stop_syscalls; d++, n++) {
		if (d->nr >= NR_SYSCALLS)
			panic("syscall %s: number %u out of range", d->name, d->nr);
		if (syscall_table[d->nr])
			panic("syscall %u defined twice (%s and %s)", d->nr,
			      syscall_table[d->nr]->name, d->name);
		syscall_table[d->nr] = d;
	}
	pr_info("syscall: %u system calls\n", n);
}

const char *syscall_name(unsigned int nr)
{
	return nr < NR_SYSCALLS && syscall_table[nr] ? syscall_table[nr]->name : NULL;
}

long syscall_invoke(unsigned int nr, const unsigned long args[6])
{
	if (nr >= NR_SYSCALLS || !syscall_table[nr])
		return -ENOSYS;
	return syscall_table[nr]->fn(args);
}

/*
 * Name each unknown number once per boot: a program probing for a call
 * (glibc tries clone3, rseq...) or a fuzzer must not flood the console.
 * Numbers past the table share one "once" flag.
 */
static void report_unknown(unsigned long nr)
{
	static u8 reported[NR_SYSCALLS + 1];
	unsigned long slot = nr < NR_SYSCALLS ? nr : NR_SYSCALLS;
	struct task *t = current_task();

	if (__atomic_exchange_n(&reported[slot], 1, __ATOMIC_RELAXED))
		return;
	pr_warn("syscall: %s (pid %d) called unknown system call %lu: -ENOSYS%s\n",
		t ? t->name : "?", t ? t->pid : 0, nr,
		slot == NR_SYSCALLS ? " (later numbers past the table are not reported)" :
				      " (reported once)");
}

void syscall_dispatch(struct pt_regs *regs)
{
	unsigned long nr = regs->rax;
	unsigned long args[6] = { regs->rdi, regs->rsi, regs->rdx,
				  regs->r10, regs->r8, regs->r9 };

	if (nr >= NR_SYSCALLS || !syscall_table[nr]) {
		report_unknown(nr);
		regs->rax = -ENOSYS;
		return;
	}
	regs->rax = syscall_table[nr]->fn(args);
}
