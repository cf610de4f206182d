// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/cmdline.c: quoting, flags, over-long words, unknown
 * keys and bad values (which must leave defaults alone), and a fuzz loop of
 * random and garbage command lines that must never crash or overflow (ASan
 * and UBSan abort the program on the first bad access).
 */
// test-sources: lib/cmdline.c lib/kstrto.c lib/string.c
#include <mosaic/errno.h>
#include <mosaic/param.h>
#include <mosaic/string.h>
#include "tap.h"

#define WORD_MAX 256 /* lib/cmdline.c's limit, including the terminator */

static unsigned int opt_count;
static bool opt_verbose;
static u64 opt_size;
static const char *opt_name;

static const struct kernel_param table[] = {
	{ .name = "count", .set = param_set_uint, .arg = &opt_count },
	{ .name = "verbose", .set = param_set_bool, .arg = &opt_verbose },
	{ .name = "pcache", .set = param_set_size, .arg = &opt_size },
	{ .name = "name", .set = param_set_string, .arg = &opt_name },
};

/* What the parser reported, for checking. */
static struct {
	int count;
	enum param_error last_err;
	char last_key[WORD_MAX];
	int last_code;
} reports;

static void record(enum param_error err, const char *key, const char *val, int code)
{
	reports.count++;
	reports.last_err = err;
	reports.last_code = code;
	host_snprintf(reports.last_key, sizeof(reports.last_key), "%s", key);
}

static int parse(const char *line)
{
	opt_count = 5;
	opt_verbose = false;
	opt_size = 64ULL << 20;
	opt_name = "default";
	reports.count = 0;
	return cmdline_parse(line, table, table + ARRAY_SIZE(table), record);
}

static void test_good_values(void)
{
	EXPECT_EQ(parse("count=12 verbose=on pcache=128M name=node0"), 0);
	EXPECT_EQ(opt_count, 12);
	EXPECT(opt_verbose);
	EXPECT_EQ(opt_size, 128ULL << 20);
	EXPECT_STREQ(opt_name, "node0");
	EXPECT_EQ(parse("  \t count=0x10\n"), 0);
	EXPECT_EQ(opt_count, 16);
	EXPECT_EQ(parse(""), 0);
	EXPECT_EQ(opt_count, 5);
}

static void test_quotes(void)
{
	EXPECT_EQ(parse("name=\"a b  c\" count=3"), 0);
	EXPECT_STREQ(opt_name, "a b  c");
	EXPECT_EQ(opt_count, 3);
	EXPECT_EQ(parse("\"name=quoted key\""), 0);
	EXPECT_STREQ(opt_name, "quoted key");
	EXPECT_EQ(parse("name=\"never closed count=9"), 0); /* rest of line is the value */
	EXPECT_STREQ(opt_name, "never closed count=9");
	EXPECT_EQ(opt_count, 5);
	EXPECT_EQ(parse("name=\"\""), 0);
	EXPECT_STREQ(opt_name, "");
}

static void test_flags(void)
{
	EXPECT_EQ(parse("verbose"), 0); /* a bare flag means on */
	EXPECT(opt_verbose);
	EXPECT_EQ(parse("count"), 1); /* a number needs a value */
	EXPECT_EQ(reports.last_err, PARAM_NO_VALUE);
	EXPECT_EQ(opt_count, 5);
}

static void test_bad_values_keep_defaults(void)
{
	EXPECT_EQ(parse("count=banana pcache=banana verbose=maybe"), 3);
	EXPECT_EQ(reports.last_err, PARAM_BAD_VALUE);
	EXPECT_EQ(reports.last_code, -EINVAL);
	EXPECT_EQ(opt_count, 5);
	EXPECT_EQ(opt_size, 64ULL << 20);
	EXPECT(!opt_verbose);
	EXPECT_EQ(parse("pcache=99999999999999T"), 1);
	EXPECT_EQ(reports.last_code, -ERANGE);
	EXPECT_EQ(opt_size, 64ULL << 20);
	EXPECT_EQ(parse("count=4294967296 count=12junk count="), 3);
	EXPECT_EQ(opt_count, 5);
}

static void test_unknown_keys(void)
{
	EXPECT_EQ(parse("bogus=1 count=7 =x ="), 3);
	EXPECT_EQ(opt_count, 7);
	EXPECT_EQ(reports.last_err, PARAM_UNKNOWN);
	EXPECT_EQ(parse("/boot/mosaic.elf count=8"), 0); /* GRUB's kernel path is skipped */
	EXPECT_EQ(opt_count, 8);
	EXPECT_EQ(parse("count=8 /not/first"), 1);
}

static void test_over_long_words(void)
{
	char line[3 * WORD_MAX];
	size_t n;

	memset(line, 'k', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	EXPECT_EQ(parse(line), 1);
	EXPECT_EQ(reports.last_err, PARAM_TOO_LONG);
	EXPECT_EQ(reports.last_code, -E2BIG);
	EXPECT_EQ(strlen(reports.last_key), WORD_MAX - 1); /* truncated, terminated */
	/* The longest word that fits is accepted; one more byte is not. */
	n = (size_t)host_snprintf(line, sizeof(line), "name=");
	memset(line + n, 'v', WORD_MAX - 1 - n);
	line[WORD_MAX - 1] = '\0';
	EXPECT_EQ(parse(line), 0);
	EXPECT_EQ(strlen(opt_name), WORD_MAX - 1 - n);
	host_snprintf(line + WORD_MAX - 1, sizeof(line) - WORD_MAX + 1, "v count=2");
	EXPECT_EQ(parse(line), 1);
	EXPECT_EQ(opt_count, 2); /* parsing goes on after a bad word */
}

/* Random lines from a small alphabet rich in separators, quotes and '='. */
static void random_line(char *buf, size_t len, unsigned int *seed)
{
	static const char alphabet[] = "count=verbose=pcache=name=\"\" \t\n=0x1MG/-+\xff";

	for (size_t i = 0; i + 1 < len; i++)
		buf[i] = alphabet[rand_r(seed) % (sizeof(alphabet) - 1)];
	buf[len - 1] = '\0';
}

/* Exact-size heap copies so ASan flags any read past the terminator. */
/* The range helper of setters with limits: in range, out of range, not a number. */
static void test_uint_range(void)
{
	unsigned int v = 7;

	EXPECT_EQ(param_parse_uint_range("100", 100, 200, &v), 0);
	EXPECT_EQ(v, 100);
	EXPECT_EQ(param_parse_uint_range("0x80", 100, 200, &v), 0);
	EXPECT_EQ(v, 128);
	EXPECT_EQ(param_parse_uint_range("99", 100, 200, &v), -ERANGE);
	EXPECT_EQ(param_parse_uint_range("201", 100, 200, &v), -ERANGE);
	EXPECT_EQ(param_parse_uint_range("1x", 100, 200, &v), -EINVAL);
	EXPECT_EQ(param_parse_uint_range(NULL, 100, 200, &v), -EINVAL);
	EXPECT_EQ(v, 128);	/* refusals left it alone */
}

static void test_fuzz_never_crashes(void)
{
	unsigned int seed = 12345;

	for (int i = 0; i < 20000; i++) {
		size_t len = 1 + rand_r(&seed) % (i % 10 == 0 ? 1200 : 80);
		char *line = malloc(len);

		if (i % 3 == 0) {
			for (size_t j = 0; j + 1 < len; j++)
				line[j] = (char)(1 + rand_r(&seed) % 255); /* any byte but NUL */
			line[len - 1] = '\0';
		} else {
			random_line(line, len, &seed);
		}
		int problems = parse(line);

		EXPECT(problems >= 0 && problems == reports.count);
		free(line);
		if (tap_current_failed)
			return;
	}
}

int main(void)
{
	RUN(test_good_values);
	RUN(test_quotes);
	RUN(test_flags);
	RUN(test_bad_values_keep_defaults);
	RUN(test_unknown_keys);
	RUN(test_over_long_words);
	RUN(test_uint_range);
	RUN(test_fuzz_never_crashes);
	return tap_finish();
}
