// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for the console's line discipline (suite fs): characters are fed
 * straight into struct ldisc, as if typed, and what a reader and the
 * terminal would see is checked.
 */
#include <mosaic/fs.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#include "tty.h"

struct ldisc_rig {
	struct ldisc ld;
	struct termios t;
};

static struct ldisc_rig *rig_new(void)
{
	struct ldisc_rig *r = kmalloc(sizeof(*r));

	if (r) {
		ldisc_init(&r->ld);
		termios_default(&r->t);
	}
	return r;
}

static void type(struct ldisc_rig *r, const char *s, size_t n)
{
	while (n--)
		ldisc_receive(&r->ld, &r->t, *s++);
}

/* Read up to len bytes as a NUL-terminated string in buf (len + 1 bytes). */
static size_t rig_read(struct ldisc_rig *r, char *buf, size_t len)
{
	size_t n = ldisc_read(&r->ld, &r->t, buf, len);

	buf[n] = '\0';
	return n;
}

static void rig_echo(struct ldisc_rig *r, char *buf, size_t len)
{
	buf[ldisc_take_echo(&r->ld, buf, len - 1)] = '\0';
}

KTEST(fs, ldisc_erase_and_newline)
{
	struct ldisc_rig *r = rig_new();
	char buf[64];

	KASSERT(r);
	type(r, "ab\x7f" "c", 4);
	KEXPECT(!ldisc_readable(&r->ld, &r->t));	/* no line yet */
	type(r, "\r", 1);				/* ICRNL: Enter ends it */
	KEXPECT(ldisc_readable(&r->ld, &r->t));
	KEXPECT_EQ(rig_read(r, buf, 63), 3);
	KEXPECT(!strcmp(buf, "ac\n"));
	rig_echo(r, buf, sizeof(buf));
	KEXPECT(!strcmp(buf, "ab\b \bc\n"));
	KEXPECT(!ldisc_readable(&r->ld, &r->t));
	kfree(r);
}

KTEST(fs, ldisc_kill_line_and_backspace_at_start)
{
	struct ldisc_rig *r = rig_new();
	char buf[64];

	KASSERT(r);
	type(r, "\b\x7f", 2);		/* nothing to erase: no echo */
	type(r, "junk\x15" "ok\n", 8);	/* ^U drops "junk" */
	KEXPECT_EQ(rig_read(r, buf, 63), 3);
	KEXPECT(!strcmp(buf, "ok\n"));
	rig_echo(r, buf, sizeof(buf));
	KEXPECT(!strcmp(buf, "junk\b \b\b \b\b \b\b \bok\n"));
	kfree(r);
}

KTEST(fs, ldisc_eof)
{
	struct ldisc_rig *r = rig_new();
	char buf[64];

	KASSERT(r);
	type(r, "xy\x04", 3);		/* ^D ends a line without a newline */
	type(r, "\x04", 1);		/* ^D on an empty line: end of file */
	KEXPECT_EQ(rig_read(r, buf, 63), 2);
	KEXPECT(!strcmp(buf, "xy"));
	KEXPECT(ldisc_readable(&r->ld, &r->t));
	KEXPECT_EQ(rig_read(r, buf, 63), 0);	/* the EOF */
	KEXPECT(!ldisc_readable(&r->ld, &r->t));
	kfree(r);
}

KTEST(fs, ldisc_one_line_per_read_in_pieces)
{
	struct ldisc_rig *r = rig_new();
	char buf[64];

	KASSERT(r);
	type(r, "hello\nworld\n", 12);
	KEXPECT_EQ(rig_read(r, buf, 3), 3);
	KEXPECT(!strcmp(buf, "hel"));
	KEXPECT_EQ(rig_read(r, buf, 63), 3);	/* the rest of line 1 only */
	KEXPECT(!strcmp(buf, "lo\n"));
	KEXPECT_EQ(rig_read(r, buf, 63), 6);
	KEXPECT(!strcmp(buf, "world\n"));
	KEXPECT_EQ(rig_read(r, buf, 0), 0);
	kfree(r);
}

KTEST(fs, ldisc_raw_and_no_echo)
{
	struct ldisc_rig *r = rig_new();
	char buf[64];

	KASSERT(r);
	r->t.c_lflag &= ~(ICANON | ECHO);
	type(r, "a\x7f", 2);		/* no editing in raw mode */
	KEXPECT(ldisc_readable(&r->ld, &r->t));
	KEXPECT_EQ(rig_read(r, buf, 63), 2);
	KEXPECT_EQ(buf[1], 0x7f);
	rig_echo(r, buf, sizeof(buf));
	KEXPECT_EQ(strlen(buf), 0);
	kfree(r);
}

KTEST(fs, ldisc_line_too_long_keeps_room_for_newline)
{
	struct ldisc_rig *r = rig_new();
	char *buf = kmalloc(LDISC_LINE_MAX + 1);
	size_t i;

	KASSERT(r && buf);
	for (i = 0; i < 2 * LDISC_LINE_MAX; i++)
		type(r, "z", 1);
	type(r, "\n", 1);
	KEXPECT_EQ(rig_read(r, buf, LDISC_LINE_MAX), LDISC_LINE_MAX);
	KEXPECT_EQ(buf[LDISC_LINE_MAX - 1], '\n');
	kfree(buf);
	kfree(r);
}

KTEST(fs, path_normalize)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//", "/" }, { "/a/b/", "/a/b" }, { "/a/./b", "/a/b" },
		{ "/a/../b", "/b" }, { "/..", "/" }, { "/../../x", "/x" },
		{ "/a//b/../../c/.", "/c" }, { "/.hidden/..x", "/.hidden/..x" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strlcpy(buf, cases[i][0], sizeof(buf));
		path_normalize(buf);
		if (strcmp(buf, cases[i][1]))
			ktest_fail(__FILE__, __LINE__, "%s -> %s, want %s", cases[i][0], buf,
				   cases[i][1]);
	}
}

KTEST(fs, ldisc_ctrl_c_ctrl_backslash_ctrl_z_ask_for_signals)
{
	struct ldisc_rig *r = rig_new();
	char buf[64];

	KASSERT(r);
	type(r, "done\rhalf", 9);
	KEXPECT_EQ(ldisc_take_signal(&r->ld), 0);
	type(r, "\x03", 1);				/* ^C: SIGINT, input dropped */
	KEXPECT_EQ(ldisc_take_signal(&r->ld), LDISC_SIGINT);
	KEXPECT_EQ(ldisc_take_signal(&r->ld), 0);	/* taken once */
	KEXPECT(!ldisc_readable(&r->ld, &r->t));
	r->t.c_lflag &= ~ICANON;			/* raw mode keeps ISIG */
	type(r, "\x1c", 1);
	KEXPECT_EQ(ldisc_take_signal(&r->ld), LDISC_SIGQUIT);
	type(r, "\x1a", 1);				/* ^Z: SIGTSTP */
	KEXPECT_EQ(ldisc_take_signal(&r->ld), LDISC_SIGTSTP);
	r->t.c_lflag &= ~ISIG;				/* without ISIG: a plain byte */
	type(r, "\x03", 1);
	KEXPECT_EQ(ldisc_take_signal(&r->ld), 0);
	KEXPECT_EQ(rig_read(r, buf, 63), 1);
	KEXPECT_EQ(buf[0], '\x03');
	kfree(r);
}
