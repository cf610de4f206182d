// SPDX-License-Identifier: GPL-2.0
/*
 * A program file read from the storage node for exec (interface in
 * exec_rpc.h): OPEN it read-only, check Linux's exec permission rules,
 * serve the loader's reads with READ calls of at most STO_IO_MAX bytes,
 * CLOSE it at the end. The storage node comes from mosaic.storage_node=,
 * else mosaic.storage= (net/cluster.c), else this node.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "exec_rpc.h"

static int storage_node = -1;	/* -1: rpc_storage_node() */

static int set_storage_node(const char *val, const struct kernel_param *kp)
{
	unsigned int node;
	int err = param_parse_uint_range(val, 0, RPC_MAX_NODES - 1, &node);

	if (!err)
		storage_node = (int)node;
	return err;
}
KERNEL_PARAM("mosaic.storage_node", set_storage_node, NULL,
	     "node of the storage manager that exec reads programs from (default mosaic.storage=)");

int exec_storage_node(void)
{
	return storage_node < 0 ? rpc_storage_node() : storage_node;
}

#define EXEC_IO_BUF (sizeof(struct sto_read_reply) + STO_IO_MAX)

/* One READ of at most STO_IO_MAX bytes: the count (0 at end of file) or -errno. */
static long exec_file_read_chunk(const struct exec_file *f, u64 offset, void *buf, size_t len)
{
	struct sto_io_req req = { .handle = f->handle, .offset = offset,
				  .len = min(len, (size_t)STO_IO_MAX), .now = sto_clock() };
	struct sto_read_reply *rep = f->io_buf;
	u64 t = profile_start();
	long n = rpc_call(f->node, RPC_STO_READ, &req, sizeof(req), rep, EXEC_IO_BUF);

	profile_end(PROF_exec_read, t);
	if (n < 0)
		return n;
	if ((size_t)n < sizeof(*rep) || rep->len > req.len || n != (long)(sizeof(*rep) + rep->len))
		return -EIO;		/* a reply that does not add up */
	if (rep->err)
		return rep->err;
	memcpy(buf, rep->data, rep->len);
	return rep->len;
}

static long exec_file_read(const struct file_reader *r, u64 offset, void *buf, size_t len)
{
	const struct exec_file *f = r->priv;
	size_t done = 0;

	while (done < len) {
		long n = exec_file_read_chunk(f, offset + done, (u8 *)buf + done, len - done);

		if (n < 0)
			return n;
		if (n == 0)
			break;		/* end of file: a short read */
		done += n;
	}
	return done;
}

static const struct file_reader_ops exec_file_ops = { .read = exec_file_read };

/* OPEN path read-only: 0 and the reply, an operation -errno, or a transport -errno. */
static int exec_file_rpc_open(struct exec_file *f, const char *path, struct sto_open_reply *rep)
{
	size_t len = strlen(path);
	struct sto_open_req *req = kmalloc(sizeof(*req) + len);
	long n;

	if (!req)
		return -ENOMEM;
	*req = (struct sto_open_req){ .flags = STO_O_RDONLY, .path_len = len,
				     .now = sto_clock() };
	memcpy(req->path, path, len);
	n = rpc_call(f->node, RPC_STO_OPEN, req, sizeof(*req) + len, rep, sizeof(*rep));
	kfree(req);
	if (n < 0)
		return n;
	if (n != sizeof(*rep))
		return -EIO;
	return rep->err;
}

/* Linux: a regular file with at least one execute bit (root ignores the rest). */
static int exec_permission(u32 mode)
{
	if (!STO_S_ISREG(mode) || !(mode & 0111))
		return -EACCES;
	return 0;
}

static void exec_file_rpc_close(struct exec_file *f)
{
	struct sto_handle_req req = { .handle = f->handle };
	struct sto_status_reply rep;

	if (rpc_call(f->node, RPC_STO_CLOSE, &req, sizeof(req), &rep, sizeof(rep)) < 0 || rep.err)
		pr_warn("exec: closing storage handle %llx failed\n", f->handle);
}

int exec_file_open(struct exec_file *f, const char *path)
{
	struct sto_open_reply rep;
	int err;

	u64 t = profile_start();

	*f = (struct exec_file){ .node = exec_storage_node() };
	err = exec_file_rpc_open(f, path, &rep);
	profile_end(PROF_exec_open, t);
	if (err)
		return err;
	f->handle = rep.handle;
	f->mode = rep.mode;
	f->ino = rep.ino;
	f->version = rep.version;
	err = exec_permission(rep.mode);
	if (!err) {
		f->io_buf = kmalloc(EXEC_IO_BUF);
		err = f->io_buf ? 0 : -ENOMEM;
	}
	if (err) {
		exec_file_rpc_close(f);
		return err;
	}
	f->reader = (struct file_reader){ .ops = &exec_file_ops, .priv = f, .size = rep.size };
	return 0;
}

void exec_file_close(struct exec_file *f)
{
	exec_file_rpc_close(f);
	kfree(f->io_buf);
	f->io_buf = NULL;
}
