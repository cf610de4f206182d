// SPDX-License-Identifier: GPL-2.0
/*
 * exec on the memory side (interface in exec.h). File reads happen without
 * ms->lock (a storage read may wait on the network); the lock is taken only
 * to change vmas and pages.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/string.h>

#include "exec.h"
#include "stack.h"

#define STACK_BUF_ORDER	6	/* 256 KiB: room for STACK_ARGS_MAX and the padding */
#define COPY_BUF_ORDER	3	/* 32 KiB: one storage READ (STO_IO_MAX) per chunk */

static long exec_map(struct mem_space *ms, u64 start, u64 end, u32 prot, u32 flags)
{
	long ret;

	spin_lock(&ms->lock);
	ret = vma_mmap(&ms->vs, start, end - start, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | flags, NULL);
	spin_unlock(&ms->lock);
	return ret < 0 ? ret : 0;
}

/* Context: ms->lock not held. */
static int exec_write(struct mem_space *ms, u64 addr, const void *src, size_t len)
{
	int err;

	spin_lock(&ms->lock);
	err = mem_space_write(ms, addr, src, len);
	spin_unlock(&ms->lock);
	return err;
}

static int exec_map_segments(struct mem_space *ms, const struct elf_info *info)
{
	for (int i = 0; i < info->ehdr.e_phnum; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];
		u64 va = ph->p_vaddr + info->load_bias;
		int err;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		err = exec_map(ms, ALIGN_DOWN(va, PAGE_SIZE), ALIGN_UP(va + ph->p_memsz, PAGE_SIZE),
			       elf_prot(ph->p_flags), 0);
		if (err)
			return err;
	}
	return 0;
}

/* Copy p_filesz bytes of the file into the pages; the rest (bss) stays zero. */
static int exec_copy_segment(struct mem_space *ms, const struct file_reader *r,
			     const struct elf64_phdr *ph, u64 bias, u8 *bounce)
{
	for (u64 done = 0; done < ph->p_filesz;) {
		size_t n = min(ph->p_filesz - done, PAGE_SIZE << COPY_BUF_ORDER);
		int err = file_read_exact(r, ph->p_offset + done, bounce, n);

		if (!err)
			err = exec_write(ms, ph->p_vaddr + bias + done, bounce, n);
		if (err)
			return err;
		done += n;
	}
	return 0;
}

static int exec_copy_segments(struct mem_space *ms, const struct file_reader *r,
			      const struct elf_info *info)
{
	u8 *bounce = get_free_pages(COPY_BUF_ORDER);
	int err = 0;

	if (!bounce)
		return -ENOMEM;
	for (int i = 0; i < info->ehdr.e_phnum && !err; i++)
		if (info->phdr[i].p_type == PT_LOAD)
			err = exec_copy_segment(ms, r, &info->phdr[i], info->load_bias, bounce);
	free_pages_addr(bounce, COPY_BUF_ORDER);
	return err;
}

static u32 exec_auxv(const struct elf_info *info, const struct exec_args *args,
		     struct auxv_entry *aux)
{
	u64 bias = info->load_bias;
	const struct auxv_entry table[] = {
		{ AT_PHDR, info->phdr_vaddr ? info->phdr_vaddr + bias : 0 },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, info->ehdr.e_phnum },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_BASE, 0 },		/* no interpreter */
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, info->ehdr.e_entry + bias },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
		{ AT_HWCAP, args->hwcap },
		{ AT_CLKTCK, 100 },
		{ AT_SECURE, 0 },
	};

	memcpy(aux, table, sizeof(table));
	return ARRAY_SIZE(table);
}

static int exec_setup_stack(struct mem_space *ms, const struct elf_info *info,
			    const struct exec_args *args, u64 *sp)
{
	const size_t buf_size = PAGE_SIZE << STACK_BUF_ORDER;
	struct auxv_entry aux[EXEC_MAX_AUX];
	struct stack_args sa = { .argv = args->argv, .argc = args->argc, .envp = args->envp,
				 .envc = args->envc, .execfn = args->execfn,
				 .random = args->random, .aux = aux };
	u8 *buf;
	int err;

	sa.naux = exec_auxv(info, args, aux);
	err = exec_map(ms, MEM_STACK_TOP - MEM_STACK_SIZE, MEM_STACK_TOP,
		       PROT_READ | PROT_WRITE, MAP_GROWSDOWN);
	if (err)
		return err;
	buf = get_zeroed_pages(STACK_BUF_ORDER);
	if (!buf)
		return -ENOMEM;
	err = stack_build(&sa, MEM_STACK_TOP, buf, buf_size, sp);
	if (!err)
		err = exec_write(ms, *sp, buf + (*sp - (MEM_STACK_TOP - buf_size)),
				 MEM_STACK_TOP - *sp);
	free_pages_addr(buf, STACK_BUF_ORDER);
	return err;
}

/*
 * The segments' pages: shared from the image cache when this version of
 * the file was loaded before at the same bias, else read from the file
 * (and then cached).
 */
static int exec_fill_segments(struct mem_space *ms, const struct file_reader *r,
			      const struct elf_info *info, const struct image_key *image)
{
	struct image_key key = { 0 };
	int err;

	if (image) {
		key = *image;
		key.load_bias = info->load_bias;
		if (image_cache_install(ms, &key))
			return 0;
	}
	err = exec_copy_segments(ms, r, info);
	if (!err && image)
		image_cache_store(ms, &key, info);
	return err;
}

static int exec_load_image(struct mem_space *ms, const struct file_reader *r,
			   const struct elf_info *info, const struct image_key *image)
{
	u64 t = profile_start();
	int err = exec_map_segments(ms, info);

	if (!err)
		err = exec_fill_segments(ms, r, info, image);
	profile_end(PROF_exec_load, t);
	if (err)
		return err;
	spin_lock(&ms->lock);
	vma_set_brk(&ms->vs, info->hi + info->load_bias);
	spin_unlock(&ms->lock);
	return 0;
}

int mem_exec_load(struct mem_space *ms, const struct file_reader *r,
		  const struct exec_args *args, struct exec_result *res)
{
	struct elf_info *info;
	int err;
	u64 t;

	if (READ_ONCE(ms->vs.nr_vmas))
		return -EBUSY;
	info = kmalloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	t = profile_start();
	err = elf_parse(r, info);
	profile_end(PROF_exec_parse, t);
	if (err)
		pr_warn("exec %s: %s\n", args->execfn, info->error);
	if (!err)
		err = exec_load_image(ms, r, info, args->image);
	t = profile_start();
	if (!err)
		err = exec_setup_stack(ms, info, args, &res->sp);
	profile_end(PROF_exec_stack, t);
	if (!err)
		res->entry = info->ehdr.e_entry + info->load_bias;
	kfree(info);
	return err;
}
