// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the initramfs parser (managers/storage/cpio.c):
 * walk whatever archive the fuzzer makes and read every byte an entry
 * claims, so ASan catches a name or data pointer that runs off the input.
 * Seeds: the cpio corpus (tools/testing/corpus/cpio). Built by fuzz.mk.
 */
// test-sources: managers/storage/cpio.c lib/string.c
#include "../../../managers/storage/cpio.h"

#define MAX_ENTRIES 100000	/* a parser that never ends is a bug too: abort */

/* Sum every byte so the reads cannot be optimised away. */
static unsigned int touch(const void *p, size_t len)
{
	const unsigned char *b = p;
	unsigned int sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

unsigned int cpio_fuzz_sink;	/* global: the sums must look used */

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int entries = 0;

	cpio_iter_init(&it, data, size);
	while (cpio_next(&it, &e) > 0) {
		cpio_fuzz_sink += touch(e.name, e.name_len) + touch(e.data, e.size);
		if (++entries > MAX_ENTRIES)
			abort();
	}
	return 0;
}
