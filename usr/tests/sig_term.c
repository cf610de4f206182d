// SPDX-License-Identifier: GPL-2.0
/*
 * sig_term: a signal whose default action terminates. SIGUSR1 with a
 * handler is caught; the default is restored and kill(getpid(), SIGTERM)
 * with no handler must kill the program.
 * Expected outcome: death by SIGTERM (signal 15); surviving is exit 1.
 */
#include <signal.h>
#include <unistd.h>

#include "utest.h"

static volatile int caught;

static void on_usr1(int sig) { caught = sig; }

int main(void)
{
	utest_start("sig_term");
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	CHECK(caught == SIGUSR1, "SIGUSR1 was not caught");
	if (utest_failures)
		return utest_finish();
	printf("sig_term: sending SIGTERM to myself: expect death by signal 15\n");
	kill(getpid(), SIGTERM);
	utest_die("survived SIGTERM");
}
