// SPDX-License-Identifier: GPL-2.0
/*
 * touch64m [MiB]: map 64 MiB (or MiB) of anonymous memory, touch it page by
 * page, then verify every byte.
 *   pass 1, page by page: the fresh page must read as zeros (a zero-fill),
 *           then it gets a pattern that differs in every byte and page;
 *   pass 2: every byte is compared with the pattern (8 bytes per compare).
 * A pcache that loses a write, maps the wrong line, or hands out a dirty
 * line for a fresh page fails here with the first bad address.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "utest.h"

#define DEFAULT_MIB 64
#define WORDS_PER_PAGE (UTEST_PAGE_SIZE / sizeof(uint64_t))

static uint64_t pattern(size_t word_index)
{
	return (word_index + 1) * 0x9E3779B97F4A7C15ULL;
}

static size_t parse_mib(int argc, char **argv)
{
	char *end;
	unsigned long mib;

	if (argc < 2)
		return DEFAULT_MIB;
	mib = strtoul(argv[1], &end, 10);
	if (*end || mib == 0 || mib > 4096)
		utest_die("usage: touch64m [MiB in 1..4096], got \"%s\"", argv[1]);
	return mib;
}

/* Returns how many words of the page were not zero, then fills it. */
static size_t zero_check_and_fill(uint64_t *page, size_t first_word)
{
	size_t nonzero = 0;

	for (size_t w = 0; w < WORDS_PER_PAGE; w++)
		nonzero += page[w] != 0;
	for (size_t w = 0; w < WORDS_PER_PAGE; w++)
		page[w] = pattern(first_word + w);
	return nonzero;
}

static void touch_pages(uint64_t *base, size_t pages)
{
	size_t dirty_pages = 0;

	for (size_t p = 0; p < pages; p++) {
		size_t nonzero = zero_check_and_fill(base + p * WORDS_PER_PAGE,
						     p * WORDS_PER_PAGE);

		if (nonzero && dirty_pages++ < 5)
			printf("touch64m: fresh page %zu at %p had %zu non-zero words\n",
			       p, (void *)(base + p * WORDS_PER_PAGE), nonzero);
		if ((p + 1) % 4096 == 0)
			printf("touch64m: %zu MiB touched\n", (p + 1) / 256);
	}
	CHECK(dirty_pages == 0, "%zu fresh pages were not zero-filled", dirty_pages);
}

static void verify_pages(const uint64_t *base, size_t pages)
{
	size_t words = pages * WORDS_PER_PAGE, bad = 0;

	for (size_t w = 0; w < words; w++) {
		if (base[w] == pattern(w))
			continue;
		if (bad++ < 5)
			printf("touch64m: %p holds %#llx, want %#llx\n", (void *)(base + w),
			       (unsigned long long)base[w], (unsigned long long)pattern(w));
	}
	CHECK(bad == 0, "%zu of %zu words lost their pattern", bad, words);
}

int main(int argc, char **argv)
{
	size_t mib, bytes, pages;
	uint64_t *base;

	utest_start("touch64m");
	mib = parse_mib(argc, argv);
	bytes = mib << 20;
	pages = bytes / UTEST_PAGE_SIZE;
	base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		utest_die("mmap of %zu MiB failed: %s", mib, strerror(errno));
	printf("touch64m: %zu MiB (%zu pages) at %p\n", mib, pages, (void *)base);
	touch_pages(base, pages);
	verify_pages(base, pages);
	CHECK(munmap(base, bytes) == 0, "munmap failed: %s", strerror(errno));
	printf("touch64m: %zu pages written and every byte verified\n", pages);
	return utest_finish();
}
