// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the Ethernet RPC engine (net/eth_proto.c) over a simulated
 * wire that loses, duplicates, delays and reorders frames with a seeded
 * generator, and a virtual clock. Every handler run is counted per request
 * id, so "exactly once" is checked exactly, and every reply byte is checked.
 * Also: fragments lost or expired, a server or a client that restarts
 * (new epoch), replayed frames, and garbage of every kind.
 */
// test-sources: net/eth_proto.c lib/crc32.c
#include <mosaic/crc32.h>
#include <mosaic/errno.h>
#include <mosaic/eth_rpc.h>
#include <mosaic/mm.h>
#include "tap.h"

void *kmalloc(size_t size) { return size ? malloc(size) : NULL; }
void *kzalloc(size_t size) { return size ? calloc(1, size) : NULL; }
void kfree(const void *p) { free((void *)p); }

#define MS		(1000ULL * 1000)
#define STEP_NS		(1 * MS)
#define SIM_NODES	3
#define WIRE_MAX	16384
#define MAX_IDS		4096

/* ---- the simulated wire ---- */

struct wire_frame {
	int dst;
	u64 at;			/* delivery time */
	size_t len;
	u8 data[ERPC_MTU_MAX];	/* erpc header + payload */
};

static struct {
	struct wire_frame *q[WIRE_MAX];
	int n;
	unsigned int loss_pct, dup_pct;
	u64 max_delay;		/* each frame waits 0..max_delay: reordering */
	bool (*filter)(const struct erpc_hdr *h);	/* true: lose this frame */
	u64 rng;
	struct wire_frame last_request;	/* for replay tests */
} wire;

static u64 now;

static u32 sim_rand(void)
{
	wire.rng ^= wire.rng << 13;
	wire.rng ^= wire.rng >> 7;
	wire.rng ^= wire.rng << 17;
	return (u32)wire.rng;
}

static void wire_reset(unsigned int loss, unsigned int dup, u64 delay)
{
	for (int i = 0; i < wire.n; i++)
		free(wire.q[i]);
	wire.n = 0;
	wire.loss_pct = loss;
	wire.dup_pct = dup;
	wire.max_delay = delay;
	wire.filter = NULL;
	wire.rng = 0x9e3779b97f4a7c15ULL;
	now = 1000 * MS;
}

static void wire_put(int dst, const void *msg, size_t len)
{
	struct wire_frame *f;

	if (wire.n == WIRE_MAX)
		return;		/* a full wire loses frames like a real one */
	f = malloc(sizeof(*f));
	f->dst = dst;
	f->len = len;
	f->at = now + (wire.max_delay ? sim_rand() % (wire.max_delay + 1) : 0);
	memcpy(f->data, msg, len);
	wire.q[wire.n++] = f;
}

/* ---- nodes ---- */

struct deferred {
	struct erpc_cached *slot;
	u8 *data;
	size_t len, reply_max;
};

static struct sim_node {
	struct erpc_endpoint ep;
	bool up;
	bool defer;		/* queue requests instead of running them at once */
	struct deferred pending[256];
	int npending;
} nodes[SIM_NODES];

static unsigned int exec_count[MAX_IDS];

static void sim_send(struct erpc_endpoint *ep, int node, void *frame, size_t len)
{
	const struct erpc_hdr *h = (const void *)((u8 *)frame + ETH_HLEN);

	EXPECT(len >= ETH_HLEN + ERPC_HDR_LEN && len <= ETH_HLEN + ERPC_HDR_LEN + ep->frag_payload);
	if (h->kind == ERPC_REQUEST && h->frag_count == 1) {
		wire.last_request.dst = node;
		wire.last_request.len = len - ETH_HLEN;
		memcpy(wire.last_request.data, h, len - ETH_HLEN);
	}
	if (wire.filter && wire.filter(h))
		return;
	if (sim_rand() % 100 < wire.loss_pct)
		return;
	wire_put(node, h, len - ETH_HLEN);
	if (sim_rand() % 100 < wire.dup_pct)
		wire_put(node, h, len - ETH_HLEN);
}

/*
 * The test handler. A request is [u64 id][u32 reply_len][filler]; the reply
 * is reply_len bytes of (id + i). It counts runs per id.
 */
static long sim_handle(const void *data, size_t len, void *reply, size_t reply_max)
{
	u64 id;
	u32 rlen;

	if (len < 12)
		return -EINVAL;
	memcpy(&id, data, 8);
	memcpy(&rlen, (const u8 *)data + 8, 4);
	if (id < MAX_IDS)
		exec_count[id]++;
	if (rlen > reply_max)
		return -EINVAL;
	for (u32 i = 0; i < rlen; i++)
		((u8 *)reply)[i] = (u8)(id + i);
	return rlen;
}

static void sim_run(struct sim_node *n, struct erpc_cached *slot, const void *data, size_t len,
		    size_t reply_max)
{
	void *reply = malloc(reply_max ? reply_max : 1);
	long ret = sim_handle(data, len, reply, reply_max);

	erpc_send_reply(&n->ep, slot, ret, reply, ret > 0 ? ret : 0);
	free(reply);
}

static void sim_request(struct erpc_endpoint *ep, const struct erpc_request *rq)
{
	struct sim_node *n = ep->priv;
	struct deferred *d;

	if (!n->defer) {
		sim_run(n, rq->slot, rq->data, rq->len, rq->reply_max);
		return;
	}
	d = &n->pending[n->npending++];
	d->slot = rq->slot;
	d->data = malloc(rq->len + 1);
	memcpy(d->data, rq->data, rq->len);
	d->len = rq->len;
	d->reply_max = rq->reply_max;
}

static void sim_run_deferred(struct sim_node *n)
{
	for (int i = 0; i < n->npending; i++) {
		struct deferred *d = &n->pending[i];

		sim_run(n, d->slot, d->data, d->len, d->reply_max);
		free(d->data);
	}
	n->npending = 0;
}

struct tcall {
	struct erpc_call c;
	u64 id;
	u32 reply_len;
	bool done;
	u8 *req, *reply;
};

static void sim_call_done(struct erpc_endpoint *ep, struct erpc_call *call)
{
	struct tcall *t = container_of(call, struct tcall, c);

	EXPECT(!t->done);	/* reported once */
	t->done = true;
}

static const struct erpc_ops sim_ops = {
	.send = sim_send, .request = sim_request, .call_done = sim_call_done,
};

static void node_up(int id, u64 epoch)
{
	struct sim_node *n = &nodes[id];

	ASSERT_EQ(erpc_endpoint_init(&n->ep, id, epoch, &sim_ops, n), 0);
	n->up = true;
	n->defer = false;
	n->npending = 0;
}

static void node_down(int id)
{
	struct sim_node *n = &nodes[id];

	if (!n->up)
		return;
	sim_run_deferred(n);	/* the handlers end; their replies are orphans or go out */
	erpc_endpoint_destroy(&n->ep);
	n->up = false;
}

static void sim_setup(unsigned int loss, unsigned int dup, u64 delay)
{
	wire_reset(loss, dup, delay);
	memset(exec_count, 0, sizeof(exec_count));
	for (int i = 0; i < SIM_NODES; i++)
		node_up(i, 0x1000 + i);
}

static void sim_teardown(void)
{
	for (int i = 0; i < SIM_NODES; i++)
		node_down(i);
	wire_reset(0, 0, 0);
}

/* Deliver every frame due by now. */
static void wire_deliver(void)
{
	for (int i = 0; i < wire.n;) {
		struct wire_frame *f = wire.q[i];

		if (f->at > now) {
			i++;
			continue;
		}
		memmove(&wire.q[i], &wire.q[i + 1], (wire.n - i - 1) * sizeof(wire.q[0]));
		wire.n--;
		if (nodes[f->dst].up)
			erpc_rx(&nodes[f->dst].ep, f->data, f->len, now);
		free(f);
	}
}

static void sim_step(void)
{
	now += STEP_NS;
	wire_deliver();
	for (int i = 0; i < SIM_NODES; i++) {
		if (!nodes[i].up)
			continue;
		erpc_tick(&nodes[i].ep, now);
		if (!nodes[i].defer)
			sim_run_deferred(&nodes[i]);
	}
}

static struct tcall *call_new(int from, int to, u64 id, size_t req_len, u32 reply_len)
{
	struct tcall *t = calloc(1, sizeof(*t));

	t->id = id;
	t->reply_len = reply_len;
	t->req = malloc(req_len < 12 ? 12 : req_len);
	t->reply = malloc(reply_len + 1);
	memcpy(t->req, &id, 8);
	memcpy(t->req + 8, &reply_len, 4);
	for (size_t i = 12; i < req_len; i++)
		t->req[i] = (u8)(i * 7);
	t->c = (struct erpc_call){
		.node = to, .opcode = RPC_TEST, .req = t->req, .req_len = req_len,
		.reply = t->reply, .reply_max = reply_len + 1,
	};
	EXPECT_EQ(erpc_call_start(&nodes[from].ep, &t->c, now), 0);
	return t;
}

static bool call_reply_ok(const struct tcall *t)
{
	if (t->c.result != t->reply_len)
		return false;
	for (u32 i = 0; i < t->reply_len; i++)
		if (t->reply[i] != (u8)(t->id + i))
			return false;
	return true;
}

static void call_free(struct tcall *t)
{
	free(t->req);
	free(t->reply);
	free(t);
}

/* Step until every call is done or limit_ns passes. */
static bool run_calls(struct tcall **calls, int n, u64 limit_ns)
{
	u64 end = now + limit_ns;

	while (now < end) {
		bool all = true;

		for (int i = 0; i < n; i++)
			all = all && calls[i]->done;
		if (all)
			return true;
		sim_step();
	}
	return false;
}

static struct erpc_stats stats_of(int node)
{
	struct erpc_stats s;

	erpc_get_stats(&nodes[node].ep, &s);
	return s;
}

/* ---- the tests ---- */

static void test_crc32(void)
{
	EXPECT_EQ(crc32(0, "123456789", 9), 0xcbf43926);
	EXPECT_EQ(crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
	EXPECT_EQ(crc32(0, "", 0), 0);
}

static void test_one_call(void)
{
	struct tcall *t;

	sim_setup(0, 0, 0);
	t = call_new(0, 1, 1, 100, 50);
	ASSERT(run_calls(&t, 1, 100 * MS));
	EXPECT(call_reply_ok(t));
	EXPECT_EQ(exec_count[1], 1);
	EXPECT_EQ(stats_of(1).served[RPC_TEST], 1);
	EXPECT_EQ(stats_of(1).epoch_replies, 1);	/* the first call's handshake */
	EXPECT_EQ(stats_of(0).retransmits, 0);
	call_free(t);
	/* the second call knows the epoch (no handshake) and the fast round trip */
	t = call_new(0, 1, 2, 12, 0);
	EXPECT_EQ(t->c.rto, ERPC_RTO_MIN_NS);
	ASSERT(run_calls(&t, 1, 100 * MS));
	EXPECT_EQ(t->c.result, 0);
	EXPECT_EQ(stats_of(1).epoch_replies, 1);
	call_free(t);
	sim_teardown();
}

static void test_largest_messages(void)
{
	struct tcall *t;

	sim_setup(0, 0, 0);
	t = call_new(0, 1, 3, RPC_MAX_PAYLOAD, RPC_MAX_PAYLOAD - 1);
	ASSERT(run_calls(&t, 1, 100 * MS));
	EXPECT(call_reply_ok(t));
	EXPECT_EQ(exec_count[3], 1);
	EXPECT(stats_of(0).frames_out >= 2 * ERPC_MAX_FRAGS);
	call_free(t);
	sim_teardown();
}

/* Many calls in flight from two clients over a wire that loses, doubles and reorders. */
static void lossy_run(unsigned int loss, unsigned int dup, u64 delay, int ncalls,
		      unsigned int client_mtu)
{
	struct tcall *calls[256];
	u64 served = 0;
	int ok = 0, i;

	sim_setup(loss, dup, delay);
	EXPECT_EQ(erpc_endpoint_set_mtu(&nodes[0].ep, client_mtu), 0);
	EXPECT_EQ(erpc_endpoint_set_mtu(&nodes[2].ep, client_mtu), 0);
	for (i = 0; i < ncalls; i++) {
		size_t req = 12 + sim_rand() % 6000;
		u32 rep = sim_rand() % 9000;

		calls[i] = call_new(i % 2 ? 2 : 0, 1, 10 + i, req, rep);
	}
	EXPECT(run_calls(calls, ncalls, 20000 * MS));
	for (i = 0; i < ncalls; i++) {
		ok += call_reply_ok(calls[i]);
		EXPECT_EQ(exec_count[10 + i], 1);
		call_free(calls[i]);
	}
	EXPECT_EQ(ok, ncalls);
	served = stats_of(1).served[RPC_TEST];
	EXPECT_EQ(served, ncalls);
	if (loss)
		EXPECT(stats_of(0).retransmits > 0);
	if (dup)
		EXPECT(stats_of(1).drops[ERPC_DROP_FRAG_DUP] + stats_of(1).cache_replies > 0);
	sim_teardown();
}

static void test_loss_dup_reorder(void)
{
	lossy_run(10, 10, 5 * MS, 64, ETH_DATA_LEN);
}

static void test_heavy_loss(void)
{
	lossy_run(30, 30, 20 * MS, 32, ETH_DATA_LEN);
}

/* Jumbo-frame clients and a standard-MTU server understand each other's fragments. */
static void test_mixed_mtu(void)
{
	lossy_run(10, 10, 5 * MS, 64, ERPC_MTU_MAX);
	lossy_run(0, 0, 0, 16, 4444);
}

/* With jumbo frames a page and its header travel as one frame; the limits hold. */
static void test_page_in_one_frame(void)
{
	struct tcall *t;
	u64 client_before, server_before;

	sim_setup(0, 0, 0);
	EXPECT_EQ(erpc_endpoint_set_mtu(&nodes[0].ep, ETH_DATA_LEN - 1), -EINVAL);
	EXPECT_EQ(erpc_endpoint_set_mtu(&nodes[0].ep, ERPC_MTU_MAX + 1), -EINVAL);
	EXPECT_EQ(erpc_endpoint_set_mtu(&nodes[0].ep, ERPC_MTU_MAX), 0);
	EXPECT_EQ(erpc_endpoint_set_mtu(&nodes[1].ep, ERPC_MTU_MAX), 0);
	t = call_new(0, 1, 4, 12, 0);	/* the epoch handshake */
	ASSERT(run_calls(&t, 1, 100 * MS));
	call_free(t);
	client_before = stats_of(0).frames_out;
	server_before = stats_of(1).frames_out;
	t = call_new(0, 1, 5, 4096 + 64, 4096 + 64);
	ASSERT(run_calls(&t, 1, 100 * MS));
	EXPECT(call_reply_ok(t));
	EXPECT_EQ(stats_of(0).frames_out, client_before + 1);
	EXPECT_EQ(stats_of(1).frames_out, server_before + 1);
	call_free(t);
	sim_teardown();
}

/* One small call from node 0 to node 1 run to its end; false if it failed. */
static bool small_call(u64 id)
{
	struct tcall *t = call_new(0, 1, id, 20, 4);
	bool ok = run_calls(&t, 1, 100 * MS) && call_reply_ok(t);

	call_free(t);
	return ok;
}

/* A request resent while its handler still runs is not run again. */
static void test_in_progress_duplicate(void)
{
	struct tcall *t;

	sim_setup(0, 0, 0);
	nodes[1].defer = true;
	t = call_new(0, 1, 5, 40, 8);
	for (int i = 0; i < 1000; i++)
		sim_step();
	EXPECT(!t->done);
	EXPECT(stats_of(1).drops[ERPC_DROP_IN_PROGRESS] > 0);
	nodes[1].defer = false;
	ASSERT(run_calls(&t, 1, 2000 * MS));
	EXPECT(call_reply_ok(t));
	EXPECT_EQ(exec_count[5], 1);
	call_free(t);
	sim_teardown();
}

static bool lose_everything(const struct erpc_hdr *h)
{
	return true;
}

/*
 * A handler that runs longer than the call timeout: the resends are answered
 * ERPC_BUSY, which renews the deadline, so the call waits for its reply.
 */
static void test_busy_handler_outlives_timeout(void)
{
	struct tcall *t;
	u64 start;

	sim_setup(0, 0, 0);
	nodes[0].ep.call_timeout = 300 * MS;
	nodes[1].defer = true;
	start = now;
	t = call_new(0, 1, 5, 40, 8);
	while (now - start < 3000 * MS)
		sim_step();
	EXPECT(!t->done);
	EXPECT(stats_of(1).busy_replies > 0);
	nodes[1].defer = false;
	ASSERT(run_calls(&t, 1, 2000 * MS));
	EXPECT(call_reply_ok(t));
	EXPECT_EQ(stats_of(0).calls_timeout, 0);
	call_free(t);
	sim_teardown();
}

/* A server that never answers: the call ends after call_timeout of silence. */
static void test_silent_server_times_out(void)
{
	struct tcall *t;
	u64 start;

	sim_setup(0, 0, 0);
	wire.filter = lose_everything;
	nodes[0].ep.call_timeout = 500 * MS;
	start = now;
	t = call_new(0, 1, 5, 40, 8);
	ASSERT(run_calls(&t, 1, 2000 * MS));
	EXPECT_EQ(t->c.result, -ETIMEDOUT);
	EXPECT(now - start < 600 * MS);
	call_free(t);
	sim_teardown();
}

static bool lose_first_reply(const struct erpc_hdr *h)
{
	static int lost;

	if (!h) {
		lost = 0;
		return false;
	}
	return h->kind == ERPC_REPLY && !lost++;
}

/* A lost reply: the resent request is answered from the cache. */
static void test_reply_cache(void)
{
	struct tcall *t;

	sim_setup(0, 0, 0);
	lose_first_reply(NULL);
	wire.filter = lose_first_reply;
	t = call_new(0, 1, 6, 3000, 5000);
	ASSERT(run_calls(&t, 1, 2000 * MS));
	EXPECT(call_reply_ok(t));
	EXPECT_EQ(exec_count[6], 1);
	EXPECT_EQ(stats_of(1).cache_replies, 1);
	EXPECT_EQ(stats_of(0).retransmits, 1);
	call_free(t);
	sim_teardown();
}

static bool lose_fragment_two(const struct erpc_hdr *h)
{
	return h->kind == ERPC_REQUEST && h->frag_index == 2;
}

/* A message whose fragment never arrives times out; its slot is freed. */
static void test_fragment_loss_times_out(void)
{
	struct tcall *t;
	struct erpc_stats s;

	sim_setup(0, 0, 0);
	wire.filter = lose_fragment_two;
	t = call_new(0, 1, 7, 5000, 10);
	ASSERT(run_calls(&t, 1, ERPC_CALL_TIMEOUT_NS + 1000 * MS));
	EXPECT_EQ(t->c.result, -ETIMEDOUT);
	EXPECT_EQ(exec_count[7], 0);
	s = stats_of(0);
	EXPECT_EQ(s.calls_timeout, 1);
	/* backoff: 20 ms doubling to 1 s, then once a second until 30 s */
	EXPECT(s.retransmits > 20 && s.retransmits < 45);
	for (int i = 0; i < 3000; i++)
		sim_step();
	EXPECT(stats_of(1).drops[ERPC_DROP_REASM_TIMEOUT] >= 1);
	call_free(t);
	sim_teardown();	/* ASan's leak check: no reassembly buffer left */
}

/* The server restarts after running a call whose reply was lost. */
static void test_server_restart(void)
{
	struct tcall *t, *t2;

	sim_setup(0, 0, 0);
	ASSERT(small_call(8));		/* handshake done, epoch known */
	lose_first_reply(NULL);
	wire.filter = lose_first_reply;
	t = call_new(0, 1, 9, 20, 4);
	sim_step();
	EXPECT_EQ(exec_count[9], 1);
	node_down(1);
	node_up(1, 0x2001);
	ASSERT(run_calls(&t, 1, 2000 * MS));
	EXPECT_EQ(t->c.result, -ECONNRESET);
	EXPECT_EQ(exec_count[9], 1);	/* not replayed into the new incarnation */
	t2 = call_new(0, 1, 11, 20, 4);
	ASSERT(run_calls(&t2, 1, 2000 * MS));
	EXPECT(call_reply_ok(t2));
	call_free(t);
	call_free(t2);
	sim_teardown();
}

/* Lose the first copy of the request with seq 2 (the one after the handshake). */
static bool lose_first_seq2(const struct erpc_hdr *h)
{
	static int lost;

	if (!h) {
		lost = 0;
		return false;
	}
	return h->kind == ERPC_REQUEST && h->seq == 2 && !lost++;
}

/*
 * The client's lowest call is lost on the way while ERPC_WINDOW more are
 * answered: its resend must still find room in the server's reply cache
 * (which holds ERPC_CACHE_MAX replies above the client's ack). Without the
 * window the other calls filled the cache and the resend was dropped as
 * cache_full until the call timed out: the memory node that went silent
 * under eviction (Documentation/testing.md, "The soak").
 */
static void test_lost_call_behind_full_window(void)
{
	struct tcall *calls[ERPC_WINDOW + 1];
	int n = ERPC_WINDOW + 1;

	sim_setup(0, 0, 0);
	ASSERT(small_call(1));		/* seq 1: the handshake */
	lose_first_seq2(NULL);
	wire.filter = lose_first_seq2;
	for (int i = 0; i < n; i++)
		calls[i] = call_new(0, 1, 20 + i, 20, 4);
	EXPECT(calls[n - 1]->c.held);	/* seq 2 + ERPC_WINDOW waits for seq 2 */
	EXPECT(run_calls(calls, n, 2000 * MS));
	for (int i = 0; i < n; i++) {
		EXPECT(call_reply_ok(calls[i]));
		EXPECT_EQ(exec_count[20 + i], 1);
		call_free(calls[i]);
	}
	EXPECT_EQ(stats_of(1).drops[ERPC_DROP_CACHE_FULL], 0);
	sim_teardown();
}

/* Calls held outside the window end with the others when their node is declared down. */
static void test_held_calls_fail_with_node(void)
{
	struct tcall *calls[ERPC_WINDOW + 8];
	int n = ERPC_WINDOW + 8;

	sim_setup(0, 0, 0);
	wire.filter = lose_everything;
	for (int i = 0; i < n; i++)
		calls[i] = call_new(0, 1, 20 + i, 20, 4);
	sim_step();
	erpc_fail_calls_to(&nodes[0].ep, 1, -EHOSTDOWN);
	for (int i = 0; i < n; i++) {
		EXPECT(calls[i]->done);
		EXPECT_EQ(calls[i]->c.result, -EHOSTDOWN);
		call_free(calls[i]);
	}
	EXPECT_EQ(stats_of(0).frames_out, ERPC_WINDOW);	/* the held ones never went out */
	sim_teardown();
}

/*
 * Capture call id's request frame, run another call (after a client
 * restart if asked) and send the captured frame again: it must be dropped
 * for reason why and its handler must not run twice.
 */
static void resend_old_request(u64 id, bool restart_client, enum erpc_drop why)
{
	struct wire_frame old;

	sim_setup(0, 0, 0);
	ASSERT(small_call(id));
	old = wire.last_request;
	if (restart_client) {
		node_down(0);
		node_up(0, 0x3000);
	}
	ASSERT(small_call(id + 1));	/* its ack_seq covers call id */
	EXPECT_EQ(stats_of(1).peer_restarts, restart_client);
	erpc_rx(&nodes[1].ep, old.data, old.len, now);
	EXPECT_EQ(stats_of(1).drops[why], 1);
	EXPECT_EQ(exec_count[id], 1);
	sim_teardown();
}

/* The client restarts: its old state goes; its old frames are stale. */
static void test_client_restart(void)
{
	resend_old_request(12, true, ERPC_DROP_STALE_EPOCH);
}

/* A request frame sent again after its reply was acknowledged. */
static void test_replay(void)
{
	resend_old_request(14, false, ERPC_DROP_REPLAY);
}

/* Build a single-frame request from node 0 to node 1 in buf; returns its length. */
static size_t forge(u8 *buf, void (*edit)(struct erpc_hdr *h))
{
	struct erpc_hdr *h = (struct erpc_hdr *)buf;
	u64 id = 999;
	u32 rlen = 0;

	memset(buf, 0, ERPC_HDR_LEN + 12);
	*h = (struct erpc_hdr){
		.magic = ERPC_MAGIC, .version = ERPC_VERSION, .kind = ERPC_REQUEST,
		.opcode = RPC_TEST, .src_node = 0, .dst_node = 1, .src_epoch = 0x1000,
		.dst_epoch = 0x1001, .seq = 1, .frag_count = 1, .payload_len = 12,
		.total_len = 12, .reply_max = 16,
	};
	memcpy(buf + ERPC_HDR_LEN, &id, 8);
	memcpy(buf + ERPC_HDR_LEN + 8, &rlen, 4);
	if (edit)
		edit(h);
	h->crc = 0;
	h->crc = crc32(crc32(0, h, ERPC_HDR_LEN), h + 1, min(h->payload_len, 12));
	return ERPC_HDR_LEN + 12;
}

static void bad_kind(struct erpc_hdr *h) { h->kind = 9; }
static void bad_frag(struct erpc_hdr *h) { h->frag_index = 1; }
static void bad_total(struct erpc_hdr *h) { h->total_len = RPC_MAX_PAYLOAD + 1; }
static void bad_len(struct erpc_hdr *h) { h->payload_len = 11; }
static void bad_node(struct erpc_hdr *h) { h->src_node = RPC_MAX_NODES; }
static void bad_self(struct erpc_hdr *h) { h->src_node = 1; }
static void bad_opcode(struct erpc_hdr *h) { h->opcode = RPC_NR_OPCODES; }
static void bad_ack(struct erpc_hdr *h) { h->ack_seq = 5; }
static void bad_epoch(struct erpc_hdr *h) { h->src_epoch = 0; }
static void bad_dst(struct erpc_hdr *h) { h->dst_node = 2; }
static void bad_magic(struct erpc_hdr *h) { h->magic ^= 1; }
/* 9 bytes in 4 fragments of 3: the last one would be empty */
static void bad_split(struct erpc_hdr *h)
{
	h->total_len = 9;
	h->frag_count = 4;
	h->payload_len = 3;
}

/* Each makes a correctly checksummed frame whose fields are inconsistent. */
static void (*const malformed_edits[])(struct erpc_hdr *) = {
	bad_kind, bad_frag, bad_total, bad_len, bad_node, bad_self, bad_opcode, bad_ack,
	bad_epoch, bad_split,
};

static void expect_drop(void (*edit)(struct erpc_hdr *), size_t cut, enum erpc_drop why)
{
	u8 buf[ERPC_HDR_LEN + 64];
	size_t len = forge(buf, edit);
	u64 before = stats_of(1).drops[why];

	erpc_rx(&nodes[1].ep, buf, len - cut, now);
	if (!EXPECT_EQ(stats_of(1).drops[why], before + 1))
		tap_fail(__FILE__, __LINE__, "reason %s", erpc_drop_names[why]);
}

static void test_garbage_frames(void)
{
	u8 junk[ETH_DATA_LEN];
	u8 buf[ERPC_HDR_LEN + 64];
	size_t len;

	sim_setup(0, 0, 0);
	expect_drop(NULL, ERPC_HDR_LEN, ERPC_DROP_SHORT);
	expect_drop(NULL, 1, ERPC_DROP_SHORT);
	expect_drop(bad_magic, 0, ERPC_DROP_MAGIC);
	expect_drop(bad_dst, 0, ERPC_DROP_NOT_MINE);
	for (size_t i = 0; i < ARRAY_SIZE(malformed_edits); i++)
		expect_drop(malformed_edits[i], 0, ERPC_DROP_MALFORMED);
	len = forge(buf, NULL);
	buf[len - 1] ^= 0x40;	/* a flipped payload bit */
	erpc_rx(&nodes[1].ep, buf, len, now);
	EXPECT_EQ(stats_of(1).drops[ERPC_DROP_CSUM], 1);
	for (int i = 0; i < 2000; i++) {
		size_t n = sim_rand() % sizeof(junk);

		for (size_t k = 0; k < n; k++)
			junk[k] = (u8)sim_rand();
		if (n >= 4 && i % 2)
			memcpy(junk, &(u32){ ERPC_MAGIC }, 4);
		erpc_rx(&nodes[1].ep, junk, n, now);
	}
	EXPECT_EQ(exec_count[999], 0);
	/* a well-formed forged request is served: the checks above were the cause */
	len = forge(buf, NULL);
	erpc_rx(&nodes[1].ep, buf, len, now);
	EXPECT_EQ(exec_count[999], 1);
	sim_teardown();
}

int main(void)
{
	RUN(test_crc32);
	RUN(test_one_call);
	RUN(test_largest_messages);
	RUN(test_loss_dup_reorder);
	RUN(test_heavy_loss);
	RUN(test_mixed_mtu);
	RUN(test_page_in_one_frame);
	RUN(test_in_progress_duplicate);
	RUN(test_busy_handler_outlives_timeout);
	RUN(test_silent_server_times_out);
	RUN(test_reply_cache);
	RUN(test_fragment_loss_times_out);
	RUN(test_server_restart);
	RUN(test_lost_call_behind_full_window);
	RUN(test_held_calls_fail_with_node);
	RUN(test_client_restart);
	RUN(test_replay);
	RUN(test_garbage_frames);
	return tap_finish();
}
