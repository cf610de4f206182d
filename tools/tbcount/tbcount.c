// SPDX-License-Identifier: GPL-2.0
/*
 * tbcount: a QEMU TCG plugin that counts guest instructions per translation
 * block, for finding where a kernel path spends its instructions (the
 * "Fork and exec: where the instructions go" tables of
 * Documentation/performance.md). Host-only; not part of the kernel build.
 *
 *   gcc -shared -fPIC -O2 -o tbcount.so tools/tbcount/tbcount.c
 *   qemu-system-x86_64 ... -plugin ./tbcount.so,out=/tmp/run.txt
 *   tools/tbcount/tbsym build/mosaic.elf /tmp/run.txt [/tmp/run2.txt DIVISOR]
 *
 * At exit it writes one line per block that ran: "VADDR NINSNS EXECUTIONS".
 * Blocks that end early (a fault in the middle) count as whole; the error
 * is small next to the counts. QEMU 7.2's plugin API (version 1) is declared
 * here, so no QEMU headers are needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* One translation of a block; a block translated again gets another record. */
struct block {
	uint64_t vaddr, ninsns, execs;
	struct block *next;
};

static struct block *blocks;
static const char *out_path = "tbcount.txt";

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b));

	if (!b)
		return;
	b->vaddr = qemu_plugin_tb_vaddr(tb);
	b->ninsns = qemu_plugin_tb_n_insns(tb);
	b->next = blocks;
	blocks = b;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
}

static void write_counts(qemu_plugin_id_t id, void *unused)
{
	FILE *f = fopen(out_path, "w");

	if (!f) {
		perror(out_path);
		return;
	}
	for (struct block *b = blocks; b; b = b->next)
		if (b->execs)
			fprintf(f, "%llx %llu %llu\n", (unsigned long long)b->vaddr,
				(unsigned long long)b->ninsns, (unsigned long long)b->execs);
	fclose(f);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, write_counts, NULL);
	return 0;
}
