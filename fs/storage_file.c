// SPDX-License-Identifier: GPL-2.0
/*
 * Files on the storage node: each open holds a storage handle, and every
 * operation is one or more RPCs (include/mosaic/storage.h). Reads and
 * writes move at most STO_IO_MAX bytes per message. Directory positions
 * are the storage manager's getdents cookies.
 *
 * Context: process context (the RPCs may sleep on a network transport).
 * Callers serialise position updates with file->pos_lock.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>

#include "internal.h"

struct storage_file {
	u64 handle;
	bool append;	/* the handle was opened with O_APPEND */
};

static int storage_node = -1;	/* -1: this node */

int fs_storage_node(void)
{
	return storage_node < 0 ? rpc_self_node() : storage_node;
}

void fs_set_storage_node(int node)
{
	storage_node = node;
}

static long sto_call(enum rpc_opcode op, const void *req, size_t len, void *reply, size_t max)
{
	return rpc_call(fs_storage_node(), op, req, len, reply, max);
}

/* A zeroed request of hdr bytes with path copied after it; *len is the total. */
static void *sto_path_request(size_t hdr, const char *path, size_t *len)
{
	size_t plen = strlen(path);
	u8 *req = kzalloc(hdr + plen);

	if (req)
		memcpy(req + hdr, path, plen);
	*len = hdr + plen;
	return req;
}

/* Send req (freed here) expecting a sto_status_reply: 0 or -errno. */
static int sto_status_call(enum rpc_opcode op, void *req, size_t len)
{
	struct sto_status_reply rep;
	long ret;

	if (!req)
		return -ENOMEM;
	ret = sto_call(op, req, len, &rep, sizeof(rep));
	kfree(req);
	return ret < 0 ? (int)ret : rep.err;
}

static void sto_stat_to_linux(const struct sto_stat *s, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = s->ino;
	st->st_nlink = s->nlink;
	st->st_mode = s->mode;
	st->st_size = (s64)s->size;
	st->st_blksize = 4096;
	st->st_blocks = (s64)s->blocks;
	st->st_atime = (u64)s->atime;
	st->st_mtime = (u64)s->mtime;
	st->st_ctime = (u64)s->ctime;
}

/* STAT by handle (path NULL) or by path. */
static int sto_stat_call(u64 handle, const char *path, bool follow, struct stat *st)
{
	struct sto_stat_reply rep;
	struct sto_stat_req *req;
	size_t len = sizeof(*req);
	long ret;

	req = path ? sto_path_request(sizeof(*req), path, &len) : kzalloc(len);
	if (!req)
		return -ENOMEM;
	req->handle = handle;
	req->path_len = (u32)(len - sizeof(*req));
	req->flags = follow ? 0 : STO_AT_SYMLINK_NOFOLLOW;
	ret = sto_call(RPC_STO_STAT, req, len, &rep, sizeof(rep));
	kfree(req);
	if (ret < 0)
		return (int)ret;
	if (!rep.err)
		sto_stat_to_linux(&rep.st, st);
	return rep.err;
}

int storage_stat(const char *path, bool follow, struct stat *st)
{
	return sto_stat_call(0, path, follow, st);
}

/* MKDIR or MKNOD of path with mode. */
static int sto_make_node(enum rpc_opcode op, const char *path, u32 mode)
{
	struct sto_path_req *req;
	size_t len;

	req = sto_path_request(sizeof(*req), path, &len);
	if (req) {
		req->mode = mode;
		req->now = sto_clock();
		req->path_len = (u32)(len - sizeof(*req));
	}
	return sto_status_call(op, req, len);
}

int storage_mkdir(const char *path, u32 mode)
{
	return sto_make_node(RPC_STO_MKDIR, path, mode & 07777);
}

int storage_mknod(const char *path, u32 mode)
{
	u32 type = mode & S_IFMT;

	if (type == 0)
		type = S_IFREG;		/* as Linux: no type means a regular file */
	if (type != S_IFIFO && type != S_IFREG)
		return -EPERM;		/* no devices or sockets in the store */
	return sto_make_node(RPC_STO_MKNOD, path, type | (mode & 07777));
}

int storage_unlink(const char *path, bool dir)
{
	struct sto_path_req *req;
	size_t len;

	req = sto_path_request(sizeof(*req), path, &len);
	if (req) {
		req->flags = dir ? STO_AT_REMOVEDIR : 0;
		req->now = sto_clock();
		req->path_len = (u32)(len - sizeof(*req));
	}
	return sto_status_call(RPC_STO_UNLINK, req, len);
}

int storage_rename(const char *old_path, const char *new_path)
{
	size_t old_len = strlen(old_path), new_len = strlen(new_path);
	struct sto_rename_req *req = kzalloc(sizeof(*req) + old_len + new_len);

	if (req) {
		req->old_len = (u32)old_len;
		req->new_len = (u32)new_len;
		req->now = sto_clock();
		memcpy(req->paths, old_path, old_len);
		memcpy(req->paths + old_len, new_path, new_len);
	}
	return sto_status_call(RPC_STO_RENAME, req, sizeof(*req) + old_len + new_len);
}

long storage_readlink(const char *path, char *buf, size_t size)
{
	size_t len, room = min(size, (size_t)STO_PATH_MAX);
	struct sto_readlink_reply *rep = kmalloc(sizeof(*rep) + room);
	struct sto_path_req *req = sto_path_request(sizeof(*req), path, &len);
	long ret = -ENOMEM;

	if (req && rep) {
		req->path_len = (u32)(len - sizeof(*req));
		ret = sto_call(RPC_STO_READLINK, req, len, rep, sizeof(*rep) + room);
		if (ret >= 0)
			ret = rep->err ? rep->err : (long)min((size_t)rep->len, room);
		if (ret > 0)
			memcpy(buf, rep->target, (size_t)ret);
	}
	kfree(req);
	kfree(rep);
	return ret;
}

int storage_truncate(const char *path, loff_t length)
{
	struct sto_truncate_req *req;
	size_t len;

	req = sto_path_request(sizeof(*req), path, &len);
	if (req) {
		req->length = (u64)length;
		req->now = sto_clock();
		req->path_len = (u32)(len - sizeof(*req));
	}
	return sto_status_call(RPC_STO_TRUNCATE, req, len);
}

int storage_symlink(const char *target, const char *path)
{
	size_t tlen = strlen(target), plen = strlen(path);
	struct sto_symlink_req *req = kzalloc(sizeof(*req) + tlen + plen);

	if (req) {
		req->target_len = (u32)tlen;
		req->now = sto_clock();
		req->path_len = (u32)plen;
		memcpy(req->strings, target, tlen);
		memcpy(req->strings + tlen, path, plen);
	}
	return sto_status_call(RPC_STO_SYMLINK, req, sizeof(*req) + tlen + plen);
}

int storage_chmod(const char *path, u32 mode)
{
	struct sto_chmod_req *req;
	size_t len;

	req = sto_path_request(sizeof(*req), path, &len);
	if (req) {
		req->mode = mode & 07777;
		req->now = sto_clock();
		req->path_len = (u32)(len - sizeof(*req));
	}
	return sto_status_call(RPC_STO_CHMOD, req, len);
}

/* UTIMES by handle (path NULL) or by path, with the times of the template. */
static int sto_utimes_call(u64 handle, const char *path, bool follow,
			   const struct sto_utimes_req *times)
{
	struct sto_utimes_req *req;
	size_t len = sizeof(*req);

	req = path ? sto_path_request(sizeof(*req), path, &len) : kzalloc(len);
	if (req) {
		req->handle = handle;
		req->atime = times->atime;
		req->mtime = times->mtime;
		req->atime_how = times->atime_how;
		req->mtime_how = times->mtime_how;
		req->flags = follow ? 0 : STO_AT_SYMLINK_NOFOLLOW;
		req->now = sto_clock();
		req->path_len = (u32)(len - sizeof(*req));
	}
	return sto_status_call(RPC_STO_UTIMES, req, len);
}

int storage_utimes(const char *path, bool follow, const struct sto_utimes_req *times)
{
	return sto_utimes_call(0, path, follow, times);
}

/* ---- file operations ---- */

static u64 sto_handle_of(struct file *f)
{
	return ((struct storage_file *)f->private_data)->handle;
}

/* One READ message: bytes read (0 at end of file) or -errno. */
static long sto_read_once(u64 handle, char *buf, size_t len, loff_t pos)
{
	struct sto_io_req req = { .handle = handle, .offset = (u64)pos, .len = (u32)len,
				  .now = sto_clock() };
	struct sto_read_reply *rep = kmalloc(sizeof(*rep) + len);
	long ret;

	if (!rep)
		return -ENOMEM;
	ret = sto_call(RPC_STO_READ, &req, sizeof(req), rep, sizeof(*rep) + len);
	if (ret >= 0)
		ret = rep->err ? rep->err : (long)min((size_t)rep->len, len);
	if (ret > 0)
		memcpy(buf, rep->data, (size_t)ret);
	kfree(rep);
	return ret;
}

static long sto_read(struct file *f, char *buf, size_t len, loff_t *pos)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = min(len - done, (size_t)STO_IO_MAX);
		long n = sto_read_once(sto_handle_of(f), buf + done, chunk, *pos);

		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		*pos += n;
		if ((size_t)n < chunk)
			break;
	}
	return (long)done;
}

/* One WRITE message at pos: bytes written, with *pos moved past them. */
static long sto_write_once(u64 handle, const char *buf, size_t len, loff_t *pos)
{
	struct sto_io_req *req = kmalloc(sizeof(*req) + len);
	struct sto_write_reply rep;
	long ret;

	if (!req)
		return -ENOMEM;
	*req = (struct sto_io_req){ .handle = handle, .offset = (u64)*pos, .len = (u32)len,
				    .now = sto_clock() };
	memcpy(req->data, buf, len);
	ret = sto_call(RPC_STO_WRITE, req, sizeof(*req) + len, &rep, sizeof(rep));
	kfree(req);
	if (ret >= 0)
		ret = rep.err ? rep.err : (long)rep.len;
	if (ret > 0)
		*pos = (loff_t)(rep.offset + rep.len);
	return ret;
}

/* O_APPEND set later with F_SETFL: the handle does not append, so aim at the end. */
static int sto_seek_end_for_append(struct file *f, loff_t *pos)
{
	struct stat st;
	int err;

	if (!(f->flags & O_APPEND) || ((struct storage_file *)f->private_data)->append)
		return 0;
	err = sto_stat_call(sto_handle_of(f), NULL, true, &st);
	if (!err)
		*pos = st.st_size;
	return err;
}

static long sto_write(struct file *f, const char *buf, size_t len, loff_t *pos)
{
	size_t done = 0;
	int err = sto_seek_end_for_append(f, pos);

	if (err)
		return err;
	while (done < len) {
		size_t chunk = min(len - done, (size_t)STO_IO_MAX);
		long n = sto_write_once(sto_handle_of(f), buf + done, chunk, pos);

		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return (long)done;
}

static int sto_fstat(struct file *f, struct stat *st)
{
	return sto_stat_call(sto_handle_of(f), NULL, true, st);
}

static loff_t sto_llseek(struct file *f, loff_t offset, int whence)
{
	struct stat st;
	loff_t base;
	int err;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		err = sto_fstat(f, &st);
		if (err)
			return err;
		base = st.st_size;
		break;
	default:
		return -EINVAL;
	}
	if ((offset > 0 && base > LONG_MAX - offset) || base + offset < 0)
		return -EINVAL;
	/* A directory position is a getdents cookie: only 0 (rewind) or a d_off fits. */
	f->pos = base + offset;
	return f->pos;
}

/*
 * Rewrite sto_dirent records (in_len bytes) in place as linux_dirent64
 * records (never longer), as many as fit in out_max bytes. *cookie becomes
 * the position after the last one converted. Returns the bytes produced.
 */
static size_t sto_dirents_to_linux(u8 *buf, size_t in_len, size_t out_max, u64 *cookie)
{
	const size_t hdr = offsetof(struct sto_dirent, name);
	size_t in = 0, out = 0;

	while (in + hdr <= in_len) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + out);
		struct sto_dirent src;
		size_t reclen;

		memcpy(&src, buf + in, hdr);	/* d may overlap it */
		if (src.reclen < hdr + src.name_len + 1 || in + src.reclen > in_len)
			break;
		reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + src.name_len + 1,
				  (size_t)8);
		if (out + reclen > out_max)
			break;
		memmove(d->d_name, buf + in + hdr, src.name_len);
		d->d_name[src.name_len] = '\0';
		d->d_ino = src.ino;
		d->d_off = (s64)src.next_cookie;
		d->d_reclen = (u16)reclen;
		d->d_type = src.type;
		*cookie = src.next_cookie;
		in += src.reclen;
		out += reclen;
	}
	return out;
}

/* Room for any one record (a 255-byte name). */
#define STO_DIRENT_MAX ALIGN_UP(sizeof(struct sto_dirent) + STO_NAME_MAX + 1, 8)

/*
 * Storage records are up to 8 bytes longer than Linux's, so ask for twice
 * the room (and at least one record's worth) and keep what fits in len:
 * no reply is then empty unless the directory is at its end. The reply
 * stays within RPC_MAX_PAYLOAD: a remote storage node refuses more (glibc
 * reads directories 32 KiB at a time).
 */
static long sto_getdents(struct file *f, void *buf, size_t len)
{
	size_t ask = min(max(2 * len, (size_t)STO_DIRENT_MAX),
			 RPC_MAX_PAYLOAD - sizeof(struct sto_getdents_reply));
	struct sto_getdents_req req = { .handle = sto_handle_of(f), .cookie = (u64)f->pos,
					.max_bytes = (u32)ask };
	struct sto_getdents_reply *rep = kmalloc(sizeof(*rep) + ask);
	u64 cookie = (u64)f->pos;
	long ret;

	if (!rep)
		return -ENOMEM;
	ret = sto_call(RPC_STO_GETDENTS, &req, sizeof(req), rep, sizeof(*rep) + ask);
	if (ret >= 0 && rep->err)
		ret = rep->err;
	if (ret >= 0) {
		u32 nbytes = min(rep->nbytes, (u32)ask);

		ret = (long)sto_dirents_to_linux((u8 *)(rep + 1), nbytes, len, &cookie);
		if (!ret && nbytes)
			ret = -EINVAL;	/* the next entry does not fit in len */
		memcpy(buf, rep + 1, (size_t)max(ret, 0L));
		f->pos = (loff_t)cookie;
	}
	kfree(rep);
	return ret;
}

static void sto_release(struct file *f)
{
	struct storage_file *sf = f->private_data;
	struct sto_status_reply rep;
	struct sto_handle_req req = { .handle = sf->handle };

	sto_call(RPC_STO_CLOSE, &req, sizeof(req), &rep, sizeof(rep));
	kfree(sf);
}

static const struct file_operations storage_fops = {
	.read = sto_read,
	.write = sto_write,
	.llseek = sto_llseek,
	.fstat = sto_fstat,
	.getdents = sto_getdents,
	.release = sto_release,
};

static bool is_storage_file(const struct file *f)
{
	return f->f_op == &storage_fops;
}

int storage_ftruncate(struct file *f, loff_t length)
{
	struct sto_truncate_req *req;

	if (!is_storage_file(f) || S_ISDIR(f->type))
		return -EINVAL;
	req = kzalloc(sizeof(*req));
	if (req) {
		req->handle = sto_handle_of(f);
		req->length = (u64)length;
		req->now = sto_clock();
	}
	return sto_status_call(RPC_STO_TRUNCATE, req, sizeof(*req));
}

int storage_fchmod(struct file *f, u32 mode)
{
	struct sto_chmod_req *req;

	if (!is_storage_file(f))
		return 0;	/* a pipe or device: nothing stored to change */
	req = kzalloc(sizeof(*req));
	if (req) {
		req->handle = sto_handle_of(f);
		req->mode = mode & 07777;
		req->now = sto_clock();
	}
	return sto_status_call(RPC_STO_CHMOD, req, sizeof(*req));
}

int storage_futimes(struct file *f, const struct sto_utimes_req *times)
{
	if (!is_storage_file(f))
		return 0;	/* a pipe or device: no times kept */
	return sto_utimes_call(sto_handle_of(f), NULL, true, times);
}

bool storage_file_syncable(const struct file *f)
{
	return is_storage_file(f);
}

/* The OPEN flags the storage manager understands. */
#define STO_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY | \
			O_NOFOLLOW)

/* OPEN: the reply, or -errno. */
static int sto_open_call(const char *path, unsigned int flags, u32 mode,
			 struct sto_open_reply *rep)
{
	struct sto_open_req *req;
	size_t len;
	long ret;

	req = sto_path_request(sizeof(*req), path, &len);
	if (!req)
		return -ENOMEM;
	req->flags = flags & STO_OPEN_FLAGS;
	req->mode = mode & 07777;
	req->now = sto_clock();
	req->path_len = (u32)(len - sizeof(*req));
	ret = sto_call(RPC_STO_OPEN, req, len, rep, sizeof(*rep));
	kfree(req);
	return ret < 0 ? (int)ret : rep->err;
}

struct file *storage_open(const char *path, unsigned int flags, u32 mode)
{
	struct sto_open_reply rep;
	struct storage_file *sf;
	struct file *f;
	int err = sto_open_call(path, flags, mode, &rep);

	if (err)
		return ERR_PTR(err);
	if (S_ISFIFO(rep.mode))	/* a name only: the data is a pipe here */
		return fifo_open(fs_storage_node(), rep.ino, flags & ~(O_CREAT | O_EXCL | O_TRUNC),
				 path);
	sf = kzalloc(sizeof(*sf));
	f = sf ? file_alloc(&storage_fops, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC),
			    rep.mode & S_IFMT, path, sf) : NULL;
	if (!f) {
		struct sto_handle_req req = { .handle = rep.handle };
		struct sto_status_reply st;

		sto_call(RPC_STO_CLOSE, &req, sizeof(req), &st, sizeof(st));
		kfree(sf);
		return ERR_PTR(-ENOMEM);
	}
	sf->handle = rep.handle;
	sf->append = flags & O_APPEND;
	return f;
}
