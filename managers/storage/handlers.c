// SPDX-License-Identifier: GPL-2.0
/*
 * The storage manager's RPC handlers: each checks its message (sizes,
 * path lengths, NUL bytes, the asker's clock; see include/mosaic/storage.h),
 * takes the store's lock, runs one fs_tree operation and fills the reply. A
 * malformed message makes rpc_call() fail with -EINVAL; an operation error
 * goes in reply->err. The times an operation sets are the request's `now`
 * (sto_lock_at()): the asking node's clock, not this node's.
 *
 * Lock order: sto_store->lock only (it also covers the handle tables).
 * Handlers run in thread context, never from an interrupt: the lock is
 * taken without disabling interrupts, so a network transport must hand
 * received requests to a thread before dispatching them.
 */
#include <mosaic/errno.h>
#include <mosaic/rpc.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "fs_tree.h"
#include "handles.h"
#include "manager.h"

/* ---- request checks ---- */

/* The fixed part is there and the reply has room for its fixed part. */
static bool sto_sizes_ok(size_t req_len, size_t req_min, size_t reply_max, size_t reply_min)
{
	return req_len >= req_min && reply_max >= reply_min;
}

/*
 * A path from a request: -EINVAL if malformed (empty components are fine;
 * a NUL byte or a missing leading '/' is not). Otherwise 0, with *status
 * the error the operation must report (-ENAMETOOLONG) or 0.
 */
static int sto_path_check(const char *path, u32 len, int *status)
{
	u32 i, comp = 0;

	*status = 0;
	if (len == 0 || path[0] != '/')
		return -EINVAL;
	if (strnlen(path, len) != len)
		return -EINVAL;
	if (len >= STO_PATH_MAX)
		*status = -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		comp = path[i] == '/' ? 0 : comp + 1;
		if (comp > STO_NAME_MAX)
			*status = -ENAMETOOLONG;
	}
	return 0;
}

/*
 * A clock from the wire: the asking node's seconds since the epoch. Before
 * 1970-01-01 00:00:01 (0 is a field nobody filled in) or after the year
 * 9999 it is nonsense, and the request is malformed.
 */
static bool sto_now_ok(s64 now)
{
	return now >= 1 && now <= STO_TIME_MAX;
}

/* Take the store's lock for a request whose times are stamped now (checked). */
static void sto_lock_at(s64 now)
{
	spin_lock(&sto_store->lock);
	sto_store->now = now;
}

/* Take it for a request that sets no time. */
static void sto_lock(void)
{
	sto_lock_at(sto_clock());
}

static void sto_unlock(void)
{
	spin_unlock(&sto_store->lock);
}

static long sto_status(void *reply, int err)
{
	struct sto_status_reply *rep = reply;

	rep->err = err;
	rep->__pad = 0;
	return sizeof(*rep);
}

/* ---- OPEN, CLOSE ---- */

/* Context: sto_store->lock held. */
static int sto_open_locked(int node, const struct sto_open_req *r, struct sto_open_reply *rep)
{
	struct sto_inode *ino;
	int err;

	err = fst_open(sto_store, r->path, r->path_len, r->flags, r->mode, &ino);
	if (err)
		return err;
	if (STO_S_ISFIFO(ino->mode))
		fst_put(ino);	/* a name only: the processor keeps the pipe */
	else
		err = sto_handle_install(node, ino, r->flags, &rep->handle);
	if (err) {
		fst_put(ino);
		return err;
	}
	rep->mode = ino->mode;
	rep->size = ino->size;
	rep->ino = ino->ino;
	rep->version = ino->version;
	return 0;
}

static long sto_rpc_open(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			 void *reply, size_t reply_max)
{
	const struct sto_open_req *r = req;
	struct sto_open_reply *rep = reply;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(*rep)) ||
	    req_len - sizeof(*r) != r->path_len || !sto_now_ok(r->now) ||
	    sto_path_check(r->path, r->path_len, &status))
		return -EINVAL;
	memset(rep, 0, sizeof(*rep));
	if (!status) {
		sto_lock_at(r->now);
		status = sto_open_locked(ctx->src_node, r, rep);
		sto_unlock();
	}
	rep->err = status;
	return sizeof(*rep);
}

static long sto_rpc_close(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			  void *reply, size_t reply_max)
{
	const struct sto_handle_req *r = req;
	int err;

	if (req_len != sizeof(*r) || reply_max < sizeof(struct sto_status_reply))
		return -EINVAL;
	sto_lock();
	err = sto_handle_close(ctx->src_node, r->handle);
	sto_unlock();
	return sto_status(reply, err);
}

/* ---- READ, WRITE ---- */

/* The handle for I/O, or an errno: -EBADF if unknown or opened without access. */
static int sto_io_handle(int node, u64 id, u32 need_write, struct sto_handle **out)
{
	struct sto_handle *h = sto_handle_find(node, id);
	u32 acc;

	if (!h)
		return -EBADF;
	acc = h->flags & STO_O_ACCMODE;
	if (need_write ? acc == STO_O_RDONLY : acc == STO_O_WRONLY)
		return -EBADF;
	*out = h;
	return 0;
}

static long sto_rpc_read(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			 void *reply, size_t reply_max)
{
	const struct sto_io_req *r = req;
	struct sto_read_reply *rep = reply;
	struct sto_handle *h;
	size_t want;
	long n;

	if (req_len != sizeof(*r) || reply_max < sizeof(*rep) || !sto_now_ok(r->now))
		return -EINVAL;
	want = min(min((size_t)r->len, (size_t)STO_IO_MAX), reply_max - sizeof(*rep));
	sto_lock_at(r->now);
	n = sto_io_handle(ctx->src_node, r->handle, false, &h);
	if (!n)
		n = fst_read(sto_store, h->inode, r->offset, rep->data, want);
	sto_unlock();
	rep->err = n < 0 ? (s32)n : 0;
	rep->len = n < 0 ? 0 : (u32)n;
	return sizeof(*rep) + rep->len;
}

/* Context: sto_store->lock held. */
static int sto_write_locked(int node, const struct sto_io_req *r, struct sto_write_reply *rep)
{
	struct sto_handle *h;
	u64 off = r->offset;
	long n;
	int err;

	err = sto_io_handle(node, r->handle, true, &h);
	if (err)
		return err;
	if (h->flags & STO_O_APPEND)
		off = h->inode->size;
	n = fst_write(sto_store, h->inode, off, r->data, r->len);
	if (n < 0)
		return (int)n;
	rep->len = (u32)n;
	rep->offset = off;
	rep->size = h->inode->size;
	return 0;
}

static long sto_rpc_write(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			  void *reply, size_t reply_max)
{
	const struct sto_io_req *r = req;
	struct sto_write_reply *rep = reply;
	int err;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(*rep)) ||
	    req_len - sizeof(*r) != r->len || r->len > STO_IO_MAX || !sto_now_ok(r->now))
		return -EINVAL;
	memset(rep, 0, sizeof(*rep));
	sto_lock_at(r->now);
	err = sto_write_locked(ctx->src_node, r, rep);
	sto_unlock();
	rep->err = err;
	return sizeof(*rep);
}

/* ---- STAT, TRUNCATE (and CHMOD): by handle or by path ---- */

/*
 * The inode a handle-or-path request names. Context: sto_store->lock held.
 * A by-handle TRUNCATE needs write access (Linux ftruncate: -EINVAL).
 */
static int sto_target(int node, u64 handle, const char *path, u32 path_len, bool follow,
		      bool for_write, struct sto_inode **out)
{
	struct sto_handle *h;

	if (!handle)
		return fst_lookup(sto_store, sto_store->root, path, path_len, follow, out);
	h = sto_handle_find(node, handle);
	if (!h)
		return -EBADF;
	if (for_write && (h->flags & STO_O_ACCMODE) == STO_O_RDONLY)
		return -EINVAL;
	*out = h->inode;
	return 0;
}

/* What TRUNCATE, CHMOD and UTIMES act on, and when. */
struct sto_target_spec {
	u64 handle;		/* or, when 0, the path */
	const char *path;
	u32 path_len;
	bool follow;		/* follow a symlink at the end of the path */
	bool for_write;		/* a handle must be open for writing */
	s64 now;		/* the request's clock (checked) */
};

/*
 * The common tail of TRUNCATE, CHMOD and UTIMES: under the store lock, find
 * the request's target (by handle, or by path) and apply op to it. Returns
 * the status for the reply.
 */
static int sto_apply_to_target(int node, const struct sto_target_spec *t,
			       int (*op)(struct sto_inode *ino, const void *req), const void *req)
{
	struct sto_inode *ino;
	int status;

	sto_lock_at(t->now);
	status = sto_target(node, t->handle, t->path, t->path_len, t->follow, t->for_write, &ino);
	if (!status)
		status = op(ino, req);
	sto_unlock();
	return status;
}

/* Request checks shared by STAT, TRUNCATE and CHMOD: a path xor a handle. */
static int sto_target_check(u64 handle, const char *path, u32 path_len, int *status)
{
	*status = 0;
	if (handle)
		return path_len ? -EINVAL : 0;
	return sto_path_check(path, path_len, status);
}

static long sto_rpc_stat(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			 void *reply, size_t reply_max)
{
	const struct sto_stat_req *r = req;
	struct sto_stat_reply *rep = reply;
	bool follow;
	struct sto_inode *ino;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(*rep)) ||
	    req_len - sizeof(*r) != r->path_len ||
	    sto_target_check(r->handle, r->path, r->path_len, &status))
		return -EINVAL;
	memset(rep, 0, sizeof(*rep));
	follow = !(r->flags & STO_AT_SYMLINK_NOFOLLOW);
	if (!status) {
		sto_lock();
		status = sto_target(ctx->src_node, r->handle, r->path, r->path_len, follow,
				    false, &ino);
		if (!status)
			fst_stat(ino, &rep->st);
		sto_unlock();
	}
	rep->err = status;
	return sizeof(*rep);
}

static int truncate_op(struct sto_inode *ino, const void *req)
{
	return fst_truncate(sto_store, ino, ((const struct sto_truncate_req *)req)->length);
}

static long sto_rpc_truncate(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			     void *reply, size_t reply_max)
{
	const struct sto_truncate_req *r = req;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != r->path_len || !sto_now_ok(r->now) ||
	    sto_target_check(r->handle, r->path, r->path_len, &status))
		return -EINVAL;
	if (!status)
		status = sto_apply_to_target(ctx->src_node, &(struct sto_target_spec){
			.handle = r->handle, .path = r->path, .path_len = r->path_len,
			.follow = true, .for_write = true, .now = r->now }, truncate_op, r);
	return sto_status(reply, status);
}

/* ---- READLINK, CHMOD, SYMLINK ---- */

static long sto_rpc_readlink(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			     void *reply, size_t reply_max)
{
	const struct sto_path_req *r = req;
	struct sto_readlink_reply *rep = reply;
	struct sto_inode *ino;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(*rep)) ||
	    req_len - sizeof(*r) != r->path_len ||
	    sto_path_check(r->path, r->path_len, &status))
		return -EINVAL;
	memset(rep, 0, sizeof(*rep));
	if (!status) {
		sto_lock();
		status = fst_lookup(sto_store, sto_store->root, r->path, r->path_len, false, &ino);
		if (!status && !STO_S_ISLNK(ino->mode))
			status = -EINVAL;
		if (!status) {
			rep->len = (u32)min(ino->size, (u64)(reply_max - sizeof(*rep)));
			memcpy(rep->target, ino->link.target, rep->len);
		}
		sto_unlock();
	}
	rep->err = status;
	return sizeof(*rep) + rep->len;
}

static int chmod_op(struct sto_inode *ino, const void *req)
{
	ino->mode = (ino->mode & STO_S_IFMT) | (((const struct sto_chmod_req *)req)->mode & 07777);
	fst_touch(sto_store, ino, FST_CTIME);
	return 0;
}

static long sto_rpc_chmod(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			  void *reply, size_t reply_max)
{
	const struct sto_chmod_req *r = req;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != r->path_len || !sto_now_ok(r->now) ||
	    sto_target_check(r->handle, r->path, r->path_len, &status))
		return -EINVAL;
	if (!status)
		status = sto_apply_to_target(ctx->src_node, &(struct sto_target_spec){
			.handle = r->handle, .path = r->path, .path_len = r->path_len,
			.follow = true, .now = r->now }, chmod_op, r);
	return sto_status(reply, status);
}

/* ---- UTIMES ---- */

static bool sto_time_how_ok(u8 how)
{
	return how == STO_TIME_OMIT || how == STO_TIME_NOW || how == STO_TIME_SET;
}

/* One of atime/mtime as UTIMES says: left, now, or the given value. */
static void sto_set_time(s64 *field, u8 how, s64 value, s64 now)
{
	if (how == STO_TIME_NOW)
		*field = now;
	else if (how == STO_TIME_SET)
		*field = value;
}

/* Context: sto_store->lock held, sto_store->now the request's clock. */
static void sto_utimes_apply(struct sto_inode *ino, const struct sto_utimes_req *r)
{
	s64 now = sto_store->now;

	sto_set_time(&ino->atime, r->atime_how, r->atime, now);
	sto_set_time(&ino->mtime, r->mtime_how, r->mtime, now);
	ino->ctime = now;
}

static int utimes_op(struct sto_inode *ino, const void *req)
{
	sto_utimes_apply(ino, req);
	return 0;
}

static long sto_rpc_utimes(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			   void *reply, size_t reply_max)
{
	const struct sto_utimes_req *r = req;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != r->path_len || !sto_time_how_ok(r->atime_how) ||
	    !sto_time_how_ok(r->mtime_how) || !sto_now_ok(r->now) ||
	    sto_target_check(r->handle, r->path, r->path_len, &status))
		return -EINVAL;
	if (!status)
		status = sto_apply_to_target(ctx->src_node, &(struct sto_target_spec){
			.handle = r->handle, .path = r->path, .path_len = r->path_len,
			.follow = !(r->flags & STO_AT_SYMLINK_NOFOLLOW), .now = r->now },
			utimes_op, r);
	return sto_status(reply, status);
}

static long sto_rpc_symlink(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			    void *reply, size_t reply_max)
{
	const struct sto_symlink_req *r = req;
	const char *path = r->strings + r->target_len;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != (u64)r->target_len + r->path_len || !r->target_len ||
	    strnlen(r->strings, r->target_len) != r->target_len || !sto_now_ok(r->now) ||
	    sto_path_check(path, r->path_len, &status))
		return -EINVAL;
	if (!status && r->target_len >= STO_PATH_MAX)
		status = -ENAMETOOLONG;
	if (!status) {
		sto_lock_at(r->now);
		status = fst_create(sto_store, sto_store->root, path, r->path_len,
				    STO_S_IFLNK | 0777, r->strings, r->target_len, NULL);
		sto_unlock();
	}
	return sto_status(reply, status);
}

/* ---- GETDENTS ---- */

static long sto_rpc_getdents(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			     void *reply, size_t reply_max)
{
	const struct sto_getdents_req *r = req;
	struct sto_getdents_reply *rep = reply;
	struct sto_handle *h;
	size_t room;

	if (req_len != sizeof(*r) || reply_max < sizeof(*rep))
		return -EINVAL;
	room = min((size_t)r->max_bytes, reply_max - sizeof(*rep));
	memset(rep, 0, sizeof(*rep));
	rep->next_cookie = r->cookie;
	sto_lock();
	h = sto_handle_find(ctx->src_node, r->handle);
	if (!h)
		rep->err = -EBADF;
	else if (!STO_S_ISDIR(h->inode->mode))
		rep->err = -ENOTDIR;
	else
		rep->nbytes = fst_getdents(h->inode, &rep->next_cookie, rep + 1, room);
	sto_unlock();
	return sizeof(*rep) + rep->nbytes;
}

/* ---- MKDIR, UNLINK, RENAME ---- */

/* MKDIR and MKNOD: a new inode of type (STO_S_IF*) at the request's path. */
static long sto_make_node(const void *req, size_t req_len, void *reply, size_t reply_max,
			  u32 type)
{
	const struct sto_path_req *r = req;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != r->path_len || !sto_now_ok(r->now) ||
	    sto_path_check(r->path, r->path_len, &status))
		return -EINVAL;
	if (!status) {
		sto_lock_at(r->now);
		status = fst_create(sto_store, sto_store->root, r->path, r->path_len,
				    type | (r->mode & 07777), NULL, 0, NULL);
		sto_unlock();
	}
	return sto_status(reply, status);
}

static long sto_rpc_mkdir(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			  void *reply, size_t reply_max)
{
	return sto_make_node(req, req_len, reply, reply_max, STO_S_IFDIR);
}

/* Only FIFOs and regular files: the store has no devices or sockets (-EPERM). */
static long sto_rpc_mknod(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			  void *reply, size_t reply_max)
{
	const struct sto_path_req *r = req;
	u32 type;

	if (req_len < sizeof(*r) || reply_max < sizeof(struct sto_status_reply))
		return -EINVAL;
	type = r->mode & STO_S_IFMT;
	if (type != STO_S_IFIFO && type != STO_S_IFREG)
		return sto_status(reply, -EPERM);
	return sto_make_node(req, req_len, reply, reply_max, type);
}

static long sto_rpc_unlink(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			   void *reply, size_t reply_max)
{
	const struct sto_path_req *r = req;
	int status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != r->path_len || !sto_now_ok(r->now) ||
	    sto_path_check(r->path, r->path_len, &status))
		return -EINVAL;
	if (!status && (r->flags & ~STO_AT_REMOVEDIR))
		status = -EINVAL;
	if (!status) {
		sto_lock_at(r->now);
		status = fst_remove(sto_store, sto_store->root, r->path, r->path_len,
				    r->flags & STO_AT_REMOVEDIR);
		sto_unlock();
	}
	return sto_status(reply, status);
}

static long sto_rpc_rename(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			   void *reply, size_t reply_max)
{
	const struct sto_rename_req *r = req;
	const char *new_path;
	int old_status, new_status, status;

	if (!sto_sizes_ok(req_len, sizeof(*r), reply_max, sizeof(struct sto_status_reply)) ||
	    req_len - sizeof(*r) != (u64)r->old_len + r->new_len || !sto_now_ok(r->now))
		return -EINVAL;
	new_path = r->paths + r->old_len;
	if (sto_path_check(r->paths, r->old_len, &old_status) ||
	    sto_path_check(new_path, r->new_len, &new_status))
		return -EINVAL;
	status = old_status ? old_status : new_status;
	if (!status) {
		sto_lock_at(r->now);
		status = fst_rename(sto_store, r->paths, r->old_len, new_path, r->new_len);
		sto_unlock();
	}
	return sto_status(reply, status);
}

/* ---- registration ---- */

static const struct {
	enum rpc_opcode op;
	rpc_handler_t fn;
} sto_rpc_table[] = {
	{ RPC_STO_OPEN, sto_rpc_open },
	{ RPC_STO_READ, sto_rpc_read },
	{ RPC_STO_WRITE, sto_rpc_write },
	{ RPC_STO_STAT, sto_rpc_stat },
	{ RPC_STO_GETDENTS, sto_rpc_getdents },
	{ RPC_STO_CLOSE, sto_rpc_close },
	{ RPC_STO_MKDIR, sto_rpc_mkdir },
	{ RPC_STO_UNLINK, sto_rpc_unlink },
	{ RPC_STO_RENAME, sto_rpc_rename },
	{ RPC_STO_TRUNCATE, sto_rpc_truncate },
	{ RPC_STO_READLINK, sto_rpc_readlink },
	{ RPC_STO_CHMOD, sto_rpc_chmod },
	{ RPC_STO_UTIMES, sto_rpc_utimes },
	{ RPC_STO_MKNOD, sto_rpc_mknod },
	{ RPC_STO_SYMLINK, sto_rpc_symlink },
};

int sto_register_handlers(void)
{
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(sto_rpc_table); i++) {
		err = rpc_register(sto_rpc_table[i].op, sto_rpc_table[i].fn);
		if (err)
			goto undo;
	}
	return 0;
undo:
	while (i--)
		rpc_unregister(sto_rpc_table[i].op);
	return err;
}
