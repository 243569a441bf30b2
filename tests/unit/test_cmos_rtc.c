/*
 * Unit tests of the MC146818 CMOS model: time registers from an injected
 * clock in BCD/binary and 12/24 hour, UIP, SET and setting the time, the
 * read-only status registers, the memory size registers, NVRAM and
 * hostile accesses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devices/cmos_rtc.h"

#define NS UINT64_C(1000000000)

struct clock {
	uint64_t ns;
};

static uint64_t fake_now(void *opaque)
{
	return ((struct clock *)opaque)->ns;
}

static const struct cmos_ops clock_ops = { .now_ns = fake_now };

static uint8_t reg(struct cmos *s, uint8_t r)
{
	cmos_write(s, CMOS_INDEX, 1, r);
	return (uint8_t)cmos_read(s, CMOS_DATA, 1);
}

static void set(struct cmos *s, uint8_t r, uint8_t v)
{
	cmos_write(s, CMOS_INDEX, 1, r);
	cmos_write(s, CMOS_DATA, 1, v);
}

/* 2023-11-14 22:13:20 UTC, a Tuesday. */
#define T0 UINT64_C(1700000000)

static void setup(struct cmos *s, struct clock *c)
{
	c->ns = T0 * NS;
	assert_int_equal(cmos_init(s, &clock_ops, c), 0);
}

static void test_init(void **state)
{
	static const struct cmos_ops none = { .now_ns = NULL };
	struct cmos s;

	(void)state;
	assert_int_equal(cmos_init(&s, NULL, NULL), -EINVAL);
	assert_int_equal(cmos_init(&s, &none, NULL), -EINVAL);
}

static void test_time_bcd_24h(void **state)
{
	struct cmos s;
	struct clock c;

	(void)state;
	setup(&s, &c);
	assert_int_equal(reg(&s, CMOS_REG_A), CMOS_A_RESET);
	assert_int_equal(reg(&s, CMOS_REG_B), CMOS_B_24H);
	assert_int_equal(reg(&s, CMOS_REG_C), 0);
	assert_int_equal(reg(&s, CMOS_REG_D), CMOS_D_VRT);
	assert_int_equal(reg(&s, CMOS_SECONDS), 0x20);
	assert_int_equal(reg(&s, CMOS_MINUTES), 0x13);
	assert_int_equal(reg(&s, CMOS_HOURS), 0x22);
	assert_int_equal(reg(&s, CMOS_WEEKDAY), 3); /* Sunday = 1 */
	assert_int_equal(reg(&s, CMOS_DAY), 0x14);
	assert_int_equal(reg(&s, CMOS_MONTH), 0x11);
	assert_int_equal(reg(&s, CMOS_YEAR), 0x23);
	assert_int_equal(reg(&s, CMOS_CENTURY), 0x20);
	/* The clock follows the host. */
	c.ns += 61 * NS;
	assert_int_equal(reg(&s, CMOS_SECONDS), 0x21);
	assert_int_equal(reg(&s, CMOS_MINUTES), 0x14);
}

static void test_time_binary_12h(void **state)
{
	struct cmos s;
	struct clock c;

	(void)state;
	setup(&s, &c);
	set(&s, CMOS_REG_B, CMOS_B_DM_BINARY);
	assert_int_equal(reg(&s, CMOS_SECONDS), 20);
	assert_int_equal(reg(&s, CMOS_HOURS), 0x80 | 10); /* 10 PM */
	assert_int_equal(reg(&s, CMOS_YEAR), 23);
	assert_int_equal(reg(&s, CMOS_CENTURY), 20);
	set(&s, CMOS_REG_B, 0); /* BCD, 12 hour */
	assert_int_equal(reg(&s, CMOS_HOURS), 0x80 | 0x10);
	/* Midnight and noon in 12 hour mode: 12 AM and 12 PM. */
	c.ns = (T0 - 22 * 3600) * NS; /* 00:13 */
	assert_int_equal(reg(&s, CMOS_HOURS), 0x12);
	c.ns = (T0 - 10 * 3600) * NS; /* 12:13 */
	assert_int_equal(reg(&s, CMOS_HOURS), 0x80 | 0x12);
	c.ns = (T0 - 21 * 3600) * NS; /* 01:13 */
	assert_int_equal(reg(&s, CMOS_HOURS), 0x01);
}

static void test_uip(void **state)
{
	struct cmos s;
	struct clock c;

	(void)state;
	setup(&s, &c);
	c.ns = T0 * NS + 500000000;
	assert_false(reg(&s, CMOS_REG_A) & CMOS_A_UIP);
	c.ns = (T0 + 1) * NS - CMOS_UIP_NS;
	assert_true(reg(&s, CMOS_REG_A) & CMOS_A_UIP);
	c.ns = (T0 + 1) * NS - CMOS_UIP_NS - 1;
	assert_false(reg(&s, CMOS_REG_A) & CMOS_A_UIP);
	/* UIP is read-only; a stopped divider never updates. */
	c.ns = (T0 + 1) * NS - 1;
	set(&s, CMOS_REG_A, 0x70 | CMOS_A_UIP);
	assert_int_equal(reg(&s, CMOS_REG_A), 0x70);
	set(&s, CMOS_REG_A, CMOS_A_RESET);
	assert_true(reg(&s, CMOS_REG_A) & CMOS_A_UIP);
	/* Nor while SET holds the clock. */
	set(&s, CMOS_REG_B, CMOS_B_SET | CMOS_B_24H);
	assert_false(reg(&s, CMOS_REG_A) & CMOS_A_UIP);
}

static void test_set_time(void **state)
{
	struct cmos s;
	struct clock c;

	(void)state;
	setup(&s, &c);
	/* Firmware's way: SET, write the fields, clear SET. */
	set(&s, CMOS_REG_B, CMOS_B_SET | CMOS_B_24H | CMOS_B_UIE);
	assert_int_equal(reg(&s, CMOS_REG_B), CMOS_B_SET | CMOS_B_24H);
	set(&s, CMOS_CENTURY, 0x19);
	set(&s, CMOS_YEAR, 0x99);
	set(&s, CMOS_MONTH, 0x12);
	set(&s, CMOS_DAY, 0x31);
	set(&s, CMOS_HOURS, 0x23);
	set(&s, CMOS_MINUTES, 0x59);
	set(&s, CMOS_SECONDS, 0x50);
	/* Frozen while SET: host time passes, the registers do not. */
	c.ns += 5 * NS;
	assert_int_equal(reg(&s, CMOS_SECONDS), 0x50);
	set(&s, CMOS_REG_B, CMOS_B_24H);
	assert_int_equal(s.offset_s, INT64_C(946684790) - (int64_t)T0 - 5);
	/* Runs from there: 10 s later it is 2000-01-01 00:00:00. */
	c.ns += 10 * NS;
	assert_int_equal(reg(&s, CMOS_SECONDS), 0x00);
	assert_int_equal(reg(&s, CMOS_MINUTES), 0x00);
	assert_int_equal(reg(&s, CMOS_HOURS), 0x00);
	assert_int_equal(reg(&s, CMOS_DAY), 0x01);
	assert_int_equal(reg(&s, CMOS_MONTH), 0x01);
	assert_int_equal(reg(&s, CMOS_YEAR), 0x00);
	assert_int_equal(reg(&s, CMOS_CENTURY), 0x20);
	assert_int_equal(reg(&s, CMOS_WEEKDAY), 7); /* Saturday */
	/* A write without SET changes the running clock directly. */
	set(&s, CMOS_MINUTES, 0x30);
	assert_int_equal(reg(&s, CMOS_MINUTES), 0x30);
	c.ns += 60 * NS;
	assert_int_equal(reg(&s, CMOS_MINUTES), 0x31);
	/* 12 hour binary write: 0x80 | 12 is noon. */
	set(&s, CMOS_REG_B, CMOS_B_DM_BINARY);
	set(&s, CMOS_HOURS, 0x80 | 12);
	set(&s, CMOS_REG_B, CMOS_B_DM_BINARY | CMOS_B_24H);
	assert_int_equal(reg(&s, CMOS_HOURS), 12);
}

static void test_memory_registers(void **state)
{
	struct cmos s;
	struct clock c;

	(void)state;
	setup(&s, &c);
	/* 3 GiB below 4 GiB (the 32-bit hole at 0xc0000000), 5 GiB above. */
	assert_int_equal(cmos_set_memory(&s, 3 * GiB, 5 * GiB), 0);
	assert_int_equal(
		reg(&s, CMOS_BASEMEM_LO) | reg(&s, CMOS_BASEMEM_HI) << 8, 640);
	assert_int_equal(reg(&s, CMOS_EXTMEM1_LO) | reg(&s, CMOS_EXTMEM1_HI)
							    << 8,
			 15 * 1024);
	assert_int_equal(reg(&s, CMOS_EXTMEM_LO) | reg(&s, CMOS_EXTMEM_HI) << 8,
			 15 * 1024);
	assert_int_equal(reg(&s, CMOS_EXTMEM2_LO) | reg(&s, CMOS_EXTMEM2_HI)
							    << 8,
			 (3 * GiB - 16 * MiB) / (64 * KiB));
	assert_int_equal(reg(&s, CMOS_HIGHMEM_LO) |
				 reg(&s, CMOS_HIGHMEM_MID) << 8 |
				 reg(&s, CMOS_HIGHMEM_HI) << 16,
			 5 * GiB / (64 * KiB));
	/* How SeaBIOS reads them back. */
	assert_int_equal(((uint64_t)reg(&s, CMOS_EXTMEM2_LO) << 16 |
			  (uint64_t)reg(&s, CMOS_EXTMEM2_HI) << 24) +
				 16 * MiB,
			 3 * GiB);
	/* Small guest: 8 MiB; nothing above 16 MiB or 4 GiB. */
	assert_int_equal(cmos_set_memory(&s, 8 * MiB, 0), 0);
	assert_int_equal(reg(&s, CMOS_EXTMEM1_LO) | reg(&s, CMOS_EXTMEM1_HI)
							    << 8,
			 7 * 1024);
	assert_int_equal(reg(&s, CMOS_EXTMEM2_LO), 0);
	assert_int_equal(reg(&s, CMOS_EXTMEM2_HI), 0);
	assert_int_equal(reg(&s, CMOS_HIGHMEM_LO), 0);
	/* Full 4 GiB and a huge high part: clamped to the registers. */
	assert_int_equal(cmos_set_memory(&s, 4 * GiB, 4 * TiB), 0);
	assert_int_equal(reg(&s, CMOS_EXTMEM2_LO) | reg(&s, CMOS_EXTMEM2_HI)
							    << 8,
			 0xff00);
	assert_int_equal(reg(&s, CMOS_HIGHMEM_LO), 0xff);
	assert_int_equal(reg(&s, CMOS_HIGHMEM_MID), 0xff);
	assert_int_equal(reg(&s, CMOS_HIGHMEM_HI), 0xff);
	assert_int_equal(cmos_set_memory(&s, 4 * GiB + 1, 0), -EINVAL);
}

static void test_nvram_and_index(void **state)
{
	struct cmos s;
	struct clock c;
	unsigned int i;

	(void)state;
	setup(&s, &c);
	for (i = 0x0e; i < CMOS_SIZE; i++)
		if (i != CMOS_CENTURY)
			set(&s, (uint8_t)i, (uint8_t)(i ^ 0x5a));
	for (i = 0x0e; i < CMOS_SIZE; i++)
		if (i != CMOS_CENTURY)
			assert_int_equal(reg(&s, (uint8_t)i), i ^ 0x5a);
	/* Bit 7 of the index (NMI disable) is kept, not part of it. */
	cmos_write(&s, CMOS_INDEX, 1, 0x80 | 0x40);
	assert_int_equal(cmos_read(&s, CMOS_INDEX, 1), 0xc0);
	assert_int_equal(cmos_read(&s, CMOS_DATA, 1), 0x40 ^ 0x5a);
	/* C and D are read-only. */
	set(&s, CMOS_REG_D, 0);
	set(&s, CMOS_REG_C, 0xff);
	assert_int_equal(reg(&s, CMOS_REG_D), CMOS_D_VRT);
	assert_int_equal(reg(&s, CMOS_REG_C), 0);
	assert_int_equal(s.bad_writes, 2);
	/* Wrong sizes and offsets. */
	assert_int_equal(cmos_read(&s, 2, 1), 0xff);
	assert_int_equal(cmos_read(&s, 0, 2), 0xffff);
	cmos_write(&s, CMOS_DATA, 4, 0);
	assert_int_equal(s.bad_reads, 2);
	assert_int_equal(s.bad_writes, 3);
}

static void test_hostile(void **state)
{
	static const unsigned int sizes[] = { 0, 1, 1, 1, 2, 4 };
	struct cmos s;
	struct clock c;
	unsigned int i;

	(void)state;
	setup(&s, &c);
	srand(5);
	for (i = 0; i < 300000; i++) {
		uint64_t off = (uint64_t)(rand() % 3);
		unsigned int size = sizes[rand() % ARRAY_SIZE(sizes)];

		c.ns += (uint64_t)(rand() % 1000) * 1000000;
		if (rand() % 2)
			(void)cmos_read(&s, off, size);
		else
			cmos_write(&s, off, size, (uint32_t)rand());
		/* Time registers stay decodable, whatever was written. */
		assert_true(s.offset_s >=
			    INT64_C(-62135596800) - (int64_t)T0 - 1000000);
		assert_true(s.offset_s <= INT64_C(253402300799));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_time_bcd_24h),
		cmocka_unit_test(test_time_binary_12h),
		cmocka_unit_test(test_uip),
		cmocka_unit_test(test_set_time),
		cmocka_unit_test(test_memory_registers),
		cmocka_unit_test(test_nvram_and_index),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
