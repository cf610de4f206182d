// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `exec`: the RPC_MEM_EXEC handler end to end through the local
 * transport. Programs are small static ELF images built here and written
 * into the storage manager's store with its own RPCs; the tests exec them
 * with rpc_call() to this node, then look at the result through MISS.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/rpc.h>
#include <mosaic/storage.h>
#include <mosaic/string.h>

#include "elf.h"
#include "space.h"

#define KT_DIR		"/ktest-exec"
#define KT_PROG		KT_DIR "/prog"
#define KT_PROG2	KT_DIR "/prog2"
#define KT_PROG_LEN	(sizeof(KT_PROG) - 1)
#define KT_TGID		700
#define KT_CODE_OFF	0x200			/* the entry point's offset in the image */
#define KT_IMAGE_SIZE	0x300

/* ---- storage helpers ---- */

static long kt_sto_open(const char *path, u32 flags, u32 mode, u64 *handle)
{
	struct { struct sto_open_req r; char path[64]; } req;
	struct sto_open_reply rep;
	size_t len = strlen(path);
	long n;

	req.r = (struct sto_open_req){ .flags = flags, .mode = mode, .path_len = len,
				      .now = sto_clock() };
	memcpy(req.path, path, len);
	n = rpc_call(rpc_self_node(), RPC_STO_OPEN, &req, sizeof(req.r) + len, &rep, sizeof(rep));
	if (n < 0)
		return n;
	*handle = rep.handle;
	return rep.err;
}

static void kt_sto_close(u64 handle)
{
	struct sto_handle_req req = { .handle = handle };
	struct sto_status_reply rep;

	rpc_call(rpc_self_node(), RPC_STO_CLOSE, &req, sizeof(req), &rep, sizeof(rep));
}

/* Create or truncate path with mode and write len bytes (len <= 1 KiB). */
static long kt_put_file(const char *path, u32 mode, const void *data, u32 len)
{
	struct { struct sto_io_req r; u8 data[1024]; } req;
	struct sto_write_reply rep;
	u64 handle;
	long err = kt_sto_open(path, STO_O_WRONLY | STO_O_CREAT | STO_O_TRUNC, mode, &handle);

	if (err)
		return err;
	req.r = (struct sto_io_req){ .handle = handle, .len = len, .now = sto_clock() };
	memcpy(req.data, data, len);
	err = rpc_call(rpc_self_node(), RPC_STO_WRITE, &req, sizeof(req.r) + len, &rep, sizeof(rep));
	kt_sto_close(handle);
	return err < 0 ? err : rep.err;
}

static void kt_mkdir(const char *path)
{
	struct { struct sto_path_req r; char path[64]; } req;
	struct sto_status_reply rep;
	size_t len = strlen(path);

	req.r = (struct sto_path_req){ .mode = 0755, .path_len = len, .now = sto_clock() };
	memcpy(req.path, path, len);
	rpc_call(rpc_self_node(), RPC_STO_MKDIR, &req, sizeof(req.r) + len, &rep, sizeof(rep));
}

/* ---- programs ---- */

static u8 kt_image[KT_IMAGE_SIZE];

/* Text (R+X) at base, data+bss (R+W) a page above; entry at base + KT_CODE_OFF. */
static void kt_build_image(u64 base, u8 code)
{
	struct elf64_ehdr *eh = (void *)kt_image;
	struct elf64_phdr *ph = (void *)(kt_image + sizeof(*eh));

	memset(kt_image, 0, sizeof(kt_image));
	memcpy(eh->e_ident, "\x7f" "ELF\x02\x01\x01", 7);
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = base + KT_CODE_OFF;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = base,
				     .p_filesz = 0x280, .p_memsz = 0x280, .p_align = PAGE_SIZE };
	ph[1] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x280,
				     .p_vaddr = base + 0x1280, .p_filesz = 0x80, .p_memsz = 0x3000,
				     .p_align = PAGE_SIZE };
	memset(kt_image + KT_CODE_OFF, code, 0x80);
}

static void kt_setup_files(void)
{
	static const char garbage[] = "#!/bin/sh\n# a script is not an ELF: the loader must say so, not crash\necho hello\n";

	kt_mkdir(KT_DIR);
	kt_build_image(0x400000, 0xc3);
	kt_put_file(KT_PROG, 0755, kt_image, sizeof(kt_image));
	kt_put_file(KT_DIR "/noexec", 0644, kt_image, sizeof(kt_image));
	kt_build_image(0x800000, 0x90);
	kt_put_file(KT_PROG2, 0700, kt_image, sizeof(kt_image));
	kt_put_file(KT_DIR "/garbage", 0755, garbage, sizeof(garbage));
}

/* ---- exec and miss through RPC ---- */

static u8 kt_req[RPC_MAX_PAYLOAD];
static struct mem_exec_reply kt_reply;
static struct mem_miss_reply kt_miss_reply;

/* rpc_call()'s error when it fails, else the reply's status. */
static long kt_send(size_t len)
{
	long n;

	memset(&kt_reply, 0xa5, sizeof(kt_reply));
	n = rpc_call(rpc_self_node(), RPC_MEM_EXEC, kt_req, len, &kt_reply, sizeof(kt_reply));
	if (n < 0)
		return n;
	return n == sizeof(kt_reply) ? kt_reply.status : -EPROTO;
}

static long kt_exec(u32 tgid, const char *path, const char *const *envp)
{
	static const char *const argv[] = { "prog", "one", NULL };
	static const u8 random[16] = { 1, 2, 3 };
	long len = mem_exec_pack(kt_req, sizeof(kt_req), tgid, path, argv, envp, random, 0);

	return len < 0 ? len : kt_send(len);
}

/* MISS at addr for tgid: the reply in kt_miss_reply; returns its status. */
static long kt_miss(u32 tgid, u64 addr)
{
	struct mem_miss_req req = { .tgid = tgid, .addr = addr };
	long n = rpc_call(rpc_self_node(), RPC_MEM_MISS, &req, sizeof(req), &kt_miss_reply,
			  sizeof(kt_miss_reply));

	return n < 0 ? n : kt_miss_reply.status;
}

static void kt_exit(u32 tgid)
{
	struct mem_exit_req req = { .tgid = tgid };
	struct mem_ret_reply rep;

	rpc_call(rpc_self_node(), RPC_MEM_EXIT, &req, sizeof(req), &rep, sizeof(rep));
}

static bool kt_space_exists(u32 tgid)
{
	struct mem_space *ms = mem_space_get(rpc_self_node(), tgid);

	if (ms)
		mem_space_put(ms);
	return ms != NULL;
}

/* ---- tests ---- */

KTEST(exec, loads_program_from_storage)
{
	u64 sp;

	kt_setup_files();
	KASSERT_EQ(kt_exec(KT_TGID, KT_PROG, NULL), 0);
	KEXPECT_EQ(kt_reply.entry, 0x400000 + KT_CODE_OFF);
	sp = kt_reply.sp;
	KEXPECT(sp % 16 == 0 && sp < VMA_TASK_SIZE && sp > VMA_TASK_SIZE - MEM_STACK_SIZE);
	KEXPECT_EQ(kt_reply.brk, 0x405000);	/* the bss's page-aligned end */
	KEXPECT_EQ(kt_miss(KT_TGID, kt_reply.entry), 0);
	KEXPECT_EQ(kt_miss_reply.kind, MEM_MISS_DATA);
	KEXPECT_EQ(kt_miss_reply.prot, PROT_READ | PROT_EXEC);
	KEXPECT_EQ(kt_miss_reply.data[KT_CODE_OFF], 0xc3);
	KEXPECT_EQ(kt_miss(KT_TGID, sp), 0);
	KEXPECT_EQ(*(u64 *)&kt_miss_reply.data[sp % PAGE_SIZE], 2);	/* argc */
	kt_exit(KT_TGID);
}

KTEST(exec, file_errors)
{
	kt_setup_files();
	KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR "/missing", NULL), -ENOENT);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_PROG "/below-a-file", NULL), -ENOTDIR);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR, NULL), -EACCES);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR "/noexec", NULL), -EACCES);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR "/garbage", NULL), -ENOEXEC);
	KEXPECT_EQ(kt_exec(KT_TGID, "", NULL), -ENOENT);	/* refused by the packer */
	KEXPECT(!kt_space_exists(KT_TGID));	/* nothing left over */
}

KTEST(exec, failure_before_load_keeps_old_image)
{
	kt_setup_files();
	KASSERT_EQ(kt_exec(KT_TGID, KT_PROG, NULL), 0);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR "/missing", NULL), -ENOENT);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR "/garbage", NULL), -ENOEXEC);
	KEXPECT_EQ(kt_miss(KT_TGID, 0x400000 + KT_CODE_OFF), 0);
	KEXPECT_EQ(kt_miss_reply.data[KT_CODE_OFF], 0xc3);
	kt_exit(KT_TGID);
}

KTEST(exec, second_exec_replaces_image)
{
	kt_setup_files();
	KASSERT_EQ(kt_exec(KT_TGID, KT_PROG, NULL), 0);
	KASSERT_EQ(kt_exec(KT_TGID, KT_PROG2, NULL), 0);
	KEXPECT_EQ(kt_reply.entry, 0x800000 + KT_CODE_OFF);
	KEXPECT_EQ(kt_miss(KT_TGID, kt_reply.entry), 0);
	KEXPECT_EQ(kt_miss_reply.data[KT_CODE_OFF], 0x90);
	KEXPECT_EQ(kt_miss(KT_TGID, 0x400000 + KT_CODE_OFF), -EFAULT);	/* old text gone */
	kt_exit(KT_TGID);
}

/* A raw request: header, then the given byte area. */
static size_t kt_raw(u32 argc, u32 envc, u32 path_len, const char *area, size_t area_len)
{
	struct mem_exec_req *r = (void *)kt_req;

	*r = (struct mem_exec_req){ .tgid = KT_TGID, .argc = argc, .envc = envc,
				    .path_len = path_len };
	memcpy(r->strings, area, area_len);
	return sizeof(*r) + area_len;
}

#define AREA(s) s, sizeof(s) - 1	/* without the literal's own final NUL */

KTEST(exec, malformed_requests)
{
	kt_setup_files();
	KEXPECT_EQ(kt_send(kt_raw(1, 0, KT_PROG_LEN, AREA(KT_PROG "\0a\0"))), 0);	/* the good one */
	kt_exit(KT_TGID);
	KEXPECT_EQ(kt_send(kt_raw(1, 0, KT_PROG_LEN + 1, AREA(KT_PROG "\0a\0"))), -EINVAL);	/* path_len */
	KEXPECT_EQ(kt_send(kt_raw(1, 0, KT_PROG_LEN, AREA(KT_PROG "\0a"))), -EINVAL);	/* no NUL */
	KEXPECT_EQ(kt_send(kt_raw(1, 0, KT_PROG_LEN, AREA(KT_PROG "\0a\0b"))), -EINVAL);	/* extra */
	KEXPECT_EQ(kt_send(kt_raw(2, 0, KT_PROG_LEN, AREA(KT_PROG "\0a\0"))), -EINVAL);	/* argc */
	KEXPECT_EQ(kt_send(kt_raw(0, ~0U, KT_PROG_LEN, AREA(KT_PROG "\0a\0"))), -EINVAL);	/* envc */
	KEXPECT_EQ(kt_send(kt_raw(0, 0, 4, AREA("prog\0"))), -EINVAL);	/* relative */
	KEXPECT_EQ(kt_send(kt_raw(0, 0, 0, AREA("\0"))), -EINVAL);	/* empty path */
	KEXPECT_EQ(kt_send(kt_raw(0, 0, KT_PROG_LEN, AREA(KT_PROG))), -EINVAL);	/* path without NUL */
	KEXPECT_EQ(kt_send(MEM_EXEC_REQ_HDR - 1), -EINVAL);		/* short header */
	KEXPECT_EQ(rpc_call(rpc_self_node(), RPC_MEM_EXEC, kt_req,
			    kt_raw(1, 0, KT_PROG_LEN, AREA(KT_PROG "\0a\0")), &kt_reply, 8), -EINVAL);
	KEXPECT(!kt_space_exists(KT_TGID));
}

KTEST(exec, oversize_arguments)
{
	static char big[RPC_MAX_PAYLOAD];
	const char *const envp[] = { big, NULL };
	size_t area = sizeof(KT_PROG);
	u32 argc = 0;

	kt_setup_files();
	memset(big, 'x', sizeof(big) - 1);
	KEXPECT_EQ(kt_exec(KT_TGID, KT_PROG, envp), -E2BIG);		/* over the RPC payload */
	big[1000] = '\0';
	KEXPECT_EQ(kt_exec(KT_TGID, KT_PROG, envp), 0);			/* fits */
	kt_exit(KT_TGID);
	/* 20000 one-letter arguments fit the message but not the stack's vectors. */
	memcpy(big, KT_PROG, sizeof(KT_PROG));
	for (; argc < 20000; argc++, area += 2)
		memcpy(big + area, "a", 2);
	KEXPECT_EQ(kt_send(kt_raw(argc, 0, KT_PROG_LEN, big, area)), -E2BIG);
	KEXPECT(!kt_space_exists(KT_TGID));
}

KTEST(exec, no_pages_leak)
{
	unsigned long before;

	kt_setup_files();
	KASSERT_EQ(kt_exec(KT_TGID, KT_PROG, NULL), 0);	/* warm the slab caches */
	kt_exit(KT_TGID);
	before = nr_free_pages();
	for (int i = 0; i < 3; i++) {
		KEXPECT_EQ(kt_exec(KT_TGID, KT_PROG, NULL), 0);
		KEXPECT_EQ(kt_exec(KT_TGID, KT_DIR "/garbage", NULL), -ENOEXEC);
		kt_exit(KT_TGID);
	}
	KEXPECT_EQ(nr_free_pages(), before);
}
