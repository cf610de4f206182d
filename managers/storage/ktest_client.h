/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only client for the storage RPCs: each helper builds one request,
 * sends it with rpc_call() to this node and returns the RPC's own error
 * (negative, from rpc_call) or else the reply's err field; reads and
 * writes return the byte count on success. Used by the storage and cpio
 * ktests; a real client (fs/ on the processor) will look much the same.
 */
#ifndef _STORAGE_KTEST_CLIENT_H
#define _STORAGE_KTEST_CLIENT_H

#include <mosaic/storage.h>

long kt_open(const char *path, u32 flags, u32 mode, u64 *handle);
long kt_close(u64 handle);
long kt_read(u64 handle, u64 off, void *buf, u32 len);
long kt_write(u64 handle, u64 off, const void *buf, u32 len);
long kt_stat(const char *path, u32 flags, struct sto_stat *st);
long kt_fstat(u64 handle, struct sto_stat *st);
long kt_mkdir(const char *path);
long kt_unlink(const char *path, u32 flags);
long kt_rename(const char *old, const char *new);
long kt_truncate(const char *path, u64 handle, u64 length);
/* One GETDENTS call into buf (max bytes of dirents); *cookie advances. */
long kt_getdents(u64 handle, u64 *cookie, void *buf, u32 max);
/* Read a whole small file into buf (NUL-terminated); returns its length. */
long kt_slurp(const char *path, char *buf, u32 max);
/* Write a whole small file (created or truncated). */
long kt_put(const char *path, const char *text);

#endif
