// SPDX-License-Identifier: GPL-2.0
/*
 * isolation: a program cannot reach the kernel or get more rights than its
 * mappings give, directly or through a system call.
 *   - loads, stores and jumps to kernel addresses (the kernel image, the
 *     direct map) and to a non-canonical address raise SIGSEGV;
 *   - a data page (no PROT_EXEC) cannot be executed: SIGSEGV;
 *   - a kernel address handed to write(2), read(2) or clock_gettime(2)
 *     gives EFAULT and the kernel carries on;
 *   - after mprotect(PROT_READ) a store faults, also in a forked child,
 *     and fork does not widen the rights of the child's copy;
 *   - a child's store to a private page it shares with its parent by fork
 *     stays in the child (copy-on-write).
 * The same binary passes on Linux (make test-user-host).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define KERNEL_TEXT ((void *)0xffffffff80100000UL)
#define DIRECT_MAP ((void *)0xffff888000100000UL)
#define NON_CANONICAL ((void *)0x0000800000000000UL)

static sigjmp_buf recover;
static volatile int caught_sig;

static void on_fault(int sig)
{
	caught_sig = sig;
	siglongjmp(recover, 1);
}

static void catch_segv(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	if (sigaction(SIGSEGV, &sa, NULL))
		utest_die("sigaction: %s", strerror(errno));
}

/*
 * Run fn(addr); true when it died of SIGSEGV into on_fault. Not inlined:
 * the jump buffer must belong to a frame whose locals do not change after
 * sigsetjmp.
 */
static __attribute__((noinline)) int segv(void (*fn)(void *), void *addr)
{
	caught_sig = 0;
	if (sigsetjmp(recover, 1) == 0) {
		fn(addr);
		return 0;
	}
	return caught_sig == SIGSEGV;
}

static void load(void *p) { (void)*(volatile unsigned long *)p; }
static void store(void *p) { *(volatile unsigned long *)p = 0x1234; }
static void jump(void *p) { ((void (*)(void))p)(); }

static void check_kernel_addresses(void)
{
	void *targets[] = { KERNEL_TEXT, DIRECT_MAP, NON_CANONICAL };

	for (unsigned int i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		CHECK(segv(load, targets[i]), "load from %p did not fault", targets[i]);
		CHECK(segv(store, targets[i]), "store to %p did not fault", targets[i]);
		CHECK(segv(jump, targets[i]), "jump to %p did not fault", targets[i]);
	}
}

static void check_no_exec_data(void)
{
	unsigned char *page = mmap(NULL, UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	page[0] = 0xc3;		/* ret */
	CHECK(segv(jump, page), "a data page executed");
	munmap(page, UTEST_PAGE_SIZE);
}

static void check_syscalls_refuse_kernel_pointers(void)
{
	int fds[2];
	char buf[8] = "abcdefg";

	if (pipe(fds))
		utest_die("pipe: %s", strerror(errno));
	errno = 0;
	CHECK(write(fds[1], KERNEL_TEXT, 16) == -1 && errno == EFAULT, "write from kernel: %d", errno);
	CHECK(write(fds[1], buf, sizeof(buf)) == sizeof(buf), "pipe write: %s", strerror(errno));
	errno = 0;
	CHECK(read(fds[0], DIRECT_MAP, sizeof(buf)) == -1 && errno == EFAULT, "read into kernel: %d",
	      errno);
	errno = 0;	/* the raw call: libc's vDSO path would store from user mode */
	CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, DIRECT_MAP) == -1 && errno == EFAULT,
	      "clock_gettime into kernel: %d", errno);
	close(fds[0]);
	close(fds[1]);
}

/* A read-only page stays read-only in a forked child; stores there fault. */
static void check_readonly_across_fork(void)
{
	int *page = mmap(NULL, UTEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status = -1;
	pid_t pid;

	if (page == MAP_FAILED)
		utest_die("mmap: %s", strerror(errno));
	page[0] = 1;
	CHECK(mprotect(page, UTEST_PAGE_SIZE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	CHECK(segv(store, page), "store to a PROT_READ page did not fault");
	pid = fork();
	if (pid == 0)
		_exit(segv(store, page) && page[0] == 1 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child stored to a read-only page");
	munmap(page, UTEST_PAGE_SIZE);
}

static void check_child_store_stays_private(void)
{
	static volatile int shared_by_fork = 7;
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		shared_by_fork = 99;
		_exit(shared_by_fork == 99 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
	CHECK(shared_by_fork == 7, "the child's store reached the parent (%d)", shared_by_fork);
}

int main(void)
{
	utest_start("isolation");
	catch_segv();
	check_kernel_addresses();
	check_no_exec_data();
	check_syscalls_refuse_kernel_pointers();
	check_readonly_across_fork();
	check_child_store_stays_private();
	return utest_finish();
}
