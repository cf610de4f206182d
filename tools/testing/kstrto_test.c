// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/kstrto.c: bases and prefixes, exact overflow edges,
 * size suffixes, booleans, and junk that must be -EINVAL (never a partial
 * value written to the result).
 */
// test-sources: lib/kstrto.c lib/string.c
#include <mosaic/errno.h>
#include <mosaic/string.h>
#include "tap.h"

static void test_bases_and_prefixes(void)
{
	u64 v;

	EXPECT_EQ(kstrtoull("0", 0, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(kstrtoull("0x1F", 0, &v), 0);
	EXPECT_EQ(v, 31);
	EXPECT_EQ(kstrtoull("0X1f", 16, &v), 0);
	EXPECT_EQ(v, 31);
	EXPECT_EQ(kstrtoull("1f", 16, &v), 0);
	EXPECT_EQ(v, 31);
	EXPECT_EQ(kstrtoull("017", 0, &v), 0);
	EXPECT_EQ(v, 15);
	EXPECT_EQ(kstrtoull("017", 10, &v), 0);
	EXPECT_EQ(v, 17);
	EXPECT_EQ(kstrtoull("+9", 10, &v), 0);
	EXPECT_EQ(v, 9);
	EXPECT_EQ(kstrtoull("zz", 36, &v), 0);
	EXPECT_EQ(v, 35 * 36 + 35);
	EXPECT_EQ(kstrtoull("101", 2, &v), 0);
	EXPECT_EQ(v, 5);
	EXPECT_EQ(kstrtoull("42\n", 10, &v), 0); /* one trailing newline is allowed */
	EXPECT_EQ(v, 42);
}

static void test_overflow_edges(void)
{
	u64 v;
	s64 s;
	unsigned int u;
	int i;

	EXPECT_EQ(kstrtoull("18446744073709551615", 10, &v), 0);
	EXPECT_EQ(v, U64_MAX);
	EXPECT_EQ(kstrtoull("18446744073709551616", 10, &v), -ERANGE);
	EXPECT_EQ(kstrtoull("0xffffffffffffffff", 0, &v), 0);
	EXPECT_EQ(kstrtoull("0x10000000000000000", 0, &v), -ERANGE);
	EXPECT_EQ(kstrtoll("9223372036854775807", 10, &s), 0);
	EXPECT_EQ(s, LONG_MAX);
	EXPECT_EQ(kstrtoll("9223372036854775808", 10, &s), -ERANGE);
	EXPECT_EQ(kstrtoll("-9223372036854775808", 10, &s), 0);
	EXPECT(s == -LONG_MAX - 1);
	EXPECT_EQ(kstrtoll("-9223372036854775809", 10, &s), -ERANGE);
	EXPECT_EQ(kstrtouint("4294967295", 10, &u), 0);
	EXPECT_EQ(u, U32_MAX);
	EXPECT_EQ(kstrtouint("4294967296", 10, &u), -ERANGE);
	EXPECT_EQ(kstrtoint("2147483647", 10, &i), 0);
	EXPECT_EQ(kstrtoint("2147483648", 10, &i), -ERANGE);
	EXPECT_EQ(kstrtoint("-2147483648", 10, &i), 0);
	EXPECT_EQ(i, -INT_MAX - 1);
	EXPECT_EQ(kstrtoint("-2147483649", 10, &i), -ERANGE);
}

static void test_junk_is_rejected(void)
{
	static const char *const junk[] = {
		"", " 1", "1 ", "1x", "x1", "0x", "--1", "+-1", "-", "+", "1\n\n", "12abc", "0xg",
		"\xff", "1.5", "1e3",
	};
	u64 v = 777;

	for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
		if (!EXPECT_EQ(kstrtoull(junk[i], 0, &v), -EINVAL))
			tap_fail(__FILE__, __LINE__, "accepted \"%s\"", junk[i]);
	}
	EXPECT_EQ(v, 777); /* a rejected string leaves the result alone */
	EXPECT_EQ(kstrtoull("9", 8, &v), -EINVAL);
	EXPECT_EQ(kstrtoull("1", 1, &v), -EINVAL);  /* no base 1 */
	EXPECT_EQ(kstrtoull("1", 37, &v), -EINVAL); /* nor above 36 */
	EXPECT_EQ(kstrtoull(NULL, 0, &v), -EINVAL);
	EXPECT_EQ(kstrtouint("-1", 10, &(unsigned int){ 0 }), -EINVAL);
}

static void test_sizes(void)
{
	static const struct { const char *s; u64 v; } good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "4k", 4096 }, { "4K", 4096 }, { "64M", 64ULL << 20 },
		{ "64MB", 64ULL << 20 }, { "64mb", 64ULL << 20 }, { "2G", 2ULL << 30 },
		{ "1T", 1ULL << 40 }, { "0x10M", 16ULL << 20 }, { "16777215T", 16777215ULL << 40 },
	};
	static const char *const bad[] = { "", "M", "64X", "64MBB", "64 M", "-1M", "banana", "1.5G" };
	u64 v;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		EXPECT_EQ(kstrtosize(good[i].s, &v), 0);
		EXPECT_EQ(v, good[i].v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(kstrtosize(bad[i], &v), -EINVAL);
	EXPECT_EQ(kstrtosize("16777216T", &v), -ERANGE);
	EXPECT_EQ(kstrtosize("99999G", &v), 0);
	EXPECT_EQ(kstrtosize("99999999999999999999", &v), -ERANGE);
}

static void test_bools(void)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	bool b;

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		b = false;
		EXPECT_EQ(kstrtobool(yes[i], &b), 0);
		EXPECT(b);
		EXPECT_EQ(kstrtobool(no[i], &b), 0);
		EXPECT(!b);
	}
	EXPECT_EQ(kstrtobool("maybe", &b), -EINVAL);
	EXPECT_EQ(kstrtobool("", &b), -EINVAL);
	EXPECT_EQ(kstrtobool(NULL, &b), -EINVAL);
}

int main(void)
{
	RUN(test_bases_and_prefixes);
	RUN(test_overflow_edges);
	RUN(test_junk_is_rejected);
	RUN(test_sizes);
	RUN(test_bools);
	return tap_finish();
}
