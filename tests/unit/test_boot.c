/* Unit tests for boot-time placement (layout_place_initrd). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmmd/layout.h"

/* An x86-like map: low RAM, legacy area, firmware, RAM to 256 MiB. */
static struct layout_region regions[] = {
	{ .gpa = 0x0, .size = 0xa0000, .kind = LR_RAM },
	{ .gpa = 0xa0000, .size = 0x40000, .kind = LR_RESERVED },
	{ .gpa = 0xe0000, .size = 0x20000, .kind = LR_FIRMWARE },
	{ .gpa = 0x100000, .size = 0xff00000, .kind = LR_RAM },
	{ .gpa = 0xfec00000, .size = 0x1000, .kind = LR_IOAPIC },
};

static struct vm_layout lay = {
	.n_regions = ARRAY_SIZE(regions),
	.regions = regions,
	.fw_base = 0xe0000,
	.fw_size = 0x20000,
};

static void test_top_of_first_ram(void **state)
{
	uint64_t gpa = 0;

	(void)state;
	/* RAM after the firmware region ends at 0x10000000. */
	assert_int_equal(layout_place_initrd(&lay, 4096, 0, &gpa), 0);
	assert_int_equal(gpa, 0x10000000 - 0x1000);
	/* Sizes round up to 4 KiB; the start stays aligned. */
	assert_int_equal(layout_place_initrd(&lay, 5000, 0, &gpa), 0);
	assert_int_equal(gpa, 0x10000000 - 0x2000);
	/* Exactly up to the floor fits, one byte more does not. */
	assert_int_equal(layout_place_initrd(&lay, 0x1000, 0xffff000, &gpa), 0);
	assert_int_equal(gpa, 0xffff000);
	assert_int_equal(layout_place_initrd(&lay, 0x1001, 0xffff000, &gpa),
			 -ENOSPC);
}

static void test_rejects(void **state)
{
	uint64_t gpa = 0x1234;

	(void)state;
	assert_int_equal(layout_place_initrd(&lay, 0, 0, &gpa), -EINVAL);
	/* A size whose 4 KiB round-up wraps. */
	assert_int_equal(layout_place_initrd(&lay, UINT64_MAX, 0, &gpa),
			 -EINVAL);
	/* Larger than the region. */
	assert_int_equal(layout_place_initrd(&lay, 0x10000000, 0, &gpa),
			 -ENOSPC);
	/* Floor above the region. */
	assert_int_equal(layout_place_initrd(&lay, 4096, 0x20000000, &gpa),
			 -ENOSPC);
	assert_int_equal(gpa, 0x1234); /* untouched on error */
}

static void test_no_ram(void **state)
{
	struct vm_layout empty = { .fw_base = 0xe0000 };
	uint64_t gpa;

	(void)state;
	assert_int_equal(layout_place_initrd(&empty, 4096, 0, &gpa), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_of_first_ram),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_no_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
