// SPDX-License-Identifier: GPL-2.0
/*
 * The pcache region: one physically contiguous, page-aligned block of RAM
 * set aside at boot for the processor cache (managers/processor/pcache/),
 * before the buddy allocator sees the memory. Its size comes from the boot
 * parameter pcache=SIZE (K/M/G suffixes), else CONFIG_PCACHE_SIZE_MB.
 *
 * A size that does not fit falls back to the default, and if even that
 * does not fit, to half of what is free, always with a warning: the kernel
 * keeps at least PCACHE_KERNEL_MIN bytes for itself.
 */
#include <mosaic/errno.h>
#include <mosaic/panic.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>
#include "mm_internal.h"

#define PCACHE_DEFAULT_SIZE ((u64)CONFIG_PCACHE_SIZE_MB << 20)
#define PCACHE_KERNEL_MIN (16ULL << 20) /* left to the kernel whatever pcache= says */

struct pcache_region pcache_region;
static u64 pcache_requested; /* 0: pcache= not given */
static char pcache_request_text[24]; /* as written, for warnings */

static int set_pcache_size(const char *val, const struct kernel_param *kp)
{
	u64 size;
	int err = val ? kstrtosize(val, &size) : -EINVAL;

	if (err || size == 0) {
		pr_warn("pcache: '%s' is not a size (say e.g. pcache=64M); using the default %u MiB\n",
			val ? val : "", CONFIG_PCACHE_SIZE_MB);
		return err ? err : -EINVAL;
	}
	pcache_requested = ALIGN_UP(size, PAGE_SIZE);
	strlcpy(pcache_request_text, val, sizeof(pcache_request_text));
	return 0;
}
KERNEL_PARAM("pcache", set_pcache_size, NULL, "pcache size, e.g. 64M (default CONFIG_PCACHE_SIZE_MB)");

/* Bytes the pcache may take: the largest free range, minus the kernel's minimum. */
static u64 pcache_available(void)
{
	u64 largest = bootmem_largest_free_range(), free = bootmem_free_bytes();
	u64 spare = free > PCACHE_KERNEL_MIN ? free - PCACHE_KERNEL_MIN : 0;

	return ALIGN_DOWN(min(largest, spare), PAGE_SIZE);
}

u64 pcache_pick_size(u64 requested, u64 default_size, u64 avail, enum pcache_size_source *src)
{
	if (requested && requested <= avail) {
		*src = PCACHE_SIZE_REQUESTED;
		return requested;
	}
	if (default_size <= avail) {
		*src = PCACHE_SIZE_DEFAULT;
		return default_size;
	}
	*src = PCACHE_SIZE_SHRUNK;
	return ALIGN_DOWN(avail / 2, PAGE_SIZE);
}

/* The size to reserve, with a warning for every fallback. */
static u64 choose_pcache_size(void)
{
	u64 avail = pcache_available();
	enum pcache_size_source src;
	u64 size = pcache_pick_size(pcache_requested, PCACHE_DEFAULT_SIZE, avail, &src);

	if (pcache_requested && src != PCACHE_SIZE_REQUESTED)
		pr_warn("pcache: pcache=%s does not fit: %llu MiB of RAM available "
			"(%llu MiB free); using the default %u MiB\n", pcache_request_text,
			avail >> 20, bootmem_free_bytes() >> 20, CONFIG_PCACHE_SIZE_MB);
	if (src == PCACHE_SIZE_SHRUNK)
		pr_warn("pcache: the default %u MiB does not fit in %llu MiB available; "
			"using %llu KiB\n", CONFIG_PCACHE_SIZE_MB, avail >> 20, size >> 10);
	return size;
}

void pcache_reserve(void)
{
	u64 size = choose_pcache_size();
	phys_addr_t base = size ? bootmem_alloc(size, PAGE_SIZE, ~0ULL) : 0;

	if (!base) {
		pr_err("pcache: no contiguous memory left for the pcache; it is disabled\n");
		return;
	}
	pcache_region.base = base;
	pcache_region.size = size;
}
