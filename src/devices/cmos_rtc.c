/* MC146818 CMOS RTC: clock registers from an injected clock, NVRAM. */

/*
 * WHAT IS MODELLED
 * ================
 * The reference is the Motorola MC146818A datasheet and the PC/AT CMOS
 * map. The clock is not a running counter: each read of a time register
 * breaks down "host clock + guest offset" (ops->now_ns) in UTC, so it
 * never drifts and costs nothing between reads.
 *  - Time registers (seconds, minutes, hours, weekday, day, month, year,
 *    and the century at 0x32) are encoded per register B: BCD or binary
 *    (DM), 24 or 12 hour (bit 7 of the hour = PM). Writes decode the same
 *    way and change the guest's offset from host time. While B.SET is 1
 *    the clock is frozen: reads return the frozen time, writes change it,
 *    and clearing SET starts the clock from it (as the chip does).
 *    Setting SET clears B.UIE (datasheet).
 *  - Register A: divider and rate bits stored; UIP reads 1 during the
 *    last CMOS_UIP_NS of every second while the divider runs (DV = 010)
 *    and SET is clear, so a guest that waits for UIP to drop before
 *    reading sees consistent registers.
 *  - Register C reads 0 and register D reads VRT (battery good); both
 *    are read-only. Periodic, alarm and update-ended interrupts are not
 *    modelled (no IRQ 8 output): the alarm registers are plain RAM.
 *  - Everything else (0x0e..0x7f but 0x32) is RAM, including the memory
 *    size registers that cmos_set_memory() fills for the firmware.
 *  - The index port keeps bit 7 (NMI disable on a PC: stored, no effect)
 *    and reads back what was written; the data port uses bits 6:0.
 * Daylight saving (B.DSE) is stored and ignored.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "devices/cmos_rtc.h"

#define NSEC_PER_SEC UINT64_C(1000000000)
#define CMOS_TIME_MIN INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define CMOS_TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

int cmos_init(struct cmos *s, const struct cmos_ops *ops, void *opaque)
{
	if (!ops || !ops->now_ns)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	s->ram[CMOS_REG_A] = CMOS_A_RESET;
	s->ram[CMOS_REG_B] = CMOS_B_RESET;
	return 0;
}

static void cmos_put16(struct cmos *s, unsigned int reg, uint64_t v)
{
	s->ram[reg] = v & 0xff;
	s->ram[reg + 1] = (v >> 8) & 0xff;
}

int cmos_set_memory(struct cmos *s, uint64_t below_4g, uint64_t above_4g)
{
	uint64_t v;

	if (below_4g > 4 * GiB)
		return -EINVAL;
	v = below_4g < 640 * KiB ? below_4g / KiB : 640;
	cmos_put16(s, CMOS_BASEMEM_LO, v);
	/* 1..16 MiB in KiB */
	v = below_4g > MiB ? below_4g - MiB : 0;
	if (v > 15 * MiB)
		v = 15 * MiB;
	cmos_put16(s, CMOS_EXTMEM_LO, v / KiB);
	cmos_put16(s, CMOS_EXTMEM1_LO, v / KiB);
	/* 16 MiB..4 GiB in 64 KiB units: at most 0xff00, fits 16 bits */
	v = below_4g > 16 * MiB ? (below_4g - 16 * MiB) / (64 * KiB) : 0;
	cmos_put16(s, CMOS_EXTMEM2_LO, v);
	/* above 4 GiB in 64 KiB units, 24 bits (up to 1 TiB) */
	v = above_4g / (64 * KiB);
	if (v > 0xffffff)
		v = 0xffffff;
	s->ram[CMOS_HIGHMEM_LO] = v & 0xff;
	s->ram[CMOS_HIGHMEM_MID] = (v >> 8) & 0xff;
	s->ram[CMOS_HIGHMEM_HI] = (v >> 16) & 0xff;
	return 0;
}

static bool cmos_is_set_mode(const struct cmos *s)
{
	return s->ram[CMOS_REG_B] & CMOS_B_SET;
}

static int64_t cmos_host_s(struct cmos *s)
{
	return (int64_t)(s->ops->now_ns(s->opaque) / NSEC_PER_SEC);
}

static int64_t cmos_guest_s(struct cmos *s)
{
	if (cmos_is_set_mode(s))
		return s->frozen_s;
	return cmos_host_s(s) + s->offset_s;
}

static void cmos_set_guest_s(struct cmos *s, int64_t t)
{
	if (cmos_is_set_mode(s))
		s->frozen_s = t;
	else
		s->offset_s = t - cmos_host_s(s);
}

static bool cmos_is_time_reg(unsigned int reg)
{
	switch (reg) {
	case CMOS_SECONDS:
	case CMOS_MINUTES:
	case CMOS_HOURS:
	case CMOS_WEEKDAY:
	case CMOS_DAY:
	case CMOS_MONTH:
	case CMOS_YEAR:
	case CMOS_CENTURY:
		return true;
	default:
		return false;
	}
}

static uint8_t cmos_encode(const struct cmos *s, unsigned int v)
{
	v %= 100;
	if (s->ram[CMOS_REG_B] & CMOS_B_DM_BINARY)
		return (uint8_t)v;
	return (uint8_t)((v / 10) << 4 | (v % 10));
}

/* Hostile BCD (nibbles above 9) decodes to a number; timegm normalises. */
static unsigned int cmos_decode(const struct cmos *s, uint8_t v)
{
	if (s->ram[CMOS_REG_B] & CMOS_B_DM_BINARY)
		return v;
	return (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t cmos_encode_hour(const struct cmos *s, int hour)
{
	unsigned int h12;

	if (s->ram[CMOS_REG_B] & CMOS_B_24H)
		return cmos_encode(s, (unsigned int)hour);
	h12 = hour % 12 ? hour % 12 : 12;
	return cmos_encode(s, h12) | (hour >= 12 ? 0x80 : 0);
}

static int cmos_decode_hour(const struct cmos *s, uint8_t v)
{
	int h;

	if (s->ram[CMOS_REG_B] & CMOS_B_24H)
		return (int)cmos_decode(s, v);
	h = (int)cmos_decode(s, v & 0x7f) % 12; /* 12 AM is 0 */
	return (v & 0x80) ? h + 12 : h;
}

static uint8_t cmos_time_read(struct cmos *s, unsigned int reg)
{
	time_t t = (time_t)cmos_guest_s(s);
	struct tm tm;
	int year;

	if (!gmtime_r(&t, &tm))
		return 0;
	year = tm.tm_year + 1900;
	switch (reg) {
	case CMOS_SECONDS:
		return cmos_encode(s, (unsigned int)tm.tm_sec);
	case CMOS_MINUTES:
		return cmos_encode(s, (unsigned int)tm.tm_min);
	case CMOS_HOURS:
		return cmos_encode_hour(s, tm.tm_hour);
	case CMOS_WEEKDAY:
		return cmos_encode(s, (unsigned int)tm.tm_wday + 1);
	case CMOS_DAY:
		return cmos_encode(s, (unsigned int)tm.tm_mday);
	case CMOS_MONTH:
		return cmos_encode(s, (unsigned int)tm.tm_mon + 1);
	case CMOS_YEAR:
		return cmos_encode(s, (unsigned int)(year % 100));
	default: /* CMOS_CENTURY */
		return cmos_encode(s, (unsigned int)(year / 100));
	}
}

static void cmos_time_write(struct cmos *s, unsigned int reg, uint8_t v)
{
	time_t t = (time_t)cmos_guest_s(s);
	struct tm tm;
	int year;

	if (!gmtime_r(&t, &tm))
		return;
	year = tm.tm_year + 1900;
	switch (reg) {
	case CMOS_SECONDS:
		tm.tm_sec = (int)cmos_decode(s, v);
		break;
	case CMOS_MINUTES:
		tm.tm_min = (int)cmos_decode(s, v);
		break;
	case CMOS_HOURS:
		tm.tm_hour = cmos_decode_hour(s, v);
		break;
	case CMOS_WEEKDAY:
		return; /* derived from the date */
	case CMOS_DAY:
		tm.tm_mday = (int)cmos_decode(s, v);
		break;
	case CMOS_MONTH:
		tm.tm_mon = (int)cmos_decode(s, v) - 1;
		break;
	case CMOS_YEAR:
		year = year / 100 * 100 + (int)cmos_decode(s, v);
		break;
	default: /* CMOS_CENTURY */
		year = (int)cmos_decode(s, v) * 100 + year % 100;
		break;
	}
	tm.tm_year = year - 1900;
	tm.tm_isdst = 0;
	t = timegm(&tm);
	/*
	 * Out-of-range fields (hostile BCD, month 0x99) normalise into other
	 * fields; keep the clock within years 1..9999 so repeated writes
	 * cannot walk it towards time_t or struct tm overflow.
	 */
	if (t < CMOS_TIME_MIN || t > CMOS_TIME_MAX)
		return;
	cmos_set_guest_s(s, (int64_t)t);
}

static uint8_t cmos_reg_a(struct cmos *s)
{
	uint8_t a = s->ram[CMOS_REG_A] & ~CMOS_A_UIP;
	uint64_t sub;

	if ((a & CMOS_A_DV_MASK) != CMOS_A_DV_NORMAL || cmos_is_set_mode(s))
		return a;
	sub = s->ops->now_ns(s->opaque) % NSEC_PER_SEC;
	if (sub >= NSEC_PER_SEC - CMOS_UIP_NS)
		a |= CMOS_A_UIP;
	return a;
}

static void cmos_write_b(struct cmos *s, uint8_t v)
{
	bool was_set = cmos_is_set_mode(s);

	if (!was_set && (v & CMOS_B_SET))
		s->frozen_s = cmos_guest_s(s);
	if (v & CMOS_B_SET)
		v &= ~CMOS_B_UIE;
	s->ram[CMOS_REG_B] = v;
	if (was_set && !(v & CMOS_B_SET))
		s->offset_s = s->frozen_s - cmos_host_s(s);
}

static uint8_t cmos_data_read(struct cmos *s, unsigned int reg)
{
	if (cmos_is_time_reg(reg))
		return cmos_time_read(s, reg);
	switch (reg) {
	case CMOS_REG_A:
		return cmos_reg_a(s);
	case CMOS_REG_C:
		return 0;
	case CMOS_REG_D:
		return CMOS_D_VRT;
	default:
		return s->ram[reg];
	}
}

static bool cmos_data_write(struct cmos *s, unsigned int reg, uint8_t v)
{
	if (cmos_is_time_reg(reg)) {
		cmos_time_write(s, reg, v);
		return true;
	}
	switch (reg) {
	case CMOS_REG_A:
		s->ram[CMOS_REG_A] = v & ~CMOS_A_UIP;
		return true;
	case CMOS_REG_B:
		cmos_write_b(s, v);
		return true;
	case CMOS_REG_C:
	case CMOS_REG_D:
		return false; /* read-only */
	default:
		s->ram[reg] = v;
		return true;
	}
}

uint32_t cmos_read(struct cmos *s, uint64_t offset, unsigned int size)
{
	if (size != 1 || offset >= CMOS_IO_SIZE) {
		s->bad_reads++;
		return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	}
	if (offset == CMOS_INDEX)
		return s->index;
	return cmos_data_read(s, s->index & (CMOS_SIZE - 1));
}

void cmos_write(struct cmos *s, uint64_t offset, unsigned int size,
		uint32_t val)
{
	if (size != 1 || offset >= CMOS_IO_SIZE) {
		s->bad_writes++;
		return;
	}
	if (offset == CMOS_INDEX) {
		s->index = val & 0xff;
		return;
	}
	if (!cmos_data_write(s, s->index & (CMOS_SIZE - 1), val & 0xff))
		s->bad_writes++;
}
