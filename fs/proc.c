// SPDX-License-Identifier: GPL-2.0
/*
 * /proc: synthetic files. A file is a name and a show() function
 * registered with proc_register(); opening it runs show() once and reads
 * come from that snapshot. A file given a store() with proc_register_store()
 * may also be opened for writing: each write() hands its bytes to store()
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
#include <mosaic/rpc.h>
#include <mosaic/sched.h>
#include <mosaic/string.h>
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

/*
 * /proc/self/... and /proc/<the caller's tgid>/...: what follows the
 * directory ("" for the directory itself, else "/name"), or NULL for any
 * other path.
 */
static const char *proc_self_rest(const char *path)
{
	struct task *self = current_task();
	char own[PROC_NAME_MAX];
	size_t len;

	if (!strncmp(path, "/proc/self", 10) && (path[10] == '\0' || path[10] == '/'))
		return path + 10;
	if (!self || !self->tgid)
		return NULL;
	snprintf(own, sizeof(own), "/proc/%d", self->tgid);
	len = strlen(own);
	if (!strncmp(path, own, len) && (path[len] == '\0' || path[len] == '/'))
		return path + len;
	return NULL;
}

static long maps_show(char *buf, size_t size);

/* The files in /proc/self besides exe: about the calling process. */
static const struct proc_self_file {
	const char *name;
	long (*show)(char *buf, size_t size);
} proc_self_files[] = {
	{ "maps", maps_show },
};

static long (*proc_self_show(const char *rest))(char *, size_t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(proc_self_files); i++)
		if (rest[0] == '/' && !strcmp(rest + 1, proc_self_files[i].name))
			return proc_self_files[i].show;
	return NULL;
}

/* The registered entry "/proc/<name>" (entries are never freed), or NULL. */
static struct proc_entry *proc_lookup_entry(const char *path)
{
	struct proc_entry *e;

	if (strncmp(path, "/proc/", 6))
		return NULL;
	spin_lock(&proc_lock);
	e = proc_find_locked(path + 6);
	spin_unlock(&proc_lock);
	return e;
}

static long (*proc_lookup_show(const char *path))(char *, size_t)
{
	const char *rest = proc_self_rest(path);
	struct proc_entry *e;

	if (rest)
		return proc_self_show(rest);
	e = proc_lookup_entry(path);
	return e ? e->show : NULL;
}

bool proc_path(const char *path)
{
	return !strncmp(path, "/proc", 5) && (path[5] == '\0' || path[5] == '/');
}

static bool proc_is_dir(const char *path)
{
	const char *rest = proc_self_rest(path);

	return !strcmp(path, "/proc") || (rest && !*rest);
}

/* /proc/self/exe or /proc/<own tgid>/exe. */
static bool proc_is_exe(const char *path)
{
	const char *rest = proc_self_rest(path);

	return rest && !strcmp(rest, "/exe");
}

/* ---- a snapshot file ---- */

struct proc_text {
	char *buf;
	size_t len;
};

/* Run show into a buffer that fits, growing it up to PROC_SHOW_MAX (then cut). */
static int proc_generate(long (*show)(char *, size_t), struct proc_text *text)
{
	size_t size = PROC_SHOW_FIRST;
	long n;

	for (;;) {
		text->buf = kmalloc(size);
		if (!text->buf)
			return -ENOMEM;
		n = show(text->buf, size);
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

static struct file *proc_open_text(const char *path, long (*show)(char *, size_t))
{
	struct proc_text *text = kzalloc(sizeof(*text));
	struct file *f;
	int err;

	if (!text)
		return ERR_PTR(-ENOMEM);
	err = proc_generate(show, text);
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

/* ---- a command file (opened for writing) ---- */

#define PROC_STORE_MAX 64	/* the longest command a store() is given */

static long proc_store_write(struct file *f, const char *buf, size_t len, loff_t *pos)
{
	struct proc_entry *e = f->private_data;

	if (len > PROC_STORE_MAX)
		return -EINVAL;
	return e->store(buf, len);
}

static const struct file_operations proc_store_fops = {
	.write = proc_store_write,
	.fstat = proc_text_fstat,
};

/* Open /proc/<name> write-only: its store() must exist (else -EACCES). */
static struct file *proc_open_store(const char *path, unsigned int flags)
{
	struct proc_entry *e = proc_lookup_entry(path);
	struct file *f;

	if (!e || !e->store || (flags & O_ACCMODE) != O_WRONLY)
		return ERR_PTR(proc_lookup_show(path) ? -EACCES : -ENOENT);
	f = file_alloc(&proc_store_fops, O_WRONLY, S_IFREG, path, e);
	return f ? f : ERR_PTR(-ENOMEM);
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

/* Entry number index of /proc ("." "..", "self", then the registered files). */
static bool proc_root_entry(loff_t index, char *name, u8 *type)
{
	static const char *const fixed[] = { ".", "..", "self" };
	struct proc_entry *e;
	loff_t i = ARRAY_SIZE(fixed);
	bool found = false;

	if (index < i) {
		strlcpy(name, fixed[index], PROC_NAME_MAX);
		*type = DT_DIR;
		return true;
	}
	spin_lock(&proc_lock);
	list_for_each_entry(e, &proc_entries, link) {
		if (i++ == index) {
			strlcpy(name, e->name, PROC_NAME_MAX);
			found = true;
			break;
		}
	}
	spin_unlock(&proc_lock);
	*type = DT_REG;
	return found;
}

static bool proc_self_entry(loff_t index, char *name, u8 *type)
{
	static const char *const names[] = { ".", "..", "exe" };
	size_t fixed = ARRAY_SIZE(names);

	if (index < (loff_t)fixed) {
		strlcpy(name, names[index], PROC_NAME_MAX);
		*type = index == 2 ? DT_LNK : DT_DIR;
		return true;
	}
	if (index >= (loff_t)(fixed + ARRAY_SIZE(proc_self_files)))
		return false;
	strlcpy(name, proc_self_files[index - (loff_t)fixed].name, PROC_NAME_MAX);
	*type = DT_REG;
	return true;
}

static long proc_dir_getdents(struct file *f, void *buf, size_t len)
{
	bool self = strcmp(f->path, "/proc") != 0;
	char name[PROC_NAME_MAX];
	size_t off = 0;
	u8 type;

	while (self ? proc_self_entry(f->pos, name, &type) : proc_root_entry(f->pos, name, &type)) {
		if (!dirent_put(buf, len, &off, (u64)f->pos + 1, f->pos + 1, type, name))
			return off ? (long)off : -EINVAL;	/* Linux: buffer too small */
		f->pos++;
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

/* ---- lookups from the system calls ---- */

struct file *proc_open(const char *path, unsigned int flags)
{
	long (*show)(char *, size_t);
	struct file *f;

	if (proc_is_exe(path)) {
		if (flags & O_NOFOLLOW)
			return ERR_PTR(-ELOOP);
		return current_exe() ? open_path(current_exe(), flags, 0) : ERR_PTR(-ENOENT);
	}
	if (proc_is_dir(path) && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return ERR_PTR(-EISDIR);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return proc_open_store(path, flags);	/* "echo reset > /proc/x" */
	if (proc_is_dir(path)) {
		f = file_alloc(&proc_dir_fops, O_RDONLY, S_IFDIR, path, NULL);
		return f ? f : ERR_PTR(-ENOMEM);
	}
	if (flags & O_DIRECTORY)
		return ERR_PTR(proc_lookup_show(path) ? -ENOTDIR : -ENOENT);
	show = proc_lookup_show(path);
	return show ? proc_open_text(path, show) : ERR_PTR(-ENOENT);
}

int proc_stat(const char *path, bool follow, struct stat *st)
{
	if (proc_is_exe(path)) {
		if (follow)
			return current_exe() ? stat_path(current_exe(), true, st) : -ENOENT;
		proc_stat_fill(S_IFLNK | 0777, st);
		return 0;
	}
	if (proc_is_dir(path))
		proc_stat_fill(S_IFDIR | 0555, st);
	else if (proc_lookup_show(path))
		proc_stat_fill(S_IFREG | 0444, st);
	else
		return -ENOENT;
	return 0;
}

long proc_readlink(const char *path, char *buf, size_t size)
{
	const char *exe = current_exe();
	size_t len;

	if (!proc_is_exe(path))
		return proc_stat(path, false, &(struct stat){}) ?: -EINVAL;
	if (!exe)
		return -ENOENT;
	len = min(strlen(exe), size);
	memcpy(buf, exe, len);
	return (long)len;
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
static long maps_show(char *buf, size_t size)
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

void proc_init(void)
{
	if (proc_register("meminfo", meminfo_show) || proc_register("cpuinfo", cpuinfo_show) ||
	    proc_register("mounts", mounts_show))
		pr_warn("proc: could not register meminfo/cpuinfo/mounts\n");
}
