// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of network devices (include/mosaic/netdev.h): drivers add
 * their devices, protocols find them by index or name, and the frames that
 * cross in either direction are bound-checked and counted here so every
 * driver counts the same way.
 *
 * Lock order: netdev_list_lock and each dev->rx_handler_lock are leaves,
 * taken with interrupts off. A handler is called with neither held, so it
 * may send (netdev_xmit()) or change handlers; a call already under way on
 * another CPU may still finish after netdev_set_rx_handler() returns.
 */
#define pr_fmt(fmt) "netdev: " fmt

#include <mosaic/errno.h>
#include <mosaic/netdev.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

static LIST_HEAD(netdev_list);
static unsigned int nr_netdevs;
static DEFINE_SPINLOCK(netdev_list_lock);

/* Counters are bumped from several CPUs and interrupt handlers at once. */
static void stat_add(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

int netdev_register(struct netdev *dev)
{
	unsigned long flags;

	if (!dev->ops || !dev->ops->xmit || !dev->ops->poll || !dev->name[0])
		return -EINVAL;
	if (!dev->mtu)
		dev->mtu = ETH_DATA_LEN;
	spin_lock_init(&dev->rx_handler_lock);
	flags = spin_lock_irqsave(&netdev_list_lock);
	list_add_tail(&dev->list, &netdev_list);
	nr_netdevs++;
	spin_unlock_irqrestore(&netdev_list_lock, flags);
	pr_info("%s MAC %02x:%02x:%02x:%02x:%02x:%02x\n", dev->name, dev->mac[0], dev->mac[1],
		dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5]);
	return 0;
}

/* The first device for which match(dev, key) holds, or NULL. */
static struct netdev *netdev_lookup(bool (*match)(struct netdev *dev, const void *key),
				    const void *key)
{
	struct netdev *dev, *found = NULL;
	unsigned long flags = spin_lock_irqsave(&netdev_list_lock);

	list_for_each_entry(dev, &netdev_list, list) {
		if (match(dev, key)) {
			found = dev;
			break;
		}
	}
	spin_unlock_irqrestore(&netdev_list_lock, flags);
	return found;
}

/* key points at the index still to skip; counts down to the wanted device. */
static bool index_matches(struct netdev *dev, const void *key)
{
	unsigned int *left = (unsigned int *)key;

	return (*left)-- == 0;
}

static bool name_matches(struct netdev *dev, const void *key)
{
	return strcmp(dev->name, key) == 0;
}

struct netdev *netdev_get(unsigned int index)
{
	return netdev_lookup(index_matches, &index);
}

struct netdev *netdev_find(const char *name)
{
	return name ? netdev_lookup(name_matches, name) : NULL;
}

unsigned int netdev_count(void)
{
	return READ_ONCE(nr_netdevs);
}

void netdev_set_rx_handler(struct netdev *dev, netdev_rx_fn fn, void *arg)
{
	unsigned long flags = spin_lock_irqsave(&dev->rx_handler_lock);

	dev->rx_handler = fn;
	dev->rx_arg = arg;
	spin_unlock_irqrestore(&dev->rx_handler_lock, flags);
}

void netdev_receive(struct netdev *dev, const void *frame, size_t len)
{
	unsigned long flags;
	netdev_rx_fn fn;
	void *arg;

	if (len < ETH_HLEN || len > ETH_HLEN + dev->mtu) {
		netdev_count_drop(dev);
		return;
	}
	flags = spin_lock_irqsave(&dev->rx_handler_lock);
	fn = dev->rx_handler;
	arg = dev->rx_arg;
	spin_unlock_irqrestore(&dev->rx_handler_lock, flags);
	if (!fn) {
		netdev_count_drop(dev);
		return;
	}
	stat_add(&dev->stats.rx_frames, 1);
	stat_add(&dev->stats.rx_bytes, len);
	fn(dev, frame, len, arg);
}

void netdev_count_drop(struct netdev *dev)
{
	stat_add(&dev->stats.rx_dropped, 1);
}

int netdev_xmit(struct netdev *dev, const void *frame, size_t len)
{
	int err;

	if (!frame || len < ETH_HLEN || len > ETH_HLEN + dev->mtu)
		return -EMSGSIZE;
	err = dev->ops->xmit(dev, frame, len);
	if (err == -EBUSY)
		stat_add(&dev->stats.tx_busy, 1);
	if (err)
		return err;
	stat_add(&dev->stats.tx_frames, 1);
	stat_add(&dev->stats.tx_bytes, len);
	return 0;
}

int netdev_poll(struct netdev *dev)
{
	return dev->ops->poll(dev);
}

int netdev_set_polling(struct netdev *dev, bool polling)
{
	if (!dev->ops->set_polling)
		return -EOPNOTSUPP;
	dev->ops->set_polling(dev, polling);
	WRITE_ONCE(dev->polling, polling);
	return 0;
}
