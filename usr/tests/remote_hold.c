// SPDX-License-Identifier: GPL-2.0
/*
 * remote_hold [MiB [SECONDS]]: keep MiB (default 4) of anonymous memory
 * busy for SECONDS (default 0: one pass) and verify every word throughout.
 *   fill:  every word gets a pattern of its index and the pass number;
 *   hold:  prints "remote_hold: holding", then pass after pass checks the
 *          previous pattern and writes the next one until SECONDS are over;
 *   end:   a last check, exit 0 when no word was ever wrong.
 * With a pcache smaller than MiB every pass misses and writes back, so on a
 * cluster the process keeps talking to its home memory node: the node
 * failure test (scripts/run-tests, cluster stage) kills one memory node
 * while two copies of this program run, homed on different nodes. The one
 * homed on the dead node must die with SIGBUS; the other must finish here.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#include "utest.h"

#define WORDS_PER_MIB ((1024 * 1024) / sizeof(uint64_t))

static uint64_t pattern(size_t word, unsigned int pass)
{
	return (word + 1) * 0x9E3779B97F4A7C15ULL + pass;
}

static unsigned long parse_arg(int argc, char **argv, int i, unsigned long def,
			       unsigned long max)
{
	char *end;
	unsigned long v;

	if (argc <= i)
		return def;
	v = strtoul(argv[i], &end, 10);
	if (*end || v > max)
		utest_die("usage: remote_hold [MiB 1..1024 [SECONDS 0..3600]], got \"%s\"", argv[i]);
	return v;
}

/* Check every word against pass's pattern and write pass + 1's; bad words returned. */
static size_t check_and_advance(uint64_t *mem, size_t words, unsigned int pass)
{
	size_t bad = 0;

	for (size_t w = 0; w < words; w++) {
		if (mem[w] != pattern(w, pass) && !bad++)
			printf("remote_hold: word %zu is %#llx, not %#llx (pass %u)\n", w,
			       (unsigned long long)mem[w], (unsigned long long)pattern(w, pass),
			       pass);
		mem[w] = pattern(w, pass + 1);
	}
	return bad;
}

int main(int argc, char **argv)
{
	size_t words = parse_arg(argc, argv, 1, 4, 1024) * WORDS_PER_MIB;
	unsigned long seconds = parse_arg(argc, argv, 2, 0, 3600);
	time_t end;
	unsigned int pass = 0;
	uint64_t *mem;

	utest_start("remote_hold");
	CHECK(words > 0, "MiB must be at least 1");
	mem = mmap(NULL, words * sizeof(*mem), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		utest_die("mmap of %zu words failed", words);
	for (size_t w = 0; w < words; w++)
		mem[w] = pattern(w, 0);
	printf("remote_hold: holding %zu MiB for %lu s\n", words / WORDS_PER_MIB, seconds);
	end = time(NULL) + (time_t)seconds;
	do {
		CHECK(check_and_advance(mem, words, pass) == 0, "pass %u found bad words", pass);
		pass++;
	} while (time(NULL) < end);
	CHECK(check_and_advance(mem, words, pass) == 0, "the last check found bad words");
	printf("remote_hold: %u passes, every word verified\n", pass + 1);
	return utest_finish();
}
