/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exec image cache (image_cache.c): the pages a program's PT_LOADs
 * fill, kept after one exec and shared copy-on-write by later execs of the
 * same file version, as a page cache shares a binary's pages under Linux.
 *
 *   image_cache_install(ms, key)   a hit: map the cached pages into ms
 *   image_cache_store(ms, key, info)  after a load from storage: remember
 *                                  the pages the segments filled
 *   image_cache_shrink()           drop every entry (the node is short of
 *                                  pages); true when something was dropped
 *   image_cache_pages()            pages the entries hold (/proc/memnode)
 *
 * Lock order: ms->lock -> image cache lock (a page allocation under
 * ms->lock may shrink the cache); install and store never hold both.
 */
#ifndef _MEMORY_IMAGE_CACHE_H
#define _MEMORY_IMAGE_CACHE_H

#include <mosaic/types.h>

#include "elf.h"
#include "space.h"

/* Which file contents: storage node, inode number, content version (storage.h). */
struct image_key {
	int node;
	u64 ino;
	u64 version;
	u64 load_bias;
};

/* Context: ms->lock not held; ms has the image's vmas and no pages yet. */
bool image_cache_install(struct mem_space *ms, const struct image_key *key);
/* Context: ms->lock not held. Failures (no memory) only mean no entry. */
void image_cache_store(struct mem_space *ms, const struct image_key *key,
		       const struct elf_info *info);
/* Context: any, ms->lock may be held. */
bool image_cache_shrink(void);
/* Context: any. */
unsigned long image_cache_pages(void);

#endif
