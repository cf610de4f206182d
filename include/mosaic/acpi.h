/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI, as far as the CPUs and interrupt controllers need it: find the
 * RSDP, walk the RSDT/XSDT, parse the MADT (arch/x86/kernel/acpi.c for the
 * machine side, acpi_tables.c for the pure parsing, host-tested).
 *
 * Nothing from firmware is trusted: every table's length and checksum are
 * checked before use, and a bad one is reported and skipped. With no usable
 * MADT the kernel runs on the boot CPU alone.
 */
#ifndef _MOSAIC_ACPI_H
#define _MOSAIC_ACPI_H

#include <mosaic/compiler.h>
#include <mosaic/types.h>

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* the first 20 bytes sum to 0 */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0 (RSDT only), 2+: XSDT fields valid */
	u32 rsdt_address;
	u32 length;		/* revision 2+: whole structure */
	u64 xsdt_address;
	u8 extended_checksum;
	u8 reserved[3];
} __packed;

struct acpi_sdt_header {
	char signature[4];
	u32 length;		/* header included */
	u8 revision;
	u8 checksum;		/* the whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

#define ACPI_MAX_IOAPICS 4
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_TABLE_LEN (1U << 20)	/* anything longer is treated as corrupt */

struct acpi_ioapic {
	u8 id;
	u32 address;
	u32 gsi_base;
};

/* An ISA IRQ that arrives on another GSI or with other polarity/trigger. */
struct acpi_irq_override {
	u8 isa_irq;
	u32 gsi;
	u16 flags;	/* MPS INTI flags: bits 0-1 polarity, 2-3 trigger */
};

struct acpi_madt_info {
	u64 lapic_address;
	unsigned int nr_cpus;			/* enabled LAPICs kept */
	unsigned int nr_cpus_dropped;		/* enabled beyond CONFIG_NR_CPUS */
	u32 apic_ids[CONFIG_NR_CPUS];		/* in MADT order: [0] need not be the BSP */
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];
	bool pic_present;			/* MADT flag PCAT_COMPAT */
};

/* What the boot found; valid after acpi_init(). found is false without a MADT. */
extern struct acpi_madt_info acpi_madt;
extern bool acpi_madt_found;
void acpi_init(void);

/* ---- pure helpers (acpi_tables.c; no hardware access) ---- */
bool acpi_checksum_ok(const void *p, size_t len);
/* -EINVAL on a bad signature/checksum/length; avail: bytes readable at rsdp. */
int acpi_rsdp_check(const struct acpi_rsdp *rsdp, size_t avail);
/* Validate a table's length against avail and its checksum: 0 or -EINVAL. */
int acpi_table_check(const struct acpi_sdt_header *h, size_t avail);
/* Parse a checked MADT into out. 0, or -EINVAL for a malformed entry list. */
int acpi_parse_madt(const struct acpi_sdt_header *madt, struct acpi_madt_info *out);
/*
 * Entry i of a checked RSDT (4-byte entries) or XSDT (8-byte), as a
 * physical address; the count is acpi_sdt_entries().
 */
unsigned int acpi_sdt_entries(const struct acpi_sdt_header *sdt, bool xsdt);
u64 acpi_sdt_entry(const struct acpi_sdt_header *sdt, bool xsdt, unsigned int i);

#endif
