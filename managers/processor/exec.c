// SPDX-License-Identifier: GPL-2.0
/*
 * Exec glue on the processor: the memory manager loads the image (EXEC);
 * the processor only supplies the arguments, the entropy for AT_RANDOM and
 * its CPU's AT_HWCAP, and starts the program where the reply says.
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/mm.h>
#include <mosaic/mm_types.h>
#include <mosaic/process.h>
#include <mosaic/profile.h>
#include <mosaic/random.h>
#include <mosaic/rpc.h>

static u64 cpu_hwcap(void)
{
	u32 eax, ebx, ecx, edx;

	cpuid(1, &eax, &ebx, &ecx, &edx);
	return edx;
}

int process_exec_image(const char *path, const char *const *argv, const char *const *envp,
		       unsigned long *entry, unsigned long *sp)
{
	struct process *proc = current_process();
	struct mem_exec_reply reply;
	u8 random[16];
	void *req;
	long len;

	req = kmalloc(RPC_MAX_PAYLOAD);
	if (!req)
		return -ENOMEM;
	get_random_bytes(random, sizeof(random));
	len = mem_exec_pack(req, RPC_MAX_PAYLOAD, proc->mm->tgid, path, argv, envp, random,
			    cpu_hwcap());
	if (len >= 0) {
		u64 t = profile_start();

		len = rpc_call(proc->mm->home_node, RPC_MEM_EXEC, req, len, &reply, sizeof(reply));
		profile_end(PROF_exec, t);
	}
	kfree(req);
	if (len < 0)
		return rpc_is_transport_error(len) ? -EIO : len;
	if (len != sizeof(reply))
		return -EIO;
	if (reply.status < 0)
		return reply.status;
	*entry = reply.entry;
	*sp = reply.sp;
	proc->brk = reply.brk;
	return 0;
}
