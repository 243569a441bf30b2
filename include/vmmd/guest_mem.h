/* Guest memory: the one checked accessor from guest addresses to host memory.
 */
#ifndef VMMD_GUEST_MEM_H
#define VMMD_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/layout.h"

/*
 * Every access to guest memory goes through this accessor (DESIGN: "Guest
 * memory and guest input"): a guest physical range is turned into a host
 * pointer only when it lies entirely inside one backed slot, with
 * gpa + len overflow checked. Boot loaders, virtqueues and device models
 * use it; unit tests back the slots with plain malloc'd buffers.
 *
 * Allocation stays outside: the KVM backend mmaps each layout slot (with
 * the configured backing) and hands the host pointers in; tests pass
 * buffers. struct guest_mem does not own the host memory, only its own
 * slot array. After gmem_init*() the map is immutable, so any thread may
 * call the lookup functions concurrently; they never block.
 */

struct gmem_slot {
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;
};

struct guest_mem {
	size_t n_slots; /* sorted by gpa, non-overlapping */
	struct gmem_slot *slots;
};

/*
 * Builds the map from @n slots (any order). Rejects a zero size, a NULL
 * host pointer, gpa + size wrapping and overlapping slots with -EINVAL;
 * -ENOMEM. On error @m is left empty (n_slots 0, slots NULL).
 */
int gmem_init(struct guest_mem *m, const struct gmem_slot *slots,
	      size_t n) __must_check;

/*
 * Same from the layout's memory slots: host[i] backs l->slots[i]
 * (l->slots[i].size bytes).
 */
int gmem_init_from_layout(struct guest_mem *m, const struct vm_layout *l,
			  void *const *host) __must_check;

/* Releases the slot array (not the host memory). Safe on a zeroed map. */
void gmem_free(struct guest_mem *m);

/*
 * Host pointer for [gpa, gpa + len) when the whole range lies inside one
 * slot, else NULL (also for len == 0 and for a range that wraps).
 */
void *gmem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len);

/* True when [gpa, gpa + len) is backed, possibly across adjacent slots. */
bool gmem_is_backed(const struct guest_mem *m, uint64_t gpa, uint64_t len);

/*
 * Copies into / out of guest memory. The range may span slots that are
 * contiguous in guest physical space. Returns 0, or -EFAULT when any byte
 * of the range is not backed (nothing is written then).
 */
int gmem_write(const struct guest_mem *m, uint64_t gpa, const void *src,
	       uint64_t len) __must_check;
int gmem_read(const struct guest_mem *m, uint64_t gpa, void *dst,
	      uint64_t len) __must_check;
/* Sets [gpa, gpa + len) to @byte; same rules as gmem_write(). */
int gmem_fill(const struct guest_mem *m, uint64_t gpa, int byte,
	      uint64_t len) __must_check;

#endif
