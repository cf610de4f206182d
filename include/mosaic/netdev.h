/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network devices: the seam between NIC drivers (drivers/net/: e1000,
 * virtio-net) and the protocols above them (net/: the Ethernet RPC
 * transport). A driver fills a struct netdev and registers it; a protocol
 * finds a device, installs its receive handler, and sends whole Ethernet
 * frames (destination MAC, source MAC, EtherType, payload; no FCS).
 *
 * Receive: the driver calls netdev_receive() once per good frame, from its
 * interrupt handler or from ->poll(). The handler runs in that context: it
 * must not sleep and must copy what it keeps (the frame buffer is reused).
 *
 * Transmit: ->xmit() copies the frame into the device's ring and returns
 * without waiting for the wire. It may be called from any context,
 * concurrently on several CPUs (the driver serialises internally).
 *
 * Polling mode (netdev_set_polling()): the device's interrupts are masked
 * and the protocol calls ->poll() itself. Sent slots are reclaimed by the
 * interrupt handler and by ->poll(), so in polling mode a sender that gets
 * -EBUSY calls netdev_poll() and tries again.
 *
 * Drivers: drivers/net/ (e1000.c, virtio_net.c); Documentation/drivers.md
 * says how to add one.
 */
#ifndef _MOSAIC_NETDEV_H
#define _MOSAIC_NETDEV_H

#include <mosaic/list.h>
#include <mosaic/spinlock.h>
#include <mosaic/types.h>

#define ETH_ALEN	6
#define ETH_HLEN	14	/* dst + src + EtherType */
#define ETH_DATA_LEN	1500	/* payload bytes a standard frame carries */
#define ETH_FRAME_MAX	(ETH_HLEN + ETH_DATA_LEN)
#define ETH_ZLEN	60	/* shorter frames are padded by the driver */

struct eth_hdr {
	u8 dst[ETH_ALEN];
	u8 src[ETH_ALEN];
	u16 ethertype;		/* big-endian on the wire */
} __attribute__((packed));

struct netdev;

typedef void (*netdev_rx_fn)(struct netdev *dev, const void *frame, size_t len, void *arg);

struct netdev_ops {
	/* Queue one frame (ETH_HLEN..ETH_FRAME_MAX bytes). 0, -EMSGSIZE, or -EBUSY (ring full). */
	int (*xmit)(struct netdev *dev, const void *frame, size_t len);
	/* Hand every frame waiting in the receive ring to netdev_receive(); returns how many. */
	int (*poll)(struct netdev *dev);
	/* Optional. true: mask the device's interrupts (the protocol polls); false: unmask. */
	void (*set_polling)(struct netdev *dev, bool polling);
};

struct netdev_stats {
	u64 rx_frames, rx_bytes, rx_dropped;	/* dropped: bad length, no handler, ring errors */
	u64 tx_frames, tx_bytes, tx_busy;	/* busy: xmit found the ring full */
};

struct netdev {
	char name[16];			/* "e1000.0", "virtio-net.0" */
	u8 mac[ETH_ALEN];
	unsigned int mtu;		/* payload bytes per frame (ETH_DATA_LEN) */
	const struct netdev_ops *ops;
	void *priv;			/* the driver's own state */
	struct netdev_stats stats;

	/* set by the protocol with netdev_set_rx_handler() */
	netdev_rx_fn rx_handler;
	void *rx_arg;
	spinlock_t rx_handler_lock;	/* keeps rx_handler and rx_arg a pair */
	bool polling;			/* netdev_set_polling() */

	struct list_head list;		/* all registered devices, in probe order */
};

/* Called by a driver once the device can send and receive. Prints name and MAC. */
int netdev_register(struct netdev *dev);

/* The index-th registered device (0 = the first probed), or NULL. */
struct netdev *netdev_get(unsigned int index);

/* The device named name, or NULL. */
struct netdev *netdev_find(const char *name);

/* Number of registered devices. */
unsigned int netdev_count(void);

/* Route dev's received frames to fn(dev, frame, len, arg); fn NULL drops them. */
void netdev_set_rx_handler(struct netdev *dev, netdev_rx_fn fn, void *arg);

/* For drivers: deliver one received frame to the handler (counts and drops if none). */
void netdev_receive(struct netdev *dev, const void *frame, size_t len);

/* For drivers: count a frame the driver itself dropped (bad length, errors). */
void netdev_count_drop(struct netdev *dev);

/* Send one frame; counts it. Same returns as ops->xmit. */
int netdev_xmit(struct netdev *dev, const void *frame, size_t len);

/* Run ->poll(): frames handed to the handler (and sent slots reclaimed); how many frames. */
int netdev_poll(struct netdev *dev);

/* Enter (true) or leave polling mode. 0, or -EOPNOTSUPP when the driver has no set_polling. */
int netdev_set_polling(struct netdev *dev, bool polling);

#endif
