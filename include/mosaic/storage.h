/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage manager's messages (managers/storage/). Every request and
 * reply is a plain struct with explicit sizes; a path travels as path_len
 * bytes right after its struct (no NUL; absolute: the processor resolves
 * the cwd). Flags, modes, errnos and dirent types use the Linux values so
 * the processor can pass them through to user space.
 *
 * A handler returns a negative errno from rpc_call() only for a malformed
 * request (-EINVAL: short struct, length mismatch, NUL in a path, a path not
 * starting with '/'). Operation errors (ENOENT, EEXIST, ...) come back in
 * the reply's err field, with the reply length of a successful call.
 *
 *   opcode            request                         reply
 *   RPC_STO_OPEN      sto_open_req + path             sto_open_reply
 *   RPC_STO_READ      sto_io_req                      sto_read_reply + data
 *   RPC_STO_WRITE     sto_io_req + data               sto_write_reply
 *   RPC_STO_STAT      sto_stat_req (+ path)           sto_stat_reply
 *   RPC_STO_GETDENTS  sto_getdents_req                sto_getdents_reply + dirents
 *   RPC_STO_CLOSE     sto_handle_req                  sto_status_reply
 *   RPC_STO_MKDIR     sto_path_req + path             sto_status_reply
 *   RPC_STO_UNLINK    sto_path_req + path             sto_status_reply
 *   RPC_STO_RENAME    sto_rename_req + old + new      sto_status_reply
 *   RPC_STO_TRUNCATE  sto_truncate_req (+ path)       sto_status_reply
 *   RPC_STO_READLINK  sto_path_req + path             sto_readlink_reply + target
 *   RPC_STO_CHMOD     sto_chmod_req (+ path)          sto_status_reply
 *   RPC_STO_SYMLINK   sto_symlink_req + target + path sto_status_reply
 *   RPC_STO_UTIMES    sto_utimes_req (+ path)         sto_status_reply
 *   RPC_STO_MKNOD     sto_path_req + path             sto_status_reply
 *
 * FIFOs (MKNOD with STO_S_IFIFO) are names only: OPEN of one takes no
 * handle (reply handle 0, mode S_IFIFO); its data lives on the processor,
 * in a pipe keyed by (storage node, ino).
 *
 * Times are seconds since the epoch by the clock of the node that asks:
 * every request that may set a time carries that node's clock in `now`
 * (sto_clock()), which the storage node stamps, so file times agree with
 * the time() of the processor whose programs compare them (NFS's
 * SET_TO_CLIENT_TIME; Documentation/cluster.md, "File times"). A `now`
 * outside 1 .. STO_TIME_MAX makes the request malformed (-EINVAL). Creation
 * sets all three; a write or truncate sets mtime and ctime; chmod, rename
 * and UTIMES set ctime; creating, removing or renaming an entry sets its
 * directory's mtime and ctime; a read sets atime when it is not newer than
 * mtime (Linux's relatime, without the day rule). Archive files keep the
 * archive's mtime (and atime).
 *
 * Handles belong to the node that opened them; a closed handle's id is
 * never valid again (a generation number is part of it): -EBADF.
 */
#ifndef _MOSAIC_STORAGE_H
#define _MOSAIC_STORAGE_H

#include <mosaic/compiler.h>
#include <mosaic/rpc.h>
#include <mosaic/time.h>
#include <mosaic/types.h>

#define STO_PATH_MAX 4096	/* a path_len must be below this (Linux PATH_MAX counts the NUL) */
#define STO_NAME_MAX 255	/* longest component */
#define STO_IO_MAX 32768	/* most bytes one READ or WRITE moves */
#define STO_TIME_MAX 253402300799LL	/* 9999-12-31 23:59:59 UTC: latest `now` accepted */

/* The clock a request carries in `now`: this node's, in seconds since the epoch. */
static inline s64 sto_clock(void)
{
	return (s64)(ktime_get_real_ns() / 1000000000ULL);
}

/* open flags (Linux values) */
#define STO_O_ACCMODE 00000003
#define STO_O_RDONLY 00000000
#define STO_O_WRONLY 00000001
#define STO_O_RDWR 00000002
#define STO_O_CREAT 00000100
#define STO_O_EXCL 00000200
#define STO_O_TRUNC 00001000
#define STO_O_APPEND 00002000
#define STO_O_DIRECTORY 00200000
#define STO_O_NOFOLLOW 00400000

/* mode type bits (Linux S_IF*) */
#define STO_S_IFMT 0170000
#define STO_S_IFDIR 0040000
#define STO_S_IFREG 0100000
#define STO_S_IFLNK 0120000
#define STO_S_IFIFO 0010000
#define STO_S_ISDIR(m) (((m) & STO_S_IFMT) == STO_S_IFDIR)
#define STO_S_ISREG(m) (((m) & STO_S_IFMT) == STO_S_IFREG)
#define STO_S_ISLNK(m) (((m) & STO_S_IFMT) == STO_S_IFLNK)
#define STO_S_ISFIFO(m) (((m) & STO_S_IFMT) == STO_S_IFIFO)

/* dirent types (Linux DT_*) */
#define STO_DT_FIFO 1
#define STO_DT_DIR 4
#define STO_DT_REG 8
#define STO_DT_LNK 10

/* sto_stat_req.flags and sto_path_req.flags */
#define STO_AT_SYMLINK_NOFOLLOW 0x100	/* STAT: report a symlink itself */
#define STO_AT_REMOVEDIR 0x200		/* UNLINK: remove a directory (rmdir) */

struct sto_open_req {
	u32 flags;	/* STO_O_* */
	u32 mode;	/* permission bits for O_CREAT */
	u32 path_len;
	u32 __pad;
	s64 now;	/* the asking node's clock (sto_clock()): creation and O_TRUNC stamp it */
	char path[];
};

struct sto_open_reply {
	s32 err;
	u32 mode;	/* type and permissions of what was opened */
	u64 handle;
	u64 size;
	u64 ino;
	u64 version;	/* changes at every write or truncate, never reused (see fst_touch) */
};

/* READ: len bytes wanted at offset. WRITE: len bytes of data follow. */
struct sto_io_req {
	u64 handle;
	u64 offset;	/* ignored by WRITE on an O_APPEND handle: writes at the end */
	u32 len;
	u32 __pad;
	s64 now;	/* the asking node's clock: a WRITE's mtime, a READ's atime */
	u8 data[];
};

struct sto_read_reply {
	s32 err;
	u32 len;	/* bytes of data that follow; 0 at end of file */
	u8 data[];
};

struct sto_write_reply {
	s32 err;
	u32 len;	/* bytes written */
	u64 offset;	/* where they went (the old end for O_APPEND) */
	u64 size;	/* file size afterwards */
};

/* By handle when handle != 0, else by path (path_len bytes follow). */
struct sto_stat_req {
	u64 handle;
	u32 flags;	/* STO_AT_SYMLINK_NOFOLLOW */
	u32 path_len;
	char path[];
};

struct sto_stat {
	u64 ino;
	u32 mode;
	u32 nlink;
	u64 size;
	u64 blocks;	/* 512-byte units held */
	s64 atime, mtime, ctime;	/* seconds since the epoch */
};

struct sto_stat_reply {
	s32 err;
	u32 __pad;
	struct sto_stat st;
};

/* Entries from position cookie on (0 = start; "." and ".." come first). */
struct sto_getdents_req {
	u64 handle;
	u64 cookie;
	u32 max_bytes;	/* room for dirents in the reply */
	u32 __pad;
};

struct sto_getdents_reply {
	s32 err;
	u32 nbytes;		/* bytes of sto_dirent records that follow; 0 = end */
	u64 next_cookie;	/* where the next call goes on */
};

/* One record: reclen covers the name and its NUL, rounded up to 8. */
struct sto_dirent {
	u64 ino;
	u64 next_cookie;	/* cookie of the entry after this one */
	u16 reclen;
	u8 type;		/* STO_DT_* */
	u8 name_len;
	char name[];		/* NUL-terminated */
};

struct sto_handle_req {
	u64 handle;
};

/* MKDIR (mode), MKNOD (mode: STO_S_IFIFO or STO_S_IFREG, and permissions), UNLINK (flags: STO_AT_REMOVEDIR). */
struct sto_path_req {
	u32 flags;
	u32 mode;
	u32 path_len;
	u32 __pad;
	s64 now;	/* the asking node's clock (READLINK: unused, any value) */
	char path[];
};

/* The old path (old_len bytes) then the new path (new_len bytes) follow. */
struct sto_rename_req {
	u32 old_len;
	u32 new_len;
	s64 now;	/* the asking node's clock */
	char paths[];
};

/* By handle when handle != 0 (it must be open for writing), else by path. */
struct sto_truncate_req {
	u64 handle;
	u64 length;
	u32 path_len;
	u32 __pad;
	s64 now;	/* the asking node's clock */
	char path[];
};

/* READLINK: the target of the symlink at path (not followed); -EINVAL if not one. */
struct sto_readlink_reply {
	s32 err;
	u32 len;	/* target bytes that follow (cut to the reply's room) */
	char target[];
};

/* Set the permission bits (mode & 07777), by handle when handle != 0, else by path. */
struct sto_chmod_req {
	u64 handle;
	u32 mode;
	u32 path_len;
	s64 now;	/* the asking node's clock */
	char path[];
};

/* A new symlink at path holding target (any bytes but NUL, 1 .. STO_PATH_MAX - 1 of them). */
struct sto_symlink_req {
	u32 target_len;
	u32 path_len;
	s64 now;	/* the asking node's clock */
	char strings[];	/* target, then path; no NULs */
};

/* How UTIMES sets each time. */
#define STO_TIME_OMIT 0		/* leave it */
#define STO_TIME_NOW 1		/* the request's now: the asking node's clock */
#define STO_TIME_SET 2		/* the value given */

/* Set atime/mtime (ctime becomes now), by handle when handle != 0, else by path. */
struct sto_utimes_req {
	u64 handle;
	s64 atime, mtime;	/* seconds, used with STO_TIME_SET */
	u8 atime_how, mtime_how;	/* STO_TIME_* */
	u16 __pad;
	u32 flags;		/* STO_AT_SYMLINK_NOFOLLOW */
	u32 path_len;
	u32 __pad2;
	s64 now;		/* the asking node's clock: ctime and STO_TIME_NOW */
	char path[];
};

struct sto_status_reply {
	s32 err;
	u32 __pad;
};

/*
 * Bring up the storage manager: an empty root, the initramfs module (the
 * first boot module) unpacked into it, the RPC handlers registered. A bad
 * archive is reported with its offset; what came before the fault stays.
 */
void storage_init(void);

/*
 * Unpack a newc archive into the store under the directory dir (absolute).
 * Returns the number of entries added, or -EINVAL for a malformed archive
 * (after a message naming the offset; entries before it stay), or another
 * negative errno when dir is bad or memory ran out.
 */
long storage_unpack(const char *dir, const void *archive, size_t len);

#endif
