// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net over the legacy (transitional) PCI interface: QEMU's
 * -device virtio-net-pci, 1af4:1000. Registers live in I/O BAR 0; each
 * virtqueue is one physically contiguous "vring" the device reads and
 * writes in RAM:
 *
 *   descriptors  (buffer address, length, flags) x size
 *   avail ring   the driver publishes descriptor ids for the device
 *   used ring    (page aligned) the device returns ids with a length
 *
 * Queue 0 receives: every descriptor points at its own 2 KiB buffer and is
 * always posted; the device fills one with a virtio_net_hdr and a frame,
 * the driver hands the frame to netdev_receive() and posts it again.
 * Queue 1 transmits: xmit takes a free descriptor, copies the header and
 * frame into its buffer and publishes it; used entries free it again.
 * Features: only MAC and STATUS are accepted (no offloads, no merged
 * receive buffers), so the header is the 10-byte legacy one.
 *
 * Lock order: rx_lock -> tx_lock (a receive handler may send), both taken
 * with interrupts off. The receive handler runs under rx_lock, so it must
 * not call ->poll() on the same device.
 */
#define pr_fmt(fmt) "virtio-net: " fmt

#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/netdev.h>
#include <mosaic/pci.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include "nic.h"

/* Legacy register block (I/O BAR 0, without MSI-X). */
#define VIRTIO_PCI_HOST_FEATURES	0x00
#define VIRTIO_PCI_GUEST_FEATURES	0x04
#define VIRTIO_PCI_QUEUE_PFN		0x08
#define VIRTIO_PCI_QUEUE_SIZE		0x0c
#define VIRTIO_PCI_QUEUE_SEL		0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY		0x10
#define VIRTIO_PCI_STATUS		0x12
#define VIRTIO_PCI_ISR			0x13
#define VIRTIO_PCI_CONFIG		0x14	/* virtio_net_config: mac[6], status */
#define VIRTIO_PCI_LEGACY_ALIGN		4096

#define VIRTIO_STATUS_ACK		1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FAILED		128
#define VIRTIO_ISR_QUEUE		1
#define VIRTIO_ISR_CONFIG		2

#define VIRTIO_NET_F_MAC		(1U << 5)
#define VIRTIO_NET_F_STATUS		(1U << 16)
#define VIRTIO_NET_S_LINK_UP		1
#define VIRTIO_NET_CONFIG_STATUS	(VIRTIO_PCI_CONFIG + ETH_ALEN)

#define VRING_DESC_F_WRITE		2	/* the device writes this buffer */
#define VRING_AVAIL_F_NO_INTERRUPT	1
#define VQ_RX				0
#define VQ_TX				1
#define VQ_MAX_SIZE			1024
#define VNET_BUF_SIZE			2048

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
} __packed;

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
} __packed;

struct vring_used_elem {
	u32 id;
	u32 len;
} __packed;

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];
} __packed;

/* The legacy header in front of every frame; all zero: no offloads. */
struct virtio_net_hdr {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;
	u16 gso_size;
	u16 csum_start;
	u16 csum_offset;
} __packed;

#define VNET_HDR_LEN sizeof(struct virtio_net_hdr)

struct virtqueue {
	unsigned int index, size;
	void *ring_mem;			/* desc, avail, then used on the next page boundary */
	unsigned int ring_order;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u16 avail_idx;			/* our copy of avail->idx */
	u16 last_used;			/* used entries up to here are handled */
	u8 *bufs;			/* descriptor i's buffer at i * VNET_BUF_SIZE */
	unsigned int bufs_order;
	u16 *free_ids;			/* tx only: a stack of free descriptors */
	unsigned int nr_free;
};

struct virtio_net {
	struct netdev netdev;
	struct pci_dev *pci;
	u16 io;				/* I/O BAR 0 */
	struct virtqueue rx, tx;
	spinlock_t rx_lock, tx_lock;
};

static unsigned int virtio_net_count;

static unsigned int order_for_bytes(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static size_t vring_used_offset(unsigned int size)
{
	size_t avail_end = size * sizeof(struct vring_desc) + 6 + 2 * size;

	return (avail_end + VIRTIO_PCI_LEGACY_ALIGN - 1) & ~(size_t)(VIRTIO_PCI_LEGACY_ALIGN - 1);
}

static int vq_alloc(struct virtqueue *vq, bool is_tx)
{
	size_t ring_bytes = vring_used_offset(vq->size) + 6 + 8 * vq->size;

	vq->ring_order = order_for_bytes(ring_bytes);
	vq->bufs_order = order_for_bytes((size_t)vq->size * VNET_BUF_SIZE);
	if (vq->ring_order > MAX_ORDER || vq->bufs_order > MAX_ORDER)
		return -ENOMEM;
	vq->ring_mem = get_zeroed_pages(vq->ring_order);
	vq->bufs = get_zeroed_pages(vq->bufs_order);
	vq->free_ids = is_tx ? kmalloc(vq->size * sizeof(u16)) : NULL;
	if (!vq->ring_mem || !vq->bufs || (is_tx && !vq->free_ids))
		return -ENOMEM;
	vq->desc = vq->ring_mem;
	vq->avail = (struct vring_avail *)(vq->desc + vq->size);
	vq->used = (struct vring_used *)((u8 *)vq->ring_mem + vring_used_offset(vq->size));
	return 0;
}

static void vq_free(struct virtqueue *vq)
{
	if (vq->ring_mem)
		free_pages_addr(vq->ring_mem, vq->ring_order);
	if (vq->bufs)
		free_pages_addr(vq->bufs, vq->bufs_order);
	kfree(vq->free_ids);
}

/* Every descriptor owns one buffer; receive buffers are device-writable. */
static void vq_init_descriptors(struct virtqueue *vq, bool device_writes)
{
	unsigned int i;

	for (i = 0; i < vq->size; i++) {
		vq->desc[i].addr = __pa(vq->bufs + i * VNET_BUF_SIZE);
		vq->desc[i].len = VNET_BUF_SIZE;
		vq->desc[i].flags = device_writes ? VRING_DESC_F_WRITE : 0;
		if (vq->free_ids)
			vq->free_ids[vq->nr_free++] = i;
	}
}

/* Publish descriptor id to the device (the caller notifies). */
static void vq_publish(struct virtqueue *vq, u16 id)
{
	vq->avail->ring[vq->avail_idx % vq->size] = id;
	vq->avail_idx++;
	barrier();	/* the ring entry before the index that exposes it */
	WRITE_ONCE(vq->avail->idx, vq->avail_idx);
}

static void vq_notify(struct virtio_net *vn, struct virtqueue *vq)
{
	barrier();
	outw(vn->io + VIRTIO_PCI_QUEUE_NOTIFY, vq->index);
}

/* The next used entry, or NULL when the device has returned nothing new. */
static struct vring_used_elem *vq_next_used(struct virtqueue *vq)
{
	struct vring_used_elem *e;

	if (READ_ONCE(vq->used->idx) == vq->last_used)
		return NULL;
	barrier();	/* read the entry only after the index that exposes it */
	e = &vq->used->ring[vq->last_used % vq->size];
	vq->last_used++;
	return e;
}

/* Select queue index, read its size, give the device the ring. */
static int vq_setup(struct virtio_net *vn, struct virtqueue *vq, unsigned int index)
{
	int err;

	vq->index = index;
	outw(vn->io + VIRTIO_PCI_QUEUE_SEL, index);
	vq->size = inw(vn->io + VIRTIO_PCI_QUEUE_SIZE);
	if (!vq->size || vq->size > VQ_MAX_SIZE || (vq->size & (vq->size - 1)))
		return -ENODEV;
	err = vq_alloc(vq, index == VQ_TX);
	if (err)
		return err;
	vq_init_descriptors(vq, index == VQ_RX);
	outl(vn->io + VIRTIO_PCI_QUEUE_PFN, (u32)(__pa(vq->ring_mem) >> PAGE_SHIFT));
	return 0;
}

static void vnet_deliver(struct virtio_net *vn, const struct vring_used_elem *e)
{
	if (e->id >= vn->rx.size)
		return;		/* a device bug: nothing to deliver, nothing to repost */
	if (e->len < VNET_HDR_LEN || e->len > VNET_BUF_SIZE)
		netdev_count_drop(&vn->netdev);
	else
		netdev_receive(&vn->netdev, vn->rx.bufs + e->id * VNET_BUF_SIZE + VNET_HDR_LEN,
			       e->len - VNET_HDR_LEN);
	vq_publish(&vn->rx, (u16)e->id);
}

/* Context: rx_lock held. Returns how many buffers came back. */
static int vnet_clean_rx(struct virtio_net *vn)
{
	struct vring_used_elem *e;
	int done = 0;

	while ((e = vq_next_used(&vn->rx))) {
		vnet_deliver(vn, e);
		done++;
	}
	if (done)
		vq_notify(vn, &vn->rx);
	return done;
}

/* Context: tx_lock held. */
static void vnet_clean_tx(struct virtio_net *vn)
{
	struct vring_used_elem *e;

	while ((e = vq_next_used(&vn->tx)))
		if (e->id < vn->tx.size && vn->tx.nr_free < vn->tx.size)
			vn->tx.free_ids[vn->tx.nr_free++] = (u16)e->id;
}

static int vnet_clean_rx_cb(void *vn) { return vnet_clean_rx(vn); }
static void vnet_clean_tx_cb(void *vn) { vnet_clean_tx(vn); }

static int vnet_poll(struct netdev *nd)
{
	struct virtio_net *vn = nd->priv;
	const struct nic_rings rings = {
		.rx_lock = &vn->rx_lock, .clean_rx = vnet_clean_rx_cb,
		.tx_lock = &vn->tx_lock, .clean_tx = vnet_clean_tx_cb, .priv = vn,
	};

	return nic_poll_rings(&rings);
}

static bool vnet_link_up(struct virtio_net *vn)
{
	return inw(vn->io + VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP;
}

/* Interrupt context on CPU 0; reading ISR acknowledges, 0 means another device's. */
static void vnet_interrupt(void *arg)
{
	struct virtio_net *vn = arg;
	u8 isr = inb(vn->io + VIRTIO_PCI_ISR);

	if (isr & VIRTIO_ISR_CONFIG)
		pr_info("%s: link %s\n", vn->netdev.name, vnet_link_up(vn) ? "up" : "down");
	if (isr & VIRTIO_ISR_QUEUE)
		vnet_poll(&vn->netdev);
}

static int vnet_xmit(struct netdev *nd, const void *frame, size_t len)
{
	struct virtio_net *vn = nd->priv;
	unsigned long flags;
	size_t padded;
	u8 *buf;
	u16 id;

	if (!frame || len < ETH_HLEN || len > ETH_FRAME_MAX)
		return -EMSGSIZE;
	padded = len < ETH_ZLEN ? ETH_ZLEN : len;
	flags = spin_lock_irqsave(&vn->tx_lock);
	if (!vn->tx.nr_free) {
		spin_unlock_irqrestore(&vn->tx_lock, flags);
		return -EBUSY;
	}
	id = vn->tx.free_ids[--vn->tx.nr_free];
	buf = vn->tx.bufs + id * VNET_BUF_SIZE;
	memset(buf, 0, VNET_HDR_LEN);
	memcpy(buf + VNET_HDR_LEN, frame, len);
	memset(buf + VNET_HDR_LEN + len, 0, padded - len);
	vn->tx.desc[id].len = VNET_HDR_LEN + padded;
	vq_publish(&vn->tx, id);
	vq_notify(vn, &vn->tx);
	spin_unlock_irqrestore(&vn->tx_lock, flags);
	return 0;
}

static void vnet_set_polling(struct netdev *nd, bool polling)
{
	struct virtio_net *vn = nd->priv;
	u16 flags = polling ? VRING_AVAIL_F_NO_INTERRUPT : 0;

	WRITE_ONCE(vn->rx.avail->flags, flags);
	WRITE_ONCE(vn->tx.avail->flags, flags);
	if (!polling)
		vnet_poll(nd);	/* what arrived while masked raises no interrupt now */
}

static const struct netdev_ops vnet_netdev_ops = {
	.xmit = vnet_xmit,
	.poll = vnet_poll,
	.set_polling = vnet_set_polling,
};

static void vnet_read_mac(struct virtio_net *vn, u8 *mac)
{
	unsigned int i;

	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = inb(vn->io + VIRTIO_PCI_CONFIG + i);
}

/* Reset, acknowledge, agree on features, set up both queues. */
static int vnet_bring_up(struct virtio_net *vn)
{
	u32 features;
	int err;

	outb(vn->io + VIRTIO_PCI_STATUS, 0);
	outb(vn->io + VIRTIO_PCI_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	features = inl(vn->io + VIRTIO_PCI_HOST_FEATURES);
	if (!(features & VIRTIO_NET_F_MAC))
		return -ENODEV;		/* nothing else would give us an address */
	outl(vn->io + VIRTIO_PCI_GUEST_FEATURES, features & (VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS));
	vnet_read_mac(vn, vn->netdev.mac);
	err = vq_setup(vn, &vn->rx, VQ_RX);
	if (!err)
		err = vq_setup(vn, &vn->tx, VQ_TX);
	return err;
}

static void vnet_start(struct virtio_net *vn)
{
	unsigned int i;
	int err;

	for (i = 0; i < vn->rx.size; i++)
		vq_publish(&vn->rx, (u16)i);
	outb(vn->io + VIRTIO_PCI_STATUS,
	     VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	vq_notify(vn, &vn->rx);
	err = pci_request_irq(vn->pci, vnet_interrupt, vn);
	if (err) {
		pr_warn("%s: no interrupt (error %d); polling only\n", vn->netdev.name, err);
		vnet_set_polling(&vn->netdev, true);
		vn->netdev.polling = true;
	}
}

static int vnet_probe(struct pci_dev *pci)
{
	struct virtio_net *vn;
	int err;

	if (!pci->bar[0].is_io || pci->bar[0].size < VIRTIO_NET_CONFIG_STATUS + 2)
		return -ENODEV;		/* not the legacy interface */
	vn = kzalloc(sizeof(*vn));
	if (!vn)
		return -ENOMEM;
	vn->pci = pci;
	vn->io = (u16)pci->bar[0].base;
	spin_lock_init(&vn->rx_lock);
	spin_lock_init(&vn->tx_lock);
	pci_enable_device(pci);
	snprintf(vn->netdev.name, sizeof(vn->netdev.name), "virtio-net.%u", virtio_net_count);
	err = vnet_bring_up(vn);
	if (err) {
		outb(vn->io + VIRTIO_PCI_STATUS, VIRTIO_STATUS_FAILED);
		outb(vn->io + VIRTIO_PCI_STATUS, 0);	/* reset: the device forgets our rings */
		vq_free(&vn->rx);
		vq_free(&vn->tx);
		kfree(vn);
		return err;
	}
	virtio_net_count++;
	vn->netdev.ops = &vnet_netdev_ops;
	vn->netdev.priv = vn;
	vn->netdev.mtu = ETH_DATA_LEN;
	pci->driver_data = vn;
	vnet_start(vn);
	pr_info("%s: link %s, irq %u, %u rx / %u tx descriptors\n", vn->netdev.name,
		vnet_link_up(vn) ? "up" : "down", pci->irq_line, vn->rx.size, vn->tx.size);
	return netdev_register(&vn->netdev);
}

static const struct pci_device_id vnet_ids[] = {
	{ 0x1af4, 0x1000 },	/* transitional virtio-net */
	{ 0 },
};

static struct pci_driver vnet_driver = {
	.name = "virtio-net",
	.id_table = vnet_ids,
	.probe = vnet_probe,
};
PCI_DRIVER(vnet_driver);
