/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding string and number-parsing helpers (lib/string.c, lib/kstrto.c). */
#ifndef _MOSAIC_STRING_H
#define _MOSAIC_STRING_H

#include <mosaic/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
/*
 * Copy one 4 KiB page (both 8-byte aligned) eight bytes a step: under QEMU's
 * TCG a byte-wise rep movsb costs a step per byte, and pcache lines are
 * copied whole (mremap across sets, copy-on-write, write-back).
 */
void copy_page(void *dst, const void *src);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Number parsing with full error reporting: the whole string must be a
 * number. Return 0 or -EINVAL (not a number) / -ERANGE (does not fit).
 * base 0 accepts 0x (hex) and 0 (octal) prefixes.
 */
int kstrtoull(const char *s, unsigned int base, u64 *res);
int kstrtoll(const char *s, unsigned int base, s64 *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtobool(const char *s, bool *res);
/* A size with an optional K, M, G or T suffix (powers of 1024). */
int kstrtosize(const char *s, u64 *res);

#endif
