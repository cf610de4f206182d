// SPDX-License-Identifier: GPL-2.0
/*
 * The RPC_MEM_EXEC handler (message in include/mosaic/memory.h): parse the
 * request, open the program on the storage node, check everything that can
 * be checked while the old image still stands (permissions, ELF headers,
 * argument size), then replace the sender's address space with a fresh one
 * and load the program into it. A load that fails past that point leaves no
 * address space behind.
 *
 * Context: thread context (RPC handlers may sleep); no lock is held across
 * the storage calls.
 */
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#include "exec.h"
#include "exec_rpc.h"
#include "stack.h"

/*
 * Would the strings and vectors fit the stack's argument limit? The same
 * sum stack_build() makes, with the largest auxv: the strings are the
 * message's byte area (argv, envp, and the path again as AT_EXECFN).
 */
static int exec_args_fit(const struct exec_msg *msg, size_t strings_bytes)
{
	u64 words = 1 + ((u64)msg->argc + 1) + ((u64)msg->envc + 1) + 2 * (EXEC_MAX_AUX + 3);

	return strings_bytes + words * 8 > STACK_ARGS_MAX ? -E2BIG : 0;
}

/* The ELF headers, checked before the old image goes: -ENOEXEC keeps it. */
static int exec_check_elf(const struct exec_file *f, const char *path)
{
	struct elf_info *info = kmalloc(sizeof(*info));
	int err;

	if (!info)
		return -ENOMEM;
	err = elf_parse(&f->reader, info);
	if (err == -ENOEXEC)
		pr_warn("exec %s: %s\n", path, info->error);
	kfree(info);
	return err;
}

static void exec_fill_args(const struct exec_msg *msg, const struct image_key *image,
			   struct exec_args *args)
{
	*args = (struct exec_args){ .argv = msg->argv, .argc = msg->argc, .envp = msg->envp,
				    .envc = msg->envc, .execfn = msg->path, .hwcap = msg->hwcap,
				    .image = image };
	memcpy(args->random, msg->random, sizeof(args->random));
}

/* Past the point of no return: drop the old space, load into a new one. */
static int exec_replace_image(int node, const struct exec_msg *msg, const struct exec_file *f,
			      struct mem_exec_reply *out)
{
	const struct image_key image = { .node = f->node, .ino = f->ino, .version = f->version };
	struct exec_args args;
	struct exec_result res;
	struct mem_space *ms;
	int err;

	mem_space_destroy(node, msg->tgid);	/* -ESRCH: a first exec */
	ms = mem_space_create(node, msg->tgid);
	if (IS_ERR(ms))
		return PTR_ERR(ms);
	exec_fill_args(msg, &image, &args);
	err = mem_exec_load(ms, &f->reader, &args, &res);
	if (err) {
		mem_space_destroy(node, msg->tgid);
	} else {
		out->entry = res.entry;
		out->sp = res.sp;
		out->brk = mem_brk(ms, 0);	/* a refused brk returns the current break */
	}
	mem_space_put(ms);
	return err;
}

static int exec_run(int node, const struct exec_msg *msg, size_t strings_bytes,
		    struct mem_exec_reply *out)
{
	struct exec_file f;
	int err = exec_args_fit(msg, strings_bytes);

	if (err)
		return err;
	err = exec_file_open(&f, msg->path);
	if (err)
		return err;
	err = exec_check_elf(&f, msg->path);
	if (!err)
		err = exec_replace_image(node, msg, &f, out);
	exec_file_close(&f);
	return err;
}

long rpc_mem_exec(const struct rpc_ctx *ctx, const void *req, size_t req_len, void *reply,
		  size_t reply_max)
{
	struct mem_exec_reply *out = reply;
	struct exec_msg msg;
	int err;

	if (reply_max < sizeof(*out))
		return -EINVAL;
	err = exec_msg_parse(req, req_len, &msg);
	if (err == -EINVAL)
		return -EINVAL;
	*out = (struct mem_exec_reply){ 0 };
	if (!err) {
		err = exec_run(ctx->src_node, &msg, req_len - MEM_EXEC_REQ_HDR, out);
		exec_msg_release(&msg);
	}
	out->status = err;
	return sizeof(*out);
}
