// SPDX-License-Identifier: GPL-2.0
/*
 * The EXEC request's wire format (struct mem_exec_req in
 * include/mosaic/memory.h): mem_exec_pack() for the processor that sends
 * it, exec_msg_parse() for the memory manager that receives it. The parser
 * trusts nothing: every string must end inside the message and the strings
 * must fill the byte area exactly.
 */
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "exec_rpc.h"

/* ---- packing ---- */

struct pack_cursor {
	char *pos;
	size_t room;
	u32 count;
};

/* Append one string with its NUL: 0, or -E2BIG when it does not fit. */
static int pack_string(struct pack_cursor *c, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > c->room)
		return -E2BIG;
	memcpy(c->pos, s, n);
	c->pos += n;
	c->room -= n;
	c->count++;
	return 0;
}

/* Append a NULL-terminated vector; c->count ends as its length. */
static int pack_vector(struct pack_cursor *c, const char *const *v)
{
	c->count = 0;
	for (; v && *v; v++)
		if (pack_string(c, *v))
			return -E2BIG;
	return 0;
}

long mem_exec_pack(void *buf, size_t max, u32 tgid, const char *path,
		   const char *const *argv, const char *const *envp,
		   const u8 random[16], u64 hwcap)
{
	struct mem_exec_req *req = buf;
	size_t path_len = strnlen(path, STO_PATH_MAX);
	struct pack_cursor c;

	if (!path_len)
		return -ENOENT;
	if (path_len >= STO_PATH_MAX)
		return -ENAMETOOLONG;
	max = min(max, (size_t)RPC_MAX_PAYLOAD);
	if (max < sizeof(*req))
		return -E2BIG;
	c = (struct pack_cursor){ .pos = req->strings, .room = max - sizeof(*req) };
	if (pack_string(&c, path))
		return -E2BIG;
	*req = (struct mem_exec_req){ .tgid = tgid, .path_len = path_len, .hwcap = hwcap };
	memcpy(req->random, random, sizeof(req->random));
	if (pack_vector(&c, argv))
		return -E2BIG;
	req->argc = c.count;
	if (pack_vector(&c, envp))
		return -E2BIG;
	req->envc = c.count;
	return c.pos - (char *)buf;
}

/* ---- parsing ---- */

/*
 * Point vec[0..n-1] at n consecutive strings starting at *pos, none past
 * end; *pos moves past them. false when one has no NUL before end.
 */
static bool parse_strings(const char **pos, const char *end, const char **vec, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		size_t len = strnlen(*pos, end - *pos);

		if (len == (size_t)(end - *pos))
			return false;
		vec[i] = *pos;
		*pos += len + 1;
	}
	vec[n] = NULL;
	return true;
}

static bool parse_path(const struct mem_exec_req *r, const char *end)
{
	size_t room = end - r->strings;

	return r->path_len && r->path_len < STO_PATH_MAX && r->path_len < room &&
	       r->strings[0] == '/' && strnlen(r->strings, room) == r->path_len;
}

int exec_msg_parse(const void *req, size_t len, struct exec_msg *msg)
{
	const struct mem_exec_req *r = req;
	const char *end = (const char *)req + len, *pos;
	size_t area = len - sizeof(*r);

	if (len < sizeof(*r) || !parse_path(r, end))
		return -EINVAL;
	/* Each string takes at least one byte: larger counts cannot add up. */
	if (r->argc > area || r->envc > area - r->argc)
		return -EINVAL;
	msg->argv = kmalloc(((size_t)r->argc + r->envc + 2) * sizeof(char *));
	if (!msg->argv)
		return -ENOMEM;
	msg->envp = msg->argv + r->argc + 1;
	pos = r->strings + r->path_len + 1;
	if (!parse_strings(&pos, end, msg->argv, r->argc) ||
	    !parse_strings(&pos, end, msg->envp, r->envc) || pos != end) {
		exec_msg_release(msg);
		return -EINVAL;
	}
	msg->tgid = r->tgid;
	msg->path = r->strings;
	msg->argc = r->argc;
	msg->envc = r->envc;
	msg->random = r->random;
	msg->hwcap = r->hwcap;
	return 0;
}

void exec_msg_release(struct exec_msg *msg)
{
	kfree(msg->argv);
	msg->argv = msg->envp = NULL;
}
