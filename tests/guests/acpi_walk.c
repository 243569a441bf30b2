/* ACPI reader of the test guests: finds the MADT, SRAT and SLIT. */
#include "acpi_walk.h"

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "acpi_header");

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_addr;
	uint32_t length;
	uint64_t xsdt_addr;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "acpi_rsdp");

/* Offsets of the fixed parts before the first subtable. */
#define MADT_LAPIC_ADDR 36
#define MADT_ENTRIES 44
#define SRAT_ENTRIES 48
#define SLIT_COUNT 36
#define SLIT_ENTRIES 44

static uint8_t rd8(const uint8_t *p, size_t off)
{
	return p[off];
}

static uint32_t rd32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	       (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

static uint64_t rd64(const uint8_t *p, size_t off)
{
	return (uint64_t)rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

static bool sum_is_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return sum == 0;
}

/* The RSDP at paddr, or found by a BIOS-style scan when paddr is 0. */
static const struct acpi_rsdp *rsdp_find(uint64_t *paddr)
{
	if (*paddr)
		return phys_ptr(*paddr);
	for (uint32_t a = 0xe0000; a < 0x100000; a += 16) {
		const void *p = phys_ptr(a);

		if (p && !memcmp(p, "RSD PTR ", 8)) {
			*paddr = a;
			return p;
		}
	}
	return NULL;
}

/* The table at paddr, when it is below 4 GiB and its checksum is right. */
static const uint8_t *table_at(uint64_t paddr)
{
	const struct acpi_header *h = phys_ptr(paddr);

	if (!h || h->length < sizeof(*h)) {
		report("error", "bad ACPI table at 0x%llx", paddr);
		return NULL;
	}
	if (!sum_is_zero(h, h->length)) {
		report("error", "checksum of %c%c%c%c at 0x%llx",
		       h->signature[0], h->signature[1], h->signature[2],
		       h->signature[3], paddr);
		return NULL;
	}
	return (const uint8_t *)h;
}

static void madt_read(const uint8_t *t, struct acpi_info *info)
{
	uint32_t len = rd32(t, 4);

	info->lapic_addr = rd32(t, MADT_LAPIC_ADDR);
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
		uint8_t type = rd8(t, off), elen = rd8(t, off + 1);
		struct acpi_cpu *c = &info->cpus[info->ncpus];

		if (elen < 2 || off + elen > len)
			break;
		/* Enabled (bit 0) processors only; online-capable ones are
		 * not running at boot. */
		if (type == 0 && elen >= 8 && (rd32(t, off + 4) & 1) &&
		    info->ncpus < ACPI_MAX_CPUS) {
			c->apic_id = rd8(t, off + 3);
			c->x2apic = false;
			c->node = ACPI_NODE_NONE;
			info->ncpus++;
		} else if (type == 9 && elen >= 16 && (rd32(t, off + 8) & 1) &&
			   info->ncpus < ACPI_MAX_CPUS) {
			c->apic_id = rd32(t, off + 4);
			c->x2apic = true;
			c->node = ACPI_NODE_NONE;
			info->ncpus++;
		} else if (type == 5 && elen >= 12) {
			/* Local APIC address override. */
			info->lapic_addr = (uint32_t)rd64(t, off + 4);
		}
		off += elen;
	}
}

static void cpu_set_node(struct acpi_info *info, uint32_t apic_id,
			 uint32_t node)
{
	for (uint32_t i = 0; i < info->ncpus; i++)
		if (info->cpus[i].apic_id == apic_id)
			info->cpus[i].node = node;
}

static void srat_read(const uint8_t *t, struct acpi_info *info)
{
	uint32_t len = rd32(t, 4);

	info->has_srat = true;
	for (uint32_t off = SRAT_ENTRIES; off + 2 <= len;) {
		uint8_t type = rd8(t, off), elen = rd8(t, off + 1);

		if (elen < 2 || off + elen > len)
			break;
		if (type == 0 && elen >= 16 && (rd32(t, off + 4) & 1)) {
			/* Proximity domain bits 7:0 at 2, bits 31:8 at 9. */
			uint32_t node = rd8(t, off + 2) |
					(rd32(t, off + 8) & 0xffffff00);

			cpu_set_node(info, rd8(t, off + 3), node);
		} else if (type == 1 && elen >= 40 && (rd32(t, off + 28) & 1) &&
			   info->nmem < ACPI_MAX_MEM) {
			struct acpi_mem *m = &info->mem[info->nmem++];

			m->node = rd32(t, off + 2);
			m->base = rd64(t, off + 8);
			m->size = rd64(t, off + 16);
		} else if (type == 2 && elen >= 24 && (rd32(t, off + 12) & 1)) {
			cpu_set_node(info, rd32(t, off + 8), rd32(t, off + 4));
		}
		off += elen;
	}
}

static void slit_read(const uint8_t *t, struct acpi_info *info)
{
	uint32_t len = rd32(t, 4);
	uint64_t n = rd64(t, SLIT_COUNT);

	/* n * n bytes must fit the table; n <= 255 keeps the product small. */
	if (n > 255 || SLIT_ENTRIES + (uint32_t)(n * n) > len) {
		report("error", "SLIT of %u localities does not fit",
		       (uint32_t)n);
		return;
	}
	info->slit_n = (uint32_t)n;
	info->slit = t + SLIT_ENTRIES;
}

int acpi_walk(uint64_t rsdp_paddr, struct acpi_info *info)
{
	const struct acpi_rsdp *rsdp = rsdp_find(&rsdp_paddr);
	const uint8_t *sdt;
	uint32_t width, nent;
	const uint8_t *madt = NULL;

	/* Field by field: clearing the arrays would cost thousands of
	 * (emulated) stores. */
	info->ncpus = 0;
	info->nmem = 0;
	info->slit_n = 0;
	info->slit = NULL;
	info->has_srat = false;
	info->lapic_addr = 0;
	if (!rsdp || memcmp(rsdp->signature, "RSD PTR ", 8) ||
	    !sum_is_zero(rsdp, 20)) {
		report("error", "no valid RSDP (rsdp_paddr 0x%llx)",
		       rsdp_paddr);
		return -1;
	}
	/* ACPI 2.0+ guests read the XSDT; QEMU's PC machines give only an
	 * RSDT (revision 0). */
	info->rsdp_addr = (uint32_t)rsdp_paddr;
	info->xsdt = rsdp->revision >= 2 && rsdp->xsdt_addr;
	if (info->xsdt) {
		sdt = table_at(rsdp->xsdt_addr);
		width = 8;
	} else {
		sdt = table_at(rsdp->rsdt_addr);
		width = 4;
	}
	if (!sdt)
		return -1;
	nent = (rd32(sdt, 4) - 36) / width;
	for (uint32_t i = 0; i < nent; i++) {
		uint64_t a = width == 8 ? rd64(sdt, 36 + i * 8) :
					  rd32(sdt, 36 + i * 4);
		const uint8_t *t = table_at(a);

		if (!t)
			return -1;
		if (!memcmp(t, "APIC", 4))
			madt = t;
		else if (!memcmp(t, "SLIT", 4))
			slit_read(t, info);
	}
	if (!madt) {
		report("error", "no MADT");
		return -1;
	}
	madt_read(madt, info);
	/* The SRAT refers to MADT processors: read it after the MADT. */
	for (uint32_t i = 0; i < nent; i++) {
		uint64_t a = width == 8 ? rd64(sdt, 36 + i * 8) :
					  rd32(sdt, 36 + i * 4);
		const uint8_t *t = phys_ptr(a);

		if (t && !memcmp(t, "SRAT", 4))
			srat_read(t, info);
	}
	return 0;
}
