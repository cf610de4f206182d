// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failure injection: /proc/fail_alloc (interface and rules in
 * include/mosaic/fail_alloc.h). The allocators call should_fail_alloc()
 * first; it fails every Nth call made in the armed process's context with
 * interrupts on. The counters are atomics: no lock.
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/fail_alloc.h>
#include <mosaic/fs.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

static unsigned long fail_interval;	/* 0: off */
static int fail_tgid;			/* the process whose allocations fail */
static unsigned long fail_checked, fail_failed;

/* An allocation a system call or fault makes for the armed process (not IRQ). */
static bool for_armed_process(void)
{
	struct task *t = current_task();

	return t && t->mm && t->tgid == READ_ONCE(fail_tgid) && !irqs_disabled() &&
	       !t->fail_alloc_exempt;
}

void fail_alloc_exempt_begin(void)
{
	struct task *t = current_task();

	if (t)
		t->fail_alloc_exempt++;
}

void fail_alloc_exempt_end(void)
{
	struct task *t = current_task();

	if (t)
		t->fail_alloc_exempt--;
}

bool should_fail_alloc(void)
{
	unsigned long interval = READ_ONCE(fail_interval);

	if (likely(!interval) || !for_armed_process())
		return false;
	if (__atomic_add_fetch(&fail_checked, 1, __ATOMIC_RELAXED) % interval)
		return false;
	__atomic_add_fetch(&fail_failed, 1, __ATOMIC_RELAXED);
	return true;
}

static long fail_alloc_show(char *buf, size_t size)
{
	return snprintf(buf, size, "interval %lu\nfailed %lu\nchecked %lu\n",
			READ_ONCE(fail_interval), READ_ONCE(fail_failed), READ_ONCE(fail_checked));
}

/* "N" (a newline may follow): fail every Nth allocation of the writer from now; "0": off. */
static long fail_alloc_store(const char *buf, size_t len)
{
	char word[24];
	u64 interval;
	size_t n = len && buf[len - 1] == '\n' ? len - 1 : len;

	if (!n || n >= sizeof(word))
		return -EINVAL;
	memcpy(word, buf, n);
	word[n] = '\0';
	if (kstrtoull(word, 0, &interval))
		return -EINVAL;
	WRITE_ONCE(fail_interval, 0);
	__atomic_store_n(&fail_checked, 0, __ATOMIC_RELAXED);
	WRITE_ONCE(fail_tgid, current_task()->tgid);
	WRITE_ONCE(fail_interval, (unsigned long)interval);
	if (interval)
		pr_info("fail_alloc: failing every %llu-th allocation of pid %d\n", interval,
			current_task()->tgid);
	else
		pr_info("fail_alloc: off\n");
	return (long)len;
}

void fail_alloc_init(void)
{
	if (proc_register("fail_alloc", fail_alloc_show) ||
	    proc_register_store("fail_alloc", fail_alloc_store))
		pr_warn("fail_alloc: could not register /proc/fail_alloc\n");
}
