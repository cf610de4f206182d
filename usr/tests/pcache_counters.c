// SPDX-License-Identifier: GPL-2.0
/*
 * pcache_counters [file]: touching N fresh anonymous pages must raise the
 * pcache's zero-fill counter by exactly N.
 *
 * Reads /proc/pcache (or file), one "name value" counter per line, before
 * and after the touches. Without the file (a kernel that has no /proc yet,
 * or a Linux host) the test is skipped: a message and exit 0. Other
 * counters must never go backwards.
 *
 * For an exact count nothing may fault between the two reads except the
 * touched pages: the buffers are static and pre-touched, and the file is
 * read with open/read, not stdio (which would allocate).
 *
 * Counters only grow between resets ("reset" written to /proc/pcache): the
 * two snapshots count only if they show the same "resets"; otherwise a
 * reset fell between them and the measurement is taken again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "utest.h"

#define DEFAULT_PATH "/proc/pcache"
#define ZERO_FILL_COUNTER "zero_fills"	/* the line name the kernel prints */
#define PAGES_TO_TOUCH 256
#define RESETS_COUNTER "resets"	/* never goes back; absent on older kernels */
#define MEASURE_TRIES 3
#define MAX_COUNTERS 64
#define NAME_MAX_LEN 48

struct counter {
	char name[NAME_MAX_LEN];
	unsigned long long value;
};

struct counter_set {
	int nr;
	struct counter c[MAX_COUNTERS];
};

static char file_text[16384];
static struct counter_set before, after;

/* Read the whole file into file_text. Returns 0 or an errno. */
static int read_file(const char *path)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	while ((n = read(fd, file_text + total, sizeof(file_text) - 1 - total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		return errno;
	file_text[total] = '\0';
	return 0;
}

/* Parse "name value" lines; a malformed line is a failure with its number. */
static void parse_counters(struct counter_set *set)
{
	char *save, *line = strtok_r(file_text, "\n", &save);
	int lineno = 1;

	set->nr = 0;
	for (; line; line = strtok_r(NULL, "\n", &save), lineno++) {
		struct counter *c = &set->c[set->nr];
		char extra;

		if (set->nr == MAX_COUNTERS)
			utest_die("more than %d counters", MAX_COUNTERS);
		if (sscanf(line, "%47s %llu %c", c->name, &c->value, &extra) != 2)
			utest_die("line %d is not \"name value\": \"%s\"", lineno, line);
		set->nr++;
	}
}

static const struct counter *find_counter(const struct counter_set *set, const char *name)
{
	for (int i = 0; i < set->nr; i++)
		if (!strcmp(set->c[i].name, name))
			return &set->c[i];
	return NULL;
}

static void check_monotonic(void)
{
	for (int i = 0; i < before.nr; i++) {
		const struct counter *now = find_counter(&after, before.c[i].name);

		CHECK(now && now->value >= before.c[i].value, "counter %s went from %llu to %llu",
		      before.c[i].name, before.c[i].value, now ? now->value : 0);
	}
}

/* Both snapshots come from the same reset period (or the kernel has no resets). */
static bool same_resets(void)
{
	const struct counter *r0 = find_counter(&before, RESETS_COUNTER);
	const struct counter *r1 = find_counter(&after, RESETS_COUNTER);

	return !r0 || !r1 || r0->value == r1->value;
}

static void snapshot(const char *path, struct counter_set *set)
{
	int err = read_file(path);

	if (err)
		utest_die("reading %s failed: %s", path, strerror(err));
	parse_counters(set);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : DEFAULT_PATH;
	const struct counter *zf_before, *zf_after;

	utest_start("pcache_counters");
	if (access(path, R_OK) && (errno == ENOENT || errno == ENOTDIR)) {
		printf("pcache_counters: SKIP: %s is not present\n", path);
		return 0;
	}
	/*
	 * A first snapshot only warms up: its own first touches of file_text,
	 * the counter sets and the stack happen after the kernel printed the
	 * counters, so they would be counted against the touched pages.
	 */
	snapshot(path, &after);
	for (int try = 0; try < MEASURE_TRIES; try++) {
		snapshot(path, &before);
		utest_touch_fresh_pages(PAGES_TO_TOUCH);
		snapshot(path, &after);
		if (same_resets())
			break;
	}
	CHECK(same_resets(), "a counter reset fell in each of %d measurements", MEASURE_TRIES);
	zf_before = find_counter(&before, ZERO_FILL_COUNTER);
	zf_after = find_counter(&after, ZERO_FILL_COUNTER);
	if (!zf_before || !zf_after)
		utest_die("%s has no \"%s\" line", path, ZERO_FILL_COUNTER);
	printf("pcache_counters: %s %llu -> %llu after touching %d pages\n", ZERO_FILL_COUNTER,
	       zf_before->value, zf_after->value, PAGES_TO_TOUCH);
	CHECK(zf_after->value - zf_before->value == PAGES_TO_TOUCH,
	      "%s rose by %llu, want %d", ZERO_FILL_COUNTER,
	      zf_after->value - zf_before->value, PAGES_TO_TOUCH);
	check_monotonic();
	return utest_finish();
}
