// SPDX-License-Identifier: GPL-2.0
/*
 * exec_image_cache: processes that run the same binary share its pages at
 * the memory node (the exec image cache, managers/memory/image_cache.c),
 * and the sharing never shows:
 *
 *   1. a child execs this binary, writes its initialized data word, pushes
 *      that page and a page of its read-only data out of the pcache
 *      (MADV_PAGEOUT: written back to the memory node, dropped) and reads
 *      both back: its own write, and the file's bytes;
 *   2. a second child execs the binary afterwards and sees the file's data
 *      word (not the first child's write) and the same read-only data;
 *   3. a copy of the binary in /tmp with its data word changed in the file
 *      runs with the new value (a new file version is not served from the
 *      old one's cache), and so does the copy after a second change.
 *
 * Parent: exec_image_cache. Children: exec_image_cache --child EXPECT WRITE.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define FILE_WORD 0x1234abcdu
#define WRITTEN_WORD 0x77u
#define COPY_PATH "/tmp/exec_image_cache_copy"

/* In .data: its bytes come from the file. Volatile: read it from memory each time. */
static volatile unsigned int data_word = FILE_WORD;
/* In .rodata, a page and more, so that one whole page of it is the pattern. */
static const unsigned char pattern[3 * 4096] = { [0 ... 3 * 4096 - 1] = 0xa5 };

static unsigned long pattern_sum(void)
{
	unsigned long sum = 0;

	for (size_t i = 0; i < sizeof(pattern); i++)
		sum += ((const volatile unsigned char *)pattern)[i];
	return sum;
}

static void page_out(const volatile void *addr)
{
	void *page = (void *)((unsigned long)addr & ~(UTEST_PAGE_SIZE - 1));

	CHECK(madvise(page, UTEST_PAGE_SIZE, MADV_PAGEOUT) == 0, "MADV_PAGEOUT %p", page);
}

/* A child: the data word must read expect; then write it (if asked) and page both out. */
static int child_main(unsigned int expect, bool write)
{
	utest_start("exec_image_cache child");
	CHECK(data_word == expect, "data word %#x, want %#x", data_word, expect);
	CHECK(pattern_sum() == 0xa5ul * sizeof(pattern), "read-only data changed");
	if (write) {
		data_word = WRITTEN_WORD;
		page_out(&data_word);
		page_out(pattern + 4096);
		CHECK(data_word == WRITTEN_WORD, "own write lost: %#x", data_word);
		CHECK(pattern_sum() == 0xa5ul * sizeof(pattern), "read-only data after page-out");
	}
	return utest_finish();
}

static int run_child(const char *path, unsigned int expect, bool write)
{
	char word[16];
	char *argv[] = { (char *)path, "--child", word, write ? "1" : "0", NULL };
	pid_t pid;

	snprintf(word, sizeof(word), "%#x", expect);
	pid = fork();
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	return utest_wait_code(pid);
}

/* The file offset of data_word in the binary at path (from its program headers). */
static off_t data_word_offset(int fd)
{
	unsigned long addr = (unsigned long)&data_word;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return -1;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph))
			return -1;
		if (ph.p_type == PT_LOAD && addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_filesz)
			return ph.p_offset + (addr - ph.p_vaddr);
	}
	return -1;	/* a static-PIE: the address is biased; not handled */
}

/* Copy self to COPY_PATH: 0 or -1. */
static int copy_self(const char *self)
{
	static char buf[65536];
	int in = open(self, O_RDONLY), out = open(COPY_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

/* Change the data word's bytes in the copy: 0 or -1. */
static int patch_copy(unsigned int value)
{
	int fd = open(COPY_PATH, O_RDWR);
	off_t off = fd < 0 ? -1 : data_word_offset(fd);
	int ok = off >= 0 && pwrite(fd, &value, sizeof(value), off) == sizeof(value);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static void check_new_versions(const char *self)
{
	if (copy_self(self)) {
		CHECK(0, "copy %s to %s", self, COPY_PATH);
		return;
	}
	CHECK(run_child(COPY_PATH, FILE_WORD, false) == 0, "the copy as written");
	CHECK(patch_copy(0x5678u) == 0, "patch the copy");
	CHECK(run_child(COPY_PATH, 0x5678u, false) == 0, "the copy after one change");
	CHECK(patch_copy(0x9abcu) == 0, "patch the copy again");
	CHECK(run_child(COPY_PATH, 0x9abcu, false) == 0, "the copy after two changes");
	unlink(COPY_PATH);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child"))
		return child_main(strtoul(argv[2], NULL, 0), argv[3][0] == '1');
	utest_start("exec_image_cache");
	CHECK(run_child(argv[0], FILE_WORD, true) == 0, "first child (writes its data)");
	CHECK(run_child(argv[0], FILE_WORD, false) == 0, "second child sees the file's data");
	CHECK(run_child(argv[0], FILE_WORD, true) == 0, "third child (writes again)");
	check_new_versions(argv[0]);
	CHECK(data_word == FILE_WORD, "the parent's data word %#x", data_word);
	return utest_finish();
}
