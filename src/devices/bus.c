/* The port I/O and MMIO bus: a sorted range table searched by address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmmd/bus.h"

/*
 * The table is a sorted array: lookups (every exit) are a binary search,
 * registrations (rare: build time, BAR moves) shift entries. A VM has a
 * few dozen ranges, so an array beats a tree on both counts.
 */

int bus_init(struct bus *b)
{
	pthread_rwlockattr_t attr;
	int err;

	memset(b, 0, sizeof(*b));
	err = pthread_rwlockattr_init(&attr);
	if (err)
		return -err;
	/* glibc prefers readers by default: vCPU exits would starve us. */
	err = pthread_rwlockattr_setkind_np(
		&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	if (!err)
		err = pthread_rwlock_init(&b->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	return -err;
}

void bus_destroy(struct bus *b)
{
	free(b->ranges);
	b->ranges = NULL;
	b->n = 0;
	b->cap = 0;
	pthread_rwlock_destroy(&b->lock);
}

/* Index of the first range whose base is above @addr (0..n). */
static size_t bus_upper(const struct bus *b, uint64_t addr)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->ranges[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Last byte of a range; registration guarantees it does not wrap. */
static uint64_t bus_last(const struct bus_range *r)
{
	return r->base + (r->len - 1);
}

/* The range holding all of [addr, addr + len), or NULL. */
static struct bus_range *bus_find(struct bus *b, uint64_t addr, unsigned len)
{
	size_t i = bus_upper(b, addr);
	struct bus_range *r;
	uint64_t off;

	if (!i || !len)
		return NULL;
	r = &b->ranges[i - 1];
	off = addr - r->base;
	if (off >= r->len || len > r->len - off)
		return NULL;
	return r;
}

static void bus_count_inc(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static uint64_t bus_count_get(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

int bus_register(struct bus *b, uint64_t base, uint64_t len,
		 const struct bus_dev_ops *ops, void *opaque, const char *name)
{
	struct bus_range *r;
	size_t i;
	int err = 0;

	if (!len || len - 1 > UINT64_MAX - base)
		return -EINVAL;
	if (!ops || !ops->read || !ops->write)
		return -EINVAL;

	pthread_rwlock_wrlock(&b->lock);
	i = bus_upper(b, base);
	/* The range before must end below base, the one after start above. */
	if (i > 0 && bus_last(&b->ranges[i - 1]) >= base) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (i < b->n && b->ranges[i].base <= base + (len - 1)) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;

		r = realloc(b->ranges, cap * sizeof(*r));
		if (!r) {
			err = -ENOMEM;
			goto out_unlock;
		}
		b->ranges = r;
		b->cap = cap;
	}
	memmove(&b->ranges[i + 1], &b->ranges[i],
		(b->n - i) * sizeof(b->ranges[0]));
	b->n++;
	r = &b->ranges[i];
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->len = len;
	r->ops = ops;
	r->opaque = opaque;
	if (name) {
		strncpy(r->name, name, BUS_NAME_MAX);
		r->name[BUS_NAME_MAX] = '\0';
	}
out_unlock:
	pthread_rwlock_unlock(&b->lock);
	return err;
}

int bus_unregister(struct bus *b, uint64_t base, uint64_t len)
{
	size_t i;
	int err = -ENOENT;

	pthread_rwlock_wrlock(&b->lock);
	i = bus_upper(b, base);
	if (i > 0 && b->ranges[i - 1].base == base &&
	    b->ranges[i - 1].len == len) {
		memmove(&b->ranges[i - 1], &b->ranges[i],
			(b->n - i) * sizeof(b->ranges[0]));
		b->n--;
		err = 0;
	}
	pthread_rwlock_unlock(&b->lock);
	return err;
}

bool bus_read(struct bus *b, uint64_t addr, void *data, unsigned len)
{
	struct bus_range *r;

	pthread_rwlock_rdlock(&b->lock);
	r = bus_find(b, addr, len);
	if (r) {
		bus_count_inc(&r->reads);
		r->ops->read(r->opaque, addr - r->base, data, len);
	} else {
		bus_count_inc(&b->unclaimed_reads);
		memset(data, 0xff, len);
	}
	pthread_rwlock_unlock(&b->lock);
	return r != NULL;
}

bool bus_write(struct bus *b, uint64_t addr, const void *data, unsigned len)
{
	struct bus_range *r;

	pthread_rwlock_rdlock(&b->lock);
	r = bus_find(b, addr, len);
	if (r) {
		bus_count_inc(&r->writes);
		r->ops->write(r->opaque, addr - r->base, data, len);
	} else {
		bus_count_inc(&b->unclaimed_writes);
	}
	pthread_rwlock_unlock(&b->lock);
	return r != NULL;
}

size_t bus_count(struct bus *b)
{
	size_t n;

	pthread_rwlock_rdlock(&b->lock);
	n = b->n;
	pthread_rwlock_unlock(&b->lock);
	return n;
}

uint64_t bus_unclaimed_reads(struct bus *b)
{
	return bus_count_get(&b->unclaimed_reads);
}

uint64_t bus_unclaimed_writes(struct bus *b)
{
	return bus_count_get(&b->unclaimed_writes);
}

int bus_range_get(struct bus *b, size_t i, struct bus_range_info *out)
{
	const struct bus_range *r;
	int err = -ENOENT;

	pthread_rwlock_rdlock(&b->lock);
	if (i < b->n) {
		r = &b->ranges[i];
		out->base = r->base;
		out->len = r->len;
		memcpy(out->name, r->name, sizeof(out->name));
		out->reads = bus_count_get(&r->reads);
		out->writes = bus_count_get(&r->writes);
		err = 0;
	}
	pthread_rwlock_unlock(&b->lock);
	return err;
}
