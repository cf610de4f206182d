// SPDX-License-Identifier: GPL-2.0
/*
 * Host versions of the kernel services that pure-logic files call: printk
 * goes to stderr, panic/BUG abort the test (so ASan/UBSan print a stack),
 * WARN_ON prints. All are weak: a test may define its own (for example a
 * panic() that longjmps back to check that bad input is caught).
 */
#include <mosaic/compiler.h>
#include <mosaic/panic.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>

#define __weak __attribute__((weak))

struct cpu_local host_cpu0 = { .self = &host_cpu0, .online = true };
unsigned int nr_cpus_online = 1;
__weak int console_loglevel = 7;

/* Drop the "<N>" level prefix the kernel puts in front of messages. */
static const char *skip_level(const char *fmt)
{
	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '7' && fmt[2] == '>')
		return fmt + 3;
	return fmt;
}

__weak int vprintk(const char *fmt, va_list ap)
{
	return vfprintf(stderr, skip_level(fmt), ap);
}

__weak int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

__weak void console_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stderr);
}

__weak void panic(const char *fmt, ...)
{
	va_list ap;

	fputs("host panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

__weak void __warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "host WARN_ON(%s) at %s:%d\n", cond, file, line);
}

__weak void dump_stack(void)
{
}

__weak unsigned int smp_processor_id(void)
{
	return 0;
}
