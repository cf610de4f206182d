/* SPDX-License-Identifier: GPL-2.0 */
/* Private to the storage manager: the store it serves and its RPC registration. */
#ifndef _STORAGE_MANAGER_H
#define _STORAGE_MANAGER_H

struct sto_fs;

/* The store every RPC handler serves (NULL until storage_init()). */
extern struct sto_fs *sto_store;

/* Register the RPC_STO_* handlers (handlers.c); all or none. */
int sto_register_handlers(void);

#endif
