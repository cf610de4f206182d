/* SPDX-License-Identifier: GPL-2.0 */
/* Error numbers: the Linux values, so user-visible errnos match the ABI. */
#ifndef _MOSAIC_ERRNO_H
#define _MOSAIC_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define EPROTO 71
#define EOVERFLOW 75
#define EMSGSIZE 90
#define ENOTSUP 95
#define EOPNOTSUPP 95
#define ECONNRESET 104
#define ETIMEDOUT 110
#define EHOSTDOWN 112
#define EHOSTUNREACH 113
#define ECANCELED 125

/*
 * Kernel-internal: a system call a signal interrupted. Never reach user
 * space: the signal code (kernel/signal.c) turns them into -EINTR or runs
 * the call again, as Linux does.
 */
#define ERESTARTSYS 512		/* restart when the handler has SA_RESTART */
#define ERESTARTNOINTR 513	/* always restart */
#define ERESTARTNOHAND 514	/* restart only when no handler runs */

#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline int IS_ERR(const void *p) { return IS_ERR_VALUE(p); }

#endif
