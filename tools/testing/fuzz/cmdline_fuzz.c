// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the boot command-line parser (lib/cmdline.c) and
 * the ready-made setters: any line, NUL-terminated, against a table with
 * one parameter of each kind. Every report must name a known error kind.
 * Built by fuzz.mk.
 */
// test-sources: lib/cmdline.c lib/kstrto.c lib/string.c
#include <mosaic/param.h>

static unsigned int opt_count;
static bool opt_flag;
static u64 opt_size;
static const char *opt_name;

static const struct kernel_param table[] = {
	{ .name = "count", .set = param_set_uint, .arg = &opt_count },
	{ .name = "flag", .set = param_set_bool, .arg = &opt_flag },
	{ .name = "pcache", .set = param_set_size, .arg = &opt_size },
	{ .name = "name", .set = param_set_string, .arg = &opt_name },
};

static void check_report(enum param_error err, const char *key, const char *val, int code)
{
	if (err > PARAM_TOO_LONG || !key || !param_error_str(err))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *line = malloc(size + 1);

	memcpy(line, data, size);
	line[size] = '\0';
	cmdline_parse(line, table, table + sizeof(table) / sizeof(table[0]), check_report);
	opt_name = NULL;	/* it pointed into line */
	free(line);
	return 0;
}
