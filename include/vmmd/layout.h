/* Resolved VM layout: every guest-visible address, bus, IRQ and id fixed. */
#ifndef VMMD_LAYOUT_H
#define VMMD_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/config.h"
#include "vmmd/diag.h"

/*
 * The resolver (layout_resolve) is the only code that chooses addresses,
 * bus numbers, GSIs, APIC ids and vCPU-to-node placement. ACPI, FDT, e820,
 * the KVM builder and `vmctl plan` all read this structure, so what the
 * guest is told and what the VMM emulates cannot disagree.
 *
 * A struct vm_layout is self-contained (names are copied) and immutable;
 * it may outlive the vm_config it was made from.
 */

/* Fixed platform addresses (defaults; interrupt bases come from config). */
#define LAYOUT_X86_HOLE_START UINT64_C(0xc0000000) /* 32-bit MMIO hole */
#define LAYOUT_X86_PLATFORM UINT64_C(0xfe000000) /* LAPIC/IOAPIC/flash */
#define LAYOUT_4G UINT64_C(0x100000000)
#define LAYOUT_X86_LOWMEM_END UINT64_C(0xa0000) /* conventional RAM */
#define LAYOUT_X86_FW_START UINT64_C(0xe0000) /* ACPI tables */
#define LAYOUT_X86_FW_END UINT64_C(0x100000)
#define LAYOUT_ARM_LOW_POOL UINT64_C(0x10000000) /* virt-like layout */
#define LAYOUT_ARM_RAM_BASE UINT64_C(0x40000000)
#define LAYOUT_ARM_UART UINT64_C(0x09000000)
#define LAYOUT_MAX_GPA (UINT64_C(1) << 40) /* 1 TiB */

/* Sizes of fixed platform regions; the validator and resolver share them. */
#define LAYOUT_X86_LAPIC_SIZE MiB /* LAPIC page + MSI address range */
#define LAYOUT_X86_IOAPIC_SIZE (4 * KiB)
#define LAYOUT_X86_BIOS_SIZE (256 * KiB) /* flash below 4 GiB (firmware) */
#define LAYOUT_X86_IO_START 0x1000 /* ports from here: rc I/O windows */
#define LAYOUT_GIC_DIST_SIZE (64 * KiB)
#define LAYOUT_GIC_REDIST_SIZE (128 * KiB) /* per vCPU: RD_base + SGI_base */
#define LAYOUT_GIC_ITS_SIZE (128 * KiB)
#define LAYOUT_GIC_CPUIF_SIZE (8 * KiB)
#define LAYOUT_GIC_V2M_SIZE (4 * KiB)
#define LAYOUT_DEV_MMIO_SIZE (4 * KiB) /* virtio-mmio, PL011 */
#define LAYOUT_ECAM_BUS_SIZE MiB /* config space of one bus */

enum layout_region_kind {
	LR_RAM, /* backed, e820 RAM / FDT memory */
	LR_RESERVED, /* backed, e820 reserved (config or legacy area) */
	LR_FIRMWARE, /* backed, ACPI tables (x86) or FDT (arm64) */
	LR_MMIO, /* config-declared hole, not backed */
	LR_ECAM,
	LR_PCI_MMIO32,
	LR_PCI_MMIO64,
	LR_PCI_IO, /* arm64: PIO window mapped in MMIO */
	LR_LAPIC,
	LR_IOAPIC,
	LR_BIOS, /* x86: firmware flash below 4 GiB (boot.firmware) */
	LR_GIC_DIST,
	LR_GIC_REDIST,
	LR_GIC_ITS,
	LR_GIC_CPUIF,
	LR_GIC_V2M,
	LR_UART, /* arm64 PL011 */
	LR_VIRTIO_MMIO,
	LR_KIND_COUNT,
};

/* One entry of the guest physical map, sorted by gpa, non-overlapping. */
struct layout_region {
	uint64_t gpa;
	uint64_t size;
	enum layout_region_kind kind;
	int32_t node; /* NUMA node, -1 for none */
	char owner[CFG_NAME_MAX + 1]; /* "rc0", "rng0", "" for plain RAM */
};

/* One host memory slot: a backed range (RAM, reserved or firmware). */
struct layout_slot {
	uint64_t gpa;
	uint64_t size;
	int32_t node;
};

struct layout_vcpu {
	uint32_t index;
	uint32_t apic_id; /* x86: offset + socket/core/thread fields */
	uint64_t mpidr; /* arm64: affinity fields (Aff3..Aff0) */
	uint32_t socket, core, thread;
	uint32_t node;
	bool pinned;
	struct cfg_cpuset pin;
};

struct layout_numa_node {
	uint32_t id;
	uint64_t memory; /* bytes of RAM on this node */
	uint32_t n_cpus;
	int32_t host_node; /* -1 when not bound */
};

enum pci_fn_kind {
	PCI_HOST_BRIDGE,
	PCI_ROOT_PORT,
	PCI_SWITCH_UP,
	PCI_SWITCH_DOWN,
	PCI_ENDPOINT,
};

struct layout_bar {
	uint8_t index; /* BAR register number 0..5 */
	bool mem64;
	bool prefetch;
	bool io;
	uint64_t addr;
	uint64_t size;
};

struct layout_window {
	uint64_t base;
	uint64_t size; /* 0: closed */
};

/* One PCI function. Functions are listed depth-first per root complex. */
struct layout_pci_fn {
	enum pci_fn_kind kind;
	char name[CFG_NAME_MAX + 1]; /* port, switch or device name */
	uint32_t rc; /* index in layout.rcs */
	int32_t parent; /* fn index of upstream bridge, -1 */
	uint16_t segment;
	uint8_t bus;
	uint8_t devfn;
	uint16_t vendor, device_id;
	uint32_t class_code; /* base << 16 | sub << 8 | prog-if */
	/* bridges (root ports, switch ports) */
	uint8_t secondary, subordinate;
	struct layout_window io; /* I/O port window */
	struct layout_window mem; /* 32-bit non-prefetchable window */
	struct layout_window pref; /* 64-bit prefetchable window */
	bool hotplug;
	/* endpoints */
	int32_t device; /* index in cfg devices, -1 */
	uint32_t n_bars;
	struct layout_bar bars[6];
	uint8_t int_pin; /* 1 = INTA .. 4 = INTD, 0 none */
	uint32_t gsi; /* INTx after swizzling */
	uint32_t msix_vectors;
};

struct layout_rc {
	char name[CFG_NAME_MAX + 1];
	uint16_t segment;
	uint8_t bus_start, bus_end;
	uint64_t ecam_base, ecam_size; /* covers bus_start..bus_end */
	struct layout_window mmio32;
	struct layout_window mmio64;
	struct layout_window io; /* port range (x86) / PCI IO space */
	uint64_t io_cpu_base; /* arm64: where io is mapped; 0 on x86 */
	int32_t node;
	uint32_t intx_gsi[4]; /* GSI of INTA..INTD at the root */
	uint32_t buses_used;
	/*
	 * arm64 ITS DeviceID of bus_start:00.0; a function's DeviceID is
	 * its_devid_base + requester id - (bus_start << 8). 0 on x86.
	 */
	uint32_t its_devid_base;
};

enum layout_trigger {
	TRIGGER_EDGE,
	TRIGGER_LEVEL,
};

enum layout_polarity {
	POLARITY_HIGH,
	POLARITY_LOW,
};

/* One interrupt line: x86 GSI (IOAPIC pin) or arm64 GIC INTID. */
struct layout_irq {
	uint32_t gsi;
	enum layout_trigger trigger;
	enum layout_polarity polarity;
	char owner[CFG_NAME_MAX + 1]; /* device, rc or "acpi" */
	char what[16]; /* "uart", "intx-a", "sci", ... */
};

/* Where each configured device ended up. */
struct layout_device {
	uint32_t index; /* in cfg devices */
	enum cfg_dev_type type;
	enum cfg_transport transport;
	uint16_t io_port; /* x86 serial */
	uint64_t mmio_base; /* virtio-mmio, PL011 */
	uint64_t mmio_size;
	uint32_t gsi; /* legacy line; for PCI the INTx GSI */
	int32_t pci_fn; /* index in layout.fns, -1 */
	bool console;
};

struct vm_layout {
	enum cfg_arch arch;
	char name[CFG_NAME_MAX + 1];
	uint8_t uuid[16];

	size_t n_regions;
	struct layout_region *regions;
	size_t n_slots;
	struct layout_slot *slots;
	uint64_t ram_bytes; /* sum of RAM */

	uint64_t fw_base, fw_size; /* ACPI tables (x86) / FDT (arm64) */

	size_t n_vcpus;
	struct layout_vcpu *vcpus;
	uint32_t sockets, cores, threads;

	size_t n_nodes; /* >= 1 */
	struct layout_numa_node *nodes;
	uint8_t *distance; /* n_nodes * n_nodes, row-major */

	/* x86 */
	uint64_t lapic_base;
	uint64_t ioapic_base;
	uint32_t ioapic_pins;
	enum cfg_x2apic x2apic_mode; /* as configured */
	bool x2apic; /* guest needs x2APIC (ids > 254) */
	uint32_t max_apic_id;

	/* arm64 */
	uint32_t gic_version;
	uint64_t gic_dist, gic_redist, gic_redist_size;
	uint64_t gic_cpuif, gic_its, gic_v2m; /* 0 when absent */
	uint32_t gic_nr_irqs;
	uint32_t gic_v2m_spi_base; /* first INTID of the v2m frame's MSIs */
	uint32_t gic_v2m_spi_count; /* 0 without a v2m frame */

	size_t n_rcs;
	struct layout_rc *rcs;
	size_t n_fns;
	struct layout_pci_fn *fns;

	size_t n_devices;
	struct layout_device *devices;

	size_t n_irqs; /* sorted by gsi */
	struct layout_irq *irqs;
};

/*
 * Stage 3: fixes every guest-visible choice for a config that passed
 * cfg_validate(). Running out of space is reported with what was needed
 * and what was free. Returns 0 with *out set, -EINVAL when diagnostics
 * were added, -ENOMEM.
 */
int layout_resolve(const struct vm_config *cfg, struct vm_layout **out,
		   struct diag_list *dl) __must_check;

void layout_free(struct vm_layout *l);

/*
 * Places an initrd of @size bytes for a boot loader: as high as it fits,
 * 4 KiB aligned, in the first RAM region at or above the firmware region,
 * not below @floor (the end of what the loader already put there, e.g.
 * the kernel). Returns 0 with *gpa set, -ENOSPC when it does not fit,
 * -EINVAL for a zero size.
 */
int layout_place_initrd(const struct vm_layout *l, uint64_t size,
			uint64_t floor, uint64_t *gpa) __must_check;

/*
 * layout_place_initrd() with an upper bound: the initrd also ends at or
 * below @limit (exclusive end; a Linux kernel's initrd_addr_max + 1).
 * Same return values.
 */
int layout_place_initrd_below(const struct vm_layout *l, uint64_t size,
			      uint64_t floor, uint64_t limit,
			      uint64_t *gpa) __must_check;

const char *layout_region_kind_name(enum layout_region_kind k);
const char *pci_fn_kind_name(enum pci_fn_kind k);

#endif
