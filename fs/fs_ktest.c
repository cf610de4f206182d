// SPDX-License-Identifier: GPL-2.0
/*
 * ktests for the file system calls (suite fs). Each test runs in a kernel
 * thread that borrows a small user address space (UPAGES pages at UBASE,
 * backed by one direct-mapped block so the test can see them through
 * ubuf/kbuf aliases), a stdio fd table and a working directory, and calls
 * the system calls through syscall_invoke() with user pointers, as a
 * program would. Files live under /fsktest on the storage manager.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/pgtable.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/termios.h>
#include <uapi/uio.h>

#define UBASE 0x10000000UL
#define UORDER 2
#define UPAGES (1U << UORDER)
#define USIZE (UPAGES * PAGE_SIZE)

#define U(x) ((unsigned long)(x))
#define SYS(name, ...) syscall_invoke(__NR_##name, (const unsigned long[6]){ __VA_ARGS__ })

/* ---- a borrowed user address space ---- */

struct uenv {
	struct mm_struct *mm;
	u8 *kbase;	/* kernel alias of [UBASE, UBASE + USIZE) */
	size_t used;	/* bump allocator */
};

static int uenv_map(struct uenv *env)
{
	unsigned int i;

	env->mm = mm_create(1234, 0);
	env->kbase = get_zeroed_pages(UORDER);
	if (!env->mm || !env->kbase)
		return -ENOMEM;
	for (i = 0; i < UPAGES; i++)
		if (pgtable_map_page(env->mm->pml4, UBASE + i * PAGE_SIZE,
				     __pa(env->kbase + i * PAGE_SIZE), PTE_US | PTE_RW))
			return -ENOMEM;
	return 0;
}

static void uenv_unmap(struct uenv *env)
{
	unsigned int i;

	if (env->mm) {
		for (i = 0; i < UPAGES; i++)
			pgtable_unmap_page(env->mm->pml4, UBASE + i * PAGE_SIZE);
		mm_put(env->mm);
	}
	if (env->kbase)
		free_pages_addr(env->kbase, UORDER);
}

/* len zeroed user bytes (8-aligned); the test fails hard if the region is full. */
static void *ualloc(struct uenv *env, size_t len)
{
	void *u;

	len = ALIGN_UP(len, (size_t)8);
	if (env->used + len > USIZE)
		return NULL;
	u = (void *)(UBASE + env->used);
	memset(env->kbase + env->used, 0, len);
	env->used += len;
	return u;
}

/* The kernel alias of user pointer u. */
static void *kalias(struct uenv *env, const void *u)
{
	return env->kbase + (U(u) - UBASE);
}

/* A user copy of a string. */
static char *ustr(struct uenv *env, const char *s)
{
	char *u = ualloc(env, strlen(s) + 1);

	if (u)
		strlcpy(kalias(env, u), s, strlen(s) + 1);
	return u;
}

struct user_test {
	void (*body)(struct uenv *env);
};

static int user_test_thread(void *arg)
{
	struct user_test *ut = arg;
	struct task *self = current_task();
	struct uenv env = { 0 };

	self->files = files_create_stdio();
	self->fs = fs_struct_create();
	if (uenv_map(&env) || IS_ERR(self->files) || IS_ERR(self->fs)) {
		ktest_fail(__FILE__, __LINE__, "no memory for the user environment");
	} else {
		self->mm = env.mm;
		switch_mm(NULL, env.mm);
		ut->body(&env);
		switch_mm(env.mm, NULL);
		self->mm = NULL;
	}
	if (IS_ERR(self->files))
		self->files = NULL;
	if (IS_ERR(self->fs))
		self->fs = NULL;
	fs_task_exit(self);
	uenv_unmap(&env);
	return 0;
}

static void run_user_test(void (*body)(struct uenv *env))
{
	struct user_test ut = { .body = body };
	struct task *t = kthread_create(user_test_thread, &ut, "fs-ktest");

	KASSERT(!IS_ERR(t));
	kthread_join(t);
}

#define USER_KTEST(name)                                                       \
	static void name##_body(struct uenv *env);                             \
	KTEST(fs, name) { run_user_test(name##_body); }                        \
	static void name##_body(struct uenv *env)

/* ---- helpers for the tests ---- */

/* mkdir -p of one level under the test root; both may already exist. */
static void make_dir(struct uenv *env, const char *path)
{
	long err = SYS(mkdir, U(ustr(env, path)), 0755);

	KEXPECT(err == 0 || err == -EEXIST);
}

/* Create (truncate) path with text; returns an fd open O_RDWR or -errno. */
static long make_file(struct uenv *env, const char *path, const char *text)
{
	long fd = SYS(open, U(ustr(env, path)), O_CREAT | O_TRUNC | O_RDWR, 0644);
	size_t len = strlen(text);

	if (fd < 0)
		return fd;
	KEXPECT_EQ(SYS(write, U(fd), U(ustr(env, text)), len), (long)len);
	return fd;
}

/* ---- the tests ---- */

USER_KTEST(write_to_console)
{
	static const char msg[] = "# fs ktest: hello through write(1)\n";
	struct iovec *iov = ualloc(env, 2 * sizeof(*iov));
	struct iovec *kiov = kalias(env, iov);

	KEXPECT_EQ(SYS(write, 1, U(ustr(env, msg)), sizeof(msg) - 1), sizeof(msg) - 1);
	kiov[0] = (struct iovec){ ustr(env, "# fs ktest: "), 12 };
	kiov[1] = (struct iovec){ ustr(env, "writev\n"), 7 };
	KEXPECT_EQ(SYS(writev, 2, U(iov), 2), 19);
	KEXPECT_EQ(SYS(write, 2, 0, 0), 0);	/* count 0 moves nothing */
}

USER_KTEST(file_roundtrip)
{
	char *buf = ualloc(env, 8192);
	struct stat *st = ualloc(env, sizeof(*st));
	char *kbuf = kalias(env, buf);
	long fd, i;

	make_dir(env, "/fsktest");
	for (i = 0; i < 8192; i++)
		kbuf[i] = (char)(i * 7);
	fd = SYS(open, U(ustr(env, "/fsktest/data")), O_CREAT | O_TRUNC | O_RDWR, 0644);
	KASSERT(fd >= 3);
	KEXPECT_EQ(SYS(write, U(fd), U(buf), 8192), 8192);
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_CUR), 8192);
	KEXPECT_EQ(SYS(lseek, U(fd), 100, SEEK_SET), 100);
	memset(kbuf, 0, 8192);
	KEXPECT_EQ(SYS(read, U(fd), U(buf), 8192), 8092);	/* to the end */
	KEXPECT_EQ((u8)kbuf[0], (u8)(100 * 7));
	KEXPECT_EQ((u8)kbuf[8091], (u8)(8191 * 7));
	KEXPECT_EQ(SYS(read, U(fd), U(buf), 10), 0);		/* end of file */
	KEXPECT_EQ(SYS(pread64, U(fd), U(buf), 4, 1), 4);
	KEXPECT_EQ((u8)kbuf[0], 7);
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_END), 8192);
	KEXPECT_EQ(SYS(lseek, U(fd), -1, SEEK_SET), -EINVAL);
	KEXPECT_EQ(SYS(lseek, U(fd), 0, 7), -EINVAL);
	KEXPECT_EQ(SYS(pread64, U(fd), U(buf), 4, -1), -EINVAL);
	KEXPECT_EQ(SYS(fstat, U(fd), U(st)), 0);
	KEXPECT_EQ(((struct stat *)kalias(env, st))->st_size, 8192);
	KEXPECT(S_ISREG(((struct stat *)kalias(env, st))->st_mode));
	KEXPECT_EQ(SYS(close, U(fd)), 0);
	KEXPECT_EQ(SYS(close, U(fd)), -EBADF);
}

USER_KTEST(readv_writev_and_their_limits)
{
	struct iovec *iov = ualloc(env, 3 * sizeof(*iov));
	struct iovec *kiov = kalias(env, iov);
	char *a = ualloc(env, 8), *b = ualloc(env, 8);
	long fd;

	make_dir(env, "/fsktest");
	fd = make_file(env, "/fsktest/vec", "");
	KASSERT(fd >= 0);
	kiov[0] = (struct iovec){ ustr(env, "abc"), 3 };
	kiov[1] = (struct iovec){ ustr(env, ""), 0 };
	kiov[2] = (struct iovec){ ustr(env, "defgh"), 5 };
	KEXPECT_EQ(SYS(writev, U(fd), U(iov), 3), 8);
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_SET), 0);
	kiov[0] = (struct iovec){ a, 2 };
	kiov[1] = (struct iovec){ b, 8 };
	KEXPECT_EQ(SYS(readv, U(fd), U(iov), 2), 8);
	KEXPECT(!memcmp(kalias(env, a), "ab", 2));
	KEXPECT(!strcmp(kalias(env, b), "cdefgh"));
	KEXPECT_EQ(SYS(writev, U(fd), U(iov), 1025), -EINVAL);
	KEXPECT_EQ(SYS(writev, U(fd), U(iov), -1), -EINVAL);
	kiov[0].iov_len = (size_t)LONG_MAX;
	kiov[1].iov_len = 2;			/* the total overflows a ssize_t */
	KEXPECT_EQ(SYS(writev, U(fd), U(iov), 2), -EINVAL);
	KEXPECT_EQ(SYS(readv, U(fd), 0x10, 1), -EFAULT);
	SYS(close, U(fd));
}

/* Collect the names getdents64 returns on fd, space-separated, into out. */
static void list_dir(struct uenv *env, long fd, char *out, size_t size)
{
	u8 *buf = ualloc(env, 512);
	long n, off;

	out[0] = '\0';
	while ((n = SYS(getdents64, U(fd), U(buf), 512)) > 0) {
		for (off = 0; off < n;) {
			struct linux_dirent64 *d = kalias(env, buf + off);

			strlcpy(out + strlen(out), d->d_name, size - strlen(out));
			strlcpy(out + strlen(out), " ", size - strlen(out));
			off += d->d_reclen;
		}
	}
	KEXPECT_EQ(n, 0);
}

USER_KTEST(getdents64_lists_a_directory)
{
	char names[128];
	long fd;

	make_dir(env, "/fsktest");
	make_dir(env, "/fsktest/dir");
	SYS(close, U(make_file(env, "/fsktest/dir/x", "1")));
	SYS(close, U(make_file(env, "/fsktest/dir/yy", "2")));
	fd = SYS(open, U(ustr(env, "/fsktest/dir")), O_RDONLY | O_DIRECTORY, 0);
	KASSERT(fd >= 0);
	list_dir(env, fd, names, sizeof(names));
	KEXPECT(!strcmp(names, ". .. x yy "));
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_SET), 0);	/* rewinddir */
	list_dir(env, fd, names, sizeof(names));
	KEXPECT(!strcmp(names, ". .. x yy "));
	KEXPECT_EQ(SYS(read, U(fd), U(ualloc(env, 8)), 8), -EISDIR);
	KEXPECT_EQ(SYS(getdents64, U(fd), U(ualloc(env, 8)), 8), -EINVAL);
	KEXPECT_EQ(SYS(getdents64, U(fd), U(ualloc(env, 32)), 32), 0);	/* at the end */
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_SET), 0);
	KEXPECT_EQ(SYS(getdents64, U(fd), U(ualloc(env, 16)), 16), -EINVAL); /* "." needs 24 */
	KEXPECT_EQ(SYS(getdents64, U(fd), U(ualloc(env, 32)), 32), 24);
	SYS(close, U(fd));
	KEXPECT_EQ(SYS(getdents64, 0, U(ualloc(env, 64)), 64), -ENOTDIR);
	KEXPECT_EQ(SYS(open, U(ustr(env, "/fsktest/dir/x")), O_RDONLY | O_DIRECTORY, 0),
		   -ENOTDIR);
	KEXPECT_EQ(SYS(open, U(ustr(env, "/fsktest/dir")), O_WRONLY, 0), -EISDIR);
}

USER_KTEST(getdents64_buffer_too_small_for_an_entry)
{
	char name[] = "/fsktest/long/"
		      "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn";
	void *buf = ualloc(env, 256);
	long fd;

	make_dir(env, "/fsktest");
	make_dir(env, "/fsktest/long");
	SYS(close, U(make_file(env, name, "")));
	fd = SYS(open, U(ustr(env, "/fsktest/long")), O_RDONLY | O_DIRECTORY, 0);
	KASSERT(fd >= 0);
	KEXPECT_EQ(SYS(getdents64, U(fd), U(buf), 48), 48);	/* "." and "..", 24 each */
	KEXPECT_EQ(SYS(getdents64, U(fd), U(buf), 64), -EINVAL);	/* the long name: 104 */
	KEXPECT_EQ(SYS(getdents64, U(fd), U(buf), 256), 104);
	KEXPECT_EQ(SYS(getdents64, U(fd), U(buf), 64), 0);
	SYS(close, U(fd));
}

USER_KTEST(bad_fds_give_ebadf)
{
	char *buf = ualloc(env, 64);
	static const int bad[] = { -1, 3, 1023, 1024, 100000 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		unsigned long fd = (unsigned long)(long)bad[i];

		KEXPECT_EQ(SYS(read, fd, U(buf), 1), -EBADF);
		KEXPECT_EQ(SYS(write, fd, U(buf), 1), -EBADF);
		KEXPECT_EQ(SYS(close, fd), -EBADF);
		KEXPECT_EQ(SYS(fstat, fd, U(buf)), -EBADF);
		KEXPECT_EQ(SYS(lseek, fd, 0, SEEK_SET), -EBADF);
		KEXPECT_EQ(SYS(dup, fd), -EBADF);
		KEXPECT_EQ(SYS(ioctl, fd, TCGETS, U(buf)), -EBADF);
		KEXPECT_EQ(SYS(fcntl, fd, F_GETFD, 0), -EBADF);
		KEXPECT_EQ(SYS(getdents64, fd, U(buf), 64), -EBADF);
		KEXPECT_EQ(SYS(openat, fd, U(ustr(env, "rel")), O_RDONLY, 0), -EBADF);
	}
}

USER_KTEST(bad_pointers_give_efault)
{
	char *buf = ualloc(env, 64);
	unsigned long kernel_ptr = U(&env->used);
	unsigned long unmapped = UBASE + USIZE + PAGE_SIZE;
	long fd;

	KEXPECT_EQ(SYS(write, 1, kernel_ptr, 8), -EFAULT);
	KEXPECT_EQ(SYS(write, 1, unmapped, 8), -EFAULT);
	KEXPECT_EQ(SYS(write, 1, UBASE + USIZE - 4, 8), -EFAULT);	/* runs off the end */
	KEXPECT_EQ(SYS(fstat, 0, kernel_ptr), -EFAULT);
	KEXPECT_EQ(SYS(open, unmapped, O_RDONLY, 0), -EFAULT);
	KEXPECT_EQ(SYS(stat, kernel_ptr, U(buf)), -EFAULT);
	KEXPECT_EQ(SYS(ioctl, 0, TCGETS, unmapped), -EFAULT);
	KEXPECT_EQ(SYS(getcwd, kernel_ptr, 64), -EFAULT);
	make_dir(env, "/fsktest");
	fd = make_file(env, "/fsktest/efault", "some bytes");
	KASSERT(fd >= 0);
	SYS(lseek, U(fd), 0, SEEK_SET);
	KEXPECT_EQ(SYS(read, U(fd), unmapped, 4), -EFAULT);
	KEXPECT_EQ(SYS(read, U(fd), kernel_ptr, 4), -EFAULT);
	SYS(close, U(fd));
}

USER_KTEST(dup_dup2_dup3)
{
	char *buf = ualloc(env, 16);
	long fd;

	make_dir(env, "/fsktest");
	fd = make_file(env, "/fsktest/dup", "0123456789");
	KASSERT(fd == 3);
	KEXPECT_EQ(SYS(dup, U(fd)), 4);				/* lowest free */
	KEXPECT_EQ(SYS(dup2, U(fd), 10), 10);
	KEXPECT_EQ(SYS(lseek, 10, 2, SEEK_SET), 2);		/* one shared position */
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_CUR), 2);
	KEXPECT_EQ(SYS(dup2, U(fd), U(fd)), fd);
	KEXPECT_EQ(SYS(dup2, 99, 10), -EBADF);
	KEXPECT_EQ(SYS(dup2, U(fd), (unsigned long)-1L), -EBADF);
	KEXPECT_EQ(SYS(dup2, U(fd), FILES_MAX), -EBADF);
	KEXPECT_EQ(SYS(dup2, 0, 10), 10);			/* replaces the file at 10 */
	KEXPECT_EQ(SYS(ioctl, 10, TCGETS, U(buf)), 0);		/* now the console */
	KEXPECT_EQ(SYS(dup3, U(fd), U(fd), 0), -EINVAL);
	KEXPECT_EQ(SYS(dup3, U(fd), 11, 1), -EINVAL);
	KEXPECT_EQ(SYS(dup3, U(fd), 11, O_CLOEXEC), 11);
	KEXPECT_EQ(SYS(fcntl, 11, F_GETFD, 0), FD_CLOEXEC);
	KEXPECT_EQ(SYS(read, 4, U(buf), 3), 3);
	KEXPECT(!memcmp(kalias(env, buf), "234", 3));
}

USER_KTEST(fcntl_flags_and_cloexec)
{
	long fd, dupfd;

	make_dir(env, "/fsktest");
	fd = make_file(env, "/fsktest/fcntl", "abc");
	KASSERT(fd >= 0);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_GETFD, 0), 0);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_SETFD, FD_CLOEXEC), 0);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_GETFD, 0), FD_CLOEXEC);
	dupfd = SYS(fcntl, U(fd), F_DUPFD, 20);
	KEXPECT_EQ(dupfd, 20);
	KEXPECT_EQ(SYS(fcntl, U(dupfd), F_GETFD, 0), 0);	/* dup clears CLOEXEC */
	KEXPECT_EQ(SYS(fcntl, U(fd), F_DUPFD_CLOEXEC, 20), 21);
	KEXPECT_EQ(SYS(fcntl, 21, F_GETFD, 0), FD_CLOEXEC);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_DUPFD, FILES_MAX), -EINVAL);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_GETFL, 0), O_RDWR);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_SETFL, O_APPEND | O_NONBLOCK), 0);
	KEXPECT_EQ(SYS(fcntl, U(fd), F_GETFL, 0), O_RDWR | O_APPEND | O_NONBLOCK);
	SYS(lseek, U(fd), 0, SEEK_SET);
	KEXPECT_EQ(SYS(write, U(fd), U(ustr(env, "de")), 2), 2);	/* appends */
	KEXPECT_EQ(SYS(lseek, U(fd), 0, SEEK_CUR), 5);
	KEXPECT_EQ(SYS(fcntl, U(fd), 12345, 0), -EINVAL);
	files_close_on_exec(current_files());
	KEXPECT_EQ(SYS(fcntl, U(fd), F_GETFD, 0), -EBADF);
	KEXPECT_EQ(SYS(fcntl, 21, F_GETFD, 0), -EBADF);
	KEXPECT_EQ(SYS(fcntl, 20, F_GETFD, 0), 0);		/* survives exec */
	KEXPECT_EQ(SYS(fcntl, 0, F_GETFD, 0), 0);
}

USER_KTEST(console_ioctls)
{
	struct termios *t = ualloc(env, sizeof(*t));
	struct winsize *ws = ualloc(env, sizeof(*ws));
	int *pgrp = ualloc(env, sizeof(*pgrp));
	struct termios *kt = kalias(env, t);
	long fd;

	KEXPECT_EQ(SYS(ioctl, 0, TCGETS, U(t)), 0);
	KEXPECT(kt->c_lflag & ICANON);
	KEXPECT(kt->c_lflag & ECHO);
	KEXPECT_EQ(kt->c_cc[VEOF], 4);
	KEXPECT_EQ(SYS(ioctl, 1, TCSETS, U(t)), 0);
	KEXPECT_EQ(SYS(ioctl, 1, TIOCGWINSZ, U(ws)), 0);
	KEXPECT_EQ(((struct winsize *)kalias(env, ws))->ws_col, 80);
	KEXPECT_EQ(((struct winsize *)kalias(env, ws))->ws_row, 24);
	((struct winsize *)kalias(env, ws))->ws_col = 132;
	KEXPECT_EQ(SYS(ioctl, 1, TIOCSWINSZ, U(ws)), 0);
	((struct winsize *)kalias(env, ws))->ws_col = 0;
	KEXPECT_EQ(SYS(ioctl, 1, TIOCGWINSZ, U(ws)), 0);
	KEXPECT_EQ(((struct winsize *)kalias(env, ws))->ws_col, 132);
	((struct winsize *)kalias(env, ws))->ws_col = 80;
	KEXPECT_EQ(SYS(ioctl, 1, TIOCSWINSZ, U(ws)), 0);
	KEXPECT_EQ(SYS(ioctl, 2, TIOCGPGRP, U(pgrp)), 0);
	*(int *)kalias(env, pgrp) = -5;
	KEXPECT_EQ(SYS(ioctl, 2, TIOCSPGRP, U(pgrp)), -EINVAL);
	KEXPECT_EQ(SYS(ioctl, 2, 0x1234, 0), -ENOTTY);
	KEXPECT_EQ(SYS(fcntl, 0, F_SETFL, O_NONBLOCK), 0);
	KEXPECT_EQ(SYS(read, 0, U(t), 1), -EAGAIN);		/* nobody is typing */
	KEXPECT_EQ(SYS(lseek, 0, 0, SEEK_CUR), -ESPIPE);
	KEXPECT_EQ(SYS(pread64, 0, U(t), 1, 0), -ESPIPE);
	make_dir(env, "/fsktest");
	fd = make_file(env, "/fsktest/notatty", "x");
	KASSERT(fd >= 0);
	KEXPECT_EQ(SYS(ioctl, U(fd), TCGETS, U(t)), -ENOTTY);	/* isatty() says no */
	SYS(close, U(fd));
	fd = SYS(open, U(ustr(env, "/dev/tty")), O_RDWR, 0);
	KEXPECT_EQ(SYS(ioctl, U(fd), TCGETS, U(t)), 0);
	SYS(close, U(fd));
}

USER_KTEST(proc_files)
{
	char *buf = ualloc(env, 512);
	char *kbuf = kalias(env, buf);
	char names[256];
	long fd, n;

	fd = SYS(open, U(ustr(env, "/proc/meminfo")), O_RDONLY, 0);
	KASSERT(fd >= 0);
	n = SYS(read, U(fd), U(buf), 511);
	KEXPECT(n > 0 && !strncmp(kbuf, "MemTotal:", 9));
	KEXPECT(n > 0 && strchr(kbuf, 'F'));	/* MemFree */
	KEXPECT_EQ(SYS(write, U(fd), U(buf), 1), -EBADF);
	SYS(close, U(fd));
	KEXPECT_EQ(SYS(open, U(ustr(env, "/proc/nonexistent")), O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(SYS(open, U(ustr(env, "/proc/meminfo")), O_WRONLY, 0), -EACCES);
	KEXPECT_EQ(proc_register("meminfo", NULL), -EINVAL);
	fd = SYS(open, U(ustr(env, "/proc")), O_RDONLY | O_DIRECTORY, 0);
	KASSERT(fd >= 0);
	list_dir(env, fd, names, sizeof(names));
	KEXPECT(!strncmp(names, ". .. self ", 10));
	KEXPECT(strlen(names) > 10);
	SYS(close, U(fd));
	/* A kernel thread is no process: it has no /proc/self (usr/tests/proc_pid has). */
	KEXPECT_EQ(SYS(readlink, U(ustr(env, "/proc/self/exe")), U(buf), 64), -ENOENT);
	KEXPECT_EQ(SYS(readlink, U(ustr(env, "/proc/self")), U(buf), 64), -ENOENT);
	KEXPECT_EQ(SYS(open, U(ustr(env, "/proc/0/stat")), O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(SYS(open, U(ustr(env, "/proc/12x/stat")), O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(SYS(readlink, U(ustr(env, "/proc/meminfo")), U(buf), 64), -EINVAL);
	KEXPECT_EQ(SYS(readlink, U(ustr(env, "/proc/self/exe")), U(buf), 0), -EINVAL);
}

static long show_twice_as_big(char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = 'p';
	return size < 8192 ? (long)(2 * size) : 8192;	/* asks for a bigger buffer once */
}

USER_KTEST(proc_register_grows_the_buffer)
{
	struct stat *st = ualloc(env, sizeof(*st));
	long fd;

	KEXPECT_EQ(proc_register("fsktest", show_twice_as_big), 0);
	KEXPECT_EQ(proc_register("fsktest", show_twice_as_big), -EEXIST);
	KEXPECT_EQ(proc_register("a/b", show_twice_as_big), -EINVAL);
	fd = SYS(open, U(ustr(env, "/proc/fsktest")), O_RDONLY, 0);
	KASSERT(fd >= 0);
	KEXPECT_EQ(SYS(lseek, U(fd), 8190, SEEK_SET), 8190);
	KEXPECT_EQ(SYS(read, U(fd), U(ualloc(env, 16)), 16), 2);
	KEXPECT_EQ(SYS(fstat, U(fd), U(st)), 0);
	KEXPECT_EQ(((struct stat *)kalias(env, st))->st_mode, S_IFREG | 0444);
	SYS(close, U(fd));
}

USER_KTEST(files_dup_shares_or_copies)
{
	struct files_struct *mine = current_files();
	struct files_struct *shared = files_dup(mine, true);
	struct files_struct *copy = files_dup(mine, false);
	struct file *f;

	KASSERT(shared == mine && !IS_ERR(copy) && copy != mine);
	KEXPECT_EQ(fd_set_cloexec(mine, 2, true), 0);
	KEXPECT_EQ(SYS(close, 1), 0);			/* in mine, so in shared */
	KEXPECT(!fd_get(shared, 1));
	f = fd_get(copy, 1);				/* the copy keeps its own */
	KEXPECT(f != NULL);
	if (f)
		file_put(f);
	KEXPECT_EQ(fd_get_cloexec(copy, 2), 0);		/* copied before the change */
	KEXPECT(files_dup(NULL, false) == NULL);
	files_put(copy);
	files_put(shared);
}

/* A copied table holds its own references to both pipe ends. */
USER_KTEST(pipe_ends_counted_across_files_dup)
{
	int *fds = ualloc(env, 2 * sizeof(int)), *kfds = kalias(env, fds);
	struct pollfd *pfd = ualloc(env, sizeof(*pfd)), *kpfd = kalias(env, pfd);
	struct files_struct *copy;

	KASSERT(SYS(pipe2, U(fds), O_NONBLOCK) == 0);
	copy = files_dup(current_files(), false);
	KASSERT(!IS_ERR(copy));
	KEXPECT_EQ(SYS(close, U(kfds[1])), 0);		/* the copy still writes */
	*kpfd = (struct pollfd){ .fd = kfds[0], .events = POLLIN };
	KEXPECT_EQ(SYS(poll, U(pfd), 1, 0), 0);
	KEXPECT_EQ(SYS(read, U(kfds[0]), U(pfd), 1), -EAGAIN);	/* not EOF */
	files_put(copy);				/* the last write end goes */
	KEXPECT_EQ(SYS(poll, U(pfd), 1, 0), 1);
	KEXPECT_EQ(kpfd->revents, POLLHUP);
	KEXPECT_EQ(SYS(read, U(kfds[0]), U(pfd), 1), 0);
	KEXPECT_EQ(SYS(close, U(kfds[0])), 0);
}

static int write_one_byte_later(void *arg)
{
	struct file *wr = arg;

	msleep(30);
	wr->f_op->write(wr, "!", 1, NULL);
	return 0;
}

/* A poll that went to sleep is woken by the write, long before its timeout. */
USER_KTEST(poll_sleeps_until_a_pipe_write)
{
	int *fds = ualloc(env, 2 * sizeof(int)), *kfds = kalias(env, fds);
	struct pollfd *pfd = ualloc(env, sizeof(*pfd)), *kpfd = kalias(env, pfd);
	struct file *wr;
	struct task *t;
	u64 start;

	KASSERT(SYS(pipe, U(fds)) == 0);
	wr = fd_get(current_files(), kfds[1]);
	KASSERT(wr);
	*kpfd = (struct pollfd){ .fd = kfds[0], .events = POLLIN };
	t = kthread_create(write_one_byte_later, wr, "poll-writer");
	KASSERT(!IS_ERR(t));
	start = ktime_ns();
	KEXPECT_EQ(SYS(poll, U(pfd), 1, 5000), 1);
	KEXPECT(ktime_ns() - start < 2 * NSEC_PER_SEC);
	KEXPECT_EQ(kpfd->revents, POLLIN);
	kthread_join(t);
	file_put(wr);
	SYS(close, U(kfds[0]));
	SYS(close, U(kfds[1]));
}

USER_KTEST(emfile_at_the_limit)
{
	long fd, last = 0;
	int opened = 0;

	while ((fd = SYS(dup, 0)) >= 0) {
		last = fd;
		opened++;
	}
	KEXPECT_EQ(fd, -EMFILE);
	KEXPECT_EQ(last, FILES_MAX - 1);
	KEXPECT_EQ(opened, FILES_MAX - 3);
	KEXPECT_EQ(SYS(open, U(ustr(env, "/proc/meminfo")), O_RDONLY, 0), -EMFILE);
	KEXPECT_EQ(SYS(close, 500), 0);
	KEXPECT_EQ(SYS(dup, 0), 500);
	for (fd = 3; fd < FILES_MAX; fd++)
		SYS(close, U(fd));
	KEXPECT_EQ(SYS(dup, 0), 3);
}

USER_KTEST(paths_and_cwd)
{
	char *buf = ualloc(env, 64);
	struct stat *st = ualloc(env, sizeof(*st));
	char *longpath = ualloc(env, PATH_MAX + 8);
	long fd;

	make_dir(env, "/fsktest");
	make_dir(env, "/fsktest/sub");
	SYS(close, U(make_file(env, "/fsktest/sub/f", "hello")));
	KEXPECT_EQ(SYS(chdir, U(ustr(env, "/fsktest/./sub/"))), 0);
	KEXPECT_EQ(SYS(getcwd, U(buf), 64), 13);
	KEXPECT(!strcmp(kalias(env, buf), "/fsktest/sub"));
	KEXPECT_EQ(SYS(getcwd, U(buf), 5), -ERANGE);
	fd = SYS(open, U(ustr(env, "f")), O_RDONLY, 0);
	KEXPECT(fd >= 0);
	KEXPECT_EQ(SYS(chdir, U(ustr(env, "f"))), -ENOTDIR);
	KEXPECT_EQ(SYS(chdir, U(ustr(env, "nope"))), -ENOENT);
	KEXPECT_EQ(SYS(fchdir, U(fd)), -ENOTDIR);
	KEXPECT_EQ(SYS(openat, U(fd), U(ustr(env, "x")), O_RDONLY, 0), -ENOTDIR);
	SYS(close, U(fd));
	KEXPECT_EQ(SYS(chdir, U(ustr(env, "../.."))), 0);
	KEXPECT_EQ(SYS(getcwd, U(buf), 64), 2);
	KEXPECT_EQ(SYS(stat, U(ustr(env, "")), U(st)), -ENOENT);
	memset(kalias(env, longpath), 'a', PATH_MAX + 1);
	KEXPECT_EQ(SYS(open, U(longpath), O_RDONLY, 0), -ENAMETOOLONG);
}

USER_KTEST(dirfd_relative_stat_and_access)
{
	struct stat *st = ualloc(env, sizeof(*st));
	struct statx *sx = ualloc(env, sizeof(*sx));
	long dirfd, fd;

	make_dir(env, "/fsktest");
	make_dir(env, "/fsktest/sub");
	SYS(close, U(make_file(env, "/fsktest/sub/f", "hello")));
	dirfd = SYS(open, U(ustr(env, "/fsktest")), O_RDONLY | O_DIRECTORY, 0);
	KASSERT(dirfd >= 0);
	fd = SYS(openat, U(dirfd), U(ustr(env, "sub/f")), O_RDONLY, 0);
	KEXPECT(fd >= 0);
	KEXPECT_EQ(SYS(newfstatat, U(fd), U(ustr(env, "")), U(st), AT_EMPTY_PATH), 0);
	KEXPECT_EQ(((struct stat *)kalias(env, st))->st_size, 5);
	KEXPECT_EQ(SYS(newfstatat, U(dirfd), U(ustr(env, "sub")), U(st), 0), 0);
	KEXPECT(S_ISDIR(((struct stat *)kalias(env, st))->st_mode));
	KEXPECT_EQ(SYS(newfstatat, U(dirfd), U(ustr(env, "")), U(st), 0), -ENOENT);
	KEXPECT_EQ(SYS(newfstatat, U(dirfd), U(ustr(env, "sub")), U(st), 0x4), -EINVAL);
	KEXPECT_EQ(SYS(fchdir, U(dirfd)), 0);
	KEXPECT_EQ(SYS(statx, AT_FDCWD, U(ustr(env, "sub/f")), 0, STATX_BASIC_STATS, U(sx)), 0);
	KEXPECT_EQ(((struct statx *)kalias(env, sx))->stx_size, 5);
	KEXPECT(S_ISREG(((struct statx *)kalias(env, sx))->stx_mode));
	KEXPECT_EQ(SYS(statx, AT_FDCWD, U(ustr(env, "sub/f")), 0x6000, 0, U(sx)), -EINVAL);
	KEXPECT_EQ(SYS(statx, AT_FDCWD, U(ustr(env, "sub/f")), 0, 0x80000000UL, U(sx)), -EINVAL);
	KEXPECT_EQ(SYS(access, U(ustr(env, "sub/f")), R_OK | W_OK), 0);
	KEXPECT_EQ(SYS(access, U(ustr(env, "sub/f")), X_OK), -EACCES);
	KEXPECT_EQ(SYS(access, U(ustr(env, "sub/f")), 8), -EINVAL);
	KEXPECT_EQ(SYS(faccessat2, U(dirfd), U(ustr(env, "sub")), X_OK, 0x8000), -EINVAL);
	KEXPECT_EQ(SYS(chdir, U(ustr(env, "/"))), 0);
	SYS(close, U(fd));
	SYS(close, U(dirfd));
}

USER_KTEST(mkdir_unlink_rename)
{
	struct stat *st = ualloc(env, sizeof(*st));

	make_dir(env, "/fsktest");
	KEXPECT_EQ(SYS(mkdir, U(ustr(env, "/fsktest/m")), 0755), 0);
	KEXPECT_EQ(SYS(mkdir, U(ustr(env, "/fsktest/m")), 0755), -EEXIST);
	SYS(close, U(make_file(env, "/fsktest/m/a", "A")));
	KEXPECT_EQ(SYS(rmdir, U(ustr(env, "/fsktest/m"))), -ENOTEMPTY);
	KEXPECT_EQ(SYS(rename, U(ustr(env, "/fsktest/m/a")), U(ustr(env, "/fsktest/m/b"))), 0);
	KEXPECT_EQ(SYS(stat, U(ustr(env, "/fsktest/m/a")), U(st)), -ENOENT);
	KEXPECT_EQ(SYS(lstat, U(ustr(env, "/fsktest/m/b")), U(st)), 0);
	KEXPECT_EQ(SYS(unlinkat, AT_FDCWD, U(ustr(env, "/fsktest/m/b")), 1), -EINVAL);
	KEXPECT_EQ(SYS(unlink, U(ustr(env, "/fsktest/m/b"))), 0);
	KEXPECT_EQ(SYS(unlink, U(ustr(env, "/fsktest/m/b"))), -ENOENT);
	KEXPECT_EQ(SYS(unlinkat, AT_FDCWD, U(ustr(env, "/fsktest/m")), AT_REMOVEDIR), 0);
	KEXPECT_EQ(SYS(mkdirat, AT_FDCWD, U(ustr(env, "/fsktest/m")), 0700), 0);
	KEXPECT_EQ(SYS(renameat, AT_FDCWD, U(ustr(env, "/fsktest/m")), AT_FDCWD,
		       U(ustr(env, "/fsktest/n"))), 0);
	KEXPECT_EQ(SYS(rmdir, U(ustr(env, "/fsktest/n"))), 0);
}
