// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_poll: pipes, poll, ppoll and select in one process. A pipe
 * carries bytes in order, holds 64 KiB, keeps writes of up to PIPE_BUF
 * whole, reports EOF/EPIPE/EAGAIN, and poll/select see what it is ready
 * for; timeouts wait about as long as asked; bad arguments get Linux's
 * errnos. When fork works, a producer/consumer pair also runs across fork
 * (blocking reads and writes, EOF when the producer exits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define PIPE_CAPACITY 65536

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An address the compiler cannot see through (it would warn about the call). */
static void *bad_pointer(uintptr_t address)
{
	volatile uintptr_t hidden = address;

	return (void *)hidden;
}

static void make_pipe(int fds[2], int flags)
{
	if (pipe2(fds, flags))
		utest_die("pipe2(%#x): %s", flags, strerror(errno));
}

static void test_round_trip(void)
{
	char buf[16] = "";
	struct stat st;
	int fds[2];

	if (pipe(fds))
		utest_die("pipe: %s", strerror(errno));
	CHECK(write(fds[1], "hello", 5) == 5, "write to a pipe");
	CHECK(read(fds[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5),
	      "read back what was written");
	CHECK(fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat says FIFO");
	CHECK(lseek(fds[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek: ESPIPE");
	CHECK(write(fds[1], "abcd", 4) == 4, "write 4 more");
	{
		char a[4], b[16];
		struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };

		CHECK(readv(fds[0], iov, 2) == 4 && !memcmp(a, "abcd", 4),
		      "readv returns what there is instead of waiting to fill the second iovec");
	}
	CHECK(write(fds[0], "x", 1) == -1 && errno == EBADF, "write to the read end: EBADF");
	close(fds[1]);
	CHECK(read(fds[0], buf, sizeof(buf)) == 0, "EOF once the writer closed");
	close(fds[0]);
}

static void test_flags(void)
{
	int fds[2];

	CHECK(pipe2(fds, O_APPEND) == -1 && errno == EINVAL, "pipe2(O_APPEND): EINVAL");
	CHECK(pipe(bad_pointer(1)) == -1 && errno == EFAULT, "pipe(bad pointer): EFAULT");
	make_pipe(fds, O_CLOEXEC | O_NONBLOCK);
	CHECK(fcntl(fds[0], F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
	CHECK(fcntl(fds[1], F_GETFL) & O_NONBLOCK, "O_NONBLOCK shows in F_GETFL");
	close(fds[0]);
	close(fds[1]);
}

/* Fill a non-blocking pipe: the bytes it took. */
static long fill(int fd)
{
	static char chunk[4096];
	long total = 0, n;

	while ((n = write(fd, chunk, sizeof(chunk))) > 0)
		total += n;
	return total;
}

static void test_nonblocking_capacity(void)
{
	char big[5000] = { 0 };
	int fds[2];

	make_pipe(fds, O_NONBLOCK);
	CHECK(read(fds[0], big, 1) == -1 && errno == EAGAIN, "empty read: EAGAIN");
	CHECK(fill(fds[1]) == PIPE_CAPACITY && errno == EAGAIN, "holds 64 KiB, then EAGAIN");
	CHECK(read(fds[0], big, 100) == 100, "make room for 100 bytes");
	CHECK(write(fds[1], big, 200) == -1 && errno == EAGAIN,
	      "200 bytes (<= PIPE_BUF) into 100 free: EAGAIN, nothing split");
	CHECK(read(fds[0], big, 3996) == 3996, "make room for 4096 bytes");
	CHECK(write(fds[1], big, sizeof(big)) == 4096, "5000 bytes (> PIPE_BUF): a partial write");
	close(fds[0]);
	close(fds[1]);
}

static void test_epipe(void)
{
	int fds[2];

	signal(SIGPIPE, SIG_IGN);	/* the errno, not the signal, is checked here */
	make_pipe(fds, 0);
	close(fds[0]);
	CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE, "write without readers: EPIPE");
	close(fds[1]);
}

static void test_poll_pipe(void)
{
	struct pollfd p[2];
	int fds[2];
	char c;

	make_pipe(fds, 0);
	p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
	CHECK(poll(p, 2, 0) == 1 && !p[0].revents && p[1].revents == POLLOUT,
	      "empty pipe: only the write end is ready");
	CHECK(write(fds[1], "y", 1) == 1, "write one byte");
	CHECK(poll(p, 1, 0) == 1 && p[0].revents == POLLIN, "then the read end is");
	close(fds[1]);
	CHECK(poll(p, 1, 0) == 1 && (p[0].revents & POLLHUP), "POLLHUP after the writer closed");
	CHECK(read(fds[0], &c, 1) == 1 && read(fds[0], &c, 1) == 0, "data, then EOF");
	close(fds[0]);
}

static void test_poll_timeouts(void)
{
	struct timespec ts = { 0, 50 * 1000000L };
	struct pollfd p;
	long start;
	int fds[2];

	make_pipe(fds, 0);
	p = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	start = now_ms();
	CHECK(poll(&p, 1, 60) == 0, "poll times out on an empty pipe");
	CHECK(now_ms() - start >= 50, "after about 60 ms (%ld)", now_ms() - start);
	start = now_ms();
	CHECK(ppoll(&p, 1, &ts, NULL) == 0, "ppoll times out too");
	CHECK(now_ms() - start >= 40, "after about 50 ms (%ld)", now_ms() - start);
	close(fds[0]);
	close(fds[1]);
}

static void test_poll_errors(void)
{
	struct pollfd p = { .fd = 999, .events = POLLIN };
	struct rlimit rl;
	int null = open("/dev/null", O_RDWR);

	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLNVAL, "closed fd: POLLNVAL");
	p = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 7 };
	CHECK(poll(&p, 1, 0) == 0 && p.revents == 0, "negative fd is ignored");
	CHECK(poll(bad_pointer(8), 1, 0) == -1 && errno == EFAULT, "bad array: EFAULT");
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK(poll(&p, rl.rlim_cur + 1, 0) == -1 && errno == EINVAL, "nfds > RLIMIT_NOFILE: EINVAL");
	p = (struct pollfd){ .fd = null, .events = POLLIN | POLLOUT };
	CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "/dev/null is always ready");
	close(null);
	null = open("/etc/passwd", O_RDONLY);
	p = (struct pollfd){ .fd = null, .events = POLLIN | POLLOUT };
	CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "a stored file is always ready");
	p = (struct pollfd){ .fd = 1, .events = POLLOUT };
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "the console is writable");
	close(null);
}

static void test_select(void)
{
	struct timeval tv = { 0, 0 };
	fd_set rd, wr;
	int fds[2];

	make_pipe(fds, 0);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	CHECK(select(fds[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(fds[0], &rd),
	      "select: empty pipe not readable");
	write(fds[1], "z", 1);
	FD_SET(fds[0], &rd);
	FD_ZERO(&wr);
	FD_SET(fds[1], &wr);
	CHECK(select(fds[1] + 1, &rd, &wr, NULL, NULL) == 2 && FD_ISSET(fds[0], &rd) &&
	      FD_ISSET(fds[1], &wr), "select: readable and writable");
	FD_ZERO(&rd);
	FD_SET(50, &rd);
	CHECK(select(51, &rd, NULL, NULL, &tv) == -1 && errno == EBADF, "select closed fd: EBADF");
	CHECK(select(-1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL, "select nfds < 0: EINVAL");
	close(fds[0]);
	close(fds[1]);
}

/* The child writes 1 MiB in odd-sized pieces; the parent counts and checks it. */
static void test_across_fork(void)
{
	static char buf[7001];
	long total = 0, n, i;
	int fds[2], status;
	pid_t pid;

	make_pipe(fds, 0);
	pid = fork();
	if (pid < 0) {
		printf("pipe_poll: fork: %s: producer/consumer skipped\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		for (i = 0; i < (long)sizeof(buf); i++)
			buf[i] = (char)(i % 251);
		for (i = 0; i < 150; i++)
			write(fds[1], buf, sizeof(buf));
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += n;
	CHECK(total == 150L * (long)sizeof(buf), "consumer got every byte (%ld)", total);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "producer exited");
	close(fds[0]);
}

int main(void)
{
	utest_start("pipe_poll");
	test_round_trip();
	test_flags();
	test_nonblocking_capacity();
	test_epipe();
	test_poll_pipe();
	test_poll_timeouts();
	test_poll_errors();
	test_select();
	test_across_fork();
	return utest_finish();
}
