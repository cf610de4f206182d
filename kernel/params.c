// SPDX-License-Identifier: GPL-2.0
/* Hands the boot command line to the parameters registered with KERNEL_PARAM(). */
#include <mosaic/param.h>
#include <mosaic/printk.h>

extern const struct kernel_param __start_kparams[], __stop_kparams[];

static void report(enum param_error err, const char *key, const char *val, int code)
{
	if (err == PARAM_UNKNOWN)
		pr_warn("cmdline: unknown parameter '%s' ignored\n", key);
	else
		pr_warn("cmdline: %s%s%s: %s (error %d), default kept\n", key,
			val ? "=" : "", val ? val : "", param_error_str(err), code);
}

void params_init(const char *cmdline)
{
	cmdline_parse(cmdline, __start_kparams, __stop_kparams, report);
}
