// SPDX-License-Identifier: GPL-2.0
/*
 * cpio "newc" parser: see cpio.h for the interface. An entry is a 110-byte
 * ASCII header (6-byte magic, then 13 fields of 8 hex digits), the name
 * with its NUL, zero padding to a multiple of 4, the data, and zero padding
 * to a multiple of 4 again. The archive ends with an entry named
 * TRAILER!!!. Offsets are checked against the length before every read.
 */
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/string.h>

#include "cpio.h"

enum cpio_field {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
	F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_NR_FIELDS
};

#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8

struct cpio_header {
	bool has_crc;
	u32 field[F_NR_FIELDS];
};

static const char cpio_trailer[] = "TRAILER!!!";

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->pos = 0;
	it->done = false;
	it->err_offset = 0;
	it->err_msg = NULL;
}

static int cpio_fail(struct cpio_iter *it, size_t offset, const char *msg)
{
	it->done = true;
	it->err_offset = offset;
	it->err_msg = msg;
	return -EINVAL;
}

static int hex_digit(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse 8 hex digits at p. Returns the index of a bad digit, or -1. */
static int parse_hex_field(const u8 *p, u32 *out)
{
	u32 v = 0;
	int i, d;

	for (i = 0; i < CPIO_FIELD_LEN; i++) {
		d = hex_digit(p[i]);
		if (d < 0)
			return i;
		v = (v << 4) | (u32)d;
	}
	*out = v;
	return -1;
}

static int cpio_read_header(struct cpio_iter *it, struct cpio_header *h)
{
	const u8 *p = it->buf + it->pos;
	int i, bad;

	if (it->len - it->pos < CPIO_HEADER_SIZE)
		return cpio_fail(it, it->pos, "truncated header");
	if (memcmp(p, "070701", CPIO_MAGIC_LEN) == 0)
		h->has_crc = false;
	else if (memcmp(p, "070702", CPIO_MAGIC_LEN) == 0)
		h->has_crc = true;
	else
		return cpio_fail(it, it->pos, "bad magic (want 070701 or 070702)");
	for (i = 0; i < F_NR_FIELDS; i++) {
		size_t field_off = CPIO_MAGIC_LEN + (size_t)i * CPIO_FIELD_LEN;

		bad = parse_hex_field(p + field_off, &h->field[i]);
		if (bad >= 0)
			return cpio_fail(it, it->pos + field_off + bad, "non-hex digit in header");
	}
	return 0;
}

/* Padding must be zero: anything else means we lost our place in the archive. */
static int cpio_check_padding(struct cpio_iter *it, size_t from, size_t to)
{
	size_t i;

	if (to > it->len)
		return cpio_fail(it, it->len, "padding runs past the end");
	for (i = from; i < to; i++)
		if (it->buf[i])
			return cpio_fail(it, i, "non-zero padding");
	return 0;
}

/* Strip leading "/" and "./"; reject "..", over-long components and paths. */
static int cpio_normalise_name(struct cpio_iter *it, struct cpio_entry *e)
{
	const char *s = e->name, *end = e->name + e->name_len, *comp;

	while (s < end && (*s == '/' || (*s == '.' && (s + 1 == end || s[1] == '/'))))
		s++;
	e->name_len -= (size_t)(s - e->name);
	e->name = s;
	while (s < end) {
		comp = s;
		while (s < end && *s != '/')
			s++;
		if (s - comp > CPIO_NAME_MAX)
			return cpio_fail(it, (size_t)(comp - (const char *)it->buf),
					 "path component longer than 255 bytes");
		if (s - comp == 2 && comp[0] == '.' && comp[1] == '.')
			return cpio_fail(it, (size_t)(comp - (const char *)it->buf),
					 "'..' in name");
		if (s < end)
			s++;
	}
	return 0;
}

static int cpio_read_name(struct cpio_iter *it, const struct cpio_header *h,
			  struct cpio_entry *e, size_t *name_end)
{
	size_t name_off = it->pos + CPIO_HEADER_SIZE;
	u32 namesize = h->field[F_NAMESIZE];

	if (namesize == 0)
		return cpio_fail(it, it->pos + CPIO_MAGIC_LEN + F_NAMESIZE * CPIO_FIELD_LEN,
				 "name size is zero");
	if (namesize > it->len - name_off)
		return cpio_fail(it, name_off, "name runs past the end");
	if (it->buf[name_off + namesize - 1] != '\0')
		return cpio_fail(it, name_off + namesize - 1, "name not NUL-terminated");
	e->name = (const char *)it->buf + name_off;
	e->name_len = namesize - 1;
	if (strnlen(e->name, e->name_len) != e->name_len)
		return cpio_fail(it, name_off + strnlen(e->name, e->name_len), "NUL inside name");
	if (e->name_len > CPIO_PATH_MAX)
		return cpio_fail(it, name_off, "name longer than 4096 bytes");
	*name_end = name_off + namesize;
	return 0;
}

static u32 cpio_checksum(const u8 *p, size_t n)
{
	u32 sum = 0;

	while (n--)
		sum += *p++;
	return sum;
}

/* Type-specific rules: a directory has no data, a symlink a sane target. */
static int cpio_check_type(struct cpio_iter *it, const struct cpio_entry *e, size_t data_off)
{
	u32 type = e->mode & CPIO_S_IFMT;

	if (type == CPIO_S_IFDIR && e->size)
		return cpio_fail(it, data_off, "directory with data");
	if (type == CPIO_S_IFLNK) {
		if (e->size == 0 || e->size > CPIO_PATH_MAX)
			return cpio_fail(it, data_off, "bad symlink target length");
		if (strnlen(e->data, e->size) != e->size)
			return cpio_fail(it, data_off, "NUL inside symlink target");
	}
	return 0;
}

static int cpio_read_data(struct cpio_iter *it, const struct cpio_header *h,
			  struct cpio_entry *e, size_t name_end)
{
	size_t data_off = ALIGN_UP(name_end, 4);
	size_t data_end;
	int err;

	err = cpio_check_padding(it, name_end, data_off);
	if (err)
		return err;
	e->size = h->field[F_FILESIZE];
	if (e->size > it->len - data_off)
		return cpio_fail(it, data_off, "file data runs past the end");
	e->data = it->buf + data_off;
	data_end = data_off + e->size;
	/* GNU cpio sums regular files only; other types carry check 0. */
	if (h->has_crc && (e->mode & CPIO_S_IFMT) == CPIO_S_IFREG &&
	    cpio_checksum(e->data, e->size) != h->field[F_CHECK])
		return cpio_fail(it, it->pos, "checksum mismatch (070702)");
	err = cpio_check_type(it, e, data_off);
	if (err)
		return err;
	err = cpio_check_padding(it, data_end, ALIGN_UP(data_end, 4));
	if (err)
		return err;
	it->pos = ALIGN_UP(data_end, 4);
	return 0;
}

static bool cpio_is_trailer(const struct cpio_entry *e)
{
	return e->name_len == sizeof(cpio_trailer) - 1 &&
	       memcmp(e->name, cpio_trailer, e->name_len) == 0;
}

/* Header, name and data of the entry at it->pos; advances it->pos past it. */
static int cpio_parse_entry(struct cpio_iter *it, struct cpio_entry *e)
{
	struct cpio_header h;
	size_t name_end;
	int err;

	e->offset = it->pos;
	err = cpio_read_header(it, &h);
	if (err)
		return err;
	e->mode = h.field[F_MODE];
	e->ino = h.field[F_INO];
	e->nlink = h.field[F_NLINK];
	e->mtime = h.field[F_MTIME];
	err = cpio_read_name(it, &h, e, &name_end);
	if (err)
		return err;
	return cpio_read_data(it, &h, e, name_end);
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	if (it->done)
		return it->err_msg ? -EINVAL : 0;
	if (it->pos == it->len)
		return cpio_fail(it, it->pos, "missing TRAILER!!!");
	if (cpio_parse_entry(it, e))
		return -EINVAL;
	if (cpio_is_trailer(e)) {
		it->done = true;
		return 0;
	}
	return cpio_normalise_name(it, e) ? -EINVAL : 1;
}
