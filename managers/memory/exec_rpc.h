/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EXEC message on the memory side (private to managers/memory):
 *   exec_msg.c   - mem_exec_pack() and exec_msg_parse(): the wire format of
 *                  struct mem_exec_req (include/mosaic/memory.h)
 *   exec_file.c  - a struct file_reader over a storage-node file (OPEN,
 *                  READ in STO_IO_MAX chunks, CLOSE through RPC)
 *   exec_rpc.c   - the RPC_MEM_EXEC handler
 */
#ifndef _MEMORY_EXEC_RPC_H
#define _MEMORY_EXEC_RPC_H

#include <mosaic/rpc.h>

#include "elf.h"

/* A parsed request: pointers into the request itself plus two arrays. */
struct exec_msg {
	u32 tgid;
	const char *path;
	const char **argv;	/* argc entries, then NULL (one allocation with envp) */
	u32 argc;
	const char **envp;	/* envc entries, then NULL */
	u32 envc;
	const u8 *random;
	u64 hwcap;
};

/*
 * Check a request of len bytes and fill msg: 0, -EINVAL (malformed), or
 * -ENOMEM. req must outlive msg. Free with exec_msg_release().
 */
int exec_msg_parse(const void *req, size_t len, struct exec_msg *msg);
void exec_msg_release(struct exec_msg *msg);

/* ---- a program file on the storage node ---- */
struct exec_file {
	struct file_reader reader;	/* reads through RPC_STO_READ */
	int node;			/* the storage node */
	u64 handle;
	u32 mode;			/* type and permission bits */
	u64 ino, version;		/* which contents (the image cache's key) */
	void *io_buf;			/* one READ reply (header + STO_IO_MAX) */
};

/* The storage node exec reads from (mosaic.storage_node=, default 0). */
int exec_storage_node(void);

/*
 * Open path (NUL-terminated, absolute) read-only on the storage node and
 * check it may be executed: 0, -ENOENT (and the other lookup errors of
 * OPEN: -ENOTDIR, -ELOOP, -ENAMETOOLONG), -EACCES (not a regular file, or
 * no execute bit at all), -ENOMEM, or the transport's error.
 * Context: may sleep (RPC). Close with exec_file_close().
 */
int exec_file_open(struct exec_file *f, const char *path);
void exec_file_close(struct exec_file *f);

long rpc_mem_exec(const struct rpc_ctx *ctx, const void *req, size_t req_len, void *reply,
		  size_t reply_max);

#endif
