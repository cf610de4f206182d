// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of user copies (include/mosaic/uaccess.h): range checks
 * around the fixup-protected primitives of usercopy.S, each inside a
 * user-access window (include/asm/smap.h): the only places where SMAP lets
 * the kernel touch user memory.
 */
#include <asm/smap.h>
#include <mosaic/errno.h>
#include <mosaic/uaccess.h>

unsigned long __copy_user(void *dst, const void *src, size_t n);
unsigned long __clear_user(void *dst, size_t n);
int __get_user_u8(u8 *dst, const u8 *src);

/* One copy in a user-access window: 0 or -EFAULT. */
static int copy_user_window(void *dst, const void *src, size_t n)
{
	unsigned long left;

	user_access_begin();
	left = __copy_user(dst, src, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return copy_user_window(dst, (const void *)src, n);
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return copy_user_window((void *)dst, src, n);
}

int clear_user(void __user *dst, size_t n)
{
	unsigned long left;

	if (!access_ok(dst, n))
		return -EFAULT;
	user_access_begin();
	left = __clear_user((void *)dst, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

/* Byte at a time: strings at syscall entry are short (paths, argv). */
long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	long ret = -ENAMETOOLONG;

	user_access_begin();
	for (size_t i = 0; i < max; i++) {
		if (!access_ok(src + i, 1) || __get_user_u8((u8 *)&dst[i], (const u8 *)src + i)) {
			ret = -EFAULT;
			break;
		}
		if (!dst[i]) {
			ret = i;
			break;
		}
	}
	user_access_end();
	return ret;
}
