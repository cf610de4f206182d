/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI (drivers/pci/): configuration space through ports 0xCF8/0xCFC
 * (mechanism 1), bus enumeration, BAR decoding, capabilities, legacy INTx
 * interrupts through the IOAPIC, and a tiny driver model.
 *
 * A driver declares itself with PCI_DRIVER(); pci_init() (boot) enumerates
 * every bus, prints one line per function found, and calls the probe of the
 * first driver whose id table names the function's vendor and device:
 *
 *   static const struct pci_device_id foo_ids[] = { { 0x8086, 0x100e }, { 0 } };
 *   static struct pci_driver foo_driver = { "foo", foo_ids, foo_probe };
 *   PCI_DRIVER(foo_driver);
 *
 * A probe typically calls pci_enable_device(), pci_iomap() for its BARs and
 * pci_request_irq(). Interrupts: QEMU's e1000 and virtio-net offer no plain
 * MSI capability (virtio offers MSI-X only), so only INTx is implemented:
 * the firmware's interrupt line (an ISA IRQ on PC chipsets) is routed
 * through the IOAPIC, shared between the functions on the same line.
 */
#ifndef _MOSAIC_PCI_H
#define _MOSAIC_PCI_H

#include <mosaic/compiler.h>
#include <mosaic/list.h>
#include <mosaic/types.h>

#define PCI_MAX_BARS 6

/* Configuration header offsets (type 0). */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		(1U << 0)
#define PCI_COMMAND_MEMORY	(1U << 1)
#define PCI_COMMAND_MASTER	(1U << 2)
#define PCI_COMMAND_INTX_DISABLE (1U << 10)
#define PCI_STATUS_CAP_LIST	(1U << 4)

#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11

struct pci_bar {
	u64 base;		/* bus address: a port for I/O BARs */
	u64 size;		/* 0: the BAR is not implemented */
	bool is_io;
	bool is_64;		/* a 64-bit memory BAR (it takes two slots) */
	bool prefetchable;
};

struct pci_dev {
	u8 bus, slot, func;
	u16 vendor, device;
	u8 class_code, subclass, prog_if, revision;
	u8 irq_line;		/* from the firmware; 0xff: none */
	u8 irq_pin;		/* 0: none, 1..4: INTA..INTD */
	struct pci_bar bar[PCI_MAX_BARS];
	const struct pci_driver *driver;	/* the driver that took it, or NULL */
	void *driver_data;
	struct list_head list;	/* all functions, in enumeration order */
};

struct pci_device_id {
	u16 vendor, device;	/* a table ends with vendor 0 */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	/* 0: the driver keeps the device; an errno: it is left unclaimed. */
	int (*probe)(struct pci_dev *dev);
};

/* Declare a driver: pci_init() probes with every declared driver. */
#define PCI_DRIVER(drv)                                                        \
	static const struct pci_driver *const __pci_driver_##drv              \
		__section(".pci_drivers") __used __aligned(8) = &(drv)

/* Boot step (kernel/main.c): enumerate, print, probe. Once, after the IOAPIC is up. */
void pci_init(void);

/* Configuration space; offset must be aligned to the access size (else ~0 / ignored). */
u32 pci_read_config32(const struct pci_dev *dev, unsigned int offset);
u16 pci_read_config16(const struct pci_dev *dev, unsigned int offset);
u8 pci_read_config8(const struct pci_dev *dev, unsigned int offset);
void pci_write_config32(const struct pci_dev *dev, unsigned int offset, u32 val);
void pci_write_config16(const struct pci_dev *dev, unsigned int offset, u16 val);

/* Turn on I/O and memory decoding and bus mastering (DMA); INTx stays enabled. */
void pci_enable_device(struct pci_dev *dev);

/*
 * Memory BAR bar mapped uncached into the kernel's page tables: its virtual
 * address, or NULL (no such BAR, an I/O BAR, or no memory for the tables).
 */
void *pci_iomap(struct pci_dev *dev, unsigned int bar);

/* Config-space offset of the first capability with this id, or 0. */
unsigned int pci_find_capability(const struct pci_dev *dev, u8 cap_id);

/*
 * Call handler(arg) on every interrupt of dev's INTx line, in interrupt
 * context on CPU 0. The line may be shared: a handler checks its device's
 * cause register and returns quietly when the device did not interrupt.
 * 0, -ENODEV (no usable line: the driver polls), -ENOSPC (no vector or slot).
 */
int pci_request_irq(struct pci_dev *dev, void (*handler)(void *arg), void *arg);

/* The index-th function with this vendor and device (0 = first), or NULL. */
struct pci_dev *pci_find_device(u16 vendor, u16 device, unsigned int index);

#endif
