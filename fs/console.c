// SPDX-License-Identifier: GPL-2.0
/*
 * The console as a tty: writes go straight to the serial console (no
 * printk prefix), reads come from the UART through the line discipline
 * (tty.h). Received bytes are drained from the UART by its interrupt when
 * IRQ 4 could be routed, and by waiting readers every CONSOLE_POLL_MS in
 * any case (the only path without an IOAPIC). Terminal ioctls keep one
 * struct termios, a window size and a foreground process group.
 *
 * Lock order: console_tty.lock (irq-safe) -> printk's console lock.
 */
#include <mosaic/console.h>
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/panic.h>
#include <mosaic/poll.h>
#include <mosaic/printk.h>
#include <mosaic/sched.h>
#include <mosaic/signal.h>
#include <mosaic/string.h>
#include <mosaic/time.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>

#include "internal.h"
#include "tty.h"

BUILD_BUG_ON(sizeof(struct termios) != 36);	/* TCGETS copies this many bytes */

#define CONSOLE_POLL_MS 20
#define CONSOLE_RDEV ((5 << 8) | 1)	/* /dev/console is char 5:1 */

static struct console_tty {
	spinlock_t lock;	/* ld, termios, winsize, pgrp */
	struct ldisc ld;
	struct termios termios;
	struct winsize winsize;
	int pgrp;		/* 0: nobody set one yet */
	struct wait_queue_head readers;
} tty = {
	.lock = SPINLOCK_INIT,
	.readers = WAIT_QUEUE_HEAD_INIT(tty.readers),
	.winsize = { .ws_row = 24, .ws_col = 80 },
};

/* Write out what the line discipline wants echoed. */
static void tty_flush_echo(void)
{
	char buf[64];
	unsigned long flags;
	size_t n;

	do {
		flags = spin_lock_irqsave(&tty.lock);
		n = ldisc_take_echo(&tty.ld, buf, sizeof(buf));
		spin_unlock_irqrestore(&tty.lock, flags);
		console_write(buf, n);
	} while (n);
}

/*
 * ^C, ^\ and ^Z arrive in interrupt context; sending a signal needs process
 * context, so a small kernel thread (started by console_tty_start()) sends
 * it to the foreground process group (TIOCSPGRP; until a shell sets one,
 * every process but init).
 */
static DEFINE_WAIT_QUEUE_HEAD(tty_sig_wq);
static int tty_sig_pending;	/* under tty.lock */

/*
 * ^] t asks for a dump of every task (show_all_tasks()), for hangs where
 * everything sleeps; the same thread prints it. ^] followed by anything
 * else passes both bytes on.
 */
#define SYSRQ_PREFIX 0x1d	/* ^] */
static bool tty_sysrq_armed;	/* ^] seen; under tty.lock */
static bool tty_dump_pending;	/* under tty.lock */

static int tty_signal_thread(void *unused)
{
	unsigned long flags;
	int sig, pgrp;
	bool dump;

	for (;;) {
		wait_event(tty_sig_wq, READ_ONCE(tty_sig_pending) || READ_ONCE(tty_dump_pending));
		flags = spin_lock_irqsave(&tty.lock);
		sig = tty_sig_pending;
		pgrp = tty.pgrp;
		dump = tty_dump_pending;
		tty_sig_pending = 0;
		tty_dump_pending = false;
		spin_unlock_irqrestore(&tty.lock, flags);
		if (sig)
			kill_pgrp(pgrp, sig);
		if (dump)
			show_all_tasks();
	}
	return 0;
}

void console_tty_start(void)
{
	struct task *t = kthread_create(tty_signal_thread, NULL, "tty-signal");

	if (IS_ERR(t))
		pr_warn("console: no signal thread: ^C will not interrupt programs\n");
	else
		kthread_detach(t);
}

/* Context: tty.lock held. A ^C or ^\ typed: hand its signal to the thread. */
static void tty_signal_locked(void)
{
	int sig = ldisc_take_signal(&tty.ld);

	if (!sig)
		return;
	tty_sig_pending = sig;
	wake_up(&tty_sig_wq);
}

/* Context: tty.lock held. True if c belongs to a ^] command (consumed). */
static bool tty_sysrq_locked(int c)
{
	if (!tty_sysrq_armed) {
		tty_sysrq_armed = c == SYSRQ_PREFIX;
		return tty_sysrq_armed;
	}
	tty_sysrq_armed = false;
	if (c == 't') {
		tty_dump_pending = true;
		wake_up(&tty_sig_wq);
		return true;
	}
	ldisc_receive(&tty.ld, &tty.termios, SYSRQ_PREFIX);	/* not a command */
	return false;
}

/* Context: tty.lock held. Feed every byte the UART holds to the ldisc. */
static void tty_drain_uart_locked(void)
{
	int c;

	BUG_ON(!spin_is_held(&tty.lock));
	while ((c = serial_getc()) >= 0)
		if (!tty_sysrq_locked(c))
			ldisc_receive(&tty.ld, &tty.termios, (char)c);
	tty_signal_locked();
}

/* The UART's receive interrupt. */
static void tty_rx_notify(void)
{
	unsigned long flags = spin_lock_irqsave(&tty.lock);

	tty_drain_uart_locked();
	spin_unlock_irqrestore(&tty.lock, flags);
	tty_flush_echo();
	wake_up_all(&tty.readers);
}

static bool tty_poll_readable(void)
{
	unsigned long flags = spin_lock_irqsave(&tty.lock);
	bool ready;

	tty_drain_uart_locked();
	ready = ldisc_readable(&tty.ld, &tty.termios);
	spin_unlock_irqrestore(&tty.lock, flags);
	return ready;
}

/* One attempt: bytes read (0 = end of file), or -EAGAIN when nothing is readable. */
static long tty_try_read(char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&tty.lock);
	long n = -EAGAIN;

	tty_drain_uart_locked();
	if (ldisc_readable(&tty.ld, &tty.termios))
		n = (long)ldisc_read(&tty.ld, &tty.termios, buf, len);
	spin_unlock_irqrestore(&tty.lock, flags);
	tty_flush_echo();
	return n;
}

static long tty_read(struct file *f, char *buf, size_t len, loff_t *pos)
{
	long n;

	for (;;) {
		n = tty_try_read(buf, len);
		if (n != -EAGAIN || (f->flags & O_NONBLOCK))
			return n;
		wait_event_timeout(tty.readers, tty_poll_readable() || fs_interrupted(),
				   (u64)CONSOLE_POLL_MS * NSEC_PER_MSEC);
		if (fs_interrupted())
			return -ERESTARTSYS;	/* as Linux: restarted after ^Z and fg */
	}
}

static long tty_write(struct file *f, const char *buf, size_t len, loff_t *pos)
{
	console_write(buf, len);
	return (long)len;
}

/* Readable when a line (raw: a byte) waits; always writable. */
static unsigned int tty_poll(struct file *f, struct poll_table *pt)
{
	poll_wait(pt, &tty.readers);
	/* Without a receive interrupt nothing wakes the queue: ask again soon. */
	poll_recheck_within(pt, (u64)CONSOLE_POLL_MS * NSEC_PER_MSEC);
	return (tty_poll_readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static int tty_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 5;
	st->st_ino = 1;
	st->st_nlink = 1;
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = CONSOLE_RDEV;
	st->st_blksize = 1024;
	return 0;
}

static long tty_set_termios(unsigned int cmd, const struct termios __user *arg)
{
	struct termios t;
	unsigned long flags;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tty.lock);
	tty.termios = t;
	if (cmd == TCSETSF)
		ldisc_flush_input(&tty.ld);
	spin_unlock_irqrestore(&tty.lock, flags);
	return 0;
}

static long tty_set_winsize(const struct winsize __user *arg)
{
	struct winsize ws;
	unsigned long flags;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tty.lock);
	tty.winsize = ws;
	spin_unlock_irqrestore(&tty.lock, flags);
	return 0;
}

static long tty_get_pgrp(int __user *arg)
{
	struct task *self = current_task();
	int pgrp = tty.pgrp;

	if (!pgrp && self)	/* no foreground group yet: the caller's own group */
		pgrp = self->pgid ? self->pgid : self->tgid;
	return put_user(pgrp, arg);
}

static long tty_set_pgrp(const int __user *arg)
{
	int pgrp;

	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	tty.pgrp = pgrp;
	return 0;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &tty.termios, sizeof(tty.termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tty_set_termios(cmd, uarg);
	case TIOCGWINSZ:
		return copy_to_user(uarg, &tty.winsize, sizeof(tty.winsize));
	case TIOCSWINSZ:
		return tty_set_winsize(uarg);
	case TIOCGPGRP:
		return tty_get_pgrp(uarg);
	case TIOCSPGRP:
		return tty_set_pgrp(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations console_fops = {
	.read = tty_read,
	.write = tty_write,
	.fstat = tty_fstat,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};

struct file *console_open(void)
{
	struct file *f = file_alloc(&console_fops, O_RDWR, S_IFCHR, "/dev/console", NULL);

	return f ? f : ERR_PTR(-ENOMEM);
}

/* Boot: default termios; input by interrupt when IRQ 4 can be routed. */
void console_tty_init(void)
{
	int err;

	termios_default(&tty.termios);
	ldisc_init(&tty.ld);
	err = serial_enable_rx_irq(tty_rx_notify);
	if (err)
		pr_info("console: no receive interrupt (%d), input is polled\n", err);
}
