/* SPDX-License-Identifier: GPL-2.0 */
/* Private to drivers/pci/: raw configuration access by address (config.c). */
#ifndef _DRIVERS_PCI_INTERNAL_H
#define _DRIVERS_PCI_INTERNAL_H

#include <mosaic/types.h>

/* width is 1, 2 or 4 bytes; offset aligned to it (else ~0 is read, nothing written). */
u32 pci_config_read(u8 bus, u8 slot, u8 func, unsigned int offset, unsigned int width);
void pci_config_write(u8 bus, u8 slot, u8 func, unsigned int offset, unsigned int width, u32 val);

#endif
