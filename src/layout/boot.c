/* Boot-time placement that depends on file sizes: where an initrd goes. */
#include <errno.h>

#include "vmmd/layout.h"

/*
 * Policy: the initrd goes as high as it fits, 4 KiB aligned, inside the
 * RAM region (LR_RAM) that holds or directly follows the firmware region
 * (the first RAM of the guest: on arm64 the FDT's own range), never
 * below @floor. Keeping it in the first RAM range keeps it in node 0 and
 * away from the kernel, which the loaders put at the bottom of RAM.
 */
int layout_place_initrd(const struct vm_layout *l, uint64_t size,
			uint64_t floor, uint64_t *gpa)
{
	return layout_place_initrd_below(l, size, floor, UINT64_MAX, gpa);
}

/*
 * Same policy with an upper bound: the initrd ends at or below @limit
 * (exclusive), e.g. a Linux kernel's initrd_addr_max + 1. With
 * @limit == UINT64_MAX this is layout_place_initrd().
 */
int layout_place_initrd_below(const struct vm_layout *l, uint64_t size,
			      uint64_t floor, uint64_t limit, uint64_t *gpa)
{
	uint64_t need = align_up(size, 4 * KiB);
	size_t i;

	if (!size || need < size)
		return -EINVAL;
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		uint64_t end = r->gpa + r->size, top;

		if (r->kind != LR_RAM || end <= l->fw_base)
			continue;
		/* The first RAM at or above the firmware region. */
		if (end > limit)
			end = limit;
		if (end < r->gpa || need > end - r->gpa || end - need < floor)
			return -ENOSPC;
		top = (end - need) & ~(4 * KiB - 1);
		if (top < r->gpa || top < floor)
			return -ENOSPC;
		*gpa = top;
		return 0;
	}
	return -ENOSPC;
}
