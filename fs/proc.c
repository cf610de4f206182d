// SPDX-License-Identifier: GPL-2.0
/*
 * /proc: synthetic files. A file is a name and a show() function
 * registered with proc_register(); opening it runs show() once and reads
 * come from that snapshot. A file given a store() with proc_register_store()
 * may also be opened write-only: each write() hands its bytes to store()
 * (a command such as "reset"), nothing is kept. Also here: the /proc and /proc/self directories
 * and the /proc/self/exe link (the task's executable, see task_set_exe()),
 * and /proc/self/maps (the memory manager's vmas of the caller, by RPC).
 * /proc/<own tgid> is another name for /proc/self.
 * fs/ registers meminfo, cpuinfo and mounts; other subsystems add their own.
 *
 * Lock order: proc_lock only (the registry; show() runs without it).
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/list.h>
#include <mosaic/memory.h>
#include <mosaic/mm_types.h>
#include <mosaic/mm.h>
#include <mosaic/percpu.h>
#include <mosaic/printk.h>
#include <mosaic/process.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
#include <mosaic/time.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>

#include "internal.h"

BUILD_BUG_ON(offsetof(struct linux_dirent64, d_name) != 19);

#define PROC_NAME_MAX 32
#define PROC_SHOW_FIRST 4096
#define PROC_SHOW_MAX (64 * 1024)
#define PROC_SELF_EXE "/proc/self/exe"

struct proc_entry {
	struct list_head link;
	char name[PROC_NAME_MAX];
	long (*show)(char *buf, size_t size);
	long (*store)(const char *buf, size_t len);	/* NULL: read-only */
};

static LIST_HEAD(proc_entries);
static DEFINE_SPINLOCK(proc_lock);

/* The entry called name (Context: proc_lock held), or NULL. */
static struct proc_entry *proc_find_locked(const char *name)
{
	struct proc_entry *e;

	list_for_each_entry(e, &proc_entries, link)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static bool proc_name_ok(const char *name)
{
	size_t len = name ? strnlen(name, PROC_NAME_MAX) : 0;

	return len && len < PROC_NAME_MAX && !strchr(name, '/') && strcmp(name, "self") &&
	       strcmp(name, ".") && strcmp(name, "..");
}

int proc_register(const char *name, long (*show)(char *buf, size_t size))
{
	struct proc_entry *e;
	int err = 0;

	if (!proc_name_ok(name) || !show)
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	strlcpy(e->name, name, sizeof(e->name));
	e->show = show;
	spin_lock(&proc_lock);
	if (proc_find_locked(name))
		err = -EEXIST;
	else
		list_add_tail(&e->link, &proc_entries);
	spin_unlock(&proc_lock);
	if (err)
		kfree(e);
	return err;
}

int proc_register_store(const char *name, long (*store)(const char *buf, size_t len))
{
	struct proc_entry *e;

	if (!store)
		return -EINVAL;
	spin_lock(&proc_lock);
	e = proc_name_ok(name) ? proc_find_locked(name) : NULL;
	if (e)
		e->store = store;
	spin_unlock(&proc_lock);
	return e ? 0 : -ENOENT;
}

/* What a /proc path names. */
enum proc_kind {
	PROC_ROOT,		/* /proc */
	PROC_GLOBAL,		/* /proc/NAME, registered */
	PROC_PID_DIR,		/* /proc/PID, /proc/self */
	PROC_PID_EXE,		/* /proc/PID/exe */
	PROC_PID_FILE,		/* /proc/PID/NAME */
};

struct proc_node {
	enum proc_kind kind;
	long (*show)(char *buf, size_t size);	/* PROC_GLOBAL */
	proc_pid_show_fn pid_show;		/* PROC_PID_FILE */
	struct proc_target target;		/* PROC_PID_*: referenced */
	bool self_link;				/* exactly /proc/self: a link */
};

static long (*proc_lookup_global(const char *name))(char *, size_t)
{
	long (*show)(char *, size_t) = NULL;
	struct proc_entry *e;

	spin_lock(&proc_lock);
	e = proc_find_locked(name);
	if (e)
		show = e->show;
	spin_unlock(&proc_lock);
	return show;
}

/* The PROC_PID_* node for rest ("", "/exe", "/NAME"). Context: node->target held. */
static int proc_resolve_pid(const char *rest, struct proc_node *node)
{
	if (!*rest) {
		node->kind = PROC_PID_DIR;
		return 0;
	}
	if (!strcmp(rest, "/exe")) {
		node->kind = PROC_PID_EXE;
		return 0;
	}
	node->kind = PROC_PID_FILE;
	node->pid_show = proc_pid_lookup(rest + 1);
	return node->pid_show ? 0 : -ENOENT;
}

/* Classify path (under /proc); 0 or -ENOENT. Release with proc_node_put(). */
static int proc_resolve(const char *path, struct proc_node *node)
{
	const char *rest;
	int err;

	memset(node, 0, sizeof(*node));
	if (!strcmp(path, "/proc")) {
		node->kind = PROC_ROOT;
		return 0;
	}
	node->show = proc_lookup_global(path + 6);
	if (node->show) {
		node->kind = PROC_GLOBAL;
		return 0;
	}
	err = proc_pid_get(path, &node->target, &rest);
	if (err)
		return err;
	node->self_link = !strcmp(path, "/proc/self");
	err = proc_resolve_pid(rest, node);
	if (err)
		proc_pid_put(&node->target);
	return err;
}

static void proc_node_put(struct proc_node *node)
{
	if (node->target.proc)
		proc_pid_put(&node->target);
}

bool proc_path(const char *path)
{
	return !strncmp(path, "/proc", 5) && (path[5] == '\0' || path[5] == '/');
}

/* ---- a snapshot file ---- */

struct proc_text {
	char *buf;
	size_t len;
};

static long proc_node_show(const struct proc_node *node, char *buf, size_t size)
{
	return node->pid_show ? node->pid_show(&node->target, buf, size) : node->show(buf, size);
}

/* Run the node's show into a buffer that fits, growing it up to PROC_SHOW_MAX (then cut). */
static int proc_generate(const struct proc_node *node, struct proc_text *text)
{
	size_t size = PROC_SHOW_FIRST;
	long n;

	for (;;) {
		text->buf = kmalloc(size);
		if (!text->buf)
			return -ENOMEM;
		n = proc_node_show(node, text->buf, size);
		if (n < 0) {
			kfree(text->buf);
			return (int)n;
		}
		if ((size_t)n < size || size >= PROC_SHOW_MAX)
			break;
		kfree(text->buf);
		size *= 4;
	}
	text->len = min((size_t)n, size);
	return 0;
}

static long proc_text_read(struct file *f, char *buf, size_t len, loff_t *pos)
{
	struct proc_text *text = f->private_data;
	size_t n;

	if ((u64)*pos >= text->len)
		return 0;
	n = min(len, text->len - (size_t)*pos);
	memcpy(buf, text->buf + *pos, n);
	*pos += (loff_t)n;
	return (long)n;
}

static loff_t proc_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t base;

	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = f->pos;
	else
		return -EINVAL;	/* no SEEK_END: the size of a /proc file is unknown (0) */
	if (offset > 0 && base > LONG_MAX - offset)
		return -EINVAL;
	if (base + offset < 0)
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}

static void proc_stat_fill(u32 mode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 3;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;
	st->st_mode = mode;
	st->st_blksize = 1024;
}

static int proc_text_fstat(struct file *f, struct stat *st)
{
	proc_stat_fill(S_IFREG | 0444, st);
	return 0;
}

static void proc_text_release(struct file *f)
{
	struct proc_text *text = f->private_data;

	kfree(text->buf);
	kfree(text);
}

static const struct file_operations proc_text_fops = {
	.read = proc_text_read,
	.llseek = proc_llseek,
	.fstat = proc_text_fstat,
	.release = proc_text_release,
};

static struct file *proc_open_text(const char *path, const struct proc_node *node)
{
	struct proc_text *text = kzalloc(sizeof(*text));
	struct file *f;
	int err;

	if (!text)
		return ERR_PTR(-ENOMEM);
	err = proc_generate(node, text);
	if (err) {
		kfree(text);
		return ERR_PTR(err);
	}
	f = file_alloc(&proc_text_fops, O_RDONLY, S_IFREG, path, text);
	if (!f) {
		kfree(text->buf);
		kfree(text);
		return ERR_PTR(-ENOMEM);
	}
	return f;
}

/* ---- the directories ---- */

/* Append one record at *off if it fits: false when it does not. */
static bool dirent_put(void *buf, size_t len, size_t *off, u64 ino, s64 next, u8 type,
		       const char *name)
{
	size_t nlen = strlen(name);
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + nlen + 1, (size_t)8);
	struct linux_dirent64 *d = (struct linux_dirent64 *)((char *)buf + *off);

	if (*off + reclen > len)
		return false;
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = (u16)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, nlen);
	*off += reclen;
	return true;
}

#define PROC_PID_POS 0x100000	/* /proc's PID entries sit at this position + tgid */

/*
 * The /proc entry at position *pos or the next one after it: ".", "..",
 * "self", the registered files, then the processes by tgid. *pos becomes
 * the entry's position. false at the end.
 */
static bool proc_root_entry(loff_t *pos, char *name, u8 *type)
{
	static const char *const fixed[] = { ".", "..", "self" };
	struct proc_entry *e;
	loff_t i = ARRAY_SIZE(fixed);
	int tgid;

	*type = *pos < 2 ? DT_DIR : *pos == 2 ? DT_LNK : DT_REG;
	if (*pos < i) {
		strlcpy(name, fixed[*pos], PROC_NAME_MAX);
		return true;
	}
	spin_lock(&proc_lock);
	list_for_each_entry(e, &proc_entries, link)
		if (i++ == *pos)
			strlcpy(name, e->name, PROC_NAME_MAX);
	spin_unlock(&proc_lock);
	if (*pos < i)
		return true;
	tgid = proc_pid_next(*pos > PROC_PID_POS ? (int)(*pos - PROC_PID_POS) - 1 : 0);
	if (tgid <= 0)
		return false;
	*pos = PROC_PID_POS + tgid;
	*type = DT_DIR;
	snprintf(name, PROC_NAME_MAX, "%d", tgid);
	return true;
}

/* Entry *pos of /proc/PID: ".", "..", "exe", then its files. */
static bool proc_pid_dir_entry(loff_t *pos, char *name, u8 *type)
{
	static const char *const fixed[] = { ".", "..", "exe" };
	loff_t nfixed = ARRAY_SIZE(fixed);
	const char *file;

	if (*pos < nfixed) {
		strlcpy(name, fixed[*pos], PROC_NAME_MAX);
		*type = *pos == 2 ? DT_LNK : DT_DIR;
		return true;
	}
	file = proc_pid_file_name((size_t)(*pos - nfixed));
	if (!file)
		return false;
	strlcpy(name, file, PROC_NAME_MAX);
	*type = DT_REG;
	return true;
}

static long proc_dir_getdents(struct file *f, void *buf, size_t len)
{
	bool root = !strcmp(f->path, "/proc");
	char name[PROC_NAME_MAX];
	size_t off = 0;
	loff_t at;
	u8 type;

	for (;;) {
		at = f->pos;
		if (!(root ? proc_root_entry(&at, name, &type) : proc_pid_dir_entry(&at, name, &type)))
			break;
		if (!dirent_put(buf, len, &off, (u64)at + 1, at + 1, type, name))
			return off ? (long)off : -EINVAL;	/* Linux: buffer too small */
		f->pos = at + 1;
	}
	return (long)off;
}

static int proc_dir_fstat(struct file *f, struct stat *st)
{
	proc_stat_fill(S_IFDIR | 0555, st);
	return 0;
}

static const struct file_operations proc_dir_fops = {
	.llseek = proc_llseek,
	.fstat = proc_dir_fstat,
	.getdents = proc_dir_getdents,
};

/* ---- a command file (opened for writing) ---- */

#define PROC_STORE_MAX 64	/* the longest command a store() is given */

static long proc_store_write(struct file *f, const char *buf, size_t len, loff_t *pos)
{
	long (*store)(const char *buf, size_t len) = f->private_data;

	if (len > PROC_STORE_MAX)
		return -EINVAL;
	return store(buf, len);
}

static const struct file_operations proc_store_fops = {
	.write = proc_store_write,
	.fstat = proc_text_fstat,
};

/* Open the registered /proc/<name> write-only: it needs a store() (else -EACCES). */
static struct file *proc_open_store(const char *path, unsigned int flags)
{
	long (*store)(const char *buf, size_t len) = NULL;
	struct proc_entry *e;
	struct file *f;

	spin_lock(&proc_lock);
	e = proc_find_locked(path + 6);
	if (e)
		store = e->store;	/* entries are never freed or changed back */
	spin_unlock(&proc_lock);
	if (!store || (flags & O_ACCMODE) != O_WRONLY || (flags & O_DIRECTORY))
		return ERR_PTR(-EACCES);
	f = file_alloc(&proc_store_fops, O_WRONLY, S_IFREG, path, store);
	return f ? f : ERR_PTR(-ENOMEM);
}

/* ---- lookups from the system calls ---- */

static struct file *proc_open_node(const char *path, struct proc_node *node, unsigned int flags)
{
	bool dir = node->kind == PROC_ROOT || node->kind == PROC_PID_DIR;
	struct file *f;

	if (node->kind == PROC_PID_EXE)
		return (flags & O_NOFOLLOW) ? ERR_PTR(-ELOOP)
					    : open_path(node->target.proc->exe, flags, 0);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))) {
		if (node->kind == PROC_GLOBAL)
			return proc_open_store(path, flags);	/* "echo reset > /proc/x" */
		return ERR_PTR(dir ? -EISDIR : -EACCES);
	}
	if (!dir)
		return (flags & O_DIRECTORY) ? ERR_PTR(-ENOTDIR) : proc_open_text(path, node);
	if (node->self_link && (flags & O_NOFOLLOW))
		return ERR_PTR(-ELOOP);
	f = file_alloc(&proc_dir_fops, O_RDONLY, S_IFDIR, path, NULL);
	return f ? f : ERR_PTR(-ENOMEM);
}

struct file *proc_open(const char *path, unsigned int flags)
{
	struct proc_node node;
	struct file *f;
	int err = proc_resolve(path, &node);

	if (err)
		return ERR_PTR(err);
	f = proc_open_node(path, &node, flags);
	proc_node_put(&node);
	return f;
}

static int proc_stat_node(const struct proc_node *node, bool follow, struct stat *st)
{
	if (node->kind == PROC_PID_EXE && follow)
		return stat_path(node->target.proc->exe, true, st);
	if (node->kind == PROC_PID_EXE || (node->self_link && !follow))
		proc_stat_fill(S_IFLNK | 0777, st);
	else if (node->kind == PROC_ROOT || node->kind == PROC_PID_DIR)
		proc_stat_fill(S_IFDIR | 0555, st);
	else
		proc_stat_fill(S_IFREG | 0444, st);
	return 0;
}

int proc_stat(const char *path, bool follow, struct stat *st)
{
	struct proc_node node;
	int err = proc_resolve(path, &node);

	if (err)
		return err;
	err = proc_stat_node(&node, follow, st);
	proc_node_put(&node);
	return err;
}

/* /proc/self reads as the caller's tgid, /proc/PID/exe as the executable. */
static long proc_readlink_node(const struct proc_node *node, char *buf, size_t size)
{
	char self[PROC_NAME_MAX];
	const char *target = self;
	size_t len;

	if (node->self_link)
		snprintf(self, sizeof(self), "%d", node->target.proc->tgid);
	else if (node->kind == PROC_PID_EXE)
		target = node->target.proc->exe;
	else
		return -EINVAL;
	len = min(strlen(target), size);
	memcpy(buf, target, len);
	return (long)len;
}

long proc_readlink(const char *path, char *buf, size_t size)
{
	struct proc_node node;
	long ret = proc_resolve(path, &node);

	if (!ret) {
		ret = proc_readlink_node(&node, buf, size);
		proc_node_put(&node);
	}
	return ret;
}

/* ---- the files fs/ provides ---- */

/* One MAPS request for mm's vmas from req->from on: 0 or -errno. */
static long maps_fetch(struct mm_struct *mm, struct mem_maps_req *req, struct mem_maps_reply *rep)
{
	long ret;

	req->tgid = mm->tgid;
	ret = rpc_call(mm->home_node, RPC_MEM_MAPS, req, sizeof(*req), rep, RPC_MAX_PAYLOAD);
	if (ret >= 0 && (size_t)ret < sizeof(*rep) + rep->len)
		ret = -EPROTO;
	return ret < 0 ? ret : rep->err;
}

/* /proc/self/maps: the memory manager formats the caller's vmas (RPC_MEM_MAPS). */
long proc_maps_show(char *buf, size_t size)
{
	struct task *self = current_task();
	struct mem_maps_req req = { 0 };
	struct mem_maps_reply *rep;
	size_t used = 0;
	long err = 0;

	if (!self || !self->mm)
		return 0;	/* a kernel thread maps nothing */
	rep = kmalloc(RPC_MAX_PAYLOAD);
	if (!rep)
		return -ENOMEM;
	do {
		err = maps_fetch(self->mm, &req, rep);
		if (err)
			break;
		if (used + rep->len >= size) {
			used = size;	/* ask for a bigger buffer */
			break;
		}
		memcpy(buf + used, rep->text, rep->len);
		used += rep->len;
		req.from = rep->next;
	} while (rep->next);
	kfree(rep);
	return err ? err : (long)used;
}

static long meminfo_show(char *buf, size_t size)
{
	unsigned long total = nr_total_pages() * (PAGE_SIZE / 1024);
	unsigned long free = nr_free_pages() * (PAGE_SIZE / 1024);

	return snprintf(buf, size, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
			"MemAvailable:   %8lu kB\n", total, free, free);
}

static void cpu_vendor(char vendor[13])
{
	u32 a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
}

static long cpuinfo_show(char *buf, size_t size)
{
	char vendor[13];
	size_t len = 0;
	unsigned int cpu;

	cpu_vendor(vendor);
	for_each_online_cpu(cpu) {
		len += (size_t)snprintf(buf + min(len, size), size - min(len, size),
					"processor\t: %u\nvendor_id\t: %s\napicid\t\t: %u\n\n",
					cpu, vendor, cpu_locals[cpu].apic_id);
	}
	return (long)len;
}

/* /proc/mounts: one root file system on the storage node, and /proc (for df, mount). */
static long mounts_show(char *buf, size_t size)
{
	return snprintf(buf, size, "rootfs / rootfs rw 0 0\nproc /proc proc rw 0 0\n");
}

/* /proc/uptime: seconds since boot; no idle accounting (0). */
static long uptime_show(char *buf, size_t size)
{
	u64 ns = ktime_ns();

	return snprintf(buf, size, "%llu.%02llu 0.00\n", (unsigned long long)(ns / 1000000000),
			(unsigned long long)(ns % 1000000000 / 10000000));
}

/* /proc/stat and /proc/loadavg for top and uptime: no CPU time accounting, all zero. */
static long stat_show(char *buf, size_t size)
{
	u64 boot = (ktime_get_real_ns() - ktime_ns()) / 1000000000;

	return snprintf(buf, size, "cpu  0 0 0 0 0 0 0 0 0 0\nbtime %llu\n",
			(unsigned long long)boot);
}

static long loadavg_show(char *buf, size_t size)
{
	return snprintf(buf, size, "0.00 0.00 0.00 0/0 0\n");
}

void proc_init(void)
{
	if (proc_register("meminfo", meminfo_show) || proc_register("cpuinfo", cpuinfo_show) ||
	    proc_register("mounts", mounts_show) || proc_register("uptime", uptime_show) ||
	    proc_register("stat", stat_show) || proc_register("loadavg", loadavg_show))
		pr_warn("proc: could not register meminfo/cpuinfo/mounts/uptime/stat/loadavg\n");
}
