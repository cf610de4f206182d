// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 signal frames (include/mosaic/signal.h): arch_setup_rt_frame()
 * builds Linux's rt_sigframe on the user stack, rt_sigreturn takes it down.
 *
 * The frame, from the handler's rsp upwards (Documentation/signals.md):
 *   pretcode    sa_restorer: the handler's return address
 *   ucontext    uc_flags, uc_link, uc_stack, sigcontext (256 bytes), uc_sigmask
 *   siginfo     128 bytes
 *   ...         padding; then, 64-byte aligned, the FPU image: the task's
 *               XSAVE area (standard format) with the software bytes in the
 *               legacy area and FP_XSTATE_MAGIC2 after it, or a bare FXSAVE
 *               image when the CPU has no XSAVE
 * The handler starts with rsp % 16 == 8 (as after a call), rdi = signal,
 * rsi = &siginfo, rdx = &ucontext, and a fresh FPU state.
 *
 * Everything sigreturn reads from user memory is checked before it reaches
 * a register: selectors are forced to the user ones, rflags keeps only the
 * arithmetic/trap flags the user may own (IF on, IOPL 0), rip must be a
 * user address, and the FPU image is validated before XRSTOR/FXRSTOR.
 */
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>
#include <asm/thread.h>
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/process.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>

#define X86_EFLAGS_CF (1UL << 0)
#define X86_EFLAGS_PF (1UL << 2)
#define X86_EFLAGS_AF (1UL << 4)
#define X86_EFLAGS_ZF (1UL << 6)
#define X86_EFLAGS_SF (1UL << 7)
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_OF (1UL << 11)
#define X86_EFLAGS_RF (1UL << 16)
#define X86_EFLAGS_AC (1UL << 18)
#define X86_EFLAGS_FIXED (1UL << 1)

/* The flags a frame may set; everything else (IF, IOPL, NT, VM...) is the kernel's. */
#define USER_EFLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
		     X86_EFLAGS_SF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_OF | \
		     X86_EFLAGS_RF | X86_EFLAGS_AC)

#define RED_ZONE 128		/* below rsp, the interrupted function's scratch space */
#define FXSAVE_SIZE 512
#define FPU_IMAGE_ALIGN 64
#define XSAVE_HEADER_SIZE 64
#define FXSAVE_MXCSR_MASK 28
#define NO_SYSCALL (~0ULL)

struct rt_sigframe {
	u64 pretcode;
	struct k_ucontext uc;
	struct k_siginfo info;
};

/* ---- the FPU image ---- */

static unsigned int fpu_image_size(void)
{
	return fpu_xfeatures() ? fpu_area_size() + FP_XSTATE_MAGIC2_SIZE : FXSAVE_SIZE;
}

/* The MXCSR bits this CPU accepts (FXRSTOR faults on any other). */
static u32 mxcsr_mask(void)
{
	static u8 probe[FXSAVE_SIZE] __aligned(16);
	static u32 mask;
	u32 m;

	if (!mask) {
		__asm__ volatile("fxsave64 (%0)" :: "r"(probe) : "memory");
		memcpy(&m, probe + FXSAVE_MXCSR_MASK, sizeof(m));
		WRITE_ONCE(mask, m ? m : 0xffbf);	/* 0: the architectural default */
	}
	return mask;
}

/* Save the live FPU registers to the task's area and copy them to the frame. */
static int save_fpu_image(void __user *fp)
{
	void *area = current_task()->arch.xstate;
	unsigned int size = fpu_xfeatures() ? fpu_area_size() : FXSAVE_SIZE;
	struct k_fpx_sw_bytes sw = { .magic1 = FP_XSTATE_MAGIC1 };
	u32 magic2 = FP_XSTATE_MAGIC2;
	unsigned long flags = local_irq_save();

	fpu_save(area);	/* a switch from here on saves the same values again */
	local_irq_restore(flags);
	if (copy_to_user(fp, area, size))
		return -EFAULT;
	if (!fpu_xfeatures())
		return 0;
	sw.extended_size = size + FP_XSTATE_MAGIC2_SIZE;
	sw.xfeatures = fpu_xfeatures();
	sw.xstate_size = size;
	if (copy_to_user((u8 __user *)fp + FPX_SW_BYTES_OFFSET, &sw, sizeof(sw)) ||
	    copy_to_user((u8 __user *)fp + size, &magic2, sizeof(magic2)))
		return -EFAULT;
	return 0;
}

/* Load area (kernel memory, already checked) into the registers, or the init state. */
static void load_fpu_area(const void *image)
{
	void *area = current_task()->arch.xstate;
	unsigned long flags = local_irq_save();

	if (image)
		memcpy(area, image, fpu_area_size());
	else
		fpu_area_init(area);
	fpu_restore(area);
	local_irq_restore(flags);
}

/* Does the image carry a full XSAVE area we wrote (both magic words)? */
static bool image_has_xstate(const u8 *image, const void __user *fp)
{
	struct k_fpx_sw_bytes sw;
	u32 magic2;

	memcpy(&sw, image + FPX_SW_BYTES_OFFSET, sizeof(sw));
	if (sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size != fpu_area_size() ||
	    sw.extended_size != fpu_area_size() + FP_XSTATE_MAGIC2_SIZE)
		return false;
	if (copy_from_user(&magic2, (const u8 __user *)fp + sw.xstate_size, sizeof(magic2)))
		return false;
	return magic2 == FP_XSTATE_MAGIC2;
}

/* XRSTOR faults on a header with unknown features, compaction or reserved bits. */
static bool xsave_header_ok(const u8 *image)
{
	u64 header[XSAVE_HEADER_SIZE / 8];

	memcpy(header, image + FPU_AREA_XSTATE_BV, sizeof(header));
	if (header[0] & ~fpu_xfeatures())
		return false;
	for (unsigned int i = 1; i < ARRAY_SIZE(header); i++)
		if (header[i])
			return false;
	return true;
}

/* A legacy-only image: the rest of the area in its init state. */
static void make_legacy_only(u8 *image)
{
	u64 bv = XFEATURE_X87 | XFEATURE_SSE;

	memset(image + FXSAVE_SIZE, 0, fpu_area_size() - FXSAVE_SIZE);
	memcpy(image + FPU_AREA_XSTATE_BV, &bv, sizeof(bv));
}

static int restore_fpu_image(const void __user *fp)
{
	u8 *image;
	u32 mxcsr;
	int err = -EFAULT;

	if (!fp) {
		load_fpu_area(NULL);
		return 0;
	}
	image = kzalloc(fpu_area_size());
	if (!image)
		return -ENOMEM;
	if (copy_from_user(image, fp, FXSAVE_SIZE))
		goto out;
	if (fpu_xfeatures() && image_has_xstate(image, fp)) {
		if (copy_from_user(image, fp, fpu_area_size()))
			goto out;
	} else if (fpu_xfeatures()) {
		make_legacy_only(image);
	}
	memcpy(&mxcsr, image + FPU_AREA_MXCSR, sizeof(mxcsr));
	err = -EINVAL;
	if ((mxcsr & ~mxcsr_mask()) || (fpu_xfeatures() && !xsave_header_ok(image)))
		goto out;
	load_fpu_area(image);
	err = 0;
out:
	kfree(image);
	return err;
}

/* ---- building the frame ---- */

static void fill_sigcontext(struct k_sigcontext *sc, const struct pt_regs *regs,
			    const struct ksignal *ks, ksigset_t mask)
{
	*sc = (struct k_sigcontext){
		.r8 = regs->r8, .r9 = regs->r9, .r10 = regs->r10, .r11 = regs->r11,
		.r12 = regs->r12, .r13 = regs->r13, .r14 = regs->r14, .r15 = regs->r15,
		.rdi = regs->rdi, .rsi = regs->rsi, .rbp = regs->rbp, .rbx = regs->rbx,
		.rdx = regs->rdx, .rax = regs->rax, .rcx = regs->rcx, .rsp = regs->rsp,
		.rip = regs->rip, .eflags = regs->rflags,
		.cs = GDT_USER_CS, .ss = GDT_USER_DS, .oldmask = mask,
	};
	if (!regs_from_syscall(regs) && ks->source.code > 0 && ks->source.code < SI_KERNEL) {
		sc->trapno = regs->vector;	/* the fault is what brought us here */
		sc->err = regs->error_code;
		sc->cr2 = ks->source.value;
	}
}

/* Where the frame goes: below the red zone, or at the top of the altstack. */
static unsigned long frame_stack_top(const struct ksignal *ks, const struct pt_regs *regs)
{
	struct task *self = current_task();

	if ((ks->action.flags & SA_ONSTACK) && self->sas_size && !on_sig_stack(regs->rsp)) {
		unsigned long top = self->sas_sp + self->sas_size;

		if (self->sas_flags & SS_AUTODISARM) {
			self->sas_sp = self->sas_size = 0;	/* sigreturn arms it again */
			self->sas_flags = 0;
		}
		return top;
	}
	return regs->rsp - RED_ZONE;
}

static void point_regs_at_handler(struct pt_regs *regs, const struct ksignal *ks,
				  unsigned long frame)
{
	regs->rip = ks->action.handler;
	regs->rsp = frame;
	regs->rdi = ks->sig;
	regs->rsi = frame + offsetof(struct rt_sigframe, info);
	regs->rdx = frame + offsetof(struct rt_sigframe, uc);
	regs->rax = 0;	/* for handlers declared without a prototype, as Linux */
	regs->cs = GDT_USER_CS;
	regs->ss = GDT_USER_DS;
	regs->rflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_RF);
}

int arch_setup_rt_frame(struct ksignal *ks, ksigset_t saved_mask, struct pt_regs *regs)
{
	struct rt_sigframe frame;
	unsigned long fp, sp;

	if (!(ks->action.flags & SA_RESTORER) || !current_task()->arch.xstate)
		return -EFAULT;	/* x86-64 has no kernel-provided return trampoline */
	memset(&frame, 0, sizeof(frame));
	sigaltstack_get(&frame.uc.uc_stack, regs->rsp);
	sp = frame_stack_top(ks, regs);
	fp = ALIGN_DOWN(sp - fpu_image_size(), FPU_IMAGE_ALIGN);
	sp = ALIGN_DOWN(fp - sizeof(frame), 16) - 8;
	frame.pretcode = ks->action.restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
			    (fpu_xfeatures() ? UC_FP_XSTATE : 0);
	fill_sigcontext(&frame.uc.uc_mcontext, regs, ks, saved_mask);
	frame.uc.uc_mcontext.fpstate = fp;
	frame.uc.uc_sigmask = saved_mask;
	siginfo_from_source(&frame.info, ks->sig, &ks->source);
	if (!access_ok((void __user *)sp, fp + fpu_image_size() - sp) ||
	    save_fpu_image((void __user *)fp) ||
	    copy_to_user((void __user *)sp, &frame, sizeof(frame)))
		return -EFAULT;
	load_fpu_area(NULL);	/* the handler starts with a clean FPU */
	point_regs_at_handler(regs, ks, sp);
	return 0;
}

/* ---- rt_sigreturn ---- */

static int restore_sigcontext(struct pt_regs *regs, const struct k_sigcontext *sc)
{
	if (sc->rip >= USER_ADDR_END)
		return -EINVAL;	/* iretq to a non-canonical rip would fault in ring 0 */
	regs->r8 = sc->r8; regs->r9 = sc->r9; regs->r10 = sc->r10; regs->r11 = sc->r11;
	regs->r12 = sc->r12; regs->r13 = sc->r13; regs->r14 = sc->r14; regs->r15 = sc->r15;
	regs->rdi = sc->rdi; regs->rsi = sc->rsi; regs->rbp = sc->rbp; regs->rbx = sc->rbx;
	regs->rdx = sc->rdx; regs->rax = sc->rax; regs->rcx = sc->rcx;
	regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->rflags = (sc->eflags & USER_EFLAGS) | X86_EFLAGS_IF | X86_EFLAGS_FIXED;
	regs->cs = GDT_USER_CS;
	regs->ss = GDT_USER_DS;
	regs->error_code = NO_SYSCALL;	/* the restored rax is no call to restart */
	return 0;
}

/* The handler returned to sa_restorer, which called us: rsp is just past pretcode. */
SYSCALL_DEFINE0(rt_sigreturn, __NR_rt_sigreturn)
{
	struct pt_regs *regs = task_user_regs(current_task());
	unsigned long ucp = regs->rsp;
	struct k_ucontext uc;

	if (copy_from_user(&uc, (const void __user *)ucp, sizeof(uc)) ||
	    restore_fpu_image((const void __user *)uc.uc_mcontext.fpstate) ||
	    restore_sigcontext(regs, &uc.uc_mcontext))
		process_kill_self(SIGSEGV, "bad signal frame at rt_sigreturn", ucp);
	signal_set_blocked(uc.uc_sigmask);
	sigaltstack_restore(&uc.uc_stack, regs->rsp);
	return (long)regs->rax;
}
