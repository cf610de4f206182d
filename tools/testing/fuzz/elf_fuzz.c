// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for exec's ELF validator (managers/memory/elf.c): any
 * file either is refused with -ENOEXEC and a reason, or is accepted with a
 * span and entry point that obey the rules elf_parse() promises. Seeds: two
 * stripped static musl programs (fuzz.mk). Built by fuzz.mk.
 */
// test-sources: managers/memory/elf.c managers/memory/stack.c
#include <mosaic/errno.h>
#include "../../../managers/memory/elf.h"
#include "../../../managers/memory/stack.h"

/* What an accepted image must satisfy; abort() makes libFuzzer keep the input. */
static void check_accepted(const struct elf_info *info)
{
	if (info->lo >= info->hi || info->hi - info->lo > ELF_MAX_IMAGE)
		abort();
	if (info->ehdr.e_phnum == 0 || info->ehdr.e_phnum > ELF_MAX_PHNUM)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct elf_info info;
	struct file_reader r;
	int ret;

	file_reader_init_buffer(&r, data, size);
	ret = elf_parse(&r, &info);
	if (ret == 0)
		check_accepted(&info);
	else if (ret == -ENOEXEC && !info.error)
		abort();	/* a refusal must say why */
	return 0;
}
