/* arm64 device tree: the resolved layout described for Linux, with libfdt. */

/*
 * DEVICE TREE POLICY
 * ==================
 * Everything guest-visible comes from struct vm_layout; this file only
 * chooses how to describe it. docs/device-tree.md is the reference.
 *
 * Two passes:
 *  1. Sequential-write API (fdt_create ... fdt_finish): the hardware
 *     description, root to leaves, in one walk over the layout. Phandles
 *     are fixed numbers (enum below), so references are written directly.
 *  2. Read-write API (fdt_open_into ... fdt_pack): what a boot loader adds
 *     to a hardware description: /chosen (bootargs, initrd, stdout-path)
 *     and /aliases. The console and alias paths are read back from the
 *     tree of pass 1 (the PL011 nodes found by compatible and reg), so they
 *     always name nodes that exist.
 * Both passes start with a small buffer and restart with a doubled one on
 * -FDT_ERR_NOSPACE, up to l->fw_size: the packed blob must fit the
 * firmware region it is loaded into.
 *
 * Memory: one /memory@ node per run of adjacent RAM and firmware regions
 * on the same NUMA node (the firmware region holding the FDT is RAM), each
 * with numa-node-id. The firmware region itself is a /memreserve/ entry:
 * the kernel keeps out of it but may map it (it reads the FDT there).
 * memory.ranges of type reserved are not RAM to the guest (like e820
 * reserved on x86): they appear only under /reserved-memory, with no-map.
 *
 * NUMA is always described, also for one node: numa-node-id on memory,
 * vCPUs and root complexes with a node, and /distance-map with an entry
 * for every ordered pair of nodes (CPU-less ones included), so asymmetric
 * matrices survive.
 *
 * vCPUs: /cpus/cpu@MPIDR, reg = the MPIDR affinity (2 cells: Aff3 needs
 * the upper one), PSCI enable method. cpu-map: socketS/cluster0/coreC,
 * with threadT nodes under each core when threads > 1 (Linux wants cores
 * inside clusters; a socket is one cluster).
 *
 * Interrupt specifiers are <type number flags>: type 1 (PPI, INTID - 16)
 * or 0 (SPI, INTID - 32); flags from the layout's trigger and polarity
 * (edge rising 1, edge falling 2, level high 4, level low 8), plus on
 * GICv2 the PPI CPU mask in bits 15:8. The GIC node has #address-cells 2,
 * so interrupt-map parent unit addresses are 2 cells.
 *
 * PCIe: one pci-host-ecam-generic node per root complex. ranges: I/O
 * space (0x01000000) at io_cpu_base, the 32-bit window (0x02000000) and
 * the 64-bit prefetchable window (0x43000000), PCI address = CPU address
 * for memory. INTx: the resolver gives a function at root bus device d
 * with (bridge-swizzled) pin p the line intx_gsi[(p - 1 + d) mod 4]. That
 * only depends on d mod 4, so interrupt-map-mask <0x1800 0 0 7> (device
 * number bits 1:0 and the pin) with 16 entries for d = 0..3 is exactly
 * equivalent to 128 entries for every device (tests/unit/test_fdt.c
 * checks all of them). MSIs: msi-map to the ITS, requester ids of the bus
 * range mapped to DeviceIDs from its_devid_base; or msi-parent = the v2m
 * frame; neither without an MSI controller.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "vmmd/fdt.h"

#define FDT_START_SIZE (16 * 1024) /* first buffer; doubled as needed */
#define FDT_CHOSEN_SLACK (4 * 1024) /* pass 2 starts with this much room */
#define FDT_NAME_MAX 64 /* node names: "interrupt-controller@8000000" */
#define FDT_PATH_MAX 256

#define GIC_TYPE_SPI 0
#define GIC_TYPE_PPI 1
#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_MAX_INTID 1020
#define GICV2_MAX_CPUS 8

#define IRQ_TYPE_EDGE_RISING 1
#define IRQ_TYPE_EDGE_FALLING 2
#define IRQ_TYPE_LEVEL_HIGH 4
#define IRQ_TYPE_LEVEL_LOW 8

#define PCI_SPACE_IO 0x01000000u
#define PCI_SPACE_MEM32 0x02000000u
#define PCI_SPACE_MEM64_PREF 0x43000000u
#define PCI_IMAP_DEVS 4 /* the INTx rotation repeats every 4 devices */
#define PCI_IMAP_DEV_MASK 0x1800u /* device number bits 1:0 in phys.hi */
#define PCI_IMAP_PIN_MASK 7u
#define PCI_INTX_PINS 4
#define PCI_IMAP_ENTRY 10 /* 3 addr + pin + phandle + 2 addr + 3 spec */

/* Fixed phandles; vCPU i is FDT_PH_CPU0 + i. */
enum {
	FDT_PH_GIC = 1,
	FDT_PH_MSI, /* ITS or v2m frame */
	FDT_PH_CLK, /* apb-pclk */
	FDT_PH_CPU0,
};

struct fdt_ctx {
	const struct vm_layout *l;
	void *fdt;
	int err; /* first error (negative errno); later calls do nothing */
};

/* libfdt error to errno: -ENOSPC is the "grow the buffer" signal. */
static int fdt_errno(int r)
{
	return r == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

static void ctx_check(struct fdt_ctx *c, int r)
{
	if (r < 0 && !c->err)
		c->err = fdt_errno(r);
}

static void ctx_fail(struct fdt_ctx *c, int err)
{
	if (!c->err)
		c->err = err;
}

static void __printf(2, 3) node_begin(struct fdt_ctx *c, const char *fmt, ...)
{
	char name[FDT_NAME_MAX];
	va_list ap;
	int n;

	if (c->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name)) {
		ctx_fail(c, -EINVAL);
		return;
	}
	ctx_check(c, fdt_begin_node(c->fdt, name));
}

static void node_end(struct fdt_ctx *c)
{
	if (!c->err)
		ctx_check(c, fdt_end_node(c->fdt));
}

static void prop_empty(struct fdt_ctx *c, const char *name)
{
	if (!c->err)
		ctx_check(c, fdt_property(c->fdt, name, NULL, 0));
}

static void prop_u32(struct fdt_ctx *c, const char *name, uint32_t v)
{
	if (!c->err)
		ctx_check(c, fdt_property_u32(c->fdt, name, v));
}

static void prop_str(struct fdt_ctx *c, const char *name, const char *s)
{
	if (!c->err)
		ctx_check(c, fdt_property_string(c->fdt, name, s));
}

/* A string list: @a and, when not NULL, @b ("compatible", "clock-names"). */
static void prop_strs(struct fdt_ctx *c, const char *name, const char *a,
		      const char *b)
{
	char buf[128];
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

	if (c->err)
		return;
	if (la + lb > sizeof(buf)) {
		ctx_fail(c, -EINVAL);
		return;
	}
	memcpy(buf, a, la);
	if (b)
		memcpy(buf + la, b, lb);
	ctx_check(c, fdt_property(c->fdt, name, buf, (int)(la + lb)));
}

/*
 * Reserves a property of @n cells and returns where to write them (big
 * endian, with cpu_to_fdt32()), or NULL after an error.
 */
static fdt32_t *prop_cells(struct fdt_ctx *c, const char *name, size_t n)
{
	void *p = NULL;

	if (c->err)
		return NULL;
	if (n > INT_MAX / sizeof(fdt32_t)) {
		ctx_fail(c, -E2BIG);
		return NULL;
	}
	ctx_check(c, fdt_property_placeholder(c->fdt, name,
					      (int)(n * sizeof(fdt32_t)), &p));
	return c->err ? NULL : p;
}

static void cells_u64(fdt32_t *p, uint64_t v)
{
	p[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	p[1] = cpu_to_fdt32((uint32_t)v);
}

/* reg = <addr size> with 2 address and 2 size cells. */
static void prop_reg(struct fdt_ctx *c, uint64_t addr, uint64_t size)
{
	fdt32_t *p = prop_cells(c, "reg", 4);

	if (!p)
		return;
	cells_u64(p, addr);
	cells_u64(p + 2, size);
}

static const struct layout_irq *irq_find(const struct vm_layout *l,
					 uint32_t intid)
{
	size_t i;

	for (i = 0; i < l->n_irqs; i++)
		if (l->irqs[i].gsi == intid)
			return &l->irqs[i];
	return NULL;
}

static const struct layout_irq *
irq_find_what(const struct vm_layout *l, const char *owner, const char *what)
{
	size_t i;

	for (i = 0; i < l->n_irqs; i++)
		if (!strcmp(l->irqs[i].owner, owner) &&
		    !strcmp(l->irqs[i].what, what))
			return &l->irqs[i];
	return NULL;
}

/* The 3 cells that describe INTID @intid to the GIC; false on error. */
static bool irq_spec(struct fdt_ctx *c, uint32_t intid, fdt32_t *out)
{
	const struct layout_irq *q = irq_find(c->l, intid);
	uint32_t type, flags;

	if (!q || intid < GIC_PPI_BASE || intid >= GIC_MAX_INTID) {
		ctx_fail(c, -EINVAL);
		return false;
	}
	if (q->trigger == TRIGGER_LEVEL)
		flags = q->polarity == POLARITY_LOW ? IRQ_TYPE_LEVEL_LOW :
						      IRQ_TYPE_LEVEL_HIGH;
	else
		flags = q->polarity == POLARITY_LOW ? IRQ_TYPE_EDGE_FALLING :
						      IRQ_TYPE_EDGE_RISING;
	if (intid < GIC_SPI_BASE) {
		type = GIC_TYPE_PPI;
		intid -= GIC_PPI_BASE;
		/* GICv2: which CPUs the PPI is wired to, bits 15:8 */
		if (c->l->gic_version == 2 && c->l->n_vcpus <= GICV2_MAX_CPUS)
			flags |= ((1u << c->l->n_vcpus) - 1) << 8;
	} else {
		type = GIC_TYPE_SPI;
		intid -= GIC_SPI_BASE;
	}
	out[0] = cpu_to_fdt32(type);
	out[1] = cpu_to_fdt32(intid);
	out[2] = cpu_to_fdt32(flags);
	return true;
}

static void prop_interrupt(struct fdt_ctx *c, uint32_t intid)
{
	fdt32_t spec[3];

	if (c->err || !irq_spec(c, intid, spec))
		return;
	ctx_check(c, fdt_property(c->fdt, "interrupts", spec, sizeof(spec)));
}

static bool region_is_ram(const struct layout_region *r)
{
	return r->kind == LR_RAM || r->kind == LR_FIRMWARE;
}

static void add_memory(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	size_t i = 0;

	while (i < l->n_regions) {
		const struct layout_region *r = &l->regions[i];
		uint64_t end = r->gpa + r->size;

		i++;
		if (!region_is_ram(r))
			continue;
		/* merge the adjacent RAM of the same node */
		while (i < l->n_regions && region_is_ram(&l->regions[i]) &&
		       l->regions[i].gpa == end &&
		       l->regions[i].node == r->node) {
			end += l->regions[i].size;
			i++;
		}
		node_begin(c, "memory@%" PRIx64, r->gpa);
		prop_str(c, "device_type", "memory");
		prop_reg(c, r->gpa, end - r->gpa);
		if (r->node >= 0)
			prop_u32(c, "numa-node-id", (uint32_t)r->node);
		node_end(c);
	}
}

static void add_reserved_memory(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	bool open = false;
	size_t i;

	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];

		if (r->kind != LR_RESERVED)
			continue;
		if (!open) {
			node_begin(c, "reserved-memory");
			prop_u32(c, "#address-cells", 2);
			prop_u32(c, "#size-cells", 2);
			prop_empty(c, "ranges");
			open = true;
		}
		node_begin(c, "reserved@%" PRIx64, r->gpa);
		prop_reg(c, r->gpa, r->size);
		prop_empty(c, "no-map");
		node_end(c);
	}
	if (open)
		node_end(c);
}

static void add_cpu_ref(struct fdt_ctx *c, size_t s, size_t k, size_t t)
{
	const struct vm_layout *l = c->l;
	size_t i = (s * l->cores + k) * l->threads + t;

	if (c->err)
		return;
	if (i >= l->n_vcpus || l->vcpus[i].socket != s ||
	    l->vcpus[i].core != k || l->vcpus[i].thread != t) {
		ctx_fail(c, -EINVAL);
		return;
	}
	prop_u32(c, "cpu", FDT_PH_CPU0 + (uint32_t)i);
}

static void add_cpu_map(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	size_t s, k, t;

	if ((uint64_t)l->sockets * l->cores * l->threads != l->n_vcpus) {
		ctx_fail(c, -EINVAL);
		return;
	}
	node_begin(c, "cpu-map");
	for (s = 0; s < l->sockets && !c->err; s++) {
		node_begin(c, "socket%zu", s);
		node_begin(c, "cluster0");
		for (k = 0; k < l->cores && !c->err; k++) {
			node_begin(c, "core%zu", k);
			if (l->threads == 1)
				add_cpu_ref(c, s, k, 0);
			for (t = 0; t < l->threads && l->threads > 1; t++) {
				node_begin(c, "thread%zu", t);
				add_cpu_ref(c, s, k, t);
				node_end(c);
			}
			node_end(c);
		}
		node_end(c);
		node_end(c);
	}
	node_end(c);
}

static void add_cpus(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	size_t i;

	node_begin(c, "cpus");
	prop_u32(c, "#address-cells", 2);
	prop_u32(c, "#size-cells", 0);
	for (i = 0; i < l->n_vcpus && !c->err; i++) {
		const struct layout_vcpu *v = &l->vcpus[i];
		fdt32_t *p;

		node_begin(c, "cpu@%" PRIx64, v->mpidr);
		prop_str(c, "device_type", "cpu");
		prop_str(c, "compatible", "arm,arm-v8");
		p = prop_cells(c, "reg", 2);
		if (p)
			cells_u64(p, v->mpidr);
		prop_str(c, "enable-method", "psci");
		prop_u32(c, "numa-node-id", v->node);
		prop_u32(c, "phandle", FDT_PH_CPU0 + (uint32_t)i);
		node_end(c);
	}
	add_cpu_map(c);
	node_end(c);
}

static void add_distance_map(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	size_t n = l->n_nodes, i, j;
	fdt32_t *p;

	if (!n || !l->distance) {
		ctx_fail(c, -EINVAL);
		return;
	}
	node_begin(c, "distance-map");
	prop_str(c, "compatible", "numa-distance-map-v1");
	p = prop_cells(c, "distance-matrix", 3 * n * n);
	for (i = 0; p && i < n; i++) {
		for (j = 0; j < n; j++) {
			*p++ = cpu_to_fdt32(l->nodes[i].id);
			*p++ = cpu_to_fdt32(l->nodes[j].id);
			*p++ = cpu_to_fdt32(l->distance[i * n + j]);
		}
	}
	node_end(c);
}

static void add_gic(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	fdt32_t *p;

	if (l->gic_version != 2 && l->gic_version != 3) {
		ctx_fail(c, -EINVAL);
		return;
	}
	node_begin(c, "interrupt-controller@%" PRIx64, l->gic_dist);
	prop_strs(c, "compatible",
		  l->gic_version == 3 ? "arm,gic-v3" : "arm,cortex-a15-gic",
		  NULL);
	prop_u32(c, "#interrupt-cells", 3);
	prop_empty(c, "interrupt-controller");
	prop_u32(c, "#address-cells", 2);
	prop_u32(c, "#size-cells", 2);
	prop_empty(c, "ranges");
	p = prop_cells(c, "reg", 8);
	if (p) {
		cells_u64(p, l->gic_dist);
		cells_u64(p + 2, LAYOUT_GIC_DIST_SIZE);
		if (l->gic_version == 3) {
			cells_u64(p + 4, l->gic_redist);
			cells_u64(p + 6, l->gic_redist_size);
		} else {
			cells_u64(p + 4, l->gic_cpuif);
			cells_u64(p + 6, LAYOUT_GIC_CPUIF_SIZE);
		}
	}
	if (l->gic_version == 3)
		prop_u32(c, "#redistributor-regions", 1);
	prop_u32(c, "phandle", FDT_PH_GIC);

	if (l->gic_version == 3 && l->gic_its) {
		node_begin(c, "msi-controller@%" PRIx64, l->gic_its);
		prop_str(c, "compatible", "arm,gic-v3-its");
		prop_empty(c, "msi-controller");
		prop_u32(c, "#msi-cells", 1);
		prop_reg(c, l->gic_its, LAYOUT_GIC_ITS_SIZE);
		prop_u32(c, "phandle", FDT_PH_MSI);
		node_end(c);
	} else if (l->gic_version == 2 && l->gic_v2m) {
		node_begin(c, "v2m@%" PRIx64, l->gic_v2m);
		prop_str(c, "compatible", "arm,gic-v2m-frame");
		prop_empty(c, "msi-controller");
		prop_reg(c, l->gic_v2m, LAYOUT_GIC_V2M_SIZE);
		/*
		 * The binding lets these override MSI_TYPER: the SPIs the
		 * resolver reserved are then stated, not left to the model.
		 */
		if (l->gic_v2m_spi_count) {
			prop_u32(c, "arm,msi-base-spi", l->gic_v2m_spi_base);
			prop_u32(c, "arm,msi-num-spis", l->gic_v2m_spi_count);
		}
		prop_u32(c, "phandle", FDT_PH_MSI);
		node_end(c);
	}
	node_end(c);
}

static void add_timer(struct fdt_ctx *c)
{
	/* the binding's order: secure, non-secure, virtual, hypervisor */
	static const char *const which[] = {
		"timer-sec",
		"timer-phys",
		"timer-virt",
		"timer-hyp",
	};
	fdt32_t *p;
	size_t i;

	node_begin(c, "timer");
	prop_str(c, "compatible", "arm,armv8-timer");
	p = prop_cells(c, "interrupts", 3 * ARRAY_SIZE(which));
	for (i = 0; p && i < ARRAY_SIZE(which); i++) {
		const struct layout_irq *q =
			irq_find_what(c->l, "timer", which[i]);

		if (!q || q->gsi >= GIC_SPI_BASE) {
			ctx_fail(c, -EINVAL);
			break;
		}
		if (!irq_spec(c, q->gsi, p + 3 * i))
			break;
	}
	prop_empty(c, "always-on");
	node_end(c);
}

static void add_psci(struct fdt_ctx *c)
{
	node_begin(c, "psci");
	prop_strs(c, "compatible", "arm,psci-1.0", "arm,psci-0.2");
	prop_str(c, "method", "hvc");
	node_end(c);
}

static bool dev_is_uart(const struct layout_device *d)
{
	return d->type == DEV_SERIAL && d->mmio_size;
}

static bool dev_is_virtio_mmio(const struct layout_device *d)
{
	return d->type != DEV_SERIAL && d->transport == TRANSPORT_MMIO &&
	       d->pci_fn < 0 && d->mmio_size;
}

static void add_uarts(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	bool clock = false;
	size_t i;

	for (i = 0; i < l->n_devices && !c->err; i++) {
		const struct layout_device *d = &l->devices[i];
		fdt32_t *p;

		if (!dev_is_uart(d))
			continue;
		if (!clock) {
			/* the PL011's UARTCLK and APB clock, as on QEMU virt */
			node_begin(c, "apb-pclk");
			prop_str(c, "compatible", "fixed-clock");
			prop_u32(c, "#clock-cells", 0);
			prop_u32(c, "clock-frequency", FDT_APB_PCLK_HZ);
			prop_str(c, "clock-output-names", "clk24mhz");
			prop_u32(c, "phandle", FDT_PH_CLK);
			node_end(c);
			clock = true;
		}
		node_begin(c, "serial@%" PRIx64, d->mmio_base);
		prop_strs(c, "compatible", "arm,pl011", "arm,primecell");
		prop_reg(c, d->mmio_base, d->mmio_size);
		prop_interrupt(c, d->gsi);
		p = prop_cells(c, "clocks", 2);
		if (p)
			p[0] = p[1] = cpu_to_fdt32(FDT_PH_CLK);
		prop_strs(c, "clock-names", "uartclk", "apb_pclk");
		node_end(c);
	}
}

static void add_virtio_mmio(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	size_t i;

	for (i = 0; i < l->n_devices && !c->err; i++) {
		const struct layout_device *d = &l->devices[i];

		if (!dev_is_virtio_mmio(d))
			continue;
		node_begin(c, "virtio@%" PRIx64, d->mmio_base);
		prop_str(c, "compatible", "virtio,mmio");
		prop_reg(c, d->mmio_base, d->mmio_size);
		prop_interrupt(c, d->gsi);
		prop_empty(c, "dma-coherent");
		node_end(c);
	}
}

/* One ranges entry: PCI space and address, CPU address, size. */
static fdt32_t *range_put(fdt32_t *p, uint32_t space, uint64_t pci,
			  uint64_t cpu, uint64_t size)
{
	p[0] = cpu_to_fdt32(space);
	cells_u64(p + 1, pci);
	cells_u64(p + 3, cpu);
	cells_u64(p + 5, size);
	return p + 7;
}

static void add_pci_ranges(struct fdt_ctx *c, const struct layout_rc *rc)
{
	size_t n = !!rc->io.size + !!rc->mmio32.size + !!rc->mmio64.size;
	fdt32_t *p;

	if (!n) {
		ctx_fail(c, -EINVAL);
		return;
	}
	p = prop_cells(c, "ranges", 7 * n);
	if (!p)
		return;
	if (rc->io.size)
		p = range_put(p, PCI_SPACE_IO, rc->io.base, rc->io_cpu_base,
			      rc->io.size);
	if (rc->mmio32.size)
		p = range_put(p, PCI_SPACE_MEM32, rc->mmio32.base,
			      rc->mmio32.base, rc->mmio32.size);
	if (rc->mmio64.size)
		range_put(p, PCI_SPACE_MEM64_PREF, rc->mmio64.base,
			  rc->mmio64.base, rc->mmio64.size);
}

static void add_pci_intx(struct fdt_ctx *c, const struct layout_rc *rc)
{
	fdt32_t *p;
	uint32_t d, pin;

	p = prop_cells(c, "interrupt-map-mask", 4);
	if (p) {
		p[0] = cpu_to_fdt32(PCI_IMAP_DEV_MASK);
		p[1] = p[2] = cpu_to_fdt32(0);
		p[3] = cpu_to_fdt32(PCI_IMAP_PIN_MASK);
	}
	p = prop_cells(c, "interrupt-map",
		       PCI_IMAP_DEVS * PCI_INTX_PINS * PCI_IMAP_ENTRY);
	for (d = 0; p && d < PCI_IMAP_DEVS; d++) {
		for (pin = 1; pin <= PCI_INTX_PINS; pin++) {
			uint32_t intid =
				rc->intx_gsi[(pin - 1 + d) % PCI_INTX_PINS];

			/* child: phys.hi with the device number, pin */
			p[0] = cpu_to_fdt32(d << 11);
			p[1] = p[2] = cpu_to_fdt32(0);
			p[3] = cpu_to_fdt32(pin);
			/* parent: the GIC, 2 address cells, 3 spec cells */
			p[4] = cpu_to_fdt32(FDT_PH_GIC);
			p[5] = p[6] = cpu_to_fdt32(0);
			if (intid < GIC_SPI_BASE ||
			    !irq_spec(c, intid, p + 7)) {
				ctx_fail(c, -EINVAL);
				return;
			}
			p += PCI_IMAP_ENTRY;
		}
	}
}

static void add_pci(struct fdt_ctx *c)
{
	const struct vm_layout *l = c->l;
	size_t i;

	for (i = 0; i < l->n_rcs && !c->err; i++) {
		const struct layout_rc *rc = &l->rcs[i];
		uint32_t nbus = (uint32_t)rc->bus_end - rc->bus_start + 1;
		fdt32_t *p;

		node_begin(c, "pcie@%" PRIx64, rc->ecam_base);
		prop_str(c, "compatible", "pci-host-ecam-generic");
		prop_str(c, "device_type", "pci");
		prop_reg(c, rc->ecam_base, rc->ecam_size);
		p = prop_cells(c, "bus-range", 2);
		if (p) {
			p[0] = cpu_to_fdt32(rc->bus_start);
			p[1] = cpu_to_fdt32(rc->bus_end);
		}
		prop_u32(c, "linux,pci-domain", rc->segment);
		prop_u32(c, "#address-cells", 3);
		prop_u32(c, "#size-cells", 2);
		prop_u32(c, "#interrupt-cells", 1);
		add_pci_ranges(c, rc);
		add_pci_intx(c, rc);
		if (l->gic_version == 3 && l->gic_its) {
			p = prop_cells(c, "msi-map", 4);
			if (p) {
				p[0] = cpu_to_fdt32((uint32_t)rc->bus_start
						    << 8);
				p[1] = cpu_to_fdt32(FDT_PH_MSI);
				p[2] = cpu_to_fdt32(rc->its_devid_base);
				p[3] = cpu_to_fdt32(nbus << 8);
			}
		} else if (l->gic_version == 2 && l->gic_v2m) {
			prop_u32(c, "msi-parent", FDT_PH_MSI);
		}
		prop_empty(c, "dma-coherent");
		if (rc->node >= 0)
			prop_u32(c, "numa-node-id", (uint32_t)rc->node);
		node_end(c);
	}
}

/* Pass 1: the hardware description, with the sequential-write API. */
static int __must_check build_hw(const struct vm_layout *l, void *buf,
				 int bufsize)
{
	struct fdt_ctx c = { .l = l, .fdt = buf };

	ctx_check(&c, fdt_create(buf, bufsize));
	if (!c.err)
		ctx_check(&c, fdt_add_reservemap_entry(buf, l->fw_base,
						       l->fw_size));
	if (!c.err)
		ctx_check(&c, fdt_finish_reservemap(buf));
	node_begin(&c, "%s", "");
	prop_strs(&c, "compatible", "linux,dummy-virt", NULL);
	prop_str(&c, "model", "vmmd");
	prop_u32(&c, "#address-cells", 2);
	prop_u32(&c, "#size-cells", 2);
	prop_u32(&c, "interrupt-parent", FDT_PH_GIC);
	add_memory(&c);
	add_reserved_memory(&c);
	add_cpus(&c);
	add_distance_map(&c);
	add_gic(&c);
	add_timer(&c);
	add_psci(&c);
	add_uarts(&c);
	add_virtio_mmio(&c);
	add_pci(&c);
	node_end(&c);
	if (!c.err)
		ctx_check(&c, fdt_finish(buf));
	return c.err;
}

/* The PL011 node whose reg starts at @base, or a negative libfdt error. */
static int uart_node(const void *fdt, uint64_t base)
{
	int off = -1, len;

	for (;;) {
		const fdt32_t *reg;

		off = fdt_node_offset_by_compatible(fdt, off, "arm,pl011");
		if (off < 0)
			return off;
		reg = fdt_getprop(fdt, off, "reg", &len);
		if (reg && len >= 8 &&
		    ((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
		     fdt32_to_cpu(reg[1])) == base)
			return off;
	}
}

/* Offset of /NAME, added when missing; a negative libfdt error. */
static int root_child(void *fdt, const char *name)
{
	int off = fdt_subnode_offset(fdt, 0, name);

	if (off == -FDT_ERR_NOTFOUND)
		off = fdt_add_subnode(fdt, 0, name);
	return off;
}

/* Pass 2: /chosen and /aliases, with the read-write API. */
static int __must_check add_chosen(const struct vm_layout *l,
				   const struct vm_config *cfg,
				   const struct fdt_boot *boot, void *fdt)
{
	char path[FDT_PATH_MAX], alias[32];
	unsigned int nserial = 0;
	int off, r;
	size_t i;

	off = root_child(fdt, "chosen");
	if (off < 0)
		return fdt_errno(off);
	if (cfg && cfg->boot.cmdline) {
		r = fdt_setprop_string(fdt, off, "bootargs", cfg->boot.cmdline);
		if (r < 0)
			return fdt_errno(r);
	}
	if (boot && boot->initrd_size) {
		uint64_t end = boot->initrd_start + boot->initrd_size;

		if (end < boot->initrd_start)
			return -EINVAL;
		r = fdt_setprop_u64(fdt, off, "linux,initrd-start",
				    boot->initrd_start);
		if (!r)
			r = fdt_setprop_u64(fdt, off, "linux,initrd-end", end);
		if (r < 0)
			return fdt_errno(r);
	}

	/* serialN in device order; stdout-path to the console */
	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];

		if (!dev_is_uart(d))
			continue;
		off = uart_node(fdt, d->mmio_base);
		if (off >= 0)
			off = fdt_get_path(fdt, off, path, sizeof(path));
		if (off < 0)
			return fdt_errno(off);
		snprintf(alias, sizeof(alias), "serial%u", nserial++);
		off = root_child(fdt, "aliases");
		if (off >= 0)
			off = fdt_setprop_string(fdt, off, alias, path);
		if (off >= 0 && d->console) {
			off = fdt_path_offset(fdt, "/chosen");
			if (off >= 0)
				off = fdt_setprop_string(fdt, off,
							 "stdout-path", path);
		}
		if (off < 0)
			return fdt_errno(off);
	}
	return 0;
}

/* Next buffer size, or 0 when @size already reached @cap. */
static int grow(int size, int cap)
{
	if (size >= cap)
		return 0;
	return size > cap / 2 ? cap : size * 2;
}

int fdt_build(const struct vm_layout *l, const struct vm_config *cfg,
	      const struct fdt_boot *boot, void **blob, size_t *size)
{
	void *hw = NULL, *out = NULL, *shrunk;
	int cap, n, err;

	if (!l || !blob || !size || l->arch != ARCH_AARCH64 || !l->fw_size)
		return -EINVAL;
	*blob = NULL;
	*size = 0;
	cap = l->fw_size > INT_MAX ? INT_MAX : (int)l->fw_size;

	for (n = cap < FDT_START_SIZE ? cap : FDT_START_SIZE;;
	     n = grow(n, cap)) {
		if (!n) {
			err = -E2BIG;
			goto free_hw;
		}
		free(hw);
		hw = malloc((size_t)n);
		if (!hw)
			return -ENOMEM;
		err = build_hw(l, hw, n);
		if (err != -ENOSPC)
			break;
	}
	if (err)
		goto free_hw;

	/* room for /chosen and /aliases; grown when that is not enough */
	n = (int)fdt_totalsize(hw); /* <= cap: pass 1 fitted */
	for (n = cap - n > FDT_CHOSEN_SLACK ? n + FDT_CHOSEN_SLACK : cap;;
	     n = grow(n, cap)) {
		if (!n) {
			err = -E2BIG;
			goto free_out;
		}
		free(out);
		out = malloc((size_t)n);
		if (!out) {
			err = -ENOMEM;
			goto free_hw;
		}
		err = fdt_open_into(hw, out, n);
		err = err < 0 ? fdt_errno(err) : add_chosen(l, cfg, boot, out);
		if (err != -ENOSPC)
			break;
	}
	if (!err)
		err = fdt_pack(out) < 0 ? -EINVAL : 0;
	if (err)
		goto free_out;

	*size = fdt_totalsize(out);
	shrunk = realloc(out, *size);
	*blob = shrunk ? shrunk : out;
	free(hw);
	return 0;

free_out:
	free(out);
free_hw:
	free(hw);
	return err;
}
