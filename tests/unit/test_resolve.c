/*
 * Unit tests of the resolver: concrete placements and layout invariants.
 * RESOLVE_DUMP=1 prints the generated configs of the property tests.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmmd/config.h"
#include "vmmd/layout.h"

/* ---- helpers ----------------------------------------------------------- */

static struct vm_config *load_valid(const char *yaml)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;

	if (cfg_load_buffer("test.yaml", yaml, strlen(yaml), &cfg, &dl)) {
		diag_print(&dl, stderr);
		fprintf(stderr, "----\n%s----\n", yaml);
		fail_msg("config does not load");
	}
	if (cfg_validate(cfg, &dl)) {
		diag_print(&dl, stderr);
		fprintf(stderr, "----\n%s----\n", yaml);
		fail_msg("config does not validate");
	}
	diag_list_free(&dl);
	return cfg;
}

static void check_invariants(const struct vm_layout *l);

static struct vm_layout *resolve_ok(const char *yaml)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = load_valid(yaml);
	struct vm_layout *l = NULL;
	int rc = layout_resolve(cfg, &l, &dl);

	if (rc) {
		diag_print(&dl, stderr);
		fprintf(stderr, "----\n%s----\n", yaml);
		fail_msg("layout_resolve: %d", rc);
	}
	assert_int_equal(dl.n, 0);
	diag_list_free(&dl);
	/* the layout outlives its config */
	cfg_free(cfg);
	assert_non_null(l);
	check_invariants(l);
	return l;
}

/* Resolves a valid config that must fail; returns diag_print's text. */
static char *resolve_fail(const char *yaml)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = load_valid(yaml);
	struct vm_layout *l = (struct vm_layout *)1;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(layout_resolve(cfg, &l, &dl), -EINVAL);
	assert_null(l);
	assert_true(dl.n > 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	diag_print(&dl, f);
	fclose(f);
	diag_list_free(&dl);
	cfg_free(cfg);
	return text;
}

static const struct layout_region *region_find(const struct vm_layout *l,
					       enum layout_region_kind kind,
					       const char *owner)
{
	size_t i;

	for (i = 0; i < l->n_regions; i++)
		if (l->regions[i].kind == kind &&
		    (!owner || !strcmp(l->regions[i].owner, owner)))
			return &l->regions[i];
	fail_msg("no %s region owned by %s", layout_region_kind_name(kind),
		 owner ? owner : "anyone");
	return NULL;
}

static const struct layout_pci_fn *fn_find(const struct vm_layout *l,
					   const char *name)
{
	size_t i;

	for (i = 0; i < l->n_fns; i++)
		if (!strcmp(l->fns[i].name, name))
			return &l->fns[i];
	fail_msg("no PCI function %s", name);
	return NULL;
}

static const struct layout_device *dev_find(const struct vm_layout *l,
					    const struct vm_config *cfg,
					    const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_devices; i++)
		if (!strcmp(cfg->devices[i].name, name))
			return &l->devices[i];
	fail_msg("no device %s", name);
	return NULL;
}

#define BDF(bus, dev, fn) ((bus) << 8 | (dev) << 3 | (fn))

static unsigned int fn_bdf(const struct layout_pci_fn *f)
{
	return (unsigned int)f->bus << 8 | f->devfn;
}

static bool inside(uint64_t base, uint64_t size, uint64_t wbase, uint64_t wsize)
{
	return size && wsize && base >= wbase && base - wbase <= wsize &&
	       size <= wsize - (base - wbase);
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

static bool is_region(const struct vm_layout *l, enum layout_region_kind k,
		      uint64_t base, uint64_t size)
{
	size_t i;

	for (i = 0; i < l->n_regions; i++)
		if (l->regions[i].kind == k && l->regions[i].gpa == base &&
		    l->regions[i].size == size)
			return true;
	return false;
}

/* The window a BAR of @f must sit in, at the level of parent @p (-1: rc). */
static const struct layout_window *
parent_window(const struct vm_layout *l, int32_t p, uint32_t rc, bool pref)
{
	if (p < 0)
		return pref ? &l->rcs[rc].mmio64 : &l->rcs[rc].mmio32;
	return pref ? &l->fns[p].pref : &l->fns[p].mem;
}

/* Everything any valid layout must satisfy. */
static void check_invariants(const struct vm_layout *l)
{
	size_t i, j;

	/* regions: sorted, disjoint, non-empty, below 1 TiB */
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *g = &l->regions[i];

		assert_true(g->size > 0);
		assert_true(g->gpa + g->size <= LAYOUT_MAX_GPA);
		if (i)
			assert_true(l->regions[i - 1].gpa +
					    l->regions[i - 1].size <=
				    g->gpa);
	}
	/* slots: sorted, disjoint, each covered by backed regions */
	for (i = 0; i < l->n_slots; i++) {
		const struct layout_slot *s = &l->slots[i];
		uint64_t covered = 0;

		if (i)
			assert_true(l->slots[i - 1].gpa +
					    l->slots[i - 1].size <=
				    s->gpa);
		for (j = 0; j < l->n_regions; j++) {
			const struct layout_region *g = &l->regions[j];

			if (g->kind != LR_RAM && g->kind != LR_RESERVED &&
			    g->kind != LR_FIRMWARE)
				continue;
			if (inside(g->gpa, g->size, s->gpa, s->size)) {
				covered += g->size;
				assert_int_equal(g->node, s->node);
			}
		}
		assert_int_equal(covered, s->size);
	}
	/* interrupts sorted */
	for (i = 1; i < l->n_irqs; i++)
		assert_true(l->irqs[i - 1].gsi <= l->irqs[i].gsi);
	/* root complexes: windows are regions */
	for (i = 0; i < l->n_rcs; i++) {
		const struct layout_rc *rc = &l->rcs[i];

		assert_true(is_region(l, LR_PCI_MMIO32, rc->mmio32.base,
				      rc->mmio32.size));
		assert_true(rc->mmio32.base + rc->mmio32.size <= LAYOUT_4G);
		assert_true(is_region(l, LR_PCI_MMIO64, rc->mmio64.base,
				      rc->mmio64.size));
		assert_true(
			is_region(l, LR_ECAM, rc->ecam_base, rc->ecam_size));
		assert_int_equal(rc->ecam_size,
				 (rc->bus_end - rc->bus_start + 1) * MiB);
		assert_true(rc->buses_used >= 1);
		assert_true(rc->buses_used <=
			    (uint32_t)(rc->bus_end - rc->bus_start + 1));
	}
	/* PCI functions */
	for (i = 0; i < l->n_fns; i++) {
		const struct layout_pci_fn *f = &l->fns[i];
		const struct layout_rc *rc;
		uint32_t b;

		assert_true(f->rc < l->n_rcs);
		rc = &l->rcs[f->rc];
		assert_int_equal(f->segment, rc->segment);
		assert_true(f->bus >= rc->bus_start && f->bus <= rc->bus_end);
		if (f->parent < 0) {
			assert_int_equal(f->bus, rc->bus_start);
		} else {
			const struct layout_pci_fn *p = &l->fns[f->parent];

			assert_true((size_t)f->parent < i); /* pre-order */
			assert_int_equal(p->rc, f->rc);
			assert_int_equal(f->bus, p->secondary);
			if (f->kind != PCI_ENDPOINT &&
			    f->kind != PCI_HOST_BRIDGE) {
				assert_true(f->secondary > p->secondary);
				assert_true(f->subordinate <= p->subordinate);
			}
		}
		for (j = 0; j < i; j++)
			if (l->fns[j].rc == f->rc)
				assert_true(fn_bdf(&l->fns[j]) != fn_bdf(f));
		if (f->kind == PCI_ROOT_PORT || f->kind == PCI_SWITCH_UP ||
		    f->kind == PCI_SWITCH_DOWN) {
			const struct layout_window *w[2] = { &f->mem,
							     &f->pref };
			int k;

			assert_true(f->secondary <= f->subordinate);
			assert_true(f->secondary > f->bus);
			assert_int_equal(f->io.size, 0);
			for (k = 0; k < 2; k++) {
				const struct layout_window *pw;

				if (!w[k]->size)
					continue;
				assert_int_equal(w[k]->base % MiB, 0);
				assert_int_equal(w[k]->size % MiB, 0);
				pw = parent_window(l, f->parent, f->rc, k);
				assert_true(inside(w[k]->base, w[k]->size,
						   pw->base, pw->size));
				pw = k ? &rc->mmio64 : &rc->mmio32;
				assert_true(inside(w[k]->base, w[k]->size,
						   pw->base, pw->size));
			}
		}
		for (b = 0; b < f->n_bars; b++) {
			const struct layout_bar *bar = &f->bars[b];
			int32_t p;

			assert_true(f->kind == PCI_ENDPOINT);
			assert_true(is_pow2(bar->size));
			assert_int_equal(bar->addr % bar->size, 0);
			assert_true(bar->addr + bar->size <= LAYOUT_MAX_GPA);
			if (!bar->mem64)
				assert_true(bar->addr + bar->size <= LAYOUT_4G);
			/* inside every window up to the root complex */
			for (p = f->parent;; p = l->fns[p].parent) {
				const struct layout_window *pw = parent_window(
					l, p, f->rc, bar->prefetch);

				assert_true(inside(bar->addr, bar->size,
						   pw->base, pw->size));
				if (p < 0)
					break;
			}
		}
		if (f->kind == PCI_ENDPOINT) {
			assert_int_equal(f->int_pin, 1);
			assert_true(f->device >= 0);
			assert_int_equal(l->devices[f->device].pci_fn, (int)i);
			assert_int_equal(l->devices[f->device].gsi, f->gsi);
		}
	}
	/* no two BARs overlap, no two sibling windows overlap */
	for (i = 0; i < l->n_fns; i++) {
		const struct layout_pci_fn *f = &l->fns[i];

		for (j = i + 1; j < l->n_fns; j++) {
			const struct layout_pci_fn *g = &l->fns[j];
			uint32_t a, b;

			for (a = 0; a < f->n_bars; a++)
				for (b = 0; b < g->n_bars; b++)
					assert_false(overlap(f->bars[a].addr,
							     f->bars[a].size,
							     g->bars[b].addr,
							     g->bars[b].size));
			if (f->parent != g->parent || f->rc != g->rc)
				continue;
			assert_false(overlap(f->mem.base, f->mem.size,
					     g->mem.base, g->mem.size));
			assert_false(overlap(f->pref.base, f->pref.size,
					     g->pref.base, g->pref.size));
			for (a = 0; a < f->n_bars; a++) {
				const struct layout_window *w =
					f->bars[a].prefetch ? &g->pref :
							      &g->mem;

				assert_false(overlap(f->bars[a].addr,
						     f->bars[a].size, w->base,
						     w->size));
			}
			for (b = 0; b < g->n_bars; b++) {
				const struct layout_window *w =
					g->bars[b].prefetch ? &f->pref :
							      &f->mem;

				assert_false(overlap(g->bars[b].addr,
						     g->bars[b].size, w->base,
						     w->size));
			}
		}
	}
	/* devices */
	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];

		assert_int_equal(d->index, i);
		if (d->pci_fn >= 0)
			assert_true((size_t)d->pci_fn < l->n_fns);
		if (d->mmio_size)
			assert_true(d->mmio_base + d->mmio_size <= LAYOUT_4G);
	}
}

static void layout_freep(struct vm_layout **l)
{
	layout_free(*l);
	*l = NULL;
}

/* ---- memory map -------------------------------------------------------- */

static void test_x86_simple_4g(void **state)
{
	static const struct {
		uint64_t gpa, size;
		enum layout_region_kind kind;
		const char *owner;
	} want[] = {
		{ 0x0, 0xa0000, LR_RAM, "" },
		{ 0xa0000, 0x40000, LR_RESERVED, "legacy" },
		{ 0xe0000, 0x20000, LR_FIRMWARE, "acpi" },
		{ 0x100000, 0xc0000000 - 0x100000, LR_RAM, "" },
		{ 0xfec00000, 0x1000, LR_IOAPIC, "ioapic" },
		{ 0xfee00000, 0x100000, LR_LAPIC, "lapic" },
		{ 0x100000000, 0x40000000, LR_RAM, "" },
	};
	struct vm_layout *l = resolve_ok("name: x\n"
					 "cpu: { count: 1 }\n"
					 "memory: { size: 4G }\n"
					 "boot: { kernel: /boot/vmlinuz }\n");
	size_t i;

	(void)state;
	assert_int_equal(l->n_regions, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(l->regions[i].gpa, want[i].gpa);
		assert_int_equal(l->regions[i].size, want[i].size);
		assert_int_equal(l->regions[i].kind, want[i].kind);
		assert_string_equal(l->regions[i].owner, want[i].owner);
	}
	assert_int_equal(l->n_slots, 2);
	assert_int_equal(l->slots[0].gpa, 0);
	assert_int_equal(l->slots[0].size, 3 * GiB);
	assert_int_equal(l->slots[1].gpa, 4 * GiB);
	assert_int_equal(l->slots[1].size, 1 * GiB);
	assert_int_equal(l->ram_bytes, 4 * GiB);
	assert_int_equal(l->fw_base, 0xe0000);
	assert_int_equal(l->fw_size, 0x20000);
	assert_int_equal(l->n_nodes, 1);
	assert_int_equal(l->nodes[0].memory, 4 * GiB);
	assert_int_equal(l->distance[0], 10);
	assert_int_equal(l->n_rcs, 0);
	assert_int_equal(l->n_fns, 0);
	layout_freep(&l);
}

static void test_x86_bios_and_small(void **state)
{
	struct vm_layout *l = resolve_ok("name: x\n"
					 "cpu: { count: 1 }\n"
					 "memory: { size: 512M }\n"
					 "boot: { firmware: /bios.bin }\n");
	const struct layout_region *g = region_find(l, LR_BIOS, "bios");

	(void)state;
	assert_int_equal(g->gpa, 0xfffc0000);
	assert_int_equal(g->size, 256 * KiB);
	assert_int_equal(l->n_slots, 1);
	assert_int_equal(l->slots[0].size, 512 * MiB);
	layout_freep(&l);
}

static void test_x86_explicit_ranges(void **state)
{
	struct vm_layout *l = resolve_ok(
		"name: x\n"
		"cpu: { count: 2 }\n"
		"memory:\n"
		"  ranges:\n"
		"    - { gpa: 0x0, size: 1G, type: ram, node: 0 }\n"
		"    - { gpa: 0x40000000, size: 16M, type: reserved }\n"
		"    - { gpa: 0x50000000, size: 16M, type: mmio }\n"
		"    - { gpa: 0x100000000, size: 1G, type: ram, node: 1 }\n"
		"numa:\n"
		"  nodes:\n"
		"    - { cpus: [0] }\n"
		"    - { cpus: [1] }\n"
		"boot: { kernel: /boot/vmlinuz }\n");
	const struct layout_region *g;

	(void)state;
	assert_int_equal(l->n_slots, 3);
	assert_int_equal(l->slots[1].gpa, 0x40000000);
	assert_int_equal(l->slots[1].size, 16 * MiB);
	assert_int_equal(l->slots[2].node, 1);
	g = region_find(l, LR_RESERVED, "");
	assert_int_equal(g->gpa, 0x40000000);
	g = region_find(l, LR_MMIO, NULL);
	assert_int_equal(g->gpa, 0x50000000);
	assert_int_equal(g->node, -1);
	region_find(l, LR_FIRMWARE, "acpi");
	assert_int_equal(l->nodes[0].memory, GiB);
	assert_int_equal(l->nodes[1].memory, GiB);
	assert_int_equal(l->ram_bytes, 2 * GiB);
	layout_freep(&l);
}

static void test_x86_needs_low_ram(void **state)
{
	char *err =
		resolve_fail("name: x\n"
			     "cpu: { count: 1 }\n"
			     "memory:\n"
			     "  ranges:\n"
			     "    - { gpa: 0x100000, size: 1G, type: ram }\n"
			     "boot: { kernel: /boot/vmlinuz }\n");

	(void)state;
	assert_non_null(strstr(
		err,
		"memory.ranges: x86 needs RAM at 0x0-0xfffff for boot structures"));
	free(err);
}

/* The 2-socket, 3-node example of DESIGN.md. */
static const char numa_design[] =
	"name: web1\n"
	"cpu:\n"
	"  count: 4\n"
	"  topology: { sockets: 2, cores: 2, threads: 1 }\n"
	"memory: { size: 2560M }\n"
	"numa:\n"
	"  nodes:\n"
	"    - { id: 0, cpus: [0, 1], memory: 1G, host_node: 0 }\n"
	"    - { id: 1, cpus: [2, 3], memory: 1G }\n"
	"    - { id: 2, cpus: [], memory: 512M }\n"
	"  distances:\n"
	"    - [10, 21, 31]\n"
	"    - [21, 10, 21]\n"
	"    - [31, 21, 10]\n"
	"boot: { kernel: /boot/vmlinuz }\n";

static void test_numa_design_example(void **state)
{
	static const uint8_t dist[9] = { 10, 21, 31, 21, 10, 21, 31, 21, 10 };
	struct vm_layout *l = resolve_ok(numa_design);
	size_t i;

	(void)state;
	assert_int_equal(l->n_nodes, 3);
	assert_int_equal(l->nodes[0].memory, GiB);
	assert_int_equal(l->nodes[1].memory, GiB);
	assert_int_equal(l->nodes[2].memory, 512 * MiB);
	assert_int_equal(l->nodes[0].n_cpus, 2);
	assert_int_equal(l->nodes[1].n_cpus, 2);
	assert_int_equal(l->nodes[2].n_cpus, 0);
	assert_int_equal(l->nodes[0].host_node, 0);
	assert_int_equal(l->nodes[1].host_node, -1);
	assert_memory_equal(l->distance, dist, sizeof(dist));
	/* RAM carved in node order from address 0 */
	assert_int_equal(l->n_slots, 3);
	assert_int_equal(l->slots[0].gpa, 0);
	assert_int_equal(l->slots[0].size, GiB);
	assert_int_equal(l->slots[0].node, 0);
	assert_int_equal(l->slots[1].gpa, GiB);
	assert_int_equal(l->slots[1].node, 1);
	assert_int_equal(l->slots[2].gpa, 2 * GiB);
	assert_int_equal(l->slots[2].size, 512 * MiB);
	assert_int_equal(l->slots[2].node, 2);
	for (i = 0; i < 4; i++)
		assert_int_equal(l->vcpus[i].node, i / 2);
	layout_freep(&l);
}

static void test_numa_round_robin(void **state)
{
	struct vm_layout *l =
		resolve_ok("name: rr\n"
			   "cpu:\n"
			   "  count: 8\n"
			   "  topology: { sockets: 4, cores: 2, threads: 1 }\n"
			   "memory: { size: 4G }\n"
			   "numa:\n"
			   "  nodes:\n"
			   "    - { memory: 2G }\n"
			   "    - { memory: 1536M }\n"
			   "    - { cpus: [], memory: 512M }\n"
			   "boot: { kernel: /boot/vmlinuz }\n");
	size_t i;

	(void)state;
	/* socket s -> (s mod 2)-th CPU-bearing node; node 2 is CPU-less */
	for (i = 0; i < 8; i++)
		assert_int_equal(l->vcpus[i].node, (i / 2) % 2);
	assert_int_equal(l->nodes[0].n_cpus, 4);
	assert_int_equal(l->nodes[1].n_cpus, 4);
	assert_int_equal(l->nodes[2].n_cpus, 0);
	/* node 1 spans the hole: [2G, 3G) and [4G, 4.5G) */
	assert_int_equal(l->n_slots, 4);
	assert_int_equal(l->slots[0].size, 2 * GiB);
	assert_int_equal(l->slots[1].gpa, 2 * GiB);
	assert_int_equal(l->slots[1].size, GiB);
	assert_int_equal(l->slots[1].node, 1);
	assert_int_equal(l->slots[2].gpa, 4 * GiB);
	assert_int_equal(l->slots[2].size, 512 * MiB);
	assert_int_equal(l->slots[2].node, 1);
	assert_int_equal(l->slots[3].gpa, 4 * GiB + 512 * MiB);
	assert_int_equal(l->slots[3].node, 2);
	assert_int_equal(l->nodes[1].memory, 1536 * MiB);
	/* default distances */
	assert_int_equal(l->distance[0], 10);
	assert_int_equal(l->distance[1], 20);
	assert_int_equal(l->distance[3 * 2 + 1], 20);
	assert_int_equal(l->distance[8], 10);
	layout_freep(&l);
}

static void test_numa_even_split(void **state)
{
	struct vm_layout *l = resolve_ok("name: ev\n"
					 "cpu: { count: 3 }\n"
					 "memory: { size: 4G }\n"
					 "numa:\n"
					 "  nodes: [ {}, {}, {} ]\n"
					 "boot: { kernel: /boot/vmlinuz }\n");

	(void)state;
	/* 4096 MiB / 3 = 1365.3 -> 1364 MiB (2 MiB units), last 1368 */
	assert_int_equal(l->nodes[0].memory, 1364 * MiB);
	assert_int_equal(l->nodes[1].memory, 1364 * MiB);
	assert_int_equal(l->nodes[2].memory, 1368 * MiB);
	/* one socket: round robin puts every vCPU on node 0 */
	assert_int_equal(l->nodes[0].n_cpus, 3);
	layout_freep(&l);
}

/* ---- vCPUs --------------------------------------------------------------- */

static void test_apic_ids(void **state)
{
	struct vm_layout *l =
		resolve_ok("name: apic\n"
			   "cpu:\n"
			   "  count: 12\n"
			   "  topology: { sockets: 2, cores: 3, threads: 2 }\n"
			   "memory: { size: 1G }\n"
			   "boot: { kernel: /boot/vmlinuz }\n");
	const struct layout_vcpu *v;

	(void)state;
	/* thread_bits 1, core_bits 2: socket 1 core 2 thread 1 = 0b1_10_1 */
	v = &l->vcpus[11];
	assert_int_equal(v->socket, 1);
	assert_int_equal(v->core, 2);
	assert_int_equal(v->thread, 1);
	assert_int_equal(v->apic_id, 13);
	assert_int_equal(l->vcpus[6].apic_id, 8); /* socket 1 core 0 */
	assert_int_equal(l->vcpus[3].apic_id, 3); /* core 1 thread 1 */
	assert_int_equal(l->vcpus[4].apic_id, 4); /* core 2 thread 0 */
	assert_int_equal(l->max_apic_id, 13);
	assert_false(l->x2apic);
	assert_int_equal(l->sockets, 2);
	assert_int_equal(l->cores, 3);
	assert_int_equal(l->threads, 2);
	layout_freep(&l);

	l = resolve_ok("name: apic\n"
		       "cpu:\n"
		       "  count: 12\n"
		       "  topology: { sockets: 2, cores: 3, threads: 2 }\n"
		       "  x86: { apic_id_offset: 32 }\n"
		       "memory: { size: 1G }\n"
		       "boot: { kernel: /boot/vmlinuz }\n");
	assert_int_equal(l->vcpus[11].apic_id, 45);
	assert_int_equal(l->vcpus[0].apic_id, 32);
	assert_int_equal(l->max_apic_id, 45);
	layout_freep(&l);
}

static void test_x2apic_auto(void **state)
{
	struct vm_layout *l;

	(void)state;
	l = resolve_ok("name: a\ncpu: { count: 255 }\nmemory: { size: 1G }\n"
		       "boot: { kernel: /k }\n");
	assert_int_equal(l->max_apic_id, 254);
	assert_false(l->x2apic);
	layout_freep(&l);

	l = resolve_ok("name: a\ncpu: { count: 256 }\nmemory: { size: 1G }\n"
		       "boot: { kernel: /k }\n");
	assert_int_equal(l->max_apic_id, 255);
	assert_true(l->x2apic);
	assert_int_equal(l->x2apic_mode, X2APIC_AUTO);
	layout_freep(&l);

	l = resolve_ok("name: a\n"
		       "cpu: { count: 8, x86: { apic_id_offset: 250 } }\n"
		       "memory: { size: 1G }\nboot: { kernel: /k }\n");
	assert_int_equal(l->vcpus[4].apic_id, 254);
	assert_int_equal(l->vcpus[5].apic_id, 255);
	assert_true(l->x2apic);
	layout_freep(&l);

	l = resolve_ok("name: a\n"
		       "cpu: { count: 2, x86: { x2apic: enabled } }\n"
		       "memory: { size: 1G }\nboot: { kernel: /k }\n");
	assert_true(l->x2apic);
	layout_freep(&l);
}

static void test_mpidr(void **state)
{
	struct vm_layout *l;

	(void)state;
	/* threads == 1: Aff0 = core % 16, Aff1 = socket * 2 + core / 16 */
	l = resolve_ok("name: m\narch: aarch64\n"
		       "cpu:\n"
		       "  count: 40\n"
		       "  topology: { sockets: 2, cores: 20, threads: 1 }\n"
		       "memory: { size: 1G }\nboot: { kernel: /k }\n");
	assert_int_equal(l->vcpus[0].mpidr, 0x0);
	assert_int_equal(l->vcpus[15].mpidr, 0x00f);
	assert_int_equal(l->vcpus[16].mpidr, 0x100);
	assert_int_equal(l->vcpus[20].mpidr, 0x200); /* socket 1 core 0 */
	assert_int_equal(l->vcpus[37].mpidr, 0x301); /* socket 1 core 17 */
	layout_freep(&l);

	/* threads > 1: Aff0 = thread, Aff1 = core, Aff2 = socket */
	l = resolve_ok("name: m\narch: aarch64\n"
		       "cpu:\n"
		       "  count: 8\n"
		       "  topology: { sockets: 2, cores: 2, threads: 2 }\n"
		       "memory: { size: 1G }\nboot: { kernel: /k }\n");
	assert_int_equal(l->vcpus[3].mpidr, 0x101);
	assert_int_equal(l->vcpus[7].mpidr, 0x10101);
	assert_int_equal(l->vcpus[4].mpidr, 0x10000);
	layout_freep(&l);

	l = resolve_ok("name: m\narch: aarch64\n"
		       "cpu:\n"
		       "  count: 4\n"
		       "  aarch64: { mpidr: [0x0, 0x1, 0x100, 0x101] }\n"
		       "memory: { size: 1G }\nboot: { kernel: /k }\n");
	assert_int_equal(l->vcpus[2].mpidr, 0x100);
	assert_int_equal(l->vcpus[3].mpidr, 0x101);
	layout_freep(&l);
}

static void test_pinning(void **state)
{
	struct vm_layout *l =
		resolve_ok("name: p\n"
			   "cpu: { count: 2, pinning: [\"3\", \"0-1\"] }\n"
			   "memory: { size: 1G }\nboot: { kernel: /k }\n");

	(void)state;
	assert_true(l->vcpus[0].pinned);
	assert_true(cpuset_is_set(&l->vcpus[0].pin, 3));
	assert_false(cpuset_is_set(&l->vcpus[0].pin, 0));
	assert_true(cpuset_is_set(&l->vcpus[1].pin, 0));
	assert_true(cpuset_is_set(&l->vcpus[1].pin, 1));
	layout_freep(&l);
}

/* ---- PCIe ---------------------------------------------------------------- */

static const char pci_two_rcs[] =
	"name: pci2\n"
	"cpu: { count: 2 }\n"
	"memory: { size: 1G }\n"
	"pcie:\n"
	"  root_complexes:\n"
	"    - name: rc0\n"
	"      ports:\n"
	"        - { name: rp0, devfn: 0x08, hotplug: true }\n"
	"        - { name: rp1 }\n"
	"        - { name: rp2 }\n"
	"    - name: rc1\n"
	"      buses: [0x80, 0xff]\n"
	"      ports:\n"
	"        - { name: rp10 }\n"
	"  switches:\n"
	"    - name: sw0\n"
	"      parent_port: rp1\n"
	"      ports:\n"
	"        - { name: sw0p0 }\n"
	"        - { name: sw0p1, devfn: 0x10 }\n"
	"        - { name: sw0p2 }\n"
	"devices:\n"
	"  - { type: virtio-blk, name: disk0, path: /dev/null, port: rp0 }\n"
	"  - { type: virtio-net, name: net0, tap: tap0, port: sw0p0 }\n"
	"  - { type: virtio-blk, name: disk1, path: /dev/null, port: sw0p1 }\n"
	"  - { type: shared-memory, name: ivc0, size: 8M, port: rp10 }\n"
	"  - { type: virtio-rng, name: rng0 }\n"
	"boot: { kernel: /boot/vmlinuz }\n";

static void test_pcie_tree(void **state)
{
	struct vm_layout *l = resolve_ok(pci_two_rcs);
	const struct layout_pci_fn *f;
	const struct layout_rc *rc;

	(void)state;
	assert_int_equal(l->n_rcs, 2);
	rc = &l->rcs[0];
	assert_string_equal(rc->name, "rc0");
	assert_int_equal(rc->buses_used, 8);
	assert_int_equal(rc->io.base, 0x1000);
	assert_int_equal(rc->io.size, 0x1000);
	assert_int_equal(l->rcs[1].io.base, 0x2000);
	assert_int_equal(l->rcs[1].segment, 1);
	assert_int_equal(l->rcs[1].buses_used, 2);

	/* functions are depth-first */
	assert_int_equal(l->n_fns, 15);
	assert_int_equal(l->fns[0].kind, PCI_HOST_BRIDGE);
	assert_int_equal(fn_bdf(&l->fns[0]), BDF(0, 0, 0));
	assert_int_equal(l->fns[0].vendor, 0x1b36);
	assert_int_equal(l->fns[0].device_id, 0x0008);
	assert_int_equal(l->fns[0].class_code, 0x060000);

	f = fn_find(l, "rp0");
	assert_int_equal(fn_bdf(f), BDF(0, 1, 0));
	assert_int_equal(f->secondary, 1);
	assert_int_equal(f->subordinate, 1);
	assert_true(f->hotplug);
	assert_int_equal(f->mem.size, 2 * MiB); /* hotplug minimum */
	assert_int_equal(f->pref.size, 64 * MiB);
	assert_int_equal(f->device_id, 0x000c);
	assert_int_equal(f->class_code, 0x060400);

	f = fn_find(l, "disk0");
	assert_int_equal(fn_bdf(f), BDF(1, 0, 0));
	assert_int_equal(f->vendor, 0x1af4);
	assert_int_equal(f->device_id, 0x1042);
	assert_int_equal(f->class_code, 0x018000);
	assert_int_equal(f->n_bars, 2);
	assert_int_equal(f->bars[0].index, 1);
	assert_false(f->bars[0].mem64);
	assert_int_equal(f->bars[0].size, 4 * KiB);
	assert_int_equal(f->bars[1].index, 4);
	assert_true(f->bars[1].mem64);
	assert_true(f->bars[1].prefetch);
	assert_int_equal(f->bars[1].size, 16 * KiB);
	assert_int_equal(f->msix_vectors, 2);

	f = fn_find(l, "rp1");
	assert_int_equal(fn_bdf(f), BDF(0, 2, 0));
	assert_int_equal(f->secondary, 2);
	assert_int_equal(f->subordinate, 6);
	f = fn_find(l, "sw0");
	assert_int_equal(f->kind, PCI_SWITCH_UP);
	assert_int_equal(fn_bdf(f), BDF(2, 0, 0));
	assert_int_equal(f->secondary, 3);
	assert_int_equal(f->subordinate, 6);
	assert_int_equal(f->vendor, 0x104c);
	assert_int_equal(f->device_id, 0x8232);
	f = fn_find(l, "sw0p0");
	assert_int_equal(fn_bdf(f), BDF(3, 0, 0));
	assert_int_equal(f->secondary, 4);
	assert_int_equal(f->device_id, 0x8233);
	f = fn_find(l, "sw0p2");
	assert_int_equal(fn_bdf(f), BDF(3, 1, 0));
	assert_int_equal(f->secondary, 5);
	assert_int_equal(f->mem.size, 0); /* empty: closed */
	assert_int_equal(f->pref.size, 0);
	f = fn_find(l, "sw0p1");
	assert_int_equal(fn_bdf(f), BDF(3, 2, 0));
	assert_int_equal(f->secondary, 6);
	assert_int_equal(fn_bdf(fn_find(l, "net0")), BDF(4, 0, 0));
	assert_int_equal(fn_find(l, "net0")->msix_vectors, 4);
	assert_int_equal(fn_bdf(fn_find(l, "disk1")), BDF(6, 0, 0));
	f = fn_find(l, "rp2");
	assert_int_equal(fn_bdf(f), BDF(0, 3, 0));
	assert_int_equal(f->secondary, 7);
	assert_int_equal(f->mem.size, 0);
	assert_int_equal(fn_bdf(fn_find(l, "rng0")), BDF(0, 4, 0));

	f = fn_find(l, "rp10");
	assert_int_equal(f->rc, 1);
	assert_int_equal(f->segment, 1);
	assert_int_equal(fn_bdf(f), BDF(0x80, 1, 0));
	assert_int_equal(f->secondary, 0x81);
	assert_int_equal(f->pref.size, 8 * MiB);
	f = fn_find(l, "ivc0");
	assert_int_equal(fn_bdf(f), BDF(0x81, 0, 0));
	assert_int_equal(f->device_id, 0x1110);
	assert_int_equal(f->class_code, 0x050000);
	assert_int_equal(f->bars[0].index, 0);
	assert_int_equal(f->bars[0].size, 4 * KiB);
	assert_int_equal(f->bars[1].index, 2);
	assert_int_equal(f->bars[1].size, 8 * MiB);
	assert_int_equal(f->bars[1].addr, l->rcs[1].mmio64.base);
	assert_int_equal(f->msix_vectors, 0);

	/* windows: rc0 first in the 32-bit pool, then rc1, ECAM after */
	assert_int_equal(l->rcs[0].mmio32.base, 0xc0000000);
	assert_int_equal(l->rcs[0].mmio32.size, 64 * MiB);
	assert_int_equal(l->rcs[1].mmio32.base, 0xc4000000);
	assert_int_equal(l->rcs[0].ecam_base, 0xd0000000);
	assert_int_equal(l->rcs[0].ecam_size, 256 * MiB);
	assert_int_equal(l->rcs[1].ecam_base, 0xc8000000);
	assert_int_equal(l->rcs[1].ecam_size, 128 * MiB);
	assert_int_equal(l->rcs[0].mmio64.base, 4 * GiB);
	assert_int_equal(l->rcs[0].mmio64.size, 4 * GiB);
	assert_int_equal(l->rcs[1].mmio64.base, 8 * GiB);
	layout_freep(&l);
}

static void test_pcie_devices_map(void **state)
{
	struct vm_config *cfg = load_valid(pci_two_rcs);
	struct diag_list dl = { 0 };
	struct vm_layout *l;
	const struct layout_device *d;

	(void)state;
	assert_int_equal(layout_resolve(cfg, &l, &dl), 0);
	assert_int_equal(l->n_devices, 5);
	d = dev_find(l, cfg, "net0");
	assert_int_equal(d->type, DEV_VIRTIO_NET);
	assert_int_equal(d->transport, TRANSPORT_PCI);
	assert_true(d->pci_fn >= 0);
	assert_string_equal(l->fns[d->pci_fn].name, "net0");
	assert_int_equal(l->fns[d->pci_fn].device, 1);
	layout_free(l);
	cfg_free(cfg);
}

static void test_intx_swizzle(void **state)
{
	struct vm_layout *l = resolve_ok(pci_two_rcs);

	(void)state;
	assert_int_equal(l->rcs[0].intx_gsi[0], 16);
	assert_int_equal(l->rcs[0].intx_gsi[3], 19);
	assert_int_equal(l->rcs[1].intx_gsi[0], 20);
	/* INTA + device numbers up to the root bus, mod 4 */
	assert_int_equal(fn_find(l, "disk0")->gsi, 17); /* 0 + 1 */
	assert_int_equal(fn_find(l, "net0")->gsi, 18); /* 0+0+0+2 */
	assert_int_equal(fn_find(l, "disk1")->gsi, 16); /* 0+2+0+2 */
	assert_int_equal(fn_find(l, "rng0")->gsi, 16); /* 4 */
	assert_int_equal(fn_find(l, "ivc0")->gsi, 21); /* rc1, 0 + 1 */
	layout_freep(&l);

	/* integrated endpoints at 1..5 rotate; a third rc wraps to 16 */
	l = resolve_ok("name: s\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		       "pcie:\n"
		       "  root_complexes:\n"
		       "    - { name: a, buses: [0, 15] }\n"
		       "    - { name: b, buses: [16, 31] }\n"
		       "    - { name: c, buses: [32, 47] }\n"
		       "devices:\n"
		       "  - { type: virtio-rng, name: r1 }\n"
		       "  - { type: virtio-rng, name: r2 }\n"
		       "  - { type: virtio-rng, name: r3 }\n"
		       "  - { type: virtio-rng, name: r4 }\n"
		       "  - { type: virtio-rng, name: r5 }\n"
		       "boot: { kernel: /k }\n");
	assert_int_equal(fn_find(l, "r1")->gsi, 17);
	assert_int_equal(fn_find(l, "r2")->gsi, 18);
	assert_int_equal(fn_find(l, "r3")->gsi, 19);
	assert_int_equal(fn_find(l, "r4")->gsi, 16);
	assert_int_equal(fn_find(l, "r5")->gsi, 17);
	assert_int_equal(l->rcs[2].intx_gsi[0], 16);
	assert_int_equal(l->rcs[2].intx_gsi[3], 19);
	layout_freep(&l);
}

static void test_ecam_auto(void **state)
{
	struct vm_layout *l;

	(void)state;
	l = resolve_ok(
		"name: e\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"pcie:\n"
		"  root_complexes:\n"
		"    - { name: rc0, buses: [0, 63], mmio32: { size: 128M } }\n"
		"    - { name: rc1, buses: [64, 64], ecam: 0xe0000000 }\n"
		"boot: { kernel: /k }\n");
	assert_int_equal(l->rcs[0].mmio32.base, 0xc0000000);
	assert_int_equal(l->rcs[0].mmio32.size, 128 * MiB);
	assert_int_equal(l->rcs[1].mmio32.base, 0xc8000000);
	/* 64 buses: 64 MiB, after both mmio32 windows */
	assert_int_equal(l->rcs[0].ecam_base, 0xcc000000);
	assert_int_equal(l->rcs[0].ecam_size, 64 * MiB);
	assert_int_equal(l->rcs[1].ecam_base, 0xe0000000);
	assert_int_equal(l->rcs[1].ecam_size, MiB);
	layout_freep(&l);

	/* three 256-bus ECAMs: the third spills into the 64-bit pool */
	l = resolve_ok("name: e\ncpu: { count: 1 }\nmemory: { size: 6G }\n"
		       "pcie:\n"
		       "  root_complexes:\n"
		       "    - { name: rc0 }\n"
		       "    - { name: rc1 }\n"
		       "    - { name: rc2 }\n"
		       "boot: { kernel: /k }\n");
	assert_int_equal(l->rcs[0].ecam_base, 0xd0000000);
	assert_int_equal(l->rcs[1].ecam_base, 0xe0000000);
	/* RAM ends at 7 GiB: the 64-bit pool starts there */
	assert_int_equal(l->rcs[2].ecam_base, 7 * GiB);
	assert_int_equal(l->rcs[0].mmio64.base, 8 * GiB);
	layout_freep(&l);
}

static void test_implicit_rc(void **state)
{
	struct vm_layout *l;

	(void)state;
	l = resolve_ok("name: i\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		       "devices:\n"
		       "  - { type: virtio-blk, name: d, path: /dev/null }\n"
		       "  - { type: shared-memory, name: big, size: 8G }\n"
		       "boot: { kernel: /k }\n");
	assert_int_equal(l->n_rcs, 1);
	assert_string_equal(l->rcs[0].name, "pcie0");
	assert_int_equal(l->rcs[0].bus_start, 0);
	assert_int_equal(l->rcs[0].bus_end, 255);
	assert_int_equal(l->rcs[0].mmio32.size, 64 * MiB);
	/* grown from 4 GiB to hold the 8 GiB BAR */
	assert_int_equal(l->rcs[0].mmio64.size, 16 * GiB);
	assert_int_equal(fn_bdf(fn_find(l, "d")), BDF(0, 1, 0));
	assert_int_equal(fn_bdf(fn_find(l, "big")), BDF(0, 2, 0));
	layout_freep(&l);

	/* no PCI device: no root complex */
	l = resolve_ok(
		"name: i\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"devices:\n"
		"  - { type: virtio-blk, name: d, path: /dev/null, transport: mmio }\n"
		"boot: { kernel: /k }\n");
	assert_int_equal(l->n_rcs, 0);
	layout_freep(&l);
}

static void test_mmio32_out_of_space(void **state)
{
	char *err;

	(void)state;
	err = resolve_fail("name: o\ncpu: { count: 1 }\n"
			   "memory:\n"
			   "  ranges:\n"
			   "    - { gpa: 0x0, size: 1G, type: ram }\n"
			   "    - { gpa: 0xd0000000, size: 512M, type: mmio }\n"
			   "pcie:\n"
			   "  root_complexes:\n"
			   "    - { name: rc0, mmio32: { size: 512M } }\n"
			   "boot: { kernel: /k }\n");
	assert_non_null(strstr(
		err,
		"pcie.root_complexes[0].mmio32: needs 512 MiB below 4 GiB, 256 MiB free\n"));
	free(err);
}

static void test_bus_range_too_small(void **state)
{
	char *err;

	(void)state;
	err = resolve_fail(
		"name: b\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"pcie:\n"
		"  root_complexes:\n"
		"    - name: rc0\n"
		"      buses: [0, 3]\n"
		"      ports: [ { name: rp0 }, { name: rp1 } ]\n"
		"  switches:\n"
		"    - name: sw\n"
		"      parent_port: rp1\n"
		"      ports: [ { name: p0 }, { name: p1 }, { name: p2 } ]\n"
		"boot: { kernel: /k }\n");
	assert_non_null(strstr(
		err,
		"pcie.root_complexes[0].buses: topology needs 7 buses, range 0-3 has 4\n"));
	free(err);
}

static void test_root_bus_full(void **state)
{
	char yaml[4096];
	size_t n;
	int i;
	char *err;

	(void)state;
	n = (size_t)snprintf(
		yaml, sizeof(yaml),
		"name: f\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"pcie:\n  root_complexes:\n    - name: rc0\n"
		"      ports:\n");
	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
				      "        - { name: p%d }\n", i);
	snprintf(yaml + n, sizeof(yaml) - n, "boot: { kernel: /k }\n");
	err = resolve_fail(yaml);
	assert_non_null(strstr(
		err,
		"pcie.root_complexes[0]: root bus needs 34 device numbers, a bus has 32\n"));
	free(err);
}

static void test_bar_window_too_small(void **state)
{
	char *err;

	(void)state;
	err = resolve_fail("name: w\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
			   "pcie:\n"
			   "  root_complexes:\n"
			   "    - name: rc0\n"
			   "      mmio64: { size: 1G }\n"
			   "      ports: [ { name: rp0, hotplug: true } ]\n"
			   "devices:\n"
			   "  - { type: shared-memory, name: s, size: 1G }\n"
			   "boot: { kernel: /k }\n");
	assert_non_null(strstr(
		err,
		"pcie.root_complexes[0].mmio64: needs 1088 MiB, window is 1 GiB\n"));
	free(err);
}

/* ---- interrupts ---------------------------------------------------------- */

static void test_virtio_mmio_gsis(void **state)
{
	struct vm_config *cfg;
	struct diag_list dl = { 0 };
	struct vm_layout *l;
	char yaml[2048];
	size_t n;
	int i;
	static const uint32_t want[] = { 5, 6, 7, 10, 11, 12, 14, 15, 20, 21 };

	(void)state;
	n = (size_t)snprintf(
		yaml, sizeof(yaml),
		"name: v\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"pcie: { root_complexes: [ { name: rc0 } ] }\n"
		"devices:\n"
		"  - { type: serial, name: com1 }\n"
		"  - { type: serial, name: com2 }\n");
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(
			yaml + n, sizeof(yaml) - n,
			"  - { type: virtio-rng, name: r%d, transport: mmio }\n",
			i);
	snprintf(yaml + n, sizeof(yaml) - n, "boot: { kernel: /k }\n");
	cfg = load_valid(yaml);
	assert_int_equal(layout_resolve(cfg, &l, &dl), 0);
	check_invariants(l);
	assert_int_equal(l->devices[0].io_port, 0x3f8);
	assert_int_equal(l->devices[0].gsi, 4);
	assert_true(l->devices[0].console);
	assert_int_equal(l->devices[1].io_port, 0x2f8);
	assert_int_equal(l->devices[1].gsi, 3);
	assert_false(l->devices[1].console);
	for (i = 0; i < 10; i++) {
		const struct layout_device *d = &l->devices[2 + i];

		assert_int_equal(d->gsi, want[i]);
		assert_int_equal(d->mmio_size, 4 * KiB);
		assert_int_equal(d->pci_fn, -1);
	}
	/* after rc0's mmio32 window (64 MiB at 3 GiB) */
	assert_int_equal(l->devices[2].mmio_base, 0xc4000000);
	assert_int_equal(l->devices[3].mmio_base, 0xc4001000);
	/* the SCI, level high */
	for (i = 0; i < (int)l->n_irqs; i++)
		if (l->irqs[i].gsi == 9)
			break;
	assert_true(i < (int)l->n_irqs);
	assert_string_equal(l->irqs[i].owner, "acpi");
	assert_string_equal(l->irqs[i].what, "sci");
	assert_int_equal(l->irqs[i].trigger, TRIGGER_LEVEL);
	assert_int_equal(l->irqs[i].polarity, POLARITY_HIGH);
	layout_free(l);
	cfg_free(cfg);

	/* without PCI, the first GSI after the ISA list is 16 */
	n = (size_t)snprintf(
		yaml, sizeof(yaml),
		"name: v\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"devices:\n");
	for (i = 0; i < 9; i++)
		n += (size_t)snprintf(
			yaml + n, sizeof(yaml) - n,
			"  - { type: virtio-rng, name: r%d, transport: mmio }\n",
			i);
	snprintf(yaml + n, sizeof(yaml) - n, "boot: { kernel: /k }\n");
	l = resolve_ok(yaml);
	assert_int_equal(l->devices[8].gsi, 16);
	assert_int_equal(l->devices[0].mmio_base, 0xc0000000);
	layout_freep(&l);
}

static void test_arm_gicv3(void **state)
{
	struct vm_layout *l = resolve_ok(
		"name: arm\narch: aarch64\n"
		"cpu: { count: 6 }\n"
		"memory: { size: 1G }\n"
		"interrupts: { gic: { version: 3, its: 0x08080000 } }\n"
		"devices:\n"
		"  - { type: serial, name: uart0 }\n"
		"  - { type: virtio-blk, name: d, path: /dev/null, transport: mmio }\n"
		"  - { type: virtio-net, name: n, tap: tap0 }\n"
		"boot: { kernel: /Image }\n");
	const struct layout_region *g;
	size_t i;

	(void)state;
	assert_int_equal(l->gic_version, 3);
	assert_int_equal(l->gic_dist, 0x08000000);
	assert_int_equal(l->gic_redist, 0x080a0000);
	assert_int_equal(l->gic_redist_size, 6 * 128 * KiB);
	assert_int_equal(l->gic_its, 0x08080000);
	assert_int_equal(l->gic_nr_irqs, 256);
	g = region_find(l, LR_GIC_REDIST, NULL);
	assert_int_equal(g->gpa, 0x080a0000);
	assert_int_equal(g->size, 6 * 128 * KiB);
	assert_int_equal(region_find(l, LR_GIC_DIST, NULL)->size, 64 * KiB);
	assert_int_equal(region_find(l, LR_GIC_ITS, NULL)->size, 128 * KiB);
	/* RAM at 1 GiB, FDT in its first 2 MiB */
	assert_int_equal(l->fw_base, 0x40000000);
	assert_int_equal(l->fw_size, 2 * MiB);
	g = region_find(l, LR_FIRMWARE, "fdt");
	assert_int_equal(g->gpa, 0x40000000);
	assert_int_equal(l->n_slots, 1);
	assert_int_equal(l->slots[0].gpa, 0x40000000);
	/* PL011 and its SPI */
	assert_int_equal(l->devices[0].mmio_base, 0x09000000);
	assert_int_equal(l->devices[0].gsi, 33);
	assert_int_equal(region_find(l, LR_UART, "uart0")->gpa, 0x09000000);
	/* implicit rc: mmio32, PCI I/O, ECAM from the low pool */
	assert_int_equal(l->rcs[0].mmio32.base, 0x10000000);
	assert_int_equal(l->rcs[0].io_cpu_base, 0x14000000);
	assert_int_equal(l->rcs[0].io.base, 0);
	assert_int_equal(l->rcs[0].io.size, 64 * KiB);
	assert_int_equal(l->rcs[0].ecam_base, 0x20000000);
	assert_int_equal(l->rcs[0].mmio64.base, 4 * GiB);
	assert_int_equal(l->devices[1].mmio_base, 0x14010000);
	assert_int_equal(l->devices[1].gsi, 48);
	assert_int_equal(l->rcs[0].intx_gsi[0], 35);
	assert_int_equal(l->rcs[0].intx_gsi[3], 38);
	assert_int_equal(l->devices[2].gsi, 36); /* device 1, INTA -> B */
	/* timer PPIs */
	assert_int_equal(l->irqs[0].gsi, 26);
	assert_int_equal(l->irqs[1].gsi, 27);
	assert_int_equal(l->irqs[2].gsi, 29);
	assert_int_equal(l->irqs[3].gsi, 30);
	for (i = 0; i < 4; i++)
		assert_string_equal(l->irqs[i].owner, "timer");
	assert_string_equal(l->irqs[3].what, "timer-phys");
	layout_freep(&l);
}

static void test_arm_gicv2(void **state)
{
	struct vm_layout *l = resolve_ok(
		"name: arm\narch: aarch64\n"
		"cpu: { count: 2 }\n"
		"memory: { size: 1G }\n"
		"interrupts: { gic: { version: 2, v2m: 0x08020000 } }\n"
		"boot: { kernel: /Image }\n");

	(void)state;
	assert_int_equal(l->gic_version, 2);
	assert_int_equal(l->gic_cpuif, 0x08010000);
	assert_int_equal(region_find(l, LR_GIC_CPUIF, NULL)->size, 8 * KiB);
	assert_int_equal(region_find(l, LR_GIC_V2M, NULL)->gpa, 0x08020000);
	assert_int_equal(l->gic_redist_size, 0);
	/* nr_irqs 256: the v2m frame's MSIs are the top 64 SPIs */
	assert_int_equal(l->gic_v2m_spi_base, 192);
	assert_int_equal(l->gic_v2m_spi_count, 64);
	layout_freep(&l);
}

static void test_arm_v2m_spis(void **state)
{
	struct vm_layout *l;
	char *err;
	size_t i;

	(void)state;
	/* nr_irqs 128 has 96 SPIs: the frame gets half, INTIDs 80-127 */
	l = resolve_ok("name: arm\narch: aarch64\n"
		       "cpu: { count: 1 }\n"
		       "memory: { size: 1G }\n"
		       "interrupts: { gic: { version: 2, v2m: 0x08020000,"
		       " nr_irqs: 128 } }\n"
		       "devices:\n"
		       "  - { type: serial, name: u0 }\n"
		       "  - { type: virtio-rng, name: r0, transport: mmio }\n"
		       "boot: { kernel: /Image }\n");
	assert_int_equal(l->gic_v2m_spi_base, 80);
	assert_int_equal(l->gic_v2m_spi_count, 48);
	for (i = 0; i < l->n_irqs; i++)
		assert_true(l->irqs[i].gsi < 80);
	layout_freep(&l);
	/* no frame, no reservation */
	l = resolve_ok("name: arm\narch: aarch64\n"
		       "cpu: { count: 1 }\n"
		       "memory: { size: 1G }\n"
		       "interrupts: { gic: { version: 2 } }\n"
		       "boot: { kernel: /Image }\n");
	assert_int_equal(l->gic_v2m_spi_count, 0);
	layout_freep(&l);
	/* a serial irq fixed inside the range is a conflict */
	err = resolve_fail("name: arm\narch: aarch64\n"
			   "cpu: { count: 1 }\n"
			   "memory: { size: 1G }\n"
			   "interrupts: { gic: { version: 2, v2m: 0x08020000,"
			   " nr_irqs: 128 } }\n"
			   "devices: [ { type: serial, name: u0, irq: 60 } ]\n"
			   "boot: { kernel: /Image }\n");
	assert_string_equal(err,
			    "test.yaml:5:39: interrupts.gic.v2m: the MSI frame "
			    "needs INTIDs 80-127, a serial irq uses one of "
			    "them\n");
	free(err);
}

static void test_determinism(void **state)
{
	struct vm_layout *a = resolve_ok(pci_two_rcs);
	struct vm_layout *b = resolve_ok(pci_two_rcs);

	(void)state;
	assert_int_equal(a->n_regions, b->n_regions);
	assert_memory_equal(a->regions, b->regions,
			    a->n_regions * sizeof(*a->regions));
	assert_int_equal(a->n_fns, b->n_fns);
	assert_memory_equal(a->fns, b->fns, a->n_fns * sizeof(*a->fns));
	assert_memory_equal(a->irqs, b->irqs, a->n_irqs * sizeof(*a->irqs));
	layout_freep(&a);
	layout_freep(&b);
}

/* ---- property test --------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r, uint32_t n)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (uint32_t)((r->s >> 33) % n) : 0;
}

struct gen {
	char *buf;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
gput(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < g->cap - g->len);
	g->len += (size_t)n;
}

/* A random but valid config: root complexes, ports, switches, devices. */
static void gen_config(struct rng *r, struct gen *g, unsigned int seed)
{
	static const char *const mem[] = { "512M", "2G", "3G", "4G", "6G" };
	static const char *const m32[] = { "64M", "128M" };
	static const char *const m64[] = { "4G", "16G", "64G" };
	char ports[64][16];
	bool used[64] = { false };
	size_t n_ports = 0, i, j;
	bool arm = rnd(r, 2);
	uint32_t n_rcs = rnd(r, 4), n_sw = n_rcs ? rnd(r, 3) : 0;
	uint32_t n_dev = rnd(r, 9), n_mmio = 0, n_serial = 0;

	uint32_t n_nodes = rnd(r, 3);

	g->len = 0;
	gput(g, "name: gen%u\narch: %s\n", seed, arm ? "aarch64" : "x86_64");
	gput(g, "cpu: { count: %u }\n", 2 + rnd(r, 8));
	if (!arm && rnd(r, 4) == 0)
		gput(g,
		     "memory:\n  ranges:\n"
		     "    - { gpa: 0x0, size: 2G, type: ram, node: 0 }\n"
		     "    - { gpa: 0x80000000, size: 64M, type: reserved }\n"
		     "    - { gpa: 0xe0000000, size: 16M, type: mmio }\n"
		     "    - { gpa: 0x100000000, size: %uG, type: ram, node: %u }\n",
		     1 + rnd(r, 8), n_nodes);
	else
		gput(g, "memory: { size: %s }\n", mem[rnd(r, ARRAY_SIZE(mem))]);
	if (n_nodes) {
		gput(g, "numa:\n  nodes:\n");
		for (i = 0; i <= n_nodes; i++)
			gput(g, "    - { id: %zu }\n", i);
	}
	if (n_rcs) {
		gput(g, "pcie:\n  root_complexes:\n");
		for (i = 0; i < n_rcs; i++) {
			uint32_t np = rnd(r, 4);

			gput(g, "    - name: rc%zu\n", i);
			gput(g, "      buses: [%zu, %zu]\n", i * 64,
			     i * 64 + 63);
			gput(g, "      mmio32: { size: %s }\n",
			     m32[rnd(r, ARRAY_SIZE(m32))]);
			if (rnd(r, 4) == 0)
				gput(g,
				     "      mmio64: { base: 0x%llx, size: 64G }\n",
				     (unsigned long long)(128 + 64 * i) << 30);
			else
				gput(g, "      mmio64: { size: %s }\n",
				     m64[rnd(r, ARRAY_SIZE(m64))]);
			if (!np)
				continue;
			gput(g, "      ports:\n");
			for (j = 0; j < np; j++) {
				int w = snprintf(ports[n_ports],
						 sizeof(ports[0]), "rp%zu_%zu",
						 i, j);

				assert_true(w > 0 &&
					    (size_t)w < sizeof(ports[0]));
				gput(g, "        - { name: %s%s",
				     ports[n_ports],
				     rnd(r, 3) ? "" : ", hotplug: true");
				if (rnd(r, 3) == 0)
					gput(g, ", devfn: 0x%zx", (8 + j) << 3);
				gput(g, " }\n");
				n_ports++;
			}
		}
		for (i = 0; i < n_sw && n_ports; i++) {
			size_t p = rnd(r, (uint32_t)n_ports), k;
			uint32_t np = 1 + rnd(r, 3);

			if (used[p])
				continue;
			if (i == 0)
				gput(g, "  switches:\n");
			used[p] = true;
			gput(g, "    - name: sw%zu\n      parent_port: %s\n", i,
			     ports[p]);
			gput(g, "      ports:\n");
			for (k = 0; k < np && n_ports < ARRAY_SIZE(ports);
			     k++) {
				snprintf(ports[n_ports], sizeof(ports[0]),
					 "sw%zu_%zu", i, k);
				gput(g, "        - { name: %s%s }\n",
				     ports[n_ports],
				     rnd(r, 4) ? "" : ", hotplug: true");
				n_ports++;
			}
		}
	}
	if (n_dev)
		gput(g, "devices:\n");
	for (i = 0; i < n_dev; i++) {
		uint32_t t = rnd(r, 6);
		size_t p = n_ports ? rnd(r, (uint32_t)n_ports) : 0;
		const char *port = n_ports && !used[p] && rnd(r, 3) ? ports[p] :
								      NULL;

		if (t == 0) {
			if (n_serial++ < 2)
				gput(g, "  - { type: serial, name: s%zu }\n",
				     i);
			continue;
		}
		if (port)
			used[p] = true;
		if (t == 5) {
			gput(g,
			     "  - { type: shared-memory, name: m%zu, size: %uM%s%s }\n",
			     i, 1u << rnd(r, 9), port ? ", port: " : "",
			     port ? port : "");
			continue;
		}
		if (!port && n_mmio < 4 && rnd(r, 3) == 0) {
			n_mmio++;
			gput(g,
			     "  - { type: virtio-rng, name: v%zu, transport: mmio }\n",
			     i);
			continue;
		}
		gput(g, "  - { type: %s, name: v%zu%s%s%s }\n",
		     t == 1 ? "virtio-blk, path: /dev/null" :
		     t == 2 ? "virtio-net, tap: tap0" :
		     t == 3 ? "virtio-console" :
			      "virtio-rng",
		     i, port ? ", port: " : "", port ? port : "",
		     t == 2 ? ", queues: 2" : "");
	}
	gput(g, "boot: { kernel: /k }\n");
}

static void test_property(void **state)
{
	char buf[8192];
	struct gen g = { .buf = buf, .cap = sizeof(buf) };
	struct rng r = { .s = 0x5eed };
	unsigned int seed, with_pci = 0;

	(void)state;
	for (seed = 0; seed < 300; seed++) {
		struct vm_layout *l;

		gen_config(&r, &g, seed);
		if (getenv("RESOLVE_DUMP"))
			fprintf(stderr, "---- %u\n%s", seed, buf);
		l = resolve_ok(buf);
		with_pci += l->n_fns > 0;
		layout_free(l);
	}
	assert_true(with_pci > 100);
}

/* Loads without cfg_validate: the resolver must still not crash. */
static int resolve_unvalidated(const char *yaml, bool *loaded)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	struct vm_layout *l = NULL;
	int rc;

	*loaded = !cfg_load_buffer("test.yaml", yaml, strlen(yaml), &cfg, &dl);
	diag_list_free(&dl);
	if (!*loaded)
		return 0;
	rc = layout_resolve(cfg, &l, &dl);
	if (rc && getenv("RESOLVE_DUMP")) {
		struct diag_list vl = { 0 };

		fprintf(stderr, "validate %d\n", cfg_validate(cfg, &vl));
		diag_print(&dl, stderr);
		diag_list_free(&vl);
	}
	assert_true(rc == 0 || rc == -EINVAL);
	assert_true(rc == 0 ? l != NULL && dl.n == 0 : l == NULL && dl.n > 0);
	if (!rc)
		check_invariants(l);
	layout_free(l);
	diag_list_free(&dl);
	cfg_free(cfg);
	return rc;
}

static void test_robust_unvalidated(void **state)
{
	static const char *const bad[] = {
		/* overlapping ranges, range above 1 TiB, unknown node */
		"name: a\ncpu: { count: 4 }\n"
		"memory:\n  ranges:\n"
		"    - { gpa: 0x0, size: 1G, type: ram }\n"
		"    - { gpa: 0x20000000, size: 1G, type: ram, node: 5 }\n"
		"    - { gpa: 0xfee00000, size: 1G, type: mmio }\n"
		"    - { gpa: 0xffffff0000000, size: 1G, type: ram }\n"
		"boot: { kernel: /k }\n",
		/* switch cycle, port reused, devfn clash, unknown port */
		"name: b\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"pcie:\n  root_complexes:\n"
		"    - { name: rc0, ports: [ {name: p0, devfn: 0}, "
		"{name: p1, devfn: 8}, {name: p2, devfn: 8} ] }\n"
		"  switches:\n"
		"    - { name: s0, parent_port: s1p, ports: [ {name: s0p} ] }\n"
		"    - { name: s1, parent_port: s0p, ports: [ {name: s1p} ] }\n"
		"    - { name: s2, parent_port: p1, ports: [ {name: s2p} ] }\n"
		"devices:\n"
		"  - { type: virtio-blk, name: d0, path: /x, port: p1 }\n"
		"  - { type: virtio-blk, name: d1, path: /x, port: s2p }\n"
		"  - { type: virtio-blk, name: d2, path: /x, port: s2p }\n"
		"  - { type: virtio-blk, name: d3, path: /x, port: nope }\n"
		"  - { type: serial, name: c0, port: 0x400 }\n"
		"  - { type: serial, name: c1, irq: 9 }\n"
		"boot: { kernel: /k }\n",
		/* everything too big */
		"name: c\narch: aarch64\n"
		"cpu: { count: 1024 }\nmemory: { size: 1T }\n"
		"interrupts: { gic: { version: 3, nr_irqs: 64 } }\n"
		"numa: { nodes: [ { memory: 100G }, { memory: 2000G } ] }\n"
		"pcie:\n  root_complexes:\n"
		"    - { name: rc0, mmio32: { size: 2G }, mmio64: { size: 512G } }\n"
		"devices:\n"
		"  - { type: serial, name: u0, irq: 1000 }\n"
		"  - { type: serial, name: u1 }\n"
		"  - { type: virtio-rng, name: r0, transport: mmio }\n"
		"boot: { kernel: /k }\n",
		/* APIC ids overflow, no low RAM, no INTx pins, 5 serials */
		"name: d\n"
		"cpu: { count: 300, topology: { sockets: 3, cores: 100, "
		"threads: 1 }, x86: { x2apic: unsupported, "
		"apic_id_offset: 0xfffffff0 } }\n"
		"memory: { size: 100K }\n"
		"interrupts: { x86: { ioapic: { pins: 16 } } }\n"
		"devices:\n"
		"  - { type: virtio-rng, name: r0 }\n"
		"  - { type: serial, name: s0 }\n  - { type: serial, name: s1 }\n"
		"  - { type: serial, name: s2 }\n  - { type: serial, name: s3 }\n"
		"  - { type: serial, name: s4 }\n"
		"boot: { firmware: /bios }\n",
	};
	char buf[8192];
	struct gen g = { .buf = buf, .cap = sizeof(buf) };
	struct rng r = { .s = 0xbad };
	unsigned int i, loaded_n = 0;
	bool loaded;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(resolve_unvalidated(bad[i], &loaded), -EINVAL);
		assert_true(loaded);
	}
	/* random digit flips in generated configs */
	for (i = 0; i < 1000; i++) {
		unsigned int k, flips = 1 + rnd(&r, 4);

		gen_config(&r, &g, i);
		for (k = 0; k < flips; k++) {
			size_t at = rnd(&r, (uint32_t)g.len);

			if (buf[at] >= '0' && buf[at] <= '9')
				buf[at] = (char)('0' + rnd(&r, 10));
		}
		if (resolve_unvalidated(buf, &loaded) && getenv("RESOLVE_DUMP"))
			fprintf(stderr, "einval\n");
		loaded_n += loaded;
	}
	assert_true(loaded_n > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_simple_4g),
		cmocka_unit_test(test_x86_bios_and_small),
		cmocka_unit_test(test_x86_explicit_ranges),
		cmocka_unit_test(test_x86_needs_low_ram),
		cmocka_unit_test(test_numa_design_example),
		cmocka_unit_test(test_numa_round_robin),
		cmocka_unit_test(test_numa_even_split),
		cmocka_unit_test(test_apic_ids),
		cmocka_unit_test(test_x2apic_auto),
		cmocka_unit_test(test_mpidr),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_pcie_tree),
		cmocka_unit_test(test_pcie_devices_map),
		cmocka_unit_test(test_intx_swizzle),
		cmocka_unit_test(test_ecam_auto),
		cmocka_unit_test(test_implicit_rc),
		cmocka_unit_test(test_mmio32_out_of_space),
		cmocka_unit_test(test_bus_range_too_small),
		cmocka_unit_test(test_root_bus_full),
		cmocka_unit_test(test_bar_window_too_small),
		cmocka_unit_test(test_virtio_mmio_gsis),
		cmocka_unit_test(test_arm_gicv3),
		cmocka_unit_test(test_arm_gicv2),
		cmocka_unit_test(test_arm_v2m_spis),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_robust_unvalidated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
