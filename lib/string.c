// SPDX-License-Identifier: GPL-2.0
/* Freestanding memory and string routines. Pure logic: also built by host tests. */
#include <mosaic/string.h>

/*
 * memcpy and memset move 64 bytes per loop turn, then 8 bytes per step,
 * then the tail byte by byte: under QEMU's TCG a "rep movsb" costs one loop
 * turn per byte, which made a 4 KiB copy of the fault path cost several
 * microseconds, and a "rep movsq" one per 8 bytes.
 */
/* Any alignment (x86 moves allow it); may alias whatever the caller copies. */
typedef u64 __attribute__((aligned(1), may_alias)) any_u64;

/*
 * 64 bytes per loop turn in plain moves: TCG runs each turn of a "rep
 * movsq" as a translated block of its own, eight times as many blocks.
 */
static void copy_blocks64(any_u64 *d, const any_u64 *s, size_t blocks)
{
	for (; blocks; blocks--, d += 8, s += 8) {
		u64 a = s[0], b = s[1], c = s[2], e = s[3];
		u64 f = s[4], g = s[5], h = s[6], i = s[7];

		d[0] = a, d[1] = b, d[2] = c, d[3] = e;
		d[4] = f, d[5] = g, d[6] = h, d[7] = i;
	}
}

void *memcpy(void *dst, const void *src, size_t n)
{
	size_t blocks = n / 64, words = n % 64 / 8, tail = n % 8;
	void *ret = dst;

	copy_blocks64(dst, src, blocks);
	dst = (u8 *)dst + blocks * 64;
	src = (const u8 *)src + blocks * 64;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) :: "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) :: "memory");
	return ret;
}

void copy_page(void *dst, const void *src)
{
	copy_blocks64(dst, src, 4096 / 64);
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

static void set_blocks64(any_u64 *d, u64 pattern, size_t blocks)
{
	for (; blocks; blocks--, d += 8) {
		d[0] = pattern, d[1] = pattern, d[2] = pattern, d[3] = pattern;
		d[4] = pattern, d[5] = pattern, d[6] = pattern, d[7] = pattern;
	}
}

void *memset(void *dst, int c, size_t n)
{
	u64 pattern = (u8)c * 0x0101010101010101ULL;
	size_t blocks = n / 64, words = n % 64 / 8, tail = n % 8;
	void *ret = dst;

	set_blocks64(dst, pattern, blocks);
	dst = (u8 *)dst + blocks * 64;
	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(tail) : "a"(pattern) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
