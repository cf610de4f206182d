// SPDX-License-Identifier: GPL-2.0
/*
 * file_calls: the file system calls busybox needs beyond open/read/write:
 * readlink of a stored symlink, truncate/ftruncate, chmod/fchmod,
 * fsync/fdatasync, utimensat, sendfile, and /proc/self/maps from the
 * memory manager. Each with its Linux errnos for bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define PATH "/tmp/file_calls.txt"

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

static unsigned int perms_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_mode & 07777;
}

static int make_file(void)
{
	char data[100];
	int fd = open(PATH, O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0)
		utest_die("open %s: %s", PATH, strerror(errno));
	for (int i = 0; i < 100; i++)
		data[i] = (char)('a' + i % 26);
	if (write(fd, data, sizeof(data)) != sizeof(data))
		utest_die("write: %s", strerror(errno));
	return fd;
}

/* /bin/sh is a symlink (to busybox on Mosaic, to dash on Debian): its target is that file. */
static void test_readlink(void)
{
	char buf[64] = "", target[80];
	ssize_t n = readlink("/bin/sh", buf, sizeof(buf) - 1);
	struct stat via_link, direct;

	CHECK(n > 0, "readlink /bin/sh (%zd)", n);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(target, sizeof(target), buf[0] == '/' ? "%s" : "/bin/%s", buf);
	CHECK(!stat("/bin/sh", &via_link) && !stat(target, &direct) &&
	      via_link.st_ino == direct.st_ino, "its target %s is what /bin/sh opens", target);
	CHECK(readlink("/bin/sh", buf, 3) == 3, "a short buffer gets a cut target");
	CHECK(readlink("/etc/passwd", buf, sizeof(buf)) == -1 && errno == EINVAL,
	      "readlink of a regular file: EINVAL");
	CHECK(readlink("/no/such", buf, sizeof(buf)) == -1 && errno == ENOENT, "ENOENT");
}

static void test_symlink(void)
{
	char buf[64] = "";
	int fd;

	unlink("/tmp/file_calls.lnk");
	CHECK(symlink("file_calls.txt", "/tmp/file_calls.lnk") == 0, "symlink");
	CHECK(readlink("/tmp/file_calls.lnk", buf, sizeof(buf)) == 14 &&
	      !memcmp(buf, "file_calls.txt", 14), "readlink gives the target as stored");
	fd = open("/tmp/file_calls.lnk", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 3) == 3 && !memcmp(buf, "abc", 3),
	      "a relative link opens its target");
	close(fd);
	CHECK(symlink("x", "/tmp/file_calls.lnk") == -1 && errno == EEXIST, "EEXIST");
	CHECK(symlink("", "/tmp/file_calls.lnk2") == -1 && errno == ENOENT, "empty target: ENOENT");
	CHECK(unlink("/tmp/file_calls.lnk") == 0, "unlink the link");
}

static void test_truncate(int fd)
{
	int ro = open(PATH, O_RDONLY), fds[2];

	CHECK(ftruncate(fd, 10) == 0 && size_of(PATH) == 10, "ftruncate to 10");
	CHECK(truncate(PATH, 50) == 0 && size_of(PATH) == 50, "truncate to 50");
	CHECK(ftruncate(ro, 0) == -1 && errno == EINVAL, "ftruncate read-only fd: EINVAL");
	CHECK(truncate(PATH, -1) == -1 && errno == EINVAL, "negative length: EINVAL");
	CHECK(truncate("/tmp", 0) == -1 && errno == EISDIR, "truncate a directory: EISDIR");
	CHECK(ftruncate(99, 0) == -1 && errno == EBADF, "ftruncate bad fd: EBADF");
	CHECK(pipe(fds) == 0 && ftruncate(fds[1], 0) == -1 && errno == EINVAL,
	      "ftruncate a pipe: EINVAL");
	close(fds[0]);
	close(fds[1]);
	close(ro);
}

static void test_chmod_and_sync(int fd)
{
	CHECK(chmod(PATH, 0600) == 0 && perms_of(PATH) == 0600, "chmod 0600");
	CHECK(fchmod(fd, 0640) == 0 && perms_of(PATH) == 0640, "fchmod 0640");
	CHECK(fchmodat(AT_FDCWD, PATH, 0644, 0) == 0 && perms_of(PATH) == 0644, "fchmodat 0644");
	CHECK(chmod("/no/such", 0600) == -1 && errno == ENOENT, "chmod missing: ENOENT");
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync, fdatasync of a file");
	CHECK(fsync(99) == -1 && errno == EBADF, "fsync bad fd: EBADF");
}

static void test_utimensat(void)
{
	struct timespec bad[2] = { { 0, 2000000000L }, { 0, 0 } };
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };

	CHECK(utimensat(AT_FDCWD, PATH, NULL, 0) == 0, "utimensat now");
	CHECK(utimensat(AT_FDCWD, PATH, now, 0) == 0, "UTIME_NOW / UTIME_OMIT");
	CHECK(utimensat(AT_FDCWD, PATH, bad, 0) == -1 && errno == EINVAL, "bad nsec: EINVAL");
	CHECK(utimensat(AT_FDCWD, "/no/such", NULL, 0) == -1 && errno == ENOENT, "ENOENT");
	CHECK(utimensat(AT_FDCWD, PATH, NULL, 0x4) == -1 && errno == EINVAL, "bad flags: EINVAL");
}

static void test_sendfile(int fd)
{
	char buf[32] = "";
	off_t off = 5;
	int fds[2];

	lseek(fd, 0, SEEK_SET);
	if (pipe(fds))
		utest_die("pipe: %s", strerror(errno));
	CHECK(sendfile(fds[1], fd, &off, 4) == 4 && off == 9, "sendfile 4 bytes at offset 5");
	CHECK(read(fds[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "fghi", 4), "they arrive");
	CHECK(lseek(fd, 0, SEEK_CUR) == 0, "the file position did not move");
	CHECK(sendfile(fds[1], fd, NULL, 3) == 3 && lseek(fd, 0, SEEK_CUR) == 3,
	      "without an offset the position moves");
	CHECK(sendfile(fds[1], 99, NULL, 3) == -1 && errno == EBADF, "bad in fd: EBADF");
	CHECK(sendfile(fd, fds[0], &off, 1) == -1 && errno == ESPIPE, "offset on a pipe: ESPIPE");
	close(fds[0]);
	close(fds[1]);
}

/* Count lines of /proc/self/maps that look like Linux's; note stack and code. */
static void test_maps(void)
{
	static char text[16384];
	unsigned long start, end, lines = 0;
	char perms[5], own[64];
	int fd = open("/proc/self/maps", O_RDONLY), stack = 0, code = 0;
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	char *line;

	CHECK(n > 0, "read /proc/self/maps (%zd)", n);
	text[n > 0 ? n : 0] = '\0';
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && start < end)
			lines++;
		stack |= strstr(line, "[stack]") != NULL;
		code |= !strcmp(perms, "r-xp");
	}
	CHECK(lines >= 3 && stack && code, "%lu vma lines, with the stack and the code", lines);
	close(fd);
	snprintf(own, sizeof(own), "/proc/%d/maps", getpid());
	fd = open(own, O_RDONLY);
	CHECK(fd >= 0, "%s opens too", own);
	close(fd);
}

int main(void)
{
	int fd;

	utest_start("file_calls");
	test_readlink();
	fd = make_file();
	test_symlink();
	test_truncate(fd);
	test_chmod_and_sync(fd);
	test_utimensat();
	test_sendfile(fd);
	test_maps();
	close(fd);
	unlink(PATH);
	return utest_finish();
}
