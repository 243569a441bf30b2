/* Guest memory map: checked translation of guest physical ranges. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmmd/guest_mem.h"

static int slot_cmp(const void *a, const void *b)
{
	const struct gmem_slot *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

int gmem_init(struct guest_mem *m, const struct gmem_slot *slots, size_t n)
{
	struct gmem_slot *s;
	size_t i;

	m->n_slots = 0;
	m->slots = NULL;
	if (!n)
		return -EINVAL;
	s = calloc(n, sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, slots, n * sizeof(*s));
	qsort(s, n, sizeof(*s), slot_cmp);
	for (i = 0; i < n; i++) {
		if (!s[i].size || !s[i].host || s[i].gpa + s[i].size < s[i].gpa)
			goto err_free;
		/* Ends are exclusive and never wrap (checked above). */
		if (i && s[i - 1].gpa + s[i - 1].size > s[i].gpa)
			goto err_free;
	}
	m->n_slots = n;
	m->slots = s;
	return 0;
err_free:
	free(s);
	return -EINVAL;
}

int gmem_init_from_layout(struct guest_mem *m, const struct vm_layout *l,
			  void *const *host)
{
	struct gmem_slot *s;
	size_t i;
	int ret;

	m->n_slots = 0;
	m->slots = NULL;
	if (!l->n_slots)
		return -EINVAL;
	s = calloc(l->n_slots, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < l->n_slots; i++) {
		s[i].gpa = l->slots[i].gpa;
		s[i].size = l->slots[i].size;
		s[i].host = host[i];
	}
	ret = gmem_init(m, s, l->n_slots);
	free(s);
	return ret;
}

void gmem_free(struct guest_mem *m)
{
	free(m->slots);
	m->slots = NULL;
	m->n_slots = 0;
}

/* The slot containing @gpa, or NULL. Binary search over sorted slots. */
static const struct gmem_slot *slot_find(const struct guest_mem *m,
					 uint64_t gpa)
{
	size_t lo = 0, hi = m->n_slots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gmem_slot *s = &m->slots[mid];

		if (gpa < s->gpa)
			hi = mid;
		else if (gpa - s->gpa >= s->size)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

void *gmem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	const struct gmem_slot *s;

	if (!len || gpa + len < gpa)
		return NULL;
	s = slot_find(m, gpa);
	if (!s || len > s->size - (gpa - s->gpa))
		return NULL;
	return s->host + (gpa - s->gpa);
}

bool gmem_is_backed(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	/* Each step consumes at least one slot: bounded by n_slots. */
	if (!len || gpa + len < gpa)
		return false;
	while (len) {
		const struct gmem_slot *s = slot_find(m, gpa);
		uint64_t chunk;

		if (!s)
			return false;
		chunk = s->size - (gpa - s->gpa);
		if (chunk >= len)
			return true;
		gpa += chunk;
		len -= chunk;
	}
	return true;
}

enum gmem_op {
	GMEM_WRITE,
	GMEM_READ,
	GMEM_FILL,
};

static int gmem_copy(const struct guest_mem *m, uint64_t gpa, void *buf,
		     int byte, uint64_t len, enum gmem_op op)
{
	uint8_t *p = buf;

	if (!len)
		return 0;
	/* Check the whole range first so a failed write changes nothing. */
	if (!gmem_is_backed(m, gpa, len))
		return -EFAULT;
	while (len) {
		const struct gmem_slot *s = slot_find(m, gpa);
		uint64_t off = gpa - s->gpa;
		uint64_t chunk = s->size - off;

		if (chunk > len)
			chunk = len;
		switch (op) {
		case GMEM_WRITE:
			memcpy(s->host + off, p, chunk);
			p += chunk;
			break;
		case GMEM_READ:
			memcpy(p, s->host + off, chunk);
			p += chunk;
			break;
		case GMEM_FILL:
			memset(s->host + off, byte, chunk);
			break;
		}
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int gmem_write(const struct guest_mem *m, uint64_t gpa, const void *src,
	       uint64_t len)
{
	return gmem_copy(m, gpa, (void *)src, 0, len, GMEM_WRITE);
}

int gmem_read(const struct guest_mem *m, uint64_t gpa, void *dst, uint64_t len)
{
	return gmem_copy(m, gpa, dst, 0, len, GMEM_READ);
}

int gmem_fill(const struct guest_mem *m, uint64_t gpa, int byte, uint64_t len)
{
	return gmem_copy(m, gpa, NULL, byte, len, GMEM_FILL);
}
