// SPDX-License-Identifier: GPL-2.0
/* Test-only storage RPC client: see ktest_client.h. */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>
#include <mosaic/string.h>

#include "ktest_client.h"

static long kt_call(enum rpc_opcode op, const void *req, size_t len, void *reply, size_t max)
{
	return rpc_call(rpc_self_node(), op, req, len, reply, max);
}

/* A request of hdr bytes followed by path; the path's length goes in *path_len. */
static void *kt_path_req(size_t hdr, const char *path, size_t path_off, size_t *len)
{
	size_t plen = strlen(path);
	u8 *r = kzalloc(hdr + plen);

	if (!r)
		return NULL;
	*(u32 *)(r + path_off) = (u32)plen;
	memcpy(r + hdr, path, plen);
	*len = hdr + plen;
	return r;
}

static long kt_status_call(enum rpc_opcode op, void *req, size_t len)
{
	struct sto_status_reply rep;
	long ret;

	if (!req)
		return -ENOMEM;
	ret = kt_call(op, req, len, &rep, sizeof(rep));
	kfree(req);
	return ret < 0 ? ret : rep.err;
}

long kt_open(const char *path, u32 flags, u32 mode, u64 *handle)
{
	struct sto_open_reply rep;
	struct sto_open_req *r;
	size_t len = 0;
	long ret;

	r = kt_path_req(sizeof(*r), path, offsetof(struct sto_open_req, path_len), &len);
	if (!r)
		return -ENOMEM;
	r->flags = flags;
	r->mode = mode;
	r->now = sto_clock();
	ret = kt_call(RPC_STO_OPEN, r, len, &rep, sizeof(rep));
	kfree(r);
	if (ret < 0)
		return ret;
	*handle = rep.handle;
	return rep.err;
}

long kt_close(u64 handle)
{
	struct sto_handle_req r = { .handle = handle };
	struct sto_status_reply rep;
	long ret = kt_call(RPC_STO_CLOSE, &r, sizeof(r), &rep, sizeof(rep));

	return ret < 0 ? ret : rep.err;
}

long kt_read(u64 handle, u64 off, void *buf, u32 len)
{
	struct sto_io_req r = { .handle = handle, .offset = off, .len = len, .now = sto_clock() };
	struct sto_read_reply *rep = kmalloc(sizeof(*rep) + len);
	long ret;

	if (!rep)
		return -ENOMEM;
	ret = kt_call(RPC_STO_READ, &r, sizeof(r), rep, sizeof(*rep) + len);
	if (ret >= 0)
		ret = rep->err ? rep->err : (long)rep->len;
	if (ret > 0)
		memcpy(buf, rep->data, ret);
	kfree(rep);
	return ret;
}

long kt_write(u64 handle, u64 off, const void *buf, u32 len)
{
	struct sto_io_req *r = kzalloc(sizeof(*r) + len);
	struct sto_write_reply rep;
	long ret;

	if (!r)
		return -ENOMEM;
	r->handle = handle;
	r->offset = off;
	r->len = len;
	r->now = sto_clock();
	memcpy(r->data, buf, len);
	ret = kt_call(RPC_STO_WRITE, r, sizeof(*r) + len, &rep, sizeof(rep));
	kfree(r);
	if (ret < 0)
		return ret;
	return rep.err ? rep.err : (long)rep.len;
}

static long kt_stat_call(struct sto_stat_req *r, size_t len, struct sto_stat *st)
{
	struct sto_stat_reply rep;
	long ret;

	if (!r)
		return -ENOMEM;
	ret = kt_call(RPC_STO_STAT, r, len, &rep, sizeof(rep));
	kfree(r);
	if (ret < 0)
		return ret;
	*st = rep.st;
	return rep.err;
}

long kt_stat(const char *path, u32 flags, struct sto_stat *st)
{
	size_t len = 0;
	struct sto_stat_req *r = kt_path_req(sizeof(*r), path,
					     offsetof(struct sto_stat_req, path_len), &len);

	if (r)
		r->flags = flags;
	return kt_stat_call(r, len, st);
}

long kt_fstat(u64 handle, struct sto_stat *st)
{
	struct sto_stat_req *r = kzalloc(sizeof(*r));

	if (r)
		r->handle = handle;
	return kt_stat_call(r, sizeof(*r), st);
}

long kt_mkdir(const char *path)
{
	size_t len = 0;
	struct sto_path_req *r = kt_path_req(sizeof(*r), path,
					     offsetof(struct sto_path_req, path_len), &len);

	if (r) {
		r->mode = 0755;
		r->now = sto_clock();
	}
	return kt_status_call(RPC_STO_MKDIR, r, len);
}

long kt_unlink(const char *path, u32 flags)
{
	size_t len = 0;
	struct sto_path_req *r = kt_path_req(sizeof(*r), path,
					     offsetof(struct sto_path_req, path_len), &len);

	if (r) {
		r->flags = flags;
		r->now = sto_clock();
	}
	return kt_status_call(RPC_STO_UNLINK, r, len);
}

long kt_rename(const char *old, const char *new)
{
	size_t olen = strlen(old), nlen = strlen(new);
	struct sto_rename_req *r = kzalloc(sizeof(*r) + olen + nlen);

	if (r) {
		r->old_len = olen;
		r->new_len = nlen;
		r->now = sto_clock();
		memcpy(r->paths, old, olen);
		memcpy(r->paths + olen, new, nlen);
	}
	return kt_status_call(RPC_STO_RENAME, r, sizeof(*r) + olen + nlen);
}

long kt_truncate(const char *path, u64 handle, u64 length)
{
	size_t len = sizeof(struct sto_truncate_req);
	struct sto_truncate_req *r;

	if (path)
		r = kt_path_req(sizeof(*r), path, offsetof(struct sto_truncate_req, path_len),
				&len);
	else
		r = kzalloc(len);
	if (r) {
		r->handle = handle;
		r->length = length;
		r->now = sto_clock();
	}
	return kt_status_call(RPC_STO_TRUNCATE, r, len);
}

long kt_getdents(u64 handle, u64 *cookie, void *buf, u32 max)
{
	struct sto_getdents_req r = { .handle = handle, .cookie = *cookie, .max_bytes = max };
	struct sto_getdents_reply *rep = kmalloc(sizeof(*rep) + max);
	long ret;

	if (!rep)
		return -ENOMEM;
	ret = kt_call(RPC_STO_GETDENTS, &r, sizeof(r), rep, sizeof(*rep) + max);
	if (ret >= 0)
		ret = rep->err ? rep->err : (long)rep->nbytes;
	if (ret > 0) {
		memcpy(buf, rep + 1, ret);
		*cookie = rep->next_cookie;
	}
	kfree(rep);
	return ret;
}

long kt_slurp(const char *path, char *buf, u32 max)
{
	u64 h;
	long n = kt_open(path, STO_O_RDONLY, 0, &h);

	if (n)
		return n;
	n = kt_read(h, 0, buf, max - 1);
	kt_close(h);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

long kt_put(const char *path, const char *text)
{
	u64 h;
	long n = kt_open(path, STO_O_WRONLY | STO_O_CREAT | STO_O_TRUNC, 0644, &h);

	if (n)
		return n;
	n = kt_write(h, 0, text, strlen(text));
	kt_close(h);
	return n;
}
