// SPDX-License-Identifier: GPL-2.0
/*
 * Boot self-tests of the page-table API (suite "pgtable"): map and unmap
 * 4 KiB and 2 MiB pages at fresh addresses, the error codes, the kernel
 * image's protections, no identity map, ioremap, and no kernel mapping
 * that is both writable and executable (W^X over the whole kernel half).
 */
#include <asm/x86.h>
#include <mosaic/boot.h>
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/pgtable.h>
#include <mosaic/string.h>

/* An address range nothing else uses (the future vmalloc area). */
#define TEST_VA 0xffffc90000000000UL

static int kernel_data_word = 1;
static const int kernel_rodata_word = 2;

KTEST(pgtable, map_unmap_4k)
{
	struct page *page = alloc_pages(0);
	volatile u64 *via_map = (u64 *)TEST_VA;
	enum pt_level level;
	pte_t *pte;

	KASSERT(page != NULL);
	KASSERT_EQ(pgtable_map_page(kernel_pml4, TEST_VA, page_to_phys(page), PTE_KERNEL_RW), 0);
	pte = pgtable_lookup(kernel_pml4, TEST_VA, &level);
	KASSERT(pte != NULL);
	KEXPECT_EQ(level, PT_LEVEL_4K);
	KEXPECT_EQ(pte_phys(*pte), page_to_phys(page));
	*via_map = 0x1234abcd5678ef00ULL;
	KEXPECT_EQ(*(u64 *)page_address(page), 0x1234abcd5678ef00ULL);
	KEXPECT_EQ(pgtable_map_page(kernel_pml4, TEST_VA, page_to_phys(page), PTE_KERNEL_RW), -EEXIST);
	KEXPECT_EQ(pgtable_unmap_page(kernel_pml4, TEST_VA), 0);
	KEXPECT(pgtable_lookup(kernel_pml4, TEST_VA, NULL) == NULL);
	KEXPECT_EQ(pgtable_unmap_page(kernel_pml4, TEST_VA), -ENOENT);
	free_pages(page, 0);
}

KTEST(pgtable, map_unmap_2m)
{
	struct page *page = alloc_pages(HUGE_PAGE_SHIFT - PAGE_SHIFT);
	unsigned long va = TEST_VA + HUGE_PAGE_SIZE;
	enum pt_level level;
	pte_t *pte;

	KASSERT(page != NULL);
	KASSERT_EQ(pgtable_map_huge(kernel_pml4, va, page_to_phys(page), PTE_KERNEL_RW), 0);
	pte = pgtable_lookup(kernel_pml4, va + 5 * PAGE_SIZE + 8, &level);
	KASSERT(pte != NULL);
	KEXPECT_EQ(level, PT_LEVEL_2M);
	KEXPECT(*pte & PTE_PS);
	*(volatile u64 *)(va + HUGE_PAGE_SIZE - 8) = 0xfeedULL;
	KEXPECT_EQ(*(u64 *)((char *)page_address(page) + HUGE_PAGE_SIZE - 8), 0xfeedULL);
	KEXPECT_EQ(pgtable_map_page(kernel_pml4, va, page_to_phys(page), PTE_KERNEL_RW), -EEXIST);
	KEXPECT_EQ(pgtable_unmap_page(kernel_pml4, va), -EEXIST);
	KEXPECT_EQ(pgtable_unmap_huge(kernel_pml4, va), 0);
	KEXPECT(pgtable_lookup(kernel_pml4, va, NULL) == NULL);
	free_pages(page, HUGE_PAGE_SHIFT - PAGE_SHIFT);
}

KTEST(pgtable, bad_arguments)
{
	KEXPECT_EQ(pgtable_map_page(kernel_pml4, TEST_VA + 1, 0x200000, PTE_RW), -EINVAL);
	KEXPECT_EQ(pgtable_map_page(kernel_pml4, TEST_VA, 0x200001, PTE_RW), -EINVAL);
	KEXPECT_EQ(pgtable_map_huge(kernel_pml4, TEST_VA + PAGE_SIZE, 0x200000, PTE_RW), -EINVAL);
	KEXPECT_EQ(pgtable_map_page(kernel_pml4, 0x0000900000000000UL, 0, PTE_RW), -EINVAL);
	KEXPECT_EQ(pgtable_map_page(kernel_pml4, TEST_VA, 0x200000, PTE_RW | PTE_US), -EINVAL);
	KEXPECT_EQ(pgtable_unmap_huge(kernel_pml4, TEST_VA + 3 * HUGE_PAGE_SIZE), -ENOENT);
	KEXPECT(ioremap(0xfee00000, 0) == NULL);
	KEXPECT(ioremap(~0ULL - 10, 100) == NULL);
}

KTEST(pgtable, kernel_image_protections)
{
	pte_t *text = pgtable_lookup(kernel_pml4, (unsigned long)_text, NULL);
	pte_t *ro = pgtable_lookup(kernel_pml4, (unsigned long)&kernel_rodata_word, NULL);
	pte_t *data = pgtable_lookup(kernel_pml4, (unsigned long)&kernel_data_word, NULL);
	pte_t *direct = pgtable_lookup(kernel_pml4, (unsigned long)__va(0x100000), NULL);

	KASSERT(text && ro && data && direct);
	KEXPECT(!(*text & PTE_RW));
	KEXPECT(!(*text & PTE_NX));
	KEXPECT(!(*ro & PTE_RW));
	KEXPECT(*data & PTE_RW);
	if (*data & PTE_NX) {	/* NX exists on this CPU: check it everywhere it belongs */
		KEXPECT(*ro & PTE_NX);
		KEXPECT(*direct & PTE_NX);
	}
	KEXPECT(*text & PTE_G);
}

KTEST(pgtable, no_identity_map_of_low_memory)
{
	KEXPECT(pgtable_lookup(kernel_pml4, 0x100000, NULL) == NULL);
	KEXPECT(pgtable_lookup(kernel_pml4, 0x8000, NULL) == NULL);
	KEXPECT_EQ(__pa(kernel_pml4) & PTE_ADDR_MASK, read_cr3() & PTE_ADDR_MASK);
}

KTEST(pgtable, ioremap_is_uncached)
{
	u32 *lapic = ioremap(0xfee00000, PAGE_SIZE);
	pte_t *pte;

	KASSERT(lapic != NULL);
	KEXPECT_EQ((unsigned long)lapic, (unsigned long)__va(0xfee00000));
	pte = pgtable_lookup(kernel_pml4, (unsigned long)lapic, NULL);
	KASSERT(pte != NULL);
	KEXPECT((*pte & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT));
	KEXPECT(*pte & PTE_RW);
	KEXPECT_NE(lapic[0x30 / 4], 0xffffffff); /* LAPIC version register reads back */
}

KTEST(pgtable, ioremap_splits_a_huge_direct_mapping)
{
	struct page *page = alloc_pages(HUGE_PAGE_SHIFT - PAGE_SHIFT);
	phys_addr_t pa;
	enum pt_level level;
	pte_t *pte;

	KASSERT(page != NULL);
	pa = page_to_phys(page) + 7 * PAGE_SIZE;
	KASSERT(ioremap(pa, 16) == __va(pa));
	pte = pgtable_lookup(kernel_pml4, (unsigned long)__va(pa), &level);
	KASSERT(pte != NULL);
	KEXPECT_EQ(level, PT_LEVEL_4K);
	KEXPECT(*pte & PTE_PCD);
	*pte &= ~(PTE_PCD | PTE_PWT);	/* back to cached RAM before it returns to the buddy */
	invlpg((unsigned long)__va(pa));
	pte = pgtable_lookup(kernel_pml4, (unsigned long)__va(pa + PAGE_SIZE), &level);
	KEXPECT(pte && !(*pte & PTE_PCD) && pte_phys(*pte) == pa + PAGE_SIZE);
	free_pages(page, HUGE_PAGE_SHIFT - PAGE_SHIFT);
}

/* ---- W^X: walk every kernel-half mapping, adding up the rights of each level ---- */

struct wx_census {
	unsigned long leaves, writable_exec;
	unsigned long first_bad;	/* the first W+X address, for the message */
};

/* A leaf is writable if every level allows it, executable if no level forbids it. */
static void wx_leaf(struct wx_census *c, unsigned long va, bool rw, bool nx)
{
	c->leaves++;
	if (rw && !nx && !c->writable_exec++)
		c->first_bad = va;
}

static void wx_walk(struct wx_census *c, const pte_t *table, int level, unsigned long base,
		    bool rw, bool nx)
{
	static const int shift[] = { 12, 21, 30, 39 };	/* PT, PD, PDPT, PML4 */
	int first = level == 3 ? 256 : 0;		/* the kernel half of the PML4 */

	for (int i = first; i < 512; i++) {
		pte_t e = table[i];
		unsigned long va = base + ((unsigned long)i << shift[level]);
		bool leaf_rw = rw && (e & PTE_RW), leaf_nx = nx || (e & PTE_NX);

		if (!pte_present(e))
			continue;
		if (level == 3)
			va |= 0xffff000000000000UL;	/* canonical upper half */
		if (level == 0 || (e & PTE_PS))
			wx_leaf(c, va, leaf_rw, leaf_nx);
		else
			wx_walk(c, __va(pte_phys(e)), level - 1, va, leaf_rw, leaf_nx);
	}
}

KTEST(pgtable, no_writable_and_executable_kernel_mapping)
{
	struct wx_census c = { 0 };

	wx_walk(&c, kernel_pml4, 3, 0, true, false);
	KEXPECT(c.leaves > 0);
	if (c.writable_exec)
		ktest_fail(__FILE__, __LINE__, "%lu W+X mappings, the first at %#lx",
			   c.writable_exec, c.first_bad);
}
