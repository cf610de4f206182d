// SPDX-License-Identifier: GPL-2.0
/*
 * Strict number parsing for command-line and user input: the whole string
 * must be consumed, overflow is an error (-ERANGE), anything else is
 * -EINVAL. Pure logic: also built by host tests.
 */
#include <mosaic/errno.h>
#include <mosaic/string.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static const char *parse_base(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			*base = 16;
			return s + 2;
		}
		*base = s[0] == '0' && s[1] ? 8 : 10;
		return s;
	}
	if (*base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16)
		return s + 2;
	return s;
}

/* Parse digits from s; *end is set to the first unparsed character. */
static int parse_digits(const char *s, unsigned int base, u64 *res, const char **end)
{
	u64 v = 0;
	const char *p = s;

	for (; digit_value(*p) < (int)base; p++) {
		unsigned int d = digit_value(*p);

		if (v > (U64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (p == s)
		return -EINVAL;
	*res = v;
	*end = p;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, u64 *res)
{
	const char *end;
	u64 v;
	int err;

	if (!s || base == 1 || base > 36)
		return -EINVAL;
	if (*s == '+')
		s++;
	s = parse_base(s, &base);
	err = parse_digits(s, base, &v, &end);
	if (err)
		return err;
	if (*end == '\n' && end[1] == '\0')
		end++;
	if (*end)
		return -EINVAL; /* *res untouched: callers keep their default */
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, s64 *res)
{
	u64 v;
	int err;

	if (s && *s == '-') {
		err = kstrtoull(s + 1, base, &v);
		if (err)
			return err;
		if (v > (u64)LONG_MAX + 1)
			return -ERANGE;
		*res = (s64)(0 - v);
		return 0;
	}
	err = kstrtoull(s, base, &v);
	if (err)
		return err;
	if (v > (u64)LONG_MAX)
		return -ERANGE;
	*res = (s64)v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	u64 v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v > U32_MAX)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	s64 v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v > INT_MAX || v < -(s64)INT_MAX - 1)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	unsigned int i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*res = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int size_shift(char suffix)
{
	switch (suffix) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	case 't': case 'T': return 40;
	default: return -1;
	}
}

int kstrtosize(const char *s, u64 *res)
{
	const char *end;
	unsigned int base = 0;
	u64 v;
	int shift = 0, err;

	if (!s)
		return -EINVAL;
	s = parse_base(s, &base);
	err = parse_digits(s, base, &v, &end);
	if (err)
		return err;
	if (*end) {
		shift = size_shift(*end);
		if (shift < 0 || (end[1] != '\0' && !((end[1] == 'B' || end[1] == 'b') && !end[2])))
			return -EINVAL;
	}
	if (shift && v > (U64_MAX >> shift))
		return -ERANGE;
	*res = v << shift;
	return 0;
}
