/* Typed VM configuration: what a vm.yaml file says, after parsing. */
#ifndef VMMD_CONFIG_H
#define VMMD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/diag.h"

/*
 * Lifetime: a struct vm_config is created by cfg_load_*() and owned by the
 * caller until cfg_free(). It is immutable after loading; the validator and
 * the resolver only read it. It keeps the YAML node tree (root) so that
 * later stages can put file:line:col on their errors.
 *
 * Conventions: a "has_" flag tells whether the YAML file gave a field;
 * fields that were not given hold the documented default. Node numbers that
 * may be absent use -1. Names are NUL-terminated heap strings or NULL.
 */

#define CFG_NAME_MAX 64 /* [a-z0-9][a-z0-9_.-]{0,63} */
#define CFG_MAX_VCPUS 1024 /* KVM_MAX_VCPUS on the target hosts */
#define CFG_MAX_NUMA_NODES 64
#define CFG_MAX_HOST_CPUS 1024
#define CFG_MAX_DEVICES 256
#define CFG_MAX_PORTS 256 /* ports of one root complex or switch */
#define CFG_MAX_RANGES 64
#define CFG_CMDLINE_MAX 4095

enum cfg_arch {
	ARCH_X86_64,
	ARCH_AARCH64,
};

enum cfg_action {
	ACTION_RESTART,
	ACTION_STOP,
};

enum cfg_x2apic {
	X2APIC_AUTO, /* enabled when an APIC id exceeds 254 */
	X2APIC_SUPPORTED, /* CPUID advertises it, guest decides */
	X2APIC_UNSUPPORTED, /* hidden; every APIC id must be <= 254 */
	X2APIC_ENABLED, /* guest starts in x2APIC mode */
};

/* A set of host CPUs (pinning), bit i = host CPU i. */
struct cfg_cpuset {
	uint64_t bits[CFG_MAX_HOST_CPUS / 64];
};

static inline bool cpuset_is_set(const struct cfg_cpuset *s, unsigned int c)
{
	return c < CFG_MAX_HOST_CPUS && (s->bits[c / 64] >> (c % 64)) & 1;
}

struct cfg_feature {
	char *name; /* x86 CPUID feature name, lower case: "xsave", "cx16" */
	bool enabled;
};

struct cfg_cpu {
	uint32_t count; /* 1..CFG_MAX_VCPUS; required */
	bool has_topology;
	uint32_t sockets; /* default: 1 socket of count cores, 1 thread */
	uint32_t cores;
	uint32_t threads;
	size_t n_pinning; /* 0 (no pinning) or entries given */
	struct cfg_cpuset *pinning;
	size_t n_features;
	struct cfg_feature *features;
	bool has_x86; /* cpu.x86 given (x86_64 only) */
	enum cfg_x2apic x2apic; /* default X2APIC_AUTO */
	uint32_t apic_id_offset;
	bool has_aarch64; /* cpu.aarch64 given (aarch64 only) */
	size_t n_mpidr; /* 0: resolver derives MPIDRs from topology */
	uint64_t *mpidr;
};

enum cfg_range_type {
	RANGE_RAM,
	RANGE_RESERVED, /* backed, shown to the guest as reserved */
	RANGE_MMIO, /* not backed; a hole the resolver must not use */
};

struct cfg_mem_range {
	uint64_t gpa;
	uint64_t size;
	enum cfg_range_type type;
	int32_t node; /* NUMA node id, or -1 when not given */
};

enum cfg_backing_kind {
	BACKING_ANONYMOUS,
	BACKING_MEMFD,
	BACKING_FILE,
};

enum cfg_hugepages {
	HUGEPAGES_NONE,
	HUGEPAGES_2M,
	HUGEPAGES_1G,
};

struct cfg_backing {
	enum cfg_backing_kind kind; /* default anonymous */
	char *path; /* kind: file; relative to the YAML file */
	bool shared; /* default false */
	enum cfg_hugepages hugepages;
	bool prefault; /* default false */
	bool thp; /* default true */
};

struct cfg_memory {
	bool has_size; /* simple form: memory.size */
	uint64_t size;
	size_t n_ranges; /* explicit form: memory.ranges */
	struct cfg_mem_range *ranges;
	struct cfg_backing backing;
};

struct cfg_numa_node {
	uint32_t id; /* defaults to the list index */
	bool has_cpus; /* cpus given (possibly empty: CPU-less) */
	size_t n_cpus;
	uint32_t *cpus;
	bool has_memory;
	uint64_t memory;
	int32_t host_node; /* -1 when not given */
};

struct cfg_dist_row {
	size_t n;
	uint32_t *v;
};

struct cfg_numa {
	size_t n_nodes; /* 0: no numa section, one implicit node */
	struct cfg_numa_node *nodes;
	size_t n_rows; /* 0: default 10 local / 20 remote */
	struct cfg_dist_row *rows;
};

struct cfg_ioapic {
	uint64_t base; /* default 0xfec00000 */
	uint32_t pins; /* default 24; 16..120: ISA IRQs 0-15 are GSIs 0-15 */
};

struct cfg_gic {
	uint32_t version; /* 2 or 3; default 3 */
	uint64_t distributor; /* default 0x08000000 */
	bool has_redistributors;
	uint64_t redistributors; /* v3; default 0x080a0000 */
	bool has_cpu_interface;
	uint64_t cpu_interface; /* v2; default 0x08010000 */
	bool has_its;
	uint64_t its; /* v3 only */
	bool has_v2m;
	uint64_t v2m; /* v2 only */
	uint32_t nr_irqs; /* default 256; 64..992, multiple of 32 */
};

struct cfg_interrupts {
	bool has_x86;
	uint64_t lapic; /* default 0xfee00000 */
	struct cfg_ioapic ioapic;
	bool has_gic;
	struct cfg_gic gic;
};

/* A PCIe window: dynamic (resolver places it) or fixed. */
struct cfg_window {
	bool has_base; /* fixed */
	uint64_t base;
	uint64_t size;
};

struct cfg_port {
	char *name;
	bool has_devfn;
	uint8_t devfn; /* device << 3 | function */
	bool hotplug; /* default false */
};

struct cfg_root_complex {
	char *name;
	uint16_t segment; /* default: list index */
	uint8_t bus_start; /* default 0 */
	uint8_t bus_end; /* default 255 */
	bool has_ecam; /* false: ecam: auto (or absent) */
	uint64_t ecam;
	struct cfg_window mmio32; /* default size 64 MiB */
	struct cfg_window mmio64; /* default size 4 GiB */
	int32_t node; /* -1 when not given */
	size_t n_ports;
	struct cfg_port *ports;
};

struct cfg_switch {
	char *name;
	char *parent_port; /* name of a root port or switch downstream port */
	size_t n_ports;
	struct cfg_port *ports;
};

struct cfg_pcie {
	size_t n_rcs;
	struct cfg_root_complex *rcs;
	size_t n_switches;
	struct cfg_switch *switches;
};

enum cfg_dev_type {
	DEV_SERIAL,
	DEV_VIRTIO_BLK,
	DEV_VIRTIO_NET,
	DEV_VIRTIO_CONSOLE,
	DEV_VIRTIO_RNG,
	DEV_SHARED_MEMORY,
	DEV_TYPE_COUNT,
};

enum cfg_transport {
	TRANSPORT_PCI, /* default for virtio devices */
	TRANSPORT_MMIO,
};

struct cfg_device {
	enum cfg_dev_type type;
	char *name; /* required, unique among all named objects */
	enum cfg_transport transport;
	char *port; /* virtio/shared-memory: PCIe port name or NULL */

	/* serial */
	bool has_io_port;
	uint16_t io_port; /* x86: default 0x3f8, 0x2f8, 0x3e8, 0x2e8 */
	bool has_address;
	uint64_t address; /* aarch64 PL011 MMIO base; default resolver */
	bool has_irq;
	uint32_t irq; /* x86 ISA IRQ / arm SPI; default resolver */
	bool console; /* default: true for the first serial device */

	/* virtio-blk */
	char *path; /* disk image; relative to the YAML file */
	bool readonly;
	char *serial; /* device id string, at most 20 bytes */

	/* virtio-net */
	char *tap;
	bool has_mac;
	uint8_t mac[6]; /* default derived from the VM uuid + index */
	bool has_mtu;
	uint32_t mtu; /* 68..65535 */

	/* virtio queues (blk, net, console) */
	uint32_t queues; /* default 1 (net: 1 pair) */
	uint32_t queue_size; /* default 256; power of two, 2..32768 */

	/* shared-memory */
	uint64_t size; /* power of two, >= 4 KiB */
	char *shm_path; /* optional host file; default /dev/shm/vmmd-NAME */
};

enum cfg_boot_kind {
	BOOT_KERNEL,
	BOOT_FIRMWARE,
	BOOT_IMAGE,
};

struct cfg_boot {
	enum cfg_boot_kind kind;
	char *kernel; /* paths are relative to the YAML file */
	char *initrd;
	char *cmdline;
	char *firmware;
	char *image;
	bool has_load;
	uint64_t load; /* default 0x100000 */
	bool has_entry;
	uint64_t entry; /* default: load */
};

struct ynode;

struct vm_config {
	char *file; /* path as given to the loader */
	char *dir; /* directory relative paths are resolved in */
	struct ynode *root; /* the YAML tree, for error positions */

	char *name;
	bool has_uuid; /* false: generated with libuuid at load */
	uint8_t uuid[16];
	enum cfg_arch arch; /* default x86_64 */
	char *owner_user; /* owner: user[:group]; NULL when not given */
	char *owner_group;
	bool autostart;
	enum cfg_action on_reboot; /* default restart */
	enum cfg_action on_crash; /* default stop */

	struct cfg_cpu cpu;
	struct cfg_memory memory;
	struct cfg_numa numa;
	struct cfg_interrupts irq;
	struct cfg_pcie pcie;
	size_t n_devices;
	struct cfg_device *devices;
	struct cfg_boot boot;
};

/*
 * Stage 1: parse. Reads YAML and fills the typed config; reports syntax
 * errors, unknown and duplicate keys, wrong types, malformed and
 * out-of-range scalars into @dl (all of them, file order). Returns 0 with
 * *out set, -EINVAL when diagnostics were added (*out is NULL), -ENOENT/
 * -EACCES/... for a file that cannot be read (also reported in @dl),
 * -ENOMEM. Relative paths in the file are made absolute against the
 * directory of @path.
 */
int cfg_load_file(const char *path, struct vm_config **out,
		  struct diag_list *dl) __must_check;

/* Same from memory; @name is used in diagnostics and as the base path. */
int cfg_load_buffer(const char *name, const char *buf, size_t len,
		    struct vm_config **out, struct diag_list *dl) __must_check;

/*
 * Stage 2: semantic checks across fields (topology, NUMA, ranges, names,
 * PCIe references, arch-specific keys...). Reports every problem found.
 * Returns 0 when valid, -EINVAL when diagnostics were added, -ENOMEM
 * (dl->oom is set too).
 */
int cfg_validate(const struct vm_config *cfg,
		 struct diag_list *dl) __must_check;

void cfg_free(struct vm_config *cfg);

/* Names of enum values as they appear in YAML. */
const char *cfg_arch_name(enum cfg_arch a);
const char *cfg_action_name(enum cfg_action a);
const char *cfg_x2apic_name(enum cfg_x2apic m);
const char *cfg_range_type_name(enum cfg_range_type t);
const char *cfg_dev_type_name(enum cfg_dev_type t);
const char *cfg_transport_name(enum cfg_transport t);
const char *cfg_backing_kind_name(enum cfg_backing_kind k);
const char *cfg_hugepages_name(enum cfg_hugepages h);
const char *cfg_boot_kind_name(enum cfg_boot_kind k);

/* Writes the JSON Schema (draft 2020-12) of the YAML format to @out. */
int cfg_schema_write(FILE *out) __must_check;

#endif
