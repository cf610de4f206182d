// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of user copies (include/mosaic/uaccess.h): range checks
 * around the fixup-protected primitives of usercopy.S.
 */
#include <mosaic/errno.h>
#include <mosaic/uaccess.h>

unsigned long __copy_user(void *dst, const void *src, size_t n);
unsigned long __clear_user(void *dst, size_t n);
int __get_user_u8(u8 *dst, const u8 *src);

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return __copy_user(dst, src, n) ? -EFAULT : 0;
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __copy_user(dst, src, n) ? -EFAULT : 0;
}

int clear_user(void __user *dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __clear_user(dst, n) ? -EFAULT : 0;
}

/* Byte at a time: strings at syscall entry are short (paths, argv). */
long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (!access_ok(src + i, 1) || __get_user_u8((u8 *)&dst[i], (const u8 *)src + i))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}
