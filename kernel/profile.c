// SPDX-License-Identifier: GPL-2.0
/*
 * The profile points' counters (interface: include/mosaic/profile.h) and
 * /proc/profile: a header line, then one line per point,
 *
 *	name count total_cycles min_cycles max_cycles avg_ns min_ns
 *
 * and writing "reset" zeroes them. The header line starts with '#' and ends
 * "(on)" or "(off: CONFIG_PROFILE=n)". avg_ns converts with the calibrated
 * tsc_khz. Counters are global and updated with relaxed atomics: a reset
 * racing with a record may lose that one record, nothing else.
 */
#include <mosaic/errno.h>
#include <mosaic/fs.h>
#include <mosaic/printk.h>
#include <mosaic/profile.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

static struct profile_stat profile_stats[PROF_NR_POINTS];

#define PROFILE_NAME(name, what) #name,
static const char *const profile_names[PROF_NR_POINTS] = { PROFILE_POINTS(PROFILE_NAME) };
#undef PROFILE_NAME

/* Raise *max to value unless another CPU raised it higher first. */
static void store_max(u64 *max, u64 value)
{
	u64 old = __atomic_load_n(max, __ATOMIC_RELAXED);

	while (value > old &&
	       !__atomic_compare_exchange_n(max, &old, value, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/* Lower *min (0: nothing recorded yet) to value unless another CPU went lower. */
static void store_min(u64 *min, u64 value)
{
	u64 old = __atomic_load_n(min, __ATOMIC_RELAXED);

	while ((old == 0 || value < old) &&
	       !__atomic_compare_exchange_n(min, &old, value, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

void profile_record(enum profile_point point, u64 cycles)
{
	struct profile_stat *st = &profile_stats[point];

	__atomic_fetch_add(&st->count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->cycles, cycles, __ATOMIC_RELAXED);
	store_max(&st->max, cycles);
	store_min(&st->min, cycles ? cycles : 1);
}

struct profile_stat profile_read(enum profile_point point)
{
	const struct profile_stat *st = &profile_stats[point];

	return (struct profile_stat){
		.count = __atomic_load_n(&st->count, __ATOMIC_RELAXED),
		.cycles = __atomic_load_n(&st->cycles, __ATOMIC_RELAXED),
		.min = __atomic_load_n(&st->min, __ATOMIC_RELAXED),
		.max = __atomic_load_n(&st->max, __ATOMIC_RELAXED),
	};
}

void profile_reset(void)
{
	for (int p = 0; p < PROF_NR_POINTS; p++) {
		__atomic_store_n(&profile_stats[p].count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&profile_stats[p].cycles, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&profile_stats[p].min, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&profile_stats[p].max, 0, __ATOMIC_RELAXED);
	}
}

static u64 cycles_to_ns(u64 cycles)
{
	u64 khz = READ_ONCE(tsc_khz);

	return khz ? cycles * 1000000 / khz : 0;
}

static long profile_show(char *buf, size_t size)
{
	size_t n = snprintf(buf, size,
			    "# name count total_cycles min_cycles max_cycles avg_ns min_ns (%s)\n",
			    IS_ENABLED(CONFIG_PROFILE) ? "on" : "off: CONFIG_PROFILE=n");

	for (int p = 0; p < PROF_NR_POINTS && n < size; p++) {
		struct profile_stat st = profile_read(p);

		n += snprintf(buf + n, size - n, "%s %llu %llu %llu %llu %llu %llu\n",
			      profile_names[p], (unsigned long long)st.count,
			      (unsigned long long)st.cycles, (unsigned long long)st.min,
			      (unsigned long long)st.max,
			      (unsigned long long)(st.count ? cycles_to_ns(st.cycles / st.count) : 0),
			      (unsigned long long)cycles_to_ns(st.min));
	}
	return n < size ? (long)n : (long)size;
}

/* A write to /proc/profile: "reset" (a newline may follow), nothing else. */
static long profile_store(const char *buf, size_t len)
{
	size_t word = len && buf[len - 1] == '\n' ? len - 1 : len;

	if (word != 5 || memcmp(buf, "reset", 5))
		return -EINVAL;
	profile_reset();
	return (long)len;
}

void profile_init(void)
{
	if (proc_register("profile", profile_show) ||
	    proc_register_store("profile", profile_store))
		pr_warn("profile: could not register /proc/profile\n");
}
