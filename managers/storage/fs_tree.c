// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory file store: inodes, path resolution, and the operations
 * the RPC handlers need. Interface and locking rules: fs_tree.h.
 *
 * Lock order: sto_fs.lock is the only lock here; it is taken by the caller
 * (managers/storage/handlers.c) and covers the whole tree, every inode's
 * data and open_count. Nothing here sleeps; kmalloc may be called with it
 * held.
 *
 * Reading order: inodes, path walking, create/open/remove/rename, file data,
 * stat and getdents.
 */
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include <mosaic/page.h>
#include <mosaic/panic.h>
#include <mosaic/string.h>

#include "fs_tree.h"

/* ---- times ---- */

/*
 * Content versions: a counter that starts at the boot's wall-clock time in
 * ns, so a restarted storage node never hands out a version it handed out
 * before (inode numbers start over). Context: the store's lock held.
 */
static u64 fst_next_version(void)
{
	static u64 clock;

	if (!clock)
		clock = ktime_get_real_ns();
	return ++clock;
}

void fst_touch(struct sto_fs *fs, struct sto_inode *ino, unsigned int what)
{
	s64 now = fs->now;

	if (what & FST_ATIME)
		ino->atime = now;
	if (what & FST_MTIME) {
		ino->mtime = now;
		ino->version = fst_next_version();
	}
	if (what & FST_CTIME)
		ino->ctime = now;
}

/* ---- inodes ---- */

static char *fst_dup_name(const char *name, size_t len)
{
	char *s = kmalloc(len + 1);

	if (s) {
		memcpy(s, name, len);
		s[len] = '\0';
	}
	return s;
}

static struct sto_inode *fst_alloc_inode(struct sto_fs *fs, u32 mode, const char *name,
					 size_t len)
{
	struct sto_inode *ino = kzalloc(sizeof(*ino));

	if (!ino)
		return NULL;
	ino->name = fst_dup_name(name, len);
	if (!ino->name) {
		kfree(ino);
		return NULL;
	}
	ino->ino = fs->next_ino++;
	ino->mode = mode & (STO_S_IFMT | 07777);
	fst_touch(fs, ino, FST_ATIME | FST_MTIME | FST_CTIME);
	INIT_LIST_HEAD(&ino->sibling);
	if (STO_S_ISDIR(mode))
		INIT_LIST_HEAD(&ino->dir.children);
	return ino;
}

static void fst_free_chunks(struct sto_inode *ino, u64 from)
{
	u64 i;

	for (i = from; i < ino->file.nr_slots; i++) {
		kfree(ino->file.chunks[i]);
		ino->file.chunks[i] = NULL;
	}
}

static void fst_free_inode(struct sto_inode *ino)
{
	if (STO_S_ISREG(ino->mode)) {
		fst_free_chunks(ino, 0);
		kfree(ino->file.chunks);
	} else if (STO_S_ISLNK(ino->mode)) {
		kfree(ino->link.target);
	}
	kfree(ino->name);
	kfree(ino);
}

static void fst_attach(struct sto_inode *dir, struct sto_inode *child)
{
	child->parent = dir;
	list_add_tail(&child->sibling, &dir->dir.children);
}

/* Take child out of the tree; free it now unless a handle still holds it. */
static void fst_unlink_inode(struct sto_inode *child)
{
	list_del_init(&child->sibling);
	child->parent = NULL;
	if (!child->open_count)
		fst_free_inode(child);
}

void fst_get(struct sto_inode *ino)
{
	ino->open_count++;
}

void fst_put(struct sto_inode *ino)
{
	BUG_ON(!ino->open_count);
	if (--ino->open_count == 0 && !ino->parent)
		fst_free_inode(ino);
}

struct sto_fs *fst_new(void)
{
	struct sto_fs *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	spin_lock_init(&fs->lock);
	fs->next_ino = 1;
	fs->now = sto_clock();
	fs->root = fst_alloc_inode(fs, STO_S_IFDIR | 0755, "", 0);
	if (!fs->root) {
		kfree(fs);
		return NULL;
	}
	fs->root->parent = fs->root;	/* ".." of the root is the root */
	return fs;
}

/* Iterative post-order walk: a deep tree must not overflow the kernel stack. */
void fst_destroy(struct sto_fs *fs)
{
	struct sto_inode *cur = fs->root, *up;

	for (;;) {
		if (STO_S_ISDIR(cur->mode) && !list_empty(&cur->dir.children)) {
			cur = list_first_entry(&cur->dir.children, struct sto_inode, sibling);
			continue;
		}
		if (cur == fs->root)
			break;
		up = cur->parent;
		list_del(&cur->sibling);
		fst_free_inode(cur);
		cur = up;
	}
	fst_free_inode(fs->root);
	kfree(fs);
}

/* ---- path walking ---- */

static bool fst_name_is(const char *name, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(name, want, len) == 0;
}

static bool fst_is_dot_or_dotdot(const char *name, size_t len)
{
	return fst_name_is(name, len, ".") || fst_name_is(name, len, "..");
}

static struct sto_inode *fst_find_child(struct sto_inode *dir, const char *name, size_t len)
{
	struct sto_inode *child;

	list_for_each_entry(child, &dir->dir.children, sibling)
		if (fst_name_is(name, len, child->name))
			return child;
	return NULL;
}

/* The next component after *p (skipping slashes); false at the end. */
static bool fst_next_component(const char **p, const char *end, const char **comp,
			       size_t *len)
{
	while (*p < end && **p == '/')
		(*p)++;
	if (*p == end)
		return false;
	*comp = *p;
	while (*p < end && **p != '/')
		(*p)++;
	*len = (size_t)(*p - *comp);
	return true;
}

static bool fst_only_slashes_left(const char *p, const char *end)
{
	while (p < end && *p == '/')
		p++;
	return p == end;
}

static int fst_resolve(struct sto_fs *fs, struct sto_inode *base, const char *path,
		       size_t len, bool follow_last, int *links, struct sto_inode **out);

/* Move *cur to its child comp, through a symlink when follow says so. */
static int fst_step(struct sto_fs *fs, struct sto_inode **cur, const char *comp, size_t len,
		    bool follow, int *links)
{
	struct sto_inode *child;

	if (!STO_S_ISDIR((*cur)->mode))
		return -ENOTDIR;
	if (len > STO_NAME_MAX)
		return -ENAMETOOLONG;
	if (fst_name_is(comp, len, "."))
		return 0;
	if (fst_name_is(comp, len, "..")) {
		*cur = (*cur)->parent;
		return 0;
	}
	child = fst_find_child(*cur, comp, len);
	if (!child)
		return -ENOENT;
	if (follow && STO_S_ISLNK(child->mode)) {
		/* Bounded in total, not just in nesting: links to links fan out. */
		if (++*links > FST_MAX_LINKS)
			return -ELOOP;
		return fst_resolve(fs, *cur, child->link.target, child->size, true, links, cur);
	}
	*cur = child;
	return 0;
}

static int fst_resolve(struct sto_fs *fs, struct sto_inode *base, const char *path,
		       size_t len, bool follow_last, int *links, struct sto_inode **out)
{
	const char *p = path, *end = path + len, *comp;
	struct sto_inode *cur = (len && path[0] == '/') ? fs->root : base;
	bool trailing_slash = len && path[len - 1] == '/';
	size_t clen;
	int err;

	while (fst_next_component(&p, end, &comp, &clen)) {
		bool last = fst_only_slashes_left(p, end);

		err = fst_step(fs, &cur, comp, clen, last ? follow_last || trailing_slash : true,
			       links);
		if (err)
			return err;
	}
	if (trailing_slash && !STO_S_ISDIR(cur->mode))
		return -ENOTDIR;
	*out = cur;
	return 0;
}

int fst_lookup(struct sto_fs *fs, struct sto_inode *base, const char *path, size_t len,
	       bool follow, struct sto_inode **out)
{
	int links = 0;

	return fst_resolve(fs, base, path, len, follow, &links, out);
}

/* The directory that holds a path's last component, and that component. */
struct fst_last {
	struct sto_inode *dir;
	const char *name;	/* len 0: the path names the root (or base) itself */
	size_t len;
	bool trailing_slash;
};

static int fst_resolve_parent(struct sto_fs *fs, struct sto_inode *base, const char *path,
			      size_t len, struct fst_last *last)
{
	const char *end = path + len, *name;
	int err, links = 0;

	if (len && path[0] == '/')
		base = fs->root;	/* so that "/" alone resolves to the root */
	while (end > path && end[-1] == '/')
		end--;
	last->trailing_slash = end < path + len;
	name = end;
	while (name > path && name[-1] != '/')
		name--;
	last->name = name;
	last->len = (size_t)(end - name);
	if (last->len > STO_NAME_MAX)
		return -ENAMETOOLONG;
	err = fst_resolve(fs, base, path, (size_t)(name - path), true, &links, &last->dir);
	if (err)
		return err;
	return STO_S_ISDIR(last->dir->mode) ? 0 : -ENOTDIR;
}

/* ---- create, open, remove, rename ---- */

static int fst_set_link_target(struct sto_inode *ino, const char *target, size_t len)
{
	if (!len || len >= STO_PATH_MAX)
		return -EINVAL;
	ino->link.target = kmalloc(len);
	if (!ino->link.target)
		return -ENOMEM;
	memcpy(ino->link.target, target, len);
	ino->size = len;
	return 0;
}

/* Context: fs->lock held. */
int fst_create(struct sto_fs *fs, struct sto_inode *base, const char *path, size_t len,
	       u32 mode, const char *target, size_t target_len, struct sto_inode **out)
{
	struct fst_last last;
	struct sto_inode *ino;
	int err;

	err = fst_resolve_parent(fs, base, path, len, &last);
	if (err)
		return err;
	if (!last.len || fst_is_dot_or_dotdot(last.name, last.len) ||
	    fst_find_child(last.dir, last.name, last.len))
		return -EEXIST;
	if (last.trailing_slash && !STO_S_ISDIR(mode))
		return -EISDIR;
	ino = fst_alloc_inode(fs, mode, last.name, last.len);
	if (!ino)
		return -ENOMEM;
	if (STO_S_ISLNK(mode)) {
		err = fst_set_link_target(ino, target, target_len);
		if (err) {
			fst_free_inode(ino);
			return err;
		}
	}
	fst_attach(last.dir, ino);
	fst_touch(fs, last.dir, FST_MTIME | FST_CTIME);
	if (out)
		*out = ino;
	return 0;
}

/* May an existing inode be opened with these flags? */
static int fst_check_open(const struct sto_inode *ino, u32 flags)
{
	u32 acc = flags & STO_O_ACCMODE;

	if (STO_S_ISLNK(ino->mode))
		return -ELOOP;	/* O_NOFOLLOW on a symlink */
	if ((flags & STO_O_DIRECTORY) && !STO_S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (STO_S_ISDIR(ino->mode) &&
	    (acc != STO_O_RDONLY || (flags & (STO_O_TRUNC | STO_O_CREAT))))
		return -EISDIR;
	return 0;
}

static int fst_create_and_get(struct sto_fs *fs, const char *path, size_t len, u32 mode,
			      struct sto_inode **out)
{
	int err = fst_create(fs, fs->root, path, len, STO_S_IFREG | (mode & 07777), NULL, 0, out);

	if (!err)
		fst_get(*out);
	return err;
}

/* Context: fs->lock held. */
int fst_open(struct sto_fs *fs, const char *path, size_t len, u32 flags, u32 mode,
	     struct sto_inode **out)
{
	bool excl = (flags & STO_O_CREAT) && (flags & STO_O_EXCL);
	bool follow = !(flags & STO_O_NOFOLLOW) && !excl;
	struct sto_inode *ino;
	int err;

	if ((flags & STO_O_ACCMODE) == STO_O_ACCMODE)
		return -EINVAL;
	err = fst_lookup(fs, fs->root, path, len, follow, &ino);
	if (err == -ENOENT && (flags & STO_O_CREAT))
		return fst_create_and_get(fs, path, len, mode, out);
	if (err)
		return err;
	if (excl)
		return -EEXIST;
	err = fst_check_open(ino, flags);
	if (err)
		return err;
	if ((flags & STO_O_TRUNC) && (flags & STO_O_ACCMODE) != STO_O_RDONLY)
		fst_truncate(fs, ino, 0);
	fst_get(ino);
	*out = ino;
	return 0;
}

static bool fst_is_ancestor(const struct sto_inode *anc, const struct sto_inode *ino)
{
	for (;;) {
		if (ino == anc)
			return true;
		if (!ino->parent || ino->parent == ino)
			return false;
		ino = ino->parent;
	}
}

/* Context: fs->lock held. */
int fst_remove(struct sto_fs *fs, struct sto_inode *base, const char *path, size_t len,
	       bool dir)
{
	struct fst_last last;
	struct sto_inode *child;
	int err;

	err = fst_resolve_parent(fs, base, path, len, &last);
	if (err)
		return err;
	if (!last.len)
		return -EBUSY;
	if (fst_is_dot_or_dotdot(last.name, last.len))
		return -EINVAL;
	child = fst_find_child(last.dir, last.name, last.len);
	if (!child)
		return -ENOENT;
	if (dir && !STO_S_ISDIR(child->mode))
		return -ENOTDIR;
	if (dir && !list_empty(&child->dir.children))
		return -ENOTEMPTY;
	if (!dir && STO_S_ISDIR(child->mode))
		return -EISDIR;
	if (!dir && last.trailing_slash)
		return -ENOTDIR;
	fst_unlink_inode(child);
	fst_touch(fs, last.dir, FST_MTIME | FST_CTIME);
	return 0;
}

/* May src replace dst in a rename? (Linux rules.) */
static int fst_check_replace(const struct sto_inode *src, const struct sto_inode *dst)
{
	if (STO_S_ISDIR(src->mode) && !STO_S_ISDIR(dst->mode))
		return -ENOTDIR;
	if (!STO_S_ISDIR(src->mode) && STO_S_ISDIR(dst->mode))
		return -EISDIR;
	if (STO_S_ISDIR(dst->mode) && !list_empty(&dst->dir.children))
		return -ENOTEMPTY;
	return 0;
}

static int fst_rename_resolve(struct sto_fs *fs, const char *path, size_t len,
			      struct fst_last *last)
{
	int err = fst_resolve_parent(fs, fs->root, path, len, last);

	if (err)
		return err;
	if (!last->len)
		return -EBUSY;
	return fst_is_dot_or_dotdot(last->name, last->len) ? -EINVAL : 0;
}

/* Context: fs->lock held. */
int fst_rename(struct sto_fs *fs, const char *old, size_t old_len, const char *new,
	       size_t new_len)
{
	struct fst_last from, to;
	struct sto_inode *src, *dst;
	char *name;
	int err;

	err = fst_rename_resolve(fs, old, old_len, &from);
	if (!err)
		err = fst_rename_resolve(fs, new, new_len, &to);
	if (err)
		return err;
	src = fst_find_child(from.dir, from.name, from.len);
	if (!src)
		return -ENOENT;
	if ((from.trailing_slash || to.trailing_slash) && !STO_S_ISDIR(src->mode))
		return -ENOTDIR;
	if (STO_S_ISDIR(src->mode) && fst_is_ancestor(src, to.dir))
		return -EINVAL;	/* a directory cannot move below itself */
	dst = fst_find_child(to.dir, to.name, to.len);
	if (dst == src)
		return 0;
	err = dst ? fst_check_replace(src, dst) : 0;
	if (err)
		return err;
	name = fst_dup_name(to.name, to.len);
	if (!name)
		return -ENOMEM;
	if (dst)
		fst_unlink_inode(dst);
	list_del(&src->sibling);
	kfree(src->name);
	src->name = name;
	fst_attach(to.dir, src);
	fst_touch(fs, src, FST_CTIME);
	fst_touch(fs, from.dir, FST_MTIME | FST_CTIME);
	fst_touch(fs, to.dir, FST_MTIME | FST_CTIME);
	return 0;
}

/* ---- file data ---- */

static int fst_data_check(const struct sto_inode *ino)
{
	if (STO_S_ISDIR(ino->mode))
		return -EISDIR;
	return STO_S_ISREG(ino->mode) ? 0 : -EINVAL;
}

/* Make the chunk array at least want slots long (doubling, to keep appends cheap). */
static int fst_grow_slots(struct sto_inode *ino, u64 want)
{
	u64 n = max(max(want, ino->file.nr_slots * 2), (u64)8);
	u8 **slots;

	if (want <= ino->file.nr_slots)
		return 0;
	slots = kzalloc(n * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	if (ino->file.nr_slots)
		memcpy(slots, ino->file.chunks, ino->file.nr_slots * sizeof(*slots));
	kfree(ino->file.chunks);
	ino->file.chunks = slots;
	ino->file.nr_slots = n;
	return 0;
}

static u8 *fst_chunk_for_write(struct sto_inode *ino, u64 idx)
{
	if (!ino->file.chunks[idx])
		ino->file.chunks[idx] = kzalloc(PAGE_SIZE);
	return ino->file.chunks[idx];
}

/* Context: the store's lock held. */
long fst_read(struct sto_fs *fs, struct sto_inode *ino, u64 off, void *buf, size_t len)
{
	size_t done = 0, n;
	u64 idx, in;
	int err = fst_data_check(ino);

	if (err)
		return err;
	if (off >= ino->size)
		return 0;
	len = min((u64)len, ino->size - off);
	while (done < len) {
		idx = (off + done) / PAGE_SIZE;
		in = (off + done) % PAGE_SIZE;
		n = min((u64)(len - done), PAGE_SIZE - in);
		if (idx < ino->file.nr_slots && ino->file.chunks[idx])
			memcpy((u8 *)buf + done, ino->file.chunks[idx] + in, n);
		else
			memset((u8 *)buf + done, 0, n);	/* a hole */
		done += n;
	}
	if (ino->atime <= ino->mtime)	/* relatime */
		fst_touch(fs, ino, FST_ATIME);
	return (long)done;
}

/* Context: the store's lock held. Returns bytes written, or -ENOMEM if none were. */
long fst_write(struct sto_fs *fs, struct sto_inode *ino, u64 off, const void *buf, size_t len)
{
	size_t done = 0, n;
	u64 idx, in;
	u8 *chunk;
	int err = fst_data_check(ino);

	if (err)
		return err;
	if (off > FST_FILE_MAX || len > FST_FILE_MAX - off)
		return -EFBIG;
	if (!len)
		return 0;
	if (fst_grow_slots(ino, DIV_ROUND_UP(off + len, PAGE_SIZE)))
		return -ENOMEM;
	while (done < len) {
		idx = (off + done) / PAGE_SIZE;
		in = (off + done) % PAGE_SIZE;
		n = min((u64)(len - done), PAGE_SIZE - in);
		chunk = fst_chunk_for_write(ino, idx);
		if (!chunk)
			break;
		memcpy(chunk + in, (const u8 *)buf + done, n);
		done += n;
	}
	if (off + done > ino->size)
		ino->size = off + done;
	if (done)
		fst_touch(fs, ino, FST_MTIME | FST_CTIME);
	return done ? (long)done : -ENOMEM;
}

/* Context: the store's lock held. Shrinking frees whole chunks and zeroes the tail. */
int fst_truncate(struct sto_fs *fs, struct sto_inode *ino, u64 size)
{
	u64 keep = DIV_ROUND_UP(size, PAGE_SIZE), tail = size % PAGE_SIZE;
	int err = fst_data_check(ino);

	if (err)
		return err;
	if (size > FST_FILE_MAX)
		return -EFBIG;
	if (size < ino->size) {
		fst_free_chunks(ino, keep);
		/* Bytes past the new end must read as zeros if the file grows again. */
		if (tail && keep <= ino->file.nr_slots && ino->file.chunks[keep - 1])
			memset(ino->file.chunks[keep - 1] + tail, 0, PAGE_SIZE - tail);
	}
	ino->size = size;
	fst_touch(fs, ino, FST_MTIME | FST_CTIME);
	return 0;
}

/* ---- stat and getdents ---- */

static u32 fst_nlink(const struct sto_inode *ino)
{
	const struct sto_inode *child;
	u32 n = 2;

	if (!ino->parent)
		return 0;	/* unlinked, still open */
	if (!STO_S_ISDIR(ino->mode))
		return 1;
	list_for_each_entry(child, &ino->dir.children, sibling)
		if (STO_S_ISDIR(child->mode))
			n++;
	return n;
}

static u64 fst_chunks_held(const struct sto_inode *ino)
{
	u64 i, n = 0;

	if (!STO_S_ISREG(ino->mode))
		return 0;
	for (i = 0; i < ino->file.nr_slots; i++)
		n += ino->file.chunks[i] != NULL;
	return n;
}

void fst_stat(const struct sto_inode *ino, struct sto_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = ino->ino;
	st->mode = ino->mode;
	st->nlink = fst_nlink(ino);
	st->size = ino->size;
	st->blocks = fst_chunks_held(ino) * (PAGE_SIZE / 512);
	st->atime = ino->atime;
	st->mtime = ino->mtime;
	st->ctime = ino->ctime;
}

static u8 fst_dirent_type(const struct sto_inode *ino)
{
	if (STO_S_ISDIR(ino->mode))
		return STO_DT_DIR;
	if (STO_S_ISFIFO(ino->mode))
		return STO_DT_FIFO;
	return STO_S_ISLNK(ino->mode) ? STO_DT_LNK : STO_DT_REG;
}

/* getdents state: where records go and how far we got. */
struct fst_dirent_sink {
	u8 *buf;
	size_t used, max;
	u64 pos;	/* cookie of the entry being offered */
	u64 *cookie;	/* first cookie wanted; advanced as records are packed */
};

/* Pack one record if it is at or past the cookie. False when the buffer is full. */
static bool fst_emit(struct fst_dirent_sink *s, const struct sto_inode *ino, const char *name)
{
	size_t len = strlen(name);
	size_t reclen = ALIGN_UP(sizeof(struct sto_dirent) + len + 1, 8);
	struct sto_dirent *d;

	if (s->pos++ < *s->cookie)
		return true;
	if (s->used + reclen > s->max)
		return false;
	d = (struct sto_dirent *)(s->buf + s->used);
	memset(d, 0, reclen);
	d->ino = ino->ino;
	d->next_cookie = s->pos;
	d->reclen = (u16)reclen;
	d->type = fst_dirent_type(ino);
	d->name_len = (u8)len;
	memcpy(d->name, name, len + 1);
	s->used += reclen;
	*s->cookie = s->pos;
	return true;
}

/* Context: the store's lock held. dir must be a directory. */
size_t fst_getdents(struct sto_inode *dir, u64 *cookie, void *buf, size_t max)
{
	struct fst_dirent_sink sink = { .buf = buf, .max = max, .cookie = cookie };
	struct sto_inode *child;

	if (!fst_emit(&sink, dir, ".") || !fst_emit(&sink, dir->parent ? dir->parent : dir, ".."))
		return sink.used;
	list_for_each_entry(child, &dir->dir.children, sibling)
		if (!fst_emit(&sink, child, child->name))
			break;
	return sink.used;
}
