// SPDX-License-Identifier: GPL-2.0
/*
 * pcache_reset: writing "reset" to /proc/pcache zeroes the counters between
 * benchmark phases, and /proc/pcache_sets shows the sets' occupancy.
 *
 *   - after touching N fresh pages zero_fills >= N; after "reset" it is
 *     below N and "resets" went up by exactly one;
 *   - anything but "reset" is refused with EINVAL, opening read-write with
 *     EACCES, and /proc/pcache_sets cannot be written at all;
 *   - /proc/pcache_sets agrees with /proc/pcache: sets x assoc = lines, the
 *     sets_free_N histogram adds up to the sets, min <= mean <= max.
 *
 * Skipped (exit 0) where /proc/pcache does not exist (not Mosaic).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "utest.h"

#define PAGES_TO_TOUCH 128
#define SETS_FILE "/proc/pcache_sets"

static long long counter(const char *name)
{
	return utest_pcache_counter(name);
}

/* Write text to /proc/pcache: the write's result, or -errno. */
static long write_command(const char *text)
{
	return utest_write_file("/proc/pcache", text);
}

static void check_reset(void)
{
	long long resets = counter("resets");
	long written;

	utest_touch_fresh_pages(PAGES_TO_TOUCH);
	CHECK(counter("zero_fills") >= PAGES_TO_TOUCH, "zero_fills %lld before the reset",
	      counter("zero_fills"));
	written = write_command("reset\n");
	CHECK(written == 6, "writing \"reset\\n\" returned %ld", written);
	CHECK(counter("zero_fills") < PAGES_TO_TOUCH, "zero_fills still %lld after the reset",
	      counter("zero_fills"));
	CHECK(counter("resets") == resets + 1, "resets went from %lld to %lld after one reset",
	      resets, counter("resets"));
}

static void check_bad_writes(void)
{
	long long resets = counter("resets");
	int fd;

	CHECK(write_command("resetx") == -EINVAL, "\"resetx\" gave %ld", write_command("resetx"));
	CHECK(write_command("") == 0 || write_command("") == -EINVAL, "an empty write gave %ld",
	      write_command(""));
	CHECK(counter("resets") == resets, "a refused write reset the counters");
	fd = open("/proc/pcache", O_RDWR);
	CHECK(fd < 0 && errno == EACCES, "O_RDWR open gave fd %d errno %d", fd, errno);
	fd = open(SETS_FILE, O_WRONLY);
	CHECK(fd < 0 && errno == EACCES, "opening %s for writing gave fd %d errno %d",
	      SETS_FILE, fd, errno);
}

static void check_sets_histogram(long long sets, long long assoc)
{
	long long total = 0;
	char name[32];

	for (long long f = 0; f <= assoc; f++) {
		snprintf(name, sizeof(name), "sets_free_%lld", f);
		long long n = utest_proc_value(SETS_FILE, name);

		CHECK(n >= 0, "%s has no %s", SETS_FILE, name);
		total += n;
	}
	CHECK(total == sets, "the sets_free_N lines add up to %lld sets, not %lld", total, sets);
}

static void check_sets_file(void)
{
	long long sets = utest_proc_value(SETS_FILE, "sets");
	long long assoc = utest_proc_value(SETS_FILE, "assoc");
	long long lo = utest_proc_value(SETS_FILE, "used_ways_min");
	long long hi = utest_proc_value(SETS_FILE, "used_ways_max");
	long long avg = utest_proc_value(SETS_FILE, "used_ways_avg_x100");

	CHECK(sets > 0 && assoc > 0, "%s: sets %lld assoc %lld", SETS_FILE, sets, assoc);
	CHECK(sets * assoc == counter("lines"), "sets %lld x assoc %lld != lines %lld", sets,
	      assoc, counter("lines"));
	CHECK(lo >= 0 && lo * 100 <= avg && avg <= hi * 100 && hi <= assoc,
	      "used ways min %lld avg %lld/100 max %lld", lo, avg, hi);
	CHECK(utest_proc_value(SETS_FILE, "lines_reclaim") >= 0, "no lines_reclaim line");
	check_sets_histogram(sets, assoc);
}

int main(void)
{
	utest_start("pcache_reset");
	if (access("/proc/pcache", R_OK)) {
		printf("pcache_reset: SKIP: /proc/pcache is not present\n");
		return 0;
	}
	check_reset();
	check_bad_writes();
	check_sets_file();
	return utest_finish();
}
