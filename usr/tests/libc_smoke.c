// SPDX-License-Identifier: GPL-2.0
/*
 * libc_smoke: a quick tour of the libc on top of the kernel.
 *   printf family: many conversions, flags, widths, truncation, sscanf
 *   malloc: hundreds of sizes (brk and mmap paths), contents, realloc, calloc
 *   strings: the usual functions, memcpy/memmove at every small size and
 *            alignment (the libc's SIMD paths use the FPU/SSE state)
 *   qsort/bsearch: sort pseudo-random data, check order and permutation
 * Exits 0 when every check holds; each failure prints the line and values.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "utest.h"

/* snprintf(fmt, ...) must give exactly want (text and return value). */
#define EXPECT_FMT(want, ...)						\
	do {								\
		char buf_[128];						\
		int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__);	\
		CHECK(n_ == (int)strlen(want) && !strcmp(buf_, want),	\
		      "format %s: got \"%s\" (%d), want \"%s\"",	\
		      #__VA_ARGS__, buf_, n_, want);			\
	} while (0)

static void check_integer_formats(void)
{
	EXPECT_FMT("42", "%d", 42);
	EXPECT_FMT("-2147483648", "%d", INT_MIN);
	EXPECT_FMT("-17", "%i", -17);
	EXPECT_FMT("4294967295", "%u", UINT_MAX);
	EXPECT_FMT("deadbeef", "%x", 0xdeadbeefU);
	EXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefU);
	EXPECT_FMT("0xff", "%#x", 255);
	EXPECT_FMT("10 010", "%o %#o", 8, 8);
	EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("12345", "%zu", (size_t)12345);
	EXPECT_FMT("44 4464", "%hhd %hd", 300, 70000);
	EXPECT_FMT("   42|42   |-0042", "%5d|%-5d|%05d", 42, 42, -42);
	EXPECT_FMT("+5  5", "%+d % d", 5, 5);
	EXPECT_FMT("    42", "%*d", 6, 42);
	EXPECT_FMT("0x1234", "%p", (void *)0x1234);
}

/* The truncation case is deliberate: tell gcc so. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
static void check_other_formats(void)
{
	char small[5];

	EXPECT_FMT("str", "%s", "str");
	EXPECT_FMT("ab", "%.2s", "abcdef");
	EXPECT_FMT("      ab|ab      |", "%8s|%-8s|", "ab", "ab");
	EXPECT_FMT("abc", "%.*s", 3, "abcdef");
	EXPECT_FMT("A%", "%c%%", 'A');
	EXPECT_FMT("3.142", "%.3f", 3.14159);
	EXPECT_FMT("1.234568e+04", "%e", 12345.678);
	EXPECT_FMT("0.0001 1e+20", "%g %g", 0.0001, 1e20);
	EXPECT_FMT("2 -0.000000", "%.0f %f", 2.5, -0.0);
	CHECK(snprintf(small, sizeof(small), "%s", "abcdefgh") == 8 &&
	      !strcmp(small, "abcd"), "truncation gave \"%s\"", small);
}
#pragma GCC diagnostic pop

static void check_scanning(void)
{
	char word[16];
	int dec = 0;
	unsigned int hex = 0;
	long big;

	CHECK(sscanf("12 abc 0x1f", "%d %15s %x", &dec, word, &hex) == 3 &&
	      dec == 12 && !strcmp(word, "abc") && hex == 31,
	      "sscanf gave %d \"%s\" %u", dec, word, hex);
	errno = 0;
	big = strtol("0x7fffffffffffffff", NULL, 0);
	CHECK(big == LONG_MAX && errno == 0, "strtol max gave %ld", big);
	big = strtol("99999999999999999999", NULL, 10);
	CHECK(big == LONG_MAX && errno == ERANGE, "strtol overflow gave %ld errno %d",
	      big, errno);
	CHECK(atoi("  -123xyz") == -123, "atoi");
	CHECK(strtoul("777", NULL, 8) == 511, "strtoul octal");
}

static void check_printf(void)
{
	unsigned long before = utest_checks;

	check_integer_formats();
	check_other_formats();
	check_scanning();
	/* the same through stdout, for the eye and for the stdio write path */
	printf("libc_smoke: printf %%d=%d %%x=%x %%s=%s %%.2f=%.2f %%c=%c\n",
	       -7, 0xabcU, "ok", 2.0 / 3.0, 'z');
	printf("libc_smoke: printf family: %lu checks\n", utest_checks - before);
}

/* ---------------------------------------------------------------- malloc */
#define NR_BLOCKS 300

static size_t block_size(int i)
{
	return ((size_t)1 << (i % 18)) + (size_t)(i % 13);
}

static unsigned char block_byte(int i, size_t off)
{
	return (unsigned char)(i * 31 + off * 7 + (off >> 8));
}

static void fill_block(unsigned char *p, int i, size_t len)
{
	for (size_t off = 0; off < len; off++)
		p[off] = block_byte(i, off);
}

/* Returns the first bad offset, or len when all len bytes are intact. */
static size_t verify_block(const unsigned char *p, int i, size_t len)
{
	size_t off;

	for (off = 0; off < len; off++)
		if (p[off] != block_byte(i, off))
			break;
	return off;
}

static void allocate_blocks(unsigned char **blocks)
{
	for (int i = 0; i < NR_BLOCKS; i++) {
		blocks[i] = malloc(block_size(i));
		if (!blocks[i])
			utest_die("malloc(%zu) failed", block_size(i));
		CHECK(((uintptr_t)blocks[i] & 15) == 0, "malloc(%zu) = %p not 16-aligned",
		      block_size(i), (void *)blocks[i]);
		fill_block(blocks[i], i, block_size(i));
	}
}

/* Every block intact after all were written: no two blocks overlap. */
static void verify_blocks(unsigned char **blocks, const char *when)
{
	for (int i = 0; i < NR_BLOCKS; i++) {
		size_t bad;

		if (!blocks[i])
			continue;
		bad = verify_block(blocks[i], i, block_size(i));
		CHECK(bad == block_size(i), "%s: block %d (%zu bytes) corrupt at %zu",
		      when, i, block_size(i), bad);
	}
}

/* Free the odd blocks, resize the even ones, check what realloc kept. */
static void churn_blocks(unsigned char **blocks)
{
	for (int i = 0; i < NR_BLOCKS; i++) {
		size_t keep = block_size(i) / 2 + 1;
		unsigned char *p;

		if (i & 1) {
			free(blocks[i]);
			blocks[i] = NULL;
			continue;
		}
		p = realloc(blocks[i], i % 4 ? keep : block_size(i) * 3);
		if (!p)
			utest_die("realloc of block %d failed", i);
		blocks[i] = p;
		CHECK(verify_block(p, i, keep) == keep, "realloc lost block %d's data", i);
	}
}

static void check_calloc(void)
{
	static const size_t sizes[] = { 1, 100, 4096, 70000, 1 << 20 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *p = calloc(sizes[k], 1);
		size_t off = 0;

		if (!p)
			utest_die("calloc(%zu) failed", sizes[k]);
		while (off < sizes[k] && p[off] == 0)
			off++;
		CHECK(off == sizes[k], "calloc(%zu) not zero at %zu", sizes[k], off);
		memset(p, 0xa5, sizes[k]);	/* dirty it for the next calloc */
		free(p);
	}
}

static void check_malloc(void)
{
	static unsigned char *blocks[NR_BLOCKS];
	unsigned long before = utest_checks;

	allocate_blocks(blocks);
	verify_blocks(blocks, "after malloc");
	churn_blocks(blocks);
	for (int i = 0; i < NR_BLOCKS; i++)
		free(blocks[i]);
	check_calloc();
	free(NULL);
	printf("libc_smoke: malloc/realloc/calloc/free: %d blocks up to %zu bytes, %lu checks\n",
	       NR_BLOCKS, block_size(17), utest_checks - before);
}

/* ---------------------------------------------------------------- strings */
static void check_string_basics(void)
{
	char buf[64], pad[8];
	char *copy, *save, *tok;

	CHECK(strlen("mosaic") == 6, "strlen");
	CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && !strcmp("x", "x"), "strcmp");
	CHECK(strncmp("abcX", "abcY", 3) == 0, "strncmp");
	strcpy(buf, "pcache");
	strcat(buf, "+rmap");
	CHECK(!strcmp(buf, "pcache+rmap"), "strcpy/strcat gave %s", buf);
	CHECK(strchr(buf, '+') == buf + 6 && strrchr(buf, 'a') == buf + 9, "strchr/strrchr");
	CHECK(strstr(buf, "rmap") == buf + 7 && !strstr(buf, "lru"), "strstr");
	CHECK(strspn("aabbc", "ab") == 4 && strcspn("abc;d", ";") == 3, "strspn/strcspn");
	memset(pad, 'z', sizeof(pad));
	strncpy(pad, "ab", sizeof(pad));
	CHECK(pad[1] == 'b' && pad[2] == 0 && pad[7] == 0, "strncpy must pad with NULs");
	copy = strdup("one,two,,three");
	if (!copy)
		utest_die("strdup failed");
	tok = strtok_r(copy, ",", &save);
	CHECK(tok && !strcmp(tok, "one"), "strtok_r first");
	tok = strtok_r(NULL, ",", &save);
	tok = strtok_r(NULL, ",", &save);
	CHECK(tok && !strcmp(tok, "three") && !strtok_r(NULL, ",", &save), "strtok_r rest");
	free(copy);
}

/* memcpy, memmove (both overlaps), memset, memcmp at sizes 0..80, offsets 0..7. */
static void check_memory_functions(void)
{
	static unsigned char src[128], dst[128], ref[128];
	int bad = 0;

	for (int i = 0; i < 128; i++)
		src[i] = (unsigned char)(i * 13 + 1);
	for (size_t len = 0; len <= 80; len++) {
		for (size_t off = 0; off < 8; off++) {
			memset(dst, 0, sizeof(dst));
			memcpy(dst + off, src + (7 - off), len);
			bad += memcmp(dst + off, src + (7 - off), len) != 0;
			memcpy(ref, src, sizeof(ref));
			memmove(ref + off + 1, ref + off, len);	/* forward overlap */
			bad += memcmp(ref + off + 1, src + off, len) != 0;
			memcpy(ref, src, sizeof(ref));
			memmove(ref + off, ref + off + 3, len);	/* backward overlap */
			bad += memcmp(ref + off, src + off + 3, len) != 0;
			memset(dst + off, 0x5a, len);
			bad += len && (dst[off] != 0x5a || dst[off + len - 1] != 0x5a);
		}
	}
	CHECK(bad == 0, "%d memcpy/memmove/memset mismatches", bad);
	CHECK(memcmp("abc", "abd", 3) < 0, "memcmp sign");
}

static void check_strings(void)
{
	unsigned long before = utest_checks;

	check_string_basics();
	check_memory_functions();
	printf("libc_smoke: string functions: %lu checks\n", utest_checks - before);
}

/* ---------------------------------------------------------------- qsort */
#define NR_KEYS 10000

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void check_qsort(void)
{
	static int keys[NR_KEYS];
	unsigned int seed = 12345, sum = 0, sorted_sum = 0, misplaced = 0, missing = 0;

	for (int i = 0; i < NR_KEYS; i++) {
		seed = seed * 1103515245u + 12345u;
		keys[i] = (int)(seed >> 8) - (1 << 22);
		sum += (unsigned int)keys[i];
	}
	qsort(keys, NR_KEYS, sizeof(keys[0]), compare_ints);
	for (int i = 0; i < NR_KEYS; i++) {
		sorted_sum += (unsigned int)keys[i];
		misplaced += i > 0 && keys[i - 1] > keys[i];
		missing += !bsearch(&keys[i], keys, NR_KEYS, sizeof(keys[0]), compare_ints);
	}
	CHECK(misplaced == 0, "%u keys out of order", misplaced);
	CHECK(sum == sorted_sum, "qsort lost keys: sum %u != %u", sorted_sum, sum);
	CHECK(missing == 0, "bsearch missed %u keys", missing);
	printf("libc_smoke: qsort/bsearch of %d keys\n", NR_KEYS);
}

int main(void)
{
	utest_start("libc_smoke");
	check_printf();
	check_malloc();
	check_strings();
	check_qsort();
	return utest_finish();
}
