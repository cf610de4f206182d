// SPDX-License-Identifier: GPL-2.0
/*
 * User pointers for ktests (declared in include/mosaic/ktest.h): run a test
 * body in a kernel thread that owns a small user address space, so system
 * calls can be called through syscall_invoke() with real user pointers and
 * the uaccess checks and fixups run as they would for a program.
 *
 * The pages are ordinary zeroed kernel pages mapped with PTE_US | PTE_RW at
 * KTEST_USER_BASE; the pcache is not involved. An address past the last
 * page is unmapped: a handy bad pointer. The mm's tgid has no address
 * space at the memory manager, so a fault there is never filled.
 *
 * Context: the mm is private to the thread; page-table edits happen before
 * it is loaded and after it is unloaded, so no lock is needed.
 */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/rpc.h>
#include <mosaic/sched.h>

#define KTEST_USER_TGID 0x7ffffff0u	/* no memory-manager space uses it */

struct ktest_user_job {
	struct ktest_user u;
	int (*fn)(struct ktest_user *u, void *arg);
	void *arg;
};

static void ktest_user_unmap(struct ktest_user *u)
{
	for (unsigned int i = 0; i < u->nr_pages; i++) {
		if (!u->pages[i])
			continue;
		pgtable_unmap_page(u->mm->pml4, KTEST_USER_BASE + i * PAGE_SIZE);
		free_pages_addr(u->pages[i], 0);
		u->pages[i] = NULL;
	}
}

static int ktest_user_map(struct ktest_user *u)
{
	for (unsigned int i = 0; i < u->nr_pages; i++) {
		u->pages[i] = get_zeroed_pages(0);
		if (!u->pages[i])
			return -ENOMEM;
		if (pgtable_map_page(u->mm->pml4, KTEST_USER_BASE + i * PAGE_SIZE,
				     __pa(u->pages[i]), PTE_US | PTE_RW)) {
			free_pages_addr(u->pages[i], 0);
			u->pages[i] = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static int ktest_user_thread(void *arg)
{
	struct ktest_user_job *job = arg;
	struct ktest_user *u = &job->u;
	struct task *self = current_task();
	int ret = -ENOMEM;

	u->mm = mm_create(KTEST_USER_TGID, rpc_self_node());
	if (!u->mm)
		return -ENOMEM;
	if (!ktest_user_map(u)) {
		self->mm = u->mm;
		switch_mm(NULL, u->mm);
		ret = job->fn(u, job->arg);
		switch_mm(u->mm, NULL);
		self->mm = NULL;
	}
	ktest_user_unmap(u);
	mm_put(u->mm);
	return ret;
}

int ktest_user_run(int (*fn)(struct ktest_user *u, void *arg), void *arg,
		   unsigned int nr_pages)
{
	struct ktest_user_job job = { .u = { .nr_pages = nr_pages }, .fn = fn, .arg = arg };
	struct task *t;

	if (!nr_pages || nr_pages > KTEST_USER_MAX_PAGES)
		return -EINVAL;
	t = kthread_create(ktest_user_thread, &job, "ktest-user");
	if (IS_ERR(t))
		return PTR_ERR(t);
	return kthread_join(t);
}
