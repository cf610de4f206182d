// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for the storage manager (suite "storage"), all through rpc_call():
 * open/read/write/stat/getdents/close, O_* semantics, the Linux errnos,
 * stale handles, unlink/rmdir/rename/truncate, and malformed requests.
 * Each test works in a directory of its own under / and removes it.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "fs_tree.h"
#include "handles.h"
#include "ktest_client.h"
#include "manager.h"

#define RDWR_CREAT (STO_O_RDWR | STO_O_CREAT)

KTEST(storage, create_write_read_stat)
{
	static const char msg[] = "hello, storage";
	char buf[32] = "";
	struct sto_stat st;
	u64 h;

	KASSERT_EQ(kt_mkdir("/kt-rw"), 0);
	KASSERT_EQ(kt_open("/kt-rw/f", RDWR_CREAT, 0644, &h), 0);
	KEXPECT_EQ(kt_write(h, 0, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	KEXPECT_EQ(kt_read(h, 0, buf, sizeof(buf)), sizeof(msg) - 1);
	KEXPECT(memcmp(buf, msg, sizeof(msg) - 1) == 0);
	KEXPECT_EQ(kt_read(h, 7, buf, 3), 3);
	KEXPECT(memcmp(buf, "sto", 3) == 0);
	KEXPECT_EQ(kt_read(h, 100, buf, sizeof(buf)), 0);	/* past the end */
	KEXPECT_EQ(kt_stat("/kt-rw/f", 0, &st), 0);
	KEXPECT_EQ(st.size, sizeof(msg) - 1);
	KEXPECT(STO_S_ISREG(st.mode));
	KEXPECT_EQ(st.mode & 07777, 0644);
	KEXPECT_EQ(st.nlink, 1);
	KEXPECT_EQ(kt_fstat(h, &st), 0);
	KEXPECT_EQ(st.size, sizeof(msg) - 1);
	KEXPECT_EQ(kt_close(h), 0);
	KEXPECT_EQ(kt_unlink("/kt-rw/f", 0), 0);
	KEXPECT_EQ(kt_unlink("/kt-rw", STO_AT_REMOVEDIR), 0);
}

KTEST(storage, holes_and_page_boundaries_read_back)
{
	static u8 pattern[5000];
	u8 *back = kmalloc(sizeof(pattern));
	u64 h, i;

	KASSERT(back != NULL);
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (u8)(i * 7 + 1);
	KASSERT_EQ(kt_open("/kt-holes", RDWR_CREAT, 0644, &h), 0);
	/* Straddles the first page boundary, leaves a hole before it. */
	KEXPECT_EQ(kt_write(h, 3000, pattern, sizeof(pattern)), sizeof(pattern));
	KEXPECT_EQ(kt_read(h, 3000, back, sizeof(pattern)), sizeof(pattern));
	KEXPECT(memcmp(back, pattern, sizeof(pattern)) == 0);
	KEXPECT_EQ(kt_read(h, 0, back, 3000), 3000);
	for (i = 0; i < 3000 && back[i] == 0; i++)
		;
	KEXPECT_EQ(i, 3000);
	kfree(back);
	kt_close(h);
	KEXPECT_EQ(kt_unlink("/kt-holes", 0), 0);
}

KTEST(storage, open_flags_give_linux_errnos)
{
	u64 h, h2;

	KASSERT_EQ(kt_mkdir("/kt-open"), 0);
	KEXPECT_EQ(kt_open("/kt-open/none", STO_O_RDONLY, 0, &h), -ENOENT);
	KEXPECT_EQ(kt_open("/kt-missing/x", RDWR_CREAT, 0644, &h), -ENOENT);
	KASSERT_EQ(kt_put("/kt-open/f", "data"), 4);
	KEXPECT_EQ(kt_open("/kt-open/f", RDWR_CREAT | STO_O_EXCL, 0644, &h), -EEXIST);
	KEXPECT_EQ(kt_open("/kt-open/f", STO_O_RDONLY | STO_O_DIRECTORY, 0, &h), -ENOTDIR);
	KEXPECT_EQ(kt_open("/kt-open/f/x", STO_O_RDONLY, 0, &h), -ENOTDIR);
	KEXPECT_EQ(kt_open("/kt-open", STO_O_WRONLY, 0, &h), -EISDIR);
	KEXPECT_EQ(kt_open("/kt-open", STO_O_RDONLY | STO_O_ACCMODE, 0, &h), -EINVAL);
	KEXPECT_EQ(kt_mkdir("/kt-open"), -EEXIST);
	KEXPECT_EQ(kt_mkdir("/"), -EEXIST);
	/* O_TRUNC empties; a directory opens read-only with O_DIRECTORY. */
	KEXPECT_EQ(kt_open("/kt-open/f", STO_O_WRONLY | STO_O_TRUNC, 0, &h), 0);
	KEXPECT_EQ(kt_open("/kt-open", STO_O_RDONLY | STO_O_DIRECTORY, 0, &h2), 0);
	{
		struct sto_stat st;

		KEXPECT_EQ(kt_fstat(h, &st), 0);
		KEXPECT_EQ(st.size, 0);
	}
	kt_close(h);
	kt_close(h2);
	KEXPECT_EQ(kt_unlink("/kt-open/f", 0), 0);
	KEXPECT_EQ(kt_unlink("/kt-open", STO_AT_REMOVEDIR), 0);
}

KTEST(storage, stale_and_wrong_handles_are_ebadf)
{
	struct sto_io_req r = { .len = 1, .now = sto_clock() };
	u8 reply[sizeof(struct sto_read_reply) + 1];
	char c;
	u64 h, again, w;

	KASSERT_EQ(kt_put("/kt-badf", "x"), 1);
	KASSERT_EQ(kt_open("/kt-badf", STO_O_RDONLY, 0, &h), 0);
	KEXPECT_EQ(kt_write(h, 0, "y", 1), -EBADF);	/* read-only handle */
	KEXPECT_EQ(kt_close(h), 0);
	KEXPECT_EQ(kt_read(h, 0, &c, 1), -EBADF);
	KEXPECT_EQ(kt_close(h), -EBADF);
	/* The slot comes back with a new generation: the old id stays dead. */
	KASSERT_EQ(kt_open("/kt-badf", STO_O_RDWR, 0, &again), 0);
	KEXPECT_EQ(again & 0xffffffffu, h & 0xffffffffu);
	KEXPECT_NE(again, h);
	KEXPECT_EQ(kt_read(again, 0, &c, 1), 1);
	KEXPECT_EQ(kt_read(h, 0, &c, 1), -EBADF);
	KEXPECT_EQ(kt_read(0, 0, &c, 1), -EBADF);
	KEXPECT_EQ(kt_read(0xffffffffffffull, 0, &c, 1), -EBADF);
	KASSERT_EQ(kt_open("/kt-badf", STO_O_WRONLY, 0, &w), 0);
	KEXPECT_EQ(kt_read(w, 0, &c, 1), -EBADF);	/* write-only handle */
	/* Another node cannot use this node's handle. */
	r.handle = again;
	KEXPECT_EQ(rpc_dispatch(rpc_self_node() + 1, RPC_STO_READ, &r, sizeof(r), reply,
				sizeof(reply)), sizeof(struct sto_read_reply));
	KEXPECT_EQ(((struct sto_read_reply *)reply)->err, -EBADF);
	kt_close(w);
	kt_close(again);
	KEXPECT_EQ(kt_unlink("/kt-badf", 0), 0);
}

/* Find name among the dirent records in buf; returns its type or -1. */
static int find_dirent(const u8 *buf, long len, const char *name)
{
	const struct sto_dirent *d;
	long off;

	for (off = 0; off < len; off += d->reclen) {
		d = (const struct sto_dirent *)(buf + off);
		if (d->reclen == 0)
			return -1;
		if (strcmp(d->name, name) == 0 && d->name_len == strlen(name))
			return d->type;
	}
	return -1;
}

KTEST(storage, getdents_lists_everything_in_small_steps)
{
	static const char *const names[] = { ".", "..", "a", "bb", "sub" };
	u8 *all = kzalloc(1024), chunk[48];
	u64 h, cookie = 0;
	long n, total = 0;
	size_t i;

	KASSERT(all != NULL);
	KASSERT_EQ(kt_mkdir("/kt-dents"), 0);
	kt_put("/kt-dents/a", "1");
	kt_put("/kt-dents/bb", "2");
	kt_mkdir("/kt-dents/sub");
	KASSERT_EQ(kt_open("/kt-dents", STO_O_RDONLY | STO_O_DIRECTORY, 0, &h), 0);
	/* 48 bytes hold one record: every entry needs a call of its own. */
	while ((n = kt_getdents(h, &cookie, chunk, sizeof(chunk))) > 0 && total + n <= 1024) {
		memcpy(all + total, chunk, n);
		total += n;
	}
	KEXPECT_EQ(n, 0);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		KEXPECT(find_dirent(all, total, names[i]) >= 0);
	KEXPECT_EQ(find_dirent(all, total, "sub"), STO_DT_DIR);
	KEXPECT_EQ(find_dirent(all, total, "a"), STO_DT_REG);
	KEXPECT_EQ(cookie, 5);
	kt_close(h);
	KASSERT_EQ(kt_open("/kt-dents/a", STO_O_RDONLY, 0, &h), 0);
	cookie = 0;
	KEXPECT_EQ(kt_getdents(h, &cookie, chunk, sizeof(chunk)), -ENOTDIR);
	kt_close(h);
	kt_unlink("/kt-dents/a", 0);
	kt_unlink("/kt-dents/bb", 0);
	kt_unlink("/kt-dents/sub", STO_AT_REMOVEDIR);
	KEXPECT_EQ(kt_unlink("/kt-dents", STO_AT_REMOVEDIR), 0);
	kfree(all);
}

KTEST(storage, unlink_and_rmdir_rules)
{
	struct sto_stat st;
	char buf[8];
	u64 h;

	KASSERT_EQ(kt_mkdir("/kt-rm"), 0);
	KASSERT_EQ(kt_put("/kt-rm/f", "keep"), 4);
	KEXPECT_EQ(kt_unlink("/kt-rm", STO_AT_REMOVEDIR), -ENOTEMPTY);
	KEXPECT_EQ(kt_unlink("/kt-rm", 0), -EISDIR);
	KEXPECT_EQ(kt_unlink("/kt-rm/f", STO_AT_REMOVEDIR), -ENOTDIR);
	KEXPECT_EQ(kt_unlink("/kt-rm/none", 0), -ENOENT);
	KEXPECT_EQ(kt_unlink("/", STO_AT_REMOVEDIR), -EBUSY);
	KEXPECT_EQ(kt_unlink("/kt-rm/f", 0x1), -EINVAL);	/* unknown flag */
	/* An open file outlives its name. */
	KASSERT_EQ(kt_open("/kt-rm/f", STO_O_RDONLY, 0, &h), 0);
	KEXPECT_EQ(kt_unlink("/kt-rm/f", 0), 0);
	KEXPECT_EQ(kt_stat("/kt-rm/f", 0, &st), -ENOENT);
	KEXPECT_EQ(kt_read(h, 0, buf, sizeof(buf)), 4);
	KEXPECT_EQ(kt_fstat(h, &st), 0);
	KEXPECT_EQ(st.nlink, 0);
	KEXPECT_EQ(kt_close(h), 0);
	KEXPECT_EQ(kt_unlink("/kt-rm", STO_AT_REMOVEDIR), 0);
	KEXPECT_EQ(kt_stat("/kt-rm", 0, &st), -ENOENT);
}

KTEST(storage, rename_rules)
{
	char buf[16];

	KASSERT_EQ(kt_mkdir("/kt-mv"), 0);
	kt_mkdir("/kt-mv/d");
	kt_mkdir("/kt-mv/d/inner");
	kt_mkdir("/kt-mv/full");
	kt_put("/kt-mv/full/x", "x");
	KASSERT_EQ(kt_put("/kt-mv/a", "alpha"), 5);
	KEXPECT_EQ(kt_rename("/kt-mv/a", "/kt-mv/d/b"), 0);
	KEXPECT_EQ(kt_slurp("/kt-mv/d/b", buf, sizeof(buf)), 5);
	KEXPECT_EQ(kt_slurp("/kt-mv/a", buf, sizeof(buf)), -ENOENT);
	KEXPECT_EQ(kt_rename("/kt-mv/a", "/kt-mv/c"), -ENOENT);
	KEXPECT_EQ(kt_rename("/kt-mv/d", "/kt-mv/d/inner/d"), -EINVAL);
	KEXPECT_EQ(kt_rename("/kt-mv/d", "/kt-mv/full/x"), -ENOTDIR);
	KEXPECT_EQ(kt_rename("/kt-mv/d/b", "/kt-mv/d/inner"), -EISDIR);
	KEXPECT_EQ(kt_rename("/kt-mv/d/inner", "/kt-mv/full"), -ENOTEMPTY);
	/* Replacing an existing file drops the old one. */
	kt_put("/kt-mv/old", "old");
	KEXPECT_EQ(kt_rename("/kt-mv/d/b", "/kt-mv/old"), 0);
	KEXPECT_EQ(kt_slurp("/kt-mv/old", buf, sizeof(buf)), 5);
	KEXPECT_EQ(strcmp(buf, "alpha"), 0);
	KEXPECT_EQ(kt_rename("/kt-mv/old", "/kt-mv/old"), 0);
	kt_unlink("/kt-mv/old", 0);
	kt_unlink("/kt-mv/full/x", 0);
	kt_unlink("/kt-mv/full", STO_AT_REMOVEDIR);
	kt_unlink("/kt-mv/d/inner", STO_AT_REMOVEDIR);
	kt_unlink("/kt-mv/d", STO_AT_REMOVEDIR);
	KEXPECT_EQ(kt_unlink("/kt-mv", STO_AT_REMOVEDIR), 0);
}

KTEST(storage, truncate_by_path_and_handle)
{
	char buf[16];
	u64 ro, rw;

	KASSERT_EQ(kt_put("/kt-trunc", "0123456789"), 10);
	KEXPECT_EQ(kt_truncate("/kt-trunc", 0, 4), 0);
	KEXPECT_EQ(kt_slurp("/kt-trunc", buf, sizeof(buf)), 4);
	/* Growing again must show zeros, not the old bytes. */
	KASSERT_EQ(kt_open("/kt-trunc", STO_O_RDWR, 0, &rw), 0);
	KEXPECT_EQ(kt_truncate(NULL, rw, 8), 0);
	KEXPECT_EQ(kt_read(rw, 0, buf, sizeof(buf)), 8);
	KEXPECT(memcmp(buf, "0123\0\0\0\0", 8) == 0);
	KASSERT_EQ(kt_open("/kt-trunc", STO_O_RDONLY, 0, &ro), 0);
	KEXPECT_EQ(kt_truncate(NULL, ro, 0), -EINVAL);
	kt_close(ro);
	KEXPECT_EQ(kt_truncate(NULL, ro, 0), -EBADF);
	KEXPECT_EQ(kt_truncate("/", 0, 0), -EISDIR);
	KEXPECT_EQ(kt_truncate("/kt-none", 0, 0), -ENOENT);
	kt_close(rw);
	KEXPECT_EQ(kt_unlink("/kt-trunc", 0), 0);
}

/* Send an OPEN whose path_len and path the caller chooses freely. */
static long raw_open(const char *path, u32 path_len, size_t send_len, s32 *err)
{
	struct sto_open_reply rep = { .err = 1 };
	struct sto_open_req *r = kzalloc(sizeof(*r) + STO_PATH_MAX + 8);
	long ret;

	if (!r)
		return -ENOMEM;
	r->flags = STO_O_RDONLY;
	r->now = sto_clock();
	r->path_len = path_len;
	memcpy(r->path, path, min((size_t)path_len, strlen(path) + 1));
	ret = rpc_call(rpc_self_node(), RPC_STO_OPEN, r, send_len, &rep, sizeof(rep));
	kfree(r);
	*err = rep.err;
	return ret;
}

KTEST(storage, malformed_requests_are_einval)
{
	size_t hdr = sizeof(struct sto_open_req);
	struct sto_handle_req close_req = { .handle = 0 };
	struct sto_status_reply small;
	s32 err;

	KEXPECT_EQ(raw_open("relative", 8, hdr + 8, &err), -EINVAL);
	KEXPECT_EQ(raw_open("/a\0b", 4, hdr + 4, &err), -EINVAL);
	KEXPECT_EQ(raw_open("/abc", 4, hdr + 3, &err), -EINVAL);	/* length mismatch */
	KEXPECT_EQ(raw_open("/abc", 0, hdr, &err), -EINVAL);
	KEXPECT_EQ(raw_open("/abc", 4, hdr - 1, &err), -EINVAL);	/* short struct */
	/* Reply buffer too small for the reply struct. */
	KEXPECT_EQ(rpc_call(rpc_self_node(), RPC_STO_CLOSE, &close_req, sizeof(close_req),
			    &small, sizeof(small) - 1), -EINVAL);
}

/* OPEN with O_CREAT stamped now (the asking node's clock): rpc_call's result. */
static long open_at_clock(const char *path, s64 now, u64 *handle)
{
	size_t plen = strlen(path);
	struct sto_open_req *r = kzalloc(sizeof(*r) + plen);
	struct sto_open_reply rep = { .err = 1 };
	long ret;

	if (!r)
		return -ENOMEM;
	*r = (struct sto_open_req){ .flags = STO_O_RDWR | STO_O_CREAT, .mode = 0644,
				    .path_len = (u32)plen, .now = now };
	memcpy(r->path, path, plen);
	ret = rpc_call(rpc_self_node(), RPC_STO_OPEN, r, sizeof(*r) + plen, &rep, sizeof(rep));
	kfree(r);
	*handle = rep.handle;
	return ret < 0 ? ret : rep.err;
}

/*
 * The times a request sets are its now, not this node's clock (a cluster's
 * nodes drift apart); a now that is no time at all makes it malformed.
 */
KTEST(storage, times_are_the_askers_clock)
{
	const s64 later = 4000000000LL;	/* 2096: no node's clock reads that */
	struct sto_stat st, dir;
	u64 h;

	KASSERT_EQ(kt_mkdir("/kt-clock"), 0);
	KASSERT_EQ(open_at_clock("/kt-clock/f", later, &h), 0);
	KEXPECT_EQ(kt_stat("/kt-clock/f", 0, &st), 0);
	KEXPECT(st.atime == later && st.mtime == later && st.ctime == later);
	KEXPECT_EQ(kt_stat("/kt-clock", 0, &dir), 0);
	KEXPECT_EQ(dir.mtime, later);
	KEXPECT_EQ(kt_write(h, 0, "x", 1), 1);	/* the client's own clock again */
	KEXPECT_EQ(kt_fstat(h, &st), 0);
	KEXPECT(st.mtime < later && st.mtime == st.ctime && st.atime == later);
	kt_close(h);
	KEXPECT_EQ(open_at_clock("/kt-clock/g", 0, &h), -EINVAL);
	KEXPECT_EQ(open_at_clock("/kt-clock/g", -1, &h), -EINVAL);
	KEXPECT_EQ(open_at_clock("/kt-clock/g", STO_TIME_MAX + 1, &h), -EINVAL);
	KEXPECT_EQ(open_at_clock("/kt-clock/g", STO_TIME_MAX, &h), 0);
	kt_close(h);
	KEXPECT_EQ(kt_unlink("/kt-clock/f", 0), 0);
	KEXPECT_EQ(kt_unlink("/kt-clock/g", 0), 0);
	KEXPECT_EQ(kt_unlink("/kt-clock", STO_AT_REMOVEDIR), 0);
}

KTEST(storage, long_paths_are_enametoolong)
{
	char *path = kmalloc(STO_PATH_MAX + 1);
	struct sto_stat st;
	u64 h;

	KASSERT(path != NULL);
	memset(path, 'a', STO_PATH_MAX);
	path[0] = '/';
	path[STO_PATH_MAX] = '\0';
	KEXPECT_EQ(kt_stat(path, 0, &st), -ENAMETOOLONG);	/* 4096 bytes */
	path[1 + STO_NAME_MAX + 1] = '\0';			/* one 256-byte name */
	KEXPECT_EQ(kt_open(path, RDWR_CREAT, 0644, &h), -ENAMETOOLONG);
	path[1 + STO_NAME_MAX] = '\0';				/* 255 is fine */
	KEXPECT_EQ(kt_stat(path, 0, &st), -ENOENT);
	kfree(path);
}

KTEST(storage, dropping_a_node_closes_its_handles)
{
	const int node = (rpc_self_node() + 3) % RPC_MAX_NODES;
	struct sto_open_req *r = kzalloc(sizeof(*r) + 2);
	struct sto_open_reply rep;
	int dropped;

	KASSERT(r != NULL);
	r->path_len = 1;
	r->now = sto_clock();
	r->path[0] = '/';
	r->flags = STO_O_RDONLY | STO_O_DIRECTORY;
	KEXPECT_EQ(rpc_dispatch(node, RPC_STO_OPEN, r, sizeof(*r) + 1, &rep, sizeof(rep)),
		   sizeof(rep));
	KEXPECT_EQ(rep.err, 0);
	spin_lock(&sto_store->lock);
	KEXPECT(sto_handle_find(node, rep.handle) != NULL);
	dropped = sto_handles_drop_node(node);
	KEXPECT(sto_handle_find(node, rep.handle) == NULL);
	spin_unlock(&sto_store->lock);
	KEXPECT_EQ(dropped, 1);
	kfree(r);
}

/* A private store: built deep, then freed without recursion. */
KTEST(storage, private_store_builds_and_destroys)
{
	struct sto_fs *fs = fst_new();
	struct sto_inode *dir, *file;
	int i, err = 0;

	KASSERT(fs != NULL);
	spin_lock(&fs->lock);
	dir = fs->root;
	for (i = 0; i < 200 && !err; i++)
		err = fst_create(fs, dir, "d", 1, STO_S_IFDIR | 0755, NULL, 0, &dir);
	KEXPECT_EQ(err, 0);
	KEXPECT_EQ(fst_create(fs, dir, "f", 1, STO_S_IFREG | 0644, NULL, 0, &file), 0);
	KEXPECT_EQ(fst_write(fs, file, 0, "abc", 3), 3);
	KEXPECT_EQ(fst_lookup(fs, fs->root, "/d/d/./d/..", 11, true, &dir), 0);
	KEXPECT_EQ(fst_lookup(fs, fs->root, "/d/d/../../..", 13, true, &dir), 0);
	KEXPECT(dir == fs->root);	/* ".." stops at the root */
	spin_unlock(&fs->lock);
	fst_destroy(fs);
}

/* SYMLINK: target then path after the header. Returns rpc_call's result; *err the reply's. */
static long raw_symlink(const char *target, const char *path, u32 target_len, s32 *err)
{
	size_t tlen = strlen(target), plen = strlen(path);
	struct sto_symlink_req *r = kzalloc(sizeof(*r) + tlen + plen);
	struct sto_status_reply rep = { 0 };
	long ret;

	if (!r)
		return -ENOMEM;
	r->target_len = target_len;
	r->now = sto_clock();
	r->path_len = (u32)plen;
	memcpy(r->strings, target, tlen);
	memcpy(r->strings + tlen, path, plen);
	ret = rpc_call(rpc_self_node(), RPC_STO_SYMLINK, r, sizeof(*r) + tlen + plen, &rep,
		       sizeof(rep));
	kfree(r);
	*err = rep.err;
	return ret;
}

/* READLINK of path into target (NUL-terminated): length or -errno. */
static long raw_readlink(const char *path, char *target, size_t max)
{
	size_t plen = strlen(path);
	struct sto_path_req *r = kzalloc(sizeof(*r) + plen);
	struct sto_readlink_reply *rep = kzalloc(sizeof(*rep) + max);
	long ret = -ENOMEM;

	if (r && rep) {
		r->path_len = (u32)plen;
		memcpy(r->path, path, plen);
		ret = rpc_call(rpc_self_node(), RPC_STO_READLINK, r, sizeof(*r) + plen, rep,
			       sizeof(*rep) + max - 1);
		if (ret >= 0)
			ret = rep->err ? rep->err : (long)rep->len;
		if (ret >= 0)
			strlcpy(target, rep->target, (size_t)ret + 1);
	}
	kfree(r);
	kfree(rep);
	return ret;
}

static long raw_chmod(const char *path, u32 mode)
{
	size_t plen = strlen(path);
	struct sto_chmod_req *r = kzalloc(sizeof(*r) + plen);
	struct sto_status_reply rep = { 0 };
	long ret;

	if (!r)
		return -ENOMEM;
	r->mode = mode;
	r->now = sto_clock();
	r->path_len = (u32)plen;
	memcpy(r->path, path, plen);
	ret = rpc_call(rpc_self_node(), RPC_STO_CHMOD, r, sizeof(*r) + plen, &rep, sizeof(rep));
	kfree(r);
	return ret < 0 ? ret : rep.err;
}

KTEST(storage, symlink_readlink_chmod)
{
	struct sto_stat st;
	char target[32];
	s32 err;

	KASSERT_EQ(kt_mkdir("/kt-ln"), 0);
	KEXPECT_EQ(raw_symlink("../etc", "/kt-ln/l", 6, &err), (long)sizeof(struct sto_status_reply));
	KEXPECT_EQ(err, 0);
	KEXPECT_EQ(raw_readlink("/kt-ln/l", target, sizeof(target)), 6);
	KEXPECT(!strcmp(target, "../etc"));
	KEXPECT_EQ(raw_readlink("/kt-ln/l", target, 4), 3);	/* cut to the reply's room */
	KEXPECT_EQ(raw_readlink("/kt-ln", target, sizeof(target)), -EINVAL);
	KEXPECT_EQ(raw_readlink("/kt-ln/none", target, sizeof(target)), -ENOENT);
	raw_symlink("x", "/kt-ln/l", 1, &err);
	KEXPECT_EQ(err, -EEXIST);
	KEXPECT_EQ(raw_symlink("abc", "/kt-ln/m", 2, &err), -EINVAL);	/* lengths do not add up */
	KEXPECT_EQ(raw_chmod("/kt-ln", 0700), 0);
	KEXPECT_EQ(kt_stat("/kt-ln", 0, &st), 0);
	KEXPECT_EQ(st.mode, STO_S_IFDIR | 0700);
	KEXPECT_EQ(raw_chmod("/kt-ln/none", 0700), -ENOENT);
	KEXPECT_EQ(kt_unlink("/kt-ln/l", 0), 0);
	KEXPECT_EQ(kt_unlink("/kt-ln", STO_AT_REMOVEDIR), 0);
}
