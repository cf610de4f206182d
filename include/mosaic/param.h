/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot command-line parameters. Each subsystem registers the keys it owns
 * with KERNEL_PARAM(); cmdline_parse() hands every key=value to its owner.
 * A setter returns 0 or a negative errno; on error, or for an unknown key,
 * the parser prints a warning and the default stays in force.
 *
 *   static unsigned int hz = 100;
 *   KERNEL_PARAM("timer.hz", param_set_uint, &hz, "timer tick rate");
 */
#ifndef _MOSAIC_PARAM_H
#define _MOSAIC_PARAM_H

#include <mosaic/compiler.h>

struct kernel_param {
	const char *name;
	int (*set)(const char *val, const struct kernel_param *kp);
	void *arg;
	const char *help;
};

#define KERNEL_PARAM(_name, _set, _arg, _help)                            \
	static const struct kernel_param __UNIQUE_PARAM(__COUNTER__)          \
		__section(".kparams") __used __aligned(8) = {                  \
		.name = _name, .set = _set, .arg = _arg, .help = _help }
#define __UNIQUE_PARAM(n) __UNIQUE_PARAM2(n)
#define __UNIQUE_PARAM2(n) __kparam_##n

/* Ready-made setters; arg points at the variable to set. */
int param_set_uint(const char *val, const struct kernel_param *kp);
int param_set_bool(const char *val, const struct kernel_param *kp);
int param_set_size(const char *val, const struct kernel_param *kp); /* u64, K/M/G */
int param_set_string(const char *val, const struct kernel_param *kp); /* const char * */

/* For setters with limits: *out = val as a number in lo..hi, else -EINVAL/-ERANGE. */
int param_parse_uint_range(const char *val, unsigned int lo, unsigned int hi, unsigned int *out);

/* What the parser reports; the kernel prints these, host tests collect them. */
enum param_error { PARAM_UNKNOWN, PARAM_BAD_VALUE, PARAM_NO_VALUE, PARAM_TOO_LONG };
typedef void (*param_report_fn)(enum param_error err, const char *key, const char *val, int code);

/*
 * Parse cmdline (it is not modified) against the table [start, end). Words
 * without '=' are flags: the setter gets val == NULL. Quoted values
 * (key="a b") may hold spaces. Returns the number of problems reported.
 */
int cmdline_parse(const char *cmdline, const struct kernel_param *start,
		  const struct kernel_param *end, param_report_fn report);

/* Parse the boot command line against every registered parameter. */
void params_init(const char *cmdline);
const char *param_error_str(enum param_error err);

#endif
