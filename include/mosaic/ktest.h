/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktest: in-kernel self-tests, run at boot when the command line says
 * ktest=all or ktest=SUITE[,SUITE...]. Results are printed as KTAP on the
 * console; at the end the kernel ends QEMU through isa-debug-exit with the
 * verdict (see scripts/mosaic-run).
 *
 *   KTEST(buddy, alloc_free_roundtrip)
 *   {
 *           struct page *p = alloc_pages(0);
 *           KASSERT(p != NULL);          // stops this test on failure
 *           KEXPECT_EQ(page_order(p), 0); // records failure, goes on
 *           free_pages(p, 0);
 *   }
 *
 * Convention: tests live in *_ktest.c files beside the code they test, built
 * with obj-$(CONFIG_KTEST) so a kernel without CONFIG_KTEST carries none.
 *
 * Tests run one after another on the boot CPU, with interrupts enabled and
 * the scheduler running, so they may sleep, start threads and send IPIs.
 */
#ifndef _MOSAIC_KTEST_H
#define _MOSAIC_KTEST_H

#include <asm/x86.h>
#include <mosaic/compiler.h>
#include <mosaic/time.h>

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define KTEST(_suite, _name)                                                   \
	static void ktest_##_suite##_##_name(void);                            \
	static const struct ktest __ktest_##_suite##_##_name                   \
		__section(".ktests") __used __aligned(8) = {                   \
		.suite = #_suite, .name = #_name,                              \
		.fn = ktest_##_suite##_##_name };                              \
	static void ktest_##_suite##_##_name(void)

/* Record a failure of the running test with a message (KTAP diagnostic). */
__printf(3, 4) void ktest_fail(const char *file, int line, const char *fmt, ...);
/* Mark the running test skipped, with a reason. */
void ktest_skip(const char *reason);
bool ktest_failed(void);

#define KEXPECT(cond)                                                          \
	({ bool __ok = !!(cond);                                               \
	   if (!__ok) ktest_fail(__FILE__, __LINE__, "expected %s", #cond);    \
	   __ok; })
#define KEXPECT_EQ(a, b)                                                       \
	({ long long __a = (long long)(a), __b = (long long)(b);               \
	   bool __ok = __a == __b;                                             \
	   if (!__ok) ktest_fail(__FILE__, __LINE__, "expected %s == %s (%lld vs %lld)", \
				 #a, #b, __a, __b);                            \
	   __ok; })
#define KEXPECT_NE(a, b)                                                       \
	({ long long __a = (long long)(a), __b = (long long)(b);               \
	   bool __ok = __a != __b;                                             \
	   if (!__ok) ktest_fail(__FILE__, __LINE__, "expected %s != %s (both %lld)", \
				 #a, #b, __a);                                 \
	   __ok; })
/* Like KEXPECT, but return from the test on failure. */
#define KASSERT(cond) do { if (!KEXPECT(cond)) return; } while (0)
#define KASSERT_EQ(a, b) do { if (!KEXPECT_EQ(a, b)) return; } while (0)

/*
 * User memory for tests (kernel/ktest_user.c): ktest_user_run() runs fn in
 * a kernel thread whose mm maps nr_pages (1..KTEST_USER_MAX_PAGES) zeroed
 * pages at KTEST_USER_BASE, user-accessible and writable, and returns fn's
 * result (or -ENOMEM/-EINVAL when the setup fails). Inside fn, pass
 * ktest_uptr() to system calls and read what they wrote through
 * ktest_ukaddr() (the kernel's view of the same byte). KEXPECT works there.
 *
 *   static int body(struct ktest_user *u, void *arg)
 *   {
 *           unsigned long args[6] = { (unsigned long)ktest_uptr(u, 0) };
 *           KEXPECT_EQ(syscall_invoke(__NR_uname, args), 0);
 *           return 0;
 *   }
 *   KEXPECT_EQ(ktest_user_run(body, NULL, 1), 0);
 */
#define KTEST_USER_BASE 0x10000000UL
#define KTEST_USER_MAX_PAGES 16

struct mm_struct;

struct ktest_user {
	struct mm_struct *mm;
	unsigned int nr_pages;
	void *pages[KTEST_USER_MAX_PAGES];	/* kernel addresses of the pages */
};

int ktest_user_run(int (*fn)(struct ktest_user *u, void *arg), void *arg,
		   unsigned int nr_pages);

/* The user address off bytes into the mapped area (off may point past it: a bad pointer). */
static inline void *ktest_uptr(const struct ktest_user *u, unsigned long off)
{
	(void)u;
	return (void *)(KTEST_USER_BASE + off);
}

/* The kernel address of the byte at off (off below nr_pages * PAGE_SIZE). */
static inline void *ktest_ukaddr(const struct ktest_user *u, unsigned long off)
{
	return (char *)u->pages[off >> 12] + (off & 0xfff);
}

/*
 * Busy-wait until cond holds, for at most limit_ms of TSC time; the value
 * is cond's last reading. For events that come quickly but need a bound:
 * the test costs the event's latency, not a fixed worst-case wait.
 */
#define ktest_spin_until(cond, limit_ms)                                       \
	({                                                                     \
		u64 __end = ktime_ns() + (u64)(limit_ms) * NSEC_PER_MSEC;      \
		while (!(cond) && ktime_ns() < __end)                          \
			cpu_relax();                                           \
		(bool)(cond);                                                  \
	})

/* Is name "all" or one of list's comma-separated names? (ktest=, bench=) */
bool ktest_list_has(const char *list, const char *name);

/*
 * The middle of n samples (sorts v). For timing checks under TCG, where a
 * vCPU thread descheduled by the host spoils one sample now and then.
 */
u64 ktest_median(u64 *v, int n);

#if IS_ENABLED(CONFIG_KTEST)
/* Run the suites the command line selected; returns the number of failures. */
int ktest_run_selected(void);
/* True when ktest= was given (the kernel exits QEMU after the tests). */
bool ktest_requested(void);
#else
static inline int ktest_run_selected(void) { return 0; }
static inline bool ktest_requested(void) { return false; }
#endif

#endif
