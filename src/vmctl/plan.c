/* vmctl plan: print the resolved layout of a VM file, as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "vmctl/table.h"
#include "vmctl/vmctl.h"

/* Addresses in tables are padded to 40 bits (LAYOUT_MAX_GPA) to line up. */
#define ADDR_FMT "0x%010" PRIx64

/* Range buffer: two padded addresses, a size and punctuation. */
#define RANGE_BUF 80

/* "0x00fec00000-0x00fec00fff (4 KiB)": end inclusive. */
static const char *fmt_range(char buf[RANGE_BUF], uint64_t base, uint64_t size)
{
	char sz[FMT_SIZE_BUF];

	snprintf(buf, RANGE_BUF, ADDR_FMT "-" ADDR_FMT " (%s)", base,
		 base + size - 1, fmt_size(sz, size));
	return buf;
}

/* Name functions return NULL for values they do not know. */
static const char *name_or(const char *name)
{
	return name ? name : "?";
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* x86 interrupt lines are GSIs, arm64 ones GIC INTIDs. */
static const char *irq_word(const struct vm_layout *l)
{
	return l->arch == ARCH_X86_64 ? "GSI" : "INTID";
}

static const char *fmt_node(char buf[16], int32_t node)
{
	if (node < 0)
		return "-";
	snprintf(buf, 16, "%" PRId32, node);
	return buf;
}

/* Prints and frees @t; keeps the first error of a sequence of prints. */
static void print_table(struct table *t, FILE *out, int indent, int *err)
{
	int e = table_print(t, out, indent);

	if (e && !*err)
		*err = e;
	table_free(t);
}

static void section(FILE *out, const char *title)
{
	fprintf(out, "\n%s\n", title);
}

static void print_vm(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[] = { { 0 }, { 0 } };
	char uuid[37], sz[FMT_SIZE_BUF], fw[RANGE_BUF];
	struct table t;

	uuid_unparse_lower(l->uuid, uuid);
	fprintf(out, "VM\n");
	table_init(&t, cols, ARRAY_SIZE(cols));
	table_row(&t);
	table_set(&t, 0, "name");
	table_set(&t, 1, "%s", l->name);
	table_row(&t);
	table_set(&t, 0, "uuid");
	table_set(&t, 1, "%s", uuid);
	table_row(&t);
	table_set(&t, 0, "arch");
	table_set(&t, 1, "%s", name_or(cfg_arch_name(l->arch)));
	table_row(&t);
	table_set(&t, 0, "vCPUs");
	table_set(&t, 1,
		  "%zu (%" PRIu32 " socket%s x %" PRIu32 " core%s x %" PRIu32
		  " thread%s)",
		  l->n_vcpus, l->sockets, plural(l->sockets), l->cores,
		  plural(l->cores), l->threads, plural(l->threads));
	table_row(&t);
	table_set(&t, 0, "memory");
	table_set(&t, 1, "%s RAM", fmt_size(sz, l->ram_bytes));
	if (l->fw_size) {
		table_row(&t);
		table_set(&t, 0, "firmware");
		table_set(&t, 1, "%s %s", fmt_range(fw, l->fw_base, l->fw_size),
			  l->arch == ARCH_X86_64 ? "ACPI tables" : "FDT");
	}
	print_table(&t, out, 2, err);
}

static void print_memory(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[] = {
		{ .header = "START" },
		{ .header = "END" },
		{ .header = "SIZE", .right = true },
		{ .header = "KIND" },
		{ .header = "NODE", .right = true },
		{ .header = "OWNER" },
	};
	char sz[FMT_SIZE_BUF], node[16];
	struct table t;
	size_t i;

	section(out, "Memory map");
	table_init(&t, cols, ARRAY_SIZE(cols));
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];

		table_row(&t);
		table_set(&t, 0, ADDR_FMT, r->gpa);
		table_set(&t, 1, ADDR_FMT, r->gpa + r->size - 1);
		table_set(&t, 2, "%s", fmt_size(sz, r->size));
		table_set(&t, 3, "%s",
			  name_or(layout_region_kind_name(r->kind)));
		table_set(&t, 4, "%s", fmt_node(node, r->node));
		table_set(&t, 5, "%s", r->owner);
	}
	print_table(&t, out, 2, err);
}

/* vCPU indices of node @id into @v, in vCPU order; returns how many. */
static size_t node_cpus(const struct vm_layout *l, uint32_t id, uint32_t *v)
{
	size_t i, n = 0;

	for (i = 0; i < l->n_vcpus; i++)
		if (l->vcpus[i].node == id)
			v[n++] = l->vcpus[i].index;
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void print_numa(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[] = {
		{ .header = "NODE", .right = true },
		{ .header = "MEMORY", .right = true },
		{ .header = "CPUS" },
		{ .header = "HOST NODE" },
	};
	struct table_col dcols[CFG_MAX_NUMA_NODES + 1];
	char dhdr[CFG_MAX_NUMA_NODES][12];
	char sz[FMT_SIZE_BUF], node[16];
	char *list = malloc(PLAN_LIST_BUF);
	uint32_t *cpus = calloc(l->n_vcpus + 1, sizeof(*cpus));
	size_t nd = l->n_nodes, i, j;
	struct table t;

	if (!list || !cpus) {
		*err = -ENOMEM;
		goto free_bufs;
	}
	section(out, "NUMA nodes");
	table_init(&t, cols, ARRAY_SIZE(cols));
	for (i = 0; i < nd; i++) {
		const struct layout_numa_node *n = &l->nodes[i];
		size_t nc = node_cpus(l, n->id, cpus);

		qsort(cpus, nc, sizeof(*cpus), cmp_u32);
		table_row(&t);
		table_set(&t, 0, "%" PRIu32, n->id);
		table_set(&t, 1, "%s", fmt_size(sz, n->memory));
		table_set(&t, 2, "%s",
			  nc ? plan_fmt_list(list, PLAN_LIST_BUF, cpus, nc) :
			       "-");
		table_set(&t, 3, "%s", fmt_node(node, n->host_node));
	}
	print_table(&t, out, 2, err);

	if (!l->distance || nd > CFG_MAX_NUMA_NODES)
		goto free_bufs;
	section(out, "NUMA distances");
	dcols[0] = (struct table_col){ .header = "NODE", .right = true };
	for (j = 0; j < nd; j++) {
		snprintf(dhdr[j], sizeof(dhdr[j]), "%" PRIu32, l->nodes[j].id);
		dcols[j + 1] =
			(struct table_col){ .header = dhdr[j], .right = true };
	}
	table_init(&t, dcols, nd + 1);
	for (i = 0; i < nd; i++) {
		table_row(&t);
		table_set(&t, 0, "%" PRIu32, l->nodes[i].id);
		for (j = 0; j < nd; j++)
			table_set(&t, j + 1, "%u",
				  (unsigned int)l->distance[i * nd + j]);
	}
	print_table(&t, out, 2, err);
free_bufs:
	free(cpus);
	free(list);
}

static void print_vcpus(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[] = {
		{ .header = "VCPU", .right = true },
		{ .header = "APIC ID" },
		{ .header = "SOCKET", .right = true },
		{ .header = "CORE", .right = true },
		{ .header = "THREAD", .right = true },
		{ .header = "NODE", .right = true },
		{ .header = "PINNING" },
	};
	struct table_col c[ARRAY_SIZE(cols)];
	char *list = malloc(PLAN_LIST_BUF);
	struct table t;
	size_t i;

	if (!list) {
		*err = -ENOMEM;
		return;
	}
	memcpy(c, cols, sizeof(c));
	if (l->arch != ARCH_X86_64)
		c[1].header = "MPIDR";
	section(out, "vCPUs");
	table_init(&t, c, ARRAY_SIZE(c));
	for (i = 0; i < l->n_vcpus; i++) {
		const struct layout_vcpu *v = &l->vcpus[i];

		table_row(&t);
		table_set(&t, 0, "%" PRIu32, v->index);
		if (l->arch == ARCH_X86_64)
			table_set(&t, 1, "%" PRIu32 " (0x%" PRIx32 ")",
				  v->apic_id, v->apic_id);
		else
			table_set(&t, 1, "0x%010" PRIx64, v->mpidr);
		table_set(&t, 2, "%" PRIu32, v->socket);
		table_set(&t, 3, "%" PRIu32, v->core);
		table_set(&t, 4, "%" PRIu32, v->thread);
		table_set(&t, 5, "%" PRIu32, v->node);
		table_set(&t, 6, "%s",
			  v->pinned ? plan_fmt_cpuset(list, PLAN_LIST_BUF,
						      &v->pin) :
				      "-");
	}
	print_table(&t, out, 2, err);
	free(list);
}

static void print_irqchip(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[] = { { 0 }, { 0 } };
	char r[RANGE_BUF];
	struct table t;

	section(out, "Interrupt controller");
	table_init(&t, cols, ARRAY_SIZE(cols));
	if (l->arch == ARCH_X86_64) {
		table_row(&t);
		table_set(&t, 0, "LAPIC");
		table_set(&t, 1, ADDR_FMT, l->lapic_base);
		table_row(&t);
		table_set(&t, 0, "IOAPIC");
		table_set(&t, 1,
			  ADDR_FMT ", %" PRIu32 " pins (GSI 0-%" PRIu32 ")",
			  l->ioapic_base, l->ioapic_pins,
			  l->ioapic_pins ? l->ioapic_pins - 1 : 0);
		table_row(&t);
		table_set(&t, 0, "x2APIC");
		table_set(&t, 1,
			  "mode %s, needed: %s, highest APIC id %" PRIu32,
			  name_or(cfg_x2apic_name(l->x2apic_mode)),
			  l->x2apic ? "yes" : "no", l->max_apic_id);
		print_table(&t, out, 2, err);
		return;
	}
	table_row(&t);
	table_set(&t, 0, "GIC");
	table_set(&t, 1, "v%" PRIu32 ", %" PRIu32 " interrupt ids",
		  l->gic_version, l->gic_nr_irqs);
	table_row(&t);
	table_set(&t, 0, "distributor");
	table_set(&t, 1, ADDR_FMT, l->gic_dist);
	if (l->gic_redist) {
		table_row(&t);
		table_set(&t, 0, "redistributors");
		table_set(&t, 1, "%s",
			  fmt_range(r, l->gic_redist, l->gic_redist_size));
	}
	if (l->gic_cpuif) {
		table_row(&t);
		table_set(&t, 0, "CPU interface");
		table_set(&t, 1, ADDR_FMT, l->gic_cpuif);
	}
	if (l->gic_its) {
		table_row(&t);
		table_set(&t, 0, "ITS");
		table_set(&t, 1, ADDR_FMT, l->gic_its);
	}
	if (l->gic_v2m) {
		table_row(&t);
		table_set(&t, 0, "v2m frame");
		table_set(&t, 1, ADDR_FMT, l->gic_v2m);
		if (l->gic_v2m_spi_count) {
			table_row(&t);
			table_set(&t, 0, "v2m MSIs");
			table_set(&t, 1, "INTIDs %u-%u", l->gic_v2m_spi_base,
				  l->gic_v2m_spi_base + l->gic_v2m_spi_count -
					  1);
		}
	}
	print_table(&t, out, 2, err);
}

static void print_rc(const struct vm_layout *l, const struct layout_rc *rc,
		     FILE *out, int *err)
{
	static const struct table_col cols[] = { { 0 }, { 0 } };
	char r[RANGE_BUF], node[16];
	struct table t;

	fprintf(out, "  root complex %s\n", rc->name);
	table_init(&t, cols, ARRAY_SIZE(cols));
	table_row(&t);
	table_set(&t, 0, "segment");
	table_set(&t, 1, "%04x", rc->segment);
	table_row(&t);
	table_set(&t, 0, "buses");
	table_set(&t, 1, "%02x-%02x (%" PRIu32 " used)", rc->bus_start,
		  rc->bus_end, rc->buses_used);
	table_row(&t);
	table_set(&t, 0, "ECAM");
	table_set(&t, 1, "%s", fmt_range(r, rc->ecam_base, rc->ecam_size));
	if (rc->mmio32.size) {
		table_row(&t);
		table_set(&t, 0, "MMIO32");
		table_set(&t, 1, "%s",
			  fmt_range(r, rc->mmio32.base, rc->mmio32.size));
	}
	if (rc->mmio64.size) {
		table_row(&t);
		table_set(&t, 0, "MMIO64");
		table_set(&t, 1, "%s",
			  fmt_range(r, rc->mmio64.base, rc->mmio64.size));
	}
	if (rc->io.size) {
		table_row(&t);
		table_set(&t, 0, "I/O");
		if (l->arch == ARCH_X86_64)
			table_set(&t, 1, "0x%04" PRIx64 "-0x%04" PRIx64,
				  rc->io.base, rc->io.base + rc->io.size - 1);
		else
			table_set(&t, 1,
				  "0x%04" PRIx64 "-0x%04" PRIx64 " at %s",
				  rc->io.base, rc->io.base + rc->io.size - 1,
				  fmt_range(r, rc->io_cpu_base, rc->io.size));
	}
	table_row(&t);
	table_set(&t, 0, "node");
	table_set(&t, 1, "%s", fmt_node(node, rc->node));
	table_row(&t);
	table_set(&t, 0, "INTx");
	table_set(&t, 1,
		  "A: %" PRIu32 ", B: %" PRIu32 ", C: %" PRIu32 ", D: %" PRIu32,
		  rc->intx_gsi[0], rc->intx_gsi[1], rc->intx_gsi[2],
		  rc->intx_gsi[3]);
	print_table(&t, out, 4, err);
}

/* Depth of @fn below its root complex (0 for a root bus function). */
static unsigned int fn_depth(const struct vm_layout *l,
			     const struct layout_pci_fn *fn)
{
	unsigned int d = 0;

	/* Bounded: a malformed parent chain cannot loop forever. */
	while (fn->parent >= 0 && (size_t)fn->parent < l->n_fns && d < 256) {
		fn = &l->fns[fn->parent];
		d++;
	}
	return d;
}

enum {
	FN_BDF,
	FN_KIND,
	FN_NAME,
	FN_ID,
	FN_CLASS,
	FN_DETAILS,
	FN_NCOLS
};

/* Adds a continuation line under the current function. */
static void fn_more(struct table *t, const char *label, const char *text)
{
	table_row(t);
	table_set(t, FN_DETAILS, "%-4s %s", label, text);
}

static void fn_rows(const struct vm_layout *l, const struct layout_pci_fn *fn,
		    struct table *t)
{
	static const char pins[] = "ABCD";
	char bdf[PLAN_BDF_BUF], r[RANGE_BUF], label[8], msix[32] = "";
	unsigned int depth = fn_depth(l, fn);
	uint32_t i;

	table_row(t);
	table_set(t, FN_BDF, "%*s%s", (int)(2 * depth), "",
		  plan_fmt_bdf(bdf, fn->segment, fn->bus, fn->devfn));
	table_set(t, FN_KIND, "%s", name_or(pci_fn_kind_name(fn->kind)));
	table_set(t, FN_NAME, "%s", fn->name);
	table_set(t, FN_ID, "%04x:%04x", fn->vendor, fn->device_id);
	table_set(t, FN_CLASS, "%06" PRIx32, fn->class_code);

	if (fn->kind == PCI_ROOT_PORT || fn->kind == PCI_SWITCH_UP ||
	    fn->kind == PCI_SWITCH_DOWN) {
		table_set(t, FN_DETAILS, "buses %02x-%02x%s", fn->secondary,
			  fn->subordinate, fn->hotplug ? ", hotplug" : "");
		if (fn->io.size) {
			snprintf(r, sizeof(r), "0x%04" PRIx64 "-0x%04" PRIx64,
				 fn->io.base, fn->io.base + fn->io.size - 1);
			fn_more(t, "io", r);
		}
		if (fn->mem.size)
			fn_more(t, "mem",
				fmt_range(r, fn->mem.base, fn->mem.size));
		if (fn->pref.size)
			fn_more(t, "pref",
				fmt_range(r, fn->pref.base, fn->pref.size));
		return;
	}
	if (fn->kind != PCI_ENDPOINT)
		return;
	if (fn->msix_vectors)
		snprintf(msix, sizeof(msix), "%" PRIu32 " MSI-X vectors",
			 fn->msix_vectors);
	if (fn->int_pin >= 1 && fn->int_pin <= 4)
		table_set(t, FN_DETAILS, "INT%c -> %s %" PRIu32 "%s%s",
			  pins[fn->int_pin - 1], irq_word(l), fn->gsi,
			  msix[0] ? ", " : "", msix);
	else
		table_set(t, FN_DETAILS, "%s", msix);
	for (i = 0; i < fn->n_bars && i < ARRAY_SIZE(fn->bars); i++) {
		const struct layout_bar *b = &fn->bars[i];
		char text[RANGE_BUF + 16];

		snprintf(label, sizeof(label), "BAR%u", b->index);
		snprintf(text, sizeof(text), "%-5s %s%s",
			 b->io	  ? "io" :
			 b->mem64 ? "mem64" :
				    "mem32",
			 b->prefetch ? "pref " : "",
			 fmt_range(r, b->addr, b->size));
		fn_more(t, label, text);
	}
}

static void print_pcie(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[FN_NCOLS] = {
		[FN_BDF] = { .header = "BDF" },
		[FN_KIND] = { .header = "KIND" },
		[FN_NAME] = { .header = "NAME" },
		[FN_ID] = { .header = "ID" },
		[FN_CLASS] = { .header = "CLASS" },
		[FN_DETAILS] = { .header = "DETAILS" },
	};
	struct table t;
	size_t i;

	if (!l->n_rcs)
		return;
	section(out, "PCIe");
	for (i = 0; i < l->n_rcs; i++)
		print_rc(l, &l->rcs[i], out, err);
	if (!l->n_fns)
		return;
	fputc('\n', out);
	table_init(&t, cols, ARRAY_SIZE(cols));
	for (i = 0; i < l->n_fns; i++)
		fn_rows(l, &l->fns[i], &t);
	print_table(&t, out, 2, err);
}

static void print_devices(const struct vm_layout *l,
			  const struct vm_config *cfg, FILE *out, int *err)
{
	static const struct table_col cols[] = {
		{ .header = "NAME" },
		{ .header = "TYPE" },
		{ .header = "TRANSPORT" },
		{ .header = "LOCATION" },
		{ .header = "GSI", .right = true },
		{ .header = "CONSOLE" },
	};
	struct table_col c[ARRAY_SIZE(cols)];
	char bdf[PLAN_BDF_BUF], r[RANGE_BUF];
	struct table t;
	size_t i;

	if (!l->n_devices)
		return;
	section(out, "Devices");
	memcpy(c, cols, sizeof(c));
	c[4].header = irq_word(l);
	table_init(&t, c, ARRAY_SIZE(c));
	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];
		const struct layout_pci_fn *fn = NULL;
		const char *name = "";

		if (d->pci_fn >= 0 && (size_t)d->pci_fn < l->n_fns)
			fn = &l->fns[d->pci_fn];
		if (cfg && d->index < cfg->n_devices)
			name = cfg->devices[d->index].name;
		else if (fn)
			name = fn->name;
		table_row(&t);
		table_set(&t, 0, "%s", name);
		table_set(&t, 1, "%s", name_or(cfg_dev_type_name(d->type)));
		table_set(&t, 2, "%s",
			  d->type == DEV_SERIAL ?
				  "-" :
				  cfg_transport_name(d->transport));
		if (fn)
			table_set(&t, 3, "%s",
				  plan_fmt_bdf(bdf, fn->segment, fn->bus,
					       fn->devfn));
		else if (d->io_port)
			table_set(&t, 3, "io 0x%" PRIx16, d->io_port);
		else if (d->mmio_size)
			table_set(&t, 3, "%s",
				  fmt_range(r, d->mmio_base, d->mmio_size));
		if (!fn || (fn->int_pin >= 1 && fn->int_pin <= 4))
			table_set(&t, 4, "%" PRIu32, d->gsi);
		else
			table_set(&t, 4, "-");
		table_set(&t, 5, "%s", d->console ? "yes" : "");
	}
	print_table(&t, out, 2, err);
}

static void print_irqs(const struct vm_layout *l, FILE *out, int *err)
{
	static const struct table_col cols[] = {
		{ .header = "GSI", .right = true },
		{ .header = "TRIGGER" },
		{ .header = "POLARITY" },
		{ .header = "OWNER" },
		{ .header = "WHAT" },
	};
	struct table_col c[ARRAY_SIZE(cols)];
	struct table t;
	size_t i;

	if (!l->n_irqs)
		return;
	memcpy(c, cols, sizeof(c));
	c[0].header = irq_word(l);
	section(out, "Interrupts");
	table_init(&t, c, ARRAY_SIZE(c));
	for (i = 0; i < l->n_irqs; i++) {
		const struct layout_irq *q = &l->irqs[i];

		table_row(&t);
		table_set(&t, 0, "%" PRIu32, q->gsi);
		table_set(&t, 1, "%s",
			  q->trigger == TRIGGER_LEVEL ? "level" : "edge");
		table_set(&t, 2, "%s",
			  q->polarity == POLARITY_LOW ? "low" : "high");
		table_set(&t, 3, "%s", q->owner);
		table_set(&t, 4, "%s", q->what);
	}
	print_table(&t, out, 2, err);
}

int plan_text_write(const struct vm_layout *l, const struct vm_config *cfg,
		    FILE *out)
{
	int err = 0;

	print_vm(l, out, &err);
	print_memory(l, out, &err);
	print_numa(l, out, &err);
	print_vcpus(l, out, &err);
	print_irqchip(l, out, &err);
	print_pcie(l, out, &err);
	print_devices(l, cfg, out, &err);
	print_irqs(l, out, &err);
	if (!err && ferror(out))
		err = -EIO;
	return err;
}

int cmd_plan(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	     char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vm_config *cfg;
	struct vm_layout *lay;
	bool json = false;
	int c, err, status = VMCTL_EXIT_OK;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			vmctl_cmd_usage(cmd, stdout);
			return vmctl_flush_stdout(VMCTL_EXIT_OK);
		default:
			return vmctl_bad_option(cmd);
		}
	}
	if (optind >= argc)
		return vmctl_usage_error(cmd, "no FILE given");
	if (argc - optind > 1)
		return vmctl_usage_error(cmd, "only one FILE is allowed");

	err = vmctl_resolve_file(argv[optind], &cfg, &lay);
	if (err)
		return vmctl_exit_status(err);
	if (json)
		err = plan_json_write(lay, cfg, stdout);
	else
		err = plan_text_write(lay, cfg, stdout);
	/* Write errors (-EIO) are reported by vmctl_flush_stdout(). */
	if (err && err != -EIO)
		fprintf(stderr, "vmctl: plan: %s\n", strerror(-err));
	if (err)
		status = VMCTL_EXIT_FAIL;
	layout_free(lay);
	cfg_free(cfg);
	return vmctl_flush_stdout(status);
}
