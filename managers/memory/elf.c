// SPDX-License-Identifier: GPL-2.0
/*
 * ELF parser and validator for exec (interface in elf.h). Pure logic: it
 * only reads through a struct file_reader and fills a struct elf_info, so it
 * runs the same in the kernel and in tools/testing/elf_test.c.
 *
 * Every check sets info->error to a short reason; the loader prints it.
 */
#include <mosaic/errno.h>
#include <mosaic/string.h>

#include "elf.h"
#include "vma.h"

/* ---------------------------------------------------------------- readers */

static long buffer_read(const struct file_reader *r, u64 offset, void *buf, size_t len)
{
	if (offset >= r->size)
		return 0;
	len = min(len, r->size - offset);
	memcpy(buf, (const u8 *)r->priv + offset, len);
	return len;
}

static const struct file_reader_ops buffer_reader_ops = { .read = buffer_read };

void file_reader_init_buffer(struct file_reader *r, const void *buf, u64 size)
{
	r->ops = &buffer_reader_ops;
	r->priv = buf;
	r->size = size;
}

int file_read_exact(const struct file_reader *r, u64 offset, void *buf, size_t len)
{
	long n = r->ops->read(r, offset, buf, len);

	if (n < 0)
		return n;
	return (size_t)n == len ? 0 : -EIO;
}

/* ---------------------------------------------------------------- checks */

static int elf_reject(struct elf_info *info, const char *why)
{
	info->error = why;
	return -ENOEXEC;
}

static int elf_check_ehdr(const struct elf64_ehdr *eh, struct elf_info *info)
{
	static const u8 magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->e_ident, magic, sizeof(magic)))
		return elf_reject(info, "bad magic");
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB)
		return elf_reject(info, "not a little-endian 64-bit ELF");
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return elf_reject(info, "bad ELF version");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return elf_reject(info, "not an executable (ET_EXEC or ET_DYN)");
	if (eh->e_machine != EM_X86_64)
		return elf_reject(info, "not an x86-64 program");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return elf_reject(info, "bad program header size");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return elf_reject(info, "no or too many program headers");
	return 0;
}

static int elf_read_headers(const struct file_reader *r, struct elf_info *info)
{
	const struct elf64_ehdr *eh = &info->ehdr;
	u64 ph_bytes;
	int err;

	if (r->size < sizeof(*eh))
		return elf_reject(info, "file shorter than the ELF header");
	err = file_read_exact(r, 0, &info->ehdr, sizeof(*eh));
	if (err)
		return err;
	err = elf_check_ehdr(eh, info);
	if (err)
		return err;
	ph_bytes = (u64)eh->e_phnum * sizeof(struct elf64_phdr);
	if (eh->e_phoff > r->size || ph_bytes > r->size - eh->e_phoff)
		return elf_reject(info, "program headers beyond the end of the file");
	return file_read_exact(r, eh->e_phoff, info->phdr, ph_bytes);
}

static int elf_check_load(const struct elf64_phdr *ph, u64 file_size, struct elf_info *info)
{
	if (ph->p_filesz > ph->p_memsz)
		return elf_reject(info, "segment with p_filesz > p_memsz");
	if (ph->p_memsz > ELF_MAX_IMAGE || ph->p_vaddr > VMA_TASK_SIZE - ph->p_memsz)
		return elf_reject(info, "segment too large or outside user space");
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return elf_reject(info, "segment data beyond the end of the file");
	if ((ph->p_offset - ph->p_vaddr) % PAGE_SIZE)
		return elf_reject(info, "segment p_offset and p_vaddr misaligned");
	if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)))
		return elf_reject(info, "segment p_align not a power of two");
	return 0;
}

/* PT_LOADs must ascend without overlapping (they may share a page). */
static int elf_check_order(const struct elf64_phdr *ph, const struct elf64_phdr *prev,
			   struct elf_info *info)
{
	if (prev && ph->p_vaddr < prev->p_vaddr + prev->p_memsz)
		return elf_reject(info, "PT_LOAD segments overlap or are out of order");
	return 0;
}

static bool elf_entry_in(const struct elf64_phdr *ph, u64 entry)
{
	return ph->p_type == PT_LOAD && (ph->p_flags & PF_X) &&
	       entry >= ph->p_vaddr && entry - ph->p_vaddr < ph->p_memsz;
}

/* Program headers in memory: PT_PHDR, else the PT_LOAD whose file range holds them. */
static u64 elf_find_phdr_vaddr(const struct elf_info *info)
{
	u64 off = info->ehdr.e_phoff;

	for (int i = 0; i < info->ehdr.e_phnum; i++)
		if (info->phdr[i].p_type == PT_PHDR)
			return info->phdr[i].p_vaddr;
	for (int i = 0; i < info->ehdr.e_phnum; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];

		if (ph->p_type == PT_LOAD && off >= ph->p_offset && off - ph->p_offset < ph->p_filesz)
			return ph->p_vaddr + (off - ph->p_offset);
	}
	return 0;
}

static int elf_check_segments(const struct file_reader *r, struct elf_info *info)
{
	const struct elf64_phdr *prev = NULL;
	bool entry_ok = false;
	int err;

	info->lo = U64_MAX;
	info->hi = 0;
	for (int i = 0; i < info->ehdr.e_phnum; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];

		if (ph->p_type == PT_INTERP)
			return elf_reject(info, "dynamically linked (PT_INTERP): only static programs run");
		if (ph->p_type != PT_LOAD)
			continue;
		err = elf_check_load(ph, r->size, info);
		if (!err)
			err = elf_check_order(ph, prev, info);
		if (err)
			return err;
		info->lo = min(info->lo, ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE));
		info->hi = max(info->hi, ALIGN_UP(ph->p_vaddr + ph->p_memsz, PAGE_SIZE));
		entry_ok |= elf_entry_in(ph, info->ehdr.e_entry);
		prev = ph;
	}
	if (!prev)
		return elf_reject(info, "no PT_LOAD segment");
	if (!entry_ok)
		return elf_reject(info, "entry point outside every executable segment");
	return 0;
}

static int elf_check_span(struct elf_info *info)
{
	if (info->hi - info->lo > ELF_MAX_IMAGE)
		return elf_reject(info, "image span too large");
	if (info->ehdr.e_type == ET_EXEC) {
		if (info->lo < VMA_MMAP_MIN_ADDR)
			return elf_reject(info, "ET_EXEC segment below the lowest mappable address");
		info->load_bias = 0;
	} else {
		info->load_bias = ELF_ET_DYN_BASE - info->lo;
	}
	return 0;
}

int elf_parse(const struct file_reader *r, struct elf_info *info)
{
	int err;

	info->error = NULL;
	err = elf_read_headers(r, info);
	if (!err)
		err = elf_check_segments(r, info);
	if (!err)
		err = elf_check_span(info);
	if (err) {
		if (!info->error)
			info->error = "read error";
		return err;
	}
	info->phdr_vaddr = elf_find_phdr_vaddr(info);
	return 0;
}

u32 elf_prot(u32 p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}
