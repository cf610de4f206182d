/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception fixups. An instruction that may fault on purpose (a probe of an
 * address, a user copy) is listed in the __ex_table section with the place
 * to resume at. When a #PF or #GP hits a listed instruction in kernel mode,
 * the trap handler sets RIP to the fixup instead of dying.
 *
 *   1: movq (%rsi), %rax
 *   2:
 *      _ASM_EXTABLE(1b, 3f)      # fault at 1 -> continue at 3
 */
#ifndef _ASM_EXTABLE_H
#define _ASM_EXTABLE_H

#include <mosaic/types.h>

/* Offsets relative to the entry's own fields keep the table position independent and small. */
#define _ASM_EXTABLE(from, to)                                                 \
	".pushsection __ex_table, \"a\"\n"                                     \
	".balign 4\n"                                                          \
	".long (" #from ") - .\n"                                              \
	".long (" #to ") - .\n"                                                \
	".popsection\n"

struct exception_table_entry {
	s32 insn_off;	/* faulting instruction, relative to &insn_off */
	s32 fixup_off;	/* where to resume, relative to &fixup_off */
};

/* The fixup address for a faulting rip, or 0 when rip is not in the table. */
unsigned long search_exception_table(unsigned long rip);

struct pt_regs;
/* Redirect regs->rip to its fixup; false when there is none. */
bool fixup_exception(struct pt_regs *regs);

/*
 * Read 8 bytes at addr without dying if it is unmapped or non-canonical:
 * 0 and *out set, or -EFAULT.
 */
int probe_read_u64(const void *addr, u64 *out);

#endif
