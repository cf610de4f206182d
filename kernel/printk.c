// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format a message, stamp it with the time since boot and the CPU,
 * and write it to the serial console. One lock keeps lines whole; panic()
 * breaks it (console_unlock_for_panic) so a dying CPU can always speak.
 */
#include <mosaic/console.h>
#include <mosaic/errno.h>
#include <mosaic/param.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

int console_loglevel = CONFIG_LOGLEVEL;
static unsigned int loglevel_param = CONFIG_LOGLEVEL;
static DEFINE_SPINLOCK(console_lock);

static int set_loglevel(const char *val, const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (err)
		return err;
	if (loglevel_param > 7) {
		loglevel_param = console_loglevel;
		return -ERANGE;
	}
	console_loglevel = (int)loglevel_param;
	return 0;
}
KERNEL_PARAM("loglevel", set_loglevel, &loglevel_param, "console log level, 0-7");

static void write_locked(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	write_locked(s, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

/* Called by panic(): the lock may be held by a CPU that will never release it. */
void console_unlock_for_panic(void)
{
	spin_lock_init(&console_lock);
}

static int parse_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == '<' && f[1] >= '0' && f[1] <= '7' && f[2] == '>') {
		*fmt = f + 3;
		return f[1] - '0';
	}
	return 6;	/* KERN_INFO */
}

/*
 * A message longer than the line buffer was cut: end it with "..." and,
 * when the message was a whole line, its newline, so the next message does
 * not run on after it (and get lost to whoever reads the log by lines).
 * Returns the length to write.
 */
static int mark_truncated(char *line, size_t size, const char *fmt)
{
	static const char more[] = "...\n";
	size_t fmt_len = strlen(fmt);
	size_t tail = fmt_len && fmt[fmt_len - 1] == '\n' ? 4 : 3;

	memcpy(line + size - 1 - tail, more, tail);
	line[size - 1] = '\0';
	return (int)size - 1;
}

int vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int level = parse_level(&fmt);
	u64 ns = ktime_ns();
	int n;

	if (level > console_loglevel)
		return 0;
	n = snprintf(line, sizeof(line), "[%5llu.%06llu] ", ns / 1000000000ULL,
		     (ns / 1000) % 1000000);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n >= (int)sizeof(line))
		n = mark_truncated(line, sizeof(line), fmt);
	console_write(line, n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
