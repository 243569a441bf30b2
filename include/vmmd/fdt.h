/* arm64 flattened device tree built from a resolved layout (libfdt). */
#ifndef VMMD_FDT_H
#define VMMD_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/config.h"
#include "vmmd/layout.h"

/* Frequency of the fixed APB clock the PL011s are described with. */
#define FDT_APB_PCLK_HZ 24000000u

/*
 * What only the boot loader knows: where it put the initrd. An initrd of
 * size 0 means none (no linux,initrd-* properties).
 */
struct fdt_boot {
	uint64_t initrd_start; /* guest physical address */
	uint64_t initrd_size; /* bytes */
};

/*
 * Builds the device tree Linux boots with for the aarch64 layout @l:
 * memory, reserved memory, vCPUs and cpu-map, NUMA distances, GIC (v2 or
 * v3, ITS/v2m), architected timer, PSCI, PL011s, virtio-mmio devices and
 * one ECAM host bridge per root complex, then /chosen (bootargs from
 * @cfg->boot.cmdline, stdout-path, initrd from @boot) and /aliases. Every
 * address, interrupt and id comes from @l; docs/device-tree.md describes
 * the tree. @cfg and @boot may be NULL (no bootargs, no initrd).
 *
 * Returns 0 with *blob (malloc'ed; the caller frees it) holding a packed
 * FDT of *size bytes, which is at most l->fw_size (the region the blob is
 * loaded into). Errors: -EINVAL when @l is not an aarch64 layout or is
 * inconsistent (an interrupt line it does not list, a topology that does
 * not match the vCPUs), -E2BIG when the tree does not fit l->fw_size,
 * -ENOMEM. Pure function of its inputs: the same layout gives the same
 * bytes. Thread-safe (no shared state).
 */
int fdt_build(const struct vm_layout *l, const struct vm_config *cfg,
	      const struct fdt_boot *boot, void **blob,
	      size_t *size) __must_check;

#endif
