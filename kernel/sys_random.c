// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel randomness and getrandom(2). Interface: include/mosaic/random.h.
 *
 * Every 64-bit output is the XOR of two sources: the CPU's RDSEED or RDRAND
 * (when CPUID says the instruction exists and it succeeds within a few
 * tries) and a software generator, xoshiro256**, whose state is seeded at
 * first use through splitmix64 from the TSC, the RTC and ktime, and stirred
 * with the TSC on every call. The XOR is never weaker than its better half.
 *
 * getrandom never blocks (the generator is ready from the first call), so
 * GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE change nothing; other flags
 * and RANDOM|INSECURE together are -EINVAL, as in Linux. One call returns
 * at most GETRANDOM_MAX bytes (a short count beyond).
 *
 * Locking: rng_lock guards the software state. It is taken with interrupts
 * disabled, so any context may call get_random_bytes().
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/random.h>
#include <mosaic/rtc.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include <mosaic/syscall.h>
#include <mosaic/time.h>
#include <mosaic/uaccess.h>
#include <uapi/random.h>

#define GETRANDOM_MAX (32UL << 20)	/* Linux's urandom bound per read */
#define HW_RNG_TRIES 10

#define CPUID1_ECX_RDRAND (1U << 30)
#define CPUID7_EBX_RDSEED (1U << 18)

/* ---- the CPU's generator ---- */

enum hw_rng { HW_RNG_UNKNOWN, HW_RNG_NONE, HW_RNG_RDRAND, HW_RNG_RDSEED };

static enum hw_rng hw_rng_detect(void)
{
	u32 max, a, b, c, d;

	cpuid(0, &max, &b, &c, &d);
	if (max >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		if (b & CPUID7_EBX_RDSEED)
			return HW_RNG_RDSEED;
	}
	cpuid(1, &a, &b, &c, &d);
	return (c & CPUID1_ECX_RDRAND) ? HW_RNG_RDRAND : HW_RNG_NONE;
}

static bool hw_rng_step(enum hw_rng kind, u64 *v)
{
	bool ok;

	if (kind == HW_RNG_RDSEED)
		__asm__ volatile("rdseed %0" : "=r"(*v), "=@ccc"(ok));
	else
		__asm__ volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

/* A hardware random word, or false (no instruction, or it kept failing). */
static bool hw_rng_u64(u64 *v)
{
	static enum hw_rng kind = HW_RNG_UNKNOWN;

	if (kind == HW_RNG_UNKNOWN)
		kind = hw_rng_detect();		/* same answer on every CPU: a race is harmless */
	if (kind == HW_RNG_NONE)
		return false;
	for (int i = 0; i < HW_RNG_TRIES; i++)
		if (hw_rng_step(kind, v))
			return true;
	return false;
}

/* ---- the software generator ---- */

static DEFINE_SPINLOCK(rng_lock);
static u64 rng_state[4];
static bool rng_seeded;

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }

/* Context: rng_lock held. */
static void rng_seed(void)
{
	u64 seed = rdtsc() ^ rotl(rtc_boot_realtime_ns(), 17) ^ rotl(ktime_ns(), 41) ^
		   (u64)(unsigned long)&seed;

	for (int i = 0; i < 4; i++)
		rng_state[i] = splitmix64(&seed);
	rng_seeded = true;
}

/* xoshiro256**. Context: rng_lock held. */
static u64 rng_next(void)
{
	u64 *s = rng_state;
	u64 out = rotl(s[1] * 5, 7) * 9;
	u64 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

static u64 sw_rng_u64(void)
{
	unsigned long flags = spin_lock_irqsave(&rng_lock);
	u64 v;

	if (!rng_seeded)
		rng_seed();
	rng_state[3] ^= rdtsc();	/* timing jitter: cheap extra unpredictability */
	v = rng_next();
	spin_unlock_irqrestore(&rng_lock, flags);
	return v;
}

/* ---- interface ---- */

u64 get_random_u64(void)
{
	u64 hw = 0;

	hw_rng_u64(&hw);
	return hw ^ sw_rng_u64();
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		u64 v = get_random_u64();
		size_t n = min(len, sizeof(v));

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

static bool getrandom_flags_valid(unsigned int flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return false;
	return (flags & (GRND_RANDOM | GRND_INSECURE)) != (GRND_RANDOM | GRND_INSECURE);
}

SYSCALL_DEFINE3(getrandom, __NR_getrandom, u8 __user *, ubuf, size_t, len, unsigned int, flags)
{
	u8 chunk[256];
	size_t done = 0;

	if (!getrandom_flags_valid(flags))
		return -EINVAL;
	len = min(len, GETRANDOM_MAX);
	while (done < len) {
		size_t n = min(len - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n))
			break;
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));	/* leave no copy on the stack... */
	__asm__ volatile("" : : "r"(chunk) : "memory");	/* ...even if the compiler sees a dead store */
	return done || !len ? (long)done : -EFAULT;
}
