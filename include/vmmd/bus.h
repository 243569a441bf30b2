/* One address bus for port I/O and MMIO: sorted ranges, binary search. */
#ifndef VMMD_BUS_H
#define VMMD_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * A VM has two instances: the port I/O bus (addresses 0..0xffff) and the
 * MMIO bus (guest physical addresses). Both use this code.
 *
 * Ranges are kept sorted by base and never overlap; a lookup is a binary
 * search. Registration rejects an empty range or one whose last byte
 * (base + len - 1) does not fit in 64 bits (-EINVAL), and a range that
 * overlaps one already registered (-EEXIST). A range may end at
 * UINT64_MAX.
 *
 * Devices receive offsets from the base of their range, never absolute
 * addresses: the resolver chooses the address, the model does not know it.
 *
 * An access is claimed when all of its bytes lie inside one range. An
 * access that starts in a range and runs past its end is NOT split across
 * devices and not truncated: it is unclaimed, like an access to a hole.
 * (No device model wants part of an access, and a split would hand two
 * devices halves of one guest instruction.) Unclaimed reads fill the
 * buffer with 0xff (all-ones, what a PC returns for a floating bus) and
 * unclaimed reads and writes are counted. Zero-length accesses are
 * unclaimed too.
 *
 * THREADS AND LOCKING
 * -------------------
 * The range table is protected by a pthread rwlock (writer-preferring, so
 * a steady stream of vCPU exits cannot starve a registration).
 *  - bus_read()/bus_write() run on vCPU threads and take the read lock for
 *    the lookup AND the device callback: many vCPUs access the bus at
 *    once, each device serialises itself (a per-device lock) if it needs
 *    to.
 *  - bus_register()/bus_unregister() take the write lock. They are called
 *    by the builder before the vCPUs run, or later (PCI BAR reprogramming,
 *    hotplug) from any thread. When bus_unregister() returns, no callback
 *    of that range is running or will run again, so the caller may free
 *    the device.
 *  - A device callback must NOT call bus_register()/bus_unregister() on
 *    the bus it was called from (it holds the read lock: deadlock). A BAR
 *    move triggered by a config-space write that arrives on the same bus
 *    must be deferred until the access returns.
 * Counters are updated with relaxed atomics under the read lock; readers
 * of the counters get a value that may lag by in-flight accesses.
 */

#define BUS_NAME_MAX 31

/* Callbacks of one device range. @offset is from the range's base. */
struct bus_dev_ops {
	/* Fill @len bytes of @data (little-endian guest view). */
	void (*read)(void *opaque, uint64_t offset, void *data, unsigned len);
	void (*write)(void *opaque, uint64_t offset, const void *data,
		      unsigned len);
};

struct bus_range {
	uint64_t base;
	uint64_t len;
	const struct bus_dev_ops *ops;
	void *opaque;
	char name[BUS_NAME_MAX + 1];
	uint64_t reads; /* accesses claimed by this range */
	uint64_t writes;
};

struct bus {
	pthread_rwlock_t lock;
	struct bus_range *ranges; /* sorted by base, n entries */
	size_t n;
	size_t cap;
	uint64_t unclaimed_reads;
	uint64_t unclaimed_writes;
};

/* Snapshot of one range for diagnostics (`vmctl show`, tests). */
struct bus_range_info {
	uint64_t base;
	uint64_t len;
	char name[BUS_NAME_MAX + 1];
	uint64_t reads;
	uint64_t writes;
};

/* Empty bus. Returns 0, or minus the error pthread_rwlock_init returned. */
int bus_init(struct bus *b) __must_check;

/* Frees the table; no access may be in flight or follow. */
void bus_destroy(struct bus *b);

/*
 * Claims [@base, @base + @len) for a device. @ops (with both callbacks)
 * and @opaque must stay valid until bus_unregister() or bus_destroy().
 * @name (may be NULL) is copied, truncated to BUS_NAME_MAX. Returns 0,
 * -EINVAL (len 0, overflow, NULL ops or callback), -EEXIST (overlap) or
 * -ENOMEM.
 */
int bus_register(struct bus *b, uint64_t base, uint64_t len,
		 const struct bus_dev_ops *ops, void *opaque,
		 const char *name) __must_check;

/*
 * Removes the range registered with exactly @base and @len. Returns 0 or
 * -ENOENT. Waits for accesses in flight (see the locking rules above).
 */
int bus_unregister(struct bus *b, uint64_t base, uint64_t len) __must_check;

/*
 * Guest read of @len bytes at @addr. Returns true when a device claimed
 * it (and filled @data), false otherwise (@data is all-ones, counted).
 */
bool bus_read(struct bus *b, uint64_t addr, void *data, unsigned len);

/* Guest write; returns whether a device claimed it (else counted). */
bool bus_write(struct bus *b, uint64_t addr, const void *data, unsigned len);

size_t bus_count(struct bus *b);
uint64_t bus_unclaimed_reads(struct bus *b);
uint64_t bus_unclaimed_writes(struct bus *b);

/*
 * Copies the @i-th range (in address order) into @out. Returns 0 or
 * -ENOENT when @i is out of range.
 */
int bus_range_get(struct bus *b, size_t i,
		  struct bus_range_info *out) __must_check;

#endif
