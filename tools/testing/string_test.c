// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/string.c: the kernel's memcpy/memmove/memset/memcmp and
 * str* functions (shim/host.h maps the usual names to them), including
 * overlapping moves, zero lengths and truncation, at every small offset so
 * ASan sees any byte touched outside the buffers.
 */
// test-sources: lib/string.c
#include <mosaic/string.h>
#include "tap.h"

#define BUF 200

static void fill_pattern(unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static void test_memcpy_all_offsets(void)
{
	unsigned char src[BUF], dst[BUF];

	fill_pattern(src, BUF, 3);
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= BUF; n++) {
			memset(dst, 0xee, BUF);
			EXPECT(memcpy(dst + off, src, n) == dst + off);
			for (size_t i = 0; i < BUF; i++) {
				unsigned char want = i >= off && i < off + n ? src[i - off] : 0xee;

				if (dst[i] != want) {
					tap_fail(__FILE__, __LINE__, "off %zu n %zu byte %zu", off, n, i);
					return;
				}
			}
		}
}

/* memmove must equal a copy through a temporary buffer, in both directions. */
static void test_memmove_overlap(void)
{
	unsigned char buf[BUF], want[BUF], tmp[BUF];

	for (size_t from = 0; from < 16; from++)
		for (size_t to = 0; to < 16; to++) {
			size_t n = BUF - 16;

			fill_pattern(buf, BUF, 1);
			fill_pattern(want, BUF, 1);
			for (size_t i = 0; i < n; i++)
				tmp[i] = want[from + i];
			for (size_t i = 0; i < n; i++)
				want[to + i] = tmp[i];
			EXPECT(memmove(buf + to, buf + from, n) == buf + to);
			if (memcmp(buf, want, BUF)) {
				tap_fail(__FILE__, __LINE__, "memmove from %zu to %zu", from, to);
				return;
			}
		}
}

/* Every start and length: the 8-byte body and the byte tail, nothing outside. */
static void test_memset_all_offsets(void)
{
	unsigned char buf[BUF];

	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= BUF; n++) {
			memset(buf, 0xee, BUF);
			EXPECT(memset(buf + off, -2, n) == buf + off);
			for (size_t i = 0; i < BUF; i++) {
				unsigned char want = i >= off && i < off + n ? 0xfe : 0xee;

				if (buf[i] != want) {
					tap_fail(__FILE__, __LINE__, "off %zu n %zu byte %zu", off, n, i);
					return;
				}
			}
		}
}

static void test_memset_and_memcmp(void)
{
	unsigned char a[BUF], b[BUF];

	memset(a, 0x5a, BUF);
	for (size_t i = 0; i < BUF; i++)
		EXPECT_EQ(a[i], 0x5a);
	EXPECT(memset(a, 0x1234, 1) == a);
	EXPECT_EQ(a[0], 0x34); /* only the low byte counts */
	memset(b, 0x5a, BUF);
	b[0] = 0x34;
	EXPECT_EQ(memcmp(a, b, BUF), 0);
	b[BUF - 1] = 0xff;
	EXPECT(memcmp(a, b, BUF) < 0); /* compared as unsigned bytes */
	EXPECT(memcmp(b, a, BUF) > 0);
	EXPECT_EQ(memcmp(a, b, BUF - 1), 0);
	EXPECT_EQ(memcmp(a, b, 0), 0);
}

static void test_strlen_strnlen(void)
{
	EXPECT_EQ(strlen(""), 0);
	EXPECT_EQ(strlen("mosaic"), 6);
	EXPECT_EQ(strnlen("mosaic", 3), 3);
	EXPECT_EQ(strnlen("mosaic", 100), 6);
	EXPECT_EQ(strnlen("mosaic", 0), 0);
	/* strnlen must not read past max even without a terminator. */
	char raw[4] = { 'a', 'b', 'c', 'd' };
	EXPECT_EQ(strnlen(raw, sizeof(raw)), 4);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_strcmp_matches_libc(void)
{
	static const char *const words[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "A", "a\x80" };

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		for (size_t j = 0; j < ARRAY_SIZE(words); j++) {
			EXPECT_EQ(sign(strcmp(words[i], words[j])),
				  sign(host_strcmp(words[i], words[j])));
			EXPECT_EQ(sign(strncmp(words[i], words[j], 2)),
				  sign(host_strncmp(words[i], words[j], 2)));
		}
	EXPECT_EQ(strncmp("abc", "abd", 2), 0);
	EXPECT_EQ(strncmp("abc", "xyz", 0), 0);
}

static void test_strchr(void)
{
	const char *s = "key=value=x";

	EXPECT(strchr(s, '=') == s + 3);
	EXPECT(strchr(s, 'x') == s + 10);
	EXPECT(strchr(s, '?') == NULL);
	EXPECT(strchr(s, '\0') == s + 11); /* the terminator is part of the string */
}

static void test_strlcpy_truncates(void)
{
	char dst[8];

	memset(dst, 'z', sizeof(dst));
	EXPECT_EQ(strlcpy(dst, "short", sizeof(dst)), 5);
	EXPECT_STREQ(dst, "short");
	EXPECT_EQ(strlcpy(dst, "much too long", sizeof(dst)), 13);
	EXPECT_STREQ(dst, "much to");
	dst[0] = 'q';
	EXPECT_EQ(strlcpy(dst, "abc", 0), 3); /* size 0 writes nothing */
	EXPECT_EQ(dst[0], 'q');
	EXPECT_EQ(strlcpy(dst, "", sizeof(dst)), 0);
	EXPECT_STREQ(dst, "");
}

int main(void)
{
	RUN(test_memcpy_all_offsets);
	RUN(test_memmove_overlap);
	RUN(test_memset_all_offsets);
	RUN(test_memset_and_memcmp);
	RUN(test_strlen_strnlen);
	RUN(test_strcmp_matches_libc);
	RUN(test_strchr);
	RUN(test_strlcpy_truncates);
	return tap_finish();
}
