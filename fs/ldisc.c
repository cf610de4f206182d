// SPDX-License-Identifier: GPL-2.0
/*
 * The console's line discipline: see tty.h. Pure functions over struct
 * ldisc so the ktests can type at it directly.
 */
#include <mosaic/compiler.h>
#include <mosaic/string.h>

#include "tty.h"

#define CTRL(c) ((c) & 0x1f)

void termios_default(struct termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_cc[VINTR] = CTRL('C');
	t->c_cc[VQUIT] = CTRL('\\');
	t->c_cc[VERASE] = 0x7f;
	t->c_cc[VKILL] = CTRL('U');
	t->c_cc[VEOF] = CTRL('D');
	t->c_cc[VMIN] = 1;
	t->c_cc[VSUSP] = CTRL('Z');
}

void ldisc_init(struct ldisc *ld)
{
	memset(ld, 0, sizeof(*ld));
}

static void ldisc_echo(struct ldisc *ld, const struct termios *t, const char *s, size_t n)
{
	if (!(t->c_lflag & ECHO))
		return;
	while (n-- && ld->echo_len < LDISC_ECHO_MAX)
		ld->echo[ld->echo_len++] = *s++;
}

/* Move the edit line to ready[] as one line (length 0 = end of file). */
static void ldisc_commit_line(struct ldisc *ld)
{
	/* No room: the line is lost, as when a terminal's input queue overflows. */
	if (ld->nr_lines == LDISC_LINES_MAX ||
	    ld->ready_len + ld->line_len > LDISC_READY_MAX) {
		ld->line_len = 0;
		return;
	}
	memcpy(ld->ready + ld->ready_len, ld->line, ld->line_len);
	ld->ready_len += ld->line_len;
	ld->lines[ld->nr_lines++] = ld->line_len;
	ld->line_len = 0;
}

static void ldisc_erase_one(struct ldisc *ld, const struct termios *t)
{
	if (!ld->line_len)
		return;
	ld->line_len--;
	ldisc_echo(ld, t, "\b \b", 3);
}

/* c is the special character cc[idx] (0 there disables it, as _POSIX_VDISABLE). */
static bool ldisc_is(const struct termios *t, unsigned int idx, char c)
{
	return t->c_cc[idx] && (u8)c == t->c_cc[idx];
}

/* The characters that become signals, and how they echo. */
static const struct ldisc_signal_key {
	unsigned int cc;	/* index in c_cc */
	int signal;
	char echo[4];
} ldisc_signal_keys[] = {
	{ VINTR, LDISC_SIGINT, "^C\n" },
	{ VQUIT, LDISC_SIGQUIT, "^\\\n" },
	{ VSUSP, LDISC_SIGTSTP, "^Z\n" },
};

/*
 * ISIG: VINTR, VQUIT and VSUSP become a signal for the foreground process
 * group (ldisc_take_signal) and discard the pending input, in either mode.
 */
static bool ldisc_signal_char(struct ldisc *ld, const struct termios *t, char c)
{
	const struct ldisc_signal_key *key = NULL;
	size_t i;

	if (!(t->c_lflag & ISIG))
		return false;
	for (i = 0; i < ARRAY_SIZE(ldisc_signal_keys) && !key; i++)
		if (ldisc_is(t, ldisc_signal_keys[i].cc, c))
			key = &ldisc_signal_keys[i];
	if (!key)
		return false;
	ld->signal = key->signal;
	ld->line_len = 0;
	ld->ready_len = 0;
	ld->nr_lines = 0;
	ldisc_echo(ld, t, key->echo, 3);
	return true;
}

int ldisc_take_signal(struct ldisc *ld)
{
	int sig = ld->signal;

	ld->signal = 0;
	return sig;
}

/* A character in canonical mode: edit, end the line, or add to it. */
static void ldisc_canonical(struct ldisc *ld, const struct termios *t, char c)
{
	if (ldisc_is(t, VERASE, c) || c == '\b') {
		ldisc_erase_one(ld, t);
	} else if (ldisc_is(t, VKILL, c)) {
		while (ld->line_len)
			ldisc_erase_one(ld, t);
	} else if (ldisc_is(t, VEOF, c)) {
		ldisc_commit_line(ld);
	} else if (c == '\n') {
		ld->line[ld->line_len++] = c;	/* room is always kept for it */
		ldisc_echo(ld, t, "\n", 1);
		ldisc_commit_line(ld);
	} else if (ld->line_len < LDISC_LINE_MAX - 1) {
		ld->line[ld->line_len++] = c;
		ldisc_echo(ld, t, &c, 1);
	}
}

void ldisc_receive(struct ldisc *ld, const struct termios *t, char c)
{
	if (c == '\r' && (t->c_iflag & IGNCR))
		return;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	if (ldisc_signal_char(ld, t, c))
		return;
	if (t->c_lflag & ICANON) {
		ldisc_canonical(ld, t, c);
		return;
	}
	if (ld->ready_len < LDISC_READY_MAX) {
		ld->ready[ld->ready_len++] = c;
		ldisc_echo(ld, t, &c, 1);
	}
}

bool ldisc_readable(const struct ldisc *ld, const struct termios *t)
{
	if (t->c_lflag & ICANON)
		return ld->nr_lines > 0;
	return ld->ready_len > 0;
}

/* Remove n bytes from the front of ready[]. */
static void ldisc_consume(struct ldisc *ld, char *buf, size_t n)
{
	memcpy(buf, ld->ready, n);
	memmove(ld->ready, ld->ready + n, ld->ready_len - n);
	ld->ready_len -= n;
}

static void ldisc_pop_line(struct ldisc *ld)
{
	memmove(ld->lines, ld->lines + 1, (ld->nr_lines - 1) * sizeof(ld->lines[0]));
	ld->nr_lines--;
}

size_t ldisc_read(struct ldisc *ld, const struct termios *t, char *buf, size_t len)
{
	size_t n;

	if (!(t->c_lflag & ICANON)) {
		n = min(len, ld->ready_len);
		ldisc_consume(ld, buf, n);
		ld->nr_lines = 0;	/* line boundaries mean nothing in raw mode */
		return n;
	}
	if (!ld->nr_lines || !len)
		return 0;
	n = min(len, ld->lines[0]);
	ldisc_consume(ld, buf, n);
	ld->lines[0] -= n;
	if (!ld->lines[0] || !n)	/* line used up, or an EOF mark taken */
		ldisc_pop_line(ld);
	return n;
}

size_t ldisc_take_echo(struct ldisc *ld, char *buf, size_t len)
{
	size_t n = min(len, ld->echo_len);

	memcpy(buf, ld->echo, n);
	memmove(ld->echo, ld->echo + n, ld->echo_len - n);
	ld->echo_len -= n;
	return n;
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->line_len = 0;
	ld->ready_len = 0;
	ld->nr_lines = 0;
}
