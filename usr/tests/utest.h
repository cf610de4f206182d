/* SPDX-License-Identifier: GPL-2.0 */
/*
 * utest.h: the few helpers every Mosaic user test program shares.
 *
 * Each test is one self-checking static program built from one .c file,
 * once with glibc and once with musl. It prints what it checks, exits 0
 * on success and non-zero with a message on failure. The *_segv programs
 * are expected to die of SIGSEGV; the runner (scripts/run-user-tests)
 * reads the expected outcome of each program from usr/tests/outcomes.
 *
 *   utest_start("name")         line-buffer stdout, print a banner
 *   CHECK(cond, "fmt", ...)     count a check; on failure print where and why
 *   utest_die("fmt", ...)       print a failure and exit 1 at once
 *   return utest_finish();      print the tally; 0 if every check held
 *   utest_pcache_counter("x")   a /proc/pcache counter (-1 off Mosaic)
 *   utest_proc_value(path, "x") the value of line "x N" of any /proc file
 *   utest_proc_scan(path, fmt)  the number of the first line sscanf(fmt) matches
 *   utest_touch_fresh_pages(n)  map n anonymous pages and write to each
 *   utest_press_forever(bytes)  dirty fresh pages through bytes, round after
 *                               round, until killed (an eviction presser)
 *   utest_pcache_bytes()        the pcache's size (lines * 4 KiB; 0 off Mosaic)
 *   utest_evictions()           evict_clean + evict_dirty so far
 *   utest_mem_free_kb()         MemFree of /proc/meminfo (-1 without it)
 *   utest_wait_code(pid)        reap pid: its exit status, 200 + signal, -1
 *
 * Header-only on purpose: one test, one source file, one binary.
 */
#ifndef MOSAIC_USR_UTEST_H
#define MOSAIC_USR_UTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* musl defines no identifying macro, glibc defines __GLIBC__ (via stdio.h). */
#ifdef __GLIBC__
#define UTEST_LIBC "glibc"
#else
#define UTEST_LIBC "musl"
#endif

#define UTEST_PAGE_SIZE 4096UL

static const char *utest_name = "utest";
static unsigned long utest_checks, utest_failures;

/* Print "name: FAIL line N: [cond: ]message". */
static void utest_vfail(int line, const char *cond, const char *fmt, va_list ap)
{
	printf("%s: FAIL line %d: ", utest_name, line);
	if (cond)
		printf("%s: ", cond);
	vprintf(fmt, ap);
	printf("\n");
}

static void __attribute__((format(printf, 3, 4), unused))
utest_report_failure(int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	utest_failures++;
	va_start(ap, fmt);
	utest_vfail(line, cond, fmt, ap);
	va_end(ap);
}

#define CHECK(cond, ...)						\
	do {								\
		utest_checks++;						\
		if (!(cond))						\
			utest_report_failure(__LINE__, #cond, __VA_ARGS__); \
	} while (0)

#define utest_die(...) utest_die_at(__LINE__, __VA_ARGS__)

static void __attribute__((format(printf, 2, 3), noreturn, unused))
utest_die_at(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	utest_vfail(line, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * Line-buffered stdout: the console may not look like a tty to the libc,
 * and a program about to die of a signal must have printed its last line.
 */
static void __attribute__((unused)) utest_start(const char *name)
{
	utest_name = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%s: start (%s)\n", name, UTEST_LIBC);
}

static int __attribute__((unused)) utest_finish(void)
{
	printf("%s: %lu checks, %lu failed: %s\n", utest_name, utest_checks,
	       utest_failures, utest_failures ? "FAIL" : "PASS");
	return utest_failures ? 1 : 0;
}

/* The value of line "want VALUE" of a /proc file, or -1 (no file, no line). */
static long long __attribute__((unused)) utest_proc_value(const char *path, const char *want)
{
	FILE *f = fopen(path, "r");
	char name[64];
	long long value, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", name, &value) == 2)
		if (!strcmp(name, want))
			found = value;
	fclose(f);
	return found;
}

/* Map pages fresh anonymous pages and write one byte to each (one zero-fill each). */
static void __attribute__((unused)) utest_touch_fresh_pages(int pages)
{
	volatile char *p = mmap(NULL, pages * UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		utest_die("mmap of %d pages failed", pages);
	for (int i = 0; i < pages; i++)
		p[i * UTEST_PAGE_SIZE] = 1;
}

static void __attribute__((unused, noreturn)) utest_press_forever(unsigned long bytes)
{
	char *buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		_exit(1);
	for (unsigned char round = 1;; round++)
		for (unsigned long off = 0; off < bytes; off += UTEST_PAGE_SIZE)
			buf[off] = round;
}

/* A counter of /proc/pcache, or -1 where there is none (not Mosaic). */
static long long __attribute__((unused)) utest_pcache_counter(const char *want)
{
	return utest_proc_value("/proc/pcache", want);
}

static unsigned long __attribute__((unused)) utest_pcache_bytes(void)
{
	long long lines = utest_pcache_counter("lines");

	return lines > 0 ? (unsigned long)lines * UTEST_PAGE_SIZE : 0;
}

static long long __attribute__((unused)) utest_evictions(void)
{
	return utest_pcache_counter("evict_clean") + utest_pcache_counter("evict_dirty");
}

/* The number of the first line of path that matches format ("Key: %lld kB"), or -1. */
static long long __attribute__((unused)) utest_proc_scan(const char *path, const char *format)
{
	FILE *f = fopen(path, "r");
	char line[128];
	long long value = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, format, &value) == 1)
			break;
	fclose(f);
	return value;
}

/* The free memory of this node: a leak check compares it before and after. */
static long long __attribute__((unused)) utest_mem_free_kb(void)
{
	return utest_proc_scan("/proc/meminfo", "MemFree: %lld kB");
}

/*
 * Set by a driver that keeps running beside the test (usr/tests/soak.c):
 * node-wide counters may then move for reasons not the test's own (the
 * driver faulting a page back in), so exact before/after comparisons of
 * them do not hold; the driver does its own leak check at the end.
 */
#define UTEST_SHARED_ENV "UTEST_SHARED_NODE"

static int __attribute__((unused)) utest_node_shared(void)
{
	return getenv(UTEST_SHARED_ENV) != NULL;
}

/* Write text to path (a /proc control file): the write's result, or -errno. */
static long __attribute__((unused)) utest_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* Reap pid: its exit status, 200 + the signal that killed it, or -1. */
static int __attribute__((unused)) utest_wait_code(pid_t pid)
{
	int status = -1;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + (status & 0x7f);
}

#endif /* MOSAIC_USR_UTEST_H */
