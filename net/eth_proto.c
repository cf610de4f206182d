// SPDX-License-Identifier: GPL-2.0
/*
 * The Ethernet RPC reliability engine: pure logic with no hardware, clock
 * or threads of its own (net/eth_transport.c supplies them; the host test
 * tools/testing/eth_proto_test.c supplies a lossy simulated wire).
 * Interface and wire format: include/mosaic/eth_rpc.h.
 *
 * Reading order: frame checks, sending a message, reassembly, the server
 * side (peer epochs, reply cache), the client side (calls, replies,
 * retransmission), then erpc_rx() / erpc_tick() which tie them together.
 *
 * Locking: ep->lock guards everything. Every function named erpc_*_locked or
 * documented "Context: ep->lock held" expects it; the exported functions
 * take it themselves and call ->request and ->call_done after dropping it.
 */
#include <mosaic/crc32.h>
#include <mosaic/errno.h>
#include <mosaic/eth_rpc.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

const char *const erpc_drop_names[ERPC_DROP_NR] = {
	[ERPC_DROP_SHORT] = "short",
	[ERPC_DROP_MAGIC] = "magic",
	[ERPC_DROP_CSUM] = "checksum",
	[ERPC_DROP_NOT_MINE] = "not_mine",
	[ERPC_DROP_MALFORMED] = "malformed",
	[ERPC_DROP_FOREIGN] = "foreign",
	[ERPC_DROP_STALE_EPOCH] = "stale_epoch",
	[ERPC_DROP_REPLAY] = "replay",
	[ERPC_DROP_IN_PROGRESS] = "in_progress",
	[ERPC_DROP_NO_CALL] = "no_call",
	[ERPC_DROP_FRAG_DUP] = "frag_dup",
	[ERPC_DROP_REASM_FULL] = "reasm_full",
	[ERPC_DROP_REASM_TIMEOUT] = "reasm_timeout",
	[ERPC_DROP_CACHE_FULL] = "cache_full",
	[ERPC_DROP_NOMEM] = "nomem",
	[ERPC_DROP_QUEUE_FULL] = "queue_full",
};

/* A reply kept for resending: one per request a client may still repeat. */
struct erpc_cached {
	struct list_head link;	/* on peer->cache; empty once orphaned */
	int node;
	u64 peer_epoch;		/* the requester's epoch when it asked */
	u64 seq;
	enum rpc_opcode opcode;
	bool done;		/* the handler returned: status/reply valid */
	bool orphan;		/* the requester restarted: free when done */
	s32 status;
	void *reply;
	size_t len;
};

/* A message whose fragments are still arriving. */
struct erpc_reasm {
	bool used;
	struct erpc_hdr first;	/* header of the first fragment seen */
	u64 have;		/* bitmap of received fragment indexes */
	unsigned int received;
	u8 *buf;		/* total_len bytes */
	u64 expires;
};

/* A complete received message: a single frame or a finished reassembly. */
struct erpc_msg {
	const struct erpc_hdr *h;
	const void *data;	/* h->total_len bytes */
};

/* What erpc_rx() must do once ep->lock is dropped. */
struct erpc_after {
	struct erpc_call *done_call;
	struct erpc_request rq;
	bool run_request;
};

/* ---- frame checks ---- */

static u32 erpc_frame_crc(const struct erpc_hdr *h, const void *payload)
{
	struct erpc_hdr copy = *h;

	copy.crc = 0;
	return crc32(crc32(0, &copy, sizeof(copy)), payload, h->payload_len);
}

/* Is the frame whole, ours and intact? */
static int erpc_check_envelope(const struct erpc_endpoint *ep, const void *msg, size_t len)
{
	const struct erpc_hdr *h = msg;

	if (len < ERPC_HDR_LEN)
		return ERPC_DROP_SHORT;
	if (h->magic != ERPC_MAGIC || h->version != ERPC_VERSION)
		return ERPC_DROP_MAGIC;
	if (h->payload_len > len - ERPC_HDR_LEN)
		return ERPC_DROP_SHORT;
	if (h->crc != erpc_frame_crc(h, h + 1))
		return ERPC_DROP_CSUM;
	if (h->dst_node != ep->self)
		return ERPC_DROP_NOT_MINE;
	return ERPC_DROP_NR;
}

/*
 * A message of total_len bytes in count frames is split evenly: every
 * fragment carries this many bytes but the last, which carries the rest.
 */
static size_t erpc_frag_size(u32 total_len, unsigned int count)
{
	return DIV_ROUND_UP((size_t)total_len, count);
}

/* Payload bytes fragment index of a total_len-byte message in count frames carries. */
static size_t erpc_frag_len(u32 total_len, unsigned int count, unsigned int index)
{
	size_t size = erpc_frag_size(total_len, count);
	size_t off = (size_t)index * size;

	return off < total_len ? min((size_t)total_len - off, size) : 0;
}

/* Frames for a total_len-byte message with frag_payload bytes per frame (at least one). */
static unsigned int erpc_frag_count(size_t total_len, unsigned int frag_payload)
{
	return total_len ? DIV_ROUND_UP(total_len, frag_payload) : 1;
}

/* Can count frames carry total_len bytes, none empty and none above ERPC_MTU_MAX? */
static bool erpc_frag_layout_valid(u32 total_len, unsigned int count)
{
	if (!count || count > ERPC_MAX_FRAGS)
		return false;
	if (!total_len)
		return count == 1;
	return erpc_frag_size(total_len, count) <= ERPC_FRAG_PAYLOAD_MAX &&
	       erpc_frag_len(total_len, count, count - 1) > 0;
}

/* Do the fields agree with each other and with the limits? */
static bool erpc_fields_valid(const struct erpc_endpoint *ep, const struct erpc_hdr *h)
{
	if (h->kind < ERPC_REQUEST || h->kind > ERPC_BUSY)
		return false;
	if (h->src_node >= RPC_MAX_NODES || h->src_node == ep->self || !h->src_epoch)
		return false;
	if (h->opcode >= RPC_NR_OPCODES || h->total_len > RPC_MAX_PAYLOAD)
		return false;
	if (!erpc_frag_layout_valid(h->total_len, h->frag_count) || h->frag_index >= h->frag_count)
		return false;
	if (h->payload_len != erpc_frag_len(h->total_len, h->frag_count, h->frag_index))
		return false;
	if (h->kind == ERPC_REQUEST)
		return h->reply_max <= RPC_MAX_PAYLOAD && h->ack_seq <= h->seq && h->seq;
	return h->kind == ERPC_REPLY || h->total_len == 0;
}

/* ERPC_DROP_NR when the frame may be processed, else why to drop it. */
static int erpc_check_frame(const struct erpc_endpoint *ep, const void *msg, size_t len)
{
	int why = erpc_check_envelope(ep, msg, len);

	if (why != ERPC_DROP_NR)
		return why;
	return erpc_fields_valid(ep, msg) ? ERPC_DROP_NR : ERPC_DROP_MALFORMED;
}

/* ---- sending ---- */

/*
 * Send a message as frames, with tmpl's fields (kind, opcode, epochs, seq,
 * ack, status, reply_max) and len bytes of data. Context: ep->lock held.
 */
static void erpc_send_message_locked(struct erpc_endpoint *ep, int node,
				     const struct erpc_hdr *tmpl, const void *data, size_t len)
{
	struct erpc_hdr *h = (struct erpc_hdr *)(ep->txbuf + ETH_HLEN);
	unsigned int count = erpc_frag_count(len, ep->frag_payload), i;
	size_t size = erpc_frag_size(len, count);

	for (i = 0; i < count; i++) {
		*h = *tmpl;
		h->magic = ERPC_MAGIC;
		h->version = ERPC_VERSION;
		h->src_node = ep->self;
		h->dst_node = node;
		h->src_epoch = ep->epoch;
		h->frag_index = i;
		h->frag_count = count;
		h->total_len = len;
		h->payload_len = erpc_frag_len(len, count, i);
		if (h->payload_len)
			memcpy(h + 1, (const u8 *)data + (size_t)i * size, h->payload_len);
		h->crc = erpc_frame_crc(h, h + 1);
		ep->stats.frames_out++;
		ep->ops->send(ep, node, ep->txbuf, ETH_HLEN + ERPC_HDR_LEN + h->payload_len);
	}
}

/* ---- reassembly ---- */

static bool erpc_same_message(const struct erpc_hdr *a, const struct erpc_hdr *b)
{
	return a->kind == b->kind && a->src_node == b->src_node &&
	       a->src_epoch == b->src_epoch && a->seq == b->seq;
}

static void erpc_reasm_free(struct erpc_reasm *r)
{
	kfree(r->buf);
	r->buf = NULL;
	r->used = false;
}

/* The slot collecting h's message, a fresh one, or NULL (counted). */
static struct erpc_reasm *erpc_reasm_slot(struct erpc_endpoint *ep, const struct erpc_hdr *h,
					  u64 now)
{
	struct erpc_reasm *free_slot = NULL;

	for (int i = 0; i < ERPC_REASM_SLOTS; i++) {
		struct erpc_reasm *r = &ep->reasm[i];

		if (r->used && erpc_same_message(&r->first, h))
			return r;
		if (!r->used && !free_slot)
			free_slot = r;
	}
	if (!free_slot) {
		ep->stats.drops[ERPC_DROP_REASM_FULL]++;
		return NULL;
	}
	free_slot->buf = kmalloc(h->total_len);
	if (!free_slot->buf) {
		ep->stats.drops[ERPC_DROP_NOMEM]++;
		return NULL;
	}
	free_slot->used = true;
	free_slot->first = *h;
	free_slot->have = 0;
	free_slot->received = 0;
	free_slot->expires = now + ERPC_REASM_TIMEOUT_NS;
	return free_slot;
}

/*
 * Add a fragment. Returns the slot when the message is complete (the
 * caller takes r->buf and frees the slot), else NULL. Context: ep->lock held.
 */
static struct erpc_reasm *erpc_reasm_add(struct erpc_endpoint *ep, const struct erpc_hdr *h,
					 u64 now)
{
	struct erpc_reasm *r = erpc_reasm_slot(ep, h, now);
	u64 bit = 1ULL << h->frag_index;

	if (!r)
		return NULL;
	if (r->first.total_len != h->total_len || r->first.opcode != h->opcode ||
	    r->first.frag_count != h->frag_count) {
		ep->stats.drops[ERPC_DROP_MALFORMED]++;
		return NULL;
	}
	if (r->have & bit) {
		ep->stats.drops[ERPC_DROP_FRAG_DUP]++;
		return NULL;
	}
	r->have |= bit;
	r->received++;
	memcpy(r->buf + (size_t)h->frag_index * erpc_frag_size(h->total_len, h->frag_count),
	       h + 1, h->payload_len);
	return r->received == h->frag_count ? r : NULL;
}

/* Context: ep->lock held. */
static void erpc_reasm_expire_locked(struct erpc_endpoint *ep, u64 now)
{
	for (int i = 0; i < ERPC_REASM_SLOTS; i++) {
		struct erpc_reasm *r = &ep->reasm[i];

		if (r->used && now >= r->expires) {
			erpc_reasm_free(r);
			ep->stats.drops[ERPC_DROP_REASM_TIMEOUT]++;
		}
	}
}

/* ---- server side: peer epochs and the reply cache ---- */

static void erpc_cached_free(struct erpc_cached *c)
{
	kfree(c->reply);
	kfree(c);
}

/* Drop one cache entry: freed if its handler is done, else freed when it is. */
static void erpc_cache_forget(struct erpc_peer *peer, struct erpc_cached *c)
{
	list_del_init(&c->link);
	peer->cache_len--;
	if (c->done)
		erpc_cached_free(c);
	else
		c->orphan = true;
}

/* The peer restarted (new epoch): forget what its old incarnation asked. */
static void erpc_peer_restart(struct erpc_endpoint *ep, struct erpc_peer *peer, u64 epoch)
{
	struct erpc_cached *c, *n;

	list_for_each_entry_safe(c, n, &peer->cache, link)
		erpc_cache_forget(peer, c);
	peer->old_epochs[peer->old_next] = peer->epoch;
	peer->old_next = (peer->old_next + 1) % ERPC_OLD_EPOCHS;
	peer->epoch = epoch;
	peer->floor = 0;
	ep->stats.peer_restarts++;
}

static bool erpc_epoch_retired(const struct erpc_peer *peer, u64 epoch)
{
	for (int i = 0; i < ERPC_OLD_EPOCHS; i++)
		if (peer->old_epochs[i] == epoch)
			return true;
	return false;
}

/* Check a request's sender epoch, adopting a new one. Context: ep->lock held. */
static int erpc_peer_check_epoch(struct erpc_endpoint *ep, struct erpc_peer *peer, u64 epoch)
{
	if (!peer->known) {
		peer->known = true;
		peer->epoch = epoch;
		return ERPC_DROP_NR;
	}
	if (epoch == peer->epoch)
		return ERPC_DROP_NR;
	if (erpc_epoch_retired(peer, epoch))
		return ERPC_DROP_STALE_EPOCH;
	erpc_peer_restart(ep, peer, epoch);
	return ERPC_DROP_NR;
}

/* The client needs no reply below ack any more. Context: ep->lock held. */
static void erpc_peer_ack(struct erpc_peer *peer, u64 ack)
{
	struct erpc_cached *c, *n;

	if (ack <= peer->floor)
		return;
	peer->floor = ack;
	list_for_each_entry_safe(c, n, &peer->cache, link)
		if (c->seq < ack)
			erpc_cache_forget(peer, c);
}

static struct erpc_cached *erpc_cache_find(struct erpc_peer *peer, u64 seq)
{
	struct erpc_cached *c;

	list_for_each_entry(c, &peer->cache, link)
		if (c->seq == seq)
			return c;
	return NULL;
}

/* Answer a request with an empty frame of kind (EPOCH, BUSY). Context: ep->lock held. */
static void erpc_send_notice_locked(struct erpc_endpoint *ep, const struct erpc_hdr *req,
				    enum erpc_kind kind)
{
	struct erpc_hdr tmpl = {
		.kind = kind, .opcode = req->opcode,
		.dst_epoch = req->src_epoch, .seq = req->seq,
	};

	erpc_send_message_locked(ep, req->src_node, &tmpl, NULL, 0);
}

/* Answer "wrong epoch, mine is ep->epoch" to a request. Context: ep->lock held. */
static void erpc_send_epoch_locked(struct erpc_endpoint *ep, const struct erpc_hdr *req)
{
	ep->stats.epoch_replies++;
	erpc_send_notice_locked(ep, req, ERPC_EPOCH);
}

/* Context: ep->lock held. */
static void erpc_send_cached_locked(struct erpc_endpoint *ep, const struct erpc_cached *c)
{
	struct erpc_hdr tmpl = {
		.kind = ERPC_REPLY, .opcode = c->opcode, .dst_epoch = c->peer_epoch,
		.seq = c->seq, .status = c->status,
	};

	erpc_send_message_locked(ep, c->node, &tmpl, c->reply, c->len);
}

/* A new request: remember it as running and hand it out. Context: ep->lock held. */
static void erpc_accept_request(struct erpc_endpoint *ep, struct erpc_peer *peer,
				const struct erpc_msg *m, struct erpc_after *after)
{
	const struct erpc_hdr *h = m->h;
	struct erpc_cached *c;

	if (peer->cache_len >= ERPC_CACHE_MAX) {	/* only a client beyond its window */
		ep->stats.drops[ERPC_DROP_CACHE_FULL]++;
		return;
	}
	c = kzalloc(sizeof(*c));
	if (!c) {
		ep->stats.drops[ERPC_DROP_NOMEM]++;
		return;
	}
	c->node = h->src_node;
	c->peer_epoch = h->src_epoch;
	c->seq = h->seq;
	c->opcode = h->opcode;
	list_add_tail(&c->link, &peer->cache);
	peer->cache_len++;
	ep->stats.served[h->opcode]++;
	after->run_request = true;
	after->rq = (struct erpc_request){
		.src_node = h->src_node, .opcode = h->opcode, .data = m->data,
		.len = h->total_len, .reply_max = h->reply_max, .slot = c,
	};
}

/* A complete request. Context: ep->lock held. */
static void erpc_rx_request(struct erpc_endpoint *ep, const struct erpc_msg *m,
			    struct erpc_after *after)
{
	const struct erpc_hdr *h = m->h;
	struct erpc_peer *peer = &ep->peers[h->src_node];
	struct erpc_cached *c;

	if (h->dst_epoch != ep->epoch) {
		erpc_send_epoch_locked(ep, h);	/* a handshake, or meant for our old self */
		return;
	}
	erpc_peer_ack(peer, h->ack_seq);
	if (h->seq < peer->floor) {
		ep->stats.drops[ERPC_DROP_REPLAY]++;
		return;
	}
	c = erpc_cache_find(peer, h->seq);
	if (!c) {
		erpc_accept_request(ep, peer, m, after);
	} else if (!c->done) {
		ep->stats.drops[ERPC_DROP_IN_PROGRESS]++;
		ep->stats.busy_replies++;
		erpc_send_notice_locked(ep, h, ERPC_BUSY);	/* alive, still working */
	} else {
		ep->stats.cache_replies++;
		erpc_send_cached_locked(ep, c);
	}
}

void erpc_send_reply(struct erpc_endpoint *ep, struct erpc_cached *c, long status,
		     const void *reply, size_t len)
{
	struct erpc_peer *peer = &ep->peers[c->node];

	spin_lock(&ep->lock);
	if (c->orphan) {
		erpc_cached_free(c);
		goto out;
	}
	if (status >= 0 && len) {
		c->reply = kmalloc(len);
		if (c->reply)
			memcpy(c->reply, reply, len);
		else
			status = -ENOMEM;
	}
	c->status = status < 0 ? status : 0;
	c->len = status < 0 ? 0 : len;
	c->done = true;
	if (c->seq < peer->floor)
		erpc_cache_forget(peer, c);	/* the client gave up on it */
	else
		erpc_send_cached_locked(ep, c);
out:
	spin_unlock(&ep->lock);
}

/* ---- client side ---- */

/* Lowest seq to node still waiting for a reply. Context: ep->lock held. */
static u64 erpc_client_ack(struct erpc_endpoint *ep, int node)
{
	u64 ack = ep->peers[node].next_seq;
	struct erpc_call *call;

	list_for_each_entry(call, &ep->calls, link)
		if (call->node == node && call->seq < ack)
			ack = call->seq;
	return ack;
}

/* Context: ep->lock held. */
static void erpc_send_request_locked(struct erpc_endpoint *ep, struct erpc_call *call)
{
	struct erpc_hdr tmpl = {
		.kind = ERPC_REQUEST, .opcode = call->opcode, .dst_epoch = call->dst_epoch,
		.seq = call->seq, .ack_seq = erpc_client_ack(ep, call->node),
		.reply_max = call->reply_max,
	};

	erpc_send_message_locked(ep, call->node, &tmpl, call->req, call->req_len);
}

/* The first resend timeout for a call to peer. */
static u64 erpc_peer_rto(const struct erpc_peer *peer)
{
	u64 rto;

	if (!peer->srtt)
		return ERPC_RTO_INIT_NS;
	rto = peer->srtt + 4 * peer->rttvar;
	return max(min(rto, ERPC_RTO_MAX_NS), ERPC_RTO_MIN_NS);
}

/* Fold one round trip into the peer's estimate (gains 1/8 and 1/4). */
static void erpc_peer_rtt_sample(struct erpc_peer *peer, u64 rtt)
{
	u64 err;

	if (!peer->srtt) {
		peer->srtt = rtt ? rtt : 1;
		peer->rttvar = rtt / 2;
		return;
	}
	err = rtt > peer->srtt ? rtt - peer->srtt : peer->srtt - rtt;
	peer->rttvar = (3 * peer->rttvar + err) / 4;
	peer->srtt = (7 * peer->srtt + rtt) / 8;
	if (!peer->srtt)
		peer->srtt = 1;
}

/* Does the window admit call (see ERPC_WINDOW)? Context: ep->lock held. */
static bool erpc_in_window(struct erpc_endpoint *ep, const struct erpc_call *call)
{
	return call->seq < erpc_client_ack(ep, call->node) + ERPC_WINDOW;
}

/* Send call for the first time: its clocks start now. Context: ep->lock held. */
static void erpc_first_send_locked(struct erpc_endpoint *ep, struct erpc_call *call, u64 now)
{
	call->held = false;
	call->sent_at = now;
	call->deadline = now + ep->call_timeout;
	call->rto = erpc_peer_rto(&ep->peers[call->node]);
	call->next_resend = now + call->rto;
	erpc_send_request_locked(ep, call);
}

/* Send the held calls the window admits now, lowest seq first. Context: ep->lock held. */
static void erpc_send_held_locked(struct erpc_endpoint *ep, u64 now)
{
	struct erpc_call *call;

	list_for_each_entry(call, &ep->calls, link)
		if (call->held && erpc_in_window(ep, call))
			erpc_first_send_locked(ep, call, now);
}

int erpc_call_start(struct erpc_endpoint *ep, struct erpc_call *call, u64 now)
{
	struct erpc_peer *peer;

	if (call->node < 0 || call->node >= RPC_MAX_NODES || call->node == ep->self ||
	    call->req_len > RPC_MAX_PAYLOAD || call->reply_max > RPC_MAX_PAYLOAD ||
	    (unsigned int)call->opcode >= RPC_NR_OPCODES)
		return -EINVAL;
	peer = &ep->peers[call->node];
	spin_lock(&ep->lock);
	call->seq = peer->next_seq++;
	call->dst_epoch = peer->server_epoch;	/* a restart meanwhile fails it (-ECONNRESET) */
	call->resent = false;
	call->done = false;
	call->result = 0;
	list_add_tail(&call->link, &ep->calls);
	call->held = !erpc_in_window(ep, call);
	if (!call->held)
		erpc_first_send_locked(ep, call, now);
	spin_unlock(&ep->lock);
	return 0;
}

void erpc_call_cancel(struct erpc_endpoint *ep, struct erpc_call *call)
{
	spin_lock(&ep->lock);
	if (!call->done) {
		list_del_init(&call->link);
		call->done = true;
		call->result = -ECANCELED;
	}
	spin_unlock(&ep->lock);
}

static struct erpc_call *erpc_find_call(struct erpc_endpoint *ep, int node, u64 seq)
{
	struct erpc_call *call;

	list_for_each_entry(call, &ep->calls, link)
		if (call->node == node && call->seq == seq)
			return call;
	return NULL;
}

/* Context: ep->lock held. */
static void erpc_finish_call(struct erpc_endpoint *ep, struct erpc_call *call, long result,
			     struct erpc_after *after)
{
	list_del_init(&call->link);
	call->result = result;
	call->done = true;
	if (result == -ETIMEDOUT)
		ep->stats.calls_timeout++;
	else
		ep->stats.calls_done++;
	after->done_call = call;
}

/* The server's epoch differs from what call named. Context: ep->lock held. */
static void erpc_rx_epoch(struct erpc_endpoint *ep, struct erpc_call *call,
			  const struct erpc_hdr *h, u64 now, struct erpc_after *after)
{
	if (call->dst_epoch == h->src_epoch) {
		ep->stats.drops[ERPC_DROP_NO_CALL]++;	/* a duplicate of one handled */
		return;
	}
	ep->peers[call->node].server_epoch = h->src_epoch;
	if (call->dst_epoch) {
		erpc_finish_call(ep, call, -ECONNRESET, after);	/* it restarted */
		return;
	}
	call->dst_epoch = h->src_epoch;		/* handshake done: ask for real */
	call->sent_at = now;
	call->next_resend = now + call->rto;
	erpc_send_request_locked(ep, call);
}

/* A complete reply for call. Context: ep->lock held. */
static void erpc_rx_reply(struct erpc_endpoint *ep, struct erpc_call *call,
			  const struct erpc_msg *m, u64 now, struct erpc_after *after)
{
	const struct erpc_hdr *h = m->h;
	struct erpc_peer *peer = &ep->peers[call->node];
	long result = h->status;

	peer->server_epoch = h->src_epoch;
	if (!call->resent)
		erpc_peer_rtt_sample(peer, now - call->sent_at);
	if (!h->status) {
		result = h->total_len;
		if (h->total_len > call->reply_max)
			result = -EMSGSIZE;	/* the server ignored our reply_max */
		else if (h->total_len)
			memcpy(call->reply, m->data, h->total_len);
	}
	erpc_finish_call(ep, call, result, after);
}

/* ---- receive and tick ---- */

/* A reply or epoch frame for a call still in flight, or NULL (counted). */
static struct erpc_call *erpc_reply_target(struct erpc_endpoint *ep, const struct erpc_hdr *h)
{
	struct erpc_call *call;

	if (h->dst_epoch != ep->epoch) {
		ep->stats.drops[ERPC_DROP_STALE_EPOCH]++;	/* meant for our old self */
		return NULL;
	}
	call = erpc_find_call(ep, h->src_node, h->seq);
	if (!call || call->held || call->opcode != h->opcode) {
		ep->stats.drops[ERPC_DROP_NO_CALL]++;	/* a held call was never asked */
		return NULL;
	}
	return call;
}

/*
 * Gather h's message: a single frame is complete as is; a fragment goes to
 * reassembly. Returns false while incomplete. *owned is the buffer the
 * caller frees after use. Context: ep->lock held.
 */
static bool erpc_gather(struct erpc_endpoint *ep, const struct erpc_hdr *h, u64 now,
			struct erpc_msg *m, void **owned)
{
	struct erpc_reasm *r;

	m->h = h;
	m->data = h + 1;
	if (h->frag_count == 1)
		return true;
	r = erpc_reasm_add(ep, h, now);
	if (!r)
		return false;
	*owned = r->buf;
	m->data = r->buf;
	r->buf = NULL;
	erpc_reasm_free(r);
	return true;
}

/* Context: ep->lock held. */
static void erpc_rx_locked(struct erpc_endpoint *ep, const struct erpc_hdr *h, u64 now,
			   struct erpc_after *after, void **owned)
{
	struct erpc_call *call = NULL;
	struct erpc_msg m;
	int why;

	if (h->kind == ERPC_REQUEST) {
		why = erpc_peer_check_epoch(ep, &ep->peers[h->src_node], h->src_epoch);
		if (why != ERPC_DROP_NR) {
			ep->stats.drops[why]++;
			return;
		}
	} else {
		call = erpc_reply_target(ep, h);
		if (!call)
			return;
	}
	if (!erpc_gather(ep, h, now, &m, owned))
		return;
	if (h->kind == ERPC_REQUEST)
		erpc_rx_request(ep, &m, after);
	else if (h->kind == ERPC_REPLY)
		erpc_rx_reply(ep, call, &m, now, after);
	else if (h->kind == ERPC_BUSY)
		call->deadline = now + ep->call_timeout;	/* the server is alive */
	else
		erpc_rx_epoch(ep, call, h, now, after);
}

void erpc_rx(struct erpc_endpoint *ep, const void *msg, size_t len, u64 now)
{
	struct erpc_after after = { 0 };
	void *owned = NULL;
	int why;

	spin_lock(&ep->lock);
	ep->stats.frames_in++;
	why = erpc_check_frame(ep, msg, len);
	if (why == ERPC_DROP_NR)
		erpc_rx_locked(ep, msg, now, &after, &owned);
	else
		ep->stats.drops[why]++;
	if (after.done_call)
		erpc_send_held_locked(ep, now);	/* the window may have slid */
	spin_unlock(&ep->lock);

	if (after.done_call)
		ep->ops->call_done(ep, after.done_call);
	if (after.run_request)
		ep->ops->request(ep, &after.rq);
	kfree(owned);
}

/* Time out or resend one call. Context: ep->lock held. */
static void erpc_tick_call(struct erpc_endpoint *ep, struct erpc_call *call, u64 now,
			   struct list_head *timed_out)
{
	if (call->held)
		return;		/* no clock runs before it is sent */
	if (now >= call->deadline) {
		list_move_tail(&call->link, timed_out);
		return;
	}
	if (now < call->next_resend)
		return;
	/* Resend several times per timeout, so an ERPC_BUSY can renew it in time. */
	call->rto = min(call->rto * 2, min(ERPC_RTO_MAX_NS, ep->call_timeout / 4));
	call->next_resend = now + call->rto;
	call->resent = true;
	ep->stats.retransmits++;
	erpc_send_request_locked(ep, call);
}

/* Mark the calls moved to list done with err. Context: ep->lock held. */
static void erpc_end_calls_locked(struct erpc_endpoint *ep, struct list_head *list, long err)
{
	struct erpc_call *call;

	list_for_each_entry(call, list, link) {
		call->result = err;
		call->done = true;
		ep->stats.calls_timeout++;
	}
}

/* Tell the callers of the calls on list, with ep->lock dropped. */
static void erpc_report_calls(struct erpc_endpoint *ep, struct list_head *list)
{
	struct erpc_call *call, *n;

	/* ->call_done may free the call: step past it first. */
	list_for_each_entry_safe(call, n, list, link) {
		list_del_init(&call->link);
		ep->ops->call_done(ep, call);
	}
}

void erpc_tick(struct erpc_endpoint *ep, u64 now)
{
	struct erpc_call *call, *n;
	LIST_HEAD(timed_out);

	spin_lock(&ep->lock);
	list_for_each_entry_safe(call, n, &ep->calls, link)
		erpc_tick_call(ep, call, now, &timed_out);
	erpc_end_calls_locked(ep, &timed_out, -ETIMEDOUT);
	erpc_send_held_locked(ep, now);	/* after timeouts and cancelled calls */
	erpc_reasm_expire_locked(ep, now);
	spin_unlock(&ep->lock);
	erpc_report_calls(ep, &timed_out);
}

void erpc_fail_calls_to(struct erpc_endpoint *ep, int node, long err)
{
	struct erpc_call *call, *n;
	LIST_HEAD(failed);

	spin_lock(&ep->lock);
	list_for_each_entry_safe(call, n, &ep->calls, link)
		if (call->node == node)
			list_move_tail(&call->link, &failed);
	erpc_end_calls_locked(ep, &failed, err);
	spin_unlock(&ep->lock);
	erpc_report_calls(ep, &failed);
}

u64 erpc_server_epoch(struct erpc_endpoint *ep, int node)
{
	u64 epoch;

	if (node < 0 || node >= RPC_MAX_NODES)
		return 0;
	spin_lock(&ep->lock);
	epoch = ep->peers[node].server_epoch;
	spin_unlock(&ep->lock);
	return epoch;
}

/* ---- setup and counters ---- */

int erpc_endpoint_init(struct erpc_endpoint *ep, int self, u64 epoch,
		       const struct erpc_ops *ops, void *priv)
{
	if (self < 0 || self >= RPC_MAX_NODES || !epoch || !ops)
		return -EINVAL;
	memset(ep, 0, sizeof(*ep));
	ep->reasm = kzalloc(ERPC_REASM_SLOTS * sizeof(*ep->reasm));
	if (!ep->reasm)
		return -ENOMEM;
	spin_lock_init(&ep->lock);
	ep->self = self;
	ep->epoch = epoch;
	ep->call_timeout = ERPC_CALL_TIMEOUT_NS;
	ep->frag_payload = ERPC_FRAG_PAYLOAD;
	ep->ops = ops;
	ep->priv = priv;
	INIT_LIST_HEAD(&ep->calls);
	for (int i = 0; i < RPC_MAX_NODES; i++) {
		INIT_LIST_HEAD(&ep->peers[i].cache);
		ep->peers[i].next_seq = 1;
	}
	return 0;
}

int erpc_endpoint_set_mtu(struct erpc_endpoint *ep, unsigned int mtu)
{
	if (mtu < ETH_DATA_LEN || mtu > ERPC_MTU_MAX)
		return -EINVAL;
	spin_lock(&ep->lock);
	ep->frag_payload = mtu - ERPC_HDR_LEN;
	spin_unlock(&ep->lock);
	return 0;
}

void erpc_endpoint_destroy(struct erpc_endpoint *ep)
{
	for (int i = 0; i < RPC_MAX_NODES; i++) {
		struct erpc_peer *peer = &ep->peers[i];
		struct erpc_cached *c, *n;

		list_for_each_entry_safe(c, n, &peer->cache, link)
			erpc_cache_forget(peer, c);
	}
	for (int i = 0; i < ERPC_REASM_SLOTS; i++)
		erpc_reasm_free(&ep->reasm[i]);
	kfree(ep->reasm);
	ep->reasm = NULL;
}

void erpc_count_drop(struct erpc_endpoint *ep, enum erpc_drop why)
{
	if ((unsigned int)why >= ERPC_DROP_NR)
		return;
	spin_lock(&ep->lock);
	ep->stats.drops[why]++;
	spin_unlock(&ep->lock);
}

void erpc_get_stats(struct erpc_endpoint *ep, struct erpc_stats *out)
{
	spin_lock(&ep->lock);
	*out = ep->stats;
	spin_unlock(&ep->lock);
}
