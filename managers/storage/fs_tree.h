/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage manager's in-memory file store: a tree of directories,
 * regular files and symlinks. File data lives in page-sized chunks
 * allocated on first write (holes read as zeros). Names are looked up by
 * path: a leading '/' starts at the store's root, anything else at the
 * base directory given; empty and "." components are skipped, ".." goes
 * up, symlinks are followed (at most FST_MAX_LINKS per lookup: -ELOOP).
 *
 * Locking: every function here runs with fs->lock held (Context: lines);
 * the RPC handlers take it around each request. Errors are Linux errnos.
 */
#ifndef _STORAGE_FS_TREE_H
#define _STORAGE_FS_TREE_H

#include <mosaic/list.h>
#include <mosaic/spinlock.h>
#include <mosaic/storage.h>
#include <mosaic/types.h>

#define FST_MAX_LINKS 40	/* as Linux: symlinks one lookup may follow */
#define FST_FILE_MAX (1ULL << 40)	/* largest file size: -EFBIG beyond */

struct sto_inode {
	u64 ino;
	u32 mode;		/* STO_S_IF* type and permission bits */
	u32 open_count;		/* handles that refer to it */
	u64 size;		/* file bytes; symlink target length; 0 for dirs */
	s64 atime, mtime, ctime;	/* seconds since the epoch (storage.h says when) */
	u64 version;		/* new at every mtime change: what exec's image cache keys on */
	struct sto_inode *parent;	/* NULL for the root and once unlinked */
	struct list_head sibling;	/* in parent->dir.children */
	char *name;		/* kmalloc'd, NUL-terminated */
	union {
		struct {
			struct list_head children;
		} dir;
		struct {
			u8 **chunks;	/* PAGE_SIZE each, NULL = hole */
			u64 nr_slots;	/* length of the chunks array */
		} file;
		struct {
			char *target;	/* size bytes, not NUL-terminated */
		} link;
	};
};

struct sto_fs {
	spinlock_t lock;
	struct sto_inode *root;
	u64 next_ino;
	s64 now;	/* what the operation in progress stamps (fst_touch()): set under the lock */
};

/* A new store with an empty root directory, or NULL without memory. */
struct sto_fs *fst_new(void);
/* Free every inode and the store. Context: no handle refers to it any more. */
void fst_destroy(struct sto_fs *fs);

int fst_lookup(struct sto_fs *fs, struct sto_inode *base, const char *path, size_t len,
	       bool follow, struct sto_inode **out);
/* Create a directory, regular file or symlink (target, for symlinks). -EEXIST if present. */
int fst_create(struct sto_fs *fs, struct sto_inode *base, const char *path, size_t len,
	       u32 mode, const char *target, size_t target_len, struct sto_inode **out);
/* Open with O_CREAT/O_EXCL/O_TRUNC/O_DIRECTORY/O_NOFOLLOW semantics; takes a reference. */
int fst_open(struct sto_fs *fs, const char *path, size_t len, u32 flags, u32 mode,
	     struct sto_inode **out);
/* unlink (dir false) or rmdir (dir true). */
int fst_remove(struct sto_fs *fs, struct sto_inode *base, const char *path, size_t len,
	       bool dir);
int fst_rename(struct sto_fs *fs, const char *old, size_t old_len, const char *new,
	       size_t new_len);

long fst_read(struct sto_fs *fs, struct sto_inode *ino, u64 off, void *buf, size_t len);
long fst_write(struct sto_fs *fs, struct sto_inode *ino, u64 off, const void *buf, size_t len);
int fst_truncate(struct sto_fs *fs, struct sto_inode *ino, u64 size);
void fst_stat(const struct sto_inode *ino, struct sto_stat *st);

/* Which times fst_touch() sets to now. */
#define FST_ATIME (1U << 0)
#define FST_MTIME (1U << 1)
#define FST_CTIME (1U << 2)
/*
 * Set the times in what (FST_*) to fs->now: the clock of the node whose
 * request is being served (storage.h), or this node's for the archive.
 * Context: the store's lock held, fs->now set since it was taken.
 */
void fst_touch(struct sto_fs *fs, struct sto_inode *ino, unsigned int what);
/* Pack sto_dirent records from *cookie on into buf; returns bytes used, advances *cookie. */
size_t fst_getdents(struct sto_inode *dir, u64 *cookie, void *buf, size_t max);

/* Handle references: an unlinked inode is freed when the last one goes. */
void fst_get(struct sto_inode *ino);
void fst_put(struct sto_inode *ino);

#endif
