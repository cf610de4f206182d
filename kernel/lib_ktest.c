// SPDX-License-Identifier: GPL-2.0
/* Boot self-tests of lib/: the same code the host tests cover, run in the kernel. */
#include <mosaic/errno.h>
#include <mosaic/ktest.h>
#include <mosaic/param.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

KTEST(lib, snprintf_formats)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-3x|%08lx|%s", -42, 7u, 0xa, 0xbeefUL, "ok");
	KEXPECT(!strcmp(buf, "-42|    7|a  |0000beef|ok"));
	KEXPECT_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
	KEXPECT(!strcmp(buf, "tru"));
}

KTEST(lib, kstrtosize_suffixes)
{
	u64 v;

	KEXPECT_EQ(kstrtosize("64M", &v), 0);
	KEXPECT_EQ(v, 64ULL << 20);
	KEXPECT_EQ(kstrtosize("banana", &v), -EINVAL);
	KEXPECT_EQ(kstrtosize("99999999999G", &v), -ERANGE);
}

static unsigned int test_uint = 5;
static int reported;

static void count_reports(enum param_error err, const char *key, const char *val, int code)
{
	reported++;
}

KTEST(cmdline, bad_input_keeps_defaults)
{
	static const struct kernel_param table[] = {
		{ .name = "n", .set = param_set_uint, .arg = &test_uint },
	};

	reported = 0;
	cmdline_parse("n=banana junk= =x n", table, table + 1, count_reports);
	KEXPECT_EQ(test_uint, 5);
	KEXPECT_EQ(reported, 4);
	cmdline_parse("n=12", table, table + 1, count_reports);
	KEXPECT_EQ(test_uint, 12);
}
