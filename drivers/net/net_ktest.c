// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "net": PCI enumeration and both NIC drivers, end to end.
 * scripts/run-tests boots with an e1000 and a virtio-net joined by a QEMU
 * hub, so a frame sent out of one arrives at the other. Without that pair
 * (every other boot) the tests skip with "no NIC".
 *
 * Each frame carries a run number, a sequence number and a pattern that
 * depends on both; the receive handler checks every byte and the length,
 * and counts frames of the current run, so stray frames of an earlier test
 * cannot pass for this one.
 */
#include <mosaic/errno.h>
#include <mosaic/eth_rpc.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/netdev.h>
#include <mosaic/pci.h>
#include <mosaic/percpu.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>

#define NET_TEST_ETHERTYPE 0x88b6	/* not the RPC transport's 0x88b5 */
#define NET_TEST_FRAMES 48
#define NET_TEST_BURST 400		/* more than either device's transmit ring */
#define NET_TEST_WAIT_MS 5000

struct test_payload {
	u32 run, seq;
	u8 pattern[];
} __packed;

struct rx_check {
	u32 run;			/* frames of other runs are ignored */
	unsigned int expected;		/* sequence numbers 0..expected-1 */
	unsigned int good, bad, dup;
	bool seen[NET_TEST_BURST];
};

static struct rx_check rx_check;
static u32 net_test_run;

/* The length of frame seq: spreads over 60..1514 and hits both ends. */
static size_t frame_len(unsigned int seq)
{
	if (seq == 0)
		return ETH_ZLEN;
	if (seq == 1)
		return ETH_FRAME_MAX;
	return ETH_ZLEN + (seq * 337) % (ETH_FRAME_MAX - ETH_ZLEN + 1);
}

static u8 pattern_byte(u32 run, unsigned int seq, size_t i)
{
	return (u8)(i * 7 + seq * 13 + run);
}

static void build_frame(u8 *frame, const struct netdev *from, const struct netdev *to,
			u32 run, unsigned int seq)
{
	struct eth_hdr *h = (struct eth_hdr *)frame;
	struct test_payload *p = (struct test_payload *)(frame + ETH_HLEN);
	size_t i, n = frame_len(seq) - ETH_HLEN - sizeof(*p);

	memcpy(h->dst, to->mac, ETH_ALEN);
	memcpy(h->src, from->mac, ETH_ALEN);
	h->ethertype = __builtin_bswap16(NET_TEST_ETHERTYPE);
	p->run = run;
	p->seq = seq;
	for (i = 0; i < n; i++)
		p->pattern[i] = pattern_byte(run, seq, i);
}

static bool frame_intact(const u8 *frame, size_t len, u32 run, unsigned int seq)
{
	const struct test_payload *p = (const struct test_payload *)(frame + ETH_HLEN);
	size_t i;

	if (len != frame_len(seq))
		return false;
	for (i = 0; i < len - ETH_HLEN - sizeof(*p); i++)
		if (p->pattern[i] != pattern_byte(run, seq, i))
			return false;
	return true;
}

/* The receive handler: interrupt context or ->poll(); checks and counts. */
static void check_frame(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	struct rx_check *c = arg;
	const struct eth_hdr *h = frame;
	const struct test_payload *p = (const void *)((const u8 *)frame + ETH_HLEN);

	if (len < ETH_HLEN + sizeof(*p) || h->ethertype != __builtin_bswap16(NET_TEST_ETHERTYPE) ||
	    p->run != READ_ONCE(c->run))
		return;
	if (p->seq >= c->expected || !memcmp(h->dst, dev->mac, ETH_ALEN) == 0) {
		c->bad++;
	} else if (c->seen[p->seq]) {
		c->dup++;
	} else if (frame_intact(frame, len, p->run, p->seq)) {
		c->seen[p->seq] = true;
		WRITE_ONCE(c->good, c->good + 1);
	} else {
		c->bad++;
	}
}

/* The e1000 and the virtio-net of the test boot, or false (and the test skips). */
static bool find_pair(struct netdev **e1000, struct netdev **virtio)
{
	*e1000 = netdev_find("e1000.0");
	*virtio = netdev_find("virtio-net.0");
	if (*e1000 && *virtio)
		return true;
	ktest_skip("no NIC pair (e1000 + virtio-net on one QEMU hub)");
	return false;
}

static void start_run(struct netdev *rx, unsigned int expected)
{
	netdev_set_rx_handler(rx, NULL, NULL);
	memset(&rx_check, 0, sizeof(rx_check));
	rx_check.expected = expected;
	WRITE_ONCE(rx_check.run, ++net_test_run);
	netdev_set_rx_handler(rx, check_frame, &rx_check);
}

/* Send one frame; -EBUSY means poll both devices (reclaims sent slots) and retry, within a bound. */
static int send_one(struct netdev *tx, struct netdev *rx, const u8 *frame, size_t len)
{
	u64 end = ktime_ns() + (u64)NET_TEST_WAIT_MS * NSEC_PER_MSEC;
	int err;

	while ((err = netdev_xmit(tx, frame, len)) == -EBUSY && ktime_ns() < end) {
		netdev_poll(tx);
		netdev_poll(rx);
		cpu_relax();
	}
	return err;
}

/* Send frames first..last-1 of the current run (several senders may run at once). */
static int send_frames(struct netdev *tx, struct netdev *rx, unsigned int first, unsigned int last)
{
	u8 *frame = kmalloc(ETH_FRAME_MAX);
	unsigned int seq;
	int err = frame ? 0 : -ENOMEM;

	for (seq = first; seq < last && !err; seq++) {
		build_frame(frame, tx, rx, rx_check.run, seq);
		err = send_one(tx, rx, frame, frame_len(seq));
	}
	kfree(frame);
	return err;
}

/* Until all expected frames arrived (polling both devices when asked) or the bound passed. */
static bool wait_for_frames(struct netdev *tx, struct netdev *rx, bool polling)
{
	u64 end = ktime_ns() + (u64)NET_TEST_WAIT_MS * NSEC_PER_MSEC;

	while (READ_ONCE(rx_check.good) < rx_check.expected && ktime_ns() < end) {
		if (polling) {
			netdev_poll(rx);
			netdev_poll(tx);
		}
		cpu_relax();
	}
	return READ_ONCE(rx_check.good) == rx_check.expected;
}

static void transfer(struct netdev *tx, struct netdev *rx, bool polling)
{
	KASSERT_EQ(netdev_set_polling(tx, polling), 0);
	KASSERT_EQ(netdev_set_polling(rx, polling), 0);
	start_run(rx, NET_TEST_FRAMES);
	KEXPECT_EQ(send_frames(tx, rx, 0, NET_TEST_FRAMES), 0);
	KEXPECT(wait_for_frames(tx, rx, polling));
	KEXPECT_EQ(rx_check.good, NET_TEST_FRAMES);
	KEXPECT_EQ(rx_check.bad, 0);
	KEXPECT_EQ(rx_check.dup, 0);
	netdev_set_rx_handler(rx, NULL, NULL);
	netdev_set_polling(tx, false);
	netdev_set_polling(rx, false);
}

KTEST(net, pci_finds_both_nics)
{
	struct pci_dev *e = pci_find_device(0x8086, 0x100e, 0);
	struct pci_dev *v = pci_find_device(0x1af4, 0x1000, 0);

	if (!e && !v) {
		ktest_skip("no NIC");
		return;
	}
	if (e) {	/* 82540EM: 128 KiB of registers, then 64 I/O ports */
		KEXPECT(!e->bar[0].is_io && e->bar[0].size == 0x20000 && e->bar[0].base);
		KEXPECT(e->bar[1].is_io && e->bar[1].size == 0x40);
		KEXPECT_EQ(e->class_code, 0x02);
		KEXPECT(e->driver != NULL);
	}
	if (v) {	/* legacy I/O registers; the modern interface in a 64-bit BAR */
		KEXPECT(v->bar[0].is_io && v->bar[0].size >= 0x20);
		KEXPECT(v->bar[4].is_64 && v->bar[4].size >= 0x4000);
		KEXPECT(pci_find_capability(v, PCI_CAP_ID_VNDR) != 0);
		KEXPECT(v->driver != NULL);
	}
	KEXPECT(pci_find_device(0x8086, 0x100e, 2) == NULL);
}

KTEST(net, find_and_get)
{
	struct netdev *e, *v;
	unsigned int i, seen = 0;

	if (!find_pair(&e, &v))
		return;
	for (i = 0; i < netdev_count(); i++)
		seen += (netdev_get(i) == e) + (netdev_get(i) == v);
	KEXPECT_EQ(seen, 2);
	KEXPECT(netdev_get(netdev_count()) == NULL);
	KEXPECT(netdev_find("e1000.9") == NULL);
	KEXPECT(netdev_find(NULL) == NULL);
	KEXPECT_EQ(memcmp(e->mac, "\x52\x54\x00\x00\x00\x10", ETH_ALEN), 0);
	KEXPECT_EQ(memcmp(v->mac, "\x52\x54\x00\x00\x00\x11", ETH_ALEN), 0);
}

KTEST(net, bad_lengths_refused)
{
	static u8 frame[ETH_FRAME_MAX + 1];
	struct netdev *e, *v;
	u64 dropped;

	if (!find_pair(&e, &v))
		return;
	KEXPECT_EQ(netdev_xmit(e, frame, ETH_HLEN - 1), -EMSGSIZE);
	KEXPECT_EQ(netdev_xmit(v, frame, ETH_FRAME_MAX + 1), -EMSGSIZE);
	KEXPECT_EQ(netdev_xmit(v, NULL, ETH_ZLEN), -EMSGSIZE);
	dropped = v->stats.rx_dropped;
	netdev_receive(v, frame, ETH_HLEN - 1);
	netdev_receive(v, frame, ETH_FRAME_MAX + 1);
	KEXPECT_EQ(v->stats.rx_dropped, dropped + 2);
}

/* e1000 takes frames of the largest MTU the RPC transport sends (jumbo frames). */
KTEST(net, e1000_carries_jumbo_frames)
{
	static u8 frame[16384];
	struct netdev *e, *v;

	if (!find_pair(&e, &v))
		return;
	KEXPECT(e->mtu >= ERPC_MTU_MAX);
	if (KEXPECT(ETH_HLEN + e->mtu < sizeof(frame)))
		KEXPECT_EQ(netdev_xmit(e, frame, ETH_HLEN + e->mtu + 1), -EMSGSIZE);
}

KTEST(net, e1000_to_virtio_irq)
{
	struct netdev *e, *v;

	if (find_pair(&e, &v))
		transfer(e, v, false);
}

KTEST(net, virtio_to_e1000_irq)
{
	struct netdev *e, *v;

	if (find_pair(&e, &v))
		transfer(v, e, false);
}

KTEST(net, e1000_to_virtio_polling)
{
	struct netdev *e, *v;

	if (find_pair(&e, &v))
		transfer(e, v, true);
}

KTEST(net, virtio_to_e1000_polling)
{
	struct netdev *e, *v;

	if (find_pair(&e, &v))
		transfer(v, e, true);
}

/*
 * In polling mode nothing reclaims sent slots until ->poll(): a burst fills
 * the ring. Every frame still arrives: each receive ring (e1000 512,
 * virtio 256 in QEMU) is larger than the other device's transmit ring
 * (64, 256), and the retries poll the receiver as well.
 */
static void burst(struct netdev *tx, struct netdev *rx)
{
	static u8 frame[ETH_FRAME_MAX];
	u64 busy = tx->stats.tx_busy;
	unsigned int seq;
	int err = 0;

	KASSERT_EQ(netdev_set_polling(tx, true), 0);
	KASSERT_EQ(netdev_set_polling(rx, true), 0);
	start_run(rx, NET_TEST_BURST);
	for (seq = 0; seq < NET_TEST_BURST && err != -EBUSY; seq++) {
		build_frame(frame, tx, rx, rx_check.run, seq);
		err = netdev_xmit(tx, frame, frame_len(seq));
	}
	KEXPECT_EQ(err, -EBUSY);
	KEXPECT_EQ(tx->stats.tx_busy, busy + 1);
	/* The refused frame and the rest go out once polling reclaims slots. */
	KEXPECT_EQ(send_frames(tx, rx, seq - 1, NET_TEST_BURST), 0);
	KEXPECT(wait_for_frames(tx, rx, true));
	KEXPECT_EQ(rx_check.good, NET_TEST_BURST);
	KEXPECT_EQ(rx_check.bad, 0);
	netdev_set_rx_handler(rx, NULL, NULL);
	netdev_set_polling(tx, false);
	netdev_set_polling(rx, false);
}

KTEST(net, e1000_burst_fills_ring)
{
	struct netdev *e, *v;

	if (find_pair(&e, &v))
		burst(e, v);
}

KTEST(net, virtio_burst_fills_ring)
{
	struct netdev *e, *v;

	if (find_pair(&e, &v))
		burst(v, e);
}

struct xmit_worker {
	struct netdev *tx, *rx;
	unsigned int first, last;
};

static int xmit_worker_fn(void *arg)
{
	struct xmit_worker *w = arg;

	return send_frames(w->tx, w->rx, w->first, w->last);
}

/* Two threads on two CPUs send through one device at once: nothing lost, torn or doubled. */
KTEST(net, xmit_from_two_cpus)
{
	struct xmit_worker w[2];
	struct task *t[2];
	struct netdev *e, *v;
	unsigned int i, started = 0;

	if (!find_pair(&e, &v))
		return;
	start_run(v, 2 * NET_TEST_FRAMES);
	for (i = 0; i < 2; i++) {
		w[i] = (struct xmit_worker){ e, v, i * NET_TEST_FRAMES, (i + 1) * NET_TEST_FRAMES };
		t[i] = kthread_create_on_cpu(xmit_worker_fn, &w[i], "net-xmit", i % nr_cpus_online);
		if (!KEXPECT(!IS_ERR(t[i])))
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		KEXPECT_EQ(kthread_join(t[i]), 0);
	KEXPECT(started == 2 && wait_for_frames(e, v, false));
	KEXPECT_EQ(rx_check.good, 2 * NET_TEST_FRAMES);
	KEXPECT_EQ(rx_check.bad, 0);
	KEXPECT_EQ(rx_check.dup, 0);
	netdev_set_rx_handler(v, NULL, NULL);
}
