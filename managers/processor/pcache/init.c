// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time set-up of the pcache over the region mm reserved (pcache=SIZE):
 * allocate the metadata and set arrays, build the geometry, report it.
 * Boot parameters: pcache.assoc=N (ways per set, 1..64), pcache.overflow=N
 * (lines of the overflow pool, overflow.c).
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include <mosaic/pcache.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#include "internal.h"

static unsigned int pcache_assoc = CONFIG_PCACHE_ASSOC;

static int set_assoc(const char *val, const struct kernel_param *kp)
{
	unsigned int ways;
	int err = kstrtouint(val ? val : "", 0, &ways);

	if (err)
		return err;
	if (ways < 1 || ways > 64)
		return -ERANGE;
	pcache_assoc = ways;
	return 0;
}
KERNEL_PARAM("pcache.assoc", set_assoc, &pcache_assoc, "pcache ways per set (1-64)");

int pcache_init(void)
{
	unsigned long nr_sets, nr_lines;
	int err;

	nr_lines = pcache_lines_for(pcache_region.size, pcache_assoc, pcache_overflow_lines,
				    &nr_sets);
	err = pcache_setup(pcache_region.base, __va(pcache_region.base), pcache_region.size,
			   pcache_assoc, pcache_overflow_lines);
	if (!err)
		err = pcache_rmap_init();
	if (!err)
		pcache_msgbuf_init();
	if (err) {
		pr_err("pcache: cannot set up %llu KiB with %u ways and %u overflow lines (error %d): no pcache\n",
		       pcache_region.size >> 10, pcache_assoc, pcache_overflow_lines, err);
		return err;
	}
	pr_info("pcache: %lu lines of 4 KiB in %lu sets x %u ways + %u overflow lines, data at %#llx, %zu bytes of metadata per line\n",
		nr_lines, nr_sets, pcache_assoc, pcache_overflow_lines, (u64)pcache.base,
		sizeof(struct pcache_meta));
	/* The MMU needs every page of an instruction present at once. */
	if (!pcache_overflow_lines && pcache_assoc < 4)
		pr_warn("pcache: no overflow lines with %u ways: an instruction that needs more pages of one set than that never completes (its faults evict each other)\n",
			pcache_assoc);
	if (proc_register("pcache", pcache_stats_show) ||
	    proc_register_store("pcache", pcache_stats_store) ||
	    proc_register("pcache_sets", pcache_sets_show))
		pr_warn("pcache: cannot register /proc/pcache and /proc/pcache_sets\n");
	return 0;
}
