// SPDX-License-Identifier: GPL-2.0
/*
 * Storage manager start-up: create the store, unpack the initramfs (the
 * first boot module, a cpio newc archive) into it, register the RPC
 * handlers. storage_unpack() is also what the ktests use to load archives
 * of their own. Interface: include/mosaic/storage.h.
 *
 * Lock order: sto_store->lock, taken per archive entry.
 */
#include <mosaic/boot.h>
#include <mosaic/errno.h>
#include <mosaic/page.h>
#include <mosaic/printk.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "cpio.h"
#include "fs_tree.h"
#include "manager.h"

#undef pr_fmt
#define pr_fmt(fmt) "storage: " fmt

struct sto_fs *sto_store;

/* A file or symlink from the archive replaces an older one of the same name. */
static int sto_unpack_replace(struct sto_inode *base, const struct cpio_entry *e)
{
	struct sto_inode *ino;
	bool is_link = (e->mode & CPIO_S_IFMT) == CPIO_S_IFLNK;
	int err;

	err = fst_remove(sto_store, base, e->name, e->name_len, false);
	if (err && err != -ENOENT)
		return err;
	err = fst_create(sto_store, base, e->name, e->name_len, e->mode,
			 is_link ? e->data : NULL, is_link ? e->size : 0, &ino);
	if (!err && !is_link && e->size && fst_write(sto_store, ino, 0, e->data, e->size) != (long)e->size)
		err = -ENOMEM;
	if (!err)	/* the archive's time, as cpio -i -m would keep it */
		ino->atime = ino->mtime = (s64)e->mtime;
	return err;
}

/* A directory listed again (or the root, ".") is no error. */
static int sto_unpack_dir(struct sto_inode *base, const struct cpio_entry *e)
{
	struct sto_inode *old;
	int err;

	err = fst_create(sto_store, base, e->name, e->name_len, e->mode, NULL, 0, NULL);
	if (err == -EEXIST && !fst_lookup(sto_store, base, e->name, e->name_len, false, &old) &&
	    STO_S_ISDIR(old->mode))
		return 0;
	return err;
}

/* Context: sto_store->lock held. */
static int sto_unpack_entry(struct sto_inode *base, const struct cpio_entry *e)
{
	switch (e->mode & CPIO_S_IFMT) {
	case CPIO_S_IFREG:
	case CPIO_S_IFLNK:
		return sto_unpack_replace(base, e);
	case CPIO_S_IFDIR:
		return sto_unpack_dir(base, e);
	default:
		return -EOPNOTSUPP;	/* devices, fifos, sockets: nothing to keep them in */
	}
}

static int sto_unpack_base(const char *dir, struct sto_inode **base)
{
	int err;

	if (!sto_store)
		return -ENODEV;
	spin_lock(&sto_store->lock);
	err = fst_lookup(sto_store, sto_store->root, dir, strlen(dir), true, base);
	if (!err && !STO_S_ISDIR((*base)->mode))
		err = -ENOTDIR;
	spin_unlock(&sto_store->lock);
	return err;
}

long storage_unpack(const char *dir, const void *archive, size_t len)
{
	struct sto_inode *base;
	struct cpio_iter it;
	struct cpio_entry e;
	long added = 0;
	int ret, err;

	err = sto_unpack_base(dir, &base);
	if (err)
		return err;
	cpio_iter_init(&it, archive, len);
	while ((ret = cpio_next(&it, &e)) > 0) {
		if (!e.name_len)
			continue;	/* the root itself: already there */
		spin_lock(&sto_store->lock);
		sto_store->now = sto_clock();	/* directories: unpacked now, here */
		err = sto_unpack_entry(base, &e);
		spin_unlock(&sto_store->lock);
		if (err == -ENOMEM)
			return err;
		if (err)
			pr_warn("skipped \"%.*s\" (entry at offset %zu): error %d\n",
				(int)e.name_len, e.name, e.offset, err);
		else
			added++;
	}
	if (ret < 0) {
		pr_err("malformed archive at offset %zu: %s (kept the %ld entries before it)\n",
		       it.err_offset, it.err_msg, added);
		return ret;
	}
	return added;
}

static void sto_load_initramfs(void)
{
	const struct boot_module *m = &boot_info.mods[0];
	long n;

	if (!boot_info.nr_mods) {
		pr_info("no initramfs module: starting with an empty root\n");
		return;
	}
	n = storage_unpack("/", __va(m->start), m->end - m->start);
	if (n >= 0)
		pr_info("initramfs \"%s\": %ld entries, %llu bytes\n", m->name, n,
			m->end - m->start);
	else if (n == -EINVAL)
		pr_err("initramfs \"%s\" is malformed: booting on with what came before the fault\n",
		       m->name);
	else
		pr_err("initramfs \"%s\" not loaded: error %ld\n", m->name, n);
}

void storage_init(void)
{
	int err;

	sto_store = fst_new();
	if (!sto_store) {
		pr_err("no memory for the file store; storage manager off\n");
		return;
	}
	sto_load_initramfs();
	err = sto_register_handlers();
	if (err)
		pr_err("cannot register RPC handlers: error %d\n", err);
}
