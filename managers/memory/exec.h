/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a program into an empty address space (exec.c): validate the ELF,
 * map its PT_LOADs, copy the file data into pages, place brk, build the
 * initial stack. The bytes come through a struct file_reader (elf.h), so
 * the loader does not care whether they come from storage or a buffer.
 */
#ifndef _MEMORY_EXEC_H
#define _MEMORY_EXEC_H

#include "elf.h"
#include "image_cache.h"
#include "space.h"

struct exec_args {
	const char *const *argv;
	u32 argc;
	const char *const *envp;
	u32 envc;
	const char *execfn;	/* AT_EXECFN */
	u8 random[16];		/* AT_RANDOM: the caller's entropy */
	u64 hwcap;		/* AT_HWCAP: CPUID.1:EDX on the processor */
	const struct image_key *image;	/* the file's cache key (NULL: no caching) */
};

/* Most auxv entries exec_setup_stack() passes (AT_RANDOM, AT_EXECFN, AT_NULL come on top). */
#define EXEC_MAX_AUX 16

struct exec_result {
	u64 entry;
	u64 sp;
};

/*
 * Load into ms, which must have no vmas yet (-EBUSY). 0 and *res, or
 * -ENOEXEC (bad ELF: a message names the reason), -E2BIG (arguments), -ENOMEM,
 * or the reader's error. On failure the space may hold a partial image: the
 * caller destroys it.
 */
int mem_exec_load(struct mem_space *ms, const struct file_reader *r,
		  const struct exec_args *args, struct exec_result *res);

#endif
