// SPDX-License-Identifier: GPL-2.0
/*
 * file_times: atime, mtime and ctime of storage files. Creation sets all
 * three to now; utimensat sets given times, UTIME_NOW and UTIME_OMIT, by
 * path, by fd (futimens) and on a symlink itself (AT_SYMLINK_NOFOLLOW);
 * a write and a truncate move mtime and ctime forward from an old value;
 * a read moves an old atime forward (relatime); after one second, chmod
 * and rename move ctime and the directory's mtime. Bad nanoseconds are
 * EINVAL, a missing file ENOENT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "utest.h"

#define OLD_TIME 1000000000	/* 2001-09-09: long before any test run */
#define DIR_PATH "/tmp/file_times.d"
#define FILE_PATH DIR_PATH "/f"
#define LINK_PATH DIR_PATH "/l"

static time_t start;

static struct stat stat_of(const char *path, int flags)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (fstatat(AT_FDCWD, path, &st, flags))
		utest_die("stat %s: %s", path, strerror(errno));
	return st;
}

static bool recent(time_t t)
{
	return t >= start && t <= time(NULL) + 1;
}

/* Set mtime (and atime) of path back to OLD_TIME. */
static void make_old(const char *path)
{
	struct timespec old[2] = { { .tv_sec = OLD_TIME }, { .tv_sec = OLD_TIME } };

	CHECK(utimensat(AT_FDCWD, path, old, 0) == 0, "utimensat old: %s", strerror(errno));
}

static int check_create(void)
{
	struct stat st;
	int fd;

	mkdir(DIR_PATH, 0755);
	fd = open(FILE_PATH, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		utest_die("create %s: %s", FILE_PATH, strerror(errno));
	st = stat_of(FILE_PATH, 0);
	CHECK(recent(st.st_atime) && recent(st.st_mtime) && recent(st.st_ctime),
	      "new file times %ld %ld %ld, start %ld", (long)st.st_atime, (long)st.st_mtime,
	      (long)st.st_ctime, (long)start);
	return fd;
}

static void check_utimensat(int fd)
{
	struct timespec set[2] = { { .tv_sec = 1234, .tv_nsec = UTIME_OMIT },
				   { .tv_sec = OLD_TIME, .tv_nsec = 5 } };
	struct stat before = stat_of(FILE_PATH, 0), st;

	CHECK(utimensat(AT_FDCWD, FILE_PATH, set, 0) == 0, "utimensat: %s", strerror(errno));
	st = stat_of(FILE_PATH, 0);
	CHECK(st.st_mtime == OLD_TIME, "mtime set: %ld", (long)st.st_mtime);
	CHECK(st.st_atime == before.st_atime, "UTIME_OMIT keeps atime");
	CHECK(recent(st.st_ctime), "ctime is now");
	set[0].tv_nsec = UTIME_NOW;
	set[1].tv_nsec = UTIME_NOW;
	CHECK(futimens(fd, set) == 0, "futimens: %s", strerror(errno));
	st = stat_of(FILE_PATH, 0);
	CHECK(recent(st.st_atime) && recent(st.st_mtime), "UTIME_NOW by fd");
	make_old(FILE_PATH);
	CHECK(utimensat(AT_FDCWD, FILE_PATH, NULL, 0) == 0, "utimensat NULL");
	CHECK(recent(stat_of(FILE_PATH, 0).st_mtime), "NULL times: now");
	set[1].tv_nsec = 1000000000;
	CHECK(utimensat(AT_FDCWD, FILE_PATH, set, 0) < 0 && errno == EINVAL, "bad nsec: EINVAL");
	CHECK(utimensat(AT_FDCWD, DIR_PATH "/none", NULL, 0) < 0 && errno == ENOENT, "ENOENT");
}

static void check_data_changes(int fd)
{
	char c;

	make_old(FILE_PATH);
	CHECK(write(fd, "data", 4) == 4, "write");
	CHECK(recent(stat_of(FILE_PATH, 0).st_mtime), "write moves mtime");
	make_old(FILE_PATH);
	CHECK(ftruncate(fd, 2) == 0, "ftruncate");
	CHECK(recent(stat_of(FILE_PATH, 0).st_mtime), "truncate moves mtime");
	make_old(FILE_PATH);
	CHECK(futimens(fd, (struct timespec[2]){ { .tv_nsec = UTIME_OMIT },
						 { .tv_nsec = UTIME_NOW } }) == 0, "mtime now");
	CHECK(pread(fd, &c, 1, 0) == 1, "read");
	CHECK(recent(stat_of(FILE_PATH, 0).st_atime), "read moves an old atime (relatime)");
}

static void check_symlink_nofollow(void)
{
	struct timespec old[2] = { { .tv_sec = OLD_TIME }, { .tv_sec = OLD_TIME } };

	unlink(LINK_PATH);
	CHECK(symlink("f", LINK_PATH) == 0, "symlink");
	CHECK(utimensat(AT_FDCWD, LINK_PATH, old, AT_SYMLINK_NOFOLLOW) == 0, "nofollow");
	CHECK(stat_of(LINK_PATH, AT_SYMLINK_NOFOLLOW).st_mtime == OLD_TIME, "the link's mtime");
	CHECK(stat_of(FILE_PATH, 0).st_mtime != OLD_TIME, "the target's untouched");
}

/* ctime only moves forward with the clock: wait for the next second once. */
static void check_ctime_moves(void)
{
	struct stat before = stat_of(FILE_PATH, 0), dir_before = stat_of(DIR_PATH, 0), st;

	sleep(1);
	CHECK(chmod(FILE_PATH, 0600) == 0, "chmod");
	st = stat_of(FILE_PATH, 0);
	CHECK(st.st_ctime > before.st_ctime, "chmod moves ctime");
	CHECK(rename(FILE_PATH, DIR_PATH "/g") == 0, "rename");
	CHECK(stat_of(DIR_PATH "/g", 0).st_ctime >= st.st_ctime, "rename keeps ctime current");
	CHECK(stat_of(DIR_PATH, 0).st_mtime > dir_before.st_mtime, "rename moves the dir's mtime");
	unlink(DIR_PATH "/g");
	unlink(LINK_PATH);
	rmdir(DIR_PATH);
}

int main(void)
{
	int fd;

	utest_start("file_times");
	start = time(NULL);
	fd = check_create();
	check_utimensat(fd);
	check_data_changes(fd);
	check_symlink_nofollow();
	close(fd);
	check_ctime_moves();
	return utest_finish();
}
