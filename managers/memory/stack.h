/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The initial user stack of a new program (x86-64 System V ABI, 3.4.1):
 *
 *   sp ->  argc | argv[0..argc-1] | NULL | envp[..] | NULL | auxv pairs | AT_NULL, 0
 *          (padding) | 16 random bytes | argv and envp strings | execfn | 8 zero bytes  <- top
 *
 * sp is 16-byte aligned. stack_build() is pure: it writes into a buffer that
 * stands for the addresses [top - size, top); the loader copies the used part
 * [sp, top) into the address space. Host-tested by tools/testing/elf_test.c.
 */
#ifndef _MEMORY_STACK_H
#define _MEMORY_STACK_H

#include <mosaic/types.h>

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

#define STACK_ARGS_MAX		(128 * 1024)	/* strings + pointers: more is -E2BIG */
#define STACK_STRING_MAX	(64 * 1024)	/* one argument or variable (MAX_ARG_STRLEN) */

struct auxv_entry {
	u64 type, value;
};

struct stack_args {
	const char *const *argv;
	u32 argc;
	const char *const *envp;
	u32 envc;
	const char *execfn;		/* AT_EXECFN: the path the program was run as */
	const u8 *random;		/* 16 bytes for AT_RANDOM */
	const struct auxv_entry *aux;	/* plain values; AT_RANDOM, AT_EXECFN, AT_NULL are added */
	u32 naux;
};

/* Build the stack below top in buf ([top - size, top)): 0 and *sp, or -E2BIG. */
int stack_build(const struct stack_args *a, u64 top, u8 *buf, size_t size, u64 *sp);

#endif
