/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the boot loader told us, copied out of its structures before memory
 * management starts (the loader's memory is then free to reuse). Filled by
 * arch/x86/boot/bootinfo.c from either multiboot2 (GRUB) or PVH (QEMU -kernel).
 */
#ifndef _MOSAIC_BOOT_H
#define _MOSAIC_BOOT_H

#include <mosaic/types.h>

#define BOOT_MEM_MAX 64
#define BOOT_MOD_MAX 8
#define BOOT_CMDLINE_MAX 2048

enum boot_mem_type { BOOT_MEM_USABLE = 1, BOOT_MEM_RESERVED = 2, BOOT_MEM_ACPI = 3,
		     BOOT_MEM_NVS = 4, BOOT_MEM_BAD = 5 };

struct boot_mem_region {
	u64 base;
	u64 len;
	u32 type; /* enum boot_mem_type (the e820 numbering) */
};

struct boot_module {
	u64 start; /* physical, inclusive */
	u64 end;   /* physical, exclusive */
	char name[64];
};

struct boot_info {
	const char *protocol; /* "multiboot2" or "pvh" */
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_region mem[BOOT_MEM_MAX];
	int nr_mem;
	struct boot_module mods[BOOT_MOD_MAX];
	int nr_mods;
	u64 rsdp_phys; /* 0 when the loader gave none (then ACPI scans for it) */
	u8 rsdp[36];   /* a copy, when the loader gave one inline (multiboot2) */
	bool have_rsdp_copy;
	u64 loader_lo, loader_hi; /* physical range of loader structures */
};

extern struct boot_info boot_info;

/* Fill boot_info from the loader's magic and info pointer. Returns 0 or -EINVAL. */
int bootinfo_parse(u32 magic, u64 info_phys);

/* Physical extent of the kernel image (linker symbols). */
extern char __kernel_phys_start[], __kernel_phys_end[];
extern char _text[], _etext[], __rodata_start[], __rodata_end[], _data[], _edata[],
	__bss_start[], __bss_end[], _end[];

#endif
