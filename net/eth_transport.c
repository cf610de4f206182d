// SPDX-License-Identifier: GPL-2.0
/*
 * The Ethernet RPC transport: the kernel side of the engine in
 * net/eth_proto.c. It owns one NIC (the first registered netdev), the node's
 * epoch, the threads and the clock, and registers itself as the remote
 * transport of rpc_call(). Interface: eth_transport_init() (rpc.h) and the
 * file /proc/rpc; wire format and rules in include/mosaic/eth_rpc.h and
 * Documentation/cluster.md.
 *
 * Paths:
 *   caller:  eth_call() -> erpc_call_start() -> frames out; sleeps on a
 *            completion that ->call_done completes (reply, -ETIMEDOUT...).
 *   receive: NIC interrupt -> eth_rx_irq() copies the frame into rxq and
 *            wakes a worker -> eth_worker() -> erpc_rx(); a new request's
 *            handler runs in that worker (eth_request) and its reply goes out.
 *   timer:   eth_ticker() every ETH_TICK_MS: resends and timeouts.
 *   prober:  eth_prober() every ETH_PROBE_MS: rpc_probe_down_nodes(), so
 *            a memory node that restarted is used again.
 *
 * Lock order: ep.lock, then the NIC driver's own locks (->send transmits
 * under ep.lock). rxq_lock is taken with interrupts off and nests under
 * nothing. Handlers run with no lock held, so they may call rpc_call()
 * themselves (a memory node asking a storage node).
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/eth_rpc.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/netdev.h>
#include <mosaic/param.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/random.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

#undef pr_fmt
#define pr_fmt(fmt) "eth-rpc: " fmt

#define ETH_RXQ_LEN	256	/* frames between the interrupt and the workers */
#define ETH_TICK_MS	5
#define ETH_PROBE_MS	1000	/* how often nodes declared down are asked if they are back */
#define ETH_MIN_WORKERS	4	/* handlers may block on nested calls: keep spares */

#define ETH_TIMEOUT_MIN_MS	100
#define ETH_TIMEOUT_MAX_MS	(3600 * 1000)

/* How long a server may stay silent before a call to it fails (-ETIMEDOUT). */
static unsigned int eth_timeout_ms = 10000;

static int eth_set_timeout_param(const char *val, const struct kernel_param *kp)
{
	int err = param_parse_uint_range(val, ETH_TIMEOUT_MIN_MS, ETH_TIMEOUT_MAX_MS, kp->arg);

	if (err == -ERANGE)
		pr_warn("rpc.timeout_ms=%s is not within %u..%u\n", val, ETH_TIMEOUT_MIN_MS,
			ETH_TIMEOUT_MAX_MS);
	return err;
}
KERNEL_PARAM("rpc.timeout_ms", eth_set_timeout_param, &eth_timeout_ms,
	     "ms of silence from a node before its calls fail and it is declared down");

/*
 * Bytes after the Ethernet header of the frames this node sends: above
 * ETH_DATA_LEN only when every node's NIC and the switch between them carry
 * jumbo frames (scripts/cluster --mtu). Frames of any size up to
 * ERPC_MTU_MAX are received whatever it says.
 */
static unsigned int eth_mtu = ETH_DATA_LEN;

static int eth_set_mtu_param(const char *val, const struct kernel_param *kp)
{
	int err = param_parse_uint_range(val, ETH_DATA_LEN, ERPC_MTU_MAX, kp->arg);

	if (err == -ERANGE)
		pr_warn("mosaic.mtu=%s is not within %u..%u\n", val, ETH_DATA_LEN, ERPC_MTU_MAX);
	return err;
}
KERNEL_PARAM("mosaic.mtu", eth_set_mtu_param, &eth_mtu,
	     "bytes per frame sent to other nodes (jumbo frames above 1500)");

struct eth_rx_slot {
	u16 len;
	u8 data[ERPC_FRAME_MAX];
};

static struct {
	struct netdev *dev;
	struct erpc_endpoint ep;
	spinlock_t rxq_lock;		/* head, tail, overflow; interrupts off */
	struct eth_rx_slot *rxq;	/* ETH_RXQ_LEN slots */
	unsigned int head, tail;	/* tail - head frames are waiting */
	u64 rxq_overflow;
	struct wait_queue_head rxq_wait;
	bool up;
} eth;

/* ---- the engine's operations ---- */

#define ETH_XMIT_TRIES 1000

/*
 * Queue a frame, waiting a little for ring space when the ring is full (a
 * message of many fragments outruns the NIC). A frame still refused is
 * lost, and the engine's resend covers it.
 */
static void eth_xmit(const void *frame, size_t len)
{
	for (int i = 0; i < ETH_XMIT_TRIES; i++) {
		if (netdev_xmit(eth.dev, frame, len) != -EBUSY)
			return;
		if (eth.dev->polling)
			netdev_poll(eth.dev);	/* reclaims sent slots */
		else
			cpu_relax();		/* the interrupt reclaims them */
	}
}

static void eth_send(struct erpc_endpoint *ep, int node, void *frame, size_t len)
{
	struct eth_hdr *eh = frame;
	const struct rpc_peer_table *peers = rpc_peers();

	memcpy(eh->dst, peers->mac[node], ETH_ALEN);
	memcpy(eh->src, eth.dev->mac, ETH_ALEN);
	eh->ethertype = (u16)((ERPC_ETHERTYPE >> 8) | ((ERPC_ETHERTYPE & 0xff) << 8));
	eth_xmit(frame, len);
}

/* Run a request's handler in this worker and send the reply. */
static void eth_request(struct erpc_endpoint *ep, const struct erpc_request *rq)
{
	void *reply = rq->reply_max ? kmalloc(rq->reply_max) : NULL;
	long ret = -ENOMEM;

	if (reply || !rq->reply_max)
		ret = rpc_dispatch(rq->src_node, rq->opcode, rq->data, rq->len, reply,
				   rq->reply_max);
	erpc_send_reply(ep, rq->slot, ret, reply, ret > 0 ? (size_t)ret : 0);
	kfree(reply);
}

static void eth_call_done(struct erpc_endpoint *ep, struct erpc_call *call)
{
	complete(call->waiter);
}

static const struct erpc_ops eth_erpc_ops = {
	.send = eth_send,
	.request = eth_request,
	.call_done = eth_call_done,
};

/* ---- the remote transport of rpc_call() ---- */

static long eth_call(int node, enum rpc_opcode op, const void *req, size_t req_len,
		     void *reply, size_t reply_max)
{
	struct completion done;
	struct erpc_call call = {
		.node = node, .opcode = op, .req = req, .req_len = req_len,
		.reply = reply, .reply_max = reply_max, .waiter = &done,
	};
	int err;

	if (!rpc_peers()->present[node])
		return -EHOSTUNREACH;
	init_completion(&done);
	err = erpc_call_start(&eth.ep, &call, ktime_ns());
	if (err)
		return err;
	/*
	 * Sleep rather than poll the NIC: under TCG a polling vCPU takes the
	 * host CPU the server's QEMU needs (measured: 20x slower round trips).
	 */
	wait_for_completion(&done);	/* the ticker ends it by its deadline at the latest */
	return call.result;
}

/* The node was declared down: wake every caller still waiting for it. */
static void eth_node_down(int node)
{
	erpc_fail_calls_to(&eth.ep, node, -EHOSTDOWN);
}

static u64 eth_node_epoch(int node)
{
	return erpc_server_epoch(&eth.ep, node);
}

static const struct rpc_transport_ops eth_transport_ops = {
	.name = "ethernet",
	.call = eth_call,
	.node_down = eth_node_down,
	.node_epoch = eth_node_epoch,
};

/* ---- receive: interrupt -> queue -> workers ---- */

static bool eth_is_ours(const u8 *frame, size_t len)
{
	return len >= ETH_HLEN && frame[12] == (ERPC_ETHERTYPE >> 8) &&
	       frame[13] == (ERPC_ETHERTYPE & 0xff);
}

/* Queue a frame for the workers. Any context. */
static void eth_rxq_push(const void *frame, size_t len)
{
	unsigned long flags;
	struct eth_rx_slot *slot;

	flags = spin_lock_irqsave(&eth.rxq_lock);
	if (eth.tail - eth.head == ETH_RXQ_LEN) {
		eth.rxq_overflow++;
	} else {
		slot = &eth.rxq[eth.tail++ % ETH_RXQ_LEN];
		slot->len = len;
		memcpy(slot->data, frame, len);
	}
	spin_unlock_irqrestore(&eth.rxq_lock, flags);
	wake_up(&eth.rxq_wait);
}

/* Context: the NIC's interrupt or ->poll(); must not sleep. */
static void eth_rx_irq(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	if (eth_is_ours(frame, len) && len <= ERPC_FRAME_MAX)
		eth_rxq_push(frame, len);
}

static bool eth_rxq_pop(u8 *buf, size_t *len)
{
	unsigned long flags = spin_lock_irqsave(&eth.rxq_lock);
	bool got = eth.tail != eth.head;

	if (got) {
		struct eth_rx_slot *slot = &eth.rxq[eth.head++ % ETH_RXQ_LEN];

		*len = slot->len;
		memcpy(buf, slot->data, slot->len);
	}
	spin_unlock_irqrestore(&eth.rxq_lock, flags);
	return got;
}

static bool eth_rxq_empty(void)
{
	return READ_ONCE(eth.tail) == READ_ONCE(eth.head);
}

/* Does the frame come from the MAC mosaic.peers gives its claimed sender? */
static bool eth_sender_known(const u8 *frame, size_t len)
{
	const struct eth_hdr *eh = (const void *)frame;
	const struct erpc_hdr *h = (const void *)(frame + ETH_HLEN);
	const struct rpc_peer_table *peers = rpc_peers();

	if (len < ETH_HLEN + ERPC_HDR_LEN)
		return true;	/* the engine counts it as short */
	if (h->src_node >= RPC_MAX_NODES || !peers->present[h->src_node])
		return false;
	return !memcmp(eh->src, peers->mac[h->src_node], ETH_ALEN);
}

static void eth_process(const u8 *frame, size_t len)
{
	if (eth_sender_known(frame, len))
		erpc_rx(&eth.ep, frame + ETH_HLEN, len - ETH_HLEN, ktime_ns());
	else
		erpc_count_drop(&eth.ep, ERPC_DROP_FOREIGN);
}

static int eth_worker(void *arg)
{
	u8 *buf = kmalloc(ERPC_FRAME_MAX);
	size_t len;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		wait_event(eth.rxq_wait, !eth_rxq_empty());
		while (eth_rxq_pop(buf, &len))
			eth_process(buf, len);
	}
	return 0;
}

static int eth_ticker(void *arg)
{
	for (;;) {
		msleep(ETH_TICK_MS);
		if (eth.dev->polling)
			netdev_poll(eth.dev);	/* a NIC without an interrupt */
		erpc_tick(&eth.ep, ktime_ns());
	}
	return 0;
}

/* Calls to a silent node sleep up to the call timeout: not in the ticker. */
static int eth_prober(void *arg)
{
	for (;;) {
		msleep(ETH_PROBE_MS);
		rpc_probe_down_nodes();
	}
	return 0;
}

/* ---- /proc/rpc and the shutdown line ---- */

/* The engine's counters plus the receive queue's overflows. */
static void eth_get_stats(struct erpc_stats *s)
{
	erpc_get_stats(&eth.ep, s);
	s->drops[ERPC_DROP_QUEUE_FULL] += READ_ONCE(eth.rxq_overflow);
}

#define PROC_PUT(...) \
	do { if (n < size) n += snprintf(buf + n, size - n, __VA_ARGS__); } while (0)

static long eth_proc_show(char *buf, size_t size)
{
	struct erpc_stats s;
	size_t n = 0;

	eth_get_stats(&s);
	PROC_PUT("node %d epoch %016llx nic %s mtu %u\n", eth.ep.self,
		 (unsigned long long)eth.ep.epoch, eth.dev->name, eth.ep.frag_payload + ERPC_HDR_LEN);
	PROC_PUT("frames_in %llu\nframes_out %llu\nretransmits %llu\ncache_replies %llu\n"
		 "epoch_replies %llu\nbusy_replies %llu\npeer_restarts %llu\ncalls_done %llu\n"
		 "calls_timeout %llu\n",
		 s.frames_in, s.frames_out, s.retransmits, s.cache_replies, s.epoch_replies,
		 s.busy_replies, s.peer_restarts, s.calls_done, s.calls_timeout);
	for (int node = 0; node < RPC_MAX_NODES; node++)
		if (rpc_node_is_down(node))
			PROC_PUT("node_down %d\n", node);
	for (int i = 0; i < ERPC_DROP_NR; i++)
		PROC_PUT("drop_%s %llu\n", erpc_drop_names[i], s.drops[i]);
	for (int op = 0; op < RPC_NR_OPCODES; op++)
		PROC_PUT("op%d calls %llu served %llu\n", op, rpc_call_count(op), s.served[op]);
	return n < size ? (long)n : (long)size;
}

#define LINE_PUT(...) \
	do { if (n < sizeof(line)) n += snprintf(line + n, sizeof(line) - n, __VA_ARGS__); } while (0)

void eth_transport_print_counters(const char *who)
{
	struct erpc_stats s;
	char line[512];
	size_t n = 0;

	if (!eth.up)
		return;
	eth_get_stats(&s);
	LINE_PUT("frames_in %llu frames_out %llu retransmits %llu busy_replies %llu drops:",
		 s.frames_in, s.frames_out, s.retransmits, s.busy_replies);
	for (int i = 0; i < ERPC_DROP_NR; i++)
		if (s.drops[i])
			LINE_PUT(" %s %llu", erpc_drop_names[i], s.drops[i]);
	pr_info("after %s: %s\n", who, line);
}

/* ---- bring-up ---- */

static int eth_start_threads(void)
{
	unsigned int workers = max(nr_cpus_online * 2, (unsigned int)ETH_MIN_WORKERS);
	struct task *t;

	for (unsigned int i = 0; i < workers; i++) {
		t = kthread_create_on_cpu(eth_worker, NULL, "eth-rpc-rx", i % nr_cpus_online);
		if (IS_ERR(t))
			return PTR_ERR(t);
		kthread_detach(t);
	}
	t = kthread_create(eth_ticker, NULL, "eth-rpc-tick");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_detach(t);
	t = kthread_create(eth_prober, NULL, "eth-rpc-probe");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_detach(t);
	return 0;
}

/* A NIC that can carry full frames, or NULL with the reason printed. */
static struct netdev *eth_pick_device(void)
{
	struct netdev *dev = netdev_get(0);
	const struct rpc_peer_table *peers = rpc_peers();
	int self = rpc_self_node();

	if (!dev) {
		pr_err("mosaic.peers is set but there is no NIC: other nodes are unreachable\n");
		return NULL;
	}
	if (dev->mtu < ETH_DATA_LEN) {
		pr_err("%s: MTU %u is below %d: not used\n", dev->name, dev->mtu, ETH_DATA_LEN);
		return NULL;
	}
	if (!peers->present[self] || memcmp(peers->mac[self], dev->mac, ETH_ALEN))
		pr_warn("mosaic.peers gives node %d another MAC than %s's: peers will drop "
			"its frames as foreign\n", self, dev->name);
	return dev;
}

static void eth_check_servers(void)
{
	const struct rpc_node_list *mem = rpc_memory_nodes();

	for (unsigned int i = 0; i < mem->nr; i++)
		if (mem->node[i] != rpc_self_node() && !rpc_peers()->present[mem->node[i]])
			pr_warn("memory node %d is not in mosaic.peers\n", mem->node[i]);
	if (rpc_storage_node() != rpc_self_node() &&
	    !rpc_peers()->present[rpc_storage_node()])
		pr_warn("storage node %d is not in mosaic.peers\n", rpc_storage_node());
}

/* Send frames of mosaic.mtu bytes, or of the largest the NIC carries if smaller. */
static void eth_apply_mtu(struct netdev *dev)
{
	unsigned int mtu = eth_mtu;

	if (dev->mtu < mtu) {
		pr_warn("mosaic.mtu=%u: %s carries at most %u; sending %u-byte frames\n",
			eth_mtu, dev->name, dev->mtu, dev->mtu);
		mtu = dev->mtu;
	}
	erpc_endpoint_set_mtu(&eth.ep, mtu);
}

static int eth_bring_up(struct netdev *dev)
{
	int err;

	eth.rxq = kzalloc(ETH_RXQ_LEN * sizeof(*eth.rxq));
	if (!eth.rxq)
		return -ENOMEM;
	err = erpc_endpoint_init(&eth.ep, rpc_self_node(), get_random_u64() | 1,
				 &eth_erpc_ops, NULL);
	if (err)
		return err;
	eth.ep.call_timeout = (u64)eth_timeout_ms * 1000 * 1000;
	eth_apply_mtu(dev);
	eth.dev = dev;
	spin_lock_init(&eth.rxq_lock);
	init_wait_queue_head(&eth.rxq_wait);
	err = eth_start_threads();
	if (err)
		return err;
	netdev_set_rx_handler(dev, eth_rx_irq, NULL);
	rpc_set_remote_transport(&eth_transport_ops);
	proc_register("rpc", eth_proc_show);
	eth.up = true;
	return 0;
}

void eth_transport_init(void)
{
	struct netdev *dev;
	int err;

	fs_set_storage_node(rpc_storage_node());
	if (!rpc_peers_configured())
		return;		/* one node: the local transport is all there is */
	eth_check_servers();
	dev = eth_pick_device();
	if (!dev)
		return;
	err = eth_bring_up(dev);
	if (err) {
		pr_err("cannot start (%d): other nodes are unreachable\n", err);
		return;
	}
	pr_info("node %d on %s, epoch %016llx, call timeout %u ms, mtu %u\n", eth.ep.self,
		dev->name, (unsigned long long)eth.ep.epoch, eth_timeout_ms,
		eth.ep.frag_payload + ERPC_HDR_LEN);
}
