// SPDX-License-Identifier: GPL-2.0
/*
 * Copy what the boot loader tells us into struct boot_info: the command line,
 * the memory map, the modules (the initramfs) and the ACPI RSDP. Two loaders:
 * multiboot2 (GRUB, `make iso`) and PVH (QEMU -kernel). Runs before memory
 * management, reading the loader's structures through the early direct map.
 */
#include <mosaic/boot.h>
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/page.h>
#include <mosaic/string.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define PVH_START_MAGIC 0x336ec578

struct boot_info boot_info;

/* ------------------------------------------------------------ multiboot2 */
enum { MB2_TAG_END = 0, MB2_TAG_CMDLINE = 1, MB2_TAG_MODULE = 3, MB2_TAG_MMAP = 6,
       MB2_TAG_ACPI_OLD = 14, MB2_TAG_ACPI_NEW = 15 };

struct mb2_tag { u32 type; u32 size; };
struct mb2_tag_module { u32 type, size, mod_start, mod_end; char string[]; };
struct mb2_tag_mmap { u32 type, size, entry_size, entry_version; u8 entries[]; };
struct mb2_mmap_entry { u64 base, len; u32 type, reserved; };

static void add_mem(u64 base, u64 len, u32 type)
{
	struct boot_mem_region *r;

	if (boot_info.nr_mem >= BOOT_MEM_MAX || len == 0)
		return;
	r = &boot_info.mem[boot_info.nr_mem++];
	r->base = base;
	r->len = len;
	r->type = type;
}

static void add_module(u64 start, u64 end, const char *name)
{
	struct boot_module *m;

	if (boot_info.nr_mods >= BOOT_MOD_MAX || end <= start)
		return;
	m = &boot_info.mods[boot_info.nr_mods++];
	m->start = start;
	m->end = end;
	strlcpy(m->name, name ? name : "", sizeof(m->name));
}

static void mb2_mmap(const struct mb2_tag_mmap *t)
{
	u32 off;

	if (t->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (off = 0; off + t->entry_size <= t->size - sizeof(*t); off += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)(t->entries + off);

		add_mem(e->base, e->len, e->type);
	}
}

static void mb2_tag(const struct mb2_tag *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		strlcpy(boot_info.cmdline, (const char *)(tag + 1),
			min((size_t)tag->size - sizeof(*tag) + 1, sizeof(boot_info.cmdline)));
		break;
	case MB2_TAG_MODULE: {
		const struct mb2_tag_module *m = (const void *)tag;

		add_module(m->mod_start, m->mod_end, m->string);
		break;
	}
	case MB2_TAG_MMAP:
		mb2_mmap((const void *)tag);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		if (boot_info.have_rsdp_copy && tag->type == MB2_TAG_ACPI_OLD)
			break;	/* keep the ACPI 2.0 one */
		memcpy(boot_info.rsdp, tag + 1, min((size_t)tag->size - sizeof(*tag), sizeof(boot_info.rsdp)));
		boot_info.have_rsdp_copy = true;
		break;
	}
}

static int parse_multiboot2(u64 info_phys)
{
	const u8 *info = __va(info_phys);
	u32 total = *(const u32 *)info;
	u32 off = 8;

	boot_info.protocol = "multiboot2";
	boot_info.loader_lo = info_phys;
	boot_info.loader_hi = info_phys + total;
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *tag = (const void *)(info + off);

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag) || off + tag->size > total)
			break;
		mb2_tag(tag);
		off += ALIGN_UP(tag->size, 8);
	}
	return 0;
}

/* ------------------------------------------------------------------- PVH */
struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr;
	u64 memmap_paddr; /* version 1 and later */
	u32 memmap_entries, reserved;
};
struct hvm_modlist_entry { u64 paddr, size, cmdline_paddr, reserved; };
struct hvm_memmap_entry { u64 addr, size; u32 type, reserved; };

static int parse_pvh(u64 info_phys)
{
	const struct hvm_start_info *si = __va(info_phys);
	const struct hvm_modlist_entry *mods;
	const struct hvm_memmap_entry *map;
	u32 i;

	if (si->magic != PVH_START_MAGIC)
		return -EINVAL;
	boot_info.protocol = "pvh";
	boot_info.loader_lo = info_phys;
	boot_info.loader_hi = info_phys + sizeof(*si);
	if (si->cmdline_paddr)
		strlcpy(boot_info.cmdline, __va(si->cmdline_paddr), sizeof(boot_info.cmdline));
	mods = __va(si->modlist_paddr);
	for (i = 0; si->modlist_paddr && i < si->nr_modules; i++)
		add_module(mods[i].paddr, mods[i].paddr + mods[i].size,
			   mods[i].cmdline_paddr ? __va(mods[i].cmdline_paddr) : "initrd");
	boot_info.rsdp_phys = si->rsdp_paddr;
	if (si->version < 1 || !si->memmap_paddr)
		return -EINVAL;	/* QEMU always passes a map; we need one */
	map = __va(si->memmap_paddr);
	for (i = 0; i < si->memmap_entries; i++)
		add_mem(map[i].addr, map[i].size, map[i].type);
	return 0;
}

int bootinfo_parse(u32 magic, u64 info_phys)
{
	if (magic == MB2_BOOTLOADER_MAGIC)
		return parse_multiboot2(info_phys);
	if (magic == PVH_START_MAGIC)
		return parse_pvh(info_phys);
	boot_info.protocol = "unknown";
	return -EINVAL;
}
