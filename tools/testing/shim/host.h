/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include) first into every host-test compilation, both the
 * test programs and the kernel files they exercise. It makes the kernel's own
 * headers usable next to the C library:
 *  - the libc headers come first, then the few macros the kernel defines
 *    differently (limits, __always_inline) are dropped so the kernel's win;
 *  - the kernel functions whose names libc also uses are renamed to
 *    mosaic_*: in a host test, memcpy/strlen/snprintf/... ARE the kernel's.
 *    host_snprintf(), host_strcmp() and host_strncmp() reach the libc versions for comparison.
 */
#ifndef _SHIM_HOST_H
#define _SHIM_HOST_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libc versions, captured before the renames below. */
static inline int host_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

__attribute__((format(printf, 3, 4), unused))
static int host_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = host_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static inline int host_strcmp(const char *a, const char *b) { return strcmp(a, b); }
static inline int host_strncmp(const char *a, const char *b, size_t n) { return strncmp(a, b, n); }

#undef ULONG_MAX
#undef LONG_MAX
#undef INT_MAX
#undef __always_inline
#undef offsetof
#undef va_start
#undef va_arg
#undef va_end
#undef va_copy
/*
 * Same numbers as the kernel's include/mosaic/errno.h; libc spells these few
 * as aliases, which would clash with the kernel's plain numbers.
 */
#undef ENOTSUP
#undef EWOULDBLOCK
#undef EDEADLOCK

#define memcpy mosaic_memcpy
#define memmove mosaic_memmove
#define memset mosaic_memset
#define memcmp mosaic_memcmp
#define strlen mosaic_strlen
#define strnlen mosaic_strnlen
#define strcmp mosaic_strcmp
#define strncmp mosaic_strncmp
#define strchr mosaic_strchr
#define strlcpy mosaic_strlcpy
#define snprintf mosaic_snprintf
#define vsnprintf mosaic_vsnprintf

#define __MOSAIC_HOST_TEST__ 1

#endif
