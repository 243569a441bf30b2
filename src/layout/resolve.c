/* Resolver: turns a validated vm_config into the fixed vm_layout. */

/*
 * PLACEMENT POLICY
 * ================
 * The resolver is the only code that picks guest addresses, bus numbers,
 * GSIs/INTIDs, APIC ids/MPIDRs and vCPU-to-node placement. Its output is a
 * pure function of the config: no host state, no randomness, and lists are
 * walked in config order unless said otherwise.
 *
 * 1. RAM map (memmap.c)
 *    x86_64, memory.size S: RAM [0, min(S, 3 GiB)) and the rest, if any, at
 *    [4 GiB, 4 GiB + S - 3 GiB). The low RAM is shown to the guest as
 *      ram       [0x0, 0xa0000)
 *      reserved  [0xa0000, 0xe0000)   legacy VGA/option ROM area
 *      firmware  [0xe0000, 0x100000)  ACPI tables: fw_base/fw_size
 *      ram       [0x100000, ...)
 *    The carve-out is backed memory: it stays inside the RAM slot.
 *    x86_64, memory.ranges: kept as given; RAM must cover [0, 0x100000)
 *    (else "x86 needs RAM at 0x0-0xfffff for boot structures" at
 *    memory.ranges) and the same carve-out applies.
 *    aarch64, memory.size S: RAM at [0x40000000, +S). aarch64 ranges: kept.
 *    On aarch64 the first 2 MiB of the lowest RAM range are the firmware
 *    region (FDT): fw_base/fw_size.
 *    reserved ranges are backed and shown as reserved; mmio ranges are
 *    holes: not backed, never allocated from.
 *    Slots (host memory) are one per RAM/reserved range, split where the
 *    NUMA node changes, sorted by address.
 *    NUMA: explicit ranges carry their node (absent: the first node). In
 *    the simple form node i gets numa.nodes[i].memory bytes, or, when no
 *    node gives memory, S / n rounded down to 2 MiB (the last node takes
 *    the remainder); nodes are carved in list order from the RAM map in
 *    address order, so a node may span the hole. Nodes that give no memory
 *    while others do share what is left the same way. Without a numa
 *    section there is one node 0 with everything. ram_bytes and
 *    nodes[].memory count RAM ranges in full (including the x86 legacy
 *    carve-out and the arm64 FDT region). Node numbers in regions, slots
 *    and vCPUs are node ids (numa.nodes[].id); nodes[] and the distance
 *    matrix are in numa.nodes list order.
 *
 * 2. Address allocation (memmap.c)
 *    Fixed first: config RAM/reserved/mmio ranges, then
 *      x86:  LAPIC [lapic, +1 MiB) (the page and the MSI address range),
 *            IOAPIC [base, +4 KiB), and with boot.firmware the BIOS flash
 *            [4 GiB - 256 KiB, 4 GiB). [0xfe000000, 4 GiB) is never
 *            allocated from.
 *      arm64: GIC distributor 64 KiB; v3 redistributors 128 KiB per vCPU
 *            (gic_redist_size); ITS 128 KiB; v2 CPU interface 8 KiB; v2m
 *            4 KiB; PL011s with an address (4 KiB).
 *      fixed ECAM regions and fixed PCI windows from the config.
 *    Then dynamic, first fit (lowest address) in two pools:
 *      32-bit pool: x86 [0xc0000000, 0xfe000000),
 *                   arm64 [0x10000000, 0x40000000);
 *      64-bit pool: [align_up(max(4 GiB, end of the highest RAM/reserved/
 *                   mmio range), 1 GiB), 1 TiB).
 *    Alignment: min(next power of two of the size, 1 GiB), at least 1 MiB
 *    for PCI windows and ECAM, 4 KiB for virtio-mmio and PL011; a PCI
 *    window is also aligned to its largest BAR or bridge window.
 *    Order: (a) mmio32 windows in root complex order (32-bit pool only),
 *    (b) arm64 PCI I/O windows, 64 KiB each (32-bit pool): PCI I/O space
 *    0x0-0xffff of each root complex at io_cpu_base, (c) auto ECAM,
 *    (bus_end - bus_start + 1) MiB (32-bit pool, else 64-bit pool),
 *    ecam_base is bus_start's configuration space, (d) in device order:
 *    PL011s without an address (0x09000000 when free, else the 32-bit
 *    pool) and virtio-mmio devices, 4 KiB each (32-bit pool), (e) mmio64
 *    windows in root complex order (64-bit pool).
 *    x86 I/O ports: root complex i gets ports [0x1000 + i * 0x1000,
 *    +0x1000) (at most 15 root complexes); 0x0-0xfff is left to ISA and
 *    platform devices (serial, PIT, RTC, ACPI PM block).
 *    regions[] is sorted by address and holds everything guest-visible.
 *
 * 3. vCPUs (cpu.c)
 *    Topology default: 1 socket, count cores, 1 thread. vCPU i has
 *    thread = i % threads, core = (i / threads) % cores,
 *    socket = i / (threads * cores) (socket-major order).
 *    x86 APIC id = apic_id_offset + (socket << (core_bits + thread_bits) |
 *    core << thread_bits | thread), core_bits = ceil(log2(cores)),
 *    thread_bits = ceil(log2(threads)). x2apic is needed when an id > 254
 *    or cpu.x86.x2apic is enabled; an id > 254 with x2apic unsupported is
 *    an error.
 *    arm64 MPIDR: cpu.aarch64.mpidr when given; else with threads > 1
 *    Aff0 = thread, Aff1 = core, Aff2 = socket; with threads == 1
 *    Aff0 = core % 16, Aff1 = socket * ceil(cores / 16) + core / 16
 *    (GICv3 SGIs target at most 16 Aff0 values). A field > 255 is an error.
 *    Node of a vCPU: the node listing it in numa.nodes[].cpus; else round
 *    robin by socket over the nodes without a cpus key (socket s goes to
 *    the (s mod k)-th of them); else the first node.
 *    Distances: numa.distances, or 10 local / 20 remote.
 *
 * 4. PCIe (pci.c)
 *    Without root complexes, a device that needs PCI creates an implicit
 *    one: "pcie0", segment 0, buses 0-255, ECAM auto, node none, mmio32
 *    max(64 MiB, need) and mmio64 max(4 GiB, need) (needs rounded up to a
 *    power of two). Errors about it are reported at "pcie".
 *    arm64 ITS DeviceIDs: root complexes take consecutive blocks of
 *    256 ids per bus of their bus range, in list order (its_devid_base);
 *    a function's DeviceID is its_devid_base + requester id -
 *    (bus_start << 8). One root complex with buses 0-255 uses 0-0xffff,
 *    the 16 DeviceID bits of KVM's ITS.
 *    Per root complex: host bridge 1b36:0008 (class 060000) at 00.0 of
 *    bus_start. Root ports (1b36:000c, class 060400) at their devfn, or at
 *    the next free device number from 1, function 0; then endpoints
 *    without a port (root complex 0 only) at the next free device number.
 *    Bus numbers are given depth-first in devfn order: a root port gets
 *    secondary = next bus, subordinate = last bus of its subtree. A switch
 *    behind a port: upstream port 104c:8232 (class 060400) at 00.0 of the
 *    port's secondary bus, internal bus = next bus, downstream ports
 *    104c:8233 (class 060400) at their devfn or device 0, 1, 2, ... of the
 *    internal bus (the IDs of QEMU's XIO3130 switch, which guests know). An
 *    endpoint behind a port sits at 00.0 of its secondary bus. Hotplug
 *    ports reserve no extra buses.
 *    Endpoints (devreg.c): virtio 1af4:(1040 + virtio id): blk 1042
 *    class 018000, net 1041 class 020000, console 1043 class 078000, rng
 *    1044 class 00ff00; BAR1 32-bit MSI-X (table at 0, PBA right after,
 *    size the next power of two >= 4 KiB), BAR4 64-bit prefetchable
 *    16 KiB (common, ISR, device, notify at 4 KiB steps); msix_vectors =
 *    queue vectors + 1 config vector (blk: queues, net: 2 * queues + 1
 *    control queue, console: 2, rng: 1);
 *    shared-memory 1af4:1110 class 050000, BAR0 4 KiB, BAR2 64-bit
 *    prefetchable = size. Every endpoint uses INTA; bridges use no INTx.
 *    Windows are sized bottom-up: a bridge's mem window holds the
 *    non-prefetchable BARs and child mem windows, its pref window the
 *    prefetchable (64-bit) ones, each packed largest alignment first and
 *    rounded up to 1 MiB; hotplug ports get at least 2 MiB mem and 64 MiB
 *    pref; empty ports are closed (size 0). Bridge I/O windows are closed.
 *    Then addresses are given from the root down: the root bus items
 *    (root port windows, integrated endpoint BARs) are packed from the
 *    low end of the root complex's mmio32 (mem) and mmio64 (pref)
 *    windows, then each bridge's children from the low end of its own
 *    windows; packing is largest alignment first, ties in function
 *    order, so every BAR is naturally aligned and every window nests in
 *    its parent's. Not fitting is an error at the root complex's
 *    mmio32/mmio64: "needs 96 MiB, window is 64 MiB".
 *
 * 5. Interrupts (irq.c)
 *    x86 (GSI = IOAPIC pin, ISA IRQ n = GSI n):
 *      ACPI SCI: GSI 9, level, active high ("acpi", "sci").
 *      serial: I/O port as given, else the first free of 0x3f8, 0x2f8,
 *        0x3e8, 0x2e8; IRQ as given, else 4 for 0x3f8/0x3e8 and 3 for
 *        0x2f8/0x2e8; edge, high. An IRQ on the SCI or the INTx range is
 *        an error.
 *      PCI INTx: pin p (0 = INTA) of root complex i is GSI
 *        16 + (4 * i + p) mod (pins - 16), level, active low. An endpoint
 *        uses rc.intx_gsi[(pin - 1 + sum of the device numbers from the
 *        endpoint up to and including its root bus function) mod 4]: the
 *        usual bridge swizzle plus the root bus rotation (slot + pin)
 *        that _PRT / interrupt-map must describe.
 *      virtio-mmio, in device order: the first free of 5, 6, 7, 10, 11,
 *        12, 14, 15, then from 16 + min(4 * root complexes, pins - 16)
 *        up; edge, high.
 *    arm64 (INTIDs; SPI n is INTID 32 + n):
 *      timer PPIs 26 (hyp), 27 (virt), 29 (secure phys), 30 (non-secure
 *        phys), level high ("timer");
 *      serial: the SPI given as irq; else the first one gets SPI 1
 *        (INTID 33); level high;
 *      PCI INTx of root complex 0: SPIs 3-6 (INTIDs 35-38; when taken,
 *        the first 4 free from SPI 16), level high;
 *      then in device order virtio-mmio devices (edge rising) and further
 *        serials get the first free SPI from 16 (INTID 48) up, then each
 *        further root complex 4 consecutive free SPIs.
 *      A GICv2m frame's MSIs get the top SPIs below nr_irqs (64, or half
 *        of all SPIs when there are fewer than 128), reserved before the
 *        dynamic allocation (gic_v2m_spi_base/count; not in irqs[]).
 *      Every INTID must be below the GIC's nr_irqs.
 *    irqs[] is sorted by number (ties in the order above).
 *
 * 6. devices[] has one entry per config device, in config order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/resolve_internal.h"

static const char *const region_kind_names[LR_KIND_COUNT] = {
	[LR_RAM] = "ram",
	[LR_RESERVED] = "reserved",
	[LR_FIRMWARE] = "firmware",
	[LR_MMIO] = "mmio",
	[LR_ECAM] = "ecam",
	[LR_PCI_MMIO32] = "pci-mmio32",
	[LR_PCI_MMIO64] = "pci-mmio64",
	[LR_PCI_IO] = "pci-io",
	[LR_LAPIC] = "lapic",
	[LR_IOAPIC] = "ioapic",
	[LR_BIOS] = "bios",
	[LR_GIC_DIST] = "gic-dist",
	[LR_GIC_REDIST] = "gic-redist",
	[LR_GIC_ITS] = "gic-its",
	[LR_GIC_CPUIF] = "gic-cpuif",
	[LR_GIC_V2M] = "gic-v2m",
	[LR_UART] = "uart",
	[LR_VIRTIO_MMIO] = "virtio-mmio",
};

static const char *const fn_kind_names[] = {
	[PCI_HOST_BRIDGE] = "host-bridge",
	[PCI_ROOT_PORT] = "root-port",
	[PCI_SWITCH_UP] = "switch-upstream",
	[PCI_SWITCH_DOWN] = "switch-downstream",
	[PCI_ENDPOINT] = "endpoint",
};

const char *layout_region_kind_name(enum layout_region_kind k)
{
	if ((unsigned int)k >= ARRAY_SIZE(region_kind_names) ||
	    !region_kind_names[k])
		return "unknown";
	return region_kind_names[k];
}

const char *pci_fn_kind_name(enum pci_fn_kind k)
{
	if ((unsigned int)k >= ARRAY_SIZE(fn_kind_names) || !fn_kind_names[k])
		return "unknown";
	return fn_kind_names[k];
}

void rsv_error(struct rsv *r, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_error(r->dl, r->cfg, path, "%s", msg);
	r->n_errors++;
}

const char *rsv_path(char buf[RSV_PATH_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, RSV_PATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

void *rsv_grow(struct rsv *r, void **arr, size_t *cap, size_t n, size_t elem)
{
	char *p;

	if (n >= *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		p = realloc(*arr, ncap * elem);
		if (!p) {
			r->oom = true;
			return NULL;
		}
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + n * elem;
	memset(p, 0, elem);
	return p;
}

uint32_t rsv_bits(uint64_t n)
{
	uint32_t b = 0;

	while (b < 64 && (UINT64_C(1) << b) < n)
		b++;
	return b;
}

uint64_t rsv_natural_align(uint64_t size, uint64_t min_align)
{
	uint64_t a = size > RSV_ALIGN_MAX ? RSV_ALIGN_MAX : pow2_roundup(size);

	return a < min_align ? min_align : a;
}

int32_t rsv_default_node(const struct rsv *r)
{
	const struct cfg_numa *n = &r->cfg->numa;

	return n->n_nodes ? (int32_t)n->nodes[0].id : 0;
}

int rsv_node_index(const struct rsv *r, int32_t id)
{
	size_t i;

	for (i = 0; i < r->l->n_nodes; i++)
		if ((int64_t)r->l->nodes[i].id == id)
			return (int)i;
	return -1;
}

void layout_free(struct vm_layout *l)
{
	if (!l)
		return;
	free(l->regions);
	free(l->slots);
	free(l->vcpus);
	free(l->nodes);
	free(l->distance);
	free(l->rcs);
	free(l->fns);
	free(l->devices);
	free(l->irqs);
	free(l);
}

static void copy_name(char dst[CFG_NAME_MAX + 1], const char *src)
{
	snprintf(dst, CFG_NAME_MAX + 1, "%s", src ? src : "");
}

static void init_devices(struct rsv *r)
{
	const struct vm_config *cfg = r->cfg;
	struct vm_layout *l = r->l;
	size_t i;

	if (!cfg->n_devices)
		return;
	l->devices = calloc(cfg->n_devices, sizeof(*l->devices));
	if (!l->devices) {
		r->oom = true;
		return;
	}
	l->n_devices = cfg->n_devices;
	for (i = 0; i < cfg->n_devices; i++) {
		struct layout_device *d = &l->devices[i];

		d->index = (uint32_t)i;
		d->type = cfg->devices[i].type;
		d->transport = cfg->devices[i].transport;
		d->console = cfg->devices[i].console;
		d->pci_fn = -1;
	}
}

int layout_resolve(const struct vm_config *cfg, struct vm_layout **out,
		   struct diag_list *dl)
{
	struct rsv r = {
		.cfg = cfg,
		.dl = dl,
	};
	struct vm_layout *l;
	bool map_ok;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	r.l = l;
	l->arch = cfg->arch;
	copy_name(l->name, cfg->name);
	memcpy(l->uuid, cfg->uuid, sizeof(l->uuid));

	/*
	 * Each step reads what the earlier ones fixed; a step that fails
	 * reports and the others still run, so all problems are listed.
	 */
	init_devices(&r);
	if (!r.oom)
		rsv_numa(&r);
	if (!r.oom)
		rsv_memory(&r);
	/* without a RAM map, address errors would only be follow-ups */
	map_ok = !r.n_errors;
	if (!r.oom)
		rsv_vcpus(&r);
	if (!r.oom)
		rsv_irqchip(&r);
	if (!r.oom)
		rsv_pci_build(&r);
	if (!r.oom && map_ok)
		rsv_platform(&r);
	if (!r.oom && map_ok)
		rsv_dynamic(&r);
	if (!r.oom && map_ok)
		rsv_pci_place(&r);
	if (!r.oom)
		rsv_irqs(&r);
	if (!r.oom)
		rsv_check_regions(&r);

	free(r.ranges);
	free(r.rcs);
	free(r.fx);
	if (r.oom) {
		layout_free(l);
		return -ENOMEM;
	}
	if (r.n_errors) {
		layout_free(l);
		return -EINVAL;
	}
	*out = l;
	return 0;
}
