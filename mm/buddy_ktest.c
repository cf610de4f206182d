// SPDX-License-Identifier: GPL-2.0
/*
 * Boot self-tests of the page allocator (suite "buddy"): a mixed-order
 * stress run with overlap and leak checks, out-of-memory, refused frees.
 */
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/string.h>

#define STRESS_BLOCKS 300

static u32 test_rand_state = 12345;

static u32 test_rand(void)
{
	test_rand_state = test_rand_state * 1103515245 + 12345;
	return test_rand_state >> 8;
}

static struct {
	struct page *page;
	unsigned int order;
} blocks[STRESS_BLOCKS];

static bool blocks_overlap(int a, int b)
{
	phys_addr_t sa = page_to_phys(blocks[a].page), sb = page_to_phys(blocks[b].page);

	return sa < sb + (PAGE_SIZE << blocks[b].order) && sb < sa + (PAGE_SIZE << blocks[a].order);
}

static int alloc_mixed_blocks(void)
{
	int n = 0, i;

	for (i = 0; i < STRESS_BLOCKS; i++) {
		unsigned int order = test_rand() % 4 ? test_rand() % 3 : test_rand() % (MAX_ORDER + 1);
		struct page *p = alloc_pages(order);

		if (!p)
			continue;
		blocks[n].page = p;
		blocks[n++].order = order;
	}
	return n;
}

static void shuffle_blocks(int n)
{
	int i, j;

	for (i = n - 1; i > 0; i--) {
		j = test_rand() % (i + 1);
		struct page *p = blocks[i].page;
		unsigned int o = blocks[i].order;

		blocks[i] = blocks[j];
		blocks[j].page = p;
		blocks[j].order = o;
	}
}

KTEST(buddy, stress_mixed_orders_no_overlap_no_leak)
{
	unsigned long start = nr_free_pages();
	int n = alloc_mixed_blocks(), i, j;

	KASSERT(n > STRESS_BLOCKS / 2);
	for (i = 0; i < n; i++) {
		KEXPECT(IS_ALIGNED(page_to_phys(blocks[i].page), PAGE_SIZE << blocks[i].order));
		for (j = i + 1; j < n; j++)
			if (blocks_overlap(i, j))
				ktest_fail(__FILE__, __LINE__, "blocks %d and %d overlap", i, j);
	}
	shuffle_blocks(n);
	for (i = 0; i < n; i++)
		free_pages(blocks[i].page, blocks[i].order);
	KEXPECT_EQ(nr_free_pages(), start);
}

/*
 * The blocks of a drain, recorded in an array allocated beforehand: writing
 * into the blocks themselves would make QEMU back every one of them with
 * host memory, which is slow.
 */
struct drained_block {
	struct page *page;
	unsigned int order;
};
#define MAX_DRAINED 8192 /* 32 GiB of 4 MiB blocks */

/* Allocate blocks, largest first, until every order fails; returns how many. */
static unsigned long drain_all_memory(struct drained_block *b)
{
	unsigned long n = 0;
	int order;

	for (order = MAX_ORDER; order >= 0; order--)
		while (n < MAX_DRAINED && (b[n].page = alloc_pages(order)))
			b[n++].order = order;
	return n;
}

KTEST(buddy, out_of_memory_returns_null_and_nothing_leaks)
{
	struct drained_block *b = kmalloc(MAX_DRAINED * sizeof(*b));
	unsigned long start = nr_free_pages(), n, i;

	KASSERT(b != NULL);
	n = drain_all_memory(b);
	if (n == MAX_DRAINED) {
		ktest_skip("more RAM than this test can drain");
	} else {
		KEXPECT(n > 0);
		KEXPECT_EQ(nr_free_pages(), 0);
		KEXPECT(alloc_pages(0) == NULL);
		KEXPECT(kmalloc(64 * 1024) == NULL);
	}
	for (i = 0; i < n; i++)
		free_pages(b[i].page, b[i].order);
	KEXPECT_EQ(nr_free_pages(), start);
	kfree(b);
}

/* Bad frees leave the free count alone: false if it moved (or the allocation failed). */
static bool bad_frees_leave_count(void)
{
	unsigned long start = nr_free_pages();
	struct page *p = alloc_pages(2);
	bool same = p != NULL;

	if (!p)
		return false;
	free_pages(p, 3);			/* wrong order: refused */
	same &= nr_free_pages() == start - 4;
	free_pages(phys_to_page(page_to_phys(p) + PAGE_SIZE), 0); /* tail page */
	same &= nr_free_pages() == start - 4;
	free_pages(p, 2);
	same &= nr_free_pages() == start;
	free_pages(p, 2);			/* double free: refused */
	same &= nr_free_pages() == start;
	free_pages(phys_to_page(0), 0);		/* reserved low memory */
	return same && nr_free_pages() == start;
}

/*
 * The count is the whole allocator's: at -smp 4 another CPU allocated a
 * kernel stack (8 pages) in the middle once. A refused free that freed
 * would move it every time, so a few tries tell the two apart.
 */
KTEST(buddy, bad_frees_are_refused)
{
	bool same = false;

	for (int try = 0; try < 5 && !same; try++)
		same = bad_frees_leave_count();
	KEXPECT(same);
	KEXPECT(alloc_pages(MAX_ORDER + 1) == NULL);
	free_pages(NULL, 0);
}

KTEST(buddy, zeroed_pages_are_zero)
{
	u8 *p = get_zeroed_pages(1);
	size_t i;
	bool zero = true;

	KASSERT(p != NULL);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		zero &= p[i] == 0;
	KEXPECT(zero);
	KEXPECT(virt_to_page(p) == phys_to_page(page_to_phys(virt_to_page(p))));
	free_pages_addr(p, 1);
}
