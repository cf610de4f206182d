// SPDX-License-Identifier: GPL-2.0
/*
 * await_nodes: wait until no node is declared down, then exit 0.
 *
 * Reads /proc/rpc (the Ethernet transport's counters: one "node_down N"
 * line per node declared down) twice a second for at most 90 s. Exit 0
 * once there is no such line, or when there is no /proc/rpc (a single node:
 * nothing can be down); exit 1 with the nodes still down at the deadline.
 * Arguments are ignored (mosaic.args= goes to every program of a run).
 *
 * The restart test (scripts/run-tests, cluster stage) runs it after a
 * memory node was killed and booted again: the processor's prober must
 * take the new incarnation back, and the programs run after this one are
 * homed round robin over every memory node again.
 */
#include <time.h>

#include "utest.h"

#define AWAIT_SECONDS 90
#define POLLS_PER_SECOND 2

/* Copy the "node_down" lines of /proc/rpc into down; -1 without the file. */
static int read_down_nodes(char *down, size_t size)
{
	FILE *f = fopen("/proc/rpc", "r");
	char line[128];
	size_t used = 0;

	if (!f)
		return -1;
	down[0] = 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "node_down ", 10) && used + strlen(line) < size) {
			strcpy(down + used, line);
			used += strlen(line);
		}
	fclose(f);
	return 0;
}

int main(void)
{
	const struct timespec pause = { 0, 1000000000L / POLLS_PER_SECOND };
	char down[1024];

	utest_start("await_nodes");
	for (int i = 0; i < AWAIT_SECONDS * POLLS_PER_SECOND; i++) {
		if (read_down_nodes(down, sizeof(down)) < 0) {
			printf("await_nodes: no /proc/rpc: a single node\n");
			return 0;
		}
		if (!down[0]) {
			printf("await_nodes: every node is up after %d.%d s\n",
			       i / POLLS_PER_SECOND, (i % POLLS_PER_SECOND) * 5);
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	printf("await_nodes: still down after %d s:\n%s", AWAIT_SECONDS, down);
	return 1;
}
