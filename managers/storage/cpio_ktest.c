// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for the initramfs path (suite "cpio"): archives are built here in
 * memory, parsed with cpio_next(), unpacked into the live store with
 * storage_unpack() and read back through the storage RPCs. Bad archives
 * must be refused with their offset and leave the kernel running.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/printk.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "cpio.h"
#include "ktest_client.h"

/* A growing newc archive. */
struct kt_archive {
	u8 buf[2048];
	size_t len;
};

static void kt_add(struct kt_archive *a, const char *name, u32 mode, const char *data)
{
	size_t nlen = strlen(name) + 1, dlen = strlen(data);
	int n;

	n = snprintf((char *)a->buf + a->len, CPIO_HEADER_SIZE + 1,
		     "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		     1, mode, 0, 0, 1, 0, (u32)dlen, 0, 0, 0, 0, (u32)nlen, 0);
	a->len += n;
	memcpy(a->buf + a->len, name, nlen);
	a->len = ALIGN_UP(a->len + nlen, 4);
	memcpy(a->buf + a->len, data, dlen);
	a->len = ALIGN_UP(a->len + dlen, 4);
}

static struct kt_archive *kt_sample_archive(void)
{
	struct kt_archive *a = kzalloc(sizeof(*a));

	if (!a)
		return NULL;
	kt_add(a, ".", 040755, "");
	kt_add(a, "etc", 040755, "");
	kt_add(a, "etc/motd", 0100644, "welcome\n");
	kt_add(a, "bin", 040755, "");
	kt_add(a, "bin/busybox", 0100755, "ELF?");
	kt_add(a, "bin/sh", 0120777, "busybox");
	kt_add(a, "dev/null", 020666, "");	/* a device: skipped */
	kt_add(a, "TRAILER!!!", 0, "");
	return a;
}

KTEST(cpio, parse_built_archive)
{
	struct kt_archive *a = kt_sample_archive();
	struct cpio_iter it;
	struct cpio_entry e;
	int n = 0;

	KASSERT(a != NULL);
	cpio_iter_init(&it, a->buf, a->len);
	while (cpio_next(&it, &e) > 0) {
		if (n == 2) {
			KEXPECT_EQ(e.name_len, 8);
			KEXPECT(memcmp(e.name, "etc/motd", 8) == 0);
			KEXPECT_EQ(e.size, 8);
			KEXPECT(memcmp(e.data, "welcome\n", 8) == 0);
		}
		n++;
	}
	KEXPECT(it.err_msg == NULL);
	KEXPECT_EQ(n, 7);
	kfree(a);
}

KTEST(cpio, truncation_names_offset)
{
	struct kt_archive *a = kt_sample_archive();
	struct cpio_iter it;
	struct cpio_entry e;
	int ret;

	KASSERT(a != NULL);
	/* Cut inside the second header: the error points at its start. */
	cpio_iter_init(&it, a->buf, 120 + 50);
	while ((ret = cpio_next(&it, &e)) > 0)
		;
	KEXPECT_EQ(ret, -EINVAL);
	KEXPECT_EQ(it.err_offset, 112);
	KEXPECT(it.err_msg && strcmp(it.err_msg, "truncated header") == 0);
	a->buf[0] = 'X';
	cpio_iter_init(&it, a->buf, a->len);
	KEXPECT_EQ(cpio_next(&it, &e), -EINVAL);
	KEXPECT_EQ(it.err_offset, 0);
	kfree(a);
}

KTEST(cpio, unpack_then_serve_over_rpc)
{
	struct kt_archive *a = kt_sample_archive();
	struct sto_stat st;
	char buf[16];

	KASSERT(a != NULL);
	KASSERT_EQ(kt_mkdir("/kt-cpio"), 0);
	KEXPECT_EQ(storage_unpack("/kt-cpio", a->buf, a->len), 5);
	KEXPECT_EQ(kt_slurp("/kt-cpio/etc/motd", buf, sizeof(buf)), 8);
	KEXPECT_EQ(strcmp(buf, "welcome\n"), 0);
	/* The symlink is followed by open and reported as such by lstat. */
	KEXPECT_EQ(kt_slurp("/kt-cpio/bin/sh", buf, sizeof(buf)), 4);
	KEXPECT_EQ(kt_stat("/kt-cpio/bin/sh", STO_AT_SYMLINK_NOFOLLOW, &st), 0);
	KEXPECT(STO_S_ISLNK(st.mode));
	KEXPECT_EQ(st.size, 7);
	KEXPECT_EQ(kt_stat("/kt-cpio/bin/busybox", 0, &st), 0);
	KEXPECT_EQ(st.mode & 07777, 0755);
	KEXPECT_EQ(kt_stat("/kt-cpio/dev/null", 0, &st), -ENOENT);
	/* Unpacking again replaces files and keeps directories. */
	KEXPECT_EQ(kt_put("/kt-cpio/etc/motd", "changed"), 7);
	KEXPECT_EQ(storage_unpack("/kt-cpio", a->buf, a->len), 5);
	KEXPECT_EQ(kt_slurp("/kt-cpio/etc/motd", buf, sizeof(buf)), 8);
	KEXPECT_EQ(storage_unpack("/kt-cpio/etc/motd", a->buf, a->len), -ENOTDIR);
	KEXPECT_EQ(storage_unpack("/kt-none", a->buf, a->len), -ENOENT);
	kt_unlink("/kt-cpio/etc/motd", 0);
	kt_unlink("/kt-cpio/etc", STO_AT_REMOVEDIR);
	kt_unlink("/kt-cpio/bin/sh", 0);
	kt_unlink("/kt-cpio/bin/busybox", 0);
	kt_unlink("/kt-cpio/bin", STO_AT_REMOVEDIR);
	KEXPECT_EQ(kt_unlink("/kt-cpio", STO_AT_REMOVEDIR), 0);
	kfree(a);
}

KTEST(cpio, bad_archive_keeps_what_came_before)
{
	struct kt_archive *a = kzalloc(sizeof(*a));
	struct sto_stat st;
	size_t bad_at;

	KASSERT(a != NULL);
	KASSERT_EQ(kt_mkdir("/kt-badcpio"), 0);
	kt_add(a, "good", 0100644, "ok");
	bad_at = a->len;
	kt_add(a, "../escape", 0100644, "no");
	kt_add(a, "TRAILER!!!", 0, "");
	KEXPECT_EQ(storage_unpack("/kt-badcpio", a->buf, a->len), -EINVAL);
	KEXPECT_EQ(kt_stat("/kt-badcpio/good", 0, &st), 0);
	KEXPECT_EQ(kt_stat("/escape", 0, &st), -ENOENT);
	/* No trailer at all. */
	KEXPECT_EQ(storage_unpack("/kt-badcpio", a->buf, bad_at), -EINVAL);
	KEXPECT_EQ(storage_unpack("/kt-badcpio", a->buf, 0), -EINVAL);
	kt_unlink("/kt-badcpio/good", 0);
	KEXPECT_EQ(kt_unlink("/kt-badcpio", STO_AT_REMOVEDIR), 0);
	kfree(a);
}

KTEST(cpio, symlink_loop_is_eloop)
{
	struct kt_archive *a = kzalloc(sizeof(*a));
	struct sto_stat st;

	KASSERT(a != NULL);
	KASSERT_EQ(kt_mkdir("/kt-loop"), 0);
	kt_add(a, "loop1", 0120777, "loop2");
	kt_add(a, "loop2", 0120777, "/kt-loop/loop1");
	kt_add(a, "TRAILER!!!", 0, "");
	KEXPECT_EQ(storage_unpack("/kt-loop", a->buf, a->len), 2);
	/* Followed until the limit, then -ELOOP: no hang, no stack overflow. */
	KEXPECT_EQ(kt_stat("/kt-loop/loop1", 0, &st), -ELOOP);
	KEXPECT_EQ(kt_stat("/kt-loop/loop1/x", 0, &st), -ELOOP);
	KEXPECT_EQ(kt_stat("/kt-loop/loop1", STO_AT_SYMLINK_NOFOLLOW, &st), 0);
	kt_unlink("/kt-loop/loop1", 0);
	kt_unlink("/kt-loop/loop2", 0);
	KEXPECT_EQ(kt_unlink("/kt-loop", STO_AT_REMOVEDIR), 0);
	kfree(a);
}
