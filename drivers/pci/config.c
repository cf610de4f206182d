// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space through configuration mechanism 1: the address
 * of a dword (enable bit, bus, slot, function, register) goes to port
 * 0xCF8, the data moves through port 0xCFC. Narrower accesses read or
 * write part of the dword at 0xCFC + (offset & 3).
 *
 * Lock order: pci_config_lock is a leaf, taken with interrupts off; it keeps
 * each address-then-data pair whole.
 */
#include <asm/x86.h>
#include <mosaic/pci.h>
#include <mosaic/spinlock.h>
#include "pci_internal.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE (1U << 31)
#define PCI_CONFIG_SPACE_SIZE 256

static DEFINE_SPINLOCK(pci_config_lock);

/* Context: pci_config_lock held. */
static void select_register(u8 bus, u8 slot, u8 func, unsigned int offset)
{
	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | (u32)bus << 16 | (u32)slot << 11 |
	     (u32)func << 8 | (offset & 0xfc));
}

/* A misaligned or out-of-range access is a driver bug: refuse it. */
static bool config_access_ok(unsigned int offset, unsigned int width)
{
	return offset < PCI_CONFIG_SPACE_SIZE && (offset & (width - 1)) == 0;
}

u32 pci_config_read(u8 bus, u8 slot, u8 func, unsigned int offset, unsigned int width)
{
	unsigned long flags;
	u16 port = PCI_CONFIG_DATA + (offset & 3);
	u32 val;

	if (!config_access_ok(offset, width))
		return ~0U;
	flags = spin_lock_irqsave(&pci_config_lock);
	select_register(bus, slot, func, offset);
	if (width == 4)
		val = inl(port);
	else if (width == 2)
		val = inw(port);
	else
		val = inb(port);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return val;
}

void pci_config_write(u8 bus, u8 slot, u8 func, unsigned int offset, unsigned int width, u32 val)
{
	unsigned long flags;
	u16 port = PCI_CONFIG_DATA + (offset & 3);

	if (!config_access_ok(offset, width))
		return;
	flags = spin_lock_irqsave(&pci_config_lock);
	select_register(bus, slot, func, offset);
	if (width == 4)
		outl(port, val);
	else if (width == 2)
		outw(port, (u16)val);
	else
		outb(port, (u8)val);
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

u32 pci_read_config32(const struct pci_dev *dev, unsigned int offset)
{
	return pci_config_read(dev->bus, dev->slot, dev->func, offset, 4);
}

u16 pci_read_config16(const struct pci_dev *dev, unsigned int offset)
{
	return (u16)pci_config_read(dev->bus, dev->slot, dev->func, offset, 2);
}

u8 pci_read_config8(const struct pci_dev *dev, unsigned int offset)
{
	return (u8)pci_config_read(dev->bus, dev->slot, dev->func, offset, 1);
}

void pci_write_config32(const struct pci_dev *dev, unsigned int offset, u32 val)
{
	pci_config_write(dev->bus, dev->slot, dev->func, offset, 4, val);
}

void pci_write_config16(const struct pci_dev *dev, unsigned int offset, u16 val)
{
	pci_config_write(dev->bus, dev->slot, dev->func, offset, 2, val);
}

/* Capabilities form a list through config space; a bound stops a looped list. */
unsigned int pci_find_capability(const struct pci_dev *dev, u8 cap_id)
{
	unsigned int pos, hops;

	if (!(pci_read_config16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read_config8(dev, PCI_CAPABILITY_LIST) & 0xfc;
	for (hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (pci_read_config8(dev, pos) == cap_id)
			return pos;
		pos = pci_read_config8(dev, pos + 1) & 0xfc;
	}
	return 0;
}
