/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory manager (managers/memory/): owns every process's address space,
 * keyed by (processor node, tgid): its vmas and a radix page table from user
 * page to memory-node page. Processor nodes reach it through RPC (opcodes
 * RPC_MEM_* in <mosaic/rpc.h>, message structs below); in-kernel callers and
 * tests may use the mem_space_* functions directly.
 *
 * Every message struct has an explicit, fixed layout (checked at build time)
 * so it can travel in network frames unchanged. The key of a request is the
 * sender's node (from the RPC context) plus the tgid in the request.
 */
#ifndef _MOSAIC_MEMORY_H
#define _MOSAIC_MEMORY_H

#include <mosaic/compiler.h>
#include <mosaic/page.h>
#include <mosaic/types.h>

/* Linux ABI values for mmap and friends. */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_MASK	(PROT_READ | PROT_WRITE | PROT_EXEC)

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define MAP_NORESERVE		0x4000
#define MAP_FIXED_NOREPLACE	0x100000

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

/* ---- messages ---- */

/*
 * MISS: the processor needs the page at addr (write: it is about to write
 * it). A read miss may name up to MEM_MISS_KNOWN image pages the processor
 * already holds in lines of addr's set (known[], 0: unused): if the page at
 * addr is one of them and its vma is not writable, the reply is
 * MEM_MISS_SAME and the processor maps that line (an executable's text
 * shared between the processes that run it).
 */
#define MEM_MISS_KNOWN 4
struct mem_miss_req {
	u32 tgid;
	u32 write;
	u64 addr;
	u64 known[MEM_MISS_KNOWN];
};

enum mem_miss_kind {
	MEM_MISS_ERROR = 0,	/* status < 0: -EFAULT (no vma), -EACCES (prot), -ESRCH, -ENOMEM */
	MEM_MISS_ZERO = 1,	/* never written: zero-fill locally, no payload */
	MEM_MISS_DATA = 2,	/* data[] holds the page */
	MEM_MISS_SAME = 3,	/* the page is known[which]: no payload */
};

/*
 * An image page id: the memory node's id in the top bits, a counter below
 * (it starts at the node's boot time in ns, so a restarted node never hands
 * out an id it handed out before). Nonzero only while the page holds the
 * bytes the exec image cache gave it (managers/memory/image_cache.c).
 */
#define MEM_IMAGE_ID_NODE_SHIFT 56
static inline int mem_image_id_node(u64 id)
{
	return (int)(id >> MEM_IMAGE_ID_NODE_SHIFT);
}

struct mem_miss_reply {
	s32 status;		/* 0 or -errno */
	u32 kind;		/* enum mem_miss_kind */
	u32 prot;		/* the vma's PROT_* (0 on error) */
	u32 which;		/* MEM_MISS_SAME: the index in known[] */
	u64 image_id;		/* MEM_MISS_DATA of an image page, else 0 */
	u8 data[PAGE_SIZE];	/* only for MEM_MISS_DATA: reply length is then the full struct */
};
#define MEM_MISS_REPLY_HDR 24	/* reply length without data[] */

/* FLUSH: store one dirty line back. */
struct mem_flush_req {
	u32 tgid;
	u32 reserved;
	u64 addr;
	u8 data[PAGE_SIZE];
};

/* The reply of FLUSH, MMAP, MUNMAP, MPROTECT, MREMAP, BRK, EXIT: an address or -errno. */
struct mem_ret_reply {
	s64 ret;
};

struct mem_mmap_req {
	u32 tgid;
	u32 prot;
	u32 flags;		/* MAP_* */
	u32 reserved;
	u64 addr;
	u64 len;
	u64 file_handle;	/* storage handle, for file-backed mappings */
	u64 file_offset;
};

struct mem_munmap_req {
	u32 tgid;
	u32 reserved;
	u64 addr;
	u64 len;
};

struct mem_mprotect_req {
	u32 tgid;
	u32 prot;
	u64 addr;
	u64 len;
};

struct mem_brk_req {
	u32 tgid;
	u32 reserved;
	u64 brk;
};

struct mem_mremap_req {
	u32 tgid;
	u32 flags;		/* MREMAP_* */
	u64 old_addr;
	u64 old_len;
	u64 new_len;
	u64 new_addr;
};

/*
 * DONTNEED (madvise MADV_DONTNEED / MADV_FREE): drop the pages of
 * [addr, addr + len); the range reads back as zero. Reply: struct
 * mem_ret_reply, 0 or -ENOMEM (part of the range is not mapped), -EINVAL.
 */
struct mem_dontneed_req {
	u32 tgid;
	u32 reserved;
	u64 addr;
	u64 len;
};

/*
 * FORK: create the space (sender's node, child_tgid) as a copy of the
 * sender's space tgid: the same vmas and brk, every page shared
 * copy-on-write (a FLUSH to a shared page copies it first). Reply: struct
 * mem_ret_reply, 0 or -EEXIST (child_tgid taken), -ESRCH, -ENOMEM.
 */
struct mem_fork_req {
	u32 tgid;		/* the parent */
	u32 child_tgid;
};

/* EXIT: destroy the address space and free its pages. */
struct mem_exit_req {
	u32 tgid;
	u32 reserved;
};

/*
 * EXEC: replace the address space of (sender, tgid) with a program from the
 * storage node (mosaic.storage_node=, default 0). The request is this
 * header followed by a byte area of NUL-terminated strings: the path
 * (path_len bytes, absolute, then its NUL), argc argv strings, envc envp
 * strings, and nothing after them. The whole request must fit in
 * RPC_MAX_PAYLOAD (64 KiB): mem_exec_pack() gives -E2BIG beyond, so an
 * execve whose arguments do not fit fails with E2BIG, as Linux does when
 * they exceed its own limit.
 *
 * rpc_call() returns -EINVAL for a malformed request (short header, lengths
 * that do not add up, a string without its NUL, an empty or relative path,
 * reply buffer too small). Otherwise the reply's status is 0 or -errno:
 * -ENOENT (no such file), -EACCES (not a regular file, or no execute bit),
 * -ENAMETOOLONG, -ENOEXEC (not a static x86-64 ELF the loader accepts),
 * -E2BIG (arguments too large for the stack), -ENOMEM, -EIO. The failures
 * found before the old image is dropped (all but ENOMEM and a late EIO)
 * leave the old address space as it was; after that point a failure leaves
 * no address space at all (the processor ends the process, as Linux does
 * past its point of no return).
 */
struct mem_exec_req {
	u32 tgid;
	u32 argc;
	u32 envc;
	u32 path_len;		/* without its NUL */
	u8 random[16];		/* AT_RANDOM bytes, from the processor */
	u64 hwcap;		/* AT_HWCAP */
	char strings[];		/* path, argv, envp: each NUL-terminated */
};
#define MEM_EXEC_REQ_HDR 40

struct mem_exec_reply {
	s64 status;		/* 0 or -errno */
	u64 entry;		/* where the program starts */
	u64 sp;			/* initial stack pointer (argc is at sp) */
	u64 brk;		/* start of the heap (informative) */
};

/*
 * Pack an EXEC request into buf (max bytes). argv and envp are NULL-terminated
 * arrays (NULL: empty). Returns the request length, -E2BIG when it exceeds max
 * or RPC_MAX_PAYLOAD, -ENOENT for an empty path, -ENAMETOOLONG for a path of
 * STO_PATH_MAX bytes or more.
 */
long mem_exec_pack(void *buf, size_t max, u32 tgid, const char *path,
		   const char *const *argv, const char *const *envp,
		   const u8 random[16], u64 hwcap);

/*
 * MAPS: the vmas of (sender, tgid) as the text of Linux's /proc/PID/maps,
 * one line per vma from the first vma ending above `from` on, as many
 * whole lines as fit in the reply. `next` is where the following request
 * starts (0: that was the last vma). File-backed lines carry their offset
 * but no file name (the memory node knows only the storage handle); the
 * heap is [heap], the stack [stack].
 */
struct mem_maps_req {
	u32 tgid;
	u32 reserved;
	u64 from;
};

struct mem_maps_reply {
	s32 err;		/* 0 or -ESRCH */
	u32 len;		/* text bytes that follow */
	u64 next;
	char text[];
};
#define MEM_MAPS_REPLY_HDR 16

/* ---- in-kernel interface (managers/memory/space.c) ---- */
struct mem_space;

/* A new empty address space: ERR_PTR(-EEXIST) if the key is taken, -ENOMEM. */
struct mem_space *mem_space_create(int node, u32 tgid);
/* Look up and take a reference, or NULL. Drop it with mem_space_put(). */
struct mem_space *mem_space_get(int node, u32 tgid);
void mem_space_put(struct mem_space *ms);
/* Unhash and free (when the last reference goes) with every page: 0 or -ESRCH. */
int mem_space_destroy(int node, u32 tgid);

long mem_mmap(struct mem_space *ms, const struct mem_mmap_req *req);
long mem_munmap(struct mem_space *ms, u64 addr, u64 len);
long mem_mprotect(struct mem_space *ms, u64 addr, u64 len, u32 prot);
long mem_brk(struct mem_space *ms, u64 brk);
long mem_mremap(struct mem_space *ms, const struct mem_mremap_req *req);
/* A copy of parent, keyed (parent's node, child_tgid), pages shared copy-on-write. 0 or -errno. */
long mem_fork(struct mem_space *parent, u32 child_tgid);
/* Drop the pages of a page-aligned, mapped range: 0, -EINVAL, -ENOMEM (a hole). */
long mem_dontneed(struct mem_space *ms, u64 addr, u64 len);
/* Fill reply for a miss; returns the reply length (header only, or header + page). */
size_t mem_miss(struct mem_space *ms, u64 addr, bool write, struct mem_miss_reply *reply);
/* The same, for a read miss that names the image pages it knows (req->known). */
size_t mem_miss_req(struct mem_space *ms, const struct mem_miss_req *req,
		    struct mem_miss_reply *reply);
/* Store data (PAGE_SIZE bytes) at the page addr: 0, -EINVAL (unaligned), -EFAULT (no vma), -ENOMEM. */
int mem_flush(struct mem_space *ms, u64 addr, const void *data);
/* The MAPS text from `from` on into buf (managers/memory/maps.c): bytes used; *next as in MAPS. */
size_t mem_maps(struct mem_space *ms, u64 from, char *buf, size_t size, u64 *next);
/* Pages currently held by the space (data pages only). */
unsigned long mem_space_nr_pages(struct mem_space *ms);

/* Register the RPC handlers (EXEC, MMAP, MUNMAP, MPROTECT, BRK, MREMAP, MISS, FLUSH, EXIT, MAPS). */
void memory_manager_init(void);


/* Message layouts are part of the wire format. */
BUILD_BUG_ON(sizeof(struct mem_miss_req) != 16 + 8 * MEM_MISS_KNOWN);
BUILD_BUG_ON(offsetof(struct mem_miss_reply, data) != MEM_MISS_REPLY_HDR);
BUILD_BUG_ON(sizeof(struct mem_flush_req) != 16 + PAGE_SIZE);
BUILD_BUG_ON(sizeof(struct mem_ret_reply) != 8);
BUILD_BUG_ON(sizeof(struct mem_mmap_req) != 48);
BUILD_BUG_ON(sizeof(struct mem_munmap_req) != 24);
BUILD_BUG_ON(sizeof(struct mem_mprotect_req) != 24);
BUILD_BUG_ON(sizeof(struct mem_brk_req) != 16);
BUILD_BUG_ON(sizeof(struct mem_mremap_req) != 40);
BUILD_BUG_ON(sizeof(struct mem_exit_req) != 8);
BUILD_BUG_ON(sizeof(struct mem_fork_req) != 8);
BUILD_BUG_ON(sizeof(struct mem_dontneed_req) != 24);
BUILD_BUG_ON(sizeof(struct mem_exec_req) != MEM_EXEC_REQ_HDR);
BUILD_BUG_ON(offsetof(struct mem_exec_req, random) != 16);
BUILD_BUG_ON(offsetof(struct mem_exec_req, strings) != MEM_EXEC_REQ_HDR);
BUILD_BUG_ON(sizeof(struct mem_exec_reply) != 32);
BUILD_BUG_ON(sizeof(struct mem_maps_req) != 16);
BUILD_BUG_ON(offsetof(struct mem_maps_reply, text) != MEM_MAPS_REPLY_HDR);

#endif
