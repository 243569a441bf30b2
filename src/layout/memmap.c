/* Resolver: guest physical map (RAM, slots, platform, dynamic MMIO). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/resolve_internal.h"

#define NUMA_GRANULE (2 * MiB)

struct carve {
	uint64_t start, end;
	enum layout_region_kind kind;
	const char *owner;
};

static const char *kind_owner(char buf[CFG_NAME_MAX + 16],
			      const struct layout_region *g)
{
	if (g->owner[0])
		snprintf(buf, CFG_NAME_MAX + 16, "%s (%s)",
			 layout_region_kind_name(g->kind), g->owner);
	else
		snprintf(buf, CFG_NAME_MAX + 16, "%s",
			 layout_region_kind_name(g->kind));
	return buf;
}

bool rsv_region_add(struct rsv *r, uint64_t gpa, uint64_t size,
		    enum layout_region_kind kind, int32_t node,
		    const char *owner, const char *path)
{
	struct vm_layout *l = r->l;
	struct layout_region *g;
	char what[CFG_NAME_MAX + 16];
	size_t i, pos;

	if (!size)
		return true;
	if (gpa >= LAYOUT_MAX_GPA || size > LAYOUT_MAX_GPA - gpa) {
		rsv_error(
			r, path,
			"%s at 0x%llx (size 0x%llx) ends above the 1 TiB guest physical limit",
			layout_region_kind_name(kind), (unsigned long long)gpa,
			(unsigned long long)size);
		return false;
	}
	for (pos = 0; pos < l->n_regions; pos++)
		if (l->regions[pos].gpa >= gpa)
			break;
	for (i = pos ? pos - 1 : 0; i < l->n_regions; i++) {
		const struct layout_region *o = &l->regions[i];

		if (o->gpa >= gpa + size)
			break;
		if (o->gpa + o->size <= gpa)
			continue;
		rsv_error(r, path,
			  "%s at 0x%llx-0x%llx overlaps %s at 0x%llx-0x%llx",
			  layout_region_kind_name(kind),
			  (unsigned long long)gpa,
			  (unsigned long long)(gpa + size - 1),
			  kind_owner(what, o), (unsigned long long)o->gpa,
			  (unsigned long long)(o->gpa + o->size - 1));
		return false;
	}
	g = rsv_grow(r, (void **)&l->regions, &r->cap_regions, l->n_regions,
		     sizeof(*g));
	if (!g)
		return false;
	memmove(&l->regions[pos + 1], &l->regions[pos],
		(l->n_regions - pos) * sizeof(*g));
	g = &l->regions[pos];
	memset(g, 0, sizeof(*g));
	g->gpa = gpa;
	g->size = size;
	g->kind = kind;
	g->node = node;
	snprintf(g->owner, sizeof(g->owner), "%s", owner ? owner : "");
	l->n_regions++;
	return true;
}

/* True when [gpa, gpa + size) touches no region. */
static bool range_is_free(const struct rsv *r, uint64_t gpa, uint64_t size)
{
	size_t i;

	for (i = 0; i < r->l->n_regions; i++) {
		const struct layout_region *o = &r->l->regions[i];

		if (o->gpa < gpa + size && gpa < o->gpa + o->size)
			return false;
	}
	return true;
}

/* First fit of @size at @align in [lo, hi) around the placed regions. */
static bool pool_alloc(const struct rsv *r, uint64_t lo, uint64_t hi,
		       uint64_t size, uint64_t align, uint64_t *out)
{
	const struct vm_layout *l = r->l;
	uint64_t cand;
	size_t i;

	if (!size || !is_pow2(align) || align > LAYOUT_MAX_GPA || lo >= hi ||
	    hi > LAYOUT_MAX_GPA)
		return false;
	cand = align_up(lo, align);
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *o = &l->regions[i];

		if (cand >= hi || size > hi - cand)
			return false;
		if (o->gpa + o->size <= cand)
			continue;
		if (o->gpa >= cand + size)
			break;
		cand = align_up(o->gpa + o->size, align);
	}
	if (cand >= hi || size > hi - cand)
		return false;
	*out = cand;
	return true;
}

/* Largest free extent of [lo, hi), for "N free" in messages. */
static uint64_t pool_largest(const struct rsv *r, uint64_t lo, uint64_t hi)
{
	const struct vm_layout *l = r->l;
	uint64_t cur = lo, best = 0;
	size_t i;

	for (i = 0; i < l->n_regions && cur < hi; i++) {
		const struct layout_region *o = &l->regions[i];
		uint64_t end = o->gpa + o->size;

		if (end <= cur)
			continue;
		if (o->gpa >= hi)
			break;
		if (o->gpa > cur && o->gpa - cur > best)
			best = o->gpa - cur;
		cur = end;
	}
	if (cur < hi && hi - cur > best)
		best = hi - cur;
	return best;
}

static struct rsv_range *range_add(struct rsv *r, uint64_t gpa, uint64_t size,
				   enum cfg_range_type type, int32_t node,
				   const char *path)
{
	struct rsv_range *g;

	g = rsv_grow(r, (void **)&r->ranges, &r->cap_ranges, r->n_ranges,
		     sizeof(*g));
	if (!g)
		return NULL;
	g->gpa = gpa;
	g->size = size;
	g->type = type;
	g->node = node;
	snprintf(g->path, sizeof(g->path), "%s", path);
	r->n_ranges++;
	return g;
}

/* Simple form: RAM around the 32-bit hole (x86) or at 1 GiB (arm64). */
static void ranges_simple(struct rsv *r)
{
	uint64_t s = r->cfg->memory.size;
	int32_t node = rsv_default_node(r);

	if (!s) {
		rsv_error(r, "memory.size", "the VM has no RAM");
		return;
	}
	if (r->l->arch == ARCH_X86_64) {
		uint64_t low =
			s < LAYOUT_X86_HOLE_START ? s : LAYOUT_X86_HOLE_START;

		range_add(r, 0, low, RANGE_RAM, node, "memory.size");
		if (s > low)
			range_add(r, LAYOUT_4G, s - low, RANGE_RAM, node,
				  "memory.size");
	} else {
		range_add(r, LAYOUT_ARM_RAM_BASE, s, RANGE_RAM, node,
			  "memory.size");
	}
}

static void ranges_explicit(struct rsv *r)
{
	const struct cfg_memory *m = &r->cfg->memory;
	char path[RSV_PATH_MAX];
	size_t i;

	if (!m->n_ranges || !m->ranges) {
		rsv_error(r, "memory", "the VM has no RAM");
		return;
	}
	for (i = 0; i < m->n_ranges; i++) {
		const struct cfg_mem_range *g = &m->ranges[i];
		int32_t node = g->node;

		if (g->type == RANGE_MMIO)
			node = -1;
		else if (node < 0)
			node = rsv_default_node(r);
		rsv_path(path, "memory.ranges[%zu]", i);
		if (!range_add(r, g->gpa, g->size, g->type, node, path))
			return;
	}
}

/* Splits @total over @count shares in 2 MiB units; the last takes the rest. */
static void split_even(uint64_t *q, const bool *take, size_t n, uint64_t total)
{
	size_t count = 0, seen = 0, i;
	uint64_t per;

	for (i = 0; i < n; i++)
		count += take[i];
	if (!count)
		return;
	per = total / count / NUMA_GRANULE * NUMA_GRANULE;
	for (i = 0; i < n; i++) {
		if (!take[i])
			continue;
		seen++;
		q[i] = seen == count ? total - per * (count - 1) : per;
	}
}

/* Simple form with NUMA: node i gets its share, in list and address order. */
static void carve_nodes(struct rsv *r)
{
	const struct cfg_numa *cn = &r->cfg->numa;
	uint64_t s = r->cfg->memory.size, sum = 0;
	uint64_t q[CFG_MAX_NUMA_NODES] = { 0 };
	bool take[CFG_MAX_NUMA_NODES] = { false };
	size_t n = cn->n_nodes, i, node = 0, n_in;
	struct rsv_range *in;
	uint64_t left;

	if (n < 2 || n > CFG_MAX_NUMA_NODES)
		return; /* one node: ranges already carry it */
	for (i = 0; i < n; i++) {
		if (cn->nodes[i].has_memory) {
			q[i] = cn->nodes[i].memory;
			sum += q[i] < s - sum ? q[i] : s - sum; /* <= s */
		} else {
			take[i] = true;
		}
	}
	if (sum == 0)
		for (i = 0; i < n; i++)
			take[i] = true;
	split_even(q, take, n, sum < s ? s - sum : 0);

	in = r->ranges;
	n_in = r->n_ranges;
	r->ranges = NULL;
	r->n_ranges = 0;
	r->cap_ranges = 0;
	left = q[0];
	for (i = 0; i < n_in && !r->oom; i++) {
		uint64_t pos = in[i].gpa, rem = in[i].size;

		while (rem) {
			uint64_t take_b;

			while (node + 1 < n && left == 0)
				left = q[++node];
			/* leftover (memory sums below size) goes to the last */
			take_b = left && left < rem ? left : rem;
			left = left > take_b ? left - take_b : 0;
			if (!range_add(r, pos, take_b, RANGE_RAM,
				       (int32_t)cn->nodes[node].id, in[i].path))
				break;
			pos += take_b;
			rem -= take_b;
		}
	}
	free(in);
}

static void sort_slots(struct vm_layout *l)
{
	size_t i, j;

	for (i = 1; i < l->n_slots; i++) {
		struct layout_slot t = l->slots[i];

		for (j = i; j > 0 && l->slots[j - 1].gpa > t.gpa; j--)
			l->slots[j] = l->slots[j - 1];
		l->slots[j] = t;
	}
}

/* Emits one RAM range as regions, cutting out the firmware/legacy areas. */
static void emit_ram(struct rsv *r, const struct rsv_range *g,
		     const struct carve *cv, size_t n_cv)
{
	uint64_t cur = g->gpa, end = g->gpa + g->size;
	size_t i;

	for (i = 0; i < n_cv; i++) {
		uint64_t s, e;

		if (cv[i].end <= cur || cv[i].start >= end)
			continue;
		s = cv[i].start > cur ? cv[i].start : cur;
		e = cv[i].end < end ? cv[i].end : end;
		if (s > cur && !rsv_region_add(r, cur, s - cur, LR_RAM, g->node,
					       "", g->path))
			return;
		if (!rsv_region_add(r, s, e - s, cv[i].kind, g->node,
				    cv[i].owner, g->path))
			return;
		cur = e;
	}
	if (cur < end)
		rsv_region_add(r, cur, end - cur, LR_RAM, g->node, "", g->path);
}

/* x86: RAM must cover [0, 1 MiB) (IVT, BDA, EBDA, boot structures). */
static bool x86_low_is_covered(const struct rsv *r)
{
	uint64_t cur = 0;
	bool moved = true;
	size_t i;

	while (cur < LAYOUT_X86_FW_END && moved) {
		moved = false;
		for (i = 0; i < r->n_ranges; i++) {
			const struct rsv_range *g = &r->ranges[i];

			if (g->type == RANGE_RAM && g->gpa <= cur &&
			    cur - g->gpa < g->size) {
				cur = g->gpa + g->size;
				moved = true;
			}
		}
	}
	return cur >= LAYOUT_X86_FW_END;
}

void rsv_memory(struct rsv *r)
{
	struct vm_layout *l = r->l;
	struct carve cv[2];
	size_t n_cv = 0, i;
	const struct rsv_range *low = NULL;
	unsigned int errors = r->n_errors;

	if (r->cfg->memory.has_size) {
		ranges_simple(r);
		carve_nodes(r);
	} else {
		ranges_explicit(r);
	}
	if (r->oom || r->n_errors != errors)
		return;

	for (i = 0; i < r->n_ranges; i++) {
		const struct rsv_range *g = &r->ranges[i];

		if (g->size > LAYOUT_MAX_GPA ||
		    g->gpa > LAYOUT_MAX_GPA - g->size) {
			rsv_error(r, g->path,
				  "ends above the 1 TiB guest physical limit");
			return;
		}
		if (g->type == RANGE_RAM && (!low || g->gpa < low->gpa))
			low = g;
	}
	if (!low) {
		rsv_error(r, "memory.ranges", "the VM has no RAM");
		return;
	}
	if (l->arch == ARCH_X86_64) {
		if (!x86_low_is_covered(r)) {
			rsv_error(
				r,
				r->cfg->memory.has_size ? "memory.size" :
							  "memory.ranges",
				"x86 needs RAM at 0x0-0xfffff for boot structures");
			return;
		}
		cv[n_cv++] = (struct carve){
			.start = LAYOUT_X86_LOWMEM_END,
			.end = LAYOUT_X86_FW_START,
			.kind = LR_RESERVED,
			.owner = "legacy",
		};
		cv[n_cv++] = (struct carve){
			.start = LAYOUT_X86_FW_START,
			.end = LAYOUT_X86_FW_END,
			.kind = LR_FIRMWARE,
			.owner = "acpi",
		};
		l->fw_base = LAYOUT_X86_FW_START;
		l->fw_size = LAYOUT_X86_FW_END - LAYOUT_X86_FW_START;
	} else {
		/* in the simple form the lowest piece may be split by node */
		uint64_t fw = RSV_ARM_FDT_SIZE, contig = 0, at = low->gpa;
		bool moved = true;

		while (moved && contig < fw) {
			moved = false;
			for (i = 0; i < r->n_ranges; i++) {
				const struct rsv_range *g = &r->ranges[i];

				if (g->type == RANGE_RAM && g->size &&
				    g->gpa == at) {
					contig += g->size;
					at += g->size;
					moved = true;
				}
			}
		}
		l->fw_base = low->gpa;
		l->fw_size = contig < fw ? contig : fw;
		cv[n_cv++] = (struct carve){
			.start = l->fw_base,
			.end = l->fw_base + l->fw_size,
			.kind = LR_FIRMWARE,
			.owner = "fdt",
		};
	}

	for (i = 0; i < r->n_ranges && !r->oom; i++) {
		const struct rsv_range *g = &r->ranges[i];
		struct layout_slot *sl;
		int idx;

		if (!g->size)
			continue; /* the validator reports it */
		switch (g->type) {
		case RANGE_RAM:
			emit_ram(r, g, cv, n_cv);
			l->ram_bytes += g->size;
			idx = rsv_node_index(r, g->node);
			if (idx >= 0)
				l->nodes[idx].memory += g->size;
			break;
		case RANGE_RESERVED:
			rsv_region_add(r, g->gpa, g->size, LR_RESERVED, g->node,
				       "", g->path);
			break;
		case RANGE_MMIO:
			rsv_region_add(r, g->gpa, g->size, LR_MMIO, -1, "",
				       g->path);
			continue;
		}
		sl = rsv_grow(r, (void **)&l->slots, &r->cap_slots, l->n_slots,
			      sizeof(*sl));
		if (!sl)
			return;
		sl->gpa = g->gpa;
		sl->size = g->size;
		sl->node = g->node;
		l->n_slots++;
	}
	sort_slots(l);
}

static void platform_x86(struct rsv *r)
{
	struct vm_layout *l = r->l;

	rsv_region_add(r, l->lapic_base, LAYOUT_X86_LAPIC_SIZE, LR_LAPIC, -1,
		       "lapic", "interrupts.x86.lapic");
	rsv_region_add(r, l->ioapic_base, LAYOUT_X86_IOAPIC_SIZE, LR_IOAPIC, -1,
		       "ioapic", "interrupts.x86.ioapic.base");
	if (r->cfg->boot.kind == BOOT_FIRMWARE)
		rsv_region_add(r, LAYOUT_4G - LAYOUT_X86_BIOS_SIZE,
			       LAYOUT_X86_BIOS_SIZE, LR_BIOS, -1, "bios",
			       "boot.firmware");
}

static void platform_arm(struct rsv *r)
{
	struct vm_layout *l = r->l;

	rsv_region_add(r, l->gic_dist, LAYOUT_GIC_DIST_SIZE, LR_GIC_DIST, -1,
		       "gic", "interrupts.gic.distributor");
	rsv_region_add(r, l->gic_redist, l->gic_redist_size, LR_GIC_REDIST, -1,
		       "gic", "interrupts.gic.redistributors");
	if (l->gic_its)
		rsv_region_add(r, l->gic_its, LAYOUT_GIC_ITS_SIZE, LR_GIC_ITS,
			       -1, "gic", "interrupts.gic.its");
	if (l->gic_cpuif)
		rsv_region_add(r, l->gic_cpuif, LAYOUT_GIC_CPUIF_SIZE,
			       LR_GIC_CPUIF, -1, "gic",
			       "interrupts.gic.cpu_interface");
	if (l->gic_v2m)
		rsv_region_add(r, l->gic_v2m, LAYOUT_GIC_V2M_SIZE, LR_GIC_V2M,
			       -1, "gic", "interrupts.gic.v2m");
}

static uint64_t ecam_size(const struct layout_rc *rc)
{
	return ((uint64_t)rc->bus_end - rc->bus_start + 1) * MiB;
}

void rsv_platform(struct rsv *r)
{
	const struct vm_config *cfg = r->cfg;
	struct vm_layout *l = r->l;
	char path[RSV_PATH_MAX];
	size_t i;

	if (l->arch == ARCH_X86_64)
		platform_x86(r);
	else
		platform_arm(r);

	for (i = 0; i < cfg->n_devices && l->arch == ARCH_AARCH64; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type != DEV_SERIAL || !d->has_address)
			continue;
		if (rsv_region_add(r, d->address, LAYOUT_DEV_MMIO_SIZE, LR_UART,
				   -1, d->name,
				   rsv_path(path, "devices[%zu].address", i))) {
			l->devices[i].mmio_base = d->address;
			l->devices[i].mmio_size = LAYOUT_DEV_MMIO_SIZE;
		}
	}

	for (i = 0; i < r->n_rcs; i++) {
		const struct rsv_rc *x = &r->rcs[i];
		struct layout_rc *rc = &l->rcs[i];

		if (x->ecam_fixed) {
			rc->ecam_base = x->ecam;
			rc->ecam_size = ecam_size(rc);
			rsv_region_add(r, rc->ecam_base, rc->ecam_size, LR_ECAM,
				       -1, rc->name,
				       rsv_path(path, "%s.ecam", x->path));
		}
		if (x->mmio32.has_base && x->mmio32.size) {
			rc->mmio32.base = x->mmio32.base;
			rc->mmio32.size = x->mmio32.size;
			r->rcs[i].placed32 = rsv_region_add(
				r, rc->mmio32.base, rc->mmio32.size,
				LR_PCI_MMIO32, -1, rc->name,
				rsv_path(path, "%s.mmio32", x->path));
		}
		if (x->mmio64.has_base && x->mmio64.size) {
			rc->mmio64.base = x->mmio64.base;
			rc->mmio64.size = x->mmio64.size;
			r->rcs[i].placed64 = rsv_region_add(
				r, rc->mmio64.base, rc->mmio64.size,
				LR_PCI_MMIO64, -1, rc->name,
				rsv_path(path, "%s.mmio64", x->path));
		}
	}
}

struct pools {
	uint64_t lo32, hi32; /* 32-bit pool */
	uint64_t lo64, hi64; /* 64-bit pool */
};

static void pools_get(const struct rsv *r, struct pools *p)
{
	uint64_t top = LAYOUT_4G;
	size_t i;

	if (r->l->arch == ARCH_X86_64) {
		p->lo32 = LAYOUT_X86_HOLE_START;
		p->hi32 = LAYOUT_X86_PLATFORM;
	} else {
		p->lo32 = LAYOUT_ARM_LOW_POOL;
		p->hi32 = LAYOUT_ARM_RAM_BASE;
	}
	for (i = 0; i < r->n_ranges; i++)
		if (r->ranges[i].gpa + r->ranges[i].size > top)
			top = r->ranges[i].gpa + r->ranges[i].size;
	p->lo64 = align_up(top, GiB);
	p->hi64 = LAYOUT_MAX_GPA;
}

/* A dynamic MMIO window: aligned to its size (<= 1 GiB) and its content. */
static void alloc_window(struct rsv *r, const struct pools *p, size_t i,
			 bool is64)
{
	const struct rsv_rc *x = &r->rcs[i];
	struct layout_rc *rc = &r->l->rcs[i];
	const struct cfg_window *w = is64 ? &x->mmio64 : &x->mmio32;
	struct layout_window *out = is64 ? &rc->mmio64 : &rc->mmio32;
	uint64_t lo = is64 ? p->lo64 : p->lo32, hi = is64 ? p->hi64 : p->hi32;
	uint64_t inner = is64 ? x->pref_align : x->mem_align;
	uint64_t align = rsv_natural_align(w->size, RSV_WIN_GRANULE);
	char path[RSV_PATH_MAX], a[32], b[32];
	uint64_t gpa;

	if (w->has_base || !w->size)
		return;
	rsv_path(path, "%s.%s", x->path, is64 ? "mmio64" : "mmio32");
	if (inner > align && inner <= w->size && is_pow2(inner))
		align = inner;
	if (!pool_alloc(r, lo, hi, w->size, align, &gpa)) {
		rsv_error(r, path, "needs %s %s 4 GiB, %s free",
			  fmt_size(a, w->size), is64 ? "above" : "below",
			  fmt_size(b, pool_largest(r, lo, hi)));
		return;
	}
	if (!rsv_region_add(r, gpa, w->size,
			    is64 ? LR_PCI_MMIO64 : LR_PCI_MMIO32, -1, rc->name,
			    path))
		return;
	out->base = gpa;
	out->size = w->size;
	if (is64)
		r->rcs[i].placed64 = true;
	else
		r->rcs[i].placed32 = true;
}

static void alloc_ecam(struct rsv *r, const struct pools *p, size_t i)
{
	const struct rsv_rc *x = &r->rcs[i];
	struct layout_rc *rc = &r->l->rcs[i];
	uint64_t size = ecam_size(rc);
	uint64_t align = rsv_natural_align(size, MiB);
	char path[RSV_PATH_MAX], a[32], b[32], c[32];
	uint64_t gpa;

	if (x->ecam_fixed)
		return;
	rsv_path(path, "%s.ecam", x->path);
	if (!pool_alloc(r, p->lo32, p->hi32, size, align, &gpa) &&
	    !pool_alloc(r, p->lo64, p->hi64, size, align, &gpa)) {
		rsv_error(r, path,
			  "ECAM needs %s, %s free below 4 GiB and %s above",
			  fmt_size(a, size),
			  fmt_size(b, pool_largest(r, p->lo32, p->hi32)),
			  fmt_size(c, pool_largest(r, p->lo64, p->hi64)));
		return;
	}
	rc->ecam_base = gpa;
	rc->ecam_size = size;
	rsv_region_add(r, gpa, size, LR_ECAM, -1, rc->name, path);
}

static void alloc_pci_io(struct rsv *r, const struct pools *p, size_t i)
{
	struct layout_rc *rc = &r->l->rcs[i];
	char a[32], b[32];
	uint64_t gpa;

	if (!pool_alloc(r, p->lo32, p->hi32, RSV_ARM_PCI_IO_SIZE,
			RSV_ARM_PCI_IO_SIZE, &gpa)) {
		rsv_error(r, r->rcs[i].path,
			  "PCI I/O window needs %s below 4 GiB, %s free",
			  fmt_size(a, RSV_ARM_PCI_IO_SIZE),
			  fmt_size(b, pool_largest(r, p->lo32, p->hi32)));
		return;
	}
	rc->io.base = 0;
	rc->io.size = RSV_ARM_PCI_IO_SIZE;
	rc->io_cpu_base = gpa;
	rsv_region_add(r, gpa, RSV_ARM_PCI_IO_SIZE, LR_PCI_IO, -1, rc->name,
		       r->rcs[i].path);
}

static void alloc_device(struct rsv *r, const struct pools *p, size_t i)
{
	const struct cfg_device *d = &r->cfg->devices[i];
	struct layout_device *ld = &r->l->devices[i];
	enum layout_region_kind kind;
	char path[RSV_PATH_MAX], a[32], b[32];
	uint64_t gpa;

	if (d->type == DEV_SERIAL) {
		if (r->l->arch != ARCH_AARCH64 || d->has_address)
			return;
		kind = LR_UART;
	} else if (d->transport == TRANSPORT_MMIO &&
		   devreg_get(d->type)->mmio) {
		kind = LR_VIRTIO_MMIO;
	} else {
		return;
	}
	rsv_path(path, "devices[%zu]", i);
	if (kind == LR_UART &&
	    range_is_free(r, LAYOUT_ARM_UART, LAYOUT_DEV_MMIO_SIZE)) {
		gpa = LAYOUT_ARM_UART;
	} else if (!pool_alloc(r, p->lo32, p->hi32, LAYOUT_DEV_MMIO_SIZE,
			       LAYOUT_DEV_MMIO_SIZE, &gpa)) {
		rsv_error(r, path, "needs %s below 4 GiB, %s free",
			  fmt_size(a, LAYOUT_DEV_MMIO_SIZE),
			  fmt_size(b, pool_largest(r, p->lo32, p->hi32)));
		return;
	}
	if (rsv_region_add(r, gpa, LAYOUT_DEV_MMIO_SIZE, kind, -1, d->name,
			   path)) {
		ld->mmio_base = gpa;
		ld->mmio_size = LAYOUT_DEV_MMIO_SIZE;
	}
}

void rsv_dynamic(struct rsv *r)
{
	struct pools p;
	size_t i;

	pools_get(r, &p);
	for (i = 0; i < r->n_rcs; i++)
		alloc_window(r, &p, i, false);
	for (i = 0; i < r->n_rcs && r->l->arch == ARCH_AARCH64; i++)
		alloc_pci_io(r, &p, i);
	for (i = 0; i < r->n_rcs; i++)
		alloc_ecam(r, &p, i);
	for (i = 0; i < r->cfg->n_devices && r->l->devices; i++)
		alloc_device(r, &p, i);
	for (i = 0; i < r->n_rcs; i++)
		alloc_window(r, &p, i, true);
}

/* Last line of defence: the map must be sorted, disjoint, below 1 TiB. */
void rsv_check_regions(struct rsv *r)
{
	const struct vm_layout *l = r->l;
	size_t i;

	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *g = &l->regions[i];

		if (g->gpa + g->size > LAYOUT_MAX_GPA ||
		    (i &&
		     l->regions[i - 1].gpa + l->regions[i - 1].size > g->gpa)) {
			rsv_error(
				r, "memory",
				"internal error: region %zu (%s) is misplaced",
				i, layout_region_kind_name(g->kind));
			return;
		}
	}
}
