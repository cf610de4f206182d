// SPDX-License-Identifier: GPL-2.0
/* CPU identification from CPUID (see include/asm/cpuinfo.h). */
#include <asm/cpuinfo.h>
#include <asm/x86.h>
#include <mosaic/string.h>

#define CPUID_BRAND_FIRST 0x80000002
#define CPUID_BRAND_LAST 0x80000004

static void read_vendor(struct cpu_ident *id)
{
	u32 max, regs[3];

	/* The vendor string comes in EBX, EDX, ECX order. */
	cpuid(0, &max, &regs[0], &regs[2], &regs[1]);
	memcpy(id->vendor, regs, 12);
	id->vendor[12] = '\0';
}

/* Leaf 1's EAX: the extended fields count only for the families that use them. */
static void read_signature(struct cpu_ident *id)
{
	u32 eax, b, c, d;

	cpuid(1, &eax, &b, &c, &d);
	id->stepping = eax & 0xf;
	id->model = (eax >> 4) & 0xf;
	id->family = (eax >> 8) & 0xf;
	if (id->family == 0xf)
		id->family += (eax >> 20) & 0xff;
	if (id->family >= 6)
		id->model |= ((eax >> 16) & 0xf) << 4;
}

/* The 48-byte brand string without its padding; false when the CPU has none. */
static bool read_brand(struct cpu_ident *id)
{
	u32 max, b, c, d, brand[12], *out = brand;
	const char *start = id->model_name;
	u32 leaf;
	size_t len;

	cpuid(0x80000000, &max, &b, &c, &d);
	if (max < CPUID_BRAND_LAST)
		return false;
	for (leaf = CPUID_BRAND_FIRST; leaf <= CPUID_BRAND_LAST; leaf++, out += 4)
		cpuid(leaf, &out[0], &out[1], &out[2], &out[3]);
	memcpy(id->model_name, brand, sizeof(brand));
	id->model_name[48] = '\0';
	while (*start == ' ')
		start++;
	len = strlen(start);
	while (len && start[len - 1] == ' ')
		len--;
	memmove(id->model_name, start, len);
	id->model_name[len] = '\0';
	return len > 0;
}

void cpu_identify(struct cpu_ident *id)
{
	memset(id, 0, sizeof(*id));
	read_vendor(id);
	read_signature(id);
	if (!read_brand(id))
		strlcpy(id->model_name, id->vendor, sizeof(id->model_name));
}

/*
 * The MP spec's 10 ms between INIT and STARTUP was for external (82489DX)
 * APICs. CPUs with an integrated APIC that follows the current rules, Intel
 * from family 6 and AMD from family 0xf on, take STARTUP right away.
 */
bool cpu_skips_init_delay(const struct cpu_ident *id)
{
	if (!strcmp(id->vendor, "GenuineIntel"))
		return id->family >= 6;
	if (!strcmp(id->vendor, "AuthenticAMD") || !strcmp(id->vendor, "HygonGenuine"))
		return id->family >= 0xf;
	return false;
}
