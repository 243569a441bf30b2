/* The guest's e820 memory map, derived from the resolved layout. */
#include <errno.h>

#include "boot_internal.h"

static uint32_t e820_type(enum layout_region_kind k)
{
	switch (k) {
	case LR_RAM:
		return E820_RAM;
	case LR_RESERVED:
	case LR_FIRMWARE:
		/* ACPI tables: reserved, not reclaimable (see boot.h). */
		return E820_RESERVED;
	default:
		return 0; /* not in e820: ACPI describes MMIO */
	}
}

int e820_build(const struct vm_layout *l, struct e820_entry *out, size_t max,
	       size_t *n, struct boot_error *err)
{
	size_t i, cnt = 0;

	*n = 0;
	if (l->arch != ARCH_X86_64)
		return boot_err(err, -EINVAL, "e820 needs an x86_64 layout");
	if (max > E820_MAX)
		max = E820_MAX;
	/* Regions are sorted by gpa and disjoint (resolver contract). */
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		uint32_t type = e820_type(r->kind);

		if (!type || !r->size)
			continue;
		if (cnt && out[cnt - 1].type == type &&
		    out[cnt - 1].addr + out[cnt - 1].size == r->gpa) {
			out[cnt - 1].size += r->size;
			continue;
		}
		if (cnt == max)
			return boot_err(err, -E2BIG,
					"the memory map needs more than %zu "
					"e820 entries",
					max);
		out[cnt].addr = r->gpa;
		out[cnt].size = r->size;
		out[cnt].type = type;
		cnt++;
	}
	*n = cnt;
	return 0;
}
