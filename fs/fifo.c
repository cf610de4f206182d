// SPDX-License-Identifier: GPL-2.0
/*
 * FIFOs (named pipes): mknod(S_IFIFO) / mkfifo make a name in the store
 * (RPC_STO_MKNOD); opening it gives the processor's pipe for that file
 * (fs/internal.h "FIFOs"). The pipe is found by (storage node, inode
 * number) in a small table, made at the first open and freed, with any
 * data left in it, when its last end closes (as Linux does). Data never
 * goes to the storage node; processes on other processor nodes opening the
 * same name get their own pipe.
 *
 * Open rules (pipe_wait_peer): a reader waits for a writer, a writer for a
 * reader; O_NONBLOCK readers return at once, O_NONBLOCK writers get
 * -ENXIO while there is no reader; O_RDWR never waits.
 *
 * Lock order: fifo_lock -> pipe.lock. An end is added under fifo_lock, and
 * the idle callback removes a pipe under it only if it is still unused,
 * so an open never finds a pipe that is being freed.
 */
#include <mosaic/errno.h>
#include <mosaic/list.h>
#include <mosaic/mm.h>
#include <mosaic/spinlock.h>

#include "internal.h"

struct fifo {
	struct list_head link;	/* in fifos */
	int node;		/* the storage node and its inode number */
	u64 ino;
	struct pipe *pipe;
};

static LIST_HEAD(fifos);
static DEFINE_SPINLOCK(fifo_lock);

/* Context: fifo_lock held. */
static struct fifo *fifo_find_locked(int node, u64 ino)
{
	struct fifo *fi;

	list_for_each_entry(fi, &fifos, link)
		if (fi->node == node && fi->ino == ino)
			return fi;
	return NULL;
}

/* The last end closed: forget the pipe unless an open took it meanwhile. */
static void fifo_idle(struct pipe *p, void *arg)
{
	struct fifo *fi = arg;
	bool gone;

	spin_lock(&fifo_lock);
	gone = pipe_unused(p);
	if (gone)
		list_del(&fi->link);
	spin_unlock(&fifo_lock);
	if (gone) {
		pipe_free(p);
		kfree(fi);
	}
}

/* Context: fifo_lock held. A new table entry with an end-less pipe, or NULL. */
static struct fifo *fifo_create_locked(int node, u64 ino)
{
	struct fifo *fi = kzalloc(sizeof(*fi));

	if (!fi)
		return NULL;
	fi->pipe = pipe_alloc_fifo(fifo_idle, fi);
	if (!fi->pipe) {
		kfree(fi);
		return NULL;
	}
	fi->node = node;
	fi->ino = ino;
	list_add(&fi->link, &fifos);
	return fi;
}

/* Context: fifo_lock held. Drop an entry whose first open failed. */
static void fifo_drop_unused_locked(struct fifo *fi)
{
	if (!pipe_unused(fi->pipe))
		return;
	list_del(&fi->link);
	pipe_free(fi->pipe);
	kfree(fi);
}

struct file *fifo_open(int node, u64 ino, unsigned int flags, const char *path)
{
	unsigned long seen = 0;
	struct fifo *fi;
	struct file *f;
	int err;

	spin_lock(&fifo_lock);
	fi = fifo_find_locked(node, ino);
	if (!fi)
		fi = fifo_create_locked(node, ino);
	f = fi ? pipe_open_end(fi->pipe, flags, path, &seen) : ERR_PTR(-ENOMEM);
	if (fi && IS_ERR(f))
		fifo_drop_unused_locked(fi);
	spin_unlock(&fifo_lock);
	if (IS_ERR(f))
		return f;
	err = pipe_wait_peer(f, seen);
	if (err) {
		file_put(f);
		return ERR_PTR(err);
	}
	return f;
}
