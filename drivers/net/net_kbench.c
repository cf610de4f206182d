// SPDX-License-Identifier: GPL-2.0
/*
 * kbench "net": the NIC pair of the net ktests (an e1000 and a virtio-net
 * on one QEMU hub), both in polling mode as an RPC hot path would use them.
 *
 *   rtt_64 / rtt_1514   a frame out of the e1000, echoed back by the
 *                       virtio-net's receive handler, until it is back
 *   stream_1514         frames per second from the e1000 to the virtio-net
 *
 * Without the pair (the usual bench=all boot) it prints a note, no rows.
 */
#include <mosaic/errno.h>
#include <mosaic/kbench.h>
#include <mosaic/netdev.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

#define BENCH_ETHERTYPE 0x88b7
#define BENCH_WAIT_NS (100 * NSEC_PER_MSEC)	/* a lost frame ends one sample, not the boot */
#define STREAM_FRAMES 2000

struct net_bench {
	struct netdev *near, *far;	/* e1000 sends, virtio-net echoes */
	size_t len;
	u8 frame[ETH_FRAME_MAX];
	u8 echo[ETH_FRAME_MAX];
	unsigned int received;		/* frames back at (or, streaming, at far) */
};

static struct net_bench bench;

/* far's handler: send the frame back with the addresses swapped. */
static void echo_frame(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct net_bench *b = arg;
	struct eth_hdr *h = (struct eth_hdr *)b->echo;

	memcpy(b->echo, frame, len);
	memcpy(h->dst, b->near->mac, ETH_ALEN);
	memcpy(h->src, dev->mac, ETH_ALEN);
	netdev_xmit(dev, b->echo, len);
}

static void count_frame(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct net_bench *b = arg;

	b->received++;
}

static void build_bench_frame(struct net_bench *b, size_t len)
{
	struct eth_hdr *h = (struct eth_hdr *)b->frame;

	memset(b->frame, 0xa5, len);
	memcpy(h->dst, b->far->mac, ETH_ALEN);
	memcpy(h->src, b->near->mac, ETH_ALEN);
	h->ethertype = __builtin_bswap16(BENCH_ETHERTYPE);
	b->len = len;
}

/* Poll both ends until received reaches want or the bound passes. */
static void poll_until(struct net_bench *b, unsigned int want)
{
	u64 end = ktime_ns() + BENCH_WAIT_NS;

	while (READ_ONCE(b->received) < want && ktime_ns() < end) {
		netdev_poll(b->far);
		netdev_poll(b->near);
	}
}

static void one_round_trip(void *arg)
{
	struct net_bench *b = arg;
	unsigned int want = b->received + 1;

	netdev_xmit(b->near, b->frame, b->len);
	poll_until(b, want);
}

static void measure_rtt(struct net_bench *b, size_t len, const char *metric)
{
	build_bench_frame(b, len);
	netdev_set_rx_handler(b->far, echo_frame, b);
	netdev_set_rx_handler(b->near, count_frame, b);
	kbench_time("net_e1000_virtio", metric, 1, one_round_trip, b);
}

static void measure_stream(struct net_bench *b)
{
	unsigned int i;
	u64 start, ns;

	build_bench_frame(b, ETH_FRAME_MAX);
	netdev_set_rx_handler(b->near, NULL, NULL);
	netdev_set_rx_handler(b->far, count_frame, b);
	b->received = 0;
	start = ktime_ns();
	for (i = 0; i < STREAM_FRAMES; i++)
		while (netdev_xmit(b->near, b->frame, b->len) == -EBUSY)
			poll_until(b, b->received + 1);
	poll_until(b, STREAM_FRAMES);
	ns = ktime_ns() - start;
	kbench_row("net_e1000_to_virtio", "stream_1514_frames", b->received, "frames");
	kbench_row("net_e1000_to_virtio", "stream_1514", ns ? b->received * NSEC_PER_SEC / ns : 0,
		   "frames_per_s");
}

KBENCH(net)
{
	struct net_bench *b = &bench;

	b->near = netdev_find("e1000.0");
	b->far = netdev_find("virtio-net.0");
	if (!b->near || !b->far) {
		pr_info("bench net: no NIC pair (e1000 + virtio-net on one QEMU hub); skipped\n");
		return;
	}
	netdev_set_polling(b->near, true);
	netdev_set_polling(b->far, true);
	measure_rtt(b, ETH_ZLEN + 4, "rtt_64");
	measure_rtt(b, ETH_FRAME_MAX, "rtt_1514");
	measure_stream(b);
	netdev_set_rx_handler(b->near, NULL, NULL);
	netdev_set_rx_handler(b->far, NULL, NULL);
	netdev_set_polling(b->near, false);
	netdev_set_polling(b->far, false);
}
