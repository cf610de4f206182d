// SPDX-License-Identifier: GPL-2.0
/*
 * panic(), register dumps and symbolized backtraces. The symbol table is
 * generated at link time by scripts/kallsyms.py (sorted text addresses and
 * their names). Backtraces follow the frame-pointer chain (the kernel is
 * built with -fno-omit-frame-pointer).
 */
#include <asm/ptrace.h>
#include <asm/x86.h>
#include <mosaic/boot.h>
#include <mosaic/console.h>
#include <mosaic/page.h>
#include <mosaic/panic.h>
#include <mosaic/param.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_offsets[];
extern const char kallsyms_names[];

void console_unlock_for_panic(void);
void __attribute__((weak)) smp_send_stop(void) { }

/* panic=halt (default) stops here; panic=exit ends QEMU as a failure (tests). */
static const char *panic_action = "halt";
KERNEL_PARAM("panic", param_set_string, &panic_action, "halt | exit: what panic() does at the end");

static volatile int panicking;

/* Index of the last symbol at or below addr, or -1. */
static long kallsyms_lookup(unsigned long addr)
{
	long lo = 0, hi = (long)kallsyms_num - 1, best = -1;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext)
		return -1;
	while (lo <= hi) {
		long mid = (lo + hi) / 2;

		if (kallsyms_addrs[mid] <= addr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best;
}

int sprint_symbol(char *buf, size_t size, unsigned long addr)
{
	long i = kallsyms_lookup(addr);
	unsigned long end;

	if (i < 0)
		return snprintf(buf, size, "0x%lx", addr);
	end = i + 1 < (long)kallsyms_num ? kallsyms_addrs[i + 1] : (unsigned long)_etext;
	return snprintf(buf, size, "%s+0x%lx/0x%lx", kallsyms_names + kallsyms_offsets[i],
			addr - (unsigned long)kallsyms_addrs[i], end - (unsigned long)kallsyms_addrs[i]);
}

static bool plausible_frame(unsigned long fp)
{
	return fp >= DIRECT_MAP_BASE && IS_ALIGNED(fp, 8) && fp < 0xfffffffffffff000UL;
}

void show_backtrace(unsigned long fp, unsigned long first_ip)
{
	char sym[128];
	int depth;

	printk(KERN_EMERG "Call trace:\n");
	if (first_ip) {
		sprint_symbol(sym, sizeof(sym), first_ip);
		printk(KERN_EMERG "  [<%016lx>] %s\n", first_ip, sym);
	}
	for (depth = 0; depth < 32 && plausible_frame(fp); depth++) {
		unsigned long ret = ((unsigned long *)fp)[1];

		if (ret < (unsigned long)_text || ret >= (unsigned long)_etext)
			break;
		sprint_symbol(sym, sizeof(sym), ret);
		printk(KERN_EMERG "  [<%016lx>] %s\n", ret, sym);
		fp = ((unsigned long *)fp)[0];
	}
}

void dump_stack(void)
{
	show_backtrace((unsigned long)__builtin_frame_address(0), 0);
}

void show_regs(const struct pt_regs *r)
{
	char sym[128];

	sprint_symbol(sym, sizeof(sym), r->rip);
	printk(KERN_EMERG "RIP: %04llx:%016llx %s  RFLAGS: %08llx\n", r->cs, r->rip, sym, r->rflags);
	printk(KERN_EMERG "RSP: %04llx:%016llx  CR2: %016llx  CR3: %016llx\n", r->ss, r->rsp,
	       read_cr2(), read_cr3());
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n", r->rax, r->rbx, r->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n", r->rdx, r->rsi, r->rdi);
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n", r->rbp, r->r8, r->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n", r->r10, r->r11, r->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n", r->r13, r->r14, r->r15);
	if (!user_mode(r))
		show_backtrace(r->rbp, r->rip);
}

/* Capture the caller's registers so panic() can show them like a trap. */
static void capture_regs(struct pt_regs *r)
{
	__asm__ volatile("movq %%rax, %0; movq %%rbx, %1; movq %%rcx, %2; movq %%rdx, %3"
			 : "=m"(r->rax), "=m"(r->rbx), "=m"(r->rcx), "=m"(r->rdx));
	__asm__ volatile("movq %%rsi, %0; movq %%rdi, %1; movq %%rbp, %2; movq %%rsp, %3"
			 : "=m"(r->rsi), "=m"(r->rdi), "=m"(r->rbp), "=m"(r->rsp));
	__asm__ volatile("movq %%r8, %0; movq %%r9, %1; movq %%r10, %2; movq %%r11, %3"
			 : "=m"(r->r8), "=m"(r->r9), "=m"(r->r10), "=m"(r->r11));
	__asm__ volatile("movq %%r12, %0; movq %%r13, %1; movq %%r14, %2; movq %%r15, %3"
			 : "=m"(r->r12), "=m"(r->r13), "=m"(r->r14), "=m"(r->r15));
	__asm__ volatile("leaq 0(%%rip), %0; movw %%cs, %1; movw %%ss, %2"
			 : "=r"(r->rip), "=m"(r->cs), "=m"(r->ss));
	r->rflags = local_save_flags();
}

__noreturn void panic(const char *fmt, ...)
{
	struct pt_regs regs = { 0 };
	char msg[256];
	va_list ap;

	local_irq_disable();
	capture_regs(&regs);
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) {
		for (;;)	/* another CPU is already panicking */
			halt();
	}
	console_unlock_for_panic();
	smp_send_stop();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic on CPU %u: %s\n", this_cpu()->cpu, msg);
	regs.rbp = (u64)__builtin_frame_address(0);
	show_regs(&regs);
	printk(KERN_EMERG "---[ end Kernel panic: %s ]---\n", msg);
	if (!strcmp(panic_action, "exit"))
		qemu_exit(QEMU_EXIT_FAILURE);
	for (;;)
		halt();
}

void __warn(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: %s at %s:%d\n", cond, file, line);
	dump_stack();
}
