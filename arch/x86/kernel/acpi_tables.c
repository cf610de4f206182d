// SPDX-License-Identifier: GPL-2.0
/*
 * Pure ACPI table checks and MADT parsing (include/mosaic/acpi.h). No
 * hardware access and no globals: the same file is compiled into the host
 * test tools/testing/acpi_test.c. Callers hand in memory they can read and
 * say how much of it there is; nothing here reads past that.
 */
#include <mosaic/acpi.h>
#include <mosaic/errno.h>
#include <mosaic/string.h>

#define MADT_HEADER_LEN (sizeof(struct acpi_sdt_header) + 8)	/* + LAPIC address, flags */
#define MADT_FLAG_PCAT_COMPAT 1
#define MADT_LAPIC_ENABLED 1
#define MADT_LAPIC_ONLINE_CAPABLE 2

enum madt_entry_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_IRQ_OVERRIDE = 2,
	MADT_LAPIC_ADDRESS = 5,
	MADT_X2APIC = 9,
};

struct madt_entry_header { u8 type; u8 length; } __packed;
struct madt_lapic { struct madt_entry_header h; u8 processor_id; u8 apic_id; u32 flags; } __packed;
struct madt_ioapic { struct madt_entry_header h; u8 id; u8 reserved; u32 address; u32 gsi_base; } __packed;
struct madt_override { struct madt_entry_header h; u8 bus; u8 source; u32 gsi; u16 flags; } __packed;
struct madt_lapic_address { struct madt_entry_header h; u16 reserved; u64 address; } __packed;
struct madt_x2apic { struct madt_entry_header h; u16 reserved; u32 x2apic_id; u32 flags; u32 uid; } __packed;

bool acpi_checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

int acpi_rsdp_check(const struct acpi_rsdp *rsdp, size_t avail)
{
	if (avail < 20 || memcmp(rsdp->signature, "RSD PTR ", 8) || !acpi_checksum_ok(rsdp, 20))
		return -EINVAL;
	if (rsdp->revision < 2)
		return 0;
	if (avail < sizeof(*rsdp) || rsdp->length < sizeof(*rsdp) || rsdp->length > avail ||
	    !acpi_checksum_ok(rsdp, rsdp->length))
		return -EINVAL;
	return 0;
}

int acpi_table_check(const struct acpi_sdt_header *h, size_t avail)
{
	if (avail < sizeof(*h) || h->length < sizeof(*h) || h->length > avail ||
	    h->length > ACPI_MAX_TABLE_LEN)
		return -EINVAL;
	return acpi_checksum_ok(h, h->length) ? 0 : -EINVAL;
}

unsigned int acpi_sdt_entries(const struct acpi_sdt_header *sdt, bool xsdt)
{
	return (sdt->length - sizeof(*sdt)) / (xsdt ? 8 : 4);
}

u64 acpi_sdt_entry(const struct acpi_sdt_header *sdt, bool xsdt, unsigned int i)
{
	const u8 *entries = (const u8 *)(sdt + 1);
	u64 v64;
	u32 v32;

	if (xsdt) {
		memcpy(&v64, entries + 8 * i, 8);	/* entries are not 8-byte aligned */
		return v64;
	}
	memcpy(&v32, entries + 4 * i, 4);
	return v32;
}

static void madt_add_cpu(struct acpi_madt_info *out, u32 apic_id, u32 flags)
{
	if (!(flags & MADT_LAPIC_ENABLED))
		return;	/* online-capable but disabled: not started at boot */
	if (out->nr_cpus < CONFIG_NR_CPUS)
		out->apic_ids[out->nr_cpus++] = apic_id;
	else
		out->nr_cpus_dropped++;
}

static void madt_add_ioapic(struct acpi_madt_info *out, const struct madt_ioapic *e)
{
	struct acpi_ioapic *io;

	if (out->nr_ioapics >= ACPI_MAX_IOAPICS)
		return;
	io = &out->ioapics[out->nr_ioapics++];
	io->id = e->id;
	io->address = e->address;
	io->gsi_base = e->gsi_base;
}

static void madt_add_override(struct acpi_madt_info *out, const struct madt_override *e)
{
	struct acpi_irq_override *o;

	if (e->bus != 0 || e->source >= 16 || out->nr_overrides >= ACPI_MAX_OVERRIDES)
		return;	/* only ISA overrides mean anything to us */
	o = &out->overrides[out->nr_overrides++];
	o->isa_irq = e->source;
	o->gsi = e->gsi;
	o->flags = e->flags;
}

/* Minimum length of each entry type we read; 0 for types we skip. */
static u8 madt_entry_min_len(u8 type)
{
	switch (type) {
	case MADT_LAPIC: return sizeof(struct madt_lapic);
	case MADT_IOAPIC: return sizeof(struct madt_ioapic);
	case MADT_IRQ_OVERRIDE: return sizeof(struct madt_override);
	case MADT_LAPIC_ADDRESS: return sizeof(struct madt_lapic_address);
	case MADT_X2APIC: return sizeof(struct madt_x2apic);
	default: return 0;
	}
}

static void madt_entry(struct acpi_madt_info *out, const struct madt_entry_header *h)
{
	switch (h->type) {
	case MADT_LAPIC: {
		const struct madt_lapic *e = (const void *)h;

		madt_add_cpu(out, e->apic_id, e->flags);
		break;
	}
	case MADT_X2APIC: {
		const struct madt_x2apic *e = (const void *)h;

		madt_add_cpu(out, e->x2apic_id, e->flags);
		break;
	}
	case MADT_IOAPIC:
		madt_add_ioapic(out, (const void *)h);
		break;
	case MADT_IRQ_OVERRIDE:
		madt_add_override(out, (const void *)h);
		break;
	case MADT_LAPIC_ADDRESS:
		out->lapic_address = ((const struct madt_lapic_address *)h)->address;
		break;
	}
}

int acpi_parse_madt(const struct acpi_sdt_header *madt, struct acpi_madt_info *out)
{
	const u8 *base = (const u8 *)madt;
	u32 off = MADT_HEADER_LEN, flags, lapic32;

	memset(out, 0, sizeof(*out));
	if (memcmp(madt->signature, "APIC", 4) || madt->length < MADT_HEADER_LEN)
		return -EINVAL;
	memcpy(&lapic32, base + sizeof(*madt), 4);
	memcpy(&flags, base + sizeof(*madt) + 4, 4);
	out->lapic_address = lapic32;
	out->pic_present = flags & MADT_FLAG_PCAT_COMPAT;
	while (off + sizeof(struct madt_entry_header) <= madt->length) {
		const struct madt_entry_header *h = (const void *)(base + off);

		if (h->length < sizeof(*h) || off + h->length > madt->length ||
		    h->length < madt_entry_min_len(h->type))
			return -EINVAL;
		madt_entry(out, h);
		off += h->length;
	}
	return off == madt->length ? 0 : -EINVAL;
}
