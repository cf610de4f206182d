/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Ethernet RPC protocol: the wire format and the reliability engine
 * (net/eth_proto.c, pure logic, host-tested in tools/testing/eth_proto_test.c)
 * that net/eth_transport.c drives with a NIC, kthreads and a clock.
 *
 * One RPC message (request or reply, up to RPC_MAX_PAYLOAD bytes) travels
 * as 1..ERPC_MAX_FRAGS frames of EtherType ERPC_ETHERTYPE. Each frame is
 *   [14-byte Ethernet header][struct erpc_hdr, 64 bytes][payload_len bytes]
 * and at most the sender's MTU (ETH_DATA_LEN, or up to ERPC_MTU_MAX with
 * jumbo frames: erpc_endpoint_set_mtu()) after the Ethernet header. A
 * message is cut into the fewest frames that MTU allows, split evenly
 * (erpc_frag_size()), so a receiver finds every fragment's place from
 * total_len and frag_count alone, whatever MTU its sender used.
 * The engine never touches the Ethernet header: it builds frames with
 * ETH_HLEN bytes of headroom that the transport fills, and is handed
 * received frames with the Ethernet header already stripped.
 *
 * Reliability (Documentation/cluster.md has the full rules):
 *  - each (client, server) pair numbers the client's requests 1, 2, ...;
 *    a request is resent with exponential backoff until its reply arrives
 *    or the server stays silent for ep->call_timeout (-ETIMEDOUT; an
 *    ERPC_BUSY answer to a resend renews it); the first resend waits
 *    srtt + 4 * rttvar of that server, measured on calls answered without
 *    a resend (as TCP does), within [ERPC_RTO_MIN_NS, ERPC_RTO_MAX_NS]
 *    and at most a quarter of the call timeout;
 *  - the server keeps each reply in a cache keyed by (peer, epoch, seq), so
 *    a resent request is answered from it and its handler runs once; a
 *    request also carries ack_seq, below which the client needs no reply
 *    any more: the server frees those entries and drops such seqs as replays;
 *    a client keeps its calls to one server within ERPC_WINDOW seqs of its
 *    ack_seq, so the cache (ERPC_CACHE_MAX) never refuses the call it waits on;
 *  - an epoch (random per boot) names each incarnation of a node: a peer
 *    with a new epoch rebooted, its old state is dropped, frames from its
 *    older epochs are stale, and a request addressed to this node's previous
 *    epoch is refused (-ECONNRESET reply) instead of being run.
 *
 * Locking: ep->lock (a spinlock) guards all of an endpoint's state. The
 * engine calls ->send with it held (so ->send must not sleep or re-enter the
 * engine) and ->request / ->call_done without it.
 */
#ifndef _MOSAIC_ETH_RPC_H
#define _MOSAIC_ETH_RPC_H

#include <mosaic/compiler.h>
#include <mosaic/list.h>
#include <mosaic/netdev.h>
#include <mosaic/rpc.h>
#include <mosaic/spinlock.h>
#include <mosaic/types.h>

#define ERPC_ETHERTYPE	0x88B5
#define ERPC_MAGIC	0x4350524dU	/* "MRPC" read as a little-endian u32 */
#define ERPC_VERSION	2	/* 2: fragments split evenly (any MTU) */

enum erpc_kind {
	ERPC_REQUEST = 1,
	ERPC_REPLY = 2,
	/*
	 * "Your request named dst_epoch 0 or an epoch I no longer have; mine is
	 * src_epoch." No payload, no handler ran. A client learns the epoch
	 * (dst_epoch 0: the first call's handshake, resent at once) or fails the
	 * call with -ECONNRESET (the server restarted since the call began).
	 */
	ERPC_EPOCH = 3,
	/*
	 * "Your request is still running here." No payload. Sent for a resend
	 * that finds its handler busy, so the client knows the server is alive
	 * and renews the call's deadline: ep->call_timeout bounds silence, not
	 * how long a handler may work (a FORK copying a large space).
	 */
	ERPC_BUSY = 4,
};

/*
 * The header in front of every frame's payload. Every field is little-endian
 * (the x86 byte order, so the code reads them as is). crc is the CRC-32 of
 * the header with crc = 0 followed by the payload bytes.
 */
struct erpc_hdr {
	u32 magic;		/* ERPC_MAGIC */
	u8 version;		/* ERPC_VERSION */
	u8 kind;		/* enum erpc_kind */
	u16 opcode;		/* enum rpc_opcode */
	u16 src_node;		/* sender */
	u16 dst_node;		/* receiver */
	u32 crc;
	u64 src_epoch;		/* sender's boot epoch */
	u64 dst_epoch;		/* receiver's epoch as the sender knows it; 0: not known yet */
	u64 seq;		/* the request's number; a reply repeats it */
	u64 ack_seq;		/* request: the client holds no reply below this seq */
	u8 frag_index;		/* this frame's place in the message, 0-based */
	u8 frag_count;		/* frames in the message, 1..ERPC_MAX_FRAGS */
	u16 payload_len;	/* payload bytes in this frame */
	u32 total_len;		/* payload bytes in the whole message */
	s32 status;		/* reply: the handler's negative errno, or 0 */
	u32 reply_max;		/* request: the caller's reply buffer size */
} __packed;

BUILD_BUG_ON(sizeof(struct erpc_hdr) != 64);
BUILD_BUG_ON(offsetof(struct erpc_hdr, src_epoch) != 16);
BUILD_BUG_ON(offsetof(struct erpc_hdr, frag_index) != 48);

#define ERPC_HDR_LEN		((unsigned int)sizeof(struct erpc_hdr))
/*
 * The largest MTU (bytes after the Ethernet header) the engine sends or
 * accepts: a jumbo frame that carries a 4 KiB page and its RPC header.
 */
#define ERPC_MTU_MAX		8000
#define ERPC_FRAME_MAX		(ETH_HLEN + ERPC_MTU_MAX)
/* Payload bytes per frame with a standard 1500-byte MTU, and with the largest. */
#define ERPC_FRAG_PAYLOAD	(ETH_DATA_LEN - ERPC_HDR_LEN)
#define ERPC_FRAG_PAYLOAD_MAX	(ERPC_MTU_MAX - ERPC_HDR_LEN)
#define ERPC_MAX_FRAGS		DIV_ROUND_UP(RPC_MAX_PAYLOAD, ERPC_FRAG_PAYLOAD)
BUILD_BUG_ON(ERPC_MAX_FRAGS > 64);	/* a reassembly's u64 bitmap */

/* ---- tunables (nanoseconds and counts) ---- */
#define ERPC_RTO_INIT_NS	(200ULL * 1000 * 1000)	/* first resend before any RTT sample */
#define ERPC_RTO_MIN_NS		(20ULL * 1000 * 1000)	/* never resend sooner than this */
#define ERPC_RTO_MAX_NS		(1000ULL * 1000 * 1000)	/* backoff stops doubling at 1 s */
#define ERPC_CALL_TIMEOUT_NS	(30ULL * 1000 * 1000 * 1000)	/* default silence before -ETIMEDOUT */
#define ERPC_REASM_TIMEOUT_NS	(2000ULL * 1000 * 1000)	/* a partial message is freed */
#define ERPC_REASM_SLOTS	32	/* partial messages held at once */
#define ERPC_CACHE_MAX		64	/* cached replies per client peer */
/*
 * A client sends a call only while its seq is below its lowest call still
 * waiting to that server plus ERPC_WINDOW; later calls are held until the
 * window slides. Then the server's cache, which keeps the replies from that
 * lowest seq up, always has room for the lowest call's request even when
 * that request was lost and every later one answered.
 */
#define ERPC_WINDOW		ERPC_CACHE_MAX
#define ERPC_OLD_EPOCHS		4	/* retired epochs remembered per peer */

/* Why a frame or message was dropped. Counted in erpc_stats.drops[]. */
enum erpc_drop {
	ERPC_DROP_SHORT,	/* shorter than its header says */
	ERPC_DROP_MAGIC,	/* wrong magic or version */
	ERPC_DROP_CSUM,		/* CRC mismatch */
	ERPC_DROP_NOT_MINE,	/* dst_node is another node */
	ERPC_DROP_MALFORMED,	/* fields that contradict each other or the limits */
	ERPC_DROP_FOREIGN,	/* from a node or MAC not in mosaic.peers (transport) */
	ERPC_DROP_STALE_EPOCH,	/* from an older incarnation of its sender */
	ERPC_DROP_REPLAY,	/* request below the peer's acknowledged seq */
	ERPC_DROP_IN_PROGRESS,	/* resent request whose handler still runs */
	ERPC_DROP_NO_CALL,	/* reply that no waiting call expects */
	ERPC_DROP_FRAG_DUP,	/* fragment already received */
	ERPC_DROP_REASM_FULL,	/* no free reassembly slot */
	ERPC_DROP_REASM_TIMEOUT,	/* partial message expired (counted per message) */
	ERPC_DROP_CACHE_FULL,	/* peer ignored ERPC_WINDOW: ERPC_CACHE_MAX replies cached */
	ERPC_DROP_NOMEM,
	ERPC_DROP_QUEUE_FULL,	/* transport's receive queue overflowed */
	ERPC_DROP_NR
};

/* Names for /proc and tests, indexed by enum erpc_drop. */
extern const char *const erpc_drop_names[ERPC_DROP_NR];

struct erpc_stats {
	u64 frames_in, frames_out;
	u64 retransmits;	/* request resends (every frame of it counts once) */
	u64 cache_replies;	/* duplicate requests answered from the reply cache */
	u64 epoch_replies;	/* ERPC_EPOCH sent: handshakes and refused old requests */
	u64 busy_replies;	/* ERPC_BUSY sent: resends of requests still running */
	u64 peer_restarts;	/* peers seen with a new epoch */
	u64 calls_done, calls_timeout;
	u64 drops[ERPC_DROP_NR];
	u64 served[RPC_NR_OPCODES];	/* handlers run per opcode */
};

/* A call in flight (the client side). The caller owns it; see erpc_call_start(). */
struct erpc_call {
	int node;
	enum rpc_opcode opcode;
	const void *req;
	size_t req_len;
	void *reply;
	size_t reply_max;
	void *waiter;		/* the transport's, e.g. a completion */

	/* engine state, under ep->lock */
	u64 seq;
	u64 dst_epoch;		/* the server epoch the request names */
	u64 sent_at;		/* first sent: its reply gives an RTT sample */
	u64 deadline;		/* -ETIMEDOUT at this time (renewed by ERPC_BUSY) */
	u64 next_resend;
	u64 rto;
	bool resent;		/* no RTT sample then: which copy was answered? */
	bool held;		/* numbered but not sent yet: beyond ERPC_WINDOW */
	long result;		/* reply length or negative errno, once done */
	bool done;
	struct list_head link;	/* on ep->calls while in flight or held */
};

/* A request the server side hands to ->request (see erpc_send_reply()). */
struct erpc_request {
	int src_node;
	enum rpc_opcode opcode;
	const void *data;	/* valid until ->request returns */
	size_t len;
	size_t reply_max;
	struct erpc_cached *slot;	/* for erpc_send_reply() */
};

struct erpc_reasm;
struct erpc_endpoint;

struct erpc_ops {
	/*
	 * Send one frame to node: ETH_HLEN bytes of headroom for the transport
	 * to fill, then len - ETH_HLEN bytes of erpc header and payload.
	 * Called with ep->lock held; a lost frame is resent by the engine.
	 */
	void (*send)(struct erpc_endpoint *ep, int node, void *frame, size_t len);
	/*
	 * A new request: run its handler (now or later, once) and pass the
	 * result to erpc_send_reply(ep, rq->slot, ...).
	 */
	void (*request)(struct erpc_endpoint *ep, const struct erpc_request *rq);
	/* call is done (call->result is set): wake its caller. */
	void (*call_done)(struct erpc_endpoint *ep, struct erpc_call *call);
};

/* What this endpoint knows of one other node, as server and as client. */
struct erpc_peer {
	bool known;			/* a request from it was seen */
	u64 epoch;			/* its current epoch (as a client of ours) */
	u64 old_epochs[ERPC_OLD_EPOCHS];	/* ring of its retired epochs */
	unsigned int old_next;
	u64 floor;			/* its requests below this seq are replays */
	struct list_head cache;		/* struct erpc_cached, by arrival */
	unsigned int cache_len;

	u64 next_seq;			/* our next request to it */
	u64 server_epoch;		/* its epoch as our server; 0: unknown */
	u64 srtt, rttvar;		/* smoothed round trip and its deviation; 0: none yet */
};

struct erpc_endpoint {
	spinlock_t lock;
	int self;			/* this node's id */
	u64 epoch;			/* this boot's epoch, never 0 */
	u64 call_timeout;		/* ns of server silence that end a call (-ETIMEDOUT) */
	const struct erpc_ops *ops;
	void *priv;			/* the transport's */
	struct list_head calls;		/* struct erpc_call in flight or held, by seq */
	struct erpc_reasm *reasm;	/* ERPC_REASM_SLOTS partial messages */
	struct erpc_peer peers[RPC_MAX_NODES];
	struct erpc_stats stats;
	unsigned int frag_payload;	/* payload bytes per frame sent (the MTU's) */
	u8 txbuf[ERPC_FRAME_MAX];	/* the frame being built (under lock) */
};

/* Set up ep (epoch: this boot's, non-zero). 0 or -ENOMEM/-EINVAL. */
int erpc_endpoint_init(struct erpc_endpoint *ep, int self, u64 epoch,
		       const struct erpc_ops *ops, void *priv);
/*
 * Send frames of up to mtu bytes after the Ethernet header (ETH_DATA_LEN
 * until set). 0, or -EINVAL outside ETH_DATA_LEN..ERPC_MTU_MAX. Frames of
 * any MTU in that range are always accepted.
 */
int erpc_endpoint_set_mtu(struct erpc_endpoint *ep, unsigned int mtu);
/* Free everything ep holds (no call may be in flight). */
void erpc_endpoint_destroy(struct erpc_endpoint *ep);

/*
 * Send call's request (fields node..reply_max filled by the caller), or hold
 * it until ERPC_WINDOW admits it, and keep it in flight; ->call_done reports
 * the end. A held call has no deadline yet: the calls ahead of it have. 0, or -EINVAL (node is self or
 * out of range, payload too large). The caller keeps req, reply and call
 * alive until done, or calls erpc_call_cancel().
 */
int erpc_call_start(struct erpc_endpoint *ep, struct erpc_call *call, u64 now);
/* Forget a call that is not done (its reply, if any comes, is dropped). */
void erpc_call_cancel(struct erpc_endpoint *ep, struct erpc_call *call);

/*
 * End every call in flight to node with err (the node was declared down):
 * their callers return at once instead of each waiting for its deadline.
 */
void erpc_fail_calls_to(struct erpc_endpoint *ep, int node, long err);

/* Take one received frame (Ethernet header stripped). */
void erpc_rx(struct erpc_endpoint *ep, const void *msg, size_t len, u64 now);

/* Resend what is due, time out calls and partial messages. Call every few ms. */
void erpc_tick(struct erpc_endpoint *ep, u64 now);

/* Finish a request from ->request: status < 0 is an errno, else reply holds len bytes. */
void erpc_send_reply(struct erpc_endpoint *ep, struct erpc_cached *slot, long status,
		     const void *reply, size_t len);

/* node's epoch as a server, as last heard (0: never heard). */
u64 erpc_server_epoch(struct erpc_endpoint *ep, int node);

/* Count a drop the transport decided (ERPC_DROP_FOREIGN...). Not from IRQ context. */
void erpc_count_drop(struct erpc_endpoint *ep, enum erpc_drop why);

/* A consistent copy of the counters. */
void erpc_get_stats(struct erpc_endpoint *ep, struct erpc_stats *out);

#endif
