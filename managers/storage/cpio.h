/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A parser for cpio "newc" archives (magic 070701, and 070702 whose check
 * field is the sum of the data bytes). Pure logic: no allocation, no
 * hardware, so tools/testing/cpio_test.c runs it under AddressSanitizer.
 *
 *   struct cpio_iter it;
 *   struct cpio_entry e;
 *   int ret;
 *
 *   cpio_iter_init(&it, buf, len);
 *   while ((ret = cpio_next(&it, &e)) > 0)
 *           use(e.name, e.name_len, e.mode, e.data, e.size);
 *   if (ret < 0)
 *           pr_err("bad archive at offset %zu: %s\n", it.err_offset, it.err_msg);
 *
 * Every field is checked before use and nothing is read outside
 * [buf, buf + len). Names come back normalised: without a leading "/" or
 * "./" (the root itself is the empty name); a ".." component is an error.
 * Inner "//" and "/./" are left for the consumer's path walker to skip.
 */
#ifndef _STORAGE_CPIO_H
#define _STORAGE_CPIO_H

#include <mosaic/types.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_PATH_MAX 4096	/* longest name, without its NUL */
#define CPIO_NAME_MAX 255	/* longest path component */

/* File type bits of cpio_entry.mode (the Linux S_IF* values). */
#define CPIO_S_IFMT 0170000
#define CPIO_S_IFDIR 0040000
#define CPIO_S_IFREG 0100000
#define CPIO_S_IFLNK 0120000

struct cpio_entry {
	const char *name;	/* not NUL-terminated at name_len: use name_len */
	size_t name_len;
	u32 mode;		/* type and permission bits */
	u32 ino;
	u32 nlink;
	u32 mtime;
	const void *data;	/* file contents or symlink target */
	size_t size;
	size_t offset;		/* of the entry's header in the archive */
};

struct cpio_iter {
	const u8 *buf;
	size_t len;
	size_t pos;		/* next header */
	bool done;		/* trailer seen or error */
	size_t err_offset;	/* where the error is */
	const char *err_msg;	/* NULL while no error */
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);

/*
 * Step to the next entry. Returns 1 with *e filled, 0 after the
 * TRAILER!!! entry, or -EINVAL for a malformed archive (it->err_offset and
 * it->err_msg say where and what). After 0 or an error it keeps returning
 * the same value.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

#endif
