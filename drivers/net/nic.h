/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to drivers/net/: what every NIC driver's ->poll() does the same
 * way. Both drivers keep a receive and a transmit lock (receive first: a
 * receive handler may send) and clean each ring under its own lock.
 */
#ifndef _DRIVERS_NET_NIC_H
#define _DRIVERS_NET_NIC_H

#include <mosaic/spinlock.h>

struct nic_rings {
	spinlock_t *rx_lock;
	int (*clean_rx)(void *priv);	/* frames delivered */
	spinlock_t *tx_lock;
	void (*clean_tx)(void *priv);	/* sent slots reclaimed */
	void *priv;
};

/* Deliver what the receive ring holds, then reclaim sent slots; returns frames delivered. */
static inline int nic_poll_rings(const struct nic_rings *r)
{
	unsigned long flags;
	int done;

	flags = spin_lock_irqsave(r->rx_lock);
	done = r->clean_rx(r->priv);
	spin_unlock_irqrestore(r->rx_lock, flags);
	flags = spin_lock_irqsave(r->tx_lock);
	r->clean_tx(r->priv);
	spin_unlock_irqrestore(r->tx_lock, flags);
	return done;
}

#endif
