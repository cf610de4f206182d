// SPDX-License-Identifier: GPL-2.0
/*
 * The exception fixup table (include/asm/extable.h) and probe_read_u64(),
 * its first user. The linker collects the __ex_table entries between
 * __start___ex_table and __stop___ex_table; they are few, so a linear scan
 * is enough.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <mosaic/errno.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static unsigned long entry_insn(const struct exception_table_entry *e)
{
	return (unsigned long)&e->insn_off + e->insn_off;
}

static unsigned long entry_fixup(const struct exception_table_entry *e)
{
	return (unsigned long)&e->fixup_off + e->fixup_off;
}

unsigned long search_exception_table(unsigned long rip)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if (entry_insn(e) == rip)
			return entry_fixup(e);
	return 0;
}

bool fixup_exception(struct pt_regs *regs)
{
	unsigned long fixup = search_exception_table(regs->rip);

	if (!fixup)
		return false;
	regs->rip = fixup;
	return true;
}

int probe_read_u64(const void *addr, u64 *out)
{
	int err = 0;
	u64 val = 0;

	__asm__ volatile("1: movq (%2), %1\n"
			 "2:\n"
			 ".pushsection .text.fixup, \"ax\"\n"
			 "3: movl %3, %0\n"
			 "   jmp 2b\n"
			 ".popsection\n"
			 _ASM_EXTABLE(1b, 3b)
			 : "+r"(err), "+r"(val)
			 : "r"(addr), "i"(-EFAULT)
			 : "memory");
	if (!err)
		*out = val;
	return err;
}
