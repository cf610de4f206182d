// SPDX-License-Identifier: GPL-2.0
/*
 * Find the ACPI tables and read the MADT (include/mosaic/acpi.h). The RSDP
 * comes from the loader (a copy in the multiboot2 tag, or PVH's physical
 * address), else from a scan of the EBDA and the BIOS area 0xe0000-0xfffff.
 * Tables are read through the direct map, and only after checking that
 * every page of them is mapped: a wild firmware pointer is reported, not
 * followed.
 */
#define pr_fmt(fmt) "acpi: " fmt

#include <mosaic/acpi.h>
#include <mosaic/boot.h>
#include <mosaic/errno.h>
#include <mosaic/pgtable.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#define EBDA_SEGMENT_PTR 0x40e
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000

struct acpi_madt_info acpi_madt;
bool acpi_madt_found;

/* The direct-map address of [pa, pa + len) when all of it is mapped, else NULL. */
static const void *acpi_map(u64 pa, size_t len)
{
	u64 page;

	if (!len || pa + len < pa || pa + len > (1ULL << 46))
		return NULL;
	for (page = ALIGN_DOWN(pa, PAGE_SIZE); page < pa + len; page += PAGE_SIZE)
		if (!pgtable_lookup(kernel_pml4, (unsigned long)__va(page), NULL))
			return NULL;
	return __va(pa);
}

/* A checked table at pa, or NULL (reported) when it is unreadable or corrupt. */
static const struct acpi_sdt_header *acpi_map_table(u64 pa)
{
	const struct acpi_sdt_header *h = acpi_map(pa, sizeof(*h));

	if (!h) {
		pr_warn("table at %#llx is not in RAM; skipped\n", pa);
		return NULL;
	}
	if (!acpi_map(pa, h->length) || acpi_table_check(h, h->length)) {
		pr_warn("table %.4s at %#llx: bad length %u or checksum; skipped\n",
			h->signature, pa, h->length);
		return NULL;
	}
	return h;
}

/* The RSDP sits on a 16-byte boundary somewhere in [start, end). */
static const struct acpi_rsdp *scan_for_rsdp(u64 start, u64 end)
{
	const u8 *area = acpi_map(start, end - start);
	u64 off;

	if (!area)
		return NULL;
	for (off = 0; off + 20 <= end - start; off += 16) {
		const struct acpi_rsdp *r = (const void *)(area + off);

		if (!memcmp(r->signature, "RSD PTR ", 8) &&
		    !acpi_rsdp_check(r, min(end - start - off, (u64)sizeof(*r))))
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *find_rsdp(void)
{
	const struct acpi_rsdp *r;
	const u16 *ebda_seg;

	if (boot_info.have_rsdp_copy) {
		r = (const void *)boot_info.rsdp;
		if (!acpi_rsdp_check(r, sizeof(boot_info.rsdp)))
			return r;
		pr_warn("the loader's RSDP copy is corrupt; scanning\n");
	}
	if (boot_info.rsdp_phys) {
		r = acpi_map(boot_info.rsdp_phys, sizeof(*r));
		if (r && !acpi_rsdp_check(r, sizeof(*r)))
			return r;
		pr_warn("no valid RSDP at %#llx (from the loader); scanning\n", boot_info.rsdp_phys);
	}
	ebda_seg = acpi_map(EBDA_SEGMENT_PTR, 2);
	if (ebda_seg && *ebda_seg) {
		r = scan_for_rsdp((u64)*ebda_seg << 4, ((u64)*ebda_seg << 4) + 1024);
		if (r)
			return r;
	}
	return scan_for_rsdp(BIOS_AREA_START, BIOS_AREA_END);
}

/* The root table: the XSDT when the RSDP has one, else the RSDT. */
static const struct acpi_sdt_header *root_table(const struct acpi_rsdp *r, bool *xsdt)
{
	const struct acpi_sdt_header *root = NULL;

	*xsdt = r->revision >= 2 && r->xsdt_address;
	if (*xsdt) {
		root = acpi_map_table(r->xsdt_address);
		if (root && !memcmp(root->signature, "XSDT", 4))
			return root;
		*xsdt = false;
	}
	root = acpi_map_table(r->rsdt_address);
	if (root && !memcmp(root->signature, "RSDT", 4))
		return root;
	pr_warn("no valid RSDT/XSDT\n");
	return NULL;
}

static const struct acpi_sdt_header *find_table(const char *sig)
{
	const struct acpi_sdt_header *root, *t;
	const struct acpi_rsdp *rsdp = find_rsdp();
	unsigned int i, n;
	bool xsdt;

	if (!rsdp) {
		pr_warn("no RSDP found\n");
		return NULL;
	}
	root = root_table(rsdp, &xsdt);
	if (!root)
		return NULL;
	n = acpi_sdt_entries(root, xsdt);
	for (i = 0; i < n; i++) {
		const struct acpi_sdt_header *h = acpi_map(acpi_sdt_entry(root, xsdt, i), 4);

		if (!h || memcmp(h->signature, sig, 4))
			continue;
		t = acpi_map_table(acpi_sdt_entry(root, xsdt, i));
		if (t)
			return t;
	}
	return NULL;
}

static void print_madt(const struct acpi_madt_info *m)
{
	unsigned int i;

	pr_info("MADT: %u CPUs, LAPIC at %#llx, %u IOAPIC(s), %u IRQ override(s)%s\n",
		m->nr_cpus, m->lapic_address, m->nr_ioapics, m->nr_overrides,
		m->pic_present ? ", 8259 present" : "");
	for (i = 0; i < m->nr_ioapics; i++)
		pr_info("  IOAPIC %u at %#x, GSI base %u\n", m->ioapics[i].id, m->ioapics[i].address,
			m->ioapics[i].gsi_base);
	for (i = 0; i < m->nr_overrides; i++)
		pr_info("  ISA IRQ %u -> GSI %u (flags %#x)\n", m->overrides[i].isa_irq,
			m->overrides[i].gsi, m->overrides[i].flags);
	if (m->nr_cpus_dropped)
		pr_warn("%u more CPUs ignored: CONFIG_NR_CPUS is %d\n", m->nr_cpus_dropped,
			CONFIG_NR_CPUS);
}

void acpi_init(void)
{
	const struct acpi_sdt_header *madt = find_table("APIC");

	if (!madt) {
		pr_warn("no usable MADT: running on the boot CPU only\n");
		return;
	}
	if (acpi_parse_madt(madt, &acpi_madt) || acpi_madt.nr_cpus == 0) {
		pr_warn("malformed MADT: running on the boot CPU only\n");
		memset(&acpi_madt, 0, sizeof(acpi_madt));
		return;
	}
	acpi_madt_found = true;
	print_madt(&acpi_madt);
}
