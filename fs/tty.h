/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console's line discipline (fs/ldisc.c): a pure state machine, fed
 * one received character at a time, that turns keystrokes into what a
 * reader gets and what is echoed back. No locks, no I/O: the console
 * (fs/console.c) wraps it with its lock, its wait queue and the UART.
 *
 * Canonical mode (ICANON): characters collect in an edit line; VERASE
 * (and backspace) removes the last one, VKILL the whole line; newline ends it (the '\n' is kept) and VEOF ends it
 * without a character. A line ended by VEOF while empty reads as end of
 * file (a read returns 0). A read returns at most one line.
 * Raw mode: every character is readable at once (VMIN 1, VTIME 0).
 * ISIG (either mode): VINTR / VQUIT drop all pending input and leave a
 * signal number for the console to send (ldisc_take_signal).
 * ECHO: typed characters and edits are echoed into the echo buffer.
 */
#ifndef _FS_TTY_H
#define _FS_TTY_H

#include <mosaic/types.h>
#include <uapi/termios.h>

#define LDISC_LINE_MAX 1024	/* an edit line, with its '\n' */
#define LDISC_READY_MAX 4096	/* completed input waiting for readers */
#define LDISC_LINES_MAX 64	/* completed lines waiting */
#define LDISC_ECHO_MAX 256	/* echo output not yet written */

struct ldisc {
	char line[LDISC_LINE_MAX];	/* the line being edited */
	size_t line_len;
	char ready[LDISC_READY_MAX];	/* bytes readers may take, oldest first */
	size_t ready_len;
	/* canonical: the lengths of the completed lines in ready[], oldest first; 0 = EOF */
	size_t lines[LDISC_LINES_MAX];
	unsigned int nr_lines;
	char echo[LDISC_ECHO_MAX];
	size_t echo_len;
	int signal;		/* LDISC_SIG*: ^C, ^\ or ^Z typed, not yet taken; 0: none */
};

#define LDISC_SIGINT 2		/* Linux's SIGINT, SIGQUIT and SIGTSTP numbers */
#define LDISC_SIGQUIT 3
#define LDISC_SIGTSTP 20

void ldisc_init(struct ldisc *ld);
/* Take one received character. */
void ldisc_receive(struct ldisc *ld, const struct termios *t, char c);
/* A read would return now (data or end of file). */
bool ldisc_readable(const struct ldisc *ld, const struct termios *t);
/* Take up to len readable bytes; 0 for end of file or nothing readable. */
size_t ldisc_read(struct ldisc *ld, const struct termios *t, char *buf, size_t len);
/* Move up to len echo bytes out: the count. */
size_t ldisc_take_echo(struct ldisc *ld, char *buf, size_t len);
/* The signal a ^C or ^\ asked for since the last call (0: none); clears it. */
int ldisc_take_signal(struct ldisc *ld);
/* Forget pending input (TCSETSF). */
void ldisc_flush_input(struct ldisc *ld);
/* Linux's default termios for a console: canonical, echo, ICRNL, OPOST|ONLCR. */
void termios_default(struct termios *t);

#endif
