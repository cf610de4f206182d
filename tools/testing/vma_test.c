// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the memory manager's vma layer (managers/memory/vma.c) and
 * the treap under it: fixed edge cases with Linux's errnos, then thousands of
 * random mmap/munmap/mprotect/brk/mremap calls checked after each one against
 * a reference model that keeps one small record per page of a small
 * window (plus a "page content" id, to check that zap/move follow the vmas).
 * VMA_DEBUG=1 in the environment prints every random operation.
 */
// test-sources: managers/memory/vma.c lib/treap.c
#include <mosaic/errno.h>
#include <mosaic/mm.h>
#include "../../managers/memory/vma.h"
#include "tap.h"

/* kmalloc for the host: calloc, with an optional injected failure. */
static int fail_alloc_after = -1;

void *kzalloc(size_t size)
{
	if (fail_alloc_after == 0)
		return NULL;
	if (fail_alloc_after > 0)
		fail_alloc_after--;
	return calloc(1, size);
}

void *kmalloc(size_t size) { return kzalloc(size); }
void kfree(const void *p) { free((void *)p); }

#define P PAGE_SIZE
#define NP 64				/* pages in the model window */
#define BASE 0x40000000UL		/* window start */
#define TOP (BASE + NP * P)		/* window end == mmap_base */

/* The "page table" the vma layer drives through its ops: a content id per page. */
static u32 real_content[NP];

static long win_index(unsigned long addr)
{
	return addr >= BASE && addr < TOP ? (long)((addr - BASE) / P) : -1;
}

static void test_zap(struct vma_space *vs, unsigned long start, unsigned long end)
{
	for (unsigned long a = start; a < end && a < TOP; a += P)
		if (win_index(a) >= 0)
			real_content[win_index(a)] = 0;
}

static void test_move(struct vma_space *vs, unsigned long from, unsigned long to,
		      unsigned long len)
{
	for (unsigned long i = 0; i < len; i += P) {
		real_content[win_index(to + i)] = real_content[win_index(from + i)];
		real_content[win_index(from + i)] = 0;
	}
}

static const struct vma_space_ops test_ops = { .zap = test_zap, .move = test_move };

/* A space whose only free room is the window (blockers below and above). */
static void space_init(struct vma_space *vs)
{
	struct vma_file lo = { .handle = 99 }, hi = { .handle = 98 };

	memset(real_content, 0, sizeof(real_content));
	vma_space_init(vs, TOP + VMA_STACK_GAP, &test_ops);
	vma_mmap(vs, VMA_MMAP_MIN_ADDR, BASE - VMA_MMAP_MIN_ADDR, 0, MAP_FIXED | MAP_PRIVATE, &lo);
	vma_mmap(vs, TOP, VMA_TASK_SIZE - TOP, 0, MAP_FIXED | MAP_PRIVATE, &hi);
}

static unsigned long count_in_window(struct vma_space *vs)
{
	unsigned long n = 0;
	struct vma *v;

	list_for_each_entry(v, &vs->vmas, link)
		n += v->start >= BASE && v->end <= TOP;
	return n;
}

/* ---------------------------------------------------------------- fixed cases */

static void test_mmap_errors(void)
{
	struct vma_space vs;

	space_init(&vs);
	EXPECT_EQ(vma_mmap(&vs, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL), -EINVAL);
	EXPECT_EQ(vma_mmap(&vs, 0, P, PROT_READ, MAP_ANONYMOUS, NULL), -EINVAL);
	EXPECT_EQ(vma_mmap(&vs, 0, P, 0x80, MAP_PRIVATE, NULL), -EINVAL);
	EXPECT_EQ(vma_mmap(&vs, BASE + 1, P, 0, MAP_PRIVATE | MAP_FIXED, NULL), -EINVAL);
	EXPECT_EQ(vma_mmap(&vs, 0, -1UL, 0, MAP_PRIVATE, NULL), -ENOMEM);
	EXPECT_EQ(vma_mmap(&vs, 0, 1UL << 50, 0, MAP_PRIVATE, NULL), -ENOMEM);
	EXPECT_EQ(vma_mmap(&vs, VMA_TASK_SIZE, P, 0, MAP_PRIVATE | MAP_FIXED, NULL), -ENOMEM);
	EXPECT_EQ(vma_mmap(&vs, 0x1000, P, 0, MAP_PRIVATE | MAP_FIXED, NULL), -EPERM);
	EXPECT_EQ(vma_mmap(&vs, 0, (NP + 1) * P, 0, MAP_PRIVATE, NULL), -ENOMEM);
	struct vma_file f = { .handle = 1, .offset = 5 };
	EXPECT_EQ(vma_mmap(&vs, 0, P, 0, MAP_PRIVATE, &f), -EINVAL);
	f.offset = -P;
	EXPECT_EQ(vma_mmap(&vs, 0, 2 * P, 0, MAP_PRIVATE, &f), -EOVERFLOW);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_mmap_placement_and_fixed(void)
{
	struct vma_space vs;

	space_init(&vs);
	/* top-down from mmap_base, hint honoured when free, lengths rounded up */
	EXPECT_EQ(vma_mmap(&vs, 0, 100, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL), TOP - P);
	EXPECT_EQ(vma_mmap(&vs, BASE + 3, P, PROT_WRITE, MAP_PRIVATE, NULL), BASE + P);
	/* NOREPLACE over a mapping: EEXIST; FIXED replaces and merges */
	EXPECT_EQ(vma_mmap(&vs, TOP - 2 * P, 2 * P, 0, MAP_PRIVATE | MAP_FIXED_NOREPLACE, NULL),
		  -EEXIST);
	EXPECT_EQ(vma_mmap(&vs, TOP - 3 * P, 3 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, NULL),
		  TOP - 3 * P);
	EXPECT_EQ(count_in_window(&vs), 2);
	EXPECT_EQ(vma_find(&vs, TOP - P)->start, TOP - 3 * P);
	/* a fixed mapping inside splits the old one into three */
	EXPECT_EQ(vma_mmap(&vs, TOP - 2 * P, P, PROT_EXEC, MAP_PRIVATE | MAP_FIXED, NULL),
		  TOP - 2 * P);
	EXPECT_EQ(count_in_window(&vs), 4);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_munmap_split_and_holes(void)
{
	struct vma_space vs;

	space_init(&vs);
	vma_mmap(&vs, BASE, 8 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, NULL);
	EXPECT_EQ(vma_munmap(&vs, BASE + 1, P), -EINVAL);
	EXPECT_EQ(vma_munmap(&vs, BASE, 0), -EINVAL);
	EXPECT_EQ(vma_munmap(&vs, VMA_TASK_SIZE - P, 2 * P), -EINVAL);
	EXPECT_EQ(vma_munmap(&vs, BASE + 2 * P, 1), 0);	/* middle: split */
	EXPECT_EQ(count_in_window(&vs), 2);
	EXPECT(!vma_find(&vs, BASE + 2 * P));
	EXPECT_EQ(vma_munmap(&vs, BASE + P, 6 * P), 0);	/* spans a hole */
	EXPECT_EQ(count_in_window(&vs), 2);
	EXPECT_EQ(vma_find(&vs, BASE)->end, BASE + P);
	EXPECT_EQ(vma_find(&vs, BASE + 7 * P)->start, BASE + 7 * P);
	EXPECT_EQ(vma_munmap(&vs, BASE + 20 * P, P), 0);	/* nothing there: fine */
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_mprotect_split_merge(void)
{
	struct vma_space vs;

	space_init(&vs);
	vma_mmap(&vs, BASE, 4 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, NULL);
	EXPECT_EQ(vma_mprotect(&vs, BASE + P, P, PROT_READ | PROT_WRITE), 0);
	EXPECT_EQ(count_in_window(&vs), 3);
	EXPECT_EQ(vma_find(&vs, BASE + P)->prot, PROT_READ | PROT_WRITE);
	EXPECT_EQ(vma_mprotect(&vs, BASE + P, P, PROT_READ), 0);	/* merges back */
	EXPECT_EQ(count_in_window(&vs), 1);
	EXPECT_EQ(vma_mprotect(&vs, BASE + 2 * P, 4 * P, PROT_NONE), -ENOMEM);	/* hole */
	EXPECT_EQ(vma_find(&vs, BASE + 2 * P)->prot, PROT_READ);	/* left unchanged */
	EXPECT_EQ(vma_mprotect(&vs, BASE + 1, P, PROT_READ), -EINVAL);
	EXPECT_EQ(vma_mprotect(&vs, BASE, P, 0x10), -EINVAL);
	EXPECT_EQ(vma_mprotect(&vs, BASE, 0, PROT_READ), 0);
	EXPECT_EQ(vma_mprotect(&vs, BASE, -P, PROT_READ), -ENOMEM);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_brk_limits(void)
{
	struct vma_space vs;

	space_init(&vs);
	EXPECT_EQ(vma_brk(&vs, BASE + P), 0);	/* no heap yet */
	vma_set_brk(&vs, BASE + 100);
	EXPECT_EQ(vs.start_brk, BASE + P);
	EXPECT_EQ(vma_brk(&vs, BASE), BASE + P);	/* below start_brk: refused */
	EXPECT_EQ(vma_brk(&vs, BASE + 3 * P + 5), BASE + 3 * P + 5);
	EXPECT_EQ(vma_find(&vs, BASE + 3 * P)->end, BASE + 4 * P);
	vma_mmap(&vs, BASE + 6 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, NULL);
	EXPECT_EQ(vma_brk(&vs, BASE + 7 * P), BASE + 3 * P + 5);	/* into a vma: refused */
	EXPECT_EQ(vma_brk(&vs, BASE + 6 * P), BASE + 6 * P);	/* right up to it */
	EXPECT_EQ(vma_brk(&vs, BASE + 2 * P), BASE + 2 * P);	/* shrink */
	EXPECT(!vma_find(&vs, BASE + 2 * P));
	EXPECT_EQ(vma_brk(&vs, -1UL), BASE + 2 * P);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_mremap_cases(void)
{
	struct vma_space vs;
	const u32 anon = MAP_PRIVATE | MAP_FIXED;

	space_init(&vs);
	vma_mmap(&vs, BASE, 2 * P, PROT_READ, anon, NULL);
	real_content[0] = 7;
	EXPECT_EQ(vma_mremap(&vs, BASE, 2 * P, 4 * P, 0, 0), BASE);	/* grow in place */
	EXPECT_EQ(vma_find(&vs, BASE)->end, BASE + 4 * P);
	EXPECT_EQ(vma_mremap(&vs, BASE, 4 * P, P, 0, 0), BASE);	/* shrink */
	EXPECT_EQ(vma_find(&vs, BASE)->end, BASE + P);
	vma_mmap(&vs, BASE + P, P, PROT_WRITE, anon, NULL);
	EXPECT_EQ(vma_mremap(&vs, BASE, P, 2 * P, 0, 0), -ENOMEM);	/* blocked, no MAYMOVE */
	EXPECT_EQ(vma_mremap(&vs, BASE, P, 2 * P, MREMAP_MAYMOVE, 0), TOP - 2 * P);
	EXPECT_EQ(real_content[NP - 2], 7);
	EXPECT_EQ(real_content[0], 0);
	EXPECT_EQ(vma_mremap(&vs, TOP - 2 * P, 2 * P, P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     BASE + 10 * P), BASE + 10 * P);
	EXPECT_EQ(real_content[10], 7);
	EXPECT_EQ(vma_mremap(&vs, BASE + 10 * P, P, P, MREMAP_FIXED, BASE), -EINVAL);
	EXPECT_EQ(vma_mremap(&vs, BASE + 10 * P, P, P, MREMAP_FIXED | MREMAP_MAYMOVE,
			     BASE + 10 * P), -EINVAL);	/* overlap */
	EXPECT_EQ(vma_mremap(&vs, BASE + 20 * P, P, 2 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	EXPECT_EQ(vma_mremap(&vs, BASE + 10 * P, 2 * P, 3 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	EXPECT_EQ(vma_mremap(&vs, BASE + 10 * P, P, 0, MREMAP_MAYMOVE, 0), -EINVAL);
	EXPECT_EQ(vma_mremap(&vs, BASE + 10 * P, P, P, 8, 0), -EINVAL);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_file_merge_needs_contiguous_offsets(void)
{
	struct vma_space vs;
	struct vma_file f = { .handle = 1, .offset = 0 };

	space_init(&vs);
	vma_mmap(&vs, BASE, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, &f);
	f.offset = 2 * P;
	vma_mmap(&vs, BASE + P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, &f);
	EXPECT_EQ(count_in_window(&vs), 2);
	f.offset = P;
	vma_mmap(&vs, BASE + P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, &f);
	EXPECT_EQ(count_in_window(&vs), 1);
	EXPECT_EQ(vma_munmap(&vs, BASE, P), 0);
	EXPECT_EQ(vma_find(&vs, BASE + P)->file.offset, P);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_split_out_of_memory(void)
{
	struct vma_space vs;

	space_init(&vs);
	vma_mmap(&vs, BASE, 4 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, NULL);
	fail_alloc_after = 0;
	EXPECT_EQ(vma_munmap(&vs, BASE + P, P), -ENOMEM);
	EXPECT_EQ(vma_mprotect(&vs, BASE + P, P, PROT_NONE), -ENOMEM);
	fail_alloc_after = -1;
	EXPECT_EQ(vma_find(&vs, BASE + P)->prot, PROT_READ);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
}

static void test_many_vmas_treap(void)
{
	struct vma_space vs;
	const unsigned long n = 20000;

	vma_space_init(&vs, VMA_TASK_SIZE, NULL);
	for (unsigned long i = 0; i < n; i++)	/* alternating prot: no merging */
		ASSERT_EQ(vma_mmap(&vs, 0, P, i & 1 ? PROT_READ : PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, NULL), vs.mmap_base - (i + 1) * P);
	EXPECT_EQ(vs.nr_vmas, n);
	EXPECT_EQ(vma_space_check(&vs), 0);
	for (unsigned long i = 0; i < n; i += 2)
		vma_munmap(&vs, vs.mmap_base - (i + 1) * P, P);
	EXPECT_EQ(vs.nr_vmas, n / 2);
	EXPECT_EQ(vma_space_check(&vs), 0);
	vma_space_clear(&vs);
	EXPECT_EQ(vs.nr_vmas, 0);
}

/* ---------------------------------------------------------------- reference model */

struct mpage {
	bool mapped;
	u8 prot;
	u32 flags;
	u64 handle, off;
	u32 content;
};

struct model {
	struct mpage pg[NP];
	unsigned long start_brk, brk;
};

static u64 rng = 88172645463325252ULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static bool m_free(const struct model *m, long first, long n)
{
	if (first < 0 || first + n > NP)
		return false;	/* outside the window: the blockers are there */
	for (long i = first; i < first + n; i++)
		if (m->pg[i].mapped)
			return false;
	return true;
}

static long m_top_down(const struct model *m, long n)
{
	for (long a = NP - n; a >= 0; a--)
		if (m_free(m, a, n))
			return a;
	return -1;
}

static void m_clear(struct model *m, long first, long n)
{
	for (long i = first; i < first + n && i < NP; i++)
		if (i >= 0)
			memset(&m->pg[i], 0, sizeof(m->pg[i]));
}

static bool m_compatible(const struct mpage *a, const struct mpage *b)
{
	if (!a->mapped || !b->mapped || a->prot != b->prot || a->flags != b->flags)
		return false;
	return (a->flags & VMA_ANON) || (a->handle == b->handle && a->off + P == b->off);
}

/* End (page index) of the vma containing page i: the end of its compatible run. */
static long m_vma_end(const struct model *m, long i)
{
	while (i + 1 < NP && m_compatible(&m->pg[i], &m->pg[i + 1]))
		i++;
	return i + 1;
}

static void m_map(struct model *m, long first, long n, u32 prot, u32 vflags, u64 handle,
		  u64 off)
{
	for (long i = 0; i < n; i++)
		m->pg[first + i] = (struct mpage){ .mapped = true, .prot = prot, .flags = vflags,
						   .handle = handle, .off = off + i * P };
}

static long m_mmap(struct model *m, long hint, long n, u32 prot, u32 flags, u64 handle)
{
	u32 vflags = handle ? 0 : VMA_ANON;
	long at;

	if (flags & MAP_FIXED_NOREPLACE)
		at = m_free(m, hint, n) ? hint : -EEXIST;
	else if (flags & MAP_FIXED)
		at = hint;
	else
		at = m_free(m, hint, n) ? hint : m_top_down(m, n);
	if (at == -1)
		return -ENOMEM;
	if (at < 0)
		return at;
	m_clear(m, at, n);
	m_map(m, at, n, prot, vflags, handle, handle ? hint * P : 0);
	return BASE + at * P;
}

static bool m_covered(const struct model *m, long first, long n)
{
	for (long i = first; i < first + n; i++)
		if (!m->pg[i].mapped)
			return false;
	return true;
}

static long m_mprotect(struct model *m, long first, long n, u32 prot)
{
	if (!m_covered(m, first, n))
		return -ENOMEM;
	for (long i = first; i < first + n; i++)
		m->pg[i].prot = prot;
	return 0;
}

static unsigned long m_brk(struct model *m, unsigned long new_brk)
{
	long old_top = (ALIGN_UP(m->brk, P) - BASE) / P, new_top = (ALIGN_UP(new_brk, P) - BASE) / P;

	if (new_brk < m->start_brk || new_top > NP + 8)
		return m->brk;
	if (new_top > old_top) {
		if (!m_free(m, old_top, new_top - old_top))
			return m->brk;
		m_map(m, old_top, new_top - old_top, PROT_READ | PROT_WRITE, VMA_ANON | VMA_BRK, 0, 0);
	} else {
		m_clear(m, new_top, old_top - new_top);
	}
	m->brk = new_brk;
	return new_brk;
}

/* Move pages [old, old + n) to [to, ...), extend to new_n pages like the source vma. */
static void m_move(struct model *m, long old, long n, long to, long new_n)
{
	struct mpage tmp[NP], last;

	memcpy(tmp, &m->pg[old], n * sizeof(tmp[0]));
	m_clear(m, old, n);
	m_clear(m, to, new_n);
	memcpy(&m->pg[to], tmp, n * sizeof(tmp[0]));
	last = tmp[n - 1];
	for (long i = n; i < new_n; i++)
		m_map(m, to + i, 1, last.prot, last.flags, last.handle, last.off + (i - n + 1) * P);
}

static long m_mremap(struct model *m, long old, long n, long new_n, u32 flags, long to)
{
	if (!m->pg[old].mapped || old + n > m_vma_end(m, old))
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if (to < 0 || to + new_n > NP)
			return -EINVAL;	/* the test never asks for this */
		if (to < old + n && old < to + new_n)
			return -EINVAL;
		m_clear(m, to, new_n);
		if (new_n < n)
			m_clear(m, old + new_n, n - new_n);
		m_move(m, old, min(n, new_n), to, new_n);
		return BASE + to * P;
	}
	if (new_n <= n) {
		m_clear(m, old + new_n, n - new_n);
		return BASE + old * P;
	}
	if (old + n == m_vma_end(m, old) && m_free(m, old + n, new_n - n)) {
		m_move(m, old, n, old, new_n);
		return BASE + old * P;
	}
	if (!(flags & MREMAP_MAYMOVE) || (to = m_top_down(m, new_n)) < 0)
		return -ENOMEM;
	m_move(m, old, n, to, new_n);
	return BASE + to * P;
}

static long m_count_vmas(const struct model *m)
{
	long n = 0;

	for (long i = 0; i < NP; i++)
		n += m->pg[i].mapped && (i == 0 || !m_compatible(&m->pg[i - 1], &m->pg[i]));
	return n;
}

static bool page_matches(struct vma_space *vs, const struct model *m, long i)
{
	const struct mpage *mp = &m->pg[i];
	struct vma *v = vma_find(vs, BASE + i * P);

	if (real_content[i] != mp->content)
		return false;
	if (!v || !mp->mapped)
		return !v && !mp->mapped;
	if (v->prot != mp->prot || v->flags != mp->flags)
		return false;
	return (v->flags & VMA_ANON) ||
	       (v->file.handle == mp->handle && v->file.offset + (BASE + i * P - v->start) == mp->off);
}

static void dump(struct vma_space *vs, const struct model *m)
{
	struct vma *v;

	list_for_each_entry(v, &vs->vmas, link)
		if (v->start >= BASE && v->end <= TOP)
			fprintf(stderr, "  [%ld,%ld) p%u f%x h%llu o%llu\n", (long)(v->start - BASE) / 4096,
				(long)(v->end - BASE) / 4096, v->prot, v->flags,
				(unsigned long long)v->file.handle, (unsigned long long)v->file.offset / 4096);
	for (long i = 0; i < NP; i++)
		fprintf(stderr, "%ld:%d/%u/%x/%llu/%llu ", i, m->pg[i].mapped, m->pg[i].prot, m->pg[i].flags,
			(unsigned long long)m->pg[i].handle, (unsigned long long)m->pg[i].off / 4096);
	fprintf(stderr, "\n");
}

static bool space_matches(struct vma_space *vs, const struct model *m, int step)
{
	for (long i = 0; i < NP; i++) {
		if (!page_matches(vs, m, i)) {
			tap_fail(__FILE__, __LINE__, "step %d: page %ld differs", step, i);
			return false;
		}
	}
	if (vma_space_check(vs) || count_in_window(vs) != m_count_vmas(m) ||
	    vs->brk != m->brk) {
		tap_fail(__FILE__, __LINE__, "step %d: layout differs (%lu vmas, model %ld)", step,
			 count_in_window(vs), m_count_vmas(m));
		dump(vs, m);
		return false;
	}
	return true;
}

static void touch_some(const struct vma_space *vs, struct model *m)
{
	static u32 next_id = 1;

	for (int k = 0; k < 3; k++) {
		long i = rnd(NP);

		if (m->pg[i].mapped)
			real_content[i] = m->pg[i].content = next_id++;
	}
}

static const u32 map_kinds[] = { MAP_FIXED, MAP_FIXED_NOREPLACE, 0, 0, MAP_FIXED };

/* One random operation on both sides; false when the results differ. */
static bool random_step(struct vma_space *vs, struct model *m, int step)
{
	long a = rnd(NP), n = 1 + rnd(6), to = rnd(NP), got, want;
	u32 prot = rnd(3) ? PROT_READ | PROT_WRITE : rnd(8), op = rnd(6);
	u64 handle = rnd(4) == 0 ? 1 + rnd(2) : 0;
	struct vma_file f = { .handle = handle, .offset = a * P };

	if (a + n > NP)
		n = NP - a;
	if (op <= 1) {
		u32 kind = map_kinds[rnd(ARRAY_SIZE(map_kinds))];

		got = vma_mmap(vs, BASE + a * P, n * P, prot, MAP_PRIVATE | kind, handle ? &f : NULL);
		want = m_mmap(m, a, n, prot, kind, handle);
	} else if (op == 2) {
		got = vma_munmap(vs, BASE + a * P, n * P);
		want = 0;
		m_clear(m, a, n);
	} else if (op == 3) {
		got = vma_mprotect(vs, BASE + a * P, n * P, prot);
		want = m_mprotect(m, a, n, prot);
	} else if (op == 4) {
		unsigned long b = BASE + rnd(NP / 4 * P);

		got = vma_brk(vs, b);
		want = m_brk(m, b);
	} else {
		u32 flags = rnd(3) == 0 ? MREMAP_MAYMOVE | MREMAP_FIXED : rnd(2) * MREMAP_MAYMOVE;
		long new_n = 1 + rnd(6);

		if (to + new_n > NP)
			to = NP - new_n;
		got = vma_mremap(vs, BASE + a * P, n * P, new_n * P, flags, BASE + to * P);
		want = m_mremap(m, a, n, new_n, flags, to);
		if (getenv("VMA_DEBUG"))
			fprintf(stderr, "mremap flags %u new_n %ld\n", flags, new_n);
	}
	if (getenv("VMA_DEBUG"))
		fprintf(stderr, "step %d op %u a=%ld n=%ld to=%ld prot=%u h=%llu -> %ld/%ld\n", step, op, a, n, to, prot, (unsigned long long)handle, got, want);
	if (got != want)
		tap_fail(__FILE__, __LINE__, "step %d op %u: got %ld, model %ld", step, op, got, want);
	touch_some(vs, m);
	return got == want && space_matches(vs, m, step);
}

static void test_random_against_model(void)
{
	static struct model m;
	struct vma_space vs;

	space_init(&vs);
	memset(&m, 0, sizeof(m));
	vma_set_brk(&vs, BASE);
	m.start_brk = m.brk = BASE;
	for (int step = 0; step < 200000; step++)
		if (!random_step(&vs, &m, step))
			break;
	vma_space_clear(&vs);
	EXPECT_EQ(vs.nr_vmas, 0);
}

int main(void)
{
	RUN(test_mmap_errors);
	RUN(test_mmap_placement_and_fixed);
	RUN(test_munmap_split_and_holes);
	RUN(test_mprotect_split_merge);
	RUN(test_brk_limits);
	RUN(test_mremap_cases);
	RUN(test_file_merge_needs_contiguous_offsets);
	RUN(test_split_out_of_memory);
	RUN(test_many_vmas_treap);
	RUN(test_random_against_model);
	return tap_finish();
}
