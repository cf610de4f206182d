// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 82540EM ("e1000", QEMU's -device e1000, 8086:100e).
 *
 * The device reads descriptor rings from RAM: a receive ring of
 * E1000_NR_RX descriptors, each pointing at an 8 KiB buffer the device
 * fills, and a transmit ring of E1000_NR_TX descriptors, each with its own
 * 8 KiB buffer that xmit copies the frame into. Long packets (RCTL.LPE) are
 * on, so the MTU is E1000_MTU: jumbo frames that carry a 4 KiB page whole. Software owns the slots
 * between the head (device) and the tail (RDT/TDT) registers.
 *
 *   receive:  the interrupt (ICR) or ->poll() walks descriptors whose DD
 *             bit is set from rx_next, hands good frames to
 *             netdev_receive(), then gives each slot back by moving RDT.
 *   transmit: xmit fills the slot at tx_next and moves TDT; the interrupt
 *             (TXDW) or ->poll() reclaims slots whose DD bit the device set.
 *
 * Lock order: rx_lock -> tx_lock (a receive handler may send). Both are
 * taken with interrupts off. The receive handler runs under rx_lock, so it
 * must not call ->poll() on the same device.
 */
#define pr_fmt(fmt) "e1000: " fmt

#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/netdev.h>
#include <mosaic/pci.h>
#include <mosaic/printk.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include <mosaic/time.h>
#include "nic.h"

/* Registers (byte offsets into BAR 0). */
#define E1000_CTRL	0x0000
#define E1000_STATUS	0x0008
#define E1000_EERD	0x0014
#define E1000_ICR	0x00c0
#define E1000_IMS	0x00d0
#define E1000_IMC	0x00d8
#define E1000_RCTL	0x0100
#define E1000_TCTL	0x0400
#define E1000_TIPG	0x0410
#define E1000_RX_RING	0x2800	/* the receive ring's register block */
#define E1000_TX_RING	0x3800	/* the transmit ring's, laid out the same */
#define E1000_RDT	(E1000_RX_RING + RING_TAIL)
#define E1000_TDT	(E1000_TX_RING + RING_TAIL)
#define E1000_MTA	0x5200
#define E1000_RAL0	0x5400
#define E1000_RAH0	0x5404
#define E1000_MTA_ENTRIES 128
/* Offsets within a ring's register block. */
#define RING_BASE_LO	0x00
#define RING_BASE_HI	0x04
#define RING_LEN	0x08
#define RING_HEAD	0x10
#define RING_TAIL	0x18

#define CTRL_ASDE	(1U << 5)	/* auto speed detection */
#define CTRL_SLU	(1U << 6)	/* set link up */
#define CTRL_RST	(1U << 26)
#define STATUS_LU	(1U << 1)	/* link up */
#define EERD_START	(1U << 0)
#define EERD_DONE	(1U << 4)
#define EERD_ADDR_SHIFT	8
#define EERD_DATA_SHIFT	16
#define RAH_AV		(1U << 31)	/* address valid */

#define ICR_TXDW	(1U << 0)	/* a transmit descriptor was written back */
#define ICR_LSC		(1U << 2)	/* link status change */
#define ICR_RXDMT0	(1U << 4)	/* receive ring running low */
#define ICR_RXO		(1U << 6)	/* receive overrun */
#define ICR_RXT0	(1U << 7)	/* receive timer: frames are waiting */
#define E1000_IRQ_CAUSES (ICR_TXDW | ICR_LSC | ICR_RXDMT0 | ICR_RXO | ICR_RXT0)

#define RCTL_EN		(1U << 1)
#define RCTL_LPE	(1U << 5)	/* long packets: frames above 1522 bytes */
#define RCTL_BSIZE_8K	(2U << 16 | 1U << 25)	/* BSIZE 10b with BSEX: 8 KiB buffers */
#define RCTL_BAM	(1U << 15)	/* accept broadcast */
#define RCTL_SECRC	(1U << 26)	/* strip the FCS */
#define TCTL_EN		(1U << 1)
#define TCTL_PSP	(1U << 3)	/* pad short packets */
#define TCTL_CT		(0x10U << 4)	/* collision threshold */
#define TCTL_COLD	(0x40U << 12)	/* collision distance, full duplex */
#define TIPG_DEFAULT	(10U | 8U << 10 | 6U << 20)

#define RXD_STAT_DD	(1U << 0)	/* descriptor done */
#define RXD_STAT_EOP	(1U << 1)	/* end of packet */
#define TXD_CMD_EOP	(1U << 0)
#define TXD_CMD_IFCS	(1U << 1)	/* insert FCS */
#define TXD_CMD_RS	(1U << 3)	/* report status (sets DD) */
#define TXD_STAT_DD	(1U << 0)

#define E1000_NR_RX	512	/* more than a virtio-net peer's 256-frame burst */
#define E1000_NR_TX	64
#define E1000_BUF_SIZE	8192	/* RCTL_BSIZE_8K */
#define E1000_MTU	(E1000_BUF_SIZE - ETH_HLEN)
#define E1000_RX_RING_ORDER 1	/* 512 x 16 bytes */
#define E1000_RX_BUF_ORDER 10	/* 512 x 8 KiB */
#define E1000_TX_BUF_ORDER 7	/* 64 x 8 KiB */
#define E1000_RESET_TIMEOUT_US 10000
#define E1000_EERD_TIMEOUT_US 1000

struct e1000_rx_desc {
	u64 addr;
	u16 length;
	u16 checksum;
	u8 status;
	u8 errors;
	u16 special;
} __packed;

struct e1000_tx_desc {
	u64 addr;
	u16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	u16 special;
} __packed;

struct e1000 {
	struct netdev netdev;
	struct pci_dev *pci;
	volatile u8 *regs;
	struct e1000_rx_desc *rx_ring;
	struct e1000_tx_desc *tx_ring;
	u8 *rx_bufs, *tx_bufs;			/* slot i's buffer at i * E1000_BUF_SIZE */
	unsigned int rx_next;			/* next slot the device fills */
	unsigned int tx_next, tx_clean;		/* next slot to fill, oldest unreclaimed */
	spinlock_t rx_lock, tx_lock;
};

static unsigned int e1000_count;

static u32 er32(struct e1000 *e, u32 reg)
{
	return *(volatile u32 *)(e->regs + reg);
}

static void ew32(struct e1000 *e, u32 reg, u32 val)
{
	*(volatile u32 *)(e->regs + reg) = val;
}

/* Spin until reg & bit == want, for at most timeout_us: whether it got there. */
static bool e1000_wait(struct e1000 *e, u32 reg, u32 bit, u32 want, u64 timeout_us)
{
	u64 end = ktime_ns() + timeout_us * NSEC_PER_USEC;

	while ((er32(e, reg) & bit) != want) {
		if (ktime_ns() > end)
			return false;
		cpu_relax();
	}
	return true;
}

static int e1000_reset(struct e1000 *e)
{
	ew32(e, E1000_IMC, ~0U);
	ew32(e, E1000_CTRL, er32(e, E1000_CTRL) | CTRL_RST);
	udelay(1);
	if (!e1000_wait(e, E1000_CTRL, CTRL_RST, 0, E1000_RESET_TIMEOUT_US))
		return -ETIMEDOUT;
	ew32(e, E1000_IMC, ~0U);	/* reset may have unmasked */
	er32(e, E1000_ICR);		/* reading clears stale causes */
	ew32(e, E1000_CTRL, er32(e, E1000_CTRL) | CTRL_SLU | CTRL_ASDE);
	return 0;
}

/* One 16-bit EEPROM word through EERD; false when the device never answers. */
static bool e1000_read_eeprom(struct e1000 *e, unsigned int word, u16 *val)
{
	ew32(e, E1000_EERD, EERD_START | word << EERD_ADDR_SHIFT);
	if (!e1000_wait(e, E1000_EERD, EERD_DONE, EERD_DONE, E1000_EERD_TIMEOUT_US))
		return false;
	*val = er32(e, E1000_EERD) >> EERD_DATA_SHIFT;
	return true;
}

/* The MAC from EEPROM words 0-2; else what the firmware left in RAL0/RAH0. */
static void e1000_read_mac(struct e1000 *e, u8 *mac)
{
	unsigned int i;
	u32 ral, rah;
	u16 w;

	for (i = 0; i < 3 && e1000_read_eeprom(e, i, &w); i++) {
		mac[2 * i] = w & 0xff;
		mac[2 * i + 1] = w >> 8;
	}
	if (i == 3)
		return;
	pr_warn("EEPROM does not answer; MAC taken from RAL0/RAH0\n");
	ral = er32(e, E1000_RAL0);
	rah = er32(e, E1000_RAH0);
	for (i = 0; i < 4; i++)
		mac[i] = ral >> (8 * i);
	mac[4] = rah;
	mac[5] = rah >> 8;
}

/* The receive filter: our MAC in slot 0, no multicast. */
static void e1000_set_filter(struct e1000 *e, const u8 *mac)
{
	unsigned int i;

	ew32(e, E1000_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24);
	ew32(e, E1000_RAH0, mac[4] | mac[5] << 8 | RAH_AV);
	for (i = 0; i < E1000_MTA_ENTRIES; i++)
		ew32(e, E1000_MTA + 4 * i, 0);
}

static int e1000_alloc_rings(struct e1000 *e)
{
	e->rx_ring = get_zeroed_pages(E1000_RX_RING_ORDER);
	e->tx_ring = get_zeroed_pages(0);	/* 64 x 16 bytes */
	e->rx_bufs = get_zeroed_pages(E1000_RX_BUF_ORDER);
	e->tx_bufs = get_zeroed_pages(E1000_TX_BUF_ORDER);
	if (!e->rx_ring || !e->tx_ring || !e->rx_bufs || !e->tx_bufs)
		return -ENOMEM;
	return 0;
}

static void e1000_free_rings(struct e1000 *e)
{
	if (e->rx_ring)
		free_pages_addr(e->rx_ring, E1000_RX_RING_ORDER);
	if (e->tx_ring)
		free_pages_addr(e->tx_ring, 0);
	if (e->rx_bufs)
		free_pages_addr(e->rx_bufs, E1000_RX_BUF_ORDER);
	if (e->tx_bufs)
		free_pages_addr(e->tx_bufs, E1000_TX_BUF_ORDER);
}

/* Point the device at a ring of bytes at ring; head 0, tail as given. */
static void e1000_program_ring(struct e1000 *e, u32 block, const void *ring, u32 bytes, u32 tail)
{
	phys_addr_t pa = __pa(ring);

	ew32(e, block + RING_BASE_LO, (u32)pa);
	ew32(e, block + RING_BASE_HI, (u32)(pa >> 32));
	ew32(e, block + RING_LEN, bytes);
	ew32(e, block + RING_HEAD, 0);
	ew32(e, block + RING_TAIL, tail);
}

static void e1000_setup_rx(struct e1000 *e)
{
	unsigned int i;

	for (i = 0; i < E1000_NR_RX; i++)
		e->rx_ring[i].addr = __pa(e->rx_bufs + i * E1000_BUF_SIZE);
	/* Every slot but one is the device's: head == tail would mean none. */
	e1000_program_ring(e, E1000_RX_RING, e->rx_ring, E1000_NR_RX * sizeof(*e->rx_ring),
			   E1000_NR_RX - 1);
	ew32(e, E1000_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC | RCTL_LPE | RCTL_BSIZE_8K);
}

static void e1000_setup_tx(struct e1000 *e)
{
	unsigned int i;

	for (i = 0; i < E1000_NR_TX; i++)
		e->tx_ring[i].addr = __pa(e->tx_bufs + i * E1000_BUF_SIZE);
	e1000_program_ring(e, E1000_TX_RING, e->tx_ring, E1000_NR_TX * sizeof(*e->tx_ring), 0);
	ew32(e, E1000_TIPG, TIPG_DEFAULT);
	ew32(e, E1000_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
}

/* A frame the device says is whole and error-free, within our buffer: deliver it. */
static void e1000_deliver(struct e1000 *e, const struct e1000_rx_desc *d, const u8 *buf)
{
	bool whole = (d->status & RXD_STAT_EOP) && !d->errors;

	if (!whole || d->length > E1000_BUF_SIZE) {
		netdev_count_drop(&e->netdev);
		return;
	}
	netdev_receive(&e->netdev, buf, d->length);
}

/* Context: rx_lock held. Returns how many descriptors were consumed. */
static int e1000_clean_rx(struct e1000 *e)
{
	int done = 0;

	for (;;) {
		unsigned int slot = e->rx_next;
		struct e1000_rx_desc *d = &e->rx_ring[slot];

		if (!(READ_ONCE(d->status) & RXD_STAT_DD))
			break;
		barrier();	/* read the descriptor only after its DD bit */
		e1000_deliver(e, d, e->rx_bufs + slot * E1000_BUF_SIZE);
		d->status = 0;
		e->rx_next = (slot + 1) % E1000_NR_RX;
		ew32(e, E1000_RDT, slot);	/* the slot belongs to the device again */
		done++;
	}
	return done;
}

/* Context: tx_lock held. */
static void e1000_clean_tx(struct e1000 *e)
{
	while (e->tx_clean != e->tx_next &&
	       (READ_ONCE(e->tx_ring[e->tx_clean].status) & TXD_STAT_DD))
		e->tx_clean = (e->tx_clean + 1) % E1000_NR_TX;
}

static int e1000_clean_rx_cb(void *e) { return e1000_clean_rx(e); }
static void e1000_clean_tx_cb(void *e) { e1000_clean_tx(e); }

static int e1000_poll(struct netdev *nd)
{
	struct e1000 *e = nd->priv;
	const struct nic_rings rings = {
		.rx_lock = &e->rx_lock, .clean_rx = e1000_clean_rx_cb,
		.tx_lock = &e->tx_lock, .clean_tx = e1000_clean_tx_cb, .priv = e,
	};

	return nic_poll_rings(&rings);
}

/* Interrupt context on CPU 0; the line may be shared, so an empty ICR is not ours. */
static void e1000_interrupt(void *arg)
{
	struct e1000 *e = arg;
	u32 icr = er32(e, E1000_ICR);	/* reading acknowledges */

	if (!icr)
		return;
	if (icr & ICR_LSC)
		pr_info("%s: link %s\n", e->netdev.name,
			(er32(e, E1000_STATUS) & STATUS_LU) ? "up" : "down");
	e1000_poll(&e->netdev);
}

static int e1000_xmit(struct netdev *nd, const void *frame, size_t len)
{
	struct e1000 *e = nd->priv;
	struct e1000_tx_desc *d;
	unsigned long flags;
	unsigned int slot;
	u8 *buf;

	if (!frame || len < ETH_HLEN || len > ETH_HLEN + E1000_MTU)
		return -EMSGSIZE;
	flags = spin_lock_irqsave(&e->tx_lock);
	slot = e->tx_next;
	if ((slot + 1) % E1000_NR_TX == e->tx_clean) {
		spin_unlock_irqrestore(&e->tx_lock, flags);
		return -EBUSY;
	}
	buf = e->tx_bufs + slot * E1000_BUF_SIZE;
	memcpy(buf, frame, len);
	if (len < ETH_ZLEN)
		memset(buf + len, 0, ETH_ZLEN - len);
	d = &e->tx_ring[slot];
	d->length = len < ETH_ZLEN ? ETH_ZLEN : len;
	d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	d->status = 0;
	barrier();	/* the descriptor is whole before the device may read it */
	e->tx_next = (slot + 1) % E1000_NR_TX;
	ew32(e, E1000_TDT, e->tx_next);
	spin_unlock_irqrestore(&e->tx_lock, flags);
	return 0;
}

static void e1000_set_polling(struct netdev *nd, bool polling)
{
	struct e1000 *e = nd->priv;

	ew32(e, polling ? E1000_IMC : E1000_IMS, E1000_IRQ_CAUSES);
}

static const struct netdev_ops e1000_netdev_ops = {
	.xmit = e1000_xmit,
	.poll = e1000_poll,
	.set_polling = e1000_set_polling,
};

/* Interrupts if the line can be routed, else polling only. */
static void e1000_start_interrupts(struct e1000 *e)
{
	int err = pci_request_irq(e->pci, e1000_interrupt, e);

	if (err) {
		pr_warn("%s: no interrupt (error %d); polling only\n", e->netdev.name, err);
		e->netdev.polling = true;
		return;
	}
	ew32(e, E1000_IMS, E1000_IRQ_CAUSES);
}

static int e1000_bring_up(struct e1000 *e)
{
	int err;

	e->regs = pci_iomap(e->pci, 0);
	if (!e->regs)
		return -ENODEV;
	err = e1000_reset(e);
	if (err)
		return err;
	e1000_read_mac(e, e->netdev.mac);
	e1000_set_filter(e, e->netdev.mac);
	err = e1000_alloc_rings(e);
	if (err)
		return err;
	e1000_setup_rx(e);
	e1000_setup_tx(e);
	return 0;
}

static int e1000_probe(struct pci_dev *pci)
{
	struct e1000 *e = kzalloc(sizeof(*e));
	int err;

	if (!e)
		return -ENOMEM;
	e->pci = pci;
	spin_lock_init(&e->rx_lock);
	spin_lock_init(&e->tx_lock);
	pci_enable_device(pci);
	err = e1000_bring_up(e);
	if (err) {
		if (e->regs)
			e1000_reset(e);	/* no DMA into the rings we free */
		e1000_free_rings(e);
		kfree(e);
		return err;
	}
	snprintf(e->netdev.name, sizeof(e->netdev.name), "e1000.%u", e1000_count++);
	e->netdev.ops = &e1000_netdev_ops;
	e->netdev.priv = e;
	e->netdev.mtu = E1000_MTU;
	pci->driver_data = e;
	e1000_start_interrupts(e);
	pr_info("%s: link %s, irq %u\n", e->netdev.name,
		(er32(e, E1000_STATUS) & STATUS_LU) ? "up" : "down", pci->irq_line);
	return netdev_register(&e->netdev);
}

static const struct pci_device_id e1000_ids[] = {
	{ 0x8086, 0x100e },	/* 82540EM, QEMU's e1000 */
	{ 0 },
};

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_ids,
	.probe = e1000_probe,
};
PCI_DRIVER(e1000_driver);
