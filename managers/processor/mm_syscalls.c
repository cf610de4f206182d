// SPDX-License-Identifier: GPL-2.0
/*
 * The memory system calls on a processor node. The processor keeps no vma
 * tree: brk, mmap, munmap, mprotect and mremap go to the process's home
 * memory node, and the processor only removes the ptes the answer made
 * stale. Removed ptes are simply refilled by the next fault, with the
 * protection the memory manager then reports.
 *
 *   munmap, MAP_FIXED over old pages, brk shrink: the data is gone, zap.
 *   mprotect: the data lives on, write dirty lines back, then zap.
 *   mremap: the ptes move with the pages (move_ptes -> pcache_move_pte).
 */
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm_types.h>
#include <mosaic/page.h>
#include <mosaic/pcache.h>
#include <mosaic/process.h>
#include <mosaic/rpc.h>
#include <mosaic/syscall.h>
#include <mosaic/uaccess.h>
#include <uapi/mman.h>

/* Kernel threads (self-tests calling syscall_invoke) have no address space. */
#define NEED_PROCESS(proc)                                                     \
	do {                                                                   \
		if (!(proc) || !(proc)->mm)                                    \
			return -ENOSYS;                                        \
	} while (0)

static long mm_rpc(struct mm_struct *mm, enum rpc_opcode op, const void *req, size_t len)
{
	struct mem_ret_reply reply;
	long n = rpc_call(mm->home_node, op, req, len, &reply, sizeof(reply));

	if (n < 0)
		return rpc_is_transport_error(n) ? -EIO : n;
	return n == sizeof(reply) ? reply.ret : -EIO;
}

static unsigned long page_up(unsigned long a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

SYSCALL_DEFINE1(brk, __NR_brk, unsigned long, brk)
{
	struct process *proc = current_process();

	NEED_PROCESS(proc);
	struct mem_brk_req req = { .tgid = proc->mm->tgid, .brk = brk };
	long ret = mm_rpc(proc->mm, RPC_MEM_BRK, &req, sizeof(req));

	if (ret < 0)
		return proc->brk;	/* Linux: a failed brk returns the current break */
	if ((unsigned long)ret < proc->brk)
		zap_pte_range(proc->mm, page_up(ret), page_up(proc->brk));
	proc->brk = ret;
	return ret;
}

SYSCALL_DEFINE6(mmap, __NR_mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, long, fd, unsigned long, offset)
{
	struct process *proc = current_process();

	NEED_PROCESS(proc);
	struct mem_mmap_req req = {
		.tgid = proc->mm->tgid, .prot = prot, .flags = flags, .addr = addr, .len = len,
		.file_offset = offset,
	};
	long ret;

	if (prot != (u32)prot || flags != (u32)flags)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;	/* file mappings come with the file table */
	ret = mm_rpc(proc->mm, RPC_MEM_MMAP, &req, sizeof(req));
	if (ret >= 0 && (flags & MAP_FIXED))
		zap_pte_range(proc->mm, ret, ret + page_up(len));
	return ret;
}

SYSCALL_DEFINE2(munmap, __NR_munmap, unsigned long, addr, unsigned long, len)
{
	struct process *proc = current_process();

	NEED_PROCESS(proc);
	struct mem_munmap_req req = { .tgid = proc->mm->tgid, .addr = addr, .len = len };
	long ret = mm_rpc(proc->mm, RPC_MEM_MUNMAP, &req, sizeof(req));

	if (!ret)
		zap_pte_range(proc->mm, addr, addr + page_up(len));
	return ret;
}

SYSCALL_DEFINE3(mprotect, __NR_mprotect, unsigned long, addr, unsigned long, len,
		unsigned long, prot)
{
	struct process *proc = current_process();

	NEED_PROCESS(proc);
	struct mem_mprotect_req req = { .tgid = proc->mm->tgid, .prot = prot, .addr = addr, .len = len };
	long ret;

	if (prot != (u32)prot)
		return -EINVAL;
	ret = mm_rpc(proc->mm, RPC_MEM_MPROTECT, &req, sizeof(req));
	if (!ret)
		zap_pte_range_writeback(proc->mm, addr, addr + page_up(len));
	return ret;
}

/* Make the ptes follow what the memory node did with [old_addr, +old_len). */
static void mremap_ptes(struct mm_struct *mm, unsigned long old_addr, unsigned long old_len,
			unsigned long new_addr, unsigned long new_len)
{
	old_len = page_up(old_len);
	new_len = page_up(new_len);
	if (new_addr != old_addr) {
		zap_pte_range(mm, new_addr, new_addr + new_len);	/* what MREMAP_FIXED replaced */
		move_ptes(mm, old_addr, new_addr, min(old_len, new_len));
	}
	if (old_len > new_len)	/* shrunk: the tail is unmapped */
		zap_pte_range(mm, old_addr + new_len, old_addr + old_len);
}

SYSCALL_DEFINE5(mremap, __NR_mremap, unsigned long, old_addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags, unsigned long, new_addr)
{
	struct process *proc = current_process();

	NEED_PROCESS(proc);
	struct mem_mremap_req req = {
		.tgid = proc->mm->tgid, .flags = flags, .old_addr = old_addr, .old_len = old_len,
		.new_len = new_len, .new_addr = new_addr,
	};
	long ret;

	if (flags != (u32)flags)
		return -EINVAL;
	/*
	 * Once the memory node has moved the pages, an eviction racing with
	 * move_ptes() would write a line back to its old address, where
	 * nothing is mapped any more (found by usr/tests/remap_evict in a
	 * single-set pcache). The barrier keeps the old range's lines out of
	 * eviction until their ptes (and rmap addresses) have moved.
	 */
	mm_layout_change_begin(proc->mm);	/* no fault fills the new range before the move */
	pcache_block_eviction(proc->mm, old_addr, old_addr + page_up(old_len));
	ret = mm_rpc(proc->mm, RPC_MEM_MREMAP, &req, sizeof(req));
	if (ret >= 0)
		mremap_ptes(proc->mm, old_addr, old_len, ret, new_len);
	pcache_unblock_eviction(proc->mm);
	mm_layout_change_end(proc->mm);
	return ret;
}

static bool madvise_advice_known(int advice)
{
	return (advice >= MADV_NORMAL && advice <= MADV_DONTNEED) ||
	       (advice >= MADV_FREE && advice <= MADV_POPULATE_WRITE);
}

/*
 * Every advice is a hint we may ignore, except MADV_DONTNEED and MADV_FREE:
 * private anonymous memory must then read back as zero. The memory node
 * drops the pages and the processor the lines (zap: the data is gone).
 * MADV_PAGEOUT is Linux's "reclaim these now": here the range's dirty lines
 * go back to the memory node and the lines are dropped, so the next touch
 * is a miss. Benchmarks use it on both kernels to time a real miss.
 */
SYSCALL_DEFINE3(madvise, __NR_madvise, unsigned long, start, size_t, len_in, int, advice)
{
	size_t len = page_up(len_in);
	struct process *proc;
	long ret;

	if (!madvise_advice_known(advice) || (start & (PAGE_SIZE - 1)) || (len_in && !len) ||
	    start + len < start)
		return -EINVAL;
	if (start + len > USER_ADDR_END)
		return -ENOMEM;		/* outside the address space: not mapped */
	if (!len || (advice != MADV_DONTNEED && advice != MADV_FREE && advice != MADV_PAGEOUT))
		return 0;
	proc = current_process();
	NEED_PROCESS(proc);
	if (advice == MADV_PAGEOUT) {
		zap_pte_range_writeback(proc->mm, start, start + len);
		return 0;
	}
	struct mem_dontneed_req req = { .tgid = proc->mm->tgid, .addr = start, .len = len };

	ret = mm_rpc(proc->mm, RPC_MEM_DONTNEED, &req, sizeof(req));
	if (!ret)
		zap_pte_range(proc->mm, start, start + len);
	return ret;
}
