/* SPDX-License-Identifier: GPL-2.0 */
/* Fixed-width integer types, bool and NULL for a freestanding kernel. */
#ifndef _MOSAIC_TYPES_H
#define _MOSAIC_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef long ptrdiff_t;
typedef u64 phys_addr_t;

#ifndef __cplusplus
typedef _Bool bool;
#define true 1
#define false 0
#endif

#define NULL ((void *)0)

#define U64_MAX ((u64)~0ULL)
#define U32_MAX ((u32)~0U)
#define ULONG_MAX (~0UL)
#define LONG_MAX ((long)(~0UL >> 1))
#define INT_MAX ((int)(~0U >> 1))

#endif
