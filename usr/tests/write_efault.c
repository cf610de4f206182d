// SPDX-License-Identifier: GPL-2.0
/*
 * write_efault: the kernel must check user pointers. write() and writev()
 * from bad addresses (NULL, 1, an unmapped page, kernel addresses, a
 * non-canonical address) must fail with -1/EFAULT, never crash the kernel
 * or print the bytes; a good write afterwards still works.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "utest.h"

struct bad_address {
	const char *what;
	uintptr_t address;
};

static const struct bad_address bad_addresses[] = {
	{ "NULL", 0 },
	{ "address 1", 1 },
	{ "the kernel direct map", 0xffff888000000000UL },
	{ "the kernel image", 0xffffffff80000000UL },
	{ "a non-canonical address", 0x0000800000000000UL },
	{ "the last byte of the address space", UINTPTR_MAX },
};

/* An address that was mapped a moment ago: user range, but nothing there. */
static uintptr_t unmapped_user_page(void)
{
	void *p = mmap(NULL, UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, UTEST_PAGE_SIZE))
		utest_die("mmap/munmap failed: %s", strerror(errno));
	return (uintptr_t)p;
}

static void expect_efault(const char *call, const char *what, ssize_t ret)
{
	int err = errno;

	CHECK(ret == -1 && err == EFAULT, "%s from %s returned %zd errno %d (%s), want EFAULT",
	      call, what, ret, err, strerror(err));
	if (ret == -1 && err == EFAULT)
		printf("write_efault: %s from %s: EFAULT\n", call, what);
}

static void check_write(const char *what, uintptr_t address)
{
	struct iovec iov = { .iov_base = (void *)address, .iov_len = 10 };

	errno = 0;
	expect_efault("write", what, write(1, (const void *)address, 10));
	errno = 0;
	expect_efault("writev", what, writev(1, &iov, 1));
}

int main(void)
{
	static const char good[] = "write_efault: a good write still works\n";
	uintptr_t hole;

	utest_start("write_efault");
	hole = unmapped_user_page();
	for (size_t i = 0; i < sizeof(bad_addresses) / sizeof(bad_addresses[0]); i++)
		check_write(bad_addresses[i].what, bad_addresses[i].address);
	check_write("an unmapped user page", hole);
	errno = 0;
	expect_efault("writev", "a bad iovec array", writev(1, (const struct iovec *)hole, 1));
	CHECK(write(1, good, strlen(good)) == (ssize_t)strlen(good), "good write failed: %s",
	      strerror(errno));
	return utest_finish();
}
