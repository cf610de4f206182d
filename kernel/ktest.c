// SPDX-License-Identifier: GPL-2.0
/*
 * The ktest runner. Tests register with KTEST(suite, name) into the .ktests
 * section; ktest=all or ktest=SUITE[,SUITE...] on the command line selects
 * suites. Output is KTAP version 1: one top-level line per suite, one nested
 * line per test, diagnostics as "# " lines.
 */
#include <mosaic/console.h>
#include <mosaic/ktest.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

extern const struct ktest __start_ktests[], __stop_ktests[];

#define MAX_SUITES 128
/* Tests slower than this get a diagnostic: boot to the end of the tests must stay under 1 s. */
#define SLOW_TEST_MS 20

static const char *ktest_selection;
KERNEL_PARAM("ktest", param_set_string, &ktest_selection, "all | SUITE[,SUITE...]: run self-tests");

static struct {
	bool failed;
	const char *skip_reason;
} cur;

static __printf(1, 2) void ktap(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line, min(n, (int)sizeof(line) - 1));
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktap("    # %s:%d: %s\n", file, line, msg);
	cur.failed = true;
}

void ktest_skip(const char *reason)
{
	cur.skip_reason = reason;
}

bool ktest_failed(void)
{
	return cur.failed;
}

u64 ktest_median(u64 *v, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {	/* insertion sort: n is small */
		u64 x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n ? v[n / 2] : 0;
}

bool ktest_requested(void)
{
	return ktest_selection != NULL;
}

bool ktest_list_has(const char *list, const char *name)
{
	const char *p = list;
	size_t len = strlen(name);

	if (!strcmp(p, "all"))
		return true;
	while (*p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || p[len] == '\0'))
			return true;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return false;
}

/* Distinct suite names in section order; returns how many. */
static int collect_suites(const char **suites)
{
	int n = 0;

	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		int i;

		for (i = 0; i < n && strcmp(suites[i], t->suite); i++)
			;
		if (i == n && n < MAX_SUITES && ktest_list_has(ktest_selection, t->suite))
			suites[n++] = t->suite;
	}
	return n;
}

/* Run one test with fresh per-test state; says so when it was slow. */
static void run_test(const struct ktest *t)
{
	u64 start = ktime_ns(), ms;

	cur.failed = false;
	cur.skip_reason = NULL;
	t->fn();
	ms = (ktime_ns() - start) / NSEC_PER_MSEC;
	if (ms >= SLOW_TEST_MS)
		ktap("    # slow: %s.%s took %llu ms (guest time)\n", t->suite, t->name, ms);
}

/* Run one suite; returns the number of failed tests. */
static int run_suite(int index, const char *suite, int *passed, int *skipped)
{
	int count = 0, num = 0, failed = 0;
	const struct ktest *t;

	for (t = __start_ktests; t < __stop_ktests; t++)
		count += !strcmp(t->suite, suite);
	ktap("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", suite, count);
	for (t = __start_ktests; t < __stop_ktests; t++) {
		if (strcmp(t->suite, suite))
			continue;
		run_test(t);
		num++;
		if (cur.failed) {
			failed++;
			ktap("    not ok %d %s\n", num, t->name);
		} else if (cur.skip_reason) {
			(*skipped)++;
			ktap("    ok %d %s # SKIP %s\n", num, t->name, cur.skip_reason);
		} else {
			(*passed)++;
			ktap("    ok %d %s\n", num, t->name);
		}
	}
	ktap("%sok %d %s\n", failed ? "not " : "", index, suite);
	return failed;
}

int ktest_run_selected(void)
{
	static const char *suites[MAX_SUITES];
	int n, i, failed = 0, passed = 0, skipped = 0;
	u64 start = ktime_ns();

	if (!ktest_selection)
		return 0;
	n = collect_suites(suites);
	ktap("KTAP version 1\n1..%d\n", n);
	for (i = 0; i < n; i++)
		failed += run_suite(i + 1, suites[i], &passed, &skipped);
	if (n == 0) {
		ktap("# ktest: no suite matches '%s'\n", ktest_selection);
		failed++;
	}
	ktap("# ktest: %d passed, %d failed, %d skipped in %llu ms (guest time)\n", passed,
	     failed, skipped, (ktime_ns() - start) / 1000000);
	return failed;
}

/*
 * The harness's own check that a failing test fails the boot: with
 * ktest.inject_failure=1 this test fails for real (a KEXPECT, as any test
 * would), the kernel powers off with "failure" and scripts/run-tests
 * expects mosaic-run and the KTAP to say so. Skipped otherwise.
 */
static bool inject_failure;
KERNEL_PARAM("ktest.inject_failure", param_set_bool, &inject_failure,
	     "1: the ktest suite fails on purpose (checks the test harness)");

KTEST(ktest, injected_failure)
{
	if (!inject_failure) {
		ktest_skip("only with ktest.inject_failure=1");
		return;
	}
	KEXPECT_EQ(1 + 1, 3);
}
