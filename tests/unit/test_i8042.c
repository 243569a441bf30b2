/*
 * Unit tests of the i8042 model: self-test, command byte, status bits,
 * output port, the reset pulse, the keyboard interrupt and hostile input.
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

#include "devices/i8042.h"

struct host {
	unsigned int resets;
	unsigned int irq_calls;
	bool level;
};

static void host_reset(void *opaque)
{
	struct host *h = opaque;

	h->resets++;
}

static void host_irq_set(void *opaque, bool level)
{
	struct host *h = opaque;

	assert_true(level != h->level); /* transitions only */
	h->level = level;
	h->irq_calls++;
}

static const struct i8042_ops host_ops = {
	.reset = host_reset,
	.irq_set = host_irq_set,
};

static void setup(struct i8042 *s, struct host *h)
{
	memset(h, 0, sizeof(*h));
	assert_int_equal(i8042_init(s, &host_ops, h), 0);
}

static uint8_t status(struct i8042 *s)
{
	return (uint8_t)i8042_read(s, I8042_CMD, 1);
}

static uint8_t data(struct i8042 *s)
{
	return (uint8_t)i8042_read(s, I8042_DATA, 1);
}

static void cmd(struct i8042 *s, uint8_t c)
{
	i8042_write(s, I8042_CMD, 1, c);
}

static void test_init(void **state)
{
	static const struct i8042_ops no_reset = { .irq_set = host_irq_set };
	static const struct i8042_ops reset_only = { .reset = host_reset };
	struct i8042 s;
	struct host h = { 0 };

	(void)state;
	assert_int_equal(i8042_init(&s, NULL, NULL), -EINVAL);
	assert_int_equal(i8042_init(&s, &no_reset, NULL), -EINVAL);
	/* irq_set is optional. */
	assert_int_equal(i8042_init(&s, &reset_only, &h), 0);
	cmd(&s, I8042_CMD_SELF_TEST);
	assert_int_equal(data(&s), 0x55);
}

static void test_self_test_and_status(void **state)
{
	struct i8042 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Present: status is not 0xff; nothing waiting. */
	assert_int_equal(status(&s), I8042_STR_UNLOCKED);
	cmd(&s, I8042_CMD_SELF_TEST);
	assert_int_equal(status(&s), I8042_STR_OBF | I8042_STR_SYS |
					     I8042_STR_CMD |
					     I8042_STR_UNLOCKED);
	assert_int_equal(data(&s), I8042_SELF_TEST_OK);
	assert_false(status(&s) & I8042_STR_OBF);
	/* The chip returns the last byte again when nothing waits. */
	assert_int_equal(data(&s), I8042_SELF_TEST_OK);
	cmd(&s, I8042_CMD_KBD_TEST);
	assert_int_equal(data(&s), 0x00);
	assert_int_equal(s.bad_writes, 0);
}

static void test_command_byte(void **state)
{
	struct i8042 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	cmd(&s, I8042_CMD_READ_CTR);
	assert_int_equal(data(&s), I8042_CTR_KBDINT | I8042_CTR_XLATE);
	/* Write the command byte with interrupts off (as Linux probes). */
	cmd(&s, I8042_CMD_WRITE_CTR);
	i8042_write(&s, I8042_DATA, 1, I8042_CTR_XLATE | I8042_CTR_SYS);
	assert_false(status(&s) & I8042_STR_CMD); /* last was data */
	cmd(&s, I8042_CMD_READ_CTR);
	assert_int_equal(data(&s), I8042_CTR_XLATE | I8042_CTR_SYS);
	cmd(&s, I8042_CMD_KBD_DISABLE);
	cmd(&s, I8042_CMD_AUX_DISABLE);
	cmd(&s, I8042_CMD_READ_CTR);
	assert_int_equal(data(&s), I8042_CTR_XLATE | I8042_CTR_SYS |
					   I8042_CTR_KBDDIS | I8042_CTR_AUXDIS);
	cmd(&s, I8042_CMD_KBD_ENABLE);
	cmd(&s, I8042_CMD_AUX_ENABLE);
	cmd(&s, I8042_CMD_READ_CTR);
	assert_int_equal(data(&s), I8042_CTR_XLATE | I8042_CTR_SYS);
	/* A data byte with no command pending goes to the (absent) kbd. */
	i8042_write(&s, I8042_DATA, 1, 0xf2);
	assert_int_equal(s.bad_writes, 1);
	assert_false(status(&s) & I8042_STR_OBF);
	/* An unknown command is counted and ignored. */
	cmd(&s, 0xd4);
	assert_int_equal(s.bad_writes, 2);
}

static void test_reset_paths(void **state)
{
	struct i8042 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	cmd(&s, I8042_CMD_PULSE_RESET);
	assert_int_equal(h.resets, 1);
	/* Pulses that leave bit 0 alone do not reset. */
	cmd(&s, 0xff);
	cmd(&s, 0xf1);
	assert_int_equal(h.resets, 1);
	cmd(&s, 0xf0); /* pulses all four bits, bit 0 included */
	assert_int_equal(h.resets, 2);
	/* Output port: A20 and the reset line. */
	cmd(&s, I8042_CMD_READ_OUTPORT);
	assert_int_equal(data(&s), I8042_OUTPORT_RESET | I8042_OUTPORT_A20);
	cmd(&s, I8042_CMD_WRITE_OUTPORT);
	i8042_write(&s, I8042_DATA, 1, I8042_OUTPORT_RESET);
	assert_int_equal(h.resets, 2);
	cmd(&s, I8042_CMD_READ_OUTPORT);
	assert_int_equal(data(&s), I8042_OUTPORT_RESET);
	cmd(&s, I8042_CMD_WRITE_OUTPORT);
	i8042_write(&s, I8042_DATA, 1, 0);
	assert_int_equal(h.resets, 3);
	assert_int_equal(s.resets, 3);
}

static void test_irq(void **state)
{
	struct i8042 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* KBDINT is on at reset: a byte in the buffer raises IRQ 1. */
	cmd(&s, I8042_CMD_WRITE_KBD_OBUF);
	i8042_write(&s, I8042_DATA, 1, 0x1c);
	assert_true(h.level);
	assert_int_equal(data(&s), 0x1c);
	assert_false(h.level);
	/* With KBDINT off, nothing. */
	cmd(&s, I8042_CMD_WRITE_CTR);
	i8042_write(&s, I8042_DATA, 1, 0);
	cmd(&s, I8042_CMD_SELF_TEST);
	assert_false(h.level);
	assert_int_equal(h.irq_calls, 2);
	/* Reset lowers the line. */
	cmd(&s, I8042_CMD_WRITE_CTR);
	i8042_write(&s, I8042_DATA, 1, I8042_CTR_KBDINT);
	cmd(&s, I8042_CMD_READ_CTR);
	assert_true(h.level);
	i8042_reset(&s);
	assert_false(h.level);
	assert_false(status(&s) & I8042_STR_OBF);
}

static void test_bad_accesses(void **state)
{
	struct i8042 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	assert_int_equal(i8042_read(&s, 1, 1), 0xff);
	assert_int_equal(i8042_read(&s, I8042_CMD, 2), 0xffff);
	i8042_write(&s, 2, 1, I8042_CMD_PULSE_RESET);
	i8042_write(&s, I8042_CMD, 4, I8042_CMD_PULSE_RESET);
	assert_int_equal(h.resets, 0);
	assert_int_equal(s.bad_reads, 2);
	assert_int_equal(s.bad_writes, 2);
}

static void test_hostile(void **state)
{
	static const unsigned int sizes[] = { 0, 1, 1, 1, 2, 4 };
	struct i8042 s;
	struct host h;
	unsigned int i;

	(void)state;
	setup(&s, &h);
	srand(3);
	for (i = 0; i < 200000; i++) {
		uint64_t off = (uint64_t)(rand() % 6);
		unsigned int size = sizes[rand() % ARRAY_SIZE(sizes)];

		if (rand() % 2)
			(void)i8042_read(&s, off, size);
		else
			i8042_write(&s, off, size, (uint32_t)rand());
		assert_int_equal(h.level, s.irq_level);
	}
	assert_int_equal(h.resets, s.resets);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_self_test_and_status),
		cmocka_unit_test(test_command_byte),
		cmocka_unit_test(test_reset_paths),
		cmocka_unit_test(test_irq),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
