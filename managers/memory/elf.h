/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF executables for exec: the file-reader interface the loader reads
 * through, the ELF64 structures, and the pure parser/validator (elf.c).
 *
 *   struct file_reader r;
 *   file_reader_init_buffer(&r, image, size);     // or a storage-backed reader
 *   err = elf_parse(&r, info);                    // 0, or -ENOEXEC/-EIO + info->error
 *
 * Accepted: static x86-64 ET_EXEC and static-PIE ET_DYN. Rejected with
 * -ENOEXEC and a message: see elf_parse().
 */
#ifndef _MEMORY_ELF_H
#define _MEMORY_ELF_H

#include <mosaic/types.h>

/* ---- where the bytes come from ---- */
struct file_reader;

struct file_reader_ops {
	/* Read up to len bytes at offset: the count read (short at end of file) or -errno. */
	long (*read)(const struct file_reader *r, u64 offset, void *buf, size_t len);
};

struct file_reader {
	const struct file_reader_ops *ops;
	const void *priv;
	u64 size;	/* file size in bytes */
};

/* A reader over a buffer in memory (tests, and files already in RAM). */
void file_reader_init_buffer(struct file_reader *r, const void *buf, u64 size);
/* Read exactly len bytes: 0, -EIO on a short read, or the reader's -errno. */
int file_read_exact(const struct file_reader *r, u64 offset, void *buf, size_t len);

/* ---- ELF64 (System V ABI values) ---- */
#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_PHDR		6

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define ELF_MAX_PHNUM	64			/* more program headers: rejected */
#define ELF_MAX_IMAGE	(1UL << 30)		/* span of all PT_LOADs */
#define ELF_ET_DYN_BASE	0x555555554000UL	/* where a static-PIE is loaded (as Linux) */

struct elf_info {
	struct elf64_ehdr ehdr;
	struct elf64_phdr phdr[ELF_MAX_PHNUM];
	u64 lo, hi;		/* page-aligned span of the PT_LOADs, unbiased */
	u64 phdr_vaddr;		/* where the program headers are in memory (unbiased; 0: unknown) */
	u64 load_bias;		/* 0 for ET_EXEC, ELF_ET_DYN_BASE - lo for static-PIE */
	const char *error;	/* why elf_parse() refused the image */
};

/*
 * Read and check the headers. Rejects (-ENOEXEC, info->error says why): a
 * short file, bad magic, class, byte order, version, type or machine,
 * phentsize != 56, phnum 0 or > ELF_MAX_PHNUM, program headers beyond the
 * file, PT_INTERP (dynamic programs), a PT_LOAD with p_filesz > p_memsz,
 * file data beyond the file, p_offset and p_vaddr not congruent modulo the
 * page size, a bad p_align, a span over ELF_MAX_IMAGE or outside user
 * space, PT_LOADs out of order or overlapping, no PT_LOAD, an entry point
 * outside every executable PT_LOAD. Read errors come back as -EIO or the
 * reader's errno.
 */
int elf_parse(const struct file_reader *r, struct elf_info *info);

/* PF_* of a segment as PROT_* */
u32 elf_prot(u32 p_flags);

#endif
