// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/vsprintf.c: the kernel's snprintf (shim/host.h maps the
 * name) is checked against the C library's for a matrix of flags, widths,
 * precisions and conversions, then for truncation, the C99 return value and
 * the kernel's own choices (%p, NULL strings, unknown conversions).
 */
// test-sources: lib/vsprintf.c lib/string.c
#include <mosaic/printk.h>
#include <mosaic/string.h>
#include "tap.h"

static const char *const flag_sets[] = { "", "-", "0", "+", " ", "#", "-#", "0#", "+0", "- " };
static const char *const widths[] = { "", "1", "5", "12" };
static const char *const precisions[] = { "", ".0", ".3", ".10" };

/* Format one value both ways and record a failure when they differ. */
#define SAME_AS_LIBC(fmt, value)                                               \
	do {                                                                   \
		char __k[128], __h[128];                                       \
		int __kn = snprintf(__k, sizeof(__k), fmt, value);             \
		int __hn = host_snprintf(__h, sizeof(__h), fmt, value);        \
		if (__kn != __hn || host_strcmp(__k, __h))                     \
			tap_fail(__FILE__, __LINE__, "'%s': kernel \"%s\" (%d), libc \"%s\" (%d)", \
				 fmt, __k, __kn, __h, __hn);                   \
	} while (0)

/* Build "%<flags><width><precision><conv>" for every combination, call fn. */
static void for_each_spec(const char *length, char conv, void (*fn)(const char *fmt))
{
	char fmt[32];

	for (size_t f = 0; f < ARRAY_SIZE(flag_sets); f++)
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
				host_snprintf(fmt, sizeof(fmt), "%%%s%s%s%s%c", flag_sets[f],
					      widths[w], precisions[p], length, conv);
				fn(fmt);
			}
}

static void check_ints(const char *fmt)
{
	static const int values[] = { 0, 1, -1, 42, -42, 123456, INT_MAX, -INT_MAX - 1 };

	for (size_t i = 0; i < ARRAY_SIZE(values); i++)
		SAME_AS_LIBC(fmt, values[i]);
}

static void check_unsigned(const char *fmt)
{
	static const unsigned int values[] = { 1, 7, 8, 255, 0xdeadbeef, U32_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(values); i++)
		SAME_AS_LIBC(fmt, values[i]);
}

/* "%#x" of 0 is a kernel choice (see test_kernel_choices): skip it here. */
static void check_longs(const char *fmt)
{
	static const long values[] = { 0, -1, 1L << 40, LONG_MAX, -LONG_MAX - 1 };
	bool alt_hex = strchr(fmt, '#') && strchr(fmt, 'x');

	for (size_t i = alt_hex ? 1 : 0; i < ARRAY_SIZE(values); i++)
		SAME_AS_LIBC(fmt, values[i]);
}

static void test_signed_matrix(void)
{
	for_each_spec("", 'd', check_ints);
	for_each_spec("", 'i', check_ints);
	for_each_spec("l", 'd', check_longs);
	for_each_spec("ll", 'd', check_longs);
}

static void test_unsigned_matrix(void)
{
	for_each_spec("", 'u', check_unsigned);
	for_each_spec("", 'x', check_unsigned);
	for_each_spec("", 'X', check_unsigned);
	for_each_spec("", 'o', check_unsigned);
	for_each_spec("l", 'x', check_longs);
}

static void test_strings_and_chars(void)
{
	static const char *const fmts[] = { "%s", "%10s", "%-10s|", "%.2s", "%8.3s", "%-8.3s|" };

	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		SAME_AS_LIBC(fmts[i], "mosaic");
		SAME_AS_LIBC(fmts[i], "");
	}
	SAME_AS_LIBC("%c", 'x');
	SAME_AS_LIBC("%5c|", 'x');
	SAME_AS_LIBC("%-5c|", 'x');
	SAME_AS_LIBC("100%% sure %c", '!');
}

static void test_length_modifiers(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	EXPECT_STREQ(buf, "44 44 4464 4464");
	snprintf(buf, sizeof(buf), "%zu %zd %td", (size_t)-1, (ssize_t)-5, (ptrdiff_t)-7);
	EXPECT_STREQ(buf, "18446744073709551615 -5 -7");
	snprintf(buf, sizeof(buf), "%llx %llu", ~0ULL, 1ULL << 63);
	EXPECT_STREQ(buf, "ffffffffffffffff 9223372036854775808");
}

static void test_star_width_precision(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "[%*d][%-*d][%*d]", 5, 42, 5, 42, -5, 42);
	EXPECT_STREQ(buf, "[   42][42   ][42   ]");
	snprintf(buf, sizeof(buf), "[%.*s][%*.*s]", 2, "abcdef", 6, 3, "abcdef");
	EXPECT_STREQ(buf, "[ab][   abc]");
}

/* Output is cut at size-1 and terminated; the return value is the full length. */
static void test_truncation_and_return(void)
{
	char buf[16];

	for (size_t size = 1; size <= sizeof(buf); size++) {
		memset(buf, '#', sizeof(buf));
		EXPECT_EQ(snprintf(buf, size, "%s-%d", "abcdefgh", 12345), 14);
		EXPECT_EQ(strlen(buf), size - 1 < 14 ? size - 1 : 14);
		EXPECT_EQ(strncmp(buf, "abcdefgh-12345", size - 1), 0);
		if (size < sizeof(buf))
			EXPECT_EQ(buf[size], '#'); /* nothing written past size */
	}
	buf[0] = '#';
	EXPECT_EQ(snprintf(buf, 0, "%d", 123), 3); /* size 0: counts, writes nothing */
	EXPECT_EQ(buf[0], '#');
	EXPECT_EQ(snprintf(NULL, 0, "%s", "four"), 4);
}

/* Reaches vsnprintf without the compiler's format check, for malformed formats. */
static int vformat(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static const char *volatile null_string;

static void test_kernel_choices(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%p", (void *)0xffff888000001000UL);
	EXPECT_STREQ(buf, "0xffff888000001000");
	snprintf(buf, sizeof(buf), "%#x", 0);
	EXPECT_STREQ(buf, "0x0"); /* C prints "0"; the kernel keeps the prefix, as %p does */
	snprintf(buf, sizeof(buf), "%s", null_string);
	EXPECT_STREQ(buf, "(null)");
	EXPECT_EQ(vformat(buf, sizeof(buf), "a%qb"), 4); /* unknown: printed as written */
	EXPECT_STREQ(buf, "a%qb");
	EXPECT_EQ(vformat(buf, sizeof(buf), "end%"), 4); /* a lone % at the end */
	EXPECT_STREQ(buf, "end%");
}

/* Long output through a small buffer: ASan catches any write past the end. */
static void test_long_output_small_buffer(void)
{
	char *small = malloc(5);
	char big[300];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(snprintf(small, 5, "%s%s%300d", big, big, 1), 898);
	EXPECT_STREQ(small, "xxxx");
	free(small);
}

int main(void)
{
	RUN(test_signed_matrix);
	RUN(test_unsigned_matrix);
	RUN(test_strings_and_chars);
	RUN(test_length_modifiers);
	RUN(test_star_width_precision);
	RUN(test_truncation_and_return);
	RUN(test_kernel_choices);
	RUN(test_long_output_small_buffer);
	return tap_finish();
}
