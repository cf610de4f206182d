/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open-file handles of the storage manager, one table per calling node.
 * A handle id is (generation << 32 | slot); closing a slot bumps its
 * generation, so an old id is refused (-EBADF) even after the slot is
 * reused. Id 0 is never valid. Context for every function: the store's
 * lock held (the handle points at an inode of that store).
 */
#ifndef _STORAGE_HANDLES_H
#define _STORAGE_HANDLES_H

#include <mosaic/types.h>

#define STO_HANDLES_PER_NODE 256

struct sto_inode;

struct sto_handle {
	struct sto_inode *inode;	/* NULL: slot free */
	u32 flags;			/* the STO_O_* it was opened with */
	u32 gen;
};

/* Give node a handle on ino (keeps the reference the caller took). -ENFILE when full. */
int sto_handle_install(int node, struct sto_inode *ino, u32 flags, u64 *id);
/* The live handle id names for node, or NULL. */
struct sto_handle *sto_handle_find(int node, u64 id);
/* Close it and drop its inode reference. -EBADF for a stale or unknown id. */
int sto_handle_close(int node, u64 id);
/* Close every handle node holds (a node went away); returns how many. */
int sto_handles_drop_node(int node);

#endif
