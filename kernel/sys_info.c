// SPDX-License-Identifier: GPL-2.0
/*
 * Simple system calls about the calling task: identity (uname, getpid and
 * friends, process groups and sessions), umask, resource limits, CPU
 * affinity, sched_yield, prctl names, the robust-futex list and
 * clear_child_tid registration, rseq (absent) and madvise (advice checked).
 *
 * uname reports sysname "Linux" and a Linux-like release ("6.1.0-mosaic"):
 * glibc's static start-up parses the release to check the kernel is new
 * enough, and programs that print or compare sysname expect Linux. The
 * version field says Mosaic, so `uname -a` still shows what runs.
 *
 * There is no process table yet: calls that name another process (pid not
 * 0 and not the caller) return -ESRCH. Limits, umask and the rest live in
 * struct task; fork/clone (the lead's process code) copies them.
 *
 * Context: every call runs in the calling task's context and may sleep.
 */
#include <mosaic/errno.h>
#include <mosaic/init.h>
#include <mosaic/mm.h>
#include <mosaic/sched.h>
#include <mosaic/smp.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/mman.h>
#include <uapi/prctl.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <uapi/utsname.h>

/* ---- uname ---- */

static void fill_utsname(struct new_utsname *u)
{
	memset(u, 0, sizeof(*u));
	strlcpy(u->sysname, "Linux", sizeof(u->sysname));
	strlcpy(u->nodename, "mosaic", sizeof(u->nodename));
	strlcpy(u->release, "6.1.0-mosaic", sizeof(u->release));
	strlcpy(u->version, "#1 SMP Mosaic " MOSAIC_VERSION, sizeof(u->version));
	strlcpy(u->machine, "x86_64", sizeof(u->machine));
	strlcpy(u->domainname, "(none)", sizeof(u->domainname));
}

SYSCALL_DEFINE1(uname, __NR_uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	fill_utsname(&u);
	return copy_to_user(name, &u, sizeof(u));
}

/* ---- ids ---- */

SYSCALL_DEFINE0(getpid, __NR_getpid) { return current_task()->tgid; }
SYSCALL_DEFINE0(gettid, __NR_gettid) { return current_task()->pid; }
SYSCALL_DEFINE0(getppid, __NR_getppid) { return current_task()->ppid; }
/* Everyone is root: there are no users or capabilities yet. */
SYSCALL_DEFINE0(getuid, __NR_getuid) { return 0; }
SYSCALL_DEFINE0(geteuid, __NR_geteuid) { return 0; }
SYSCALL_DEFINE0(getgid, __NR_getgid) { return 0; }
SYSCALL_DEFINE0(getegid, __NR_getegid) { return 0; }

/* pid 0 or the caller's own pid/tgid: the caller; anything else is unknown. */
static struct task *task_by_pid(int pid)
{
	struct task *self = current_task();

	if (pid == 0 || pid == self->tgid || pid == self->pid)
		return self;
	return NULL;
}

static int task_pgid(const struct task *t) { return t->pgid ? t->pgid : t->tgid; }
static int task_sid(const struct task *t) { return t->sid ? t->sid : t->tgid; }

SYSCALL_DEFINE0(getpgrp, __NR_getpgrp) { return task_pgid(current_task()); }

SYSCALL_DEFINE1(getpgid, __NR_getpgid, int, pid)
{
	struct task *t = pid < 0 ? NULL : task_by_pid(pid);

	return t ? task_pgid(t) : (pid < 0 ? -EINVAL : -ESRCH);
}

SYSCALL_DEFINE1(getsid, __NR_getsid, int, pid)
{
	struct task *t = pid < 0 ? NULL : task_by_pid(pid);

	return t ? task_sid(t) : (pid < 0 ? -EINVAL : -ESRCH);
}

/* Only the caller may move, and only into its own group or one it names. */
SYSCALL_DEFINE2(setpgid, __NR_setpgid, int, pid, int, pgid)
{
	struct task *t;

	if (pid < 0 || pgid < 0)
		return -EINVAL;
	t = task_by_pid(pid);
	if (!t)
		return -ESRCH;
	if (t->sid == t->tgid)
		return -EPERM;	/* a session leader (by setsid) cannot change group */
	t->pgid = pgid ? pgid : t->tgid;
	return 0;
}

SYSCALL_DEFINE0(setsid, __NR_setsid)
{
	struct task *self = current_task();

	if (self->sid == self->tgid)
		return -EPERM;	/* already leads a session */
	self->sid = self->pgid = self->tgid;
	return self->tgid;
}

SYSCALL_DEFINE1(umask, __NR_umask, unsigned int, mask)
{
	struct task *self = current_task();
	unsigned int old = self->umask;

	self->umask = mask & 0777;
	return old;
}

/* ---- resource limits ---- */

#define NR_OPEN_MAX (1024 * 1024)	/* Linux's fs.nr_open default */
#define RLIM_INF RLIM_INFINITY

const struct rlimit64 rlimit_defaults[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INF, RLIM_INF },
	[RLIMIT_FSIZE] = { RLIM_INF, RLIM_INF },
	[RLIMIT_DATA] = { RLIM_INF, RLIM_INF },
	[RLIMIT_STACK] = { 8UL << 20, RLIM_INF },
	[RLIMIT_CORE] = { 0, RLIM_INF },
	[RLIMIT_RSS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_NPROC] = { 4096, 4096 },
	[RLIMIT_NOFILE] = { 1024, 4096 },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_LOCKS] = { RLIM_INF, RLIM_INF },
	[RLIMIT_SIGPENDING] = { 4096, 4096 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INF, RLIM_INF },
};

/*
 * May lim replace old? The soft limit may not pass the hard one, and with
 * no capabilities the hard limit may only go down (Linux without
 * CAP_SYS_RESOURCE). NOFILE is also capped by nr_open.
 */
static int rlimit_check(unsigned int resource, const struct rlimit64 *old,
			const struct rlimit64 *lim)
{
	if (lim->rlim_cur > lim->rlim_max)
		return -EINVAL;
	if (lim->rlim_max > old->rlim_max)
		return -EPERM;
	if (resource == RLIMIT_NOFILE && lim->rlim_max > NR_OPEN_MAX)
		return -EPERM;
	return 0;
}

/* The core of prlimit64, getrlimit and setrlimit (pointers already copied). */
static int do_prlimit(struct task *t, unsigned int resource, const struct rlimit64 *new,
		      struct rlimit64 *old)
{
	int err;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		err = rlimit_check(resource, &t->rlim[resource], new);
		if (err)
			return err;
	}
	if (old)
		*old = t->rlim[resource];
	if (new)
		t->rlim[resource] = *new;
	return 0;
}

SYSCALL_DEFINE4(prlimit64, __NR_prlimit64, int, pid, unsigned int, resource,
		const struct rlimit64 __user *, new_rlim, struct rlimit64 __user *, old_rlim)
{
	struct rlimit64 new, old;
	struct task *t = pid < 0 ? NULL : task_by_pid(pid);
	int err;

	if (!t)
		return pid < 0 ? -EINVAL : -ESRCH;
	if (new_rlim && copy_from_user(&new, new_rlim, sizeof(new)))
		return -EFAULT;
	err = do_prlimit(t, resource, new_rlim ? &new : NULL, old_rlim ? &old : NULL);
	if (!err && old_rlim)
		err = copy_to_user(old_rlim, &old, sizeof(old));
	return err;
}

SYSCALL_DEFINE2(getrlimit, __NR_getrlimit, unsigned int, resource,
		struct rlimit64 __user *, rlim)
{
	struct rlimit64 old;
	int err = do_prlimit(current_task(), resource, NULL, &old);

	return err ? err : copy_to_user(rlim, &old, sizeof(old));
}

SYSCALL_DEFINE2(setrlimit, __NR_setrlimit, unsigned int, resource,
		const struct rlimit64 __user *, rlim)
{
	struct rlimit64 new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current_task(), resource, &new, NULL);
}

/* ---- scheduling ---- */

SYSCALL_DEFINE0(sched_yield, __NR_sched_yield)
{
	yield();
	return 0;
}

/* Every task may run on any online CPU as far as user space can tell. */
SYSCALL_DEFINE3(sched_getaffinity, __NR_sched_getaffinity, int, pid, unsigned int, len,
		unsigned long __user *, user_mask)
{
	cpumask_t mask = cpu_online_mask();

	if (len < sizeof(mask) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (pid < 0 || !task_by_pid(pid))
		return pid < 0 ? -EINVAL : -ESRCH;
	if (copy_to_user(user_mask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* ---- prctl ---- */

static int prctl_set_name(const char __user *uname)
{
	char name[TASK_NAME_LEN];
	long n = strncpy_from_user(name, uname, sizeof(name));

	if (n == -EFAULT)
		return -EFAULT;
	name[sizeof(name) - 1] = '\0';	/* longer names are cut, as Linux does */
	strlcpy(current_task()->name, name, sizeof(name));
	return 0;
}

static int prctl_get_name(char __user *uname)
{
	char name[TASK_NAME_LEN];

	strlcpy(name, current_task()->name, sizeof(name));
	return copy_to_user(uname, name, sizeof(name));
}

SYSCALL_DEFINE5(prctl, __NR_prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	switch (option) {
	case PR_SET_NAME:
		return prctl_set_name((const char __user *)arg2);
	case PR_GET_NAME:
		return prctl_get_name((char __user *)arg2);
	default:
		return -EINVAL;
	}
}

/* ---- thread bookkeeping for libc ---- */

/* Linux with CONFIG_RSEQ=n: glibc then goes on without it. Registered so no log line. */
SYSCALL_DEFINE4(rseq, __NR_rseq, void __user *, rseq, u32, len, int, flags, u32, sig)
{
	return -ENOSYS;
}

/* struct robust_list_head: list pointer, futex offset, pending pointer. */
#define ROBUST_LIST_HEAD_SIZE 24

SYSCALL_DEFINE2(set_robust_list, __NR_set_robust_list, void __user *, head, size_t, len)
{
	struct task *self = current_task();

	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	self->robust_list = (unsigned long)head;
	self->robust_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, __NR_get_robust_list, int, pid,
		unsigned long __user *, head_ptr, size_t __user *, len_ptr)
{
	struct task *t = pid < 0 ? NULL : task_by_pid(pid);

	if (!t)
		return -ESRCH;
	if (put_user(t->robust_len, len_ptr))
		return -EFAULT;
	return put_user(t->robust_list, head_ptr);
}

/* The futex word to clear and wake when the thread exits (the lead's exit path). */
SYSCALL_DEFINE1(set_tid_address, __NR_set_tid_address, int __user *, tidptr)
{
	struct task *self = current_task();

	self->clear_child_tid = (unsigned long)tidptr;
	return self->pid;
}

/* Memory is the local node's; no load average or swap is kept. */
SYSCALL_DEFINE1(sysinfo, __NR_sysinfo, struct linux_sysinfo __user *, info)
{
	struct linux_sysinfo si = {
		.uptime = ktime_ns() / 1000000000ULL,
		.totalram = nr_total_pages(),
		.freeram = nr_free_pages(),
		.procs = 1,
		.mem_unit = PAGE_SIZE,
	};

	BUILD_BUG_ON(sizeof(struct linux_sysinfo) != 112);
	return copy_to_user(info, &si, sizeof(si));
}
