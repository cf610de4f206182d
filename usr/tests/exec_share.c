// SPDX-License-Identifier: GPL-2.0
/*
 * exec_share: processes that run one binary share the pcache lines of its
 * read-only pages (managers/processor/pcache/fault.c, "lines shared between
 * address spaces"), and the sharing never shows:
 *
 *   1. a holder child execs this binary, sums its text and waits; a second
 *      child execs it meanwhile: on Mosaic some of its read misses are
 *      served by lines the holder (or this parent) holds, so the pcache's
 *      image_shares counter grows;
 *   2. that child makes the page of a function writable, changes the
 *      function's first byte and reads the page back: its own change, every
 *      other byte as before;
 *   3. the holder's text sums as before, and so does a third exec's (a
 *      second patch child, which sums its text before it patches).
 *
 * Children: exec_share --hold READ_FD WRITE_FD, exec_share --patch SUM.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

extern const unsigned char __executable_start[], etext[];

/* Never called: the patch child changes its first byte. */
static int __attribute__((noinline, used)) patch_target(int x)
{
	return x * 3 + 1;
}

static unsigned long text_sum(void)
{
	const volatile unsigned char *p = __executable_start;
	unsigned long sum = 0;

	for (; p < etext; p++)
		sum = sum * 31 + *p;
	return sum;
}

/* Sum the text, report it on out; wait for a byte on in; sum and report again. */
static int hold_main(int in, int out)
{
	unsigned long sum = text_sum();
	char go;

	if (write(out, &sum, sizeof(sum)) != sizeof(sum) || read(in, &go, 1) != 1)
		return 2;
	sum = text_sum();
	return write(out, &sum, sizeof(sum)) == sizeof(sum) ? 0 : 3;
}

/* Check the text sums to expect; make patch_target's page writable, change a byte, check. */
static int patch_main(unsigned long expect)
{
	unsigned char *fn = (unsigned char *)(uintptr_t)patch_target;
	unsigned char *page = (unsigned char *)((uintptr_t)fn & ~(UTEST_PAGE_SIZE - 1));
	static unsigned char before[UTEST_PAGE_SIZE];
	size_t at = fn - page;

	utest_start("exec_share patch");
	CHECK(text_sum() == expect, "the text is not the file's (an earlier patch showing?)");
	memcpy(before, page, sizeof(before));
	CHECK(mprotect(page, UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC) == 0,
	      "mprotect rwx: errno %d", errno);
	*(volatile unsigned char *)fn ^= 0xff;
	CHECK(page[at] == (unsigned char)(before[at] ^ 0xff), "own change not seen");
	page[at] ^= 0xff;	/* compare the rest in one go */
	CHECK(!memcmp(page, before, sizeof(before)), "other bytes of the page changed");
	page[at] ^= 0xff;
	return utest_finish();
}

static pid_t spawn(const char *self, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(self, argv);
		_exit(127);
	}
	return pid;
}

static int run_patch_child(const char *self, unsigned long expect)
{
	char sum[32];
	pid_t pid;

	snprintf(sum, sizeof(sum), "%lx", expect);
	pid = spawn(self, (char *const[]){ (char *)self, "--patch", sum, NULL });
	return pid > 0 ? utest_wait_code(pid) : -1;
}

/* The patch child runs while the holder holds the text; the holder's sum stays. */
static void check_shared_text(const char *self)
{
	int to_holder[2], from_holder[2];
	char in[16], out[16];
	unsigned long first = 0, second = 0;
	long long shares;
	pid_t holder;

	if (pipe(to_holder) || pipe(from_holder))
		utest_die("pipe: errno %d", errno);
	snprintf(in, sizeof(in), "%d", to_holder[0]);
	snprintf(out, sizeof(out), "%d", from_holder[1]);
	holder = spawn(self, (char *const[]){ (char *)self, "--hold", in, out, NULL });
	CHECK(holder > 0, "fork: errno %d", errno);
	CHECK(read(from_holder[0], &first, sizeof(first)) == sizeof(first), "no first sum");
	CHECK(first == text_sum(), "the holder's text differs from ours");
	shares = utest_pcache_counter("image_shares");
	CHECK(run_patch_child(self, first) == 0, "the patch child failed");
	if (shares >= 0)
		CHECK(utest_pcache_counter("image_shares") > shares,
		      "no read miss of the patch child was served by a shared line (%lld)", shares);
	CHECK(write(to_holder[1], "g", 1) == 1, "wake the holder");
	CHECK(read(from_holder[0], &second, sizeof(second)) == sizeof(second), "no second sum");
	CHECK(second == first, "the holder's text changed: %#lx, was %#lx", second, first);
	CHECK(utest_wait_code(holder) == 0, "the holder failed");
	close(to_holder[1]);
	close(from_holder[0]);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--hold"))
		return hold_main(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "--patch"))
		return patch_main(strtoul(argv[2], NULL, 16));
	utest_start("exec_share");
	check_shared_text(argv[0]);
	/* a later exec sees the file's text, not the patch */
	CHECK(run_patch_child(argv[0], text_sum()) == 0, "a second patch child failed");
	return utest_finish();
}
