/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals as the Linux x86-64 ABI defines them: numbers, the kernel's
 * struct sigaction, siginfo_t (128 bytes), stack_t and the signal frame's
 * ucontext/sigcontext, so glibc and musl work unmodified.
 * Sizes are checked at build time in kernel/signal.c.
 */
#ifndef _UAPI_SIGNAL_H
#define _UAPI_SIGNAL_H

#include <mosaic/types.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32
#define _NSIG 64		/* signals 1.._NSIG; a sigset is one u64, bit (sig - 1) */

typedef u64 ksigset_t;		/* the kernel sigset: sigsetsize must be 8 */

#define SIG_DFL 0UL
#define SIG_IGN 1UL

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001UL
#define SA_NOCLDWAIT 0x00000002UL
#define SA_SIGINFO 0x00000004UL
#define SA_RESTORER 0x04000000UL
#define SA_ONSTACK 0x08000000UL
#define SA_RESTART 0x10000000UL
#define SA_NODEFER 0x40000000UL
#define SA_RESETHAND 0x80000000UL

/* rt_sigprocmask how */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* The struct rt_sigaction reads and writes (not libc's layout). */
struct k_sigaction {
	unsigned long handler;		/* SIG_DFL, SIG_IGN or a function */
	unsigned long flags;
	unsigned long restorer;		/* where the handler returns: calls rt_sigreturn */
	ksigset_t mask;			/* blocked while the handler runs */
};

/* si_code values */
#define SI_USER 0		/* kill() */
#define SI_KERNEL 0x80
#define SI_TKILL (-6)		/* tkill(), tgkill() */
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define FPE_FLTINV 7
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* siginfo_t: three ints and padding, then a union at offset 16. */
struct k_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct { int pid; u32 uid; int status; } kill;	/* kill, SIGCHLD */
		struct { u64 addr; } fault;			/* SIGSEGV ... */
		u8 __size[128 - 16];
	} u;
};

/* stack_t: sigaltstack() and uc_stack. */
struct k_stack {
	u64 ss_sp;
	int ss_flags;
	int __pad;
	u64 ss_size;
};

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048

/* The registers of the interrupted code, as the frame holds them (256 bytes). */
struct k_sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;			/* user address of the FPU image, 0: none */
	u64 reserved1[8];
};

/* uc_flags */
#define UC_FP_XSTATE 0x1		/* the FPU image is XSAVE format with the magic words */
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

struct k_ucontext {
	u64 uc_flags;
	u64 uc_link;
	struct k_stack uc_stack;
	struct k_sigcontext uc_mcontext;
	ksigset_t uc_sigmask;
};

/*
 * The FPU image: FXSAVE's 512-byte legacy area, whose bytes 464..511
 * (software-reserved) say whether an XSAVE area follows; if so the image
 * is followed by FP_XSTATE_MAGIC2.
 */
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
#define FP_XSTATE_MAGIC2_SIZE 4
#define FPX_SW_BYTES_OFFSET 464

struct k_fpx_sw_bytes {
	u32 magic1;
	u32 extended_size;		/* XSAVE area + FP_XSTATE_MAGIC2_SIZE */
	u64 xfeatures;
	u32 xstate_size;		/* the XSAVE area */
	u32 padding[7];
};

#endif
