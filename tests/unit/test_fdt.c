/*
 * Unit tests of the arm64 device tree builder: every blob is read back with
 * libfdt and each node and property is checked against the layout it was
 * built from; PCI INTx is checked by evaluating interrupt-map the way
 * Linux does, for every device number and pin and for every endpoint.
 */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "vmmd/config.h"
#include "vmmd/fdt.h"
#include "vmmd/layout.h"

#define PATH_BUF 256

/* ---- configs ------------------------------------------------------------ */

/* Like configs/arm64-gicv3.yaml: GICv3 + ITS, 2 sockets on 2 nodes. */
static const char yaml_gicv3[] =
	"name: v3\n"
	"arch: aarch64\n"
	"cpu: { count: 4, topology: { sockets: 2, cores: 2, threads: 1 } }\n"
	"memory: { size: 2G }\n"
	"numa:\n"
	"  nodes:\n"
	"    - { id: 0, cpus: [0, 1], memory: 1G }\n"
	"    - { id: 1, cpus: [2, 3], memory: 1G }\n"
	"interrupts:\n"
	"  gic: { version: 3, distributor: 0x08000000,"
	" redistributors: 0x080a0000, its: 0x08080000, nr_irqs: 256 }\n"
	"devices:\n"
	"  - { type: serial, name: uart0, address: 0x09000000, console: true }\n"
	"  - { type: virtio-blk, name: disk0, path: disk.img }\n"
	"  - { type: virtio-rng, name: rng0, transport: mmio }\n"
	"boot: { kernel: Image, cmdline: \"console=ttyAMA0 earlycon\" }\n";

/* GICv2 with a v2m frame, explicit MPIDRs, two PL011s. */
static const char yaml_gicv2[] =
	"name: v2\n"
	"arch: aarch64\n"
	"cpu:\n"
	"  count: 4\n"
	"  topology: { sockets: 1, cores: 4, threads: 1 }\n"
	"  aarch64: { mpidr: [0x0, 0x1, 0x100, 0x101] }\n"
	"memory: { size: 1G }\n"
	"interrupts:\n"
	"  gic: { version: 2, distributor: 0x08000000,"
	" cpu_interface: 0x08010000, v2m: 0x08020000, nr_irqs: 128 }\n"
	"devices:\n"
	"  - { type: serial, name: uart0 }\n"
	"  - { type: serial, name: uart1, address: 0x09040000, console: true }\n"
	"  - { type: virtio-net, name: net0, tap: tap1, transport: mmio }\n"
	"  - { type: virtio-rng, name: rng0 }\n"
	"boot: { kernel: Image }\n";

/* SMT: 2 sockets x 2 cores x 2 threads. */
static const char yaml_smt[] =
	"name: smt\n"
	"arch: aarch64\n"
	"cpu: { count: 8, topology: { sockets: 2, cores: 2, threads: 2 } }\n"
	"memory:\n"
	"  ranges:\n"
	"    - { gpa: 0x40000000, size: 1G, node: 0 }\n"
	"    - { gpa: 0x80000000, size: 1G, node: 1 }\n"
	"numa:\n"
	"  nodes:\n"
	"    - { cpus: [0, 1, 2, 3], memory: 1G }\n"
	"    - { cpus: [4, 5, 6, 7], memory: 1G }\n"
	"  distances: [[10, 30], [30, 10]]\n"
	"boot: { kernel: Image }\n";

/*
 * Two root complexes (one behind a switch), a CPU-less node with an
 * asymmetric distance matrix, a reserved range, the console on the second
 * PL011, virtio-mmio devices and many INTx endpoints.
 */
static const char yaml_big[] =
	"name: big\n"
	"arch: aarch64\n"
	"cpu: { count: 4, topology: { sockets: 2, cores: 2, threads: 1 } }\n"
	"memory:\n"
	"  ranges:\n"
	"    - { gpa: 0x40000000, size: 512M, node: 0 }\n"
	"    - { gpa: 0x60000000, size: 512M, node: 1 }\n"
	"    - { gpa: 0x80000000, size: 16M, type: reserved }\n"
	"    - { gpa: 0x100000000, size: 256M, node: 2 }\n"
	"numa:\n"
	"  nodes:\n"
	"    - { cpus: [0, 1] }\n"
	"    - { cpus: [2, 3] }\n"
	"    - { cpus: [] }\n"
	"  distances: [[10, 21, 31], [22, 10, 21], [32, 23, 10]]\n"
	"interrupts: { gic: { version: 3, its: 0x08080000 } }\n"
	"pcie:\n"
	"  root_complexes:\n"
	"    - name: rca\n"
	"      buses: [0, 127]\n"
	"      node: 0\n"
	"      ports: [ { name: p0, devfn: 0x10 }, { name: p1, devfn: 0x18 },"
	" { name: p2 } ]\n"
	"    - name: rcb\n"
	"      segment: 3\n"
	"      buses: [128, 255]\n"
	"      ecam: 0x30000000\n"
	"      mmio32: { size: 32M }\n"
	"      mmio64: { size: 8G }\n"
	"      node: 2\n"
	"      ports: [ { name: q0, devfn: 0x28 },"
	" { name: q1, devfn: 0x30, hotplug: true } ]\n"
	"  switches:\n"
	"    - { name: sw0, parent_port: p1, ports: [ { name: s0 },"
	" { name: s1, devfn: 0x18 }, { name: s2 } ] }\n"
	"devices:\n"
	"  - { type: serial, name: uart0 }\n"
	"  - { type: serial, name: uart1, console: true }\n"
	"  - { type: virtio-blk, name: d0, path: a.img, port: p0 }\n"
	"  - { type: virtio-blk, name: d1, path: b.img, port: s0 }\n"
	"  - { type: virtio-net, name: n0, tap: t0, port: s1 }\n"
	"  - { type: virtio-rng, name: r0, port: s2 }\n"
	"  - { type: virtio-console, name: c0, port: q0 }\n"
	"  - { type: virtio-rng, name: r1 }\n"
	"  - { type: virtio-blk, name: d2, path: c.img }\n"
	"  - { type: virtio-rng, name: m0, transport: mmio }\n"
	"  - { type: virtio-console, name: m1, transport: mmio }\n"
	"  - { type: shared-memory, name: shm, size: 1M, port: p2 }\n"
	"boot: { kernel: Image, cmdline: \"console=ttyAMA1\" }\n";

/* ---- helpers ------------------------------------------------------------ */

struct built {
	struct vm_config *cfg;
	struct vm_layout *l;
	void *fdt;
	size_t size;
};

static void resolve(const char *name, const char *yaml, size_t len,
		    struct built *b)
{
	struct diag_list dl = { 0 };
	int rc;

	memset(b, 0, sizeof(*b));
	rc = cfg_load_buffer(name, yaml, len, &b->cfg, &dl);
	if (!rc)
		rc = cfg_validate(b->cfg, &dl);
	if (!rc)
		rc = layout_resolve(b->cfg, &b->l, &dl);
	if (rc) {
		diag_print(&dl, stderr);
		fail_msg("%s does not resolve: %d", name, rc);
	}
	diag_list_free(&dl);
}

static void build(const char *yaml, const struct fdt_boot *boot,
		  struct built *b)
{
	resolve("test.yaml", yaml, strlen(yaml), b);
	assert_int_equal(fdt_build(b->l, b->cfg, boot, &b->fdt, &b->size), 0);
	assert_non_null(b->fdt);
	assert_int_equal(fdt_check_header(b->fdt), 0);
	assert_int_equal(fdt_totalsize(b->fdt), b->size);
	assert_true(b->size <= b->l->fw_size);
}

static void built_free(struct built *b)
{
	free(b->fdt);
	layout_free(b->l);
	cfg_free(b->cfg);
}

static int node_at(const void *fdt, const char *fmt, ...) __printf(2, 3);

static int node_at(const void *fdt, const char *fmt, ...)
{
	char path[PATH_BUF];
	va_list ap;
	int off;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	off = fdt_path_offset(fdt, path);
	if (off < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(off));
	return off;
}

static bool node_exists(const void *fdt, const char *path)
{
	return fdt_path_offset(fdt, path) >= 0;
}

static const fdt32_t *cells(const void *fdt, int off, const char *name,
			    size_t *n)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, off, name, &len);

	if (!p)
		fail_msg("no property %s", name);
	assert_int_equal(len % 4, 0);
	*n = (size_t)len / 4;
	return p;
}

static uint32_t cell_at(const fdt32_t *p, size_t i)
{
	return fdt32_to_cpu(p[i]);
}

static uint64_t u64_at(const fdt32_t *p, size_t i)
{
	return (uint64_t)fdt32_to_cpu(p[i]) << 32 | fdt32_to_cpu(p[i + 1]);
}

static uint32_t get_u32(const void *fdt, int off, const char *name)
{
	size_t n;
	const fdt32_t *p = cells(fdt, off, name, &n);

	assert_int_equal(n, 1);
	return cell_at(p, 0);
}

static void assert_empty_prop(const void *fdt, int off, const char *name)
{
	int len = -1;

	if (!fdt_getprop(fdt, off, name, &len))
		fail_msg("no property %s", name);
	assert_int_equal(len, 0);
}

/* A string or string-list property equals @want (@len with the NULs). */
static void assert_strs(const void *fdt, int off, const char *name,
			const char *want, size_t len)
{
	int got_len;
	const char *got = fdt_getprop(fdt, off, name, &got_len);

	if (!got)
		fail_msg("no property %s", name);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, want, len);
}

#define ASSERT_STRS(fdt, off, name, lit) \
	assert_strs(fdt, off, name, lit, sizeof(lit))

static void assert_reg(const void *fdt, int off, uint64_t addr, uint64_t size)
{
	size_t n;
	const fdt32_t *p = cells(fdt, off, "reg", &n);

	assert_int_equal(n, 4);
	assert_int_equal(u64_at(p, 0), addr);
	assert_int_equal(u64_at(p, 2), size);
}

static const struct layout_irq *irq_of(const struct vm_layout *l,
				       uint32_t intid)
{
	size_t i;

	for (i = 0; i < l->n_irqs; i++)
		if (l->irqs[i].gsi == intid)
			return &l->irqs[i];
	fail_msg("INTID %" PRIu32 " not in the layout", intid);
	return NULL;
}

static uint32_t flags_of(const struct layout_irq *q)
{
	if (q->trigger == TRIGGER_EDGE)
		return q->polarity == POLARITY_LOW ? 2 : 1;
	return q->polarity == POLARITY_LOW ? 8 : 4;
}

/* A 3-cell GIC specifier describes SPI @intid with the layout's flags. */
static void assert_spi(const struct vm_layout *l, const fdt32_t *p,
		       uint32_t intid)
{
	assert_true(intid >= 32);
	assert_int_equal(cell_at(p, 0), 0);
	assert_int_equal(cell_at(p, 1), intid - 32);
	assert_int_equal(cell_at(p, 2), flags_of(irq_of(l, intid)));
}

static int gic_node(const void *fdt, const struct vm_layout *l)
{
	return node_at(fdt, "/interrupt-controller@%" PRIx64, l->gic_dist);
}

/* ---- the generic checker ------------------------------------------------ */

static void check_root(const void *fdt, const struct vm_layout *l)
{
	int gic = gic_node(fdt, l);
	uint64_t a, s;

	ASSERT_STRS(fdt, 0, "compatible", "linux,dummy-virt");
	ASSERT_STRS(fdt, 0, "model", "vmmd");
	assert_int_equal(get_u32(fdt, 0, "#address-cells"), 2);
	assert_int_equal(get_u32(fdt, 0, "#size-cells"), 2);
	assert_int_equal(fdt_node_offset_by_phandle(
				 fdt, get_u32(fdt, 0, "interrupt-parent")),
			 gic);
	/* the FDT region is the one /memreserve/ entry */
	assert_int_equal(fdt_num_mem_rsv(fdt), 1);
	assert_int_equal(fdt_get_mem_rsv(fdt, 0, &a, &s), 0);
	assert_int_equal(a, l->fw_base);
	assert_int_equal(s, l->fw_size);
}

static bool kind_is_ram(enum layout_region_kind k)
{
	return k == LR_RAM || k == LR_FIRMWARE;
}

static void check_memory(const void *fdt, const struct vm_layout *l)
{
	uint64_t total = 0, per_node[CFG_MAX_NUMA_NODES] = { 0 };
	size_t i, n_mem = 0, n_expect = 0;
	int off;

	/* every /memory node is a run of the layout's RAM on one node */
	for (off = fdt_first_subnode(fdt, 0); off >= 0;
	     off = fdt_next_subnode(fdt, off)) {
		const char *type = fdt_getprop(fdt, off, "device_type", NULL);
		char want[64];
		size_t n;
		const fdt32_t *reg;
		uint64_t base, size, at;
		uint32_t node;

		if (!type || strcmp(type, "memory"))
			continue;
		n_mem++;
		reg = cells(fdt, off, "reg", &n);
		assert_int_equal(n, 4);
		base = u64_at(reg, 0);
		size = u64_at(reg, 2);
		snprintf(want, sizeof(want), "memory@%" PRIx64, base);
		assert_string_equal(fdt_get_name(fdt, off, NULL), want);
		node = get_u32(fdt, off, "numa-node-id");
		assert_true(node < CFG_MAX_NUMA_NODES);
		for (at = base, i = 0; i < l->n_regions && at < base + size;
		     i++) {
			const struct layout_region *r = &l->regions[i];

			if (r->gpa != at)
				continue;
			assert_true(kind_is_ram(r->kind));
			assert_int_equal(r->node, node);
			at += r->size;
		}
		assert_int_equal(at, base + size);
		total += size;
		per_node[node] += size;
	}
	assert_int_equal(total, l->ram_bytes);
	for (i = 0; i < l->n_nodes; i++)
		assert_int_equal(per_node[l->nodes[i].id], l->nodes[i].memory);
	/* maximal runs: a new node starts where the node or a gap changes */
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		const struct layout_region *p = i ? &l->regions[i - 1] : NULL;

		if (kind_is_ram(r->kind) &&
		    !(p && kind_is_ram(p->kind) && p->gpa + p->size == r->gpa &&
		      p->node == r->node))
			n_expect++;
	}
	assert_int_equal(n_mem, n_expect);
}

static void check_reserved(const void *fdt, const struct vm_layout *l)
{
	size_t i, n = 0;
	int off, rm = fdt_path_offset(fdt, "/reserved-memory");

	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];

		if (r->kind != LR_RESERVED)
			continue;
		off = node_at(fdt, "/reserved-memory/reserved@%" PRIx64,
			      r->gpa);
		assert_reg(fdt, off, r->gpa, r->size);
		assert_empty_prop(fdt, off, "no-map");
		n++;
	}
	if (!n) {
		assert_true(rm < 0);
		return;
	}
	assert_int_equal(get_u32(fdt, rm, "#address-cells"), 2);
	assert_int_equal(get_u32(fdt, rm, "#size-cells"), 2);
	assert_empty_prop(fdt, rm, "ranges");
	for (off = fdt_first_subnode(fdt, rm); off >= 0;
	     off = fdt_next_subnode(fdt, off))
		n--;
	assert_int_equal(n, 0);
}

static void check_cpus(const void *fdt, const struct vm_layout *l)
{
	int cpus = node_at(fdt, "/cpus"), off;
	size_t i, n = 0, s, c, t;

	assert_int_equal(get_u32(fdt, cpus, "#address-cells"), 2);
	assert_int_equal(get_u32(fdt, cpus, "#size-cells"), 0);
	for (i = 0; i < l->n_vcpus; i++) {
		const struct layout_vcpu *v = &l->vcpus[i];
		const fdt32_t *reg;
		size_t nc;

		off = node_at(fdt, "/cpus/cpu@%" PRIx64, v->mpidr);
		ASSERT_STRS(fdt, off, "device_type", "cpu");
		ASSERT_STRS(fdt, off, "compatible", "arm,arm-v8");
		ASSERT_STRS(fdt, off, "enable-method", "psci");
		reg = cells(fdt, off, "reg", &nc);
		assert_int_equal(nc, 2);
		assert_int_equal(u64_at(reg, 0), v->mpidr);
		assert_int_equal(get_u32(fdt, off, "numa-node-id"), v->node);
	}
	for (off = fdt_first_subnode(fdt, cpus); off >= 0;
	     off = fdt_next_subnode(fdt, off))
		if (!strncmp(fdt_get_name(fdt, off, NULL), "cpu@", 4))
			n++;
	assert_int_equal(n, l->n_vcpus);

	/* cpu-map: socketS/cluster0/coreC[/threadT] -> that vCPU */
	for (s = 0; s < l->sockets; s++) {
		for (c = 0; c < l->cores; c++) {
			for (t = 0; t < l->threads; t++) {
				char path[PATH_BUF];
				const struct layout_vcpu *v = NULL;
				size_t k, nc;
				const fdt32_t *reg;
				int cpu;

				if (l->threads > 1)
					snprintf(
						path, sizeof(path),
						"/cpus/cpu-map/socket%zu/cluster0/core%zu/thread%zu",
						s, c, t);
				else
					snprintf(
						path, sizeof(path),
						"/cpus/cpu-map/socket%zu/cluster0/core%zu",
						s, c);
				off = node_at(fdt, "%s", path);
				cpu = fdt_node_offset_by_phandle(
					fdt, get_u32(fdt, off, "cpu"));
				assert_true(cpu >= 0);
				reg = cells(fdt, cpu, "reg", &nc);
				for (k = 0; k < l->n_vcpus; k++)
					if (l->vcpus[k].socket == s &&
					    l->vcpus[k].core == c &&
					    l->vcpus[k].thread == t)
						v = &l->vcpus[k];
				assert_non_null(v);
				assert_int_equal(u64_at(reg, 0), v->mpidr);
			}
			if (l->threads == 1)
				assert_false(node_exists(
					fdt,
					"/cpus/cpu-map/socket0/cluster0/core0/thread0"));
		}
	}
	/* nothing beyond the topology */
	{
		char path[PATH_BUF];

		snprintf(path, sizeof(path), "/cpus/cpu-map/socket%u",
			 l->sockets);
		assert_false(node_exists(fdt, path));
		snprintf(path, sizeof(path),
			 "/cpus/cpu-map/socket0/cluster0/core%u", l->cores);
		assert_false(node_exists(fdt, path));
		assert_false(
			node_exists(fdt, "/cpus/cpu-map/socket0/cluster1"));
	}
}

static void check_distance_map(const void *fdt, const struct vm_layout *l)
{
	int off = node_at(fdt, "/distance-map");
	size_t n, i, j, k = 0;
	const fdt32_t *m;

	ASSERT_STRS(fdt, off, "compatible", "numa-distance-map-v1");
	m = cells(fdt, off, "distance-matrix", &n);
	assert_int_equal(n, 3 * l->n_nodes * l->n_nodes);
	for (i = 0; i < l->n_nodes; i++) {
		for (j = 0; j < l->n_nodes; j++, k += 3) {
			assert_int_equal(cell_at(m, k), l->nodes[i].id);
			assert_int_equal(cell_at(m, k + 1), l->nodes[j].id);
			assert_int_equal(cell_at(m, k + 2),
					 l->distance[i * l->n_nodes + j]);
		}
	}
}

static void check_gic(const void *fdt, const struct vm_layout *l)
{
	int gic = gic_node(fdt, l), msi, nkids = 0, off;
	size_t n;
	const fdt32_t *reg;

	assert_int_equal(get_u32(fdt, gic, "#interrupt-cells"), 3);
	assert_empty_prop(fdt, gic, "interrupt-controller");
	assert_int_equal(get_u32(fdt, gic, "#address-cells"), 2);
	assert_int_equal(get_u32(fdt, gic, "#size-cells"), 2);
	assert_empty_prop(fdt, gic, "ranges");
	reg = cells(fdt, gic, "reg", &n);
	assert_int_equal(n, 8);
	assert_int_equal(u64_at(reg, 0), l->gic_dist);
	assert_int_equal(u64_at(reg, 2), LAYOUT_GIC_DIST_SIZE);
	if (l->gic_version == 3) {
		ASSERT_STRS(fdt, gic, "compatible", "arm,gic-v3");
		assert_int_equal(u64_at(reg, 4), l->gic_redist);
		assert_int_equal(u64_at(reg, 6),
				 LAYOUT_GIC_REDIST_SIZE * l->n_vcpus);
		assert_int_equal(u64_at(reg, 6), l->gic_redist_size);
		assert_int_equal(get_u32(fdt, gic, "#redistributor-regions"),
				 1);
	} else {
		ASSERT_STRS(fdt, gic, "compatible", "arm,cortex-a15-gic");
		assert_int_equal(u64_at(reg, 4), l->gic_cpuif);
		assert_int_equal(u64_at(reg, 6), LAYOUT_GIC_CPUIF_SIZE);
	}
	for (off = fdt_first_subnode(fdt, gic); off >= 0;
	     off = fdt_next_subnode(fdt, off))
		nkids++;
	if (l->gic_its) {
		msi = node_at(fdt,
			      "/interrupt-controller@%" PRIx64
			      "/msi-controller@%" PRIx64,
			      l->gic_dist, l->gic_its);
		ASSERT_STRS(fdt, msi, "compatible", "arm,gic-v3-its");
		assert_empty_prop(fdt, msi, "msi-controller");
		assert_int_equal(get_u32(fdt, msi, "#msi-cells"), 1);
		assert_reg(fdt, msi, l->gic_its, LAYOUT_GIC_ITS_SIZE);
		assert_int_equal(nkids, 1);
	} else if (l->gic_v2m) {
		msi = node_at(fdt,
			      "/interrupt-controller@%" PRIx64 "/v2m@%" PRIx64,
			      l->gic_dist, l->gic_v2m);
		ASSERT_STRS(fdt, msi, "compatible", "arm,gic-v2m-frame");
		assert_empty_prop(fdt, msi, "msi-controller");
		assert_reg(fdt, msi, l->gic_v2m, LAYOUT_GIC_V2M_SIZE);
		/* the SPIs the resolver reserved, overriding MSI_TYPER */
		assert_true(l->gic_v2m_spi_count > 0);
		assert_int_equal(get_u32(fdt, msi, "arm,msi-base-spi"),
				 l->gic_v2m_spi_base);
		assert_int_equal(get_u32(fdt, msi, "arm,msi-num-spis"),
				 l->gic_v2m_spi_count);
		assert_int_equal(nkids, 1);
	} else {
		assert_int_equal(nkids, 0);
	}
}

static void check_timer_psci(const void *fdt, const struct vm_layout *l)
{
	/* secure, non-secure, virtual, hypervisor: PPIs 13, 14, 11, 10 */
	static const uint32_t ppi[] = { 13, 14, 11, 10 };
	uint32_t mask = 0;
	int off = node_at(fdt, "/timer");
	size_t n, i;
	const fdt32_t *p;

	if (l->gic_version == 2)
		mask = ((1u << l->n_vcpus) - 1) << 8;
	ASSERT_STRS(fdt, off, "compatible", "arm,armv8-timer");
	assert_empty_prop(fdt, off, "always-on");
	p = cells(fdt, off, "interrupts", &n);
	assert_int_equal(n, 12);
	for (i = 0; i < ARRAY_SIZE(ppi); i++) {
		const struct layout_irq *q = irq_of(l, ppi[i] + 16);

		assert_string_equal(q->owner, "timer");
		assert_int_equal(cell_at(p, 3 * i), 1);
		assert_int_equal(cell_at(p, 3 * i + 1), ppi[i]);
		assert_int_equal(cell_at(p, 3 * i + 2), flags_of(q) | mask);
	}
	off = node_at(fdt, "/psci");
	ASSERT_STRS(fdt, off, "compatible", "arm,psci-1.0\0arm,psci-0.2");
	ASSERT_STRS(fdt, off, "method", "hvc");
}

static void check_devices(const void *fdt, const struct vm_layout *l,
			  const struct vm_config *cfg)
{
	unsigned int nserial = 0;
	bool console = false;
	size_t i;
	int off, chosen = node_at(fdt, "/chosen");

	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];
		char path[PATH_BUF], alias[16];
		const fdt32_t *p;
		size_t n;
		int clk;

		if (d->type == DEV_SERIAL) {
			snprintf(path, sizeof(path), "/serial@%" PRIx64,
				 d->mmio_base);
			off = node_at(fdt, "%s", path);
			ASSERT_STRS(fdt, off, "compatible",
				    "arm,pl011\0arm,primecell");
			assert_reg(fdt, off, d->mmio_base, 4096);
			assert_spi(l, cells(fdt, off, "interrupts", &n),
				   d->gsi);
			assert_int_equal(n, 3);
			ASSERT_STRS(fdt, off, "clock-names",
				    "uartclk\0apb_pclk");
			p = cells(fdt, off, "clocks", &n);
			assert_int_equal(n, 2);
			assert_int_equal(cell_at(p, 0), cell_at(p, 1));
			clk = fdt_node_offset_by_phandle(fdt, cell_at(p, 0));
			assert_true(clk >= 0);
			ASSERT_STRS(fdt, clk, "compatible", "fixed-clock");
			assert_int_equal(get_u32(fdt, clk, "#clock-cells"), 0);
			assert_int_equal(get_u32(fdt, clk, "clock-frequency"),
					 FDT_APB_PCLK_HZ);
			snprintf(alias, sizeof(alias), "serial%u", nserial++);
			assert_string_equal(fdt_get_alias(fdt, alias) ?
						    fdt_get_alias(fdt, alias) :
						    "",
					    path);
			if (d->console) {
				assert_string_equal(fdt_getprop(fdt, chosen,
								"stdout-path",
								NULL),
						    path);
				console = true;
			}
		} else if (d->transport == TRANSPORT_MMIO) {
			off = node_at(fdt, "/virtio@%" PRIx64, d->mmio_base);
			ASSERT_STRS(fdt, off, "compatible", "virtio,mmio");
			assert_reg(fdt, off, d->mmio_base, 4096);
			p = cells(fdt, off, "interrupts", &n);
			assert_int_equal(n, 3);
			assert_spi(l, p, d->gsi);
			assert_int_equal(cell_at(p, 2), 1); /* edge rising */
			assert_empty_prop(fdt, off, "dma-coherent");
		}
	}
	{
		char alias[16];

		/* no alias beyond the serial devices */
		snprintf(alias, sizeof(alias), "serial%u", nserial);
		assert_null(fdt_get_alias(fdt, alias));
	}
	if (!console)
		assert_null(fdt_getprop(fdt, chosen, "stdout-path", NULL));
	if (cfg && cfg->boot.cmdline)
		assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL),
				    cfg->boot.cmdline);
	else
		assert_null(fdt_getprop(fdt, chosen, "bootargs", NULL));
}

/*
 * Evaluates the host bridge's interrupt-map for (device @dev, pin @pin)
 * the way Linux's of_irq_parse_raw() does: mask the child unit address
 * and pin with interrupt-map-mask, take the first entry that matches,
 * with the parent's #address-cells and #interrupt-cells for its length.
 * Returns the parent specifier (3 cells) or fails.
 */
static const fdt32_t *imap_eval(const void *fdt, int pci, uint32_t bus,
				uint32_t dev, uint32_t pin)
{
	uint32_t child[4] = { bus << 16 | dev << 11, 0, 0, pin };
	size_t nmask, nmap, i = 0, k;
	const fdt32_t *mask = cells(fdt, pci, "interrupt-map-mask", &nmask);
	const fdt32_t *map = cells(fdt, pci, "interrupt-map", &nmap);

	assert_int_equal(nmask, 4);
	assert_int_equal(get_u32(fdt, pci, "#address-cells"), 3);
	assert_int_equal(get_u32(fdt, pci, "#interrupt-cells"), 1);
	while (i < nmap) {
		bool match = true;
		int par;
		uint32_t acells, icells;

		assert_true(i + 5 <= nmap);
		for (k = 0; k < 4; k++)
			if ((child[k] ^ cell_at(map, i + k)) & cell_at(mask, k))
				match = false;
		par = fdt_node_offset_by_phandle(fdt, cell_at(map, i + 4));
		assert_true(par >= 0);
		acells = get_u32(fdt, par, "#address-cells");
		icells = get_u32(fdt, par, "#interrupt-cells");
		assert_int_equal(icells, 3);
		assert_true(i + 5 + acells + icells <= nmap);
		for (k = 0; k < acells; k++)
			assert_int_equal(cell_at(map, i + 5 + k), 0);
		if (match)
			return map + i + 5 + acells;
		i += 5 + acells + icells;
	}
	fail_msg("interrupt-map: no entry for device %u pin %u", dev, pin);
	return NULL;
}

/* Linux's INTx routing of an endpoint: swizzle up to the root bus. */
static void check_endpoint_intx(const void *fdt, const struct vm_layout *l,
				const struct layout_pci_fn *f, int pci)
{
	const struct layout_pci_fn *at = f;
	uint32_t pin = f->int_pin;
	size_t hops = 0;

	while (at->parent >= 0) {
		pin = ((pin - 1 + (at->devfn >> 3)) % 4) + 1;
		at = &l->fns[at->parent];
		assert_true(++hops <= l->n_fns);
	}
	/* @at is the root bus function, @pin what reaches the host bridge */
	assert_spi(l, imap_eval(fdt, pci, at->bus, at->devfn >> 3, pin),
		   f->gsi);
}

static void check_pci(const void *fdt, const struct vm_layout *l)
{
	size_t i, k;

	for (i = 0; i < l->n_rcs; i++) {
		const struct layout_rc *rc = &l->rcs[i];
		uint32_t nbus = (uint32_t)rc->bus_end - rc->bus_start + 1;
		int off = node_at(fdt, "/pcie@%" PRIx64, rc->ecam_base);
		const fdt32_t *p;
		size_t n, e;
		bool io = false, m32 = false, m64 = false;
		uint32_t d, pin;

		ASSERT_STRS(fdt, off, "compatible", "pci-host-ecam-generic");
		ASSERT_STRS(fdt, off, "device_type", "pci");
		assert_reg(fdt, off, rc->ecam_base, (uint64_t)nbus * MiB);
		assert_int_equal(rc->ecam_size, (uint64_t)nbus * MiB);
		p = cells(fdt, off, "bus-range", &n);
		assert_int_equal(n, 2);
		assert_int_equal(cell_at(p, 0), rc->bus_start);
		assert_int_equal(cell_at(p, 1), rc->bus_end);
		assert_int_equal(get_u32(fdt, off, "linux,pci-domain"),
				 rc->segment);
		assert_int_equal(get_u32(fdt, off, "#size-cells"), 2);
		assert_empty_prop(fdt, off, "dma-coherent");
		if (rc->node >= 0)
			assert_int_equal(get_u32(fdt, off, "numa-node-id"),
					 rc->node);
		else
			assert_null(
				fdt_getprop(fdt, off, "numa-node-id", NULL));

		p = cells(fdt, off, "ranges", &n);
		assert_int_equal(n % 7, 0);
		for (e = 0; e < n; e += 7) {
			uint32_t sp = cell_at(p, e);
			uint64_t pci = u64_at(p, e + 1), cpu = u64_at(p, e + 3);
			uint64_t size = u64_at(p, e + 5);

			if (sp == 0x01000000) {
				assert_int_equal(pci, rc->io.base);
				assert_int_equal(cpu, rc->io_cpu_base);
				assert_int_equal(size, rc->io.size);
				io = true;
			} else if (sp == 0x02000000) {
				assert_int_equal(pci, rc->mmio32.base);
				assert_int_equal(cpu, rc->mmio32.base);
				assert_int_equal(size, rc->mmio32.size);
				assert_true(cpu + size <= LAYOUT_4G);
				m32 = true;
			} else {
				assert_int_equal(sp, 0x43000000);
				assert_int_equal(pci, rc->mmio64.base);
				assert_int_equal(cpu, rc->mmio64.base);
				assert_int_equal(size, rc->mmio64.size);
				m64 = true;
			}
		}
		assert_int_equal(io, rc->io.size != 0);
		assert_int_equal(m32, rc->mmio32.size != 0);
		assert_int_equal(m64, rc->mmio64.size != 0);

		if (l->gic_its) {
			int its = node_at(fdt,
					  "/interrupt-controller@%" PRIx64
					  "/msi-controller@%" PRIx64,
					  l->gic_dist, l->gic_its);

			p = cells(fdt, off, "msi-map", &n);
			assert_int_equal(n, 4);
			assert_int_equal(cell_at(p, 0),
					 (uint32_t)rc->bus_start << 8);
			assert_int_equal(
				fdt_node_offset_by_phandle(fdt, cell_at(p, 1)),
				its);
			assert_int_equal(cell_at(p, 2), rc->its_devid_base);
			assert_int_equal(cell_at(p, 3), nbus << 8);
			assert_null(fdt_getprop(fdt, off, "msi-parent", NULL));
		} else if (l->gic_v2m) {
			assert_int_equal(
				fdt_node_offset_by_phandle(
					fdt, get_u32(fdt, off, "msi-parent")),
				node_at(fdt,
					"/interrupt-controller@%" PRIx64
					"/v2m@%" PRIx64,
					l->gic_dist, l->gic_v2m));
			assert_null(fdt_getprop(fdt, off, "msi-map", NULL));
		} else {
			assert_null(fdt_getprop(fdt, off, "msi-map", NULL));
			assert_null(fdt_getprop(fdt, off, "msi-parent", NULL));
		}

		/* every device number and pin, on the root bus and others */
		for (d = 0; d < 32; d++)
			for (pin = 1; pin <= 4; pin++)
				assert_spi(l,
					   imap_eval(fdt, off,
						     rc->bus_start + d % 3, d,
						     pin),
					   rc->intx_gsi[(pin - 1 + d) % 4]);
		for (k = 0; k < l->n_fns; k++)
			if (l->fns[k].rc == i && l->fns[k].int_pin)
				check_endpoint_intx(fdt, l, &l->fns[k], off);
	}
	/* the ITS DeviceID blocks of the root complexes do not overlap */
	for (i = 1; i < l->n_rcs && l->gic_its; i++)
		assert_int_equal(l->rcs[i].its_devid_base,
				 l->rcs[i - 1].its_devid_base +
					 (((uint32_t)l->rcs[i - 1].bus_end -
					   l->rcs[i - 1].bus_start + 1)
					  << 8));
}

/* No top-level node the layout does not explain. */
static void check_no_extra_nodes(const void *fdt, const struct vm_layout *l)
{
	static const char *const fixed[] = {
		"chosen", "aliases", "cpus",	 "distance-map",
		"timer",  "psci",    "apb-pclk", "reserved-memory",
	};
	int off;

	for (off = fdt_first_subnode(fdt, 0); off >= 0;
	     off = fdt_next_subnode(fdt, off)) {
		const char *name = fdt_get_name(fdt, off, NULL);
		const char *at = strchr(name, '@');
		bool ok = false;
		size_t i;

		for (i = 0; i < ARRAY_SIZE(fixed); i++)
			if (!strcmp(name, fixed[i]))
				ok = true;
		if (at) {
			uint64_t a = strtoull(at + 1, NULL, 16);

			for (i = 0; i < l->n_regions; i++)
				if (l->regions[i].gpa == a)
					ok = true;
		}
		if (!ok)
			fail_msg("unexpected node /%s", name);
	}
}

static void check_all(const struct built *b)
{
	check_root(b->fdt, b->l);
	check_memory(b->fdt, b->l);
	check_reserved(b->fdt, b->l);
	check_cpus(b->fdt, b->l);
	check_distance_map(b->fdt, b->l);
	check_gic(b->fdt, b->l);
	check_timer_psci(b->fdt, b->l);
	check_devices(b->fdt, b->l, b->cfg);
	check_pci(b->fdt, b->l);
	check_no_extra_nodes(b->fdt, b->l);
}

/* ---- tests -------------------------------------------------------------- */

static void test_gicv3_its_two_nodes(void **state)
{
	struct built b;
	int pci;

	build(yaml_gicv3, NULL, &b);
	check_all(&b);
	/* concrete values, as QEMU's virt has them */
	assert_reg(b.fdt, node_at(b.fdt, "/memory@40000000"), 0x40000000, GiB);
	assert_int_equal(get_u32(b.fdt, node_at(b.fdt, "/memory@80000000"),
				 "numa-node-id"),
			 1);
	assert_int_equal(get_u32(b.fdt, node_at(b.fdt, "/cpus/cpu@101"),
				 "numa-node-id"),
			 1);
	node_at(b.fdt, "/interrupt-controller@8000000/msi-controller@8080000");
	pci = node_at(b.fdt, "/pcie@20000000");
	/* msi-map = <0 &its 0 0x10000> */
	assert_int_equal(cell_at(cells(b.fdt, pci, "msi-map", &(size_t){ 0 }),
				 3),
			 0x10000);
	assert_string_equal(fdt_getprop(b.fdt, node_at(b.fdt, "/chosen"),
					"bootargs", NULL),
			    "console=ttyAMA0 earlycon");
	assert_null(fdt_getprop(b.fdt, node_at(b.fdt, "/chosen"),
				"linux,initrd-start", NULL));
	built_free(&b);
}

static void test_gicv2_v2m(void **state)
{
	struct built b;
	const fdt32_t *p;
	size_t n;

	build(yaml_gicv2, NULL, &b);
	check_all(&b);
	assert_int_equal(b.l->gic_version, 2);
	/* PPIs carry the CPU mask of 4 CPUs on a GICv2 */
	p = cells(b.fdt, node_at(b.fdt, "/timer"), "interrupts", &n);
	assert_int_equal(cell_at(p, 2), 0xf04);
	node_at(b.fdt, "/interrupt-controller@8000000/v2m@8020000");
	node_at(b.fdt, "/cpus/cpu@100");
	/* console on the second PL011: serial1 */
	assert_string_equal(fdt_get_alias(b.fdt, "serial1"), "/serial@9040000");
	assert_string_equal(fdt_getprop(b.fdt, node_at(b.fdt, "/chosen"),
					"stdout-path", NULL),
			    "/serial@9040000");
	assert_null(fdt_getprop(b.fdt, node_at(b.fdt, "/chosen"), "bootargs",
				NULL));
	built_free(&b);
}

static void test_smt_cpu_map(void **state)
{
	struct built b;
	int off;

	build(yaml_smt, NULL, &b);
	check_all(&b);
	/* socket 1, core 1, thread 1 is vCPU 7, MPIDR 0x10101 */
	off = node_at(b.fdt, "/cpus/cpu-map/socket1/cluster0/core1/thread1");
	assert_int_equal(fdt_node_offset_by_phandle(b.fdt,
						    get_u32(b.fdt, off, "cpu")),
			 node_at(b.fdt, "/cpus/cpu@10101"));
	assert_null(fdt_getprop(
		b.fdt, node_at(b.fdt, "/cpus/cpu-map/socket1/cluster0/core1"),
		"cpu", NULL));
	assert_false(node_exists(
		b.fdt, "/cpus/cpu-map/socket0/cluster0/core0/thread2"));
	built_free(&b);
}

static void test_big_cpuless_two_rcs(void **state)
{
	struct fdt_boot boot = { .initrd_start = 0x48000000,
				 .initrd_size = 0x123000 };
	struct built b;
	const fdt32_t *m;
	size_t n;
	int off;

	build(yaml_big, &boot, &b);
	check_all(&b);
	assert_int_equal(b.l->n_rcs, 2);
	/* CPU-less node 2 is in the distance map, asymmetric entries kept */
	m = cells(b.fdt, node_at(b.fdt, "/distance-map"), "distance-matrix",
		  &n);
	assert_int_equal(n, 27);
	assert_int_equal(cell_at(m, 3 * 7 + 2), 23); /* 2 -> 1 */
	assert_int_equal(cell_at(m, 3 * 5 + 2), 21); /* 1 -> 2 */
	assert_int_equal(get_u32(b.fdt, node_at(b.fdt, "/memory@100000000"),
				 "numa-node-id"),
			 2);
	/* the reserved range is not memory */
	assert_false(node_exists(b.fdt, "/memory@80000000"));
	node_at(b.fdt, "/reserved-memory/reserved@80000000");
	/* two host bridges, the second at its fixed ECAM with node 2 */
	off = node_at(b.fdt, "/pcie@30000000");
	assert_int_equal(get_u32(b.fdt, off, "linux,pci-domain"), 3);
	assert_int_equal(get_u32(b.fdt, off, "numa-node-id"), 2);
	m = cells(b.fdt, off, "msi-map", &n);
	assert_int_equal(cell_at(m, 0), 0x8000);
	assert_int_equal(cell_at(m, 2), 0x8000);
	assert_int_equal(cell_at(m, 3), 0x8000);
	node_at(b.fdt, "/pcie@18000000");
	/* initrd */
	off = node_at(b.fdt, "/chosen");
	m = cells(b.fdt, off, "linux,initrd-start", &n);
	assert_int_equal(n, 2);
	assert_int_equal(u64_at(m, 0), 0x48000000);
	m = cells(b.fdt, off, "linux,initrd-end", &n);
	assert_int_equal(u64_at(m, 0), 0x48123000);
	built_free(&b);
}

/* Every endpoint's INTx, as Linux routes it, is the layout's line. */
static void test_intx_matches_endpoints(void **state)
{
	struct built b;
	size_t i, checked = 0;

	build(yaml_big, NULL, &b);
	for (i = 0; i < b.l->n_rcs; i++) {
		int pci =
			node_at(b.fdt, "/pcie@%" PRIx64, b.l->rcs[i].ecam_base);
		size_t k;

		for (k = 0; k < b.l->n_fns; k++) {
			const struct layout_pci_fn *f = &b.l->fns[k];

			if (f->rc != i || f->kind != PCI_ENDPOINT)
				continue;
			assert_true(f->int_pin >= 1 && f->int_pin <= 4);
			check_endpoint_intx(b.fdt, b.l, f, pci);
			/* and the device table agrees with the function */
			if (f->device >= 0)
				assert_int_equal(b.l->devices[f->device].gsi,
						 f->gsi);
			checked++;
		}
	}
	assert_int_equal(checked, 8);
	built_free(&b);
}

/* Every aarch64 example and golden pass config. */
static void test_shipped_configs(void **state)
{
	const char *src = getenv("VMMD_SRCDIR");
	static const char *const dirs[] = {
		"configs",
		"tests/configs/pass",
		"tests/slow",
	};
	size_t i, k, n_arm = 0;

	if (!src)
		src = ".";
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		char pat[PATH_BUF];
		glob_t g;

		snprintf(pat, sizeof(pat), "%s/%s/*.yaml", src, dirs[i]);
		if (glob(pat, 0, NULL, &g))
			continue;
		for (k = 0; k < g.gl_pathc; k++) {
			struct diag_list dl = { 0 };
			struct built b = { 0 };

			assert_int_equal(
				cfg_load_file(g.gl_pathv[k], &b.cfg, &dl), 0);
			assert_int_equal(cfg_validate(b.cfg, &dl), 0);
			assert_int_equal(layout_resolve(b.cfg, &b.l, &dl), 0);
			diag_list_free(&dl);
			if (b.l->arch == ARCH_AARCH64) {
				assert_int_equal(fdt_build(b.l, b.cfg, NULL,
							   &b.fdt, &b.size),
						 0);
				check_all(&b);
				n_arm++;
			} else {
				assert_int_equal(fdt_build(b.l, b.cfg, NULL,
							   &b.fdt, &b.size),
						 -EINVAL);
			}
			built_free(&b);
		}
		globfree(&g);
	}
	assert_true(n_arm >= 4);
}

/* Many vCPUs and nodes: the buffer grows past its first size. */
static void test_large_tree(void **state)
{
	char *yaml = NULL;
	size_t len = 0, i, j;
	FILE *f = open_memstream(&yaml, &len);
	struct built b;
	void *again = NULL;
	size_t again_size = 0;

	assert_non_null(f);
	fprintf(f, "name: large\narch: aarch64\n"
		   "cpu: { count: 256, topology: { sockets: 16, cores: 8,"
		   " threads: 2 } }\n"
		   "memory: { size: 32G }\n"
		   "interrupts: { gic: { version: 3, its: 0x08080000 } }\n"
		   "numa:\n  nodes:\n");
	for (i = 0; i < 16; i++)
		fprintf(f, "    - {}\n");
	fprintf(f, "  distances:\n");
	for (i = 0; i < 16; i++) {
		fprintf(f, "    - [");
		for (j = 0; j < 16; j++)
			fprintf(f, "%s%u", j ? ", " : "",
				i == j ? 10 : 20 + (unsigned int)(i + j) % 7);
		fprintf(f, "]\n");
	}
	fprintf(f, "boot: { kernel: Image }\n");
	assert_int_equal(fclose(f), 0);

	resolve("large.yaml", yaml, len, &b);
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &b.fdt, &b.size), 0);
	assert_true(b.size > 16 * 1024);
	check_all(&b);
	/* deterministic: the same layout gives the same bytes */
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &again, &again_size), 0);
	assert_int_equal(again_size, b.size);
	assert_memory_equal(again, b.fdt, b.size);
	free(again);
	built_free(&b);
	free(yaml);
}

static void test_errors(void **state)
{
	static const char x86[] = "name: x\ncpu: { count: 1 }\n"
				  "memory: { size: 64M }\n"
				  "boot: { kernel: k }\n";
	struct built b;
	void *blob = (void *)1;
	size_t size = 1, i;
	uint64_t fw;

	resolve("x86.yaml", x86, strlen(x86), &b);
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &blob, &size), -EINVAL);
	built_free(&b);

	build(yaml_gicv3, NULL, &b);
	free(b.fdt);
	assert_int_equal(fdt_build(NULL, b.cfg, NULL, &blob, &size), -EINVAL);
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, NULL, &size), -EINVAL);
	/* a firmware region too small for the tree */
	fw = b.l->fw_size;
	b.l->fw_size = 2048;
	blob = (void *)1;
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &blob, &size), -E2BIG);
	assert_null(blob);
	b.l->fw_size = fw;
	/* an interrupt the layout does not list */
	for (i = 0; i < b.l->n_irqs; i++)
		if (!strcmp(b.l->irqs[i].what, "timer-virt"))
			b.l->irqs[i].gsi = 1;
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &blob, &size), -EINVAL);
	assert_null(blob);
	for (i = 0; i < b.l->n_irqs; i++)
		if (b.l->irqs[i].gsi == 1)
			b.l->irqs[i].gsi = 27;
	/* a topology that does not cover the vCPUs */
	b.l->sockets = 3;
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &blob, &size), -EINVAL);
	b.l->sockets = 2;
	/* and back to a good layout */
	assert_int_equal(fdt_build(b.l, b.cfg, NULL, &blob, &size), 0);
	free(blob);
	b.fdt = NULL;
	built_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicv3_its_two_nodes),
		cmocka_unit_test(test_gicv2_v2m),
		cmocka_unit_test(test_smt_cpu_map),
		cmocka_unit_test(test_big_cpuless_two_rcs),
		cmocka_unit_test(test_intx_matches_endpoints),
		cmocka_unit_test(test_shipped_configs),
		cmocka_unit_test(test_large_tree),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
