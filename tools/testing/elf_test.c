// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of exec's pure parts: the ELF validator (managers/memory/elf.c)
 * on a hand-built image and its malformed variants, every truncation and
 * random byte flips (under ASan: no bad access whatever the input), real
 * static binaries compiled now with gcc -static and -static-pie, and the
 * initial stack builder (managers/memory/stack.c) read back the way a libc
 * start-up does.
 */
// test-sources: managers/memory/elf.c managers/memory/stack.c
#include <mosaic/errno.h>
#include <unistd.h>
#include "../../managers/memory/elf.h"
#include "../../managers/memory/stack.h"
#include "../../managers/memory/vma.h"
#include "tap.h"

/* ---------------------------------------------------------------- a hand-built image */

#define IMG_SIZE 0x210
#define TEXT_VADDR 0x400000UL
#define DATA_VADDR 0x401200UL

struct image {
	union {
		u8 bytes[IMG_SIZE];
		struct {
			struct elf64_ehdr eh;
			struct elf64_phdr ph[3];
		};
	};
};

static void make_image(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, "\x7f" "ELF", 4);
	im->eh.e_ident[4] = ELFCLASS64;
	im->eh.e_ident[5] = ELFDATA2LSB;
	im->eh.e_ident[6] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = TEXT_VADDR + 0x100;
	im->eh.e_phoff = sizeof(struct elf64_ehdr);
	im->eh.e_ehsize = sizeof(struct elf64_ehdr);
	im->eh.e_phentsize = sizeof(struct elf64_phdr);
	im->eh.e_phnum = 3;
	im->ph[0] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
					 .p_vaddr = TEXT_VADDR, .p_filesz = 0x200, .p_memsz = 0x200,
					 .p_align = PAGE_SIZE };
	im->ph[1] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x200,
					 .p_vaddr = DATA_VADDR, .p_filesz = 0x10, .p_memsz = 0x2000,
					 .p_align = PAGE_SIZE };
	im->ph[2] = (struct elf64_phdr){ .p_type = 4 /* PT_NOTE */ };
}

static int parse(const void *buf, u64 size, struct elf_info *info)
{
	struct file_reader r;

	file_reader_init_buffer(&r, buf, size);
	return elf_parse(&r, info);
}

static void test_good_image(void)
{
	static struct elf_info info;
	struct image im;

	make_image(&im);
	ASSERT_EQ(parse(&im, IMG_SIZE, &info), 0);
	EXPECT_EQ(info.lo, TEXT_VADDR);
	EXPECT_EQ(info.hi, DATA_VADDR - 0x200 + 0x3000);
	EXPECT_EQ(info.load_bias, 0);
	EXPECT_EQ(info.phdr_vaddr, TEXT_VADDR + 64);
	EXPECT_EQ(elf_prot(im.ph[0].p_flags), PROT_READ | PROT_EXEC);
}

/* One malformation: edit the image, then expect -ENOEXEC and this reason. */
struct bad_case {
	const char *name;
	void (*edit)(struct image *im);
	const char *reason;
};

static void bad_magic(struct image *im) { im->eh.e_ident[1] = 'X'; }
static void bad_class(struct image *im) { im->eh.e_ident[4] = 1; }
static void bad_machine(struct image *im) { im->eh.e_machine = 3; }
static void bad_type(struct image *im) { im->eh.e_type = 1; }
static void bad_phentsize(struct image *im) { im->eh.e_phentsize = 32; }
static void phnum_zero(struct image *im) { im->eh.e_phnum = 0; }
static void phnum_huge(struct image *im) { im->eh.e_phnum = ELF_MAX_PHNUM + 1; }
static void phoff_beyond(struct image *im) { im->eh.e_phoff = IMG_SIZE - 100; }
static void phoff_wraps(struct image *im) { im->eh.e_phoff = -8UL; }
static void filesz_gt_memsz(struct image *im) { im->ph[1].p_filesz = 0x3000; }
static void overlap(struct image *im) { im->ph[1].p_vaddr = TEXT_VADDR + 0x1f0 + 0x1000; im->ph[1].p_offset = 0x1f0; im->ph[0].p_memsz = 0x2000; }
static void out_of_order(struct image *im) { im->ph[1].p_vaddr = 0x300200; }
static void huge_memsz(struct image *im) { im->ph[1].p_memsz = 1UL << 40; }
static void memsz_wraps(struct image *im) { im->ph[1].p_memsz = -0x1000UL; }
static void misaligned(struct image *im) { im->ph[1].p_offset = 0x201; im->ph[1].p_filesz = 0xf; }
static void data_beyond(struct image *im) { im->ph[1].p_filesz = 0x100; }
static void entry_in_data(struct image *im) { im->eh.e_entry = DATA_VADDR; }
static void entry_nowhere(struct image *im) { im->eh.e_entry = 0x10; }
static void interp(struct image *im) { im->ph[2].p_type = PT_INTERP; }
static void no_load(struct image *im) { im->ph[0].p_type = im->ph[1].p_type = 0; }
static void beyond_user(struct image *im) { im->ph[1].p_vaddr = VMA_TASK_SIZE - 0x1000 + 0x200; }
static void below_min(struct image *im) { im->ph[0].p_vaddr = 0; im->eh.e_entry = 0x100; }
static void bad_align(struct image *im) { im->ph[0].p_align = 0x3000; }

static const struct bad_case bad_cases[] = {
	{ "bad magic", bad_magic, "bad magic" },
	{ "32-bit class", bad_class, "64-bit" },
	{ "i386 machine", bad_machine, "x86-64" },
	{ "ET_REL", bad_type, "not an executable" },
	{ "phentsize", bad_phentsize, "header size" },
	{ "phnum 0", phnum_zero, "too many" },
	{ "phnum too many", phnum_huge, "too many" },
	{ "phdrs beyond file", phoff_beyond, "beyond the end" },
	{ "phoff wraps", phoff_wraps, "beyond the end" },
	{ "filesz > memsz", filesz_gt_memsz, "p_filesz > p_memsz" },
	{ "overlapping loads", overlap, "overlap" },
	{ "loads out of order", out_of_order, "overlap" },
	{ "huge memsz", huge_memsz, "too large" },
	{ "memsz wraps", memsz_wraps, "too large" },
	{ "misaligned offset", misaligned, "misaligned" },
	{ "data beyond file", data_beyond, "beyond the end" },
	{ "entry in data", entry_in_data, "entry point" },
	{ "entry nowhere", entry_nowhere, "entry point" },
	{ "PT_INTERP", interp, "PT_INTERP" },
	{ "no PT_LOAD", no_load, "no PT_LOAD" },
	{ "beyond user space", beyond_user, "outside user space" },
	{ "below mmap_min_addr", below_min, "lowest mappable" },
	{ "p_align not power of 2", bad_align, "power of two" },
};

static void test_malformed_images(void)
{
	static struct elf_info info;
	struct image im;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		make_image(&im);
		bad_cases[i].edit(&im);
		if (!EXPECT_EQ(parse(&im, IMG_SIZE, &info), -ENOEXEC) ||
		    !EXPECT(info.error && strstr(info.error, bad_cases[i].reason)))
			printf("#   case \"%s\": %s\n", bad_cases[i].name, info.error);
	}
}

static void test_every_truncation(void)
{
	static struct elf_info info;
	struct image im;

	make_image(&im);
	for (u64 len = 0; len < IMG_SIZE; len++) {
		u8 *copy = malloc(len + 1);	/* exact size: ASan sees any overread */

		memcpy(copy, &im, len);
		EXPECT_EQ(parse(copy, len, &info), -ENOEXEC);
		free(copy);
	}
}

static void test_random_flips(void)
{
	static struct elf_info info;
	u64 x = 0x243f6a8885a308d3ULL;
	struct image im;
	int accepted = 0;

	for (int iter = 0; iter < 20000; iter++) {
		make_image(&im);
		for (int k = 0; k < 4; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			im.bytes[x % (64 + 3 * 56)] ^= 1u << (x >> 32) % 8;
		}
		int err = parse(&im, IMG_SIZE, &info);

		EXPECT(err == 0 || err == -ENOEXEC);
		accepted += err == 0;
		if (err == 0)	/* whatever got through obeys the invariants */
			EXPECT(info.hi > info.lo && info.hi - info.lo <= ELF_MAX_IMAGE);
	}
	printf("# %d of 20000 flipped images accepted\n", accepted);
}

/* ---------------------------------------------------------------- real binaries */

static u8 *compile_and_read(const char *flags, u64 *size)
{
	char dir[] = "/tmp/elf_test.XXXXXX", cmd[512], path[256];
	u8 *buf = NULL;
	FILE *f;

	if (!mkdtemp(dir))
		return NULL;
	host_snprintf(cmd, sizeof(cmd),
		      "printf 'void _start(void){__asm__ volatile(\"mov $60,%%%%eax;xor %%%%edi,%%%%edi;syscall\");}' > %s/p.c"
		      " && gcc %s -nostdlib -o %s/p %s/p.c 2>/dev/null", dir, flags, dir, dir);
	host_snprintf(path, sizeof(path), "%s/p", dir);
	if (system(cmd) == 0 && (f = fopen(path, "rb"))) {
		fseek(f, 0, SEEK_END);
		*size = ftell(f);
		rewind(f);
		buf = malloc(*size);
		if (fread(buf, 1, *size, f) != *size)
			*size = 0;
		fclose(f);
	}
	host_snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd)) { /* best effort */ }
	return buf;
}

static void check_real_binary(const char *flags, u16 type)
{
	static struct elf_info info;
	u64 size = 0;
	u8 *img = compile_and_read(flags, &size);

	if (!img || !size) {
		printf("# gcc %s unavailable: skipped\n", flags);
		free(img);
		return;
	}
	EXPECT_EQ(parse(img, size, &info), 0);
	EXPECT_EQ(info.ehdr.e_type, type);
	if (type == ET_DYN)
		EXPECT_EQ(info.lo + info.load_bias, ELF_ET_DYN_BASE);
	EXPECT(info.phdr_vaddr != 0);
	u64 data_end = 0;	/* past it lie only section headers and symbols */
	for (int i = 0; i < info.ehdr.e_phnum; i++)
		if (info.phdr[i].p_type == PT_LOAD)
			data_end = max(data_end, info.phdr[i].p_offset + info.phdr[i].p_filesz);
	for (u64 len = 0; len < data_end; len += 97)	/* truncations of the real file */
		EXPECT(parse(img, len, &info) == -ENOEXEC);
	img[18] = 3;	/* EM_386 */
	EXPECT_EQ(parse(img, size, &info), -ENOEXEC);
	free(img);
}

static void test_gcc_static(void) { check_real_binary("-static", ET_EXEC); }
static void test_gcc_static_pie(void) { check_real_binary("-static-pie -fPIE", ET_DYN); }

/* ---------------------------------------------------------------- the initial stack */

#define STK_TOP 0x7ffffffff000UL
#define STK_SIZE (STACK_ARGS_MAX + 4 * PAGE_SIZE)

static u8 stk[STK_SIZE];

static u64 word_at(u64 addr) { u64 v; memcpy(&v, stk + (addr - (STK_TOP - STK_SIZE)), 8); return v; }
static const char *str_at(u64 addr) { return (const char *)stk + (addr - (STK_TOP - STK_SIZE)); }

static void test_stack_layout(void)
{
	const char *argv[] = { "/bin/prog", "-x", "" }, *envp[] = { "A=1", "PATH=/bin" };
	const u8 rnd[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	const struct auxv_entry aux[] = { { AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, 0x401000 } };
	struct stack_args a = { .argv = argv, .argc = 3, .envp = envp, .envc = 2,
				.execfn = "/bin/prog", .random = rnd, .aux = aux, .naux = 2 };
	u64 sp, p;

	ASSERT_EQ(stack_build(&a, STK_TOP, stk, STK_SIZE, &sp), 0);
	EXPECT_EQ(sp % 16, 0);
	EXPECT_EQ(word_at(sp), 3);
	EXPECT_STREQ(str_at(word_at(sp + 8)), "/bin/prog");
	EXPECT_STREQ(str_at(word_at(sp + 16)), "-x");
	EXPECT_STREQ(str_at(word_at(sp + 24)), "");
	EXPECT_EQ(word_at(sp + 32), 0);
	EXPECT_STREQ(str_at(word_at(sp + 40)), "A=1");
	EXPECT_STREQ(str_at(word_at(sp + 48)), "PATH=/bin");
	EXPECT_EQ(word_at(sp + 56), 0);
	p = sp + 64;
	EXPECT_EQ(word_at(p), AT_PAGESZ);
	EXPECT_EQ(word_at(p + 24), 0x401000);
	EXPECT_EQ(word_at(p + 32), AT_RANDOM);
	EXPECT(!memcmp(str_at(word_at(p + 40)), rnd, 16));
	EXPECT_EQ(word_at(p + 48), AT_EXECFN);
	EXPECT_STREQ(str_at(word_at(p + 56)), "/bin/prog");
	EXPECT_EQ(word_at(p + 64), AT_NULL);
	EXPECT(word_at(p + 72) == 0 && p + 80 <= word_at(p + 40));	/* vectors below the data */
	EXPECT_EQ(word_at(STK_TOP - 8), 0);
}

static void test_stack_limits(void)
{
	static char big[STACK_STRING_MAX + 1];
	const char *argv[] = { big }, *many[2000];
	const u8 rnd[16] = { 0 };
	struct stack_args a = { .argv = argv, .argc = 1, .execfn = "x", .random = rnd };
	u64 sp;

	memset(big, 'a', STACK_STRING_MAX);
	EXPECT_EQ(stack_build(&a, STK_TOP, stk, STK_SIZE, &sp), -E2BIG);	/* one too long */
	big[STACK_STRING_MAX - 1] = 0;
	EXPECT_EQ(stack_build(&a, STK_TOP, stk, STK_SIZE, &sp), 0);
	EXPECT_EQ(stack_build(&a, STK_TOP, stk, 64 * 1024, &sp), -E2BIG);	/* buffer too small */
	big[200] = 0;
	for (int i = 0; i < 2000; i++)
		many[i] = big;	/* 2000 * 201 bytes > STACK_ARGS_MAX */
	a.argv = many;
	a.argc = 2000;
	EXPECT_EQ(stack_build(&a, STK_TOP, stk, STK_SIZE, &sp), -E2BIG);
	a.argc = 500;	/* 100 KB */
	EXPECT_EQ(stack_build(&a, STK_TOP, stk, STK_SIZE, &sp), 0);
	EXPECT_EQ(sp % 16, 0);
}

int main(void)
{
	RUN(test_good_image);
	RUN(test_malformed_images);
	RUN(test_every_truncation);
	RUN(test_random_flips);
	RUN(test_gcc_static);
	RUN(test_gcc_static_pie);
	RUN(test_stack_layout);
	RUN(test_stack_limits);
	return tap_finish();
}
