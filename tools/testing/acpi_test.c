// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for arch/x86/kernel/acpi_tables.c: RSDP and table checksums,
 * RSDT/XSDT entries, and the MADT parser on good and malformed tables
 * (zero-length and overrunning entries must be refused, never looped on or
 * read past).
 */
// test-sources: arch/x86/kernel/acpi_tables.c lib/string.c
#include <mosaic/acpi.h>
#include <mosaic/errno.h>
#include <mosaic/string.h>
#include "tap.h"

static u8 table[4096];
static u32 table_len;

static void fix_checksum(void *p, size_t len, u8 *sum_field)
{
	u8 sum = 0;
	size_t i;

	*sum_field = 0;
	for (i = 0; i < len; i++)
		sum += ((u8 *)p)[i];
	*sum_field = (u8)-sum;
}

static struct acpi_sdt_header *hdr(void)
{
	return (struct acpi_sdt_header *)table;
}

/* Start a table with a signature; MADTs get the LAPIC address and flags words. */
static void table_begin(const char *sig)
{
	memset(table, 0, sizeof(table));
	memcpy(hdr()->signature, sig, 4);
	table_len = sizeof(struct acpi_sdt_header);
	if (!memcmp(sig, "APIC", 4)) {
		u32 words[2] = { 0xfee00000, 1 };	/* LAPIC address, PCAT_COMPAT */

		memcpy(table + table_len, words, 8);
		table_len += 8;
	}
}

static void table_add(const void *bytes, u32 len)
{
	memcpy(table + table_len, bytes, len);
	table_len += len;
}

static void table_end(void)
{
	hdr()->length = table_len;
	fix_checksum(table, table_len, &hdr()->checksum);
}

static void add_lapic(u8 apic_id, u32 flags)
{
	u8 e[8] = { 0, 8, apic_id, apic_id };

	memcpy(e + 4, &flags, 4);
	table_add(e, sizeof(e));
}

static void add_ioapic(u8 id, u32 addr, u32 gsi_base)
{
	u8 e[12] = { 1, 12, id, 0 };

	memcpy(e + 4, &addr, 4);
	memcpy(e + 8, &gsi_base, 4);
	table_add(e, sizeof(e));
}

static void add_override(u8 bus, u8 irq, u32 gsi, u16 flags)
{
	u8 e[10] = { 2, 10, bus, irq };

	memcpy(e + 4, &gsi, 4);
	memcpy(e + 8, &flags, 2);
	table_add(e, sizeof(e));
}

static void test_good_madt(void)
{
	struct acpi_madt_info m;
	u8 x2apic[16] = { 9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0 };	/* id 256, enabled */
	u8 unknown[6] = { 0x7f, 6 };

	table_begin("APIC");
	add_lapic(0, 1);
	add_lapic(1, 0);	/* disabled: not a CPU to start */
	add_lapic(2, 1);
	add_ioapic(3, 0xfec00000, 0);
	add_override(0, 0, 2, 0);
	add_override(1, 4, 9, 0);	/* not ISA: ignored */
	table_add(x2apic, sizeof(x2apic));
	table_add(unknown, sizeof(unknown));
	table_end();
	ASSERT_EQ(acpi_table_check(hdr(), table_len), 0);
	ASSERT_EQ(acpi_parse_madt(hdr(), &m), 0);
	EXPECT_EQ(m.lapic_address, 0xfee00000);
	EXPECT(m.pic_present);
	ASSERT_EQ(m.nr_cpus, 3);
	EXPECT_EQ(m.apic_ids[0], 0);
	EXPECT_EQ(m.apic_ids[1], 2);
	EXPECT_EQ(m.apic_ids[2], 256);
	ASSERT_EQ(m.nr_ioapics, 1);
	EXPECT_EQ(m.ioapics[0].address, 0xfec00000);
	ASSERT_EQ(m.nr_overrides, 1);
	EXPECT_EQ(m.overrides[0].isa_irq, 0);
	EXPECT_EQ(m.overrides[0].gsi, 2);
}

static void test_zero_length_entry_is_refused(void)
{
	struct acpi_madt_info m;
	u8 bad[2] = { 0, 0 };

	table_begin("APIC");
	add_lapic(0, 1);
	table_add(bad, sizeof(bad));
	table_end();
	EXPECT_EQ(acpi_parse_madt(hdr(), &m), -EINVAL);
}

static void test_overrunning_entry_is_refused(void)
{
	struct acpi_madt_info m;
	u8 bad[4] = { 1, 12, 0, 0 };	/* an IOAPIC entry claiming 12 bytes, 4 present */

	table_begin("APIC");
	add_lapic(0, 1);
	table_add(bad, sizeof(bad));
	table_end();
	EXPECT_EQ(acpi_parse_madt(hdr(), &m), -EINVAL);
}

static void test_short_entry_is_refused(void)
{
	struct acpi_madt_info m;
	u8 bad[4] = { 0, 4, 1, 1 };	/* a LAPIC entry too short to hold its flags */

	table_begin("APIC");
	table_add(bad, sizeof(bad));
	table_end();
	EXPECT_EQ(acpi_parse_madt(hdr(), &m), -EINVAL);
}

static void test_wrong_signature_is_refused(void)
{
	struct acpi_madt_info m;

	table_begin("FACP");
	table_end();
	EXPECT_EQ(acpi_parse_madt(hdr(), &m), -EINVAL);
}

static void test_too_many_cpus_are_counted_not_stored(void)
{
	struct acpi_madt_info m;
	int i;

	table_begin("APIC");
	for (i = 0; i < CONFIG_NR_CPUS + 3; i++)
		add_lapic((u8)i, 1);
	table_end();
	ASSERT_EQ(acpi_parse_madt(hdr(), &m), 0);
	EXPECT_EQ(m.nr_cpus, CONFIG_NR_CPUS);
	EXPECT_EQ(m.nr_cpus_dropped, 3);
}

static void test_table_check(void)
{
	table_begin("APIC");
	add_lapic(0, 1);
	table_end();
	EXPECT_EQ(acpi_table_check(hdr(), table_len), 0);
	EXPECT_EQ(acpi_table_check(hdr(), table_len - 1), -EINVAL);	/* runs past what we have */
	table[table_len - 1] ^= 1;
	EXPECT_EQ(acpi_table_check(hdr(), table_len), -EINVAL);		/* checksum */
	hdr()->length = 10;
	EXPECT_EQ(acpi_table_check(hdr(), table_len), -EINVAL);		/* shorter than a header */
}

static void test_rsdp_check(void)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	r.rsdt_address = 0x1000;
	fix_checksum(&r, 20, &r.checksum);
	EXPECT_EQ(acpi_rsdp_check(&r, sizeof(r)), 0);	/* ACPI 1.0 */
	EXPECT_EQ(acpi_rsdp_check(&r, 19), -EINVAL);
	r.revision = 2;
	r.length = sizeof(r);
	r.xsdt_address = 0x2000;
	fix_checksum(&r, 20, &r.checksum);
	fix_checksum(&r, sizeof(r), &r.extended_checksum);
	EXPECT_EQ(acpi_rsdp_check(&r, sizeof(r)), 0);
	r.xsdt_address++;	/* the extended checksum no longer holds */
	EXPECT_EQ(acpi_rsdp_check(&r, sizeof(r)), -EINVAL);
	r.signature[0] = 'X';
	EXPECT_EQ(acpi_rsdp_check(&r, sizeof(r)), -EINVAL);
}

static void test_sdt_entries(void)
{
	u64 a = 0x123456789ULL, b = 0xfedc0000ULL;
	u32 c = 0xabcd000;

	table_begin("XSDT");
	table_add(&a, 8);	/* offset 36: not 8-byte aligned */
	table_add(&b, 8);
	table_end();
	ASSERT_EQ(acpi_sdt_entries(hdr(), true), 2);
	EXPECT_EQ(acpi_sdt_entry(hdr(), true, 0), a);
	EXPECT_EQ(acpi_sdt_entry(hdr(), true, 1), b);
	table_begin("RSDT");
	table_add(&c, 4);
	table_end();
	ASSERT_EQ(acpi_sdt_entries(hdr(), false), 1);
	EXPECT_EQ(acpi_sdt_entry(hdr(), false, 0), c);
}

int main(void)
{
	RUN(test_good_madt);
	RUN(test_zero_length_entry_is_refused);
	RUN(test_overrunning_entry_is_refused);
	RUN(test_short_entry_is_refused);
	RUN(test_wrong_signature_is_refused);
	RUN(test_too_many_cpus_are_counted_not_stored);
	RUN(test_table_check);
	RUN(test_rsdp_check);
	RUN(test_sdt_entries);
	return tap_finish();
}
