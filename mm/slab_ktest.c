// SPDX-License-Identifier: GPL-2.0
/*
 * Boot self-tests of kmalloc and kmem_cache (suite "slab"): every size
 * class written end to end, alignment, no overlap, no leak, refused frees.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#define OBJS_PER_SIZE 24

static const size_t test_sizes[] = {
	1, 8, 9, 16, 24, 32, 48, 64, 100, 128, 200, 256, 500, 512, 1000, 1024,
	2000, 2048, 2049, 4096, 10000, 65536,
};

/* The alignment kmalloc promises for a size: its power-of-two class, at most a page. */
static size_t expected_align(size_t size)
{
	size_t a = 8;

	while (a < size && a < PAGE_SIZE)
		a <<= 1;
	return a;
}

static bool filled_with(const u8 *p, size_t n, u8 v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void check_one_size(size_t size)
{
	u8 *objs[OBJS_PER_SIZE];
	int i;

	for (i = 0; i < OBJS_PER_SIZE; i++) {
		objs[i] = kmalloc(size);
		if (!KEXPECT(objs[i] != NULL))
			return;
		KEXPECT(IS_ALIGNED((unsigned long)objs[i], expected_align(size)));
		KEXPECT(ksize(objs[i]) >= size);
		memset(objs[i], i + 1, size);
	}
	for (i = 0; i < OBJS_PER_SIZE; i++) {
		if (!filled_with(objs[i], size, i + 1))
			ktest_fail(__FILE__, __LINE__, "size %lu: object %d was overwritten", size, i);
		kfree(objs[i]);
	}
}

KTEST(slab, every_size_class_write_align_free)
{
	unsigned long start = nr_free_pages();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(test_sizes); i++)
		check_one_size(test_sizes[i]);
	KEXPECT_EQ(nr_free_pages(), start);
}

KTEST(slab, kzalloc_zeroes_and_odd_sizes)
{
	u8 *p = kmalloc(300);

	KASSERT(p != NULL);
	memset(p, 0xff, 300);
	kfree(p);
	p = kzalloc(300);
	KASSERT(p != NULL);
	KEXPECT(filled_with(p, 300, 0));
	kfree(p);
	KEXPECT(kmalloc(0) == NULL);
	KEXPECT(kmalloc((PAGE_SIZE << MAX_ORDER) + 1) == NULL);
	kfree(NULL);
}

KTEST(slab, double_free_and_foreign_pointer_refused)
{
	/* Two neighbours keep p's slab from emptying (an empty slab goes back to the buddy). */
	u8 *keep1 = kmalloc(64), *keep2 = kmalloc(64), *p = kmalloc(64), *q, *r;
	int local;

	KASSERT(keep1 && keep2 && p);
	memset(p, 0xab, 64);
	kfree(p + 8);		/* not an object start: refused, p stays allocated */
	kfree(&local);		/* not kmalloc memory at all */
	q = kmalloc(64);
	KASSERT(q != NULL);
	memset(q, 0, 64);
	KEXPECT(filled_with(p, 64, 0xab)); /* q was not carved out of p */
	kfree(q);
	kfree(p);
	kfree(p);		/* double free: refused */
	q = kmalloc(64);
	r = kmalloc(64);
	KEXPECT(q != r);	/* a double free accepted would hand p out twice */
	kfree(q);
	kfree(r);
	kfree(keep1);
	kfree(keep2);
}

struct test_obj {
	u64 words[5];
};

KTEST(slab, kmem_cache_alloc_free_destroy)
{
	struct kmem_cache *c = kmem_cache_create("ktest-obj", sizeof(struct test_obj), 64);
	struct test_obj *objs[100];
	unsigned long start = nr_free_pages();
	int i;

	KASSERT(c != NULL);
	for (i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(c);
		KASSERT(objs[i] != NULL);
		KEXPECT(IS_ALIGNED((unsigned long)objs[i], 64));
		memset(objs[i], i, sizeof(*objs[i]));
	}
	for (i = 0; i < 100; i++)
		KEXPECT(filled_with((u8 *)objs[i], sizeof(*objs[i]), i));
	KEXPECT_EQ(kmem_cache_destroy(c), -EBUSY);
	for (i = 0; i < 100; i++)
		kmem_cache_free(c, objs[i]);
	KEXPECT_EQ(nr_free_pages(), start);
	KEXPECT_EQ(kmem_cache_destroy(c), 0);
	KEXPECT(kmem_cache_create("bad", 0, 0) == NULL);
	KEXPECT(kmem_cache_create("bad", 64, 3) == NULL);
}

KTEST(slab, kmem_cache_free_into_wrong_cache_refused)
{
	struct kmem_cache *a = kmem_cache_create("ktest-a", 32, 0);
	struct kmem_cache *b = kmem_cache_create("ktest-b", 32, 0);
	void *x;

	KASSERT(a && b);
	x = kmem_cache_alloc(a);
	KASSERT(x != NULL);
	kmem_cache_free(b, x);			/* refused: x belongs to a */
	KEXPECT_EQ(kmem_cache_destroy(a), -EBUSY);
	kmem_cache_free(a, x);
	KEXPECT_EQ(kmem_cache_destroy(a), 0);
	KEXPECT_EQ(kmem_cache_destroy(b), 0);
}
