// SPDX-License-Identifier: GPL-2.0
/*
 * fifo: named pipes. mkfifo makes a FIFO in the store (stat and readdir
 * say so, a second mkfifo is EEXIST); a nonblocking writer with no reader
 * gets ENXIO, a nonblocking reader opens at once; bytes go from a writer
 * to a reader of the same name; a blocking reader and writer in two
 * processes wait for each other; data left when every end closes is
 * dropped; mknod makes regular files but no devices (EPERM).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utest.h"

#define DIR_PATH "/tmp/fifo.d"
#define FIFO_PATH DIR_PATH "/p"
#define REG_PATH DIR_PATH "/r"

static unsigned char dirent_type(const char *name)
{
	DIR *d = opendir(DIR_PATH);
	struct dirent *e;
	unsigned char type = 0;

	while (d && (e = readdir(d)))
		if (!strcmp(e->d_name, name))
			type = e->d_type;
	if (d)
		closedir(d);
	return type;
}

static void check_make(void)
{
	struct stat st;

	mkdir(DIR_PATH, 0755);
	unlink(FIFO_PATH);
	CHECK(mkfifo(FIFO_PATH, 0644) == 0, "mkfifo: %s", strerror(errno));
	CHECK(stat(FIFO_PATH, &st) == 0 && S_ISFIFO(st.st_mode), "stat: a FIFO (%o)", st.st_mode);
	CHECK(dirent_type("p") == DT_FIFO, "readdir: DT_FIFO");
	CHECK(mkfifo(FIFO_PATH, 0644) < 0 && errno == EEXIST, "mkfifo again: EEXIST");
	CHECK(mknod(REG_PATH, S_IFREG | 0600, 0) == 0, "mknod S_IFREG: %s", strerror(errno));
	CHECK(stat(REG_PATH, &st) == 0 && S_ISREG(st.st_mode), "a regular file");
	CHECK(mknod(DIR_PATH "/c", S_IFCHR | 0600, makedev(1, 3)) < 0 && errno == EPERM,
	      "mknod S_IFCHR: EPERM");
}

static void check_nonblocking(void)
{
	char buf[16] = "";
	int rd, wr;

	wr = open(FIFO_PATH, O_WRONLY | O_NONBLOCK);
	CHECK(wr < 0 && errno == ENXIO, "nonblocking writer without reader: ENXIO (%d)", wr);
	rd = open(FIFO_PATH, O_RDONLY | O_NONBLOCK);
	CHECK(rd >= 0, "nonblocking reader opens: %s", strerror(errno));
	CHECK(read(rd, buf, sizeof(buf)) == 0, "no writer yet: end of file");
	wr = open(FIFO_PATH, O_WRONLY | O_NONBLOCK);
	CHECK(wr >= 0, "writer with a reader opens: %s", strerror(errno));
	CHECK(write(wr, "hello", 5) == 5, "write");
	CHECK(read(rd, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5), "read what was written");
	CHECK(read(rd, buf, sizeof(buf)) < 0 && errno == EAGAIN, "empty with a writer: EAGAIN");
	close(wr);
	close(rd);
}

static void check_dropped_when_closed(void)
{
	char c;
	int fd = open(FIFO_PATH, O_RDWR);

	CHECK(fd >= 0, "O_RDWR opens without waiting: %s", strerror(errno));
	CHECK(write(fd, "x", 1) == 1, "write");
	close(fd);
	fd = open(FIFO_PATH, O_RDWR | O_NONBLOCK);
	CHECK(read(fd, &c, 1) < 0 && errno == EAGAIN, "data is gone after the last close");
	close(fd);
}

/* The child writes through a blocking open; the parent reads to the end. */
static void check_blocking_pair(void)
{
	char buf[64];
	int status, fd;
	ssize_t n, total = 0;
	pid_t pid = fork();

	if (pid < 0)
		utest_die("fork: %s", strerror(errno));
	if (pid == 0) {
		fd = open(FIFO_PATH, O_WRONLY);
		_exit(fd >= 0 && write(fd, "from the child", 14) == 14 ? 0 : 1);
	}
	fd = open(FIFO_PATH, O_RDONLY);
	CHECK(fd >= 0, "blocking reader opens once the writer comes: %s", strerror(errno));
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	buf[total] = '\0';
	CHECK(!strcmp(buf, "from the child"), "read until the writer closed: \"%s\"", buf);
	close(fd);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	      "writer child: %#x", status);
}

int main(void)
{
	utest_start("fifo");
	check_make();
	check_nonblocking();
	check_dropped_when_closed();
	check_blocking_pair();
	CHECK(unlink(FIFO_PATH) == 0 && unlink(REG_PATH) == 0, "unlink");
	rmdir(DIR_PATH);
	return utest_finish();
}
