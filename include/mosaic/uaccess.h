/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copying to and from user memory. Every kernel access to a user address
 * goes through these helpers: they check the range against the user half
 * and run the copy under an exception fixup, so a bad pointer returns
 * -EFAULT instead of faulting the kernel. A not-present page inside the
 * range is first offered to the page-fault hook (the pcache fills it), so a
 * copy touches user memory exactly as the program itself would.
 *
 * Implementation: arch/x86/lib/usercopy.S (the faulting instructions and
 * their fixups) and arch/x86/lib/uaccess.c.
 */
#ifndef _MOSAIC_UACCESS_H
#define _MOSAIC_UACCESS_H

#include <mosaic/types.h>

#define __user

/* One past the highest user address (Linux's TASK_SIZE on 4-level paging). */
#define USER_ADDR_END 0x00007ffffffff000UL

/* [uaddr, uaddr + n) lies inside the user half (n == 0 is always fine). */
static inline bool access_ok(const void __user *uaddr, size_t n)
{
	unsigned long a = (unsigned long)uaddr;

	return n <= USER_ADDR_END && a <= USER_ADDR_END - n;
}

/* 0, or -EFAULT when any byte is outside the user half or cannot be accessed. */
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
int clear_user(void __user *dst, size_t n);

/*
 * Copy a NUL-terminated string of at most max bytes including the NUL.
 * Returns its length (without the NUL), -EFAULT, or -ENAMETOOLONG when no
 * NUL is found within max bytes.
 */
long strncpy_from_user(char *dst, const char __user *src, size_t max);

/* Fixed-size values: 0 or -EFAULT. */
#define get_user(x, uptr) copy_from_user(&(x), (uptr), sizeof(*(uptr)))
#define put_user(x, uptr)                                                      \
	({                                                                     \
		__typeof__(*(uptr)) __pu_val = (x);                            \
		copy_to_user((uptr), &__pu_val, sizeof(__pu_val));             \
	})

#endif
