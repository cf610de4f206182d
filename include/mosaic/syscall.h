/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System calls. Each subsystem defines its own calls where it lives; the
 * definitions collect in the .syscalls linker section and syscall_init()
 * builds the table from them (a number defined twice stops the boot).
 *
 *   SYSCALL_DEFINE3(write, __NR_write, int, fd, const char __user *, buf, size_t, count)
 *   {
 *           ...return bytes written or -errno...
 *   }
 *
 * The arch entry (SYSCALL instruction) saves the user registers as a
 * struct pt_regs and calls syscall_dispatch(): the number is in rax, the
 * arguments in rdi, rsi, rdx, r10, r8, r9, and the result goes back in rax
 * (Linux convention: -4095..-1 are -errno). An unknown number returns
 * -ENOSYS and logs one line naming it and the program.
 */
#ifndef _MOSAIC_SYSCALL_H
#define _MOSAIC_SYSCALL_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>
#include <uapi/unistd.h>

struct pt_regs;

typedef long (*syscall_fn_t)(const unsigned long *args);

struct syscall_def {
	unsigned int nr;
	const char *name;
	syscall_fn_t fn;
};

#define __SYSCALL_REGISTER(name, nr_)                                          \
	static const struct syscall_def __syscall_def_##name                   \
		__section(".syscalls") __used __aligned(8) = {                 \
			(nr_), #name, __sys_##name  /* nr, name, fn */         \
		}

#define __SC_CAST(i, t) ((t)args[i])

#define SYSCALL_DEFINE0(name, nr)                                              \
	static long sys_##name(void);                                          \
	static long __sys_##name(const unsigned long *args) { return sys_##name(); } \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(void)

#define SYSCALL_DEFINE1(name, nr, t0, a0)                                      \
	static long sys_##name(t0 a0);                                         \
	static long __sys_##name(const unsigned long *args)                    \
	{ return sys_##name(__SC_CAST(0, t0)); }                               \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(t0 a0)

#define SYSCALL_DEFINE2(name, nr, t0, a0, t1, a1)                              \
	static long sys_##name(t0 a0, t1 a1);                                  \
	static long __sys_##name(const unsigned long *args)                    \
	{ return sys_##name(__SC_CAST(0, t0), __SC_CAST(1, t1)); }             \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(t0 a0, t1 a1)

#define SYSCALL_DEFINE3(name, nr, t0, a0, t1, a1, t2, a2)                      \
	static long sys_##name(t0 a0, t1 a1, t2 a2);                           \
	static long __sys_##name(const unsigned long *args)                    \
	{ return sys_##name(__SC_CAST(0, t0), __SC_CAST(1, t1), __SC_CAST(2, t2)); } \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(t0 a0, t1 a1, t2 a2)

#define SYSCALL_DEFINE4(name, nr, t0, a0, t1, a1, t2, a2, t3, a3)              \
	static long sys_##name(t0 a0, t1 a1, t2 a2, t3 a3);                    \
	static long __sys_##name(const unsigned long *args)                    \
	{ return sys_##name(__SC_CAST(0, t0), __SC_CAST(1, t1), __SC_CAST(2, t2), \
			    __SC_CAST(3, t3)); }                               \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(t0 a0, t1 a1, t2 a2, t3 a3)

#define SYSCALL_DEFINE5(name, nr, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)      \
	static long sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4);             \
	static long __sys_##name(const unsigned long *args)                    \
	{ return sys_##name(__SC_CAST(0, t0), __SC_CAST(1, t1), __SC_CAST(2, t2), \
			    __SC_CAST(3, t3), __SC_CAST(4, t4)); }             \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4)

#define SYSCALL_DEFINE6(name, nr, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	static long sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);      \
	static long __sys_##name(const unsigned long *args)                    \
	{ return sys_##name(__SC_CAST(0, t0), __SC_CAST(1, t1), __SC_CAST(2, t2), \
			    __SC_CAST(3, t3), __SC_CAST(4, t4), __SC_CAST(5, t5)); } \
	__SYSCALL_REGISTER(name, nr);                                          \
	static long sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

/* Build the table from the .syscalls section (boot, before any user task). */
void syscall_init(void);

/* Run the call regs describes and store its result in regs->rax. */
void syscall_dispatch(struct pt_regs *regs);

/* Call syscall nr directly (ktests, and the kernel's own use): result or -ENOSYS. */
long syscall_invoke(unsigned int nr, const unsigned long args[6]);

/* The registered name of nr, or NULL. */
const char *syscall_name(unsigned int nr);

#endif
