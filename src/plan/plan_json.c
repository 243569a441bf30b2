/* The resolved layout as a stable JSON document (vmctl plan --json). */
#include <errno.h>
#include <stdio.h>

#include <json-c/json.h>
#include <uuid/uuid.h>

#include "plan/plan.h"

/*
 * Format rules (docs/plan-json.md): addresses, sizes and register values
 * are "0x..." strings, because JSON numbers lose precision above 2^53 in
 * many consumers; counts, indices, ids, bus numbers and GSIs are integers;
 * an absent value is null, never a missing key. Keys are added in a fixed
 * order and json-c keeps insertion order, so the output is byte-identical
 * for the same layout.
 *
 * Every container is attached to its parent as soon as it is created, so
 * the document has a single owner at all times and an allocation failure
 * anywhere only needs one json_object_put() of the root.
 */

struct jb {
	bool failed;
};

/* Adds @val under @key of @obj; takes @val even on failure. */
static struct json_object *put(struct jb *b, struct json_object *obj,
			       const char *key, struct json_object *val)
{
	if (!val || !obj || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		b->failed = true;
		return NULL;
	}
	return val;
}

/* Appends @val to array @arr; takes @val even on failure. */
static struct json_object *push(struct jb *b, struct json_object *arr,
				struct json_object *val)
{
	if (!val || !arr || json_object_array_add(arr, val)) {
		json_object_put(val);
		b->failed = true;
		return NULL;
	}
	return val;
}

static void put_null(struct jb *b, struct json_object *obj, const char *key)
{
	if (!obj || json_object_object_add(obj, key, NULL))
		b->failed = true;
}

static struct json_object *new_hex(uint64_t v)
{
	char buf[PLAN_HEX_BUF];

	return json_object_new_string(plan_fmt_hex(buf, v));
}

static void put_hex(struct jb *b, struct json_object *obj, const char *key,
		    uint64_t v)
{
	put(b, obj, key, new_hex(v));
}

static void put_int(struct jb *b, struct json_object *obj, const char *key,
		    int64_t v)
{
	put(b, obj, key, json_object_new_int64(v));
}

static void put_bool(struct jb *b, struct json_object *obj, const char *key,
		     bool v)
{
	put(b, obj, key, json_object_new_boolean(v));
}

/* A string, or null for NULL and "". */
static void put_str(struct jb *b, struct json_object *obj, const char *key,
		    const char *s)
{
	if (s && s[0])
		put(b, obj, key, json_object_new_string(s));
	else
		put_null(b, obj, key);
}

/* A NUMA node id, or null for -1. */
static void put_node(struct jb *b, struct json_object *obj, const char *key,
		     int32_t node)
{
	if (node >= 0)
		put_int(b, obj, key, node);
	else
		put_null(b, obj, key);
}

/* {"base": "0x...", "size": "0x..."} */
static struct json_object *put_range(struct jb *b, struct json_object *obj,
				     const char *key, uint64_t base,
				     uint64_t size)
{
	struct json_object *r = put(b, obj, key, json_object_new_object());

	put_hex(b, r, "base", base);
	put_hex(b, r, "size", size);
	return r;
}

/* A window as a range, or null when closed (size 0). */
static void put_window(struct jb *b, struct json_object *obj, const char *key,
		       const struct layout_window *w)
{
	if (w->size)
		put_range(b, obj, key, w->base, w->size);
	else
		put_null(b, obj, key);
}

/* An optional address: null when 0 (the layout's "absent"). */
static void put_addr(struct jb *b, struct json_object *obj, const char *key,
		     uint64_t v)
{
	if (v)
		put_hex(b, obj, key, v);
	else
		put_null(b, obj, key);
}

static void put_cpuset(struct jb *b, struct json_object *obj, const char *key,
		       const struct cfg_cpuset *s)
{
	struct json_object *a = put(b, obj, key, json_object_new_array());
	unsigned int c;

	for (c = 0; c < CFG_MAX_HOST_CPUS; c++)
		if (cpuset_is_set(s, c))
			push(b, a, json_object_new_int64(c));
}

static void put_bdf(struct jb *b, struct json_object *obj, const char *key,
		    const struct layout_pci_fn *fn)
{
	char buf[PLAN_BDF_BUF];

	put_str(b, obj, key,
		plan_fmt_bdf(buf, fn->segment, fn->bus, fn->devfn));
}

static void add_memory(struct jb *b, struct json_object *root,
		       const struct vm_layout *l)
{
	struct json_object *mem =
		put(b, root, "memory", json_object_new_object());
	struct json_object *regions, *slots;
	size_t i;

	put_hex(b, mem, "total", l->ram_bytes);
	regions = put(b, mem, "regions", json_object_new_array());
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		struct json_object *o =
			push(b, regions, json_object_new_object());

		put_hex(b, o, "start", r->gpa);
		put_hex(b, o, "size", r->size);
		put_str(b, o, "kind", layout_region_kind_name(r->kind));
		put_node(b, o, "node", r->node);
		put_str(b, o, "owner", r->owner);
	}
	slots = put(b, mem, "slots", json_object_new_array());
	for (i = 0; i < l->n_slots; i++) {
		const struct layout_slot *s = &l->slots[i];
		struct json_object *o =
			push(b, slots, json_object_new_object());

		put_hex(b, o, "start", s->gpa);
		put_hex(b, o, "size", s->size);
		put_node(b, o, "node", s->node);
	}
}

static void add_numa(struct jb *b, struct json_object *root,
		     const struct vm_layout *l)
{
	struct json_object *numa =
		put(b, root, "numa", json_object_new_object());
	struct json_object *nodes, *dist;
	size_t i, j;

	nodes = put(b, numa, "nodes", json_object_new_array());
	for (i = 0; i < l->n_nodes; i++) {
		const struct layout_numa_node *n = &l->nodes[i];
		struct json_object *o =
			push(b, nodes, json_object_new_object());
		struct json_object *cpus;

		put_int(b, o, "id", n->id);
		put_hex(b, o, "memory", n->memory);
		cpus = put(b, o, "cpus", json_object_new_array());
		for (j = 0; j < l->n_vcpus; j++)
			if (l->vcpus[j].node == n->id)
				push(b, cpus,
				     json_object_new_int64(l->vcpus[j].index));
		put_node(b, o, "host_node", n->host_node);
	}
	dist = put(b, numa, "distances", json_object_new_array());
	for (i = 0; l->distance && i < l->n_nodes; i++) {
		struct json_object *row =
			push(b, dist, json_object_new_array());

		for (j = 0; j < l->n_nodes; j++)
			push(b, row,
			     json_object_new_int64(
				     l->distance[i * l->n_nodes + j]));
	}
}

static void add_cpu(struct jb *b, struct json_object *root,
		    const struct vm_layout *l)
{
	struct json_object *cpu = put(b, root, "cpu", json_object_new_object());
	struct json_object *vcpus;
	size_t i;

	put_int(b, cpu, "count", (int64_t)l->n_vcpus);
	put_int(b, cpu, "sockets", l->sockets);
	put_int(b, cpu, "cores", l->cores);
	put_int(b, cpu, "threads", l->threads);
	if (l->arch == ARCH_X86_64) {
		struct json_object *x2 =
			put(b, cpu, "x2apic", json_object_new_object());

		put_str(b, x2, "mode", cfg_x2apic_name(l->x2apic_mode));
		put_bool(b, x2, "needed", l->x2apic);
		put_int(b, x2, "max_apic_id", l->max_apic_id);
	}
	vcpus = put(b, cpu, "vcpus", json_object_new_array());
	for (i = 0; i < l->n_vcpus; i++) {
		const struct layout_vcpu *v = &l->vcpus[i];
		struct json_object *o =
			push(b, vcpus, json_object_new_object());

		put_int(b, o, "index", v->index);
		if (l->arch == ARCH_X86_64)
			put_int(b, o, "apic_id", v->apic_id);
		else
			put_hex(b, o, "mpidr", v->mpidr);
		put_int(b, o, "socket", v->socket);
		put_int(b, o, "core", v->core);
		put_int(b, o, "thread", v->thread);
		put_int(b, o, "node", v->node);
		if (v->pinned)
			put_cpuset(b, o, "pinning", &v->pin);
		else
			put_null(b, o, "pinning");
	}
}

static void add_irqchip(struct jb *b, struct json_object *root,
			const struct vm_layout *l)
{
	struct json_object *ic =
		put(b, root, "interrupt_controller", json_object_new_object());

	if (l->arch == ARCH_X86_64) {
		struct json_object *io;

		put_str(b, ic, "type", "apic");
		put_hex(b, ic, "lapic", l->lapic_base);
		io = put(b, ic, "ioapic", json_object_new_object());
		put_hex(b, io, "base", l->ioapic_base);
		put_int(b, io, "pins", l->ioapic_pins);
		return;
	}
	put_str(b, ic, "type", "gic");
	put_int(b, ic, "version", l->gic_version);
	put_hex(b, ic, "distributor", l->gic_dist);
	if (l->gic_redist)
		put_range(b, ic, "redistributors", l->gic_redist,
			  l->gic_redist_size);
	else
		put_null(b, ic, "redistributors");
	put_addr(b, ic, "cpu_interface", l->gic_cpuif);
	put_addr(b, ic, "its", l->gic_its);
	put_addr(b, ic, "v2m", l->gic_v2m);
	if (l->gic_v2m_spi_count) {
		struct json_object *m =
			put(b, ic, "v2m_spis", json_object_new_object());

		put_int(b, m, "base", l->gic_v2m_spi_base);
		put_int(b, m, "count", l->gic_v2m_spi_count);
	} else {
		put_null(b, ic, "v2m_spis");
	}
	put_int(b, ic, "nr_irqs", l->gic_nr_irqs);
}

static void add_rc(struct jb *b, struct json_object *arr,
		   const struct vm_layout *l, const struct layout_rc *rc)
{
	struct json_object *o = push(b, arr, json_object_new_object());
	struct json_object *buses, *io, *intx;
	size_t i;

	put_str(b, o, "name", rc->name);
	put_int(b, o, "segment", rc->segment);
	buses = put(b, o, "buses", json_object_new_array());
	push(b, buses, json_object_new_int64(rc->bus_start));
	push(b, buses, json_object_new_int64(rc->bus_end));
	put_int(b, o, "buses_used", rc->buses_used);
	put_range(b, o, "ecam", rc->ecam_base, rc->ecam_size);
	put_window(b, o, "mmio32", &rc->mmio32);
	put_window(b, o, "mmio64", &rc->mmio64);
	if (rc->io.size) {
		io = put_range(b, o, "io", rc->io.base, rc->io.size);
		if (l->arch == ARCH_X86_64)
			put_null(b, io, "cpu_base");
		else
			put_hex(b, io, "cpu_base", rc->io_cpu_base);
	} else {
		put_null(b, o, "io");
	}
	put_node(b, o, "node", rc->node);
	intx = put(b, o, "intx_gsi", json_object_new_array());
	for (i = 0; i < ARRAY_SIZE(rc->intx_gsi); i++)
		push(b, intx, json_object_new_int64(rc->intx_gsi[i]));
}

static bool fn_is_bridge(const struct layout_pci_fn *fn)
{
	return fn->kind == PCI_ROOT_PORT || fn->kind == PCI_SWITCH_UP ||
	       fn->kind == PCI_SWITCH_DOWN;
}

static void add_bars(struct jb *b, struct json_object *o,
		     const struct layout_pci_fn *fn)
{
	struct json_object *bars = put(b, o, "bars", json_object_new_array());
	uint32_t i;

	for (i = 0; i < fn->n_bars && i < ARRAY_SIZE(fn->bars); i++) {
		const struct layout_bar *bar = &fn->bars[i];
		struct json_object *bo =
			push(b, bars, json_object_new_object());

		put_int(b, bo, "index", bar->index);
		put_str(b, bo, "type",
			bar->io	   ? "io" :
			bar->mem64 ? "mem64" :
				     "mem32");
		put_bool(b, bo, "prefetch", bar->prefetch);
		put_hex(b, bo, "base", bar->addr);
		put_hex(b, bo, "size", bar->size);
	}
}

static void add_fn(struct jb *b, struct json_object *arr,
		   const struct vm_layout *l, const struct layout_pci_fn *fn)
{
	static const char *const pins[] = { "INTA", "INTB", "INTC", "INTD" };
	struct json_object *o = push(b, arr, json_object_new_object());
	char buf[PLAN_HEX_BUF];

	put_bdf(b, o, "bdf", fn);
	put_str(b, o, "root_complex",
		fn->rc < l->n_rcs ? l->rcs[fn->rc].name : NULL);
	put_int(b, o, "segment", fn->segment);
	put_int(b, o, "bus", fn->bus);
	put_int(b, o, "device", fn->devfn >> 3);
	put_int(b, o, "function", fn->devfn & 7);
	put_str(b, o, "kind", pci_fn_kind_name(fn->kind));
	put_str(b, o, "name", fn->name);
	snprintf(buf, sizeof(buf), "0x%04x", fn->vendor);
	put_str(b, o, "vendor", buf);
	snprintf(buf, sizeof(buf), "0x%04x", fn->device_id);
	put_str(b, o, "device_id", buf);
	snprintf(buf, sizeof(buf), "0x%06x", fn->class_code);
	put_str(b, o, "class", buf);
	if (fn->parent >= 0 && (size_t)fn->parent < l->n_fns)
		put_bdf(b, o, "parent", &l->fns[fn->parent]);
	else
		put_null(b, o, "parent");

	if (fn_is_bridge(fn)) {
		struct json_object *w;

		put_int(b, o, "secondary", fn->secondary);
		put_int(b, o, "subordinate", fn->subordinate);
		w = put(b, o, "windows", json_object_new_object());
		put_window(b, w, "io", &fn->io);
		put_window(b, w, "mem", &fn->mem);
		put_window(b, w, "pref", &fn->pref);
		put_bool(b, o, "hotplug", fn->hotplug);
	} else if (fn->kind == PCI_ENDPOINT) {
		add_bars(b, o, fn);
		if (fn->int_pin >= 1 && fn->int_pin <= 4) {
			put_str(b, o, "int_pin", pins[fn->int_pin - 1]);
			put_int(b, o, "gsi", fn->gsi);
		} else {
			put_null(b, o, "int_pin");
			put_null(b, o, "gsi");
		}
		put_int(b, o, "msix_vectors", fn->msix_vectors);
	}
}

static void add_pcie(struct jb *b, struct json_object *root,
		     const struct vm_layout *l)
{
	struct json_object *pcie =
		put(b, root, "pcie", json_object_new_object());
	struct json_object *rcs, *fns;
	size_t i;

	rcs = put(b, pcie, "root_complexes", json_object_new_array());
	for (i = 0; i < l->n_rcs; i++)
		add_rc(b, rcs, l, &l->rcs[i]);
	fns = put(b, pcie, "functions", json_object_new_array());
	for (i = 0; i < l->n_fns; i++)
		add_fn(b, fns, l, &l->fns[i]);
}

/* The PCI function of a device, or NULL. */
static const struct layout_pci_fn *dev_fn(const struct vm_layout *l,
					  const struct layout_device *d)
{
	if (d->pci_fn < 0 || (size_t)d->pci_fn >= l->n_fns)
		return NULL;
	return &l->fns[d->pci_fn];
}

static void add_devices(struct jb *b, struct json_object *root,
			const struct vm_layout *l, const struct vm_config *cfg)
{
	struct json_object *devs =
		put(b, root, "devices", json_object_new_array());
	size_t i;

	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];
		const struct layout_pci_fn *fn = dev_fn(l, d);
		struct json_object *o = push(b, devs, json_object_new_object());
		const char *name = NULL;

		if (cfg && d->index < cfg->n_devices)
			name = cfg->devices[d->index].name;
		else if (fn)
			name = fn->name;
		put_str(b, o, "name", name);
		put_str(b, o, "type", cfg_dev_type_name(d->type));
		put_str(b, o, "transport",
			d->type == DEV_SERIAL ?
				NULL :
				cfg_transport_name(d->transport));
		if (d->io_port)
			put_int(b, o, "io_port", d->io_port);
		else
			put_null(b, o, "io_port");
		if (d->mmio_size)
			put_range(b, o, "mmio", d->mmio_base, d->mmio_size);
		else
			put_null(b, o, "mmio");
		if (fn)
			put_bdf(b, o, "pci", fn);
		else
			put_null(b, o, "pci");
		if (!fn || (fn->int_pin >= 1 && fn->int_pin <= 4))
			put_int(b, o, "gsi", d->gsi);
		else
			put_null(b, o, "gsi");
		put_bool(b, o, "console", d->console);
	}
}

static void add_irqs(struct jb *b, struct json_object *root,
		     const struct vm_layout *l)
{
	struct json_object *irqs =
		put(b, root, "irqs", json_object_new_array());
	size_t i;

	for (i = 0; i < l->n_irqs; i++) {
		const struct layout_irq *q = &l->irqs[i];
		struct json_object *o = push(b, irqs, json_object_new_object());

		put_int(b, o, "gsi", q->gsi);
		put_str(b, o, "trigger",
			q->trigger == TRIGGER_LEVEL ? "level" : "edge");
		put_str(b, o, "polarity",
			q->polarity == POLARITY_LOW ? "low" : "high");
		put_str(b, o, "owner", q->owner);
		put_str(b, o, "what", q->what);
	}
}

struct json_object *plan_to_json(const struct vm_layout *l,
				 const struct vm_config *cfg)
{
	struct json_object *root = json_object_new_object();
	struct jb b = { .failed = !root };
	char uuid[37];

	uuid_unparse_lower(l->uuid, uuid);
	put_int(&b, root, "version", PLAN_JSON_VERSION);
	put_str(&b, root, "name", l->name);
	put_str(&b, root, "uuid", uuid);
	put_str(&b, root, "arch", cfg_arch_name(l->arch));
	add_memory(&b, root, l);
	add_numa(&b, root, l);
	add_cpu(&b, root, l);
	add_irqchip(&b, root, l);
	add_pcie(&b, root, l);
	add_devices(&b, root, l, cfg);
	add_irqs(&b, root, l);
	put_range(&b, root, "firmware", l->fw_base, l->fw_size);
	if (b.failed) {
		json_object_put(root);
		errno = ENOMEM;
		return NULL;
	}
	return root;
}

int plan_json_write(const struct vm_layout *l, const struct vm_config *cfg,
		    FILE *out)
{
	struct json_object *doc = plan_to_json(l, cfg);
	const char *s;
	int ret = 0;

	if (!doc)
		return -ENOMEM;
	s = json_object_to_json_string_ext(doc, PLAN_JSON_FLAGS);
	if (!s)
		ret = -ENOMEM;
	else if (fputs(s, out) == EOF || fputc('\n', out) == EOF)
		ret = -EIO;
	json_object_put(doc);
	return ret;
}
