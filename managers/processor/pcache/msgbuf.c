// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers for the page-sized messages of the fill and write-back paths: a
 * MISS reply (fault.c) and a FLUSH request (zap.c). Both are larger than
 * kmalloc's biggest cache, so each kmalloc of one was a call into the buddy
 * allocator (an order-1 block), and every fault and every write-back made
 * one. A few buffers are kept here for the next user instead, all of
 * them allocated at boot: a buffer that is not in use is always kept, so
 * the memory they take stays the same after boot (leak checks that compare
 * the free memory before and after a test see no change).
 *
 * Context: process context (faults, eviction, the sweep thread); a short
 * spinlock, no sleeping inside.
 */
#include <mosaic/compiler.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/spinlock.h>

#include "internal.h"

#define MSGBUF_KEEP 8	/* one per CPU that faults or evicts at once is plenty */
#define MSGBUF_SIZE (sizeof(struct mem_miss_reply) > sizeof(struct mem_flush_req) ? \
		     sizeof(struct mem_miss_reply) : sizeof(struct mem_flush_req))

static void *msgbuf_kept[MSGBUF_KEEP];
static unsigned int msgbuf_nr;
static DEFINE_SPINLOCK(msgbuf_lock);

void *pcache_msgbuf_get(void)
{
	void *buf = NULL;

	spin_lock(&msgbuf_lock);
	if (msgbuf_nr)
		buf = msgbuf_kept[--msgbuf_nr];
	spin_unlock(&msgbuf_lock);
	return buf ? buf : kmalloc(MSGBUF_SIZE);
}

void pcache_msgbuf_init(void)
{
	while (msgbuf_nr < MSGBUF_KEEP) {
		void *buf = kmalloc(MSGBUF_SIZE);

		if (!buf)
			break;
		msgbuf_kept[msgbuf_nr++] = buf;
	}
}

void pcache_msgbuf_put(void *buf)
{
	if (!buf)
		return;
	spin_lock(&msgbuf_lock);
	if (msgbuf_nr < MSGBUF_KEEP) {
		msgbuf_kept[msgbuf_nr++] = buf;
		buf = NULL;
	}
	spin_unlock(&msgbuf_lock);
	kfree(buf);
}
