/* Private interface between the resolver's files (src/layout/). */
#ifndef VMMD_LAYOUT_RESOLVE_INTERNAL_H
#define VMMD_LAYOUT_RESOLVE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/config.h"
#include "vmmd/diag.h"
#include "vmmd/layout.h"
#include "vmmd/fmt.h"

#define RSV_PATH_MAX 96

#define RSV_X86_IO_PER_RC 0x1000
#define RSV_X86_IO_END 0x10000
#define RSV_ARM_FDT_SIZE (2 * MiB)
#define RSV_ARM_PCI_IO_SIZE (64 * KiB)
#define RSV_WIN_GRANULE MiB /* bridge window granularity */
#define RSV_HOTPLUG_MEM (2 * MiB)
#define RSV_HOTPLUG_PREF (64 * MiB)
#define RSV_ALIGN_MAX GiB /* natural alignment cap */
#define RSV_IMPLICIT_MMIO32 (64 * MiB)
#define RSV_IMPLICIT_MMIO64 (4 * GiB)

/* One root complex as resolved: from the config or the implicit one. */
struct rsv_rc {
	const struct cfg_root_complex *cfg; /* NULL: implicit "pcie0" */
	char path[RSV_PATH_MAX]; /* "pcie.root_complexes[1]" or "pcie" */
	struct cfg_window mmio32; /* effective (implicit: grown to fit) */
	struct cfg_window mmio64;
	bool ecam_fixed;
	uint64_t ecam;
	bool placed32, placed64; /* windows have an address */
	/* root bus packing needs (see pci.c) */
	uint64_t mem_need, mem_align, pref_need, pref_align;
};

/* Per-function resolver state, parallel to layout.fns. */
struct rsv_fn {
	int32_t first_child, last_child, next_sibling;
	uint64_t mem_need, mem_align; /* bridges: window size/alignment */
	uint64_t pref_need, pref_align;
};

/* One config memory range (or simple-form piece) in the RAM map. */
struct rsv_range {
	uint64_t gpa;
	uint64_t size;
	enum cfg_range_type type;
	int32_t node; /* node id; -1 for mmio */
	char path[RSV_PATH_MAX];
};

struct rsv {
	const struct vm_config *cfg;
	struct diag_list *dl;
	struct vm_layout *l;
	unsigned int n_errors; /* diagnostics added */
	bool oom;

	size_t cap_regions, cap_slots, cap_fns, cap_fx, cap_irqs;

	size_t cap_ranges;
	size_t n_ranges;
	struct rsv_range *ranges;

	size_t n_rcs;
	struct rsv_rc *rcs;
	struct rsv_fn *fx; /* cap_fns entries */
};

/* resolve.c */
void rsv_error(struct rsv *r, const char *path, const char *fmt, ...)
	__printf(3, 4);
const char *rsv_path(char buf[RSV_PATH_MAX], const char *fmt, ...)
	__printf(2, 3);
/* "512 MiB", "4 KiB", "12345 bytes": exact, for messages. */
/* Grows *arr to hold n + 1 elements; returns the new slot or NULL (oom). */
void *rsv_grow(struct rsv *r, void **arr, size_t *cap, size_t n, size_t elem);
uint32_t rsv_bits(uint64_t n); /* ceil(log2(n)), 0 for n <= 1 */
uint64_t rsv_natural_align(uint64_t size, uint64_t min_align);
int32_t rsv_default_node(const struct rsv *r);
int rsv_node_index(const struct rsv *r, int32_t id); /* -1 unknown */

/* memmap.c */
void rsv_memory(struct rsv *r);
void rsv_platform(struct rsv *r);
void rsv_dynamic(struct rsv *r);
void rsv_check_regions(struct rsv *r);
/* Inserts a region keeping the list sorted; refuses overlaps (error). */
bool rsv_region_add(struct rsv *r, uint64_t gpa, uint64_t size,
		    enum layout_region_kind kind, int32_t node,
		    const char *owner, const char *path);

/* cpu.c */
void rsv_numa(struct rsv *r);
void rsv_vcpus(struct rsv *r);

/* pci.c */
bool rsv_dev_is_pci(const struct cfg_device *d);
void rsv_pci_build(struct rsv *r);
void rsv_pci_place(struct rsv *r);

/* irq.c */
void rsv_irqchip(struct rsv *r); /* interrupt controller fields */
void rsv_irqs(struct rsv *r);

/* devreg.c: the const per-type device registry. */
enum devreg_bars {
	DEVREG_BARS_NONE,
	DEVREG_BARS_VIRTIO, /* BAR1 MSI-X, BAR4 64-bit pref 16 KiB */
	DEVREG_BARS_IVSHMEM, /* BAR0 registers, BAR2 64-bit pref = size */
};

struct devreg {
	const char *name;
	bool pci; /* can be a PCI endpoint */
	bool mmio; /* can use transport: mmio (virtio-mmio) */
	uint16_t vendor;
	uint16_t device_id;
	uint32_t class_code;
	uint32_t virtio_id;
	enum devreg_bars bars;
};

const struct devreg *devreg_get(enum cfg_dev_type t); /* never NULL */
uint32_t devreg_msix_vectors(const struct cfg_device *d);
/* Fills identity, BAR sizes, pin and vectors of an endpoint function. */
void devreg_fill_fn(const struct cfg_device *d, struct layout_pci_fn *fn);

#endif
