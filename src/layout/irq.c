/* Resolver: x86 GSIs and arm64 GIC INTIDs, PCI INTx routing and swizzle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/resolve_internal.h"

#define X86_SCI 9
#define X86_PCI_GSI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_SPI_DYN 16 /* first dynamic SPI (INTID 48) */
#define GIC_V2M_MAX_SPIS 64 /* MSIs of a v2m frame */
#define GIC_UART_SPI 1
#define GIC_RC0_SPI 3 /* INTx of root complex 0: SPIs 3..6 */
#define GIC_MAX_INTID 1020
#define INTX_PINS 4

static const char *const intx_names[INTX_PINS] = {
	"intx-a",
	"intx-b",
	"intx-c",
	"intx-d",
};

/* Every ISA line a guest OS does not expect to be taken already. */
static const uint32_t x86_mmio_gsis[] = { 5, 6, 7, 10, 11, 12, 14, 15 };

static const uint16_t x86_serial_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

static void irq_add(struct rsv *r, uint32_t gsi, enum layout_trigger trig,
		    enum layout_polarity pol, const char *owner,
		    const char *what)
{
	struct vm_layout *l = r->l;
	struct layout_irq *q;

	q = rsv_grow(r, (void **)&l->irqs, &r->cap_irqs, l->n_irqs, sizeof(*q));
	if (!q)
		return;
	q->gsi = gsi;
	q->trigger = trig;
	q->polarity = pol;
	snprintf(q->owner, sizeof(q->owner), "%s", owner ? owner : "");
	snprintf(q->what, sizeof(q->what), "%s", what);
	l->n_irqs++;
}

static bool irq_is_used(const struct rsv *r, uint32_t gsi)
{
	size_t i;

	for (i = 0; i < r->l->n_irqs; i++)
		if (r->l->irqs[i].gsi == gsi)
			return true;
	return false;
}

static bool dev_is_virtio_mmio(const struct cfg_device *d)
{
	return d->type != DEV_SERIAL && d->transport == TRANSPORT_MMIO &&
	       devreg_get(d->type)->mmio;
}

/* Number of GSIs from 16 that PCI INTx lines use. */
static uint32_t intx_span(const struct vm_layout *l)
{
	uint32_t pins = l->ioapic_pins > X86_PCI_GSI_BASE ?
				l->ioapic_pins - X86_PCI_GSI_BASE :
				0;
	uint64_t want = 4 * (uint64_t)l->n_rcs;

	return want < pins ? (uint32_t)want : pins;
}

static uint16_t x86_serial_port(struct rsv *r, size_t i, bool *taken)
{
	const struct cfg_device *d = &r->cfg->devices[i];
	char path[RSV_PATH_MAX];
	size_t k;

	if (d->has_io_port)
		return d->io_port;
	for (k = 0; k < ARRAY_SIZE(x86_serial_ports); k++) {
		if (!taken[k]) {
			taken[k] = true;
			return x86_serial_ports[k];
		}
	}
	rsv_error(
		r, rsv_path(path, "devices[%zu]", i),
		"the standard serial ports 0x3f8, 0x2f8, 0x3e8 and 0x2e8 are taken; give port");
	return 0;
}

static void x86_serials(struct rsv *r)
{
	const struct vm_config *cfg = r->cfg;
	struct vm_layout *l = r->l;
	bool taken[ARRAY_SIZE(x86_serial_ports)] = { false };
	char path[RSV_PATH_MAX];
	size_t i, k;

	for (i = 0; i < cfg->n_devices; i++)
		for (k = 0; k < ARRAY_SIZE(x86_serial_ports); k++)
			if (cfg->devices[i].type == DEV_SERIAL &&
			    cfg->devices[i].has_io_port &&
			    cfg->devices[i].io_port == x86_serial_ports[k])
				taken[k] = true;
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];
		uint16_t port;
		uint32_t irq;

		if (d->type != DEV_SERIAL)
			continue;
		port = x86_serial_port(r, i, taken);
		if (!port)
			continue;
		l->devices[i].io_port = port;
		if (d->has_irq)
			irq = d->irq;
		else if (port == 0x3f8 || port == 0x3e8)
			irq = 4;
		else if (port == 0x2f8 || port == 0x2e8)
			irq = 3;
		else {
			rsv_error(r, rsv_path(path, "devices[%zu]", i),
				  "no default IRQ for port 0x%x; give irq",
				  port);
			continue;
		}
		rsv_path(path, "devices[%zu].irq", i);
		if (irq >= l->ioapic_pins) {
			rsv_error(r, path,
				  "IRQ %u is beyond the %u IOAPIC pins", irq,
				  l->ioapic_pins);
			continue;
		}
		if (irq == X86_SCI || (irq >= X86_PCI_GSI_BASE &&
				       irq - X86_PCI_GSI_BASE < intx_span(l))) {
			rsv_error(r, path, "IRQ %u is used by %s", irq,
				  irq == X86_SCI ? "the ACPI SCI" : "PCI INTx");
			continue;
		}
		l->devices[i].gsi = irq;
		irq_add(r, irq, TRIGGER_EDGE, POLARITY_HIGH, d->name, "uart");
	}
}

static void x86_irqs(struct rsv *r)
{
	const struct vm_config *cfg = r->cfg;
	struct vm_layout *l = r->l;
	uint32_t pins = l->ioapic_pins, span, next;
	char path[RSV_PATH_MAX];
	size_t i, k;

	irq_add(r, X86_SCI, TRIGGER_LEVEL, POLARITY_HIGH, "acpi", "sci");
	x86_serials(r);

	span = pins > X86_PCI_GSI_BASE ? pins - X86_PCI_GSI_BASE : 0;
	if (l->n_rcs && !span)
		rsv_error(
			r, "interrupts.x86.ioapic.pins",
			"PCI INTx needs IOAPIC pins from %d up, the IOAPIC has %u",
			X86_PCI_GSI_BASE, pins);
	for (i = 0; i < l->n_rcs && span; i++) {
		for (k = 0; k < INTX_PINS; k++) {
			uint32_t gsi = X86_PCI_GSI_BASE +
				       (uint32_t)((4 * i + k) % span);

			l->rcs[i].intx_gsi[k] = gsi;
			irq_add(r, gsi, TRIGGER_LEVEL, POLARITY_LOW,
				l->rcs[i].name, intx_names[k]);
		}
	}

	/* virtio-mmio above the INTx range once the ISA lines run out */
	next = X86_PCI_GSI_BASE + intx_span(l);
	for (i = 0; i < cfg->n_devices; i++) {
		uint32_t gsi = UINT32_MAX;

		if (!dev_is_virtio_mmio(&cfg->devices[i]))
			continue;
		for (k = 0; k < ARRAY_SIZE(x86_mmio_gsis); k++) {
			if (x86_mmio_gsis[k] < pins &&
			    !irq_is_used(r, x86_mmio_gsis[k])) {
				gsi = x86_mmio_gsis[k];
				break;
			}
		}
		while (gsi == UINT32_MAX && next < pins) {
			if (!irq_is_used(r, next))
				gsi = next;
			next++;
		}
		if (gsi == UINT32_MAX) {
			rsv_error(
				r, rsv_path(path, "devices[%zu]", i),
				"no free IOAPIC pin for virtio-mmio (%u pins)",
				pins);
			continue;
		}
		l->devices[i].gsi = gsi;
		irq_add(r, gsi, TRIGGER_EDGE, POLARITY_HIGH,
			cfg->devices[i].name, "virtio-mmio");
	}
}

struct spi_alloc {
	bool used[GIC_MAX_INTID + 64];
	uint32_t max; /* highest INTID handed out */
	bool full; /* a request found no room at all */
};

static bool spi_range_is_free(const struct spi_alloc *a, uint32_t intid,
			      uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (intid + i >= ARRAY_SIZE(a->used) || a->used[intid + i])
			return false;
	return true;
}

static void spi_take(struct spi_alloc *a, uint32_t intid, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (intid + i < ARRAY_SIZE(a->used))
			a->used[intid + i] = true;
	if (n && intid + n - 1 > a->max)
		a->max = intid + n - 1;
}

/* Lowest run of @n free SPIs from SPI 16; 0 when the table is full. */
static uint32_t spi_next(struct spi_alloc *a, uint32_t n)
{
	uint32_t intid;

	for (intid = GIC_SPI_BASE + GIC_SPI_DYN;
	     intid + n <= ARRAY_SIZE(a->used); intid++) {
		if (spi_range_is_free(a, intid, n)) {
			spi_take(a, intid, n);
			return intid;
		}
	}
	a->full = true;
	return 0;
}

static void arm_rc_intx(struct rsv *r, size_t i, uint32_t intid)
{
	struct layout_rc *rc = &r->l->rcs[i];
	size_t k;

	for (k = 0; k < INTX_PINS; k++) {
		rc->intx_gsi[k] = intid + (uint32_t)k;
		irq_add(r, intid + (uint32_t)k, TRIGGER_LEVEL, POLARITY_HIGH,
			rc->name, intx_names[k]);
	}
}

static void arm_irqs(struct rsv *r)
{
	static const struct {
		uint32_t intid;
		const char *what;
	} timers[] = {
		{ .intid = 26, .what = "timer-hyp" },
		{ .intid = 27, .what = "timer-virt" },
		{ .intid = 29, .what = "timer-sec" },
		{ .intid = 30, .what = "timer-phys" },
	};
	const struct vm_config *cfg = r->cfg;
	struct vm_layout *l = r->l;
	struct spi_alloc *a;
	bool uart_default = false;
	char path[RSV_PATH_MAX];
	uint32_t intid;
	size_t i;

	a = calloc(1, sizeof(*a));
	if (!a) {
		r->oom = true;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(timers); i++)
		irq_add(r, timers[i].intid, TRIGGER_LEVEL, POLARITY_HIGH,
			"timer", timers[i].what);

	/* fixed: serial SPIs from the config */
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type != DEV_SERIAL || !d->has_irq)
			continue;
		if (d->irq >= l->gic_nr_irqs ||
		    GIC_SPI_BASE + d->irq >= l->gic_nr_irqs) {
			rsv_error(r, rsv_path(path, "devices[%zu].irq", i),
				  "SPI %u is INTID %u, beyond nr_irqs %u",
				  d->irq, GIC_SPI_BASE + d->irq,
				  l->gic_nr_irqs);
			continue;
		}
		intid = GIC_SPI_BASE + d->irq;
		spi_take(a, intid, 1);
		l->devices[i].gsi = intid;
		irq_add(r, intid, TRIGGER_LEVEL, POLARITY_HIGH, d->name,
			"uart");
	}
	/*
	 * A GICv2m frame signals MSIs as SPIs; it gets the top SPIs below
	 * nr_irqs (64, or half of all SPIs when there are fewer than 128),
	 * reserved before the dynamic allocation below so nothing else can
	 * take them.
	 */
	if (l->gic_v2m) {
		uint32_t spis = l->gic_nr_irqs - GIC_SPI_BASE;
		uint32_t n = spis / 2 < GIC_V2M_MAX_SPIS ? spis / 2 :
							   GIC_V2M_MAX_SPIS;

		intid = l->gic_nr_irqs - n;
		if (!spi_range_is_free(a, intid, n)) {
			rsv_error(
				r, "interrupts.gic.v2m",
				"the MSI frame needs INTIDs %u-%u, a serial irq uses one of them",
				intid, intid + n - 1);
		} else {
			spi_take(a, intid, n);
			l->gic_v2m_spi_base = intid;
			l->gic_v2m_spi_count = n;
		}
	}
	/* the first serial without an irq gets SPI 1 */
	for (i = 0; i < cfg->n_devices && !uart_default; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		intid = GIC_SPI_BASE + GIC_UART_SPI;
		if (d->type != DEV_SERIAL || d->has_irq)
			continue;
		uart_default = true;
		if (!spi_range_is_free(a, intid, 1))
			break;
		spi_take(a, intid, 1);
		l->devices[i].gsi = intid;
		irq_add(r, intid, TRIGGER_LEVEL, POLARITY_HIGH, d->name,
			"uart");
	}
	if (l->n_rcs) {
		intid = GIC_SPI_BASE + GIC_RC0_SPI;
		if (spi_range_is_free(a, intid, INTX_PINS))
			spi_take(a, intid, INTX_PINS);
		else
			intid = spi_next(a, INTX_PINS);
		arm_rc_intx(r, 0, intid);
	}
	/* dynamic, in device order: virtio-mmio and further serials */
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];
		bool uart = d->type == DEV_SERIAL;

		if (uart ? d->has_irq || l->devices[i].gsi :
			   !dev_is_virtio_mmio(d))
			continue;
		intid = spi_next(a, 1);
		l->devices[i].gsi = intid;
		irq_add(r, intid, uart ? TRIGGER_LEVEL : TRIGGER_EDGE,
			POLARITY_HIGH, d->name, uart ? "uart" : "virtio-mmio");
	}
	for (i = 1; i < l->n_rcs; i++)
		arm_rc_intx(r, i, spi_next(a, INTX_PINS));

	if (a->full || a->max >= l->gic_nr_irqs)
		rsv_error(r, "interrupts.gic.nr_irqs",
			  "interrupts need INTIDs up to %u, nr_irqs is %u",
			  a->full ? GIC_MAX_INTID : a->max, l->gic_nr_irqs);
	free(a);
}

/* pin - 1 plus the device numbers from the endpoint to the root bus. */
static void pci_swizzle(struct rsv *r)
{
	struct vm_layout *l = r->l;
	size_t i;

	for (i = 0; i < l->n_fns; i++) {
		struct layout_pci_fn *f = &l->fns[i];
		uint32_t pin;
		int32_t p;
		size_t hops = 0;

		if (!f->int_pin || f->rc >= l->n_rcs)
			continue;
		pin = f->int_pin - 1u;
		for (p = (int32_t)i;
		     p >= 0 && (size_t)p < l->n_fns && hops <= l->n_fns;
		     p = l->fns[p].parent, hops++)
			pin += l->fns[p].devfn >> 3;
		f->gsi = l->rcs[f->rc].intx_gsi[pin % INTX_PINS];
		if (f->device >= 0 && (size_t)f->device < l->n_devices)
			l->devices[f->device].gsi = f->gsi;
	}
}

static void irqs_sort(struct vm_layout *l)
{
	size_t i, j;

	for (i = 1; i < l->n_irqs; i++) {
		struct layout_irq t = l->irqs[i];

		for (j = i; j > 0 && l->irqs[j - 1].gsi > t.gsi; j--)
			l->irqs[j] = l->irqs[j - 1];
		l->irqs[j] = t;
	}
}

void rsv_irqchip(struct rsv *r)
{
	const struct cfg_interrupts *ci = &r->cfg->irq;
	const struct cfg_gic *g = &ci->gic;
	struct vm_layout *l = r->l;

	/* The loader filled every default; the config's values are final. */
	if (l->arch == ARCH_X86_64) {
		l->lapic_base = ci->lapic;
		l->ioapic_base = ci->ioapic.base;
		l->ioapic_pins = ci->ioapic.pins;
		return;
	}
	l->gic_version = g->version;
	l->gic_nr_irqs = g->nr_irqs;
	l->gic_dist = g->distributor;
	if (l->gic_version == 3) {
		l->gic_redist = g->redistributors;
		l->gic_redist_size = LAYOUT_GIC_REDIST_SIZE * l->n_vcpus;
		if (g->has_its)
			l->gic_its = g->its;
	} else {
		l->gic_cpuif = g->cpu_interface;
		if (g->has_v2m)
			l->gic_v2m = g->v2m;
	}
}

void rsv_irqs(struct rsv *r)
{
	if (!r->l->devices && r->cfg->n_devices)
		return;
	if (r->l->arch == ARCH_X86_64)
		x86_irqs(r);
	else
		arm_irqs(r);
	pci_swizzle(r);
	irqs_sort(r->l);
}
