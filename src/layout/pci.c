/* Resolver: PCIe tree, bus numbers, devfns, bridge windows and BARs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/resolve_internal.h"

#define PCI_DEVS 32
#define PCI_DEVFN(d, f) ((uint8_t)((d) << 3 | (f)))
#define PCI_SLOT(devfn) ((devfn) >> 3)
#define PCI_MAX_NEST 128 /* each switch level takes 2 buses of 256 */

/* Identities of the bridges (see the policy in resolve.c). */
#define ID_HOST_VENDOR 0x1b36
#define ID_HOST_DEVICE 0x0008
#define ID_RP_VENDOR 0x1b36
#define ID_RP_DEVICE 0x000c
#define ID_SWUP_VENDOR 0x104c
#define ID_SWUP_DEVICE 0x8232
#define ID_SWDN_VENDOR 0x104c
#define ID_SWDN_DEVICE 0x8233
#define CLASS_HOST_BRIDGE 0x060000
#define CLASS_PCI_BRIDGE 0x060400

struct pbuild {
	struct rsv *r;
	size_t rc;
	uint32_t next_bus; /* may run past bus_end: counts what is needed */
	bool *dev_done; /* per config device: has a function */
	bool *sw_done; /* per switch: placed (cycle guard) */
};

/* A child on a bus before devfn sorting: a port or a device. */
struct bus_child {
	uint8_t devfn;
	bool is_port;
	size_t idx; /* port index or device index */
};

/* One thing to pack in a window: a BAR or a bridge window. */
struct pitem {
	uint64_t size, align;
	int32_t fn;
	int bar; /* index in fn->bars, -1 for the bridge window */
};

bool rsv_dev_is_pci(const struct cfg_device *d)
{
	const struct devreg *e = devreg_get(d->type);

	return e->pci && (d->transport == TRANSPORT_PCI || !e->mmio);
}

static uint8_t bus_u8(uint32_t b)
{
	return b > 255 ? 255 : (uint8_t)b;
}

static int32_t fn_add(struct pbuild *pb, enum pci_fn_kind kind,
		      const char *name, int32_t parent, uint32_t bus,
		      uint8_t devfn)
{
	struct rsv *r = pb->r;
	struct vm_layout *l = r->l;
	struct layout_pci_fn *f;
	struct rsv_fn *x;
	int32_t i = (int32_t)l->n_fns;

	f = rsv_grow(r, (void **)&l->fns, &r->cap_fns, l->n_fns, sizeof(*f));
	if (!f)
		return -1;
	x = rsv_grow(r, (void **)&r->fx, &r->cap_fx, l->n_fns, sizeof(*x));
	if (!x)
		return -1;
	l->n_fns++;
	f->kind = kind;
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "");
	f->rc = (uint32_t)pb->rc;
	f->parent = parent;
	f->segment = l->rcs[pb->rc].segment;
	f->bus = bus_u8(bus);
	f->devfn = devfn;
	f->device = -1;
	x->first_child = x->last_child = x->next_sibling = -1;
	if (parent >= 0) {
		struct rsv_fn *p = &r->fx[parent];

		if (p->last_child >= 0)
			r->fx[p->last_child].next_sibling = i;
		else
			p->first_child = i;
		p->last_child = i;
	}
	return i;
}

static void endpoint_add(struct pbuild *pb, int32_t parent, uint32_t bus,
			 uint8_t devfn, size_t dev)
{
	const struct cfg_device *d = &pb->r->cfg->devices[dev];
	struct vm_layout *l = pb->r->l;
	int32_t i;

	pb->dev_done[dev] = true;
	i = fn_add(pb, PCI_ENDPOINT, d->name, parent, bus, devfn);
	if (i < 0)
		return;
	devreg_fill_fn(d, &l->fns[i]);
	l->fns[i].device = (int32_t)dev;
	if (l->devices)
		l->devices[dev].pci_fn = i;
}

static void children_sort(struct bus_child *c, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct bus_child t = c[i];

		for (j = i; j > 0 && c[j - 1].devfn > t.devfn; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
}

/* Next device number >= @from with no function in use; -1 when full. */
static int dev_next_free(const bool used[256], int from)
{
	int d, f;

	for (d = from; d < PCI_DEVS; d++) {
		for (f = 0; f < 8; f++)
			if (used[PCI_DEVFN(d, f)])
				break;
		if (f == 8)
			return d;
	}
	return -1;
}

static int dev_count(const bool used[256])
{
	int d, f, n = 0;

	for (d = 0; d < PCI_DEVS; d++)
		for (f = 0; f < 8; f++)
			if (used[PCI_DEVFN(d, f)]) {
				n++;
				break;
			}
	return n;
}

/*
 * Gives devfns to @n ports of one bus: explicit ones first, then the next
 * free device numbers from @first_auto. Returns the number of ports that
 * found no device number.
 */
static int ports_assign(struct rsv *r, const struct cfg_port *ports, size_t n,
			bool used[256], int first_auto, const char *list_path,
			struct bus_child *out, size_t *n_out)
{
	char path[RSV_PATH_MAX];
	int missing = 0;
	size_t j;

	for (j = 0; j < n; j++) {
		if (!ports[j].has_devfn)
			continue;
		if (used[ports[j].devfn]) {
			rsv_error(r,
				  rsv_path(path, "%s[%zu].devfn", list_path, j),
				  "devfn %02x.%x is already in use",
				  PCI_SLOT(ports[j].devfn), ports[j].devfn & 7);
			continue;
		}
		used[ports[j].devfn] = true;
		out[(*n_out)++] = (struct bus_child){
			.devfn = ports[j].devfn,
			.is_port = true,
			.idx = j,
		};
	}
	for (j = 0; j < n; j++) {
		int d;

		if (ports[j].has_devfn)
			continue;
		d = dev_next_free(used, first_auto);
		if (d < 0) {
			missing++;
			continue;
		}
		used[PCI_DEVFN(d, 0)] = true;
		out[(*n_out)++] = (struct bus_child){
			.devfn = PCI_DEVFN(d, 0),
			.is_port = true,
			.idx = j,
		};
	}
	return missing;
}

static long switch_find(const struct rsv *r, const char *port)
{
	const struct cfg_pcie *p = &r->cfg->pcie;
	size_t i;

	for (i = 0; i < p->n_switches; i++)
		if (p->switches[i].parent_port &&
		    !strcmp(p->switches[i].parent_port, port))
			return (long)i;
	return -1;
}

static long device_find(const struct pbuild *pb, const char *port)
{
	const struct vm_config *cfg = pb->r->cfg;
	size_t i;

	for (i = 0; i < cfg->n_devices; i++)
		if (!pb->dev_done[i] && cfg->devices[i].port &&
		    rsv_dev_is_pci(&cfg->devices[i]) &&
		    !strcmp(cfg->devices[i].port, port))
			return (long)i;
	return -1;
}

static void port_walk(struct pbuild *pb, int32_t parent, uint32_t bus,
		      uint8_t devfn, const struct cfg_port *port,
		      enum pci_fn_kind kind, unsigned int depth);

static void switch_walk(struct pbuild *pb, int32_t port_fn, uint32_t bus,
			size_t s, unsigned int depth)
{
	struct rsv *r = pb->r;
	const struct cfg_switch *sw = &r->cfg->pcie.switches[s];
	struct bus_child *kids;
	bool used[256] = { false };
	char path[RSV_PATH_MAX];
	size_t n = 0, j;
	int32_t up;
	int missing;

	pb->sw_done[s] = true;
	if (depth > PCI_MAX_NEST) {
		rsv_error(r,
			  rsv_path(path, "pcie.switches[%zu].parent_port", s),
			  "switches nest more than %d deep", PCI_MAX_NEST);
		return;
	}
	up = fn_add(pb, PCI_SWITCH_UP, sw->name, port_fn, bus, 0);
	if (up < 0)
		return;
	r->l->fns[up].vendor = ID_SWUP_VENDOR;
	r->l->fns[up].device_id = ID_SWUP_DEVICE;
	r->l->fns[up].class_code = CLASS_PCI_BRIDGE;
	r->l->fns[up].secondary = bus_u8(pb->next_bus);
	bus = pb->next_bus++;

	kids = calloc(sw->n_ports ? sw->n_ports : 1, sizeof(*kids));
	if (!kids) {
		r->oom = true;
		return;
	}
	rsv_path(path, "pcie.switches[%zu].ports", s);
	missing = ports_assign(r, sw->ports, sw->n_ports, used, 0, path, kids,
			       &n);
	if (missing)
		rsv_error(r, path,
			  "switch needs %d device numbers, a bus has %d",
			  dev_count(used) + missing, PCI_DEVS);
	children_sort(kids, n);
	for (j = 0; j < n && !r->oom; j++)
		port_walk(pb, up, bus, kids[j].devfn, &sw->ports[kids[j].idx],
			  PCI_SWITCH_DOWN, depth + 1);
	free(kids);
	r->l->fns[up].subordinate = bus_u8(pb->next_bus - 1);
}

static void port_walk(struct pbuild *pb, int32_t parent, uint32_t bus,
		      uint8_t devfn, const struct cfg_port *port,
		      enum pci_fn_kind kind, unsigned int depth)
{
	struct rsv *r = pb->r;
	uint32_t sec;
	int32_t i;
	long sw, dev;
	char path[RSV_PATH_MAX];

	i = fn_add(pb, kind, port->name, parent, bus, devfn);
	if (i < 0)
		return;
	if (kind == PCI_ROOT_PORT) {
		r->l->fns[i].vendor = ID_RP_VENDOR;
		r->l->fns[i].device_id = ID_RP_DEVICE;
	} else {
		r->l->fns[i].vendor = ID_SWDN_VENDOR;
		r->l->fns[i].device_id = ID_SWDN_DEVICE;
	}
	r->l->fns[i].class_code = CLASS_PCI_BRIDGE;
	r->l->fns[i].hotplug = port->hotplug;
	r->l->fns[i].secondary = bus_u8(pb->next_bus);
	sec = pb->next_bus++;

	sw = port->name ? switch_find(r, port->name) : -1;
	dev = port->name ? device_find(pb, port->name) : -1;
	if (sw >= 0 && !pb->sw_done[sw]) {
		switch_walk(pb, i, sec, (size_t)sw, depth);
		if (dev >= 0) {
			pb->dev_done[dev] = true;
			rsv_error(r, rsv_path(path, "devices[%ld].port", dev),
				  "port %s already leads to switch %s",
				  port->name, r->cfg->pcie.switches[sw].name);
		}
	} else if (dev >= 0) {
		endpoint_add(pb, i, sec, 0, (size_t)dev);
	}
	r->l->fns[i].subordinate = bus_u8(pb->next_bus - 1);
}

static void rc_build(struct pbuild *pb)
{
	struct rsv *r = pb->r;
	const struct vm_config *cfg = r->cfg;
	struct rsv_rc *x = &r->rcs[pb->rc];
	struct layout_rc *rc = &r->l->rcs[pb->rc];
	size_t n_ports = x->cfg ? x->cfg->n_ports : 0;
	struct bus_child *kids;
	bool used[256] = { false };
	char path[RSV_PATH_MAX];
	size_t n = 0, j;
	uint32_t have, need;
	int missing;
	int32_t host;

	host = fn_add(pb, PCI_HOST_BRIDGE, rc->name, -1, rc->bus_start, 0);
	if (host < 0)
		return;
	r->l->fns[host].vendor = ID_HOST_VENDOR;
	r->l->fns[host].device_id = ID_HOST_DEVICE;
	r->l->fns[host].class_code = CLASS_HOST_BRIDGE;
	used[0] = true;
	pb->next_bus = (uint32_t)rc->bus_start + 1;

	kids = calloc(n_ports + cfg->n_devices + 1, sizeof(*kids));
	if (!kids) {
		r->oom = true;
		return;
	}
	rsv_path(path, "%s.ports", x->path);
	missing = ports_assign(r, x->cfg ? x->cfg->ports : NULL, n_ports, used,
			       1, path, kids, &n);
	/* endpoints without a port are integrated in root complex 0 */
	for (j = 0; pb->rc == 0 && j < cfg->n_devices; j++) {
		int d;

		if (cfg->devices[j].port || !rsv_dev_is_pci(&cfg->devices[j]))
			continue;
		d = dev_next_free(used, 1);
		if (d < 0) {
			missing++;
			continue;
		}
		used[PCI_DEVFN(d, 0)] = true;
		kids[n++] = (struct bus_child){
			.devfn = PCI_DEVFN(d, 0),
			.idx = j,
		};
	}
	if (missing)
		rsv_error(r, x->path,
			  "root bus needs %d device numbers, a bus has %d",
			  dev_count(used) + missing, PCI_DEVS);
	children_sort(kids, n);
	for (j = 0; j < n && !r->oom; j++) {
		if (kids[j].is_port)
			port_walk(pb, -1, rc->bus_start, kids[j].devfn,
				  &x->cfg->ports[kids[j].idx], PCI_ROOT_PORT,
				  0);
		else
			endpoint_add(pb, -1, rc->bus_start, kids[j].devfn,
				     kids[j].idx);
	}
	free(kids);

	have = (uint32_t)rc->bus_end - rc->bus_start + 1;
	need = pb->next_bus - rc->bus_start;
	rc->buses_used = need < have ? need : have;
	if (need > have)
		rsv_error(r,
			  x->cfg ? rsv_path(path, "%s.buses", x->path) :
				   x->path,
			  "topology needs %u buses, range %u-%u has %u", need,
			  rc->bus_start, rc->bus_end, have);
}

/* Fills r->rcs / l->rcs from the config, or the implicit root complex. */
static bool rcs_init(struct rsv *r)
{
	const struct vm_config *cfg = r->cfg;
	struct vm_layout *l = r->l;
	bool need_pci = false;
	size_t n = cfg->pcie.n_rcs, i;
	uint32_t devid = 0; /* arm64: next free ITS DeviceID */

	for (i = 0; i < cfg->n_devices; i++)
		if (rsv_dev_is_pci(&cfg->devices[i]))
			need_pci = true;
	if (!n && need_pci)
		n = 1;
	if (!n)
		return true;
	r->rcs = calloc(n, sizeof(*r->rcs));
	l->rcs = calloc(n, sizeof(*l->rcs));
	if (!r->rcs || !l->rcs) {
		r->oom = true;
		return false;
	}
	r->n_rcs = l->n_rcs = n;
	for (i = 0; i < n; i++) {
		const struct cfg_root_complex *c =
			cfg->pcie.n_rcs ? &cfg->pcie.rcs[i] : NULL;
		struct rsv_rc *x = &r->rcs[i];
		struct layout_rc *rc = &l->rcs[i];
		char path[RSV_PATH_MAX];

		x->cfg = c;
		if (c) {
			rsv_path(x->path, "pcie.root_complexes[%zu]", i);
			snprintf(rc->name, sizeof(rc->name), "%s",
				 c->name ? c->name : "");
			rc->segment = c->segment;
			rc->bus_start = c->bus_start;
			rc->bus_end = c->bus_end;
			rc->node = c->node;
			x->mmio32 = c->mmio32;
			x->mmio64 = c->mmio64;
			x->ecam_fixed = c->has_ecam;
			x->ecam = c->ecam;
			if (rc->bus_end < rc->bus_start) {
				rsv_error(r,
					  rsv_path(path, "%s.buses", x->path),
					  "bus range %u-%u is empty",
					  rc->bus_start, rc->bus_end);
				rc->bus_end = rc->bus_start;
			}
		} else {
			snprintf(x->path, sizeof(x->path), "pcie");
			snprintf(rc->name, sizeof(rc->name), "pcie0");
			rc->bus_end = 255;
			rc->node = -1;
			x->mmio32.size = RSV_IMPLICIT_MMIO32;
			x->mmio64.size = RSV_IMPLICIT_MMIO64;
		}
		if (l->arch == ARCH_AARCH64) {
			rc->its_devid_base = devid;
			devid += ((uint32_t)rc->bus_end - rc->bus_start + 1)
				 << 8;
		}
		if (l->arch == ARCH_X86_64) {
			uint64_t base =
				LAYOUT_X86_IO_START + i * RSV_X86_IO_PER_RC;

			if (base + RSV_X86_IO_PER_RC > RSV_X86_IO_END) {
				rsv_error(
					r, x->path,
					"no I/O ports left: each root complex gets 4 KiB of ports 0x1000-0xffff, 15 root complexes at most");
				continue;
			}
			rc->io.base = base;
			rc->io.size = RSV_X86_IO_PER_RC;
		}
	}
	return true;
}

static int item_cmp(const void *a, const void *b)
{
	const struct pitem *x = a, *y = b;

	if (x->align != y->align)
		return x->align > y->align ? -1 : 1;
	if (x->fn != y->fn)
		return x->fn < y->fn ? -1 : 1;
	return x->bar < y->bar ? -1 : x->bar > y->bar;
}

/*
 * Things to put in the mem (@pref false) or pref window of bridge
 * @parent, or of the root bus of root complex @rc when @parent is -1;
 * sorted largest alignment first. Returns the count.
 */
static size_t items_get(const struct rsv *r, size_t rc, int32_t parent,
			bool pref, struct pitem *it)
{
	const struct vm_layout *l = r->l;
	size_t n = 0, i;
	int32_t c;

	for (i = 0; i < l->n_fns; i++) {
		const struct layout_pci_fn *f;
		uint32_t b;

		c = (int32_t)i;
		f = &l->fns[c];
		if (f->parent != parent || f->rc != rc ||
		    f->kind == PCI_HOST_BRIDGE)
			continue;
		if (f->kind == PCI_ENDPOINT) {
			for (b = 0; b < f->n_bars; b++) {
				if (f->bars[b].io ||
				    f->bars[b].prefetch != pref)
					continue;
				it[n++] = (struct pitem){
					.size = f->bars[b].size,
					.align = f->bars[b].size,
					.fn = c,
					.bar = (int)b,
				};
			}
		} else {
			const struct rsv_fn *x = &r->fx[c];
			uint64_t sz = pref ? x->pref_need : x->mem_need;

			if (sz)
				it[n++] = (struct pitem){
					.size = sz,
					.align = pref ? x->pref_align :
							x->mem_align,
					.fn = c,
					.bar = -1,
				};
		}
	}
	qsort(it, n, sizeof(*it), item_cmp);
	return n;
}

/* Bytes from @base to the end of the packed items; UINT64_MAX overflow. */
static uint64_t items_pack(const struct pitem *it, size_t n, uint64_t base,
			   uint64_t *max_align)
{
	uint64_t cur = base;
	size_t i;

	*max_align = 0;
	for (i = 0; i < n; i++) {
		if (it[i].align > *max_align)
			*max_align = it[i].align;
		cur = align_up(cur, it[i].align);
		if (cur > LAYOUT_MAX_GPA || it[i].size > LAYOUT_MAX_GPA - cur)
			return UINT64_MAX;
		cur += it[i].size;
	}
	return cur - base;
}

static void bridge_size(struct rsv *r, int32_t b, struct pitem *it)
{
	const struct layout_pci_fn *f = &r->l->fns[b];
	struct rsv_fn *x = &r->fx[b];
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bool pref = pass == 1;
		size_t n = items_get(r, f->rc, b, pref, it);
		uint64_t align, need = items_pack(it, n, 0, &align);
		uint64_t min = pref ? RSV_HOTPLUG_PREF : RSV_HOTPLUG_MEM;

		if (need != UINT64_MAX)
			need = align_up(need, RSV_WIN_GRANULE);
		if (f->hotplug && need < min)
			need = min;
		if (align < RSV_WIN_GRANULE)
			align = RSV_WIN_GRANULE;
		if (pref) {
			x->pref_need = need;
			x->pref_align = align;
		} else {
			x->mem_need = need;
			x->mem_align = align;
		}
	}
}

static void sizes_compute(struct rsv *r)
{
	struct vm_layout *l = r->l;
	struct pitem *it;
	size_t i;

	it = calloc(l->n_fns * 6 + 1, sizeof(*it));
	if (!it) {
		r->oom = true;
		return;
	}
	/* functions are in pre-order: children come after their parent */
	for (i = l->n_fns; i-- > 0;)
		if (l->fns[i].kind != PCI_ENDPOINT &&
		    l->fns[i].kind != PCI_HOST_BRIDGE)
			bridge_size(r, (int32_t)i, it);
	for (i = 0; i < r->n_rcs; i++) {
		struct rsv_rc *x = &r->rcs[i];
		size_t n;

		n = items_get(r, i, -1, false, it);
		x->mem_need = items_pack(it, n, 0, &x->mem_align);
		n = items_get(r, i, -1, true, it);
		x->pref_need = items_pack(it, n, 0, &x->pref_align);
		if (x->cfg)
			continue;
		/* the implicit root complex grows to what it holds */
		if (x->mem_need != UINT64_MAX &&
		    pow2_roundup(x->mem_need) > x->mmio32.size)
			x->mmio32.size = pow2_roundup(x->mem_need);
		if (x->pref_need != UINT64_MAX &&
		    pow2_roundup(x->pref_need) > x->mmio64.size)
			x->mmio64.size = pow2_roundup(x->pref_need);
	}
	free(it);
}

/* The first function behind bridge @port, or -1. */
static int32_t port_holder(const struct rsv *r, const char *port)
{
	const struct vm_layout *l = r->l;
	size_t i;

	for (i = 0; i < l->n_fns; i++) {
		const struct layout_pci_fn *f = &l->fns[i];

		if ((f->kind == PCI_ROOT_PORT || f->kind == PCI_SWITCH_DOWN) &&
		    !strcmp(f->name, port))
			return r->fx[i].first_child;
	}
	return -1;
}

void rsv_pci_build(struct rsv *r)
{
	const struct vm_config *cfg = r->cfg;
	struct pbuild pb = {
		.r = r,
	};
	char path[RSV_PATH_MAX];
	size_t i;

	if (!rcs_init(r) || !r->n_rcs)
		goto check_devices;
	pb.dev_done = calloc(cfg->n_devices + 1, sizeof(bool));
	pb.sw_done = calloc(cfg->pcie.n_switches + 1, sizeof(bool));
	if (!pb.dev_done || !pb.sw_done) {
		r->oom = true;
		goto free_flags;
	}
	for (i = 0; i < r->n_rcs && !r->oom; i++) {
		pb.rc = i;
		rc_build(&pb);
	}
	for (i = 0; i < cfg->pcie.n_switches; i++)
		if (!pb.sw_done[i])
			rsv_error(r,
				  rsv_path(path,
					   "pcie.switches[%zu].parent_port", i),
				  "switch %s is not reachable from a root port",
				  cfg->pcie.switches[i].name);
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		int32_t holder;

		if (pb.dev_done[i] || !rsv_dev_is_pci(d) || !d->port)
			continue;
		holder = port_holder(r, d->port);
		rsv_path(path, "devices[%zu].port", i);
		if (holder >= 0)
			rsv_error(r, path, "port %s already holds %s", d->port,
				  r->l->fns[holder].name);
		else
			rsv_error(
				r, path,
				"no PCIe port %s reachable from a root complex",
				d->port);
	}
	if (!r->oom)
		sizes_compute(r);
free_flags:
	free(pb.dev_done);
	free(pb.sw_done);
check_devices:
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type != DEV_SERIAL && d->transport == TRANSPORT_MMIO &&
		    !devreg_get(d->type)->mmio)
			rsv_error(r,
				  rsv_path(path, "devices[%zu].transport", i),
				  "%s has no mmio transport",
				  devreg_get(d->type)->name);
	}
}

/* Gives addresses to the items of one window, from its bottom. */
static bool window_fill(struct rsv *r, size_t rc, int32_t parent, bool pref,
			const struct layout_window *w, struct pitem *it,
			const char *path)
{
	struct vm_layout *l = r->l;
	size_t n = items_get(r, rc, parent, pref, it), i;
	uint64_t align, need = items_pack(it, n, w->base, &align);
	uint64_t cur = w->base;
	char a[32], b[32];

	if (!n)
		return true;
	if (need == UINT64_MAX || need > w->size) {
		if (need == UINT64_MAX)
			snprintf(a, sizeof(a), "more than 1 TiB");
		else
			fmt_size(a, need);
		rsv_error(r, path, "needs %s, window is %s", a,
			  fmt_size(b, w->size));
		return false;
	}
	for (i = 0; i < n; i++) {
		struct layout_pci_fn *f = &l->fns[it[i].fn];

		cur = align_up(cur, it[i].align);
		if (it[i].bar >= 0) {
			f->bars[it[i].bar].addr = cur;
		} else if (pref) {
			f->pref.base = cur;
			f->pref.size = it[i].size;
		} else {
			f->mem.base = cur;
			f->mem.size = it[i].size;
		}
		cur += it[i].size;
	}
	return true;
}

void rsv_pci_place(struct rsv *r)
{
	struct vm_layout *l = r->l;
	struct pitem *it;
	char path[RSV_PATH_MAX];
	bool *ok;
	size_t i;

	if (!l->n_fns)
		return;
	it = calloc(l->n_fns * 6 + 1, sizeof(*it));
	ok = calloc(r->n_rcs * 2, sizeof(*ok));
	if (!it || !ok) {
		r->oom = true;
		goto free_it;
	}
	for (i = 0; i < r->n_rcs; i++) {
		const struct rsv_rc *x = &r->rcs[i];
		const struct layout_rc *rc = &l->rcs[i];

		if (x->placed32 || !x->mmio32.size)
			ok[2 * i] = window_fill(
				r, i, -1, false, &rc->mmio32, it,
				rsv_path(path, "%s.mmio32", x->path));
		if (x->placed64 || !x->mmio64.size)
			ok[2 * i + 1] = window_fill(
				r, i, -1, true, &rc->mmio64, it,
				rsv_path(path, "%s.mmio64", x->path));
	}
	/* pre-order: a bridge's window is placed before its children */
	for (i = 0; i < l->n_fns; i++) {
		struct layout_pci_fn *f = &l->fns[i];

		if (f->kind == PCI_ENDPOINT || f->kind == PCI_HOST_BRIDGE)
			continue;
		if (ok[2 * f->rc])
			window_fill(r, f->rc, (int32_t)i, false, &f->mem, it,
				    r->rcs[f->rc].path);
		if (ok[2 * f->rc + 1])
			window_fill(r, f->rc, (int32_t)i, true, &f->pref, it,
				    r->rcs[f->rc].path);
	}
free_it:
	free(it);
	free(ok);
}
