// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818-compatible CMOS real-time clock (ports 0x70/0x71), read-only:
 * the date and time once, at the first rtc_boot_realtime_ns() call. Interface:
 * include/mosaic/rtc.h.
 *
 * The chip may be updating its registers while we read them, so we wait for
 * the update-in-progress flag to clear and read until two passes agree
 * (both waits are bounded: a broken clock gives a wrong date, not a hang).
 * Values may be BCD or binary and the hour 12- or 24-hour, as status
 * register B says.
 */
#include <asm/x86.h>
#include <mosaic/errno.h>
#include <mosaic/printk.h>
#include <mosaic/rtc.h>
#include <mosaic/spinlock.h>
#include <mosaic/string.h>
#include <mosaic/time.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71

#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
#define RTC_CENTURY	0x32	/* the ACPI FADT may name another; QEMU uses this */

#define RTC_UIP		0x80	/* status A: update in progress */
#define RTC_24H		0x02	/* status B */
#define RTC_BINARY	0x04	/* status B */
#define RTC_PM		0x80	/* hour register, 12-hour mode */

static DEFINE_SPINLOCK(cmos_lock);

static u8 cmos_read(u8 reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

/* An update takes under 2 ms; a clock stuck "updating" must not hang the boot. */
#define RTC_UIP_SPINS	100000
#define RTC_READ_TRIES	10

static void cmos_read_raw(u8 raw[7])
{
	static const u8 regs[7] = { RTC_SEC, RTC_MIN, RTC_HOUR, RTC_DAY,
				    RTC_MONTH, RTC_YEAR, RTC_CENTURY };

	for (int spin = 0; spin < RTC_UIP_SPINS && (cmos_read(RTC_STATUS_A) & RTC_UIP); spin++)
		cpu_relax();
	for (int i = 0; i < 7; i++)
		raw[i] = cmos_read(regs[i]);
}

static u32 bcd_to_bin(u8 v) { return (v & 0x0f) + (v >> 4) * 10; }

static u32 cmos_value(u8 v, bool binary) { return binary ? v : bcd_to_bin(v); }

static void cmos_decode(const u8 raw[7], u8 status_b, struct rtc_date *d)
{
	bool bin = status_b & RTC_BINARY;
	u32 hour = cmos_value(raw[2] & ~RTC_PM, bin);
	u32 century = raw[6] ? cmos_value(raw[6], bin) : 20;

	if (!(status_b & RTC_24H))
		hour = hour % 12 + ((raw[2] & RTC_PM) ? 12 : 0);
	d->sec = cmos_value(raw[0], bin);
	d->min = cmos_value(raw[1], bin);
	d->hour = hour;
	d->day = cmos_value(raw[3], bin);
	d->month = cmos_value(raw[4], bin);
	d->year = century * 100 + cmos_value(raw[5], bin);
}

static bool rtc_date_valid(const struct rtc_date *d)
{
	return d->year >= 1970 && d->year < 2200 && d->month >= 1 && d->month <= 12 &&
	       d->day >= 1 && d->day <= 31 && d->hour < 24 && d->min < 60 && d->sec < 61;
}

int cmos_rtc_read(struct rtc_date *d)
{
	u8 a[7], b[7], status_b;
	unsigned long flags = spin_lock_irqsave(&cmos_lock);

	cmos_read_raw(a);
	for (int try = 0; try < RTC_READ_TRIES; try++) {
		memcpy(b, a, sizeof(a));
		cmos_read_raw(a);
		if (!memcmp(a, b, sizeof(a)))
			break;
	}
	status_b = cmos_read(RTC_STATUS_B);
	spin_unlock_irqrestore(&cmos_lock, flags);
	cmos_decode(a, status_b, d);
	return rtc_date_valid(d) ? 0 : -EIO;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static u64 days_since_epoch(u32 y, u32 m, u32 d)
{
	/* Count years from March so the leap day ends the year. */
	u64 yy = m <= 2 ? y - 1 : y;
	u64 mm = m <= 2 ? m + 9 : m - 3;
	u64 days = yy * 365 + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 + d - 1;

	return days - 719468;	/* the same count for 1970-01-01 */
}

u64 rtc_date_to_unix(const struct rtc_date *d)
{
	return days_since_epoch(d->year, d->month, d->day) * 86400 +
	       d->hour * 3600 + d->min * 60 + d->sec;
}

u64 rtc_boot_realtime_ns(void)
{
	static u64 boot_ns;
	static bool read_done;
	struct rtc_date d;
	u64 now;

	if (READ_ONCE(read_done))
		return boot_ns;
	if (cmos_rtc_read(&d)) {
		pr_warn("rtc: CMOS clock unreadable; realtime starts at 1970\n");
	} else {
		now = rtc_date_to_unix(&d) * NSEC_PER_SEC;
		boot_ns = now - min(now, ktime_ns());
	}
	WRITE_ONCE(read_done, true);	/* two first callers compute the same value */
	return boot_ns;
}
