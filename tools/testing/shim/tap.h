/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for host tests. A test program is a list of test
 * functions; each becomes one TAP line, "ok N name" or "not ok N name".
 *
 *   static void test_parse_hex(void)
 *   {
 *           u64 v;
 *           EXPECT_EQ(kstrtoull("0x10", 0, &v), 0);   // records, goes on
 *           ASSERT(v == 16);                          // records, returns
 *   }
 *   int main(void)
 *   {
 *           RUN(test_parse_hex);
 *           return tap_finish();   // "1..N", "# P passed, F failed"; 0 if all passed
 *   }
 *
 * A failed check prints a "# file:line: ..." diagnostic before the result.
 */
#ifndef _SHIM_TAP_H
#define _SHIM_TAP_H

#include <mosaic/compiler.h>

static int tap_number, tap_failures;
static bool tap_current_failed;

__attribute__((format(printf, 3, 4), unused))
static void tap_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	tap_current_failed = true;
}

__attribute__((unused))
static void tap_run(const char *name, void (*fn)(void))
{
	tap_current_failed = false;
	fn();
	tap_number++;
	if (tap_current_failed)
		tap_failures++;
	printf("%s %d %s\n", tap_current_failed ? "not ok" : "ok", tap_number, name);
	fflush(stdout);
}

__attribute__((unused))
static int tap_finish(void)
{
	printf("1..%d\n", tap_number);
	printf("# %d passed, %d failed\n", tap_number - tap_failures, tap_failures);
	return tap_failures ? 1 : 0;
}

#define RUN(fn) tap_run(#fn, fn)

#define EXPECT(cond)                                                           \
	({ bool __ok = !!(cond);                                               \
	   if (!__ok) tap_fail(__FILE__, __LINE__, "expected %s", #cond);      \
	   __ok; })
#define EXPECT_EQ(a, b)                                                        \
	({ long long __a = (long long)(a), __b = (long long)(b);               \
	   bool __ok = __a == __b;                                             \
	   if (!__ok) tap_fail(__FILE__, __LINE__, "expected %s == %s (%lld vs %lld)", \
			       #a, #b, __a, __b);                              \
	   __ok; })
#define EXPECT_STREQ(a, b)                                                     \
	({ const char *__a = (a), *__b = (b);                                  \
	   bool __ok = host_strcmp(__a, __b) == 0;                             \
	   if (!__ok) tap_fail(__FILE__, __LINE__, "expected %s == \"%s\", got \"%s\"", \
			       #a, __b, __a);                                  \
	   __ok; })
#define ASSERT(cond) do { if (!EXPECT(cond)) return; } while (0)
#define ASSERT_EQ(a, b) do { if (!EXPECT_EQ(a, b)) return; } while (0)

#endif
