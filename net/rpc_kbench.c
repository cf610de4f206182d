// SPDX-License-Identifier: GPL-2.0
/*
 * bench=rpc: the round trip of an RPC_NOP (an echo) with 64 B and 4 KiB of
 * payload each way, to this node (the local transport) and, when
 * mosaic.memory= names another node, to that node over the Ethernet
 * transport. Calls sleep, so they are timed here one by one with ktime_ns()
 * rather than by kbench_time() (which runs with interrupts off).
 */
#include <mosaic/kbench.h>
#include <mosaic/ktest.h>
#include <mosaic/mm.h>
#include <mosaic/printk.h>
#include <mosaic/rpc.h>
#include <mosaic/time.h>

#define RPC_BENCH_CALLS 200

/* Median and p99 of RPC_BENCH_CALLS echoes of len bytes to node; false on an error. */
static bool rpc_bench_echo(int node, size_t len, u64 *samples, u8 *buf)
{
	for (int i = 0; i < RPC_BENCH_CALLS; i++) {
		u64 start = ktime_ns();
		long n = rpc_call(node, RPC_NOP, buf, len, buf + len, len);

		if (n != (long)len) {
			pr_warn("bench: rpc to node %d (%zu bytes): %ld\n", node, len, n);
			return false;
		}
		samples[i] = ktime_ns() - start;
	}
	return true;
}

static void rpc_bench_node(int node, const char *where, u64 *samples, u8 *buf)
{
	static const size_t sizes[] = { 64, 4096 };
	char name[48];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (!rpc_bench_echo(node, sizes[i], samples, buf))
			return;
		snprintf(name, sizeof(name), "rpc_%s_%zu", where, sizes[i]);
		kbench_row(name, "ns_round_trip.median", ktest_median(samples, RPC_BENCH_CALLS),
			   "ns");
		kbench_row(name, "ns_round_trip.p99", samples[RPC_BENCH_CALLS * 99 / 100], "ns");
	}
}

KBENCH(rpc)
{
	u64 *samples = kmalloc(RPC_BENCH_CALLS * sizeof(*samples));
	u8 *buf = kzalloc(2 * 4096);
	int remote = rpc_next_memory_node();

	if (samples && buf) {
		rpc_bench_node(rpc_self_node(), "local", samples, buf);
		if (remote != rpc_self_node())
			rpc_bench_node(remote, "remote", samples, buf);
	}
	kfree(samples);
	kfree(buf);
}
