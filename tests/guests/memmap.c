/* memmap.elf: prints the PVH memory map as memmap=ADDR,SIZE,TYPE lines. */
#include "rt.h"

int guest_main(uint32_t start_info_paddr)
{
	const struct hvm_start_info *si = start_info_get(start_info_paddr);
	const struct hvm_memmap_entry *e;

	if (!si)
		return 2;
	if (si->version < 1 || !si->memmap_entries) {
		report("error", "no memory map (start info version %u)",
		       si->version);
		return 3;
	}
	e = phys_ptr(si->memmap_paddr);
	if (!e) {
		report("error", "memory map above 4 GiB");
		return 3;
	}
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		report("memmap", "0x%llx,0x%llx,%u", e[i].addr, e[i].size,
		       e[i].type);
	report("memmap_entries", "%u", si->memmap_entries);
	return 0;
}
