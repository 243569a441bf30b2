/*
 * Unit tests of the port I/O / MMIO bus: registration rules (overlap,
 * overflow, bad arguments), dispatch with offsets, binary search over many
 * ranges, unclaimed accesses (all-ones, counted), partial accesses at a
 * range's end, unregistration, counters, concurrent readers.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmmd/bus.h"

/* A device that records its last access and reads back a pattern. */
struct fake_dev {
	uint8_t id;
	uint64_t last_off;
	unsigned last_len;
	uint8_t last_data[8];
	unsigned n_reads, n_writes;
};

static void fake_read(void *opaque, uint64_t offset, void *data, unsigned len)
{
	struct fake_dev *d = opaque;
	uint8_t *p = data;
	unsigned i;

	d->n_reads++;
	d->last_off = offset;
	d->last_len = len;
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(d->id + offset + i);
}

static void fake_write(void *opaque, uint64_t offset, const void *data,
		       unsigned len)
{
	struct fake_dev *d = opaque;

	d->n_writes++;
	d->last_off = offset;
	d->last_len = len;
	memcpy(d->last_data, data, len < 8 ? len : 8);
}

static const struct bus_dev_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
};

static void test_register_rules(void **state)
{
	static const struct bus_dev_ops no_read = { .write = fake_write };
	struct fake_dev d = { 0 };
	struct bus b;

	(void)state;
	assert_int_equal(bus_init(&b), 0);
	assert_int_equal(bus_register(&b, 0x100, 0, &fake_ops, &d, "z"),
			 -EINVAL);
	assert_int_equal(bus_register(&b, 0x100, 8, NULL, &d, "n"), -EINVAL);
	assert_int_equal(bus_register(&b, 0x100, 8, &no_read, &d, "n"),
			 -EINVAL);
	/* base + len - 1 must fit; ending exactly at UINT64_MAX is fine. */
	assert_int_equal(bus_register(&b, UINT64_MAX, 2, &fake_ops, &d, "o"),
			 -EINVAL);
	assert_int_equal(bus_register(&b, 2, UINT64_MAX, &fake_ops, &d, "o"),
			 -EINVAL);
	assert_int_equal(bus_register(&b, UINT64_MAX - 0xfff, 0x1000, &fake_ops,
				      &d, "top"),
			 0);
	assert_int_equal(bus_register(&b, 0x100, 8, &fake_ops, &d, "a"), 0);
	/* Overlaps: same, inside, covering, touching either end. */
	assert_int_equal(bus_register(&b, 0x100, 8, &fake_ops, &d, "x"),
			 -EEXIST);
	assert_int_equal(bus_register(&b, 0x102, 1, &fake_ops, &d, "x"),
			 -EEXIST);
	assert_int_equal(bus_register(&b, 0xf0, 0x100, &fake_ops, &d, "x"),
			 -EEXIST);
	assert_int_equal(bus_register(&b, 0xff, 2, &fake_ops, &d, "x"),
			 -EEXIST);
	assert_int_equal(bus_register(&b, 0x107, 2, &fake_ops, &d, "x"),
			 -EEXIST);
	assert_int_equal(bus_register(&b, UINT64_MAX, 1, &fake_ops, &d, "x"),
			 -EEXIST);
	/* Adjacent on both sides is not an overlap. */
	assert_int_equal(bus_register(&b, 0xf8, 8, &fake_ops, &d, "below"), 0);
	assert_int_equal(bus_register(&b, 0x108, 8, &fake_ops, &d, "above"), 0);
	assert_int_equal(bus_register(&b, 0, 1, &fake_ops, &d, NULL), 0);
	assert_int_equal(bus_count(&b), 5);
	bus_destroy(&b);
}

static void test_dispatch_offsets(void **state)
{
	struct fake_dev d1 = { .id = 0x10 }, d2 = { .id = 0x80 };
	uint8_t buf[4];
	uint32_t v = 0x12345678;
	struct bus b;

	(void)state;
	assert_int_equal(bus_init(&b), 0);
	assert_int_equal(bus_register(&b, 0x3f8, 8, &fake_ops, &d1, "com1"), 0);
	assert_int_equal(bus_register(&b, 0xfee00000, 0x1000, &fake_ops, &d2,
				      "lapic"),
			 0);
	assert_true(bus_read(&b, 0x3fd, buf, 1));
	assert_int_equal(d1.last_off, 5);
	assert_int_equal(d1.last_len, 1);
	assert_int_equal(buf[0], 0x15);
	assert_true(bus_write(&b, 0xfee00300, &v, 4));
	assert_int_equal(d2.last_off, 0x300);
	assert_int_equal(d2.last_len, 4);
	assert_memory_equal(d2.last_data, &v, 4);
	assert_int_equal(d1.n_writes, 0);
	bus_destroy(&b);
}

static void test_unclaimed(void **state)
{
	struct fake_dev d = { 0 };
	uint8_t buf[8];
	uint64_t q = 0;
	struct bus b;

	(void)state;
	assert_int_equal(bus_init(&b), 0);
	/* Empty bus. */
	memset(buf, 0, sizeof(buf));
	assert_false(bus_read(&b, 0x80, buf, 8));
	memcpy(&q, buf, 8);
	assert_true(q == UINT64_MAX);
	assert_false(bus_write(&b, 0x80, buf, 1));
	assert_int_equal(bus_register(&b, 0x60, 1, &fake_ops, &d, "kbd"), 0);
	assert_int_equal(bus_register(&b, 0x64, 1, &fake_ops, &d, "kbd-cmd"),
			 0);
	/* Holes between, below and above ranges. */
	buf[0] = 0;
	assert_false(bus_read(&b, 0x61, buf, 1));
	assert_int_equal(buf[0], 0xff);
	assert_false(bus_read(&b, 0x5f, buf, 1));
	assert_false(bus_read(&b, 0x65, buf, 1));
	/* An access running past a range's end is unclaimed, not split. */
	memset(buf, 0, sizeof(buf));
	assert_false(bus_read(&b, 0x60, buf, 2));
	assert_int_equal(buf[0], 0xff);
	assert_int_equal(buf[1], 0xff);
	assert_false(bus_write(&b, 0x64, buf, 4));
	/* Zero-length and wrap-around accesses are unclaimed. */
	assert_false(bus_read(&b, 0x60, buf, 0));
	assert_false(bus_read(&b, UINT64_MAX, buf, 2));
	assert_int_equal(d.n_reads, 0);
	assert_int_equal(d.n_writes, 0);
	assert_int_equal(bus_unclaimed_reads(&b), 7);
	assert_int_equal(bus_unclaimed_writes(&b), 2);
	bus_destroy(&b);
}

static void test_counters_and_info(void **state)
{
	struct fake_dev d = { 0 };
	struct bus_range_info info;
	uint8_t buf[4];
	struct bus b;
	int i;

	(void)state;
	assert_int_equal(bus_init(&b), 0);
	assert_int_equal(bus_register(&b, 0x70, 2, &fake_ops, &d,
				      "a-very-long-name-that-does-not-fit-in-"
				      "thirty-one-bytes"),
			 0);
	assert_int_equal(bus_register(&b, 0x600, 12, &fake_ops, &d, "pm"), 0);
	for (i = 0; i < 3; i++)
		assert_true(bus_read(&b, 0x71, buf, 1));
	assert_true(bus_write(&b, 0x70, buf, 1));
	assert_true(bus_read(&b, 0x608, buf, 4));
	assert_int_equal(bus_range_get(&b, 0, &info), 0);
	assert_int_equal(info.base, 0x70);
	assert_int_equal(info.len, 2);
	assert_int_equal(strlen(info.name), BUS_NAME_MAX);
	assert_int_equal(info.reads, 3);
	assert_int_equal(info.writes, 1);
	assert_int_equal(bus_range_get(&b, 1, &info), 0);
	assert_string_equal(info.name, "pm");
	assert_int_equal(info.reads, 1);
	assert_int_equal(info.writes, 0);
	assert_int_equal(bus_range_get(&b, 2, &info), -ENOENT);
	bus_destroy(&b);
}

static void test_unregister(void **state)
{
	struct fake_dev d = { 0 };
	uint8_t buf[1];
	struct bus b;

	(void)state;
	assert_int_equal(bus_init(&b), 0);
	assert_int_equal(bus_register(&b, 0x1000, 0x100, &fake_ops, &d, "bar"),
			 0);
	assert_int_equal(bus_unregister(&b, 0x1000, 0x80), -ENOENT);
	assert_int_equal(bus_unregister(&b, 0x1001, 0x100), -ENOENT);
	assert_int_equal(bus_unregister(&b, 0x2000, 0x100), -ENOENT);
	assert_true(bus_read(&b, 0x1010, buf, 1));
	assert_int_equal(bus_unregister(&b, 0x1000, 0x100), 0);
	assert_false(bus_read(&b, 0x1010, buf, 1));
	assert_int_equal(bus_count(&b), 0);
	/* A moved BAR: the old place is free, the new one claimed. */
	assert_int_equal(bus_register(&b, 0x2000, 0x100, &fake_ops, &d, "bar"),
			 0);
	assert_int_equal(bus_register(&b, 0x1000, 0x100, &fake_ops, &d, "x"),
			 0);
	assert_int_equal(bus_unregister(&b, 0x1000, 0x100), 0);
	assert_int_equal(bus_unregister(&b, 0x1000, 0x100), -ENOENT);
	assert_true(bus_read(&b, 0x20ff, buf, 1));
	assert_int_equal(d.last_off, 0xff);
	bus_destroy(&b);
}

#define MANY 1000

/*
 * 1000 ranges of different sizes registered in a shuffled order: every
 * byte of each is found with its offset, every gap is unclaimed.
 */
static void test_many_ranges(void **state)
{
	static struct fake_dev devs[MANY];
	static unsigned order[MANY];
	struct bus_range_info info;
	uint8_t buf[1];
	struct bus b;
	unsigned i, j;

	(void)state;
	srand(1);
	assert_int_equal(bus_init(&b), 0);
	for (i = 0; i < MANY; i++)
		order[i] = i;
	for (i = MANY - 1; i > 0; i--) {
		unsigned k = (unsigned)rand() % (i + 1), t = order[i];

		order[i] = order[k];
		order[k] = t;
	}
	/* Range i: base 0x10000 * i + 0x100, length i % 7 + 1. */
	for (i = 0; i < MANY; i++) {
		unsigned n = order[i];

		devs[n].id = (uint8_t)n;
		assert_int_equal(bus_register(&b, 0x10000ull * n + 0x100,
					      n % 7 + 1, &fake_ops, &devs[n],
					      "r"),
				 0);
	}
	assert_int_equal(bus_count(&b), MANY);
	for (i = 0; i < MANY; i++) {
		assert_int_equal(bus_range_get(&b, i, &info), 0);
		assert_int_equal(info.base, 0x10000ull * i + 0x100);
	}
	for (i = 0; i < MANY; i++) {
		uint64_t base = 0x10000ull * i + 0x100;

		for (j = 0; j < i % 7 + 1; j++) {
			assert_true(bus_read(&b, base + j, buf, 1));
			assert_int_equal(devs[i].last_off, j);
			assert_int_equal(buf[0], (uint8_t)(i + j));
		}
		assert_false(bus_read(&b, base - 1, buf, 1));
		assert_false(bus_read(&b, base + i % 7 + 1, buf, 1));
		assert_int_equal(devs[i].n_reads, i % 7 + 1);
	}
	assert_int_equal(bus_unclaimed_reads(&b), 2 * MANY);
	/* Removing every other range leaves the rest reachable. */
	for (i = 0; i < MANY; i += 2)
		assert_int_equal(bus_unregister(&b, 0x10000ull * i + 0x100,
						i % 7 + 1),
				 0);
	for (i = 0; i < MANY; i++)
		assert_int_equal(bus_read(&b, 0x10000ull * i + 0x100, buf, 1),
				 i % 2 == 1);
	bus_destroy(&b);
}

/* Random registrations and accesses, checked against a byte map. */
static void test_random_against_model(void **state)
{
	enum {
		SPACE = 4096
	};
	static int owner[SPACE]; /* -1 or the range index */
	static uint64_t bases[256], lens[256];
	static struct fake_dev devs[256];
	uint8_t buf[8];
	struct bus b;
	unsigned n = 0, iter;

	(void)state;
	srand(7);
	memset(owner, -1, sizeof(owner));
	assert_int_equal(bus_init(&b), 0);
	for (iter = 0; iter < 20000; iter++) {
		uint64_t base = (uint64_t)rand() % SPACE;
		uint64_t len = (uint64_t)rand() % 64 + 1;
		unsigned alen = (unsigned)rand() % 9;
		uint64_t k;
		bool free = base + len <= SPACE, claimed;
		int want = -1;

		if (n < 256 && rand() % 4 == 0) {
			for (k = base; free && k < base + len; k++)
				free = owner[k] < 0;
			if (base + len > SPACE)
				continue;
			devs[n].id = (uint8_t)n;
			assert_int_equal(bus_register(&b, base, len, &fake_ops,
						      &devs[n], "r"),
					 free ? 0 : -EEXIST);
			if (!free)
				continue;
			for (k = base; k < base + len; k++)
				owner[k] = (int)n;
			bases[n] = base;
			lens[n] = len;
			n++;
			continue;
		}
		/* Expected owner: all bytes of the access in one range. */
		if (alen && base + alen <= SPACE) {
			want = owner[base];
			for (k = base; k < base + alen; k++)
				if (owner[k] != want)
					want = -1;
		}
		claimed = bus_read(&b, base, buf, alen);
		assert_int_equal(claimed, want >= 0);
		if (want >= 0) {
			assert_true(devs[want].last_off == base - bases[want]);
			assert_true(devs[want].last_off + alen <= lens[want]);
		}
	}
	bus_destroy(&b);
}

/*
 * Readers on several threads while another thread moves a range. The
 * device is thread-safe (atomics only), as the bus contract asks of a
 * device that several vCPUs may access at once; run under TSan too.
 */
static void atomic_read(void *opaque, uint64_t offset, void *data, unsigned len)
{
	__atomic_fetch_add((uint64_t *)opaque, 1, __ATOMIC_RELAXED);
	memset(data, 0, len);
}

static void atomic_write(void *opaque, uint64_t offset, const void *data,
			 unsigned len)
{
	__atomic_fetch_add((uint64_t *)opaque, 1, __ATOMIC_RELAXED);
}

static const struct bus_dev_ops atomic_ops = {
	.read = atomic_read,
	.write = atomic_write,
};

struct race {
	struct bus *b;
	bool stop;
	uint64_t claimed;
};

static void *race_reader(void *arg)
{
	struct race *r = arg;
	uint8_t buf[4];

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (bus_read(r->b, 0x10, buf, 4))
			__atomic_fetch_add(&r->claimed, 1, __ATOMIC_RELAXED);
		assert_true(bus_read(r->b, 0x1000, buf, 1));
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	uint64_t fixed = 0, moving = 0;
	struct race r = { 0 };
	pthread_t t[4];
	struct bus b;
	unsigned i;

	(void)state;
	assert_int_equal(bus_init(&b), 0);
	r.b = &b;
	assert_int_equal(
		bus_register(&b, 0x1000, 1, &atomic_ops, &fixed, "fix"), 0);
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_reader, &r),
				 0);
	for (i = 0; i < 2000; i++) {
		assert_int_equal(bus_register(&b, 0x10, 4, &atomic_ops, &moving,
					      "bar"),
				 0);
		assert_int_equal(bus_unregister(&b, 0x10, 4), 0);
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(bus_count(&b), 1);
	/* Every claimed access reached the device, none other did. */
	assert_int_equal(moving, r.claimed);
	bus_destroy(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_rules),
		cmocka_unit_test(test_dispatch_offsets),
		cmocka_unit_test(test_unclaimed),
		cmocka_unit_test(test_counters_and_info),
		cmocka_unit_test(test_unregister),
		cmocka_unit_test(test_many_ranges),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
