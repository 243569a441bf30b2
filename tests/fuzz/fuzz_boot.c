/*
 * libFuzzer target: hostile kernel files through the x86 boot loaders
 * (bzImage, PVH ELF, raw image) into a 32 MiB guest-memory buffer. The
 * first input byte picks the loader; the rest is the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vmmd/boot.h"
#include "vmmd/guest_mem.h"
#include "vmmd/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_END (32 * MiB)

static struct layout_region regions[] = {
	{ .gpa = 0x0, .size = 0xa0000, .kind = LR_RAM },
	{ .gpa = 0xa0000, .size = 0x40000, .kind = LR_RESERVED },
	{ .gpa = 0xe0000, .size = 0x20000, .kind = LR_FIRMWARE },
	{ .gpa = 0x100000, .size = RAM_END - 0x100000, .kind = LR_RAM },
};

static struct layout_slot slots[] = {
	{ .gpa = 0, .size = RAM_END },
};

static const struct vm_layout lay = {
	.arch = ARCH_X86_64,
	.n_regions = ARRAY_SIZE(regions),
	.regions = regions,
	.n_slots = ARRAY_SIZE(slots),
	.slots = slots,
	.fw_base = 0xe0000,
	.fw_size = 0x20000,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_mem m;
	static const uint8_t initrd[4096];
	struct boot_error err;
	struct boot_info bi;
	uint64_t entry;

	if (!m.n_slots) {
		void *host = malloc(RAM_END);

		if (!host || gmem_init_from_layout(&m, &lay, &host))
			abort();
	}
	if (!size)
		return 0;
	switch (data[0] % 4) {
	case 0:
		(void)!bzimage_load(&lay, &m, data + 1, size - 1, initrd,
				    sizeof(initrd), "console=ttyS0", &bi, &err);
		break;
	case 1:
		(void)!pvh_load(&lay, &m, data + 1, size - 1, initrd,
				sizeof(initrd), "console=ttyS0", 0xe0000, &bi,
				&err);
		break;
	case 2:
		(void)!pvh_find_entry(data + 1, size - 1, &entry, &err);
		break;
	default:
		(void)!raw_load(&lay, &m, data + 1, size - 1, 0x100000,
				0x100000, &bi, &err);
		break;
	}
	return 0;
}
