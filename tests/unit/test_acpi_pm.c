/*
 * Unit tests of the ACPI PM1/PM timer model (docs/platform.md), the 0xcf9
 * reset register and the debug-exit port: register semantics, SCI level
 * transitions, S5, the timer against an injected clock, partial accesses
 * and hostile input.
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

#include "devices/acpi_pm.h"
#include "devices/debug_exit.h"
#include "devices/reset_cf9.h"
#include "vmmd/acpi.h"

#define NS UINT64_C(1000000000)

struct host {
	uint64_t ns;
	bool level;
	unsigned int irq_calls;
	unsigned int poweroffs;
	unsigned int resets;
	unsigned int exits;
	uint32_t exit_value;
};

static void host_irq_set(void *opaque, bool level)
{
	struct host *h = opaque;

	assert_true(level != h->level);
	h->level = level;
	h->irq_calls++;
}

static void host_poweroff(void *opaque)
{
	((struct host *)opaque)->poweroffs++;
}

static uint64_t host_clock(void *opaque)
{
	return ((struct host *)opaque)->ns;
}

static void host_reset(void *opaque)
{
	((struct host *)opaque)->resets++;
}

static void host_exit(void *opaque, uint32_t value)
{
	struct host *h = opaque;

	h->exits++;
	h->exit_value = value;
}

static const struct acpi_pm_ops pm_ops = {
	.irq_set = host_irq_set,
	.poweroff = host_poweroff,
	.clock_ns = host_clock,
};

static void setup(struct acpi_pm *s, struct host *h)
{
	memset(h, 0, sizeof(*h));
	h->ns = 1000 * NS; /* the timer counts from init, not from 0 ns */
	assert_int_equal(acpi_pm_init(s, &pm_ops, h), 0);
}

static uint32_t rd16(struct acpi_pm *s, unsigned int off)
{
	return acpi_pm_read(s, off, 2);
}

static void test_init(void **state)
{
	static const struct acpi_pm_ops no_clock = {
		.irq_set = host_irq_set,
		.poweroff = host_poweroff,
	};
	static const struct acpi_pm_ops no_off = {
		.irq_set = host_irq_set,
		.clock_ns = host_clock,
	};
	struct acpi_pm s;

	(void)state;
	assert_int_equal(acpi_pm_init(&s, NULL, NULL), -EINVAL);
	assert_int_equal(acpi_pm_init(&s, &no_clock, NULL), -EINVAL);
	assert_int_equal(acpi_pm_init(&s, &no_off, NULL), -EINVAL);
}

static void test_layout_matches_acpi_h(void **state)
{
	(void)state;
	assert_int_equal(ACPI_PM_STS_OFF, ACPI_PM1A_EVT_PORT - ACPI_PM_IO_BASE);
	assert_int_equal(ACPI_PM_EN_OFF,
			 ACPI_PM1A_EVT_PORT + 2 - ACPI_PM_IO_BASE);
	assert_int_equal(ACPI_PM_CNT_OFF, ACPI_PM1A_CNT_PORT - ACPI_PM_IO_BASE);
	assert_int_equal(ACPI_PM_TMR_OFF, ACPI_PM_TMR_PORT - ACPI_PM_IO_BASE);
	assert_int_equal(ACPI_PM_WINDOW, ACPI_PM_IO_LEN);
}

static void test_reset_values(void **state)
{
	struct acpi_pm s;
	struct host h;

	(void)state;
	setup(&s, &h);
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF), 0);
	assert_int_equal(rd16(&s, ACPI_PM_EN_OFF), 0);
	assert_int_equal(rd16(&s, ACPI_PM_CNT_OFF), ACPI_PM1_SCI_EN);
	assert_int_equal(acpi_pm_read(&s, ACPI_PM_TMR_OFF, 4), 0);
	/* The gap at 6..7 is not a register. */
	assert_int_equal(rd16(&s, 6), 0xffff);
	assert_int_equal(s.bad_reads, 1);
	assert_int_equal(h.irq_calls, 0);
}

static void test_power_button(void **state)
{
	struct acpi_pm s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Pressed before the OS enabled it: status only, no SCI. */
	acpi_pm_power_button(&s);
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF), ACPI_PM1_PWRBTN_STS);
	assert_false(h.level);
	/* Enabling with the status set raises the SCI. */
	acpi_pm_write(&s, ACPI_PM_EN_OFF, 2, ACPI_PM1_PWRBTN_EN);
	assert_true(h.level);
	assert_int_equal(rd16(&s, ACPI_PM_EN_OFF), ACPI_PM1_PWRBTN_EN);
	/* Writing 0 to status changes nothing; 1 clears and lowers SCI. */
	acpi_pm_write(&s, ACPI_PM_STS_OFF, 2, 0);
	assert_true(h.level);
	acpi_pm_write(&s, ACPI_PM_STS_OFF, 2, ACPI_PM1_PWRBTN_STS);
	assert_false(h.level);
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF), 0);
	/* Pressed while enabled: SCI at once. */
	acpi_pm_power_button(&s);
	assert_true(h.level);
	/* Disabling lowers it; the status stays. */
	acpi_pm_write(&s, ACPI_PM_EN_OFF, 2, 0);
	assert_false(h.level);
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF), ACPI_PM1_PWRBTN_STS);
	assert_int_equal(h.irq_calls, 4);
	/* Unimplemented enable and status bits read 0. */
	acpi_pm_write(&s, ACPI_PM_EN_OFF, 2, 0xffff);
	assert_int_equal(rd16(&s, ACPI_PM_EN_OFF),
			 ACPI_PM1_PWRBTN_EN | ACPI_PM1_TMR_EN);
	/* A byte write of the high status byte clears PWRBTN_STS. */
	acpi_pm_write(&s, ACPI_PM_STS_OFF + 1, 1, 0x01);
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF), 0);
	assert_false(h.level);
	/* A 4-byte read at 0 is STS | EN << 16. */
	acpi_pm_power_button(&s);
	assert_int_equal(acpi_pm_read(&s, 0, 4),
			 ACPI_PM1_PWRBTN_STS |
				 (ACPI_PM1_PWRBTN_EN | ACPI_PM1_TMR_EN) << 16);
	/* Device reset clears everything and lowers the SCI. */
	acpi_pm_reset(&s);
	assert_false(h.level);
	assert_int_equal(acpi_pm_read(&s, 0, 4), 0);
}

static void test_sleep_control(void **state)
{
	struct acpi_pm s;
	struct host h;
	unsigned int typ;

	(void)state;
	setup(&s, &h);
	/* SLP_TYP is stored, SLP_EN reads 0, SCI_EN always 1. */
	acpi_pm_write(&s, ACPI_PM_CNT_OFF, 2, 5 << ACPI_PM1_SLP_TYP_SHIFT);
	assert_int_equal(rd16(&s, ACPI_PM_CNT_OFF),
			 (5 << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SCI_EN);
	assert_int_equal(h.poweroffs, 0);
	acpi_pm_write(&s, ACPI_PM_CNT_OFF, 2, 0);
	assert_int_equal(rd16(&s, ACPI_PM_CNT_OFF), ACPI_PM1_SCI_EN);
	/* Other sleep types do nothing. */
	for (typ = 0; typ < 8; typ++) {
		if (typ == ACPI_SLP_TYP_S5)
			continue;
		acpi_pm_write(&s, ACPI_PM_CNT_OFF, 2,
			      ACPI_PM1_SLP_EN | typ << ACPI_PM1_SLP_TYP_SHIFT);
	}
	assert_int_equal(h.poweroffs, 0);
	/* 0x3400: S5. */
	acpi_pm_write(&s, ACPI_PM_CNT_OFF, 2, 0x3400);
	assert_int_equal(h.poweroffs, 1);
	/* The same as a high-byte write of 0x34. */
	acpi_pm_write(&s, ACPI_PM_CNT_OFF + 1, 1, 0x34);
	assert_int_equal(h.poweroffs, 2);
	/* SLP_TYP first, then SLP_EN alone on the stored type. */
	acpi_pm_write(&s, ACPI_PM_CNT_OFF, 2, 0x1400);
	acpi_pm_write(&s, ACPI_PM_CNT_OFF + 1, 1, 0x20 | 0x14);
	assert_int_equal(h.poweroffs, 3);
	/* A low-byte write does not touch SLP_EN. */
	acpi_pm_write(&s, ACPI_PM_CNT_OFF, 1, 0xff);
	assert_int_equal(h.poweroffs, 3);
	assert_int_equal(s.poweroffs, 3);
}

static void test_timer(void **state)
{
	struct acpi_pm s;
	struct host h;

	(void)state;
	setup(&s, &h);
	h.ns += NS;
	assert_int_equal(acpi_pm_read(&s, ACPI_PM_TMR_OFF, 4), ACPI_PM_TMR_HZ);
	h.ns += 1000; /* 1 us = 3.58 ticks */
	assert_int_equal(acpi_pm_timer(&s), ACPI_PM_TMR_HZ + 3);
	/* Byte reads of the timer. */
	assert_int_equal(acpi_pm_read(&s, ACPI_PM_TMR_OFF + 1, 1),
			 ((ACPI_PM_TMR_HZ + 3) >> 8) & 0xff);
	/* Read-only. */
	acpi_pm_write(&s, ACPI_PM_TMR_OFF, 4, 0);
	assert_int_equal(s.bad_writes, 1);
	/* Long uptimes do not overflow: 100 hours. */
	h.ns = 1000 * NS + 360000 * NS;
	assert_int_equal(acpi_pm_timer(&s),
			 (uint32_t)(UINT64_C(360000) * ACPI_PM_TMR_HZ));
	/* Bit 31 changed since last seen: TMR_STS; with TMR_EN, SCI. */
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF) & ACPI_PM1_TMR_STS,
			 ACPI_PM1_TMR_STS);
	acpi_pm_write(&s, ACPI_PM_STS_OFF, 2, ACPI_PM1_TMR_STS);
	assert_int_equal(rd16(&s, ACPI_PM_STS_OFF), 0);
	acpi_pm_write(&s, ACPI_PM_EN_OFF, 2, ACPI_PM1_TMR_EN);
	assert_false(h.level);
	h.ns += (UINT64_C(1) << 31) / ACPI_PM_TMR_HZ * NS + NS;
	acpi_pm_update(&s);
	assert_true(h.level);
	acpi_pm_write(&s, ACPI_PM_STS_OFF, 2, ACPI_PM1_TMR_STS);
	assert_false(h.level);
	/* Reset starts the counter again from 0. */
	acpi_pm_reset(&s);
	assert_int_equal(acpi_pm_timer(&s), 0);
}

static void test_bad_accesses(void **state)
{
	struct acpi_pm s;
	struct host h;

	(void)state;
	setup(&s, &h);
	assert_int_equal(acpi_pm_read(&s, 4, 4), 0xffffffffu); /* straddles */
	assert_int_equal(acpi_pm_read(&s, 9, 4), 0xffffffffu);
	assert_int_equal(acpi_pm_read(&s, 12, 1), 0xff);
	assert_int_equal(acpi_pm_read(&s, 0, 3), 0xffffff);
	acpi_pm_write(&s, 4, 4, 0x3400);
	acpi_pm_write(&s, 6, 2, 0);
	assert_int_equal(h.poweroffs, 0);
	assert_int_equal(s.bad_reads, 4);
	assert_int_equal(s.bad_writes, 2);
}

static void test_reset_cf9(void **state)
{
	static const struct reset_cf9_ops ops = { .reset = host_reset };
	static const struct reset_cf9_ops none = { .reset = NULL };
	struct reset_cf9 r;
	struct host h = { 0 };

	(void)state;
	assert_int_equal(reset_cf9_init(&r, NULL, NULL), -EINVAL);
	assert_int_equal(reset_cf9_init(&r, &none, NULL), -EINVAL);
	assert_int_equal(reset_cf9_init(&r, &ops, &h), 0);
	assert_int_equal(reset_cf9_read(&r, 0, 1), 0);
	/* Linux's reboot=pci: SYS_RST first, then SYS_RST | RST_CPU. */
	reset_cf9_write(&r, 0, 1, 0x02);
	assert_int_equal(h.resets, 0);
	assert_int_equal(reset_cf9_read(&r, 0, 1), 0x02);
	reset_cf9_write(&r, 0, 1, ACPI_RESET_VALUE);
	assert_int_equal(h.resets, 1);
	assert_int_equal(reset_cf9_read(&r, 0, 1), 0x06);
	reset_cf9_write(&r, 0, 1, 0x0e); /* full reset */
	assert_int_equal(h.resets, 2);
	reset_cf9_write(&r, 0, 1, 0x04); /* CPU-only soft reset: no */
	assert_int_equal(h.resets, 2);
	/* Dword accesses belong to PCI config (0xcf8), not to us. */
	reset_cf9_write(&r, 0, 4, 0x06);
	reset_cf9_write(&r, 1, 1, 0x06);
	assert_int_equal(reset_cf9_read(&r, 0, 2), 0xffff);
	assert_int_equal(h.resets, 2);
	assert_int_equal(r.resets, 2);
	assert_int_equal(r.bad_writes, 2);
	assert_int_equal(r.bad_reads, 1);
}

static void test_debug_exit(void **state)
{
	static const struct debug_exit_ops ops = { .exit = host_exit };
	struct debug_exit d;
	struct host h = { 0 };

	(void)state;
	assert_int_equal(debug_exit_init(&d, NULL, NULL), -EINVAL);
	assert_int_equal(debug_exit_init(&d, &ops, &h), 0);
	debug_exit_write(&d, 0, 1, 0x142); /* outb: low byte */
	assert_int_equal(h.exits, 1);
	assert_int_equal(h.exit_value, 0x42);
	debug_exit_write(&d, 0, 2, 0x12345); /* outw */
	assert_int_equal(h.exit_value, 0x2345);
	debug_exit_write(&d, 1, 1, 1);
	debug_exit_write(&d, 0, 4, 1);
	assert_int_equal(h.exits, 2);
	assert_int_equal(d.bad_writes, 2);
	assert_int_equal(debug_exit_read(&d, 0, 1), 0xff);
	assert_int_equal(debug_exit_read(&d, 0, 2), 0xffff);
}

static void test_hostile(void **state)
{
	static const unsigned int sizes[] = { 0, 1, 2, 2, 3, 4, 4, 8 };
	static const struct reset_cf9_ops rops = { .reset = host_reset };
	static const struct debug_exit_ops dops = { .exit = host_exit };
	struct reset_cf9 r;
	struct debug_exit d;
	struct acpi_pm s;
	struct host h;
	unsigned int i;

	(void)state;
	setup(&s, &h);
	assert_int_equal(reset_cf9_init(&r, &rops, &h), 0);
	assert_int_equal(debug_exit_init(&d, &dops, &h), 0);
	srand(9);
	for (i = 0; i < 300000; i++) {
		uint64_t off = (uint64_t)(rand() % 14);
		unsigned int size = sizes[rand() % ARRAY_SIZE(sizes)];
		uint32_t val = (uint32_t)rand();

		h.ns += (uint64_t)rand() * 1000;
		switch (rand() % 8) {
		case 0:
			(void)acpi_pm_read(&s, off, size);
			break;
		case 1:
			acpi_pm_write(&s, off, size, val);
			break;
		case 2:
			if (rand() % 10 == 0)
				acpi_pm_power_button(&s);
			else
				acpi_pm_update(&s);
			break;
		case 3:
			(void)reset_cf9_read(&r, off % 3, size);
			break;
		case 4:
			reset_cf9_write(&r, off % 3, size, val);
			break;
		case 5:
			(void)debug_exit_read(&d, off % 3, size);
			break;
		case 6:
			debug_exit_write(&d, off % 3, size, val);
			break;
		default:
			if (rand() % 100 == 0)
				acpi_pm_reset(&s);
			break;
		}
		assert_int_equal(h.level, (s.sts & s.en) != 0);
		assert_int_equal(s.en & ~(ACPI_PM1_TMR_EN | ACPI_PM1_PWRBTN_EN),
				 0);
	}
	assert_int_equal(h.poweroffs, s.poweroffs);
	assert_int_equal(h.resets, r.resets);
	assert_int_equal(h.exits, d.exits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_layout_matches_acpi_h),
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_power_button),
		cmocka_unit_test(test_sleep_control),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_reset_cf9),
		cmocka_unit_test(test_debug_exit),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
