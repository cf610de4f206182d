// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the memory manager's kernel side: address-space registry,
 * radix page table, MISS/FLUSH and the ELF loader, over host versions of the
 * page allocator that count outstanding pages (so "destroy frees every page"
 * is checked exactly, and ASan catches any use after free).
 */
// test-sources: managers/memory/space.c managers/memory/access.c managers/memory/pagetable.c managers/memory/page_budget.c managers/memory/exec.c managers/memory/image_cache.c managers/memory/elf.c managers/memory/stack.c managers/memory/vma.c lib/treap.c
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/param.h>
#include "../../managers/memory/exec.h"
#include "tap.h"

static long pages_out;	/* pages handed out and not yet freed */

void *get_zeroed_pages(unsigned int order)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

	if (p) {
		memset(p, 0, PAGE_SIZE << order);
		pages_out += 1L << order;
	}
	return p;
}

/* Fresh pages hold garbage, as on the kernel: a reader that forgets to clear them sees it. */
void *get_free_pages(unsigned int order)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

	if (p) {
		memset(p, 0xa5, PAGE_SIZE << order);
		pages_out += 1L << order;
	}
	return p;
}

void free_pages_addr(void *addr, unsigned int order)
{
	pages_out -= 1L << order;
	free(addr);
}

/* The page budget's view of the node: no cap is set, plenty is free. */
unsigned long nr_free_pages(void) { return 1UL << 20; }
int param_set_uint(const char *val, const struct kernel_param *kp) { return -EINVAL; }

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(const void *p) { free((void *)p); }

int rpc_self_node(void) { return 3; }
u64 ktime_get_real_ns(void) { return 1000; }

static struct mem_miss_reply reply;

static struct mem_space *new_space(u32 tgid)
{
	struct mem_space *ms = mem_space_create(0, tgid);

	return IS_ERR(ms) ? NULL : ms;
}

static long map_anon(struct mem_space *ms, u64 addr, u64 len, u32 prot)
{
	struct mem_mmap_req req = { .addr = addr, .len = len, .prot = prot,
				    .flags = MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED : 0) };

	return mem_mmap(ms, &req);
}

static void drop(struct mem_space *ms)
{
	mem_space_destroy(ms->node, ms->tgid);
	mem_space_put(ms);
}

static void test_registry(void)
{
	long before = pages_out;
	struct mem_space *ms = new_space(7);

	ASSERT(ms);
	EXPECT(mem_space_create(0, 7) == ERR_PTR(-EEXIST));
	EXPECT(mem_space_get(1, 7) == NULL);	/* same tgid, other node */
	EXPECT(mem_space_get(0, 7) == ms);
	mem_space_put(ms);
	EXPECT_EQ(mem_space_destroy(0, 8), -ESRCH);
	drop(ms);
	EXPECT(mem_space_get(0, 7) == NULL);
	EXPECT_EQ(pages_out, before);
}

static void test_miss_kinds(void)
{
	struct mem_space *ms = new_space(1);
	u64 a = 0x10000000;

	ASSERT(ms);
	ASSERT_EQ(map_anon(ms, a, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE), a);
	EXPECT_EQ(mem_miss(ms, a - PAGE_SIZE, false, &reply), MEM_MISS_REPLY_HDR);
	EXPECT(reply.status == -EFAULT && reply.kind == MEM_MISS_ERROR && reply.prot == 0);
	EXPECT_EQ(mem_miss(ms, a + 5, false, &reply), MEM_MISS_REPLY_HDR);
	EXPECT(reply.status == 0 && reply.kind == MEM_MISS_ZERO);
	EXPECT_EQ(reply.prot, PROT_READ | PROT_WRITE);
	EXPECT_EQ(mem_space_nr_pages(ms), 0);	/* a read miss allocates nothing */
	EXPECT_EQ(mem_miss(ms, a, true, &reply), MEM_MISS_REPLY_HDR);
	EXPECT(reply.kind == MEM_MISS_ZERO && mem_space_nr_pages(ms) == 1);
	EXPECT_EQ(mem_mprotect(ms, a, PAGE_SIZE, PROT_READ), 0);
	mem_miss(ms, a, true, &reply);
	EXPECT(reply.status == -EACCES && reply.prot == PROT_READ);
	mem_mprotect(ms, a, PAGE_SIZE, PROT_NONE);
	mem_miss(ms, a, false, &reply);
	EXPECT_EQ(reply.status, -EACCES);
	mem_miss(ms, VMA_TASK_SIZE + PAGE_SIZE, false, &reply);
	EXPECT_EQ(reply.status, -EFAULT);
	drop(ms);
}

static void test_flush_then_miss(void)
{
	struct mem_space *ms = new_space(2);
	u8 line[PAGE_SIZE];
	u64 a = 0x20000000;

	ASSERT(ms);
	map_anon(ms, a, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	memset(line, 0xab, sizeof(line));
	line[17] = 1;
	EXPECT_EQ(mem_flush(ms, a + PAGE_SIZE, line), 0);
	EXPECT_EQ(mem_miss(ms, a + PAGE_SIZE, false, &reply), sizeof(reply));
	EXPECT(reply.kind == MEM_MISS_DATA && !memcmp(reply.data, line, PAGE_SIZE));
	EXPECT_EQ(mem_flush(ms, a + 1, line), -EINVAL);
	EXPECT_EQ(mem_flush(ms, a + 4 * PAGE_SIZE, line), -EFAULT);
	/* mremap carries the data; munmap frees it */
	EXPECT_EQ(mem_munmap(ms, a, PAGE_SIZE), 0);
	map_anon(ms, a + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ);	/* no growing in place */
	struct mem_mremap_req mr = { .old_addr = a + PAGE_SIZE, .old_len = PAGE_SIZE,
				     .new_len = 3 * PAGE_SIZE, .flags = MREMAP_MAYMOVE };
	long to = mem_mremap(ms, &mr);
	EXPECT(to > 0 && (u64)to != a + PAGE_SIZE);
	mem_miss(ms, to, false, &reply);
	EXPECT(reply.kind == MEM_MISS_DATA && reply.data[17] == 1);
	mem_miss(ms, a + PAGE_SIZE, false, &reply);
	EXPECT_EQ(reply.status, -EFAULT);
	EXPECT_EQ(mem_munmap(ms, to, 3 * PAGE_SIZE), 0);
	EXPECT_EQ(mem_munmap(ms, a + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	EXPECT_EQ(mem_space_nr_pages(ms), 0);
	drop(ms);
}

#define MOVE_PAGES 1100	/* spans three 2 MiB leaf nodes of the page table */

/*
 * A read miss naming the image page at its address gets MEM_MISS_SAME, only
 * while the vma is read-only and the page still holds the image's bytes.
 */
static void test_miss_known_image_page(void)
{
	struct mem_space *ms = new_space(3);
	struct mem_miss_req req = { .addr = 0x30000000, .known = { 5, 0x300000000000042ULL } };
	struct mem_page *page;
	u8 line[PAGE_SIZE] = { 7 };

	ASSERT(ms);
	map_anon(ms, req.addr, PAGE_SIZE, PROT_READ | PROT_WRITE);
	EXPECT_EQ(mem_flush(ms, req.addr, line), 0);
	page = pt_lookup(&ms->pt, req.addr);
	ASSERT(page);
	page->image_id = req.known[1];	/* as image_cache_store() tags it */
	EXPECT_EQ(mem_miss_req(ms, &req, &reply), sizeof(reply));	/* writable: a copy */
	EXPECT(reply.kind == MEM_MISS_DATA && reply.image_id == req.known[1] && reply.data[0] == 7);
	EXPECT_EQ(mem_mprotect(ms, req.addr, PAGE_SIZE, PROT_READ | PROT_EXEC), 0);
	EXPECT_EQ(mem_miss_req(ms, &req, &reply), MEM_MISS_REPLY_HDR);
	EXPECT(reply.kind == MEM_MISS_SAME && reply.which == 1 && reply.prot == (PROT_READ | PROT_EXEC));
	req.known[1] = 6;	/* not the page's id */
	EXPECT_EQ(mem_miss_req(ms, &req, &reply), sizeof(reply));
	EXPECT(reply.kind == MEM_MISS_DATA && reply.image_id == 0x300000000000042ULL);
	req.known[1] = reply.image_id;
	EXPECT_EQ(mem_flush(ms, req.addr, line), 0);	/* a store: no longer the image's bytes */
	EXPECT_EQ(mem_miss_req(ms, &req, &reply), sizeof(reply));
	EXPECT(reply.kind == MEM_MISS_DATA && reply.image_id == 0);
	drop(ms);
}

/* Stored page i holds i + 1 in its first bytes; 0 when all read back from to. */
static int moved_pages_bad(struct mem_space *ms, u64 to)
{
	int bad = 0;

	for (u32 i = 0; i < MOVE_PAGES; i++) {
		mem_miss(ms, to + (u64)i * PAGE_SIZE, false, &reply);
		bad += reply.kind != MEM_MISS_DATA || memcmp(reply.data, &(u32){ i + 1 }, 4);
	}
	return bad;
}

/* An mremap whose distance is no multiple of 2 MiB: each page lands in the right leaf. */
static void test_mremap_across_leaf_nodes(void)
{
	struct mem_space *ms = new_space(4);
	u64 a = 0x40000000 + 100 * PAGE_SIZE, to = 0x80000000 + 37 * PAGE_SIZE;
	u8 line[PAGE_SIZE] = { 0 };

	ASSERT(ms);
	map_anon(ms, a, MOVE_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	for (u32 i = 0; i < MOVE_PAGES; i++) {
		memcpy(line, &(u32){ i + 1 }, 4);
		mem_flush(ms, a + (u64)i * PAGE_SIZE, line);
	}
	struct mem_mremap_req mr = { .old_addr = a, .old_len = MOVE_PAGES * PAGE_SIZE,
				     .new_len = MOVE_PAGES * PAGE_SIZE,
				     .flags = MREMAP_MAYMOVE | MREMAP_FIXED, .new_addr = to };
	EXPECT_EQ(mem_mremap(ms, &mr), (long)to);
	EXPECT_EQ(moved_pages_bad(ms, to), 0);
	EXPECT_EQ(mem_space_nr_pages(ms), MOVE_PAGES);
	mem_miss(ms, a, false, &reply);
	EXPECT_EQ(reply.status, -EFAULT);	/* the old range is gone */
	drop(ms);
}

static void test_destroy_frees_everything(void)
{
	long before = pages_out;
	struct mem_space *ms = new_space(3);
	u8 line[PAGE_SIZE] = { 1 };

	ASSERT(ms);
	map_anon(ms, 0x10000, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	map_anon(ms, 0x7f0000000000, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 64; i++) {
		mem_flush(ms, 0x10000 + i * PAGE_SIZE, line);
		mem_miss(ms, 0x7f0000000000 + i * PAGE_SIZE, true, &reply);
	}
	EXPECT_EQ(mem_space_nr_pages(ms), 128);
	EXPECT(pages_out > before + 128);
	struct mem_space *again = mem_space_get(0, 3);	/* a handler still holding it */
	drop(ms);
	EXPECT(pages_out > before);	/* alive until the last put */
	mem_space_put(again);
	EXPECT_EQ(pages_out, before);
}

/* A tiny static program: text (R+X) at 0x400000 holding 0xc3 bytes, data + bss after. */
static u8 image[0x300];

static void build_image(u16 type, u64 text_vaddr)
{
	struct elf64_ehdr *eh = (void *)image;
	struct elf64_phdr *ph = (void *)(image + sizeof(*eh));

	memset(image, 0, sizeof(image));
	memcpy(eh->e_ident, "\x7f" "ELF\x02\x01\x01", 7);
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = text_vaddr + 0x200;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = text_vaddr,
				     .p_filesz = 0x280, .p_memsz = 0x280 };
	ph[1] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x280,
				     .p_vaddr = text_vaddr + 0x1280, .p_filesz = 0x80, .p_memsz = 0x3000 };
	memset(image + 0x200, 0xc3, 0x80);
	memset(image + 0x280, 0x5a, 0x80);
}

static const char *const test_argv[] = { "/bin/t", "hello" };
static const char *const test_envp[] = { "HOME=/" };

static int load(struct mem_space *ms, size_t size, struct exec_result *res)
{
	struct exec_args args = { .argv = test_argv, .argc = 2, .envp = test_envp, .envc = 1,
				  .execfn = "/bin/t", .random = "0123456789abcdef" };
	struct file_reader r;

	file_reader_init_buffer(&r, image, size);
	return mem_exec_load(ms, &r, &args, res);
}

static void test_exec_static(void)
{
	struct mem_space *ms = new_space(4);
	struct exec_result res;
	u64 v;

	ASSERT(ms);
	build_image(ET_EXEC, 0x400000);
	ASSERT_EQ(load(ms, sizeof(image), &res), 0);
	EXPECT_EQ(res.entry, 0x400200);
	EXPECT_EQ(res.sp % 16, 0);
	mem_miss(ms, 0x400000, false, &reply);
	EXPECT(reply.kind == MEM_MISS_DATA && reply.prot == (PROT_READ | PROT_EXEC));
	EXPECT(reply.data[0x200] == 0xc3 && reply.data[0] == 0x7f);
	mem_miss(ms, 0x401000, false, &reply);	/* data page: file bytes, then bss zero */
	EXPECT(reply.data[0x280] == 0x5a && reply.data[0x300] == 0 && reply.prot == (PROT_READ | PROT_WRITE));
	mem_miss(ms, 0x403000, false, &reply);	/* all-bss page: never written */
	EXPECT_EQ(reply.kind, MEM_MISS_ZERO);
	EXPECT_EQ(ms->vs.start_brk, 0x405000);
	EXPECT_EQ(mem_brk(ms, 0x406000), 0x406000);
	mem_miss(ms, res.sp, false, &reply);	/* argc at sp */
	memcpy(&v, reply.data + (res.sp & ~PAGE_MASK), 8);
	EXPECT(reply.kind == MEM_MISS_DATA && v == 2);
	EXPECT_EQ(load(ms, sizeof(image), &res), -EBUSY);
	drop(ms);
}

static void test_exec_static_pie_and_errors(void)
{
	struct mem_space *ms = new_space(5);
	struct exec_result res;

	ASSERT(ms);
	build_image(ET_DYN, 0);
	ASSERT_EQ(load(ms, sizeof(image), &res), 0);
	EXPECT_EQ(res.entry, ELF_ET_DYN_BASE + 0x200);
	mem_miss(ms, ELF_ET_DYN_BASE, false, &reply);
	EXPECT(reply.kind == MEM_MISS_DATA && reply.data[0x200] == 0xc3);
	drop(ms);

	ms = new_space(6);
	ASSERT(ms);
	EXPECT_EQ(load(ms, 0x2ff, &res), -ENOEXEC);	/* data cut short */
	image[0] = 0;
	EXPECT_EQ(load(ms, sizeof(image), &res), -ENOEXEC);
	drop(ms);
}

int main(void)
{
	long before = pages_out;

	RUN(test_registry);
	RUN(test_miss_kinds);
	RUN(test_flush_then_miss);
	RUN(test_miss_known_image_page);
	RUN(test_mremap_across_leaf_nodes);
	RUN(test_destroy_frees_everything);
	RUN(test_exec_static);
	RUN(test_exec_static_pie_and_errors);
	printf("# pages leaked: %ld\n", pages_out - before);
	return tap_finish() || pages_out != before;
}
