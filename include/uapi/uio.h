/* SPDX-License-Identifier: GPL-2.0 */
/* struct iovec (readv/writev) and struct linux_dirent64 (getdents64), Linux layouts. */
#ifndef _UAPI_UIO_H
#define _UAPI_UIO_H

#include <mosaic/types.h>

#define UIO_MAXIOV 1024

struct iovec {
	void *iov_base;
	size_t iov_len;
};

/* d_reclen covers the 19-byte header, the name and its NUL, rounded up to 8. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;	/* where the next entry starts (for lseek) */
	u16 d_reclen;
	u8 d_type;	/* DT_* */
	char d_name[];
};

#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

#endif
