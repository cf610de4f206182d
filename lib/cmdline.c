// SPDX-License-Identifier: GPL-2.0
/*
 * The boot command-line parser and the standard parameter setters.
 * Words are separated by spaces; a value may be quoted (key="a b").
 * Nothing here trusts the input: over-long words are reported and skipped,
 * unknown keys and bad values are reported and leave the default alone.
 * Pure logic: also built by host tests (tools/testing/cmdline_test.c).
 */
#include <mosaic/errno.h>
#include <mosaic/param.h>
#include <mosaic/string.h>

#define WORD_MAX 256

int param_set_uint(const char *val, const struct kernel_param *kp)
{
	return val ? kstrtouint(val, 0, kp->arg) : -EINVAL;
}

int param_parse_uint_range(const char *val, unsigned int lo, unsigned int hi, unsigned int *out)
{
	unsigned int v;
	int err;

	if (!val)
		return -EINVAL;
	err = kstrtouint(val, 0, &v);
	if (err)
		return err;
	if (v < lo || v > hi)
		return -ERANGE;
	*out = v;
	return 0;
}

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	if (!val) {	/* a bare flag means "on" */
		*(bool *)kp->arg = true;
		return 0;
	}
	return kstrtobool(val, kp->arg);
}

int param_set_size(const char *val, const struct kernel_param *kp)
{
	return val ? kstrtosize(val, kp->arg) : -EINVAL;
}

/*
 * Strings are stored in a static pool so the parameter keeps pointing at
 * valid memory after the loader's command line is gone.
 */
int param_set_string(const char *val, const struct kernel_param *kp)
{
	static char pool[2048];
	static size_t used;
	size_t len;

	if (!val)
		return -EINVAL;
	len = strlen(val) + 1;
	if (len > sizeof(pool) - used)
		return -ENOSPC;
	memcpy(pool + used, val, len);
	*(const char **)kp->arg = pool + used;
	used += len;
	return 0;
}

const char *param_error_str(enum param_error err)
{
	switch (err) {
	case PARAM_UNKNOWN: return "unknown parameter";
	case PARAM_BAD_VALUE: return "bad value";
	case PARAM_NO_VALUE: return "needs a value";
	case PARAM_TOO_LONG: return "too long";
	}
	return "error";
}

/*
 * Copy the next word of *p into word (quotes removed) and advance *p.
 * Returns the word length, 0 at the end, or -1 for an over-long word.
 */
static int next_word(const char **p, char *word)
{
	const char *s = *p;
	bool quoted = false;
	int n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n < WORD_MAX - 1)
			word[n] = *s;
		n++;
	}
	*p = s;
	if (n >= WORD_MAX) {
		word[WORD_MAX - 1] = '\0';
		return -1;
	}
	word[n] = '\0';
	return n;
}

static const struct kernel_param *find_param(const char *key, const struct kernel_param *start,
					     const struct kernel_param *end)
{
	for (const struct kernel_param *kp = start; kp < end; kp++)
		if (!strcmp(kp->name, key))
			return kp;
	return NULL;
}

static int apply_word(char *word, const struct kernel_param *start,
		      const struct kernel_param *end, param_report_fn report)
{
	char *eq = strchr(word, '=');
	const char *val = NULL;
	const struct kernel_param *kp;
	int err;

	if (eq) {
		*eq = '\0';
		val = eq + 1;
	}
	kp = find_param(word, start, end);
	if (!kp) {
		report(PARAM_UNKNOWN, word, val, 0);
		return 1;
	}
	err = kp->set(val, kp);
	if (err) {
		report(val ? PARAM_BAD_VALUE : PARAM_NO_VALUE, word, val, err);
		return 1;
	}
	return 0;
}

int cmdline_parse(const char *cmdline, const struct kernel_param *start,
		  const struct kernel_param *end, param_report_fn report)
{
	char word[WORD_MAX];
	const char *p = cmdline;
	int len, problems = 0, index = 0;

	while ((len = next_word(&p, word)) != 0) {
		if (len < 0) {
			report(PARAM_TOO_LONG, word, NULL, -E2BIG);
			problems++;
			continue;
		}
		/* GRUB may pass the kernel's own path first: skip it. */
		if (index++ == 0 && word[0] == '/')
			continue;
		problems += apply_word(word, start, end, report);
	}
	return problems;
}
