// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration and the driver model. pci_init() walks every bus, slot
 * and function (function 0 says whether the slot has others), decodes the
 * BARs of each type-0 function, prints one line per function and offers it
 * to the drivers declared with PCI_DRIVER(). Bridges are listed but not
 * configured: the firmware has already numbered buses and placed BARs.
 *
 * Lock order: none. The device list is built once at boot, before any
 * other CPU looks at it, and only read afterwards.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/pci.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include "pci_internal.h"

#define PCI_MAX_BUS 256
#define PCI_MAX_SLOT 32
#define PCI_MAX_FUNC 8
#define PCI_HEADER_MULTI_FUNCTION 0x80
#define PCI_HEADER_TYPE_MASK 0x7f

#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM_TYPE_MASK 0x6
#define PCI_BAR_MEM_TYPE_64 0x4
#define PCI_BAR_PREFETCH 0x8
#define PCI_BAR_IO_MASK (~0x3U)
#define PCI_BAR_MEM_MASK (~0xfULL)

extern const struct pci_driver *const __start_pci_drivers[], *const __stop_pci_drivers[];

static LIST_HEAD(pci_devices);

/* Write all ones, read which bits stick, put the original back. */
static u32 probe_bar_mask(struct pci_dev *dev, unsigned int offset, u32 orig)
{
	u32 mask;

	pci_write_config32(dev, offset, ~0U);
	mask = pci_read_config32(dev, offset);
	pci_write_config32(dev, offset, orig);
	return mask;
}

static void decode_io_bar(struct pci_bar *bar, u32 orig, u32 mask)
{
	/* Devices may wire the upper 16 bits of an I/O BAR to zero. */
	mask = (mask & PCI_BAR_IO_MASK) | 0xffff0000U;
	bar->is_io = true;
	bar->base = orig & PCI_BAR_IO_MASK;
	bar->size = (u32)(~mask + 1);
}

/* BAR i; returns how many slots it takes (2 for a 64-bit memory BAR). */
static unsigned int decode_bar(struct pci_dev *dev, unsigned int i)
{
	unsigned int offset = PCI_BAR0 + 4 * i;
	struct pci_bar *bar = &dev->bar[i];
	u32 orig = pci_read_config32(dev, offset);
	u32 mask = probe_bar_mask(dev, offset, orig);
	u64 base = orig, mask64 = mask | 0xffffffff00000000ULL;

	if (!mask)
		return 1;	/* not implemented */
	if (orig & PCI_BAR_IO) {
		decode_io_bar(bar, orig, mask);
		return 1;
	}
	bar->prefetchable = orig & PCI_BAR_PREFETCH;
	if ((orig & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64 && i + 1 < PCI_MAX_BARS) {
		u32 orig_hi = pci_read_config32(dev, offset + 4);

		bar->is_64 = true;
		base |= (u64)orig_hi << 32;
		mask64 = (u64)probe_bar_mask(dev, offset + 4, orig_hi) << 32 | mask;
	}
	bar->base = base & PCI_BAR_MEM_MASK;
	bar->size = ~(mask64 & PCI_BAR_MEM_MASK) + 1;
	return bar->is_64 ? 2 : 1;
}

/* Sizing writes the BARs: decoding is off meanwhile so no access lands on a half-moved BAR. */
static void decode_bars(struct pci_dev *dev)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);
	unsigned int i;

	pci_write_config16(dev, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (i = 0; i < PCI_MAX_BARS; i += decode_bar(dev, i))
		;
	pci_write_config16(dev, PCI_COMMAND, cmd);
}

static void print_device(const struct pci_dev *dev)
{
	char line[256];
	int n, i;

	n = snprintf(line, sizeof(line), "%02x:%02x.%x %04x:%04x class %02x%02x", dev->bus,
		     dev->slot, dev->func, dev->vendor, dev->device, dev->class_code, dev->subclass);
	if (dev->irq_pin)
		n += snprintf(line + n, sizeof(line) - n, " INT%c irq %u", 'A' + dev->irq_pin - 1,
			      dev->irq_line);
	for (i = 0; i < PCI_MAX_BARS && n < (int)sizeof(line); i++) {
		const struct pci_bar *b = &dev->bar[i];

		if (b->size)
			n += snprintf(line + n, sizeof(line) - n, " bar%d %s%s %#llx+%#llx", i,
				      b->is_io ? "io" : "mem", b->is_64 ? "64" : "",
				      (unsigned long long)b->base, (unsigned long long)b->size);
	}
	pr_info("%s\n", line);
}

static struct pci_dev *add_function(u8 bus, u8 slot, u8 func, u8 header_type)
{
	struct pci_dev *dev = kzalloc(sizeof(*dev));
	u32 class_rev;

	if (!dev) {
		pr_warn("%02x:%02x.%x: no memory; device ignored\n", bus, slot, func);
		return NULL;
	}
	dev->bus = bus;
	dev->slot = slot;
	dev->func = func;
	dev->vendor = pci_read_config16(dev, PCI_VENDOR_ID);
	dev->device = pci_read_config16(dev, PCI_DEVICE_ID);
	class_rev = pci_read_config32(dev, PCI_REVISION_ID);
	dev->revision = class_rev & 0xff;
	dev->prog_if = (class_rev >> 8) & 0xff;
	dev->subclass = (class_rev >> 16) & 0xff;
	dev->class_code = class_rev >> 24;
	dev->irq_line = pci_read_config8(dev, PCI_INTERRUPT_LINE);
	dev->irq_pin = pci_read_config8(dev, PCI_INTERRUPT_PIN);
	if ((header_type & PCI_HEADER_TYPE_MASK) == 0)
		decode_bars(dev);
	list_add_tail(&dev->list, &pci_devices);
	print_device(dev);
	return dev;
}

static void scan_slot(u8 bus, u8 slot)
{
	u8 header = pci_config_read(bus, slot, 0, PCI_HEADER_TYPE, 1);
	unsigned int func, nr_funcs = (header & PCI_HEADER_MULTI_FUNCTION) ? PCI_MAX_FUNC : 1;

	for (func = 0; func < nr_funcs; func++) {
		if ((u16)pci_config_read(bus, slot, func, PCI_VENDOR_ID, 2) == 0xffff)
			continue;	/* no function here */
		header = pci_config_read(bus, slot, func, PCI_HEADER_TYPE, 1);
		add_function(bus, slot, func, header);
	}
}

static void scan_all_buses(void)
{
	unsigned int bus, slot;

	for (bus = 0; bus < PCI_MAX_BUS; bus++)
		for (slot = 0; slot < PCI_MAX_SLOT; slot++)
			if ((u16)pci_config_read(bus, slot, 0, PCI_VENDOR_ID, 2) != 0xffff)
				scan_slot(bus, slot);
}

static bool id_table_matches(const struct pci_device_id *id, const struct pci_dev *dev)
{
	for (; id->vendor; id++)
		if (id->vendor == dev->vendor && id->device == dev->device)
			return true;
	return false;
}

static void probe_device(struct pci_dev *dev)
{
	const struct pci_driver *const *drv;
	int err;

	for (drv = __start_pci_drivers; drv < __stop_pci_drivers; drv++) {
		if (!id_table_matches((*drv)->id_table, dev))
			continue;
		err = (*drv)->probe(dev);
		if (!err) {
			dev->driver = *drv;
			return;
		}
		pr_warn("%02x:%02x.%x: %s probe failed (error %d)\n", dev->bus, dev->slot,
			dev->func, (*drv)->name, err);
	}
}

void pci_init(void)
{
	struct pci_dev *dev;

	scan_all_buses();
	list_for_each_entry(dev, &pci_devices, list)
		probe_device(dev);
}

void pci_enable_device(struct pci_dev *dev)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	pci_write_config16(dev, PCI_COMMAND, cmd & ~PCI_COMMAND_INTX_DISABLE);
}

void *pci_iomap(struct pci_dev *dev, unsigned int bar)
{
	const struct pci_bar *b;

	if (bar >= PCI_MAX_BARS)
		return NULL;
	b = &dev->bar[bar];
	if (!b->size || b->is_io)
		return NULL;
	return ioremap(b->base, b->size);
}

struct pci_dev *pci_find_device(u16 vendor, u16 device, unsigned int index)
{
	struct pci_dev *dev;

	list_for_each_entry(dev, &pci_devices, list)
		if (dev->vendor == vendor && dev->device == device && index-- == 0)
			return dev;
	return NULL;
}
