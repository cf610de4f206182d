// SPDX-License-Identifier: GPL-2.0
/*
 * proc_profile: /proc/profile, the kernel's profile points.
 *
 *   - it first prints the table as it stands (what ran before this program
 *     in the boot: `mosaic.run=/glibc/bench/X;/glibc/proc_profile` shows
 *     where X's time went);
 *   - a point's line is "name count total min max avg_ns min_ns" with
 *     0 < min <= max <= total once it counted something;
 *   - after "reset" the fault count is below N; after touching N fresh
 *     pages the fault, miss_rpc, zero_fill and pte_install counts are at
 *     least N and their cycles are non-zero;
 *   - anything but "reset" is refused with EINVAL.
 *
 * Skipped (exit 0) where /proc/profile does not exist (not Mosaic); the
 * count checks are skipped when the header says CONFIG_PROFILE is off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "utest.h"

#define PROFILE "/proc/profile"
#define PAGES_TO_TOUCH 64

struct point {
	unsigned long long count, total, min, max, avg_ns, min_ns;
};

/* Print the whole file; true when its header says the points are compiled in. */
static bool print_table(void)
{
	FILE *f = fopen(PROFILE, "r");
	bool on = false;
	char line[160];

	if (!f)
		utest_die("cannot open %s", PROFILE);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			on = strstr(line, "(on)") != NULL;
		fputs(line, stdout);
	}
	fclose(f);
	return on;
}

/* Read the point called want; false when the file has no such line. */
static bool read_point(const char *want, struct point *pt)
{
	FILE *f = fopen(PROFILE, "r");
	char line[160], name[64];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%63s %llu %llu %llu %llu %llu %llu", name, &pt->count,
			       &pt->total, &pt->min, &pt->max, &pt->avg_ns, &pt->min_ns) == 7 &&
			!strcmp(name, want);
	fclose(f);
	return found;
}

static long write_profile(const char *text)
{
	return utest_write_file(PROFILE, text);
}

static void check_point_counts(const char *name, unsigned long long at_least)
{
	struct point pt;

	CHECK(read_point(name, &pt), "%s has no line %s", PROFILE, name);
	CHECK(pt.count >= at_least, "%s counted %llu, expected at least %llu", name, pt.count,
	      at_least);
	CHECK(pt.min > 0 && pt.min <= pt.max && pt.max <= pt.total,
	      "%s: min %llu max %llu total %llu", name, pt.min, pt.max, pt.total);
}

static void check_reset_and_count(void)
{
	struct point pt;

	CHECK(write_profile("reset\n") == 6, "writing \"reset\\n\" failed");
	CHECK(read_point("fault", &pt) && pt.count < PAGES_TO_TOUCH,
	      "fault count %llu right after the reset", pt.count);
	utest_touch_fresh_pages(PAGES_TO_TOUCH);
	check_point_counts("fault", PAGES_TO_TOUCH);
	check_point_counts("miss_rpc", PAGES_TO_TOUCH);
	check_point_counts("zero_fill", PAGES_TO_TOUCH);
	check_point_counts("pte_install", PAGES_TO_TOUCH);
}

int main(void)
{
	bool on;

	utest_start("proc_profile");
	if (access(PROFILE, R_OK)) {
		printf("proc_profile: SKIP: %s is not present\n", PROFILE);
		return 0;
	}
	on = print_table();
	CHECK(write_profile("bogus") == -EINVAL, "\"bogus\" was not refused with EINVAL");
	if (on)
		check_reset_and_count();
	else
		printf("proc_profile: CONFIG_PROFILE is off: counts not checked\n");
	return utest_finish();
}
