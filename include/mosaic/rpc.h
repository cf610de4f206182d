/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remote procedure calls between Mosaic components. A call names a node and
 * an opcode and carries a plain struct (explicit sizes, no pointers) so the
 * same message can later travel in Ethernet frames. Handlers register per
 * opcode. With role "all" the local transport calls the handler directly.
 *
 * Message structs for each manager live in that manager's public header
 * (include/mosaic/memory.h, include/mosaic/storage.h).
 */
#ifndef _MOSAIC_RPC_H
#define _MOSAIC_RPC_H

#include <mosaic/errno.h>
#include <mosaic/types.h>

enum rpc_opcode {
	RPC_NOP = 0,
	/* memory manager (managers/memory) */
	RPC_MEM_EXEC, RPC_MEM_FORK, RPC_MEM_EXIT, RPC_MEM_MMAP, RPC_MEM_MUNMAP,
	RPC_MEM_MREMAP, RPC_MEM_MPROTECT, RPC_MEM_BRK, RPC_MEM_MISS, RPC_MEM_FLUSH,
	RPC_MEM_DONTNEED, RPC_MEM_MAPS,
	/* storage manager (managers/storage) */
	RPC_STO_OPEN, RPC_STO_READ, RPC_STO_WRITE, RPC_STO_STAT, RPC_STO_GETDENTS,
	RPC_STO_CLOSE, RPC_STO_MKDIR, RPC_STO_UNLINK, RPC_STO_RENAME, RPC_STO_TRUNCATE,
	RPC_STO_READLINK, RPC_STO_CHMOD, RPC_STO_SYMLINK, RPC_STO_UTIMES,
	RPC_STO_MKNOD,
	/* self-tests (net/rpc_ktest.c) register and remove their own handler here */
	RPC_TEST,
	RPC_NR_OPCODES
};

/* The largest request or reply payload one call may carry. */
#define RPC_MAX_PAYLOAD (64 * 1024)

struct rpc_ctx {
	int src_node;	/* who asked */
};

/*
 * A handler reads req (req_len bytes, already bounds-checked against
 * RPC_MAX_PAYLOAD but NOT against the opcode's struct: check it), writes at
 * most reply_max bytes to reply and returns the reply length, or a negative
 * errno for a malformed request (-EINVAL, -EPROTO...). Operation errors
 * (ENOENT, ENOMEM...) belong inside the reply struct.
 */
typedef long (*rpc_handler_t)(const struct rpc_ctx *ctx, const void *req, size_t req_len,
			      void *reply, size_t reply_max);

int rpc_register(enum rpc_opcode op, rpc_handler_t fn);

/*
 * Call opcode op on node. Returns the reply length, or a negative errno
 * (-EINVAL bad arguments, -ENOSYS no handler, -EHOSTUNREACH/-ETIMEDOUT/
 * -ECONNRESET from a network transport, -EHOSTDOWN for a node declared down,
 * or the handler's own negative return).
 *
 * A remote call that ends in -ETIMEDOUT (the node said nothing for
 * rpc.timeout_ms) or -ECONNRESET (it restarted and lost its state) declares
 * the node down: calls in flight to it and every later one fail with
 * -EHOSTDOWN at once, and the down handler runs once. It stays down until
 * rpc_probe_down_nodes() finds a new incarnation of it answering.
 */
long rpc_call(int node, enum rpc_opcode op, const void *req, size_t req_len,
	      void *reply, size_t reply_max);

/*
 * Is err a transport failure (node unreachable, silent, restarted or down)
 * rather than an answer? System calls report these as -EIO.
 */
static inline bool rpc_is_transport_error(long err)
{
	return err == -EHOSTUNREACH || err == -ETIMEDOUT || err == -ECONNRESET ||
	       err == -EHOSTDOWN;
}

/* Was node declared down (see rpc_call())? */
bool rpc_node_is_down(int node);

/*
 * Ask every node declared down whether it is back: an RPC_NOP through the
 * remote transport. A node answering from a new incarnation (another epoch
 * than the one that lost this node's state) is up again: rpc_call() reaches
 * it and new processes may be homed there; what died with it stays dead.
 * Context: a thread that may sleep (each silent node takes up to the call
 * timeout). The Ethernet transport's prober runs it every second.
 */
void rpc_probe_down_nodes(void);

/*
 * fn(node, err) runs once when node is declared down, in the context of the
 * call that found out (a thread that may hold a pcache line lock: fn must
 * only take leaf locks and must not call the node). err: -ETIMEDOUT or
 * -ECONNRESET. One handler; NULL removes it.
 */
typedef void (*rpc_node_down_fn)(int node, long err);
void rpc_set_node_down_handler(rpc_node_down_fn fn);

/* This node's id (mosaic.node=, default 0). */
int rpc_self_node(void);

/* Node ids run from 0 to RPC_MAX_NODES - 1 (mosaic.node= is checked against it). */
#define RPC_MAX_NODES 64

/* ---- roles and peers (net/cluster.c; DESIGN.md section 2) ---- */

#define RPC_ROLE_PROCESSOR	(1U << 0)
#define RPC_ROLE_MEMORY		(1U << 1)
#define RPC_ROLE_STORAGE	(1U << 2)
#define RPC_ROLE_ALL		(RPC_ROLE_PROCESSOR | RPC_ROLE_MEMORY | RPC_ROLE_STORAGE)

/* Does this node run every role in role (mosaic.role=)? */
bool rpc_has_role(unsigned int role);
unsigned int rpc_roles(void);

/* mosaic.peers=: which node ids have a MAC, and what it is. */
struct rpc_peer_table {
	bool present[RPC_MAX_NODES];
	u8 mac[RPC_MAX_NODES][6];
};
const struct rpc_peer_table *rpc_peers(void);
/* Was mosaic.peers= given (this node is part of a cluster)? */
bool rpc_peers_configured(void);

#define RPC_MAX_LISTED_NODES 8
struct rpc_node_list {
	unsigned int nr;
	int node[RPC_MAX_LISTED_NODES];
};

/*
 * The home memory node for a new process: round robin over mosaic.memory=
 * (default self), passing over nodes declared down while another is up.
 */
int rpc_next_memory_node(void);
/* mosaic.memory= as given (nr 0: none, this node serves). */
const struct rpc_node_list *rpc_memory_nodes(void);
/* The storage node (mosaic.storage=, default self). */
int rpc_storage_node(void);

/* The parsers behind those parameters: 0, or -EINVAL leaving *out alone. */
int rpc_parse_roles(const char *val, unsigned int *roles);
int rpc_parse_peers(const char *val, struct rpc_peer_table *out);
int rpc_parse_node_list(const char *val, struct rpc_node_list *out);

/*
 * Start the Ethernet transport (net/eth_transport.c) when mosaic.peers= is
 * set: after sched_init() (it starts kthreads) and after the NIC drivers
 * have probed. Also points file calls at mosaic.storage=. Prints why when a
 * cluster is configured but cannot be reached; the node keeps running.
 */
void eth_transport_init(void);

/*
 * One console line with the transport's frame, resend and per-reason drop
 * counters (the non-zero ones), when the Ethernet transport runs: printed
 * by the runner at the end, read by the cluster tests.
 */
void eth_transport_print_counters(const char *who);

/* Remove op's handler (for tests and for a manager that shuts down). */
int rpc_unregister(enum rpc_opcode op);

/* Calls made with op since boot, by this node as a caller (for /proc). */
u64 rpc_call_count(enum rpc_opcode op);

/* ---- for transports ---- */

/*
 * How a message reaches another node. rpc_call() has already checked the
 * opcode and the sizes; call() delivers the request to node, waits for the
 * reply and returns its length or a negative errno. The local transport
 * (node == this node) is built in; an Ethernet transport registers itself
 * with rpc_set_remote_transport() and callers do not change.
 */
struct rpc_transport_ops {
	const char *name;
	long (*call)(int node, enum rpc_opcode op, const void *req, size_t req_len,
		     void *reply, size_t reply_max);
	/* Optional: end the calls in flight to node, which was declared down. */
	void (*node_down)(int node);
	/*
	 * Optional: the epoch (boot id) of node's incarnation as last heard,
	 * 0 if unknown. Without it a node declared down never comes back.
	 */
	u64 (*node_epoch)(int node);
};

/* Use ops for every node other than this one (NULL: no remote transport). */
void rpc_set_remote_transport(const struct rpc_transport_ops *ops);

/*
 * Run op's handler for a request that came from src_node: what a transport
 * does on the receiving side. Returns like rpc_call().
 */
long rpc_dispatch(int src_node, enum rpc_opcode op, const void *req, size_t req_len,
		  void *reply, size_t reply_max);

#endif
