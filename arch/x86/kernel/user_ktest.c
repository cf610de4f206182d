// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for user mode (suite `user`): ring-3 code with SYSCALL, FS/GS
 * bases, FPU state across switches, timer preemption in ring 3, and bad
 * input from user mode.
 *
 * Each test builds a tiny address space by hand (no memory manager, no
 * pcache): a code page, a data page and a stack page at low addresses,
 * copies one of the assembly blobs below into the code page, and runs it
 * in a kernel thread that enters ring 3 with arch_enter_user(). The blobs
 * never fault: they report through the data page (which the test reads
 * through its kernel address) and end with the test-only exit call.
 *
 * Test-only system calls (numbers 500-503, unused by Linux; only the
 * threads started here may use them, others get -ENOSYS):
 *   500 exit(a0..a5)       record the arguments, end the thread
 *   501 echo(a0..a5)       return a0 + 2*a1 + ... + 6*a5
 *   502 yield()            yield() to the other tasks of the CPU
 *   503 copy(uaddr, dir)   8 bytes from (dir 0) or to (dir 1) uaddr
 *   504 redirect(rip, rcx) return to rip with rcx (as a signal frame would)
 */
#include <asm/fpu.h>
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pgtable.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/arch_prctl.h>

#define UT_CODE_VA 0x400000
#define UT_DATA_VA 0x600000
#define UT_STACK_VA 0x7ff000
#define UT_STACK_TOP 0x800000
#define UT_UNMAPPED_VA 0x900000
#define UT_KERNEL_VA 0xffffffff80100000
#define UT_TGID 0x7e57

#define UT_NR_EXIT 500
#define UT_NR_ECHO 501
#define UT_NR_YIELD 502
#define UT_NR_COPY 503
#define UT_NR_REDIRECT 504
#define UT_NR_UNUSED 511	/* below NR_SYSCALLS, never registered */

#define __UT_STR(x) #x
#define UT_STR(x) __UT_STR(x)
/* The data page's byte at offset off, as an absolute address operand. */
#define D(off) UT_STR(UT_DATA_VA) "+" UT_STR(off)

#define UT_SYSCALL_EXIT " mov $" UT_STR(UT_NR_EXIT) ", %eax\n syscall\n ud2\n"
#define UT_STORE_RAX(off) " mov %rax, " D(off) "\n"
#define UT_PRCTL(code, addr, off) " mov $158, %eax\n mov $" UT_STR(code) ", %edi\n" \
	" movabs $" UT_STR(addr) ", %rsi\n syscall\n" UT_STORE_RAX(off)
#define UT_COPY(addr, dir, off) " movabs $" UT_STR(addr) ", %rdi\n mov $" #dir ", %esi\n" \
	" mov $" UT_STR(UT_NR_COPY) ", %eax\n syscall\n" UT_STORE_RAX(off)
#define UT_YIELD_LOOP(label) label ": mov $" UT_STR(UT_NR_YIELD) ", %eax\n syscall\n" \
	" dec %r12\n jnz " label "b\n"
#define UT_REGS16 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"

/* The user programs, assembled with the kernel and copied to UT_CODE_VA. */
__asm__(".pushsection .rodata.utest_blobs, \"a\"\n"
	/* Callee-saved registers and arguments survive a syscall. */
	"utest_regs_start:\n"
	" movabs $0x1111111111111111, %rbx\n movabs $0x2222222222222222, %rbp\n"
	" movabs $0x3333333333333333, %r12\n movabs $0x4444444444444444, %r13\n"
	" movabs $0x5555555555555555, %r14\n movabs $0x6666666666666666, %r15\n"
	" mov $1, %edi\n mov $2, %esi\n mov $3, %edx\n mov $4, %r10d\n mov $5, %r8d\n"
	" mov $6, %r9d\n mov $" UT_STR(UT_NR_ECHO) ", %eax\n syscall\n"
	"utest_regs_ret:\n"
	" mov %rax, " D(0) "\n mov %rcx, " D(8) "\n mov %r11, " D(16) "\n"
	" mov %rbx, " D(24) "\n mov %rbp, " D(32) "\n mov %r12, " D(40) "\n"
	" mov %r13, " D(48) "\n mov %r14, " D(56) "\n mov %r15, " D(64) "\n"
	" mov %rsp, " D(72) "\n mov %rdi, " D(80) "\n mov %rsi, " D(88) "\n"
	" mov %rdx, " D(96) "\n mov %r10, " D(104) "\n mov %r8, " D(112) "\n"
	" mov %r9, " D(120) "\n"
	UT_SYSCALL_EXIT
	"utest_regs_end:\n"

	/* FS and GS bases set and read back, through the segment and arch_prctl. */
	"utest_fs_start:\n"
	UT_PRCTL(ARCH_SET_FS, UT_DATA_VA + 0x800, 0)
	" mov %fs:0, %rax\n" UT_STORE_RAX(8)
	UT_PRCTL(ARCH_GET_FS, UT_DATA_VA + 0x10, 0x18)
	UT_PRCTL(ARCH_SET_GS, UT_DATA_VA + 0x900, 0x20)
	" mov %gs:0, %rax\n" UT_STORE_RAX(0x28)
	UT_PRCTL(ARCH_GET_GS, UT_DATA_VA + 0x30, 0x38)
	UT_SYSCALL_EXIT
	"utest_fs_end:\n"

	/*
	 * FPU: report the initial FCW/MXCSR, load this task's MXCSR, FS and GS
	 * bases (+0x50, +0x58) and vector registers (ymm with AVX, flag at +8,
	 * else xmm), yield (+0x10) times, store everything back at +0x400.
	 */
	"utest_fpu_start:\n"
	" fnstcw " D(0x20) "\n stmxcsr " D(0x24) "\n ldmxcsr " D(0x30) "\n"
	" mov $158, %eax\n mov $" UT_STR(ARCH_SET_FS) ", %edi\n mov " D(0x50) ", %rsi\n syscall\n"
	" mov $158, %eax\n mov $" UT_STR(ARCH_SET_GS) ", %edi\n mov " D(0x58) ", %rsi\n syscall\n"
	" mov " D(0x10) ", %r12\n cmpq $0, " D(8) "\n je 2f\n"
	" .irp i," UT_REGS16 "\n vmovdqu " D(0x100) "+\\i*32, %ymm\\i\n .endr\n"
	UT_YIELD_LOOP("1")
	" .irp i," UT_REGS16 "\n vmovdqu %ymm\\i, " D(0x400) "+\\i*32\n .endr\n"
	" jmp 4f\n"
	"2: .irp i," UT_REGS16 "\n movdqu " D(0x100) "+\\i*16, %xmm\\i\n .endr\n"
	UT_YIELD_LOOP("3")
	" .irp i," UT_REGS16 "\n movdqu %xmm\\i, " D(0x400) "+\\i*16\n .endr\n"
	"4: stmxcsr " D(0x34) "\n"
	" mov %fs:0, %rax\n" UT_STORE_RAX(0x28)
	" mov %gs:0, %rax\n" UT_STORE_RAX(0x38)
	UT_SYSCALL_EXIT
	"utest_fpu_end:\n"

	/* Spin in ring 3 until +0 is set (by a kthread) or the TSC passes +8. */
	"utest_spin_start:\n"
	" movq $1, " D(0x18) "\n"
	"1: cmpq $0, " D(0) "\n jne 2f\n"
	" rdtsc\n shl $32, %rdx\n or %rdx, %rax\n cmp " D(8) ", %rax\n jb 1b\n"
	" jmp 3f\n"
	"2: movq $1, " D(0x10) "\n"
	"3:" UT_SYSCALL_EXIT
	"utest_spin_end:\n"

	/* Bad system call numbers. */
	"utest_nosys_start:\n"
	" mov $" UT_STR(UT_NR_UNUSED) ", %eax\n syscall\n" UT_STORE_RAX(0)
	" mov $100000, %eax\n syscall\n" UT_STORE_RAX(8)
	" mov $-1, %rax\n syscall\n" UT_STORE_RAX(0x10)
	UT_SYSCALL_EXIT
	"utest_nosys_end:\n"

	/* User copies: unmapped and kernel addresses, then two good ones. */
	"utest_copy_start:\n"
	UT_COPY(UT_UNMAPPED_VA, 0, 0) UT_COPY(UT_UNMAPPED_VA, 1, 8)
	UT_COPY(UT_KERNEL_VA, 0, 0x10) UT_COPY(UT_KERNEL_VA, 1, 0x18)
	UT_COPY(UT_DATA_VA + 0x100, 0, 0x20) UT_COPY(UT_DATA_VA + 0x108, 1, 0x28)
	UT_SYSCALL_EXIT
	"utest_copy_end:\n"

	/* arch_prctl with bad codes, bases and pointers; one good GET. */
	"utest_prctl_start:\n"
	UT_PRCTL(0x9999, 0, 0)
	UT_PRCTL(ARCH_SET_FS, 0xffff800000000000, 8)
	UT_PRCTL(ARCH_SET_FS, 0x0000800000000000, 0x10)
	UT_PRCTL(ARCH_SET_GS, 0x00007ffffffff000, 0x18)
	UT_PRCTL(ARCH_GET_FS, UT_UNMAPPED_VA, 0x20)
	UT_PRCTL(ARCH_GET_GS, UT_KERNEL_VA, 0x28)
	UT_PRCTL(ARCH_GET_FS, UT_DATA_VA + 0x200, 0x30)
	UT_SYSCALL_EXIT
	"utest_prctl_end:\n"
	/* A frame the system call rewrote: the way out must be iretq. */
	"utest_iret_start:\n"
	" lea 1f(%rip), %rdi\n mov $0xc0ffee, %esi\n"
	" mov $" UT_STR(UT_NR_REDIRECT) ", %eax\n syscall\n ud2\n"
	"1: mov %rcx, " D(0) "\n mov %r11, " D(8) "\n" UT_STORE_RAX(0x10)
	UT_SYSCALL_EXIT
	"utest_iret_end:\n"
	".popsection\n");

#define DECLARE_BLOB(name) extern const u8 utest_##name##_start[], utest_##name##_end[]
DECLARE_BLOB(regs);
DECLARE_BLOB(fs);
DECLARE_BLOB(fpu);
DECLARE_BLOB(spin);
DECLARE_BLOB(nosys);
DECLARE_BLOB(copy);
DECLARE_BLOB(prctl);
DECLARE_BLOB(iret);
extern const u8 utest_regs_ret[];

/* A hand-built address space: three pages, by their kernel addresses. */
struct user_space {
	struct mm_struct *mm;
	u8 *code, *data, *stack;
};

/* One run of a blob in its own kernel thread. */
struct user_run {
	struct user_space space;
	u64 exit_args[6];
	bool exited;
	u64 copied;		/* what syscall 503 read */
	u64 to_write;		/* what syscall 503 writes */
};

static int user_thread_main(void *arg);

/* The run of the calling thread, or NULL when it is not one of ours. */
static struct user_run *this_run(void)
{
	struct task *self = current_task();

	return self->fn == user_thread_main ? self->arg : NULL;
}

static int space_map(struct user_space *s, unsigned long va, u8 *page, u64 flags)
{
	return pgtable_map_page(s->mm->pml4, va, __pa(page), PTE_US | flags);
}

/* Unmapping a page that was never mapped is harmless (-ENOENT). */
static void space_destroy(struct user_space *s)
{
	if (s->mm) {
		pgtable_unmap_page(s->mm->pml4, UT_CODE_VA);
		pgtable_unmap_page(s->mm->pml4, UT_DATA_VA);
		pgtable_unmap_page(s->mm->pml4, UT_STACK_VA);
		mm_put(s->mm);
	}
	free_pages_addr(s->code, 0);
	free_pages_addr(s->data, 0);
	free_pages_addr(s->stack, 0);
	memset(s, 0, sizeof(*s));
}

/* Code page (read, execute) holding the blob, data and stack pages (read, write). */
static int space_create(struct user_space *s, const u8 *blob, const u8 *blob_end)
{
	memset(s, 0, sizeof(*s));
	s->mm = mm_create(UT_TGID, 0);
	s->code = get_zeroed_pages(0);
	s->data = get_zeroed_pages(0);
	s->stack = get_zeroed_pages(0);
	if (!s->mm || !s->code || !s->data || !s->stack)
		goto fail;
	memcpy(s->code, blob, blob_end - blob);
	if (space_map(s, UT_CODE_VA, s->code, 0) ||
	    space_map(s, UT_DATA_VA, s->data, PTE_RW | PTE_NX) ||
	    space_map(s, UT_STACK_VA, s->stack, PTE_RW | PTE_NX))
		goto fail;
	return 0;
fail:
	space_destroy(s);
	return -ENOMEM;
}

static u64 data_u64(const struct user_run *run, unsigned int off)
{
	u64 v;

	memcpy(&v, run->space.data + off, sizeof(v));
	return v;
}

static void data_set_u64(struct user_run *run, unsigned int off, u64 v)
{
	memcpy(run->space.data + off, &v, sizeof(v));
}

static int user_thread_main(void *arg)
{
	struct user_run *run = arg;
	struct task *self = current_task();

	self->mm = run->space.mm;	/* before switch_mm: a preemption in between reloads it */
	switch_mm(NULL, self->mm);
	arch_enter_user(UT_CODE_VA, UT_STACK_TOP);
}

static struct task *run_start(struct user_run *run, unsigned int cpu)
{
	return kthread_create_on_cpu(user_thread_main, run, "utest", cpu);
}

/* Run a prepared space to its exit call; false when the thread did not start. */
static bool run_to_exit(struct user_run *run)
{
	struct task *t = run_start(run, smp_processor_id());

	if (IS_ERR(t))
		return false;
	kthread_join(t);
	return run->exited;
}

SYSCALL_DEFINE6(utest_exit, UT_NR_EXIT, u64, a0, u64, a1, u64, a2, u64, a3, u64, a4, u64, a5)
{
	struct user_run *run = this_run();
	struct task *self = current_task();

	if (!run)
		return -ENOSYS;
	run->exit_args[0] = a0;
	run->exit_args[1] = a1;
	run->exit_args[2] = a2;
	run->exit_args[3] = a3;
	run->exit_args[4] = a4;
	run->exit_args[5] = a5;
	run->exited = true;
	local_irq_disable();	/* mm and CR3 change together */
	switch_mm(self->mm, NULL);
	self->mm = NULL;
	kthread_exit(0);
}

SYSCALL_DEFINE6(utest_echo, UT_NR_ECHO, u64, a0, u64, a1, u64, a2, u64, a3, u64, a4, u64, a5)
{
	if (!this_run())
		return -ENOSYS;
	return a0 + 2 * a1 + 3 * a2 + 4 * a3 + 5 * a4 + 6 * a5;
}

SYSCALL_DEFINE0(utest_yield, UT_NR_YIELD)
{
	if (!this_run())
		return -ENOSYS;
	yield();
	return 0;
}

SYSCALL_DEFINE2(utest_copy, UT_NR_COPY, u64 __user *, uaddr, int, to_user)
{
	struct user_run *run = this_run();
	u64 v;
	int err;

	if (!run)
		return -ENOSYS;
	if (to_user) {
		v = run->to_write;
		return copy_to_user(uaddr, &v, sizeof(v));
	}
	err = copy_from_user(&v, uaddr, sizeof(v));
	if (!err)
		run->copied = v;
	return err;
}

/* Rewrite the saved frame: resume at rip with rcx, and r11 unlike rflags. */
SYSCALL_DEFINE2(utest_redirect, UT_NR_REDIRECT, unsigned long, rip, unsigned long, rcx)
{
	struct pt_regs *regs = task_user_regs(current_task());

	if (!this_run())
		return -ENOSYS;
	regs->rip = rip;
	regs->rcx = rcx;
	regs->r11 = 0x77;
	return 0;
}

KTEST(user, syscall_preserves_registers)
{
	struct user_run run = { .exited = false };
	static const u64 expect[] = { 91, 0, 0, 0x1111111111111111, 0x2222222222222222,
		0x3333333333333333, 0x4444444444444444, 0x5555555555555555,
		0x6666666666666666, UT_STACK_TOP, 1, 2, 3, 4, 5, 6 };
	unsigned long ret_va = UT_CODE_VA + (utest_regs_ret - utest_regs_start);

	KASSERT(!space_create(&run.space, utest_regs_start, utest_regs_end));
	KEXPECT(run_to_exit(&run));
	for (unsigned int i = 0; i < ARRAY_SIZE(expect); i++)
		if (i != 1 && i != 2)	/* rcx and r11: clobbered, checked below */
			KEXPECT_EQ(data_u64(&run, i * 8), expect[i]);
	KEXPECT_EQ(data_u64(&run, 8), ret_va);		/* rcx = return address */
	KEXPECT(data_u64(&run, 16) & (1UL << 9));	/* r11 = rflags, IF set */
	space_destroy(&run.space);
}

KTEST(user, arch_prctl_fs_gs_bases)
{
	struct user_run run = { .exited = false };

	KASSERT(!space_create(&run.space, utest_fs_start, utest_fs_end));
	data_set_u64(&run, 0x800, 0xf5f5f5f5f5f5f5f5);
	data_set_u64(&run, 0x900, 0x6565656565656565);
	KEXPECT(run_to_exit(&run));
	KEXPECT_EQ(data_u64(&run, 0), 0);			/* SET_FS */
	KEXPECT_EQ(data_u64(&run, 8), 0xf5f5f5f5f5f5f5f5);	/* %fs:0 */
	KEXPECT_EQ(data_u64(&run, 0x18), 0);			/* GET_FS */
	KEXPECT_EQ(data_u64(&run, 0x10), UT_DATA_VA + 0x800);
	KEXPECT_EQ(data_u64(&run, 0x20), 0);			/* SET_GS */
	KEXPECT_EQ(data_u64(&run, 0x28), 0x6565656565656565);	/* %gs:0 */
	KEXPECT_EQ(data_u64(&run, 0x38), 0);			/* GET_GS */
	KEXPECT_EQ(data_u64(&run, 0x30), UT_DATA_VA + 0x900);
	space_destroy(&run.space);
}

#define FPU_TEST_YIELDS 200
#define FPU_PATTERN_OFF 0x100
#define FPU_RESULT_OFF 0x400

static unsigned int fpu_test_bytes(void)
{
	return fpu_avx_offset() ? 16 * 32 : 16 * 16;
}

/* Task k's register pattern, MXCSR (its own rounding mode) and FS/GS markers. */
static void fpu_run_prepare(struct user_run *run, unsigned int k)
{
	for (unsigned int i = 0; i < fpu_test_bytes(); i++)
		run->space.data[FPU_PATTERN_OFF + i] = (u8)(k * 0x55 + i * 13 + 1);
	data_set_u64(run, 8, fpu_avx_offset() != 0);
	data_set_u64(run, 0x10, FPU_TEST_YIELDS);
	data_set_u64(run, 0x30, FPU_INIT_MXCSR | ((k + 1) << 13));
	/* Different bases per task: a switch that skipped them would show. */
	data_set_u64(run, 0x50, UT_DATA_VA + 0x800 + k * 8);
	data_set_u64(run, 0x58, UT_DATA_VA + 0x900 + k * 8);
	data_set_u64(run, 0x800 + k * 8, 0xf500 + k);
	data_set_u64(run, 0x900 + k * 8, 0x6500 + k);
}

static void fpu_run_check(struct user_run *run, unsigned int k)
{
	const u8 *data = run->space.data;

	KEXPECT(run->exited);
	KEXPECT_EQ(data_u64(run, 0x20) & 0xffff, FPU_INIT_FCW);	/* fresh task */
	KEXPECT_EQ(data_u64(run, 0x24) & 0xffffffff, FPU_INIT_MXCSR);
	KEXPECT_EQ(data_u64(run, 0x34) & 0xffffffff, FPU_INIT_MXCSR | ((k + 1) << 13));
	KEXPECT(!memcmp(data + FPU_PATTERN_OFF, data + FPU_RESULT_OFF, fpu_test_bytes()));
	KEXPECT_EQ(data_u64(run, 0x28), 0xf500 + k);
	KEXPECT_EQ(data_u64(run, 0x38), 0x6500 + k);
}

KTEST(user, fpu_fs_gs_survive_switches)
{
	struct user_run runs[2] = { { .exited = false }, { .exited = false } };
	struct task *tasks[2];
	unsigned int k;

	for (k = 0; k < 2; k++) {
		KASSERT(!space_create(&runs[k].space, utest_fpu_start, utest_fpu_end));
		fpu_run_prepare(&runs[k], k);
	}
	for (k = 0; k < 2; k++)
		tasks[k] = run_start(&runs[k], smp_processor_id());
	for (k = 0; k < 2; k++) {
		if (!IS_ERR(tasks[k]))
			kthread_join(tasks[k]);
		fpu_run_check(&runs[k], k);
		space_destroy(&runs[k].space);
	}
}

#define SPIN_LIMIT_MS 3000

/* Runs only when the ring-3 spinner on this CPU is preempted. */
static int spin_watcher(void *arg)
{
	struct user_run *run = arg;

	while (!READ_ONCE(*(volatile u64 *)(run->space.data + 0x18)))
		msleep(1);
	__atomic_store_n((u64 *)run->space.data, 1, __ATOMIC_RELEASE);
	return 0;
}

KTEST(user, timer_preempts_ring3)
{
	struct user_run run = { .exited = false };
	unsigned int cpu = smp_processor_id();
	struct task *user, *watcher;

	KASSERT(!space_create(&run.space, utest_spin_start, utest_spin_end));
	data_set_u64(&run, 8, rdtsc() + tsc_khz * SPIN_LIMIT_MS);
	user = run_start(&run, cpu);
	watcher = kthread_create_on_cpu(spin_watcher, &run, "uwatch", cpu);
	KEXPECT(!IS_ERR(user) && !IS_ERR(watcher));
	if (!IS_ERR(user))
		kthread_join(user);
	if (!IS_ERR(watcher))
		kthread_join(watcher);
	KEXPECT(run.exited);
	KEXPECT_EQ(data_u64(&run, 0x10), 1);	/* saw the watcher's flag before the deadline */
	space_destroy(&run.space);
}

KTEST(user, bad_syscall_number_enosys)
{
	struct user_run run = { .exited = false };

	KASSERT(!space_create(&run.space, utest_nosys_start, utest_nosys_end));
	KEXPECT(run_to_exit(&run));
	KEXPECT_EQ(data_u64(&run, 0), -ENOSYS);
	KEXPECT_EQ(data_u64(&run, 8), -ENOSYS);
	KEXPECT_EQ(data_u64(&run, 0x10), -ENOSYS);
	space_destroy(&run.space);
}

KTEST(user, user_copy_bad_address_efault)
{
	struct user_run run = { .exited = false, .to_write = 0x70707070 };

	KASSERT(!space_create(&run.space, utest_copy_start, utest_copy_end));
	data_set_u64(&run, 0x100, 0xc0c0c0c0);
	KEXPECT(run_to_exit(&run));
	KEXPECT_EQ(data_u64(&run, 0), -EFAULT);		/* from unmapped */
	KEXPECT_EQ(data_u64(&run, 8), -EFAULT);		/* to unmapped */
	KEXPECT_EQ(data_u64(&run, 0x10), -EFAULT);	/* from kernel */
	KEXPECT_EQ(data_u64(&run, 0x18), -EFAULT);	/* to kernel */
	KEXPECT_EQ(data_u64(&run, 0x20), 0);
	KEXPECT_EQ(run.copied, 0xc0c0c0c0);
	KEXPECT_EQ(data_u64(&run, 0x28), 0);
	KEXPECT_EQ(data_u64(&run, 0x108), 0x70707070);
	space_destroy(&run.space);
}

KTEST(user, arch_prctl_bad_input)
{
	struct user_run run = { .exited = false };

	KASSERT(!space_create(&run.space, utest_prctl_start, utest_prctl_end));
	data_set_u64(&run, 0x200, 0xdead);
	KEXPECT(run_to_exit(&run));
	KEXPECT_EQ(data_u64(&run, 0), -EINVAL);		/* unknown code */
	KEXPECT_EQ(data_u64(&run, 8), -EPERM);		/* kernel half */
	KEXPECT_EQ(data_u64(&run, 0x10), -EPERM);	/* non-canonical */
	KEXPECT_EQ(data_u64(&run, 0x18), -EPERM);	/* first address past the user half */
	KEXPECT_EQ(data_u64(&run, 0x20), -EFAULT);	/* GET to unmapped */
	KEXPECT_EQ(data_u64(&run, 0x28), -EFAULT);	/* GET to the kernel */
	KEXPECT_EQ(data_u64(&run, 0x30), 0);
	KEXPECT_EQ(data_u64(&run, 0x200), 0);		/* a fresh program's FS base */
	space_destroy(&run.space);
}

KTEST(user, rewritten_frame_returns_through_iretq)
{
	struct user_run run = { .exited = false };

	KASSERT(!space_create(&run.space, utest_iret_start, utest_iret_end));
	KEXPECT(run_to_exit(&run));
	KEXPECT_EQ(data_u64(&run, 0), 0xc0ffee);	/* SYSRET would give rcx = rip */
	KEXPECT_EQ(data_u64(&run, 8), 0x77);		/* and r11 = rflags */
	KEXPECT_EQ(data_u64(&run, 0x10), 0);
	space_destroy(&run.space);
}

/* The test calls answer only their own threads. */
KTEST(user, test_syscalls_refuse_strangers)
{
	unsigned long args[6] = { 0 };

	KEXPECT_EQ(syscall_invoke(UT_NR_ECHO, args), -ENOSYS);
	KEXPECT_EQ(syscall_invoke(UT_NR_EXIT, args), -ENOSYS);
}
