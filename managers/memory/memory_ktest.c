// SPDX-License-Identifier: GPL-2.0
/*
 * Boot self-tests of the memory manager, with the real buddy allocator and
 * kmalloc: suites vma (layout edge cases), elf (loader on malformed images)
 * and memory (MISS/FLUSH and page accounting). The exhaustive random checks
 * run on the host (tools/testing/{vma,elf,memory}_test.c).
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#include "exec.h"

#define P PAGE_SIZE
#define A 0x10000000UL

static struct mem_space *kt_space(u32 tgid)
{
	struct mem_space *ms = mem_space_create(0x7fff, tgid);

	return IS_ERR(ms) ? NULL : ms;
}

static void kt_drop(struct mem_space *ms)
{
	mem_space_destroy(ms->node, ms->tgid);
	mem_space_put(ms);
}

static long kt_map(struct mem_space *ms, u64 addr, u64 len, u32 prot, u32 extra)
{
	struct mem_mmap_req req = { .addr = addr, .len = len, .prot = prot,
				    .flags = MAP_PRIVATE | MAP_ANONYMOUS | extra };

	return mem_mmap(ms, &req);
}

/* ---------------------------------------------------------------- vma */

KTEST(vma, fixed_replaces_splits_and_merges)
{
	struct mem_space *ms = kt_space(1);

	KASSERT(ms);
	KEXPECT_EQ(kt_map(ms, A, 4 * P, PROT_READ, MAP_FIXED), A);
	KEXPECT_EQ(kt_map(ms, A + P, P, PROT_WRITE, MAP_FIXED), A + P);
	KEXPECT_EQ(ms->vs.nr_vmas, 3);
	KEXPECT_EQ(kt_map(ms, A + P, P, PROT_READ, MAP_FIXED_NOREPLACE), -EEXIST);
	KEXPECT_EQ(kt_map(ms, A + P, P, PROT_READ, MAP_FIXED), A + P);
	KEXPECT_EQ(ms->vs.nr_vmas, 1);
	KEXPECT_EQ(kt_map(ms, A + 1, P, PROT_READ, MAP_FIXED), -EINVAL);
	KEXPECT_EQ(kt_map(ms, 0, 0, PROT_READ, 0), -EINVAL);
	KEXPECT_EQ(vma_space_check(&ms->vs), 0);
	kt_drop(ms);
}

KTEST(vma, munmap_mprotect_split)
{
	struct mem_space *ms = kt_space(2);

	KASSERT(ms);
	kt_map(ms, A, 8 * P, PROT_READ, MAP_FIXED);
	KEXPECT_EQ(mem_munmap(ms, A + 2 * P, P), 0);
	KEXPECT_EQ(mem_mprotect(ms, A + 4 * P, P, PROT_READ | PROT_WRITE), 0);
	KEXPECT_EQ(ms->vs.nr_vmas, 4);
	KEXPECT_EQ(mem_mprotect(ms, A, 4 * P, PROT_READ), -ENOMEM);	/* the hole */
	KEXPECT_EQ(mem_mprotect(ms, A + 4 * P, P, PROT_READ), 0);	/* merges back */
	KEXPECT_EQ(ms->vs.nr_vmas, 2);
	KEXPECT_EQ(mem_munmap(ms, A + 1, P), -EINVAL);
	KEXPECT_EQ(vma_space_check(&ms->vs), 0);
	kt_drop(ms);
}

KTEST(vma, brk_limits)
{
	struct mem_space *ms = kt_space(3);

	KASSERT(ms);
	vma_set_brk(&ms->vs, A);
	kt_map(ms, A + 4 * P, P, PROT_READ, MAP_FIXED);
	KEXPECT_EQ(mem_brk(ms, A - 1), A);
	KEXPECT_EQ(mem_brk(ms, A + 2 * P), A + 2 * P);
	KEXPECT_EQ(mem_brk(ms, A + 5 * P), A + 2 * P);	/* would cover the vma */
	KEXPECT_EQ(mem_brk(ms, A + P), A + P);
	KEXPECT_EQ(vma_space_check(&ms->vs), 0);
	kt_drop(ms);
}

KTEST(vma, mremap_cases)
{
	struct mem_space *ms = kt_space(4);
	struct mem_mremap_req r = { .old_addr = A, .old_len = P, .new_len = 2 * P };

	KASSERT(ms);
	kt_map(ms, A, P, PROT_READ, MAP_FIXED);
	kt_map(ms, A + 3 * P, P, PROT_WRITE, MAP_FIXED);
	KEXPECT_EQ(mem_mremap(ms, &r), A);		/* grows in place */
	r.old_len = 2 * P;
	r.new_len = 4 * P;
	KEXPECT_EQ(mem_mremap(ms, &r), -ENOMEM);	/* blocked, may not move */
	r.flags = MREMAP_MAYMOVE;
	KEXPECT_NE(mem_mremap(ms, &r), A);
	r.flags = MREMAP_FIXED;
	KEXPECT_EQ(mem_mremap(ms, &r), -EINVAL);
	KEXPECT_EQ(vma_space_check(&ms->vs), 0);
	kt_drop(ms);
}

/* ---------------------------------------------------------------- elf */

static u8 kt_image[0x300];

static void kt_build_image(void)
{
	struct elf64_ehdr *eh = (void *)kt_image;
	struct elf64_phdr *ph = (void *)(kt_image + sizeof(*eh));

	memset(kt_image, 0, sizeof(kt_image));
	memcpy(eh->e_ident, "\x7f" "ELF\x02\x01\x01", 7);
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x400200;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = 0x400000,
				     .p_filesz = 0x280, .p_memsz = 0x280 };
	ph[1] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x280,
				     .p_vaddr = 0x401280, .p_filesz = 0x80, .p_memsz = 0x3000 };
	memset(kt_image + 0x200, 0xc3, 0x80);
}

static int kt_exec(u32 tgid, size_t size, struct exec_result *res)
{
	static const char *const argv[] = { "/t" };
	struct exec_args args = { .argv = argv, .argc = 1, .execfn = "/t" };
	struct mem_space *ms = kt_space(tgid);
	struct file_reader r;
	int err;

	if (!ms)
		return -ENOMEM;
	file_reader_init_buffer(&r, kt_image, size);
	err = mem_exec_load(ms, &r, &args, res);
	kt_drop(ms);
	return err;
}

KTEST(elf, loads_good_image)
{
	struct exec_result res;

	kt_build_image();
	KEXPECT_EQ(kt_exec(10, sizeof(kt_image), &res), 0);
	KEXPECT_EQ(res.entry, 0x400200);
	KEXPECT_EQ(res.sp % 16, 0);
}

KTEST(elf, rejects_malformed)
{
	struct elf64_ehdr *eh = (void *)kt_image;
	struct elf64_phdr *ph = (void *)(kt_image + sizeof(*eh));
	struct exec_result res;

	kt_build_image();
	KEXPECT_EQ(kt_exec(11, 40, &res), -ENOEXEC);		/* truncated header */
	ph[0].p_memsz = 0x1000;					/* overlapping */
	ph[1].p_vaddr = 0x400280;
	KEXPECT_EQ(kt_exec(11, sizeof(kt_image), &res), -ENOEXEC);
	kt_build_image();
	ph[1].p_memsz = 1UL << 42;				/* huge p_memsz */
	KEXPECT_EQ(kt_exec(11, sizeof(kt_image), &res), -ENOEXEC);
	kt_build_image();
	eh->e_entry = 0x401280;					/* entry in data */
	KEXPECT_EQ(kt_exec(11, sizeof(kt_image), &res), -ENOEXEC);
	kt_build_image();
	ph[0].p_type = PT_INTERP;
	KEXPECT_EQ(kt_exec(11, sizeof(kt_image), &res), -ENOEXEC);
}

/* ---------------------------------------------------------------- memory */

static struct mem_miss_reply kt_reply;

KTEST(memory, miss_zero_data_error)
{
	struct mem_space *ms = kt_space(20);

	KASSERT(ms);
	kt_map(ms, A, 2 * P, PROT_READ | PROT_WRITE, MAP_FIXED);
	KEXPECT_EQ(mem_miss(ms, A, false, &kt_reply), MEM_MISS_REPLY_HDR);
	KEXPECT(kt_reply.kind == MEM_MISS_ZERO && kt_reply.prot == (PROT_READ | PROT_WRITE));
	mem_miss(ms, A + 2 * P, false, &kt_reply);
	KEXPECT(kt_reply.kind == MEM_MISS_ERROR && kt_reply.status == -EFAULT);
	mem_mprotect(ms, A + P, P, PROT_READ);
	mem_miss(ms, A + P, true, &kt_reply);
	KEXPECT(kt_reply.status == -EACCES && kt_reply.prot == PROT_READ);
	kt_drop(ms);
}

KTEST(memory, flush_then_miss_returns_data)
{
	struct mem_space *ms = kt_space(21);
	u8 *line = get_zeroed_pages(0);

	KASSERT(ms && line);
	kt_map(ms, A, P, PROT_READ | PROT_WRITE, MAP_FIXED);
	memset(line, 0x6b, P);
	KEXPECT_EQ(mem_flush(ms, A, line), 0);
	KEXPECT_EQ(mem_miss(ms, A, false, &kt_reply), sizeof(kt_reply));
	KEXPECT(kt_reply.kind == MEM_MISS_DATA && !memcmp(kt_reply.data, line, P));
	KEXPECT_EQ(mem_flush(ms, A + P, line), -EFAULT);
	free_pages_addr(line, 0);
	kt_drop(ms);
}

KTEST(memory, destroy_frees_every_page)
{
	unsigned long before = nr_free_pages();
	struct mem_space *ms = kt_space(22);
	struct exec_result res;

	KASSERT(ms);
	kt_map(ms, A, 256 * P, PROT_READ | PROT_WRITE, MAP_FIXED);
	for (int i = 0; i < 256; i++)
		mem_miss(ms, A + i * P, true, &kt_reply);
	KEXPECT_EQ(mem_space_nr_pages(ms), 256);
	KEXPECT(nr_free_pages() < before - 256);
	kt_drop(ms);
	kt_build_image();
	kt_exec(23, sizeof(kt_image), &res);
	KEXPECT_EQ(nr_free_pages(), before);
}

/* ---------------------------------------------------------------- fork */

/* The first byte the space would hand out for addr (0 for a "zero" page). */
static u8 kt_first_byte(struct mem_space *ms, u64 addr)
{
	struct mem_miss_reply *r = kmalloc(sizeof(*r));
	u8 b = 0xee;

	if (r && mem_miss(ms, addr, false, r) == sizeof(*r))
		b = r->data[0];
	else if (r && r->kind == MEM_MISS_ZERO)
		b = 0;
	kfree(r);
	return b;
}

static int kt_flush_byte(struct mem_space *ms, u64 addr, u8 b)
{
	u8 *page = kzalloc(P);
	int err;

	if (!page)
		return -ENOMEM;
	page[0] = b;
	err = mem_flush(ms, addr, page);
	kfree(page);
	return err;
}

KTEST(memory, fork_shares_pages_until_written)
{
	unsigned long free_before = nr_free_pages();
	struct mem_space *parent = kt_space(40), *child;

	KASSERT(parent);
	KEXPECT_EQ(kt_map(parent, A, 4 * P, PROT_READ | PROT_WRITE, MAP_FIXED), A);
	KEXPECT_EQ(kt_flush_byte(parent, A, 0x11), 0);
	KEXPECT_EQ(kt_flush_byte(parent, A + P, 0x22), 0);
	KEXPECT_EQ(mem_fork(parent, 41), 0);
	KEXPECT_EQ(mem_fork(parent, 41), -EEXIST);
	child = mem_space_get(parent->node, 41);
	KASSERT(child);
	KEXPECT_EQ(child->vs.nr_vmas, parent->vs.nr_vmas);
	KEXPECT_EQ(kt_first_byte(child, A), 0x11);
	KEXPECT_EQ(kt_first_byte(child, A + 2 * P), 0);
	/* A write in either space copies the page; the other keeps the old data. */
	KEXPECT_EQ(kt_flush_byte(child, A, 0x33), 0);
	KEXPECT_EQ(kt_first_byte(parent, A), 0x11);
	KEXPECT_EQ(kt_first_byte(child, A), 0x33);
	KEXPECT_EQ(kt_flush_byte(parent, A + P, 0x44), 0);
	KEXPECT_EQ(kt_first_byte(child, A + P), 0x22);
	KEXPECT_EQ(kt_first_byte(parent, A + P), 0x44);
	kt_drop(child);
	KEXPECT_EQ(kt_first_byte(parent, A), 0x11);
	kt_drop(parent);
	KEXPECT_EQ(nr_free_pages(), free_before);
}
