// SPDX-License-Identifier: GPL-2.0
/*
 * The vma list as /proc/PID/maps text (RPC_MEM_MAPS, include/mosaic/memory.h):
 *
 *   00400000-00401000 r-xp 00000000 00:00 0 
 *   7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
 *
 * Only whole lines go into the buffer; the caller asks again from *next
 * for the rest.
 *
 * Context: takes ms->lock around the walk (no sleeping inside).
 */
#include <mosaic/memory.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

#include "space.h"

#define MAPS_LINE_MAX 128	/* longest line this file writes */
#define MAPS_NAME_COLUMN 73	/* Linux pads the name to this column */

static const char *vma_name(const struct vma *v)
{
	if (v->flags & VMA_BRK)
		return "[heap]";
	if (v->flags & VMA_GROWSDOWN)
		return "[stack]";
	return "";
}

/* One line for v into line (MAPS_LINE_MAX bytes): its length. */
static size_t maps_line(const struct vma *v, char *line)
{
	const char *name = vma_name(v);
	u64 offset = (v->flags & VMA_ANON) ? 0 : v->file.offset;
	int n;

	n = snprintf(line, MAPS_LINE_MAX, "%08lx-%08lx %c%c%c%c %08llx 00:00 0 ",
		     v->start, v->end, v->prot & PROT_READ ? 'r' : '-',
		     v->prot & PROT_WRITE ? 'w' : '-', v->prot & PROT_EXEC ? 'x' : '-',
		     v->flags & VMA_SHARED ? 's' : 'p', (unsigned long long)offset);
	if (*name) {
		while (n < MAPS_NAME_COLUMN - 1)
			line[n++] = ' ';
		n += snprintf(line + n, MAPS_LINE_MAX - (size_t)n, "%s", name);
	}
	line[n++] = '\n';
	return (size_t)n;
}

size_t mem_maps(struct mem_space *ms, u64 from, char *buf, size_t size, u64 *next)
{
	char line[MAPS_LINE_MAX + 1];
	struct vma *v;
	size_t used = 0, n;

	*next = 0;
	spin_lock(&ms->lock);
	for (v = vma_find_above(&ms->vs, from); v; v = vma_next(&ms->vs, v)) {
		n = maps_line(v, line);
		if (used + n > size) {
			*next = v->start;
			break;
		}
		memcpy(buf + used, line, n);
		used += n;
	}
	spin_unlock(&ms->lock);
	return used;
}
