/* x86_64 ACPI tables, generated from the resolved layout. */

/*
 * TABLE POLICY
 * ============
 * Everything the tables say comes from struct vm_layout; the only numbers
 * chosen here are the platform registers of include/vmmd/acpi.h (the
 * contract with the device models, docs/platform.md).
 *
 * Placement, from l->fw_base (0xe0000 on x86, so the RSDP is found by a
 * BIOS-style scan of 0xe0000-0xfffff as well as through PVH start info):
 *   RSDP  at fw_base (16-byte aligned)     revision 2, XSDT only (no RSDT)
 *   FACS  next 64-byte boundary            version 2
 *   XSDT, DSDT, FADT, MADT, SRAT, SLIT, MCFG, each 16-byte aligned.
 * The XSDT lists FACP, APIC, SRAT, SLIT and (with root complexes) MCFG;
 * the FADT points to the FACS and the DSDT. Checksums are computed last.
 *
 * FADT: revision 6.3, not hardware-reduced. PM1a event/control blocks and
 *   a 32-bit PM timer in I/O space, no GPE block, no SMI_CMD (always in
 *   ACPI mode), SCI_INT = the layout's SCI. Fixed-feature power button
 *   (PWRBTN_STS in PM1a_STS + SCI), no sleep button, reset register 0xcf9
 *   value 6, IAPC_BOOT_ARCH: legacy devices, 8042, no VGA. FIRMWARE_CTRL
 *   (below 4 GiB) or X_FIRMWARE_CTRL (above), DSDT and X_DSDT both set.
 * MADT: local APIC address and PCAT_COMPAT. Per vCPU, in index order, a
 *   Processor Local APIC (type 0) when its APIC id and index are <= 254,
 *   else a Processor Local x2APIC (type 9), as ACPI 6.x asks (ids below
 *   255 use type 0 whatever the APIC mode); ACPI processor UID = vCPU
 *   index. The IOAPIC (id ACPI_IOAPIC_ID, GSI base 0). Interrupt source
 *   overrides: IRQ 0 -> GSI 2 (the PIT on IOAPIC pin 2), and every ISA
 *   line (GSI < 16) of the layout that is not edge/active-high, such as
 *   the SCI (9, level, high). LINT1 is NMI on every processor: a Local
 *   APIC NMI (UID 0xff) when type 0 entries exist, a Local x2APIC NMI
 *   (UID 0xffffffff) when type 9 entries do.
 * SRAT (revision 3): per vCPU a Processor Local APIC/SAPIC Affinity (type 0)
 *   or Processor Local x2APIC Affinity (type 2) by the same rule, proximity
 *   domain = node id; a Memory Affinity (type 1, enabled) per RAM region of
 *   the layout, CPU-less nodes included.
 * SLIT: the layout's distance matrix (node ids are 0..n-1).
 * MCFG: one allocation per root complex: base = ecam_base - bus_start MiB
 *   (the address of bus 0 of the segment), segment, bus range.
 * DSDT (revision 2): see dsdt_build().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/aml.h"
#include "vmmd/acpi.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "ACPI tables are little-endian structs written as they are");

#define OEM_ID "VMMD  "
#define OEM_TABLE_ID "VMMDVM  "
#define OEM_REVISION 1
#define CREATOR_ID "VMMD"
#define CREATOR_REVISION 1

#define TABLES_MAX (1 * MiB) /* blob size limit: offsets fit 32 bits */
#define TABLE_ALIGN 16
#define FACS_ALIGN 64
#define RSDP_ALIGN 16
#define XAPIC_MAX_ID 254 /* 255 is the xAPIC broadcast id */
#define ISA_IRQS 16
#define PIT_IRQ 0
#define PIT_GSI 2
#define MAX_COM_PORTS 9 /* COM1..COM9 */

/* ---- table layouts (ACPI 6.4, chapter 5) -------------------------------- */

#define ACPI_PACKED __attribute__((packed))

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_header) == 36, "header");

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum; /* bytes 0..19 */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* whole structure */
	uint8_t reserved[3];
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP");
#define RSDP_V1_LEN 20

/* Generic Address Structure. */
struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size; /* 1 byte, 2 word, 3 dword, 4 qword */
	uint64_t address;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS");
#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1
#define GAS_ACCESS_WORD 2
#define GAS_ACCESS_DWORD 3

struct acpi_fadt {
	struct acpi_header h;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	char hypervisor_vendor_id[8];
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT flags");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT X_DSDT");
#define FADT_REVISION 6
#define FADT_MINOR 3

/* FADT flags (5.2.9, table 5.10). */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_SLP_BUTTON (1u << 5) /* no sleep button */
#define FADT_FIX_RTC (1u << 6) /* no RTC_STS in PM1 */
#define FADT_TMR_VAL_EXT (1u << 8) /* 32-bit PM timer */
#define FADT_RESET_REG_SUP (1u << 10)
/* PWR_BUTTON (bit 4) clear: fixed-feature power button. */

/* IA-PC boot architecture flags (5.2.9.3). */
#define BOOT_LEGACY_DEVICES (1u << 0)
#define BOOT_8042 (1u << 1)
#define BOOT_VGA_NOT_PRESENT (1u << 2)

/* C2/C3 latencies above these mean "not supported". */
#define FADT_NO_C2 101
#define FADT_NO_C3 1001

struct acpi_facs {
	char signature[4];
	uint32_t length;
	uint32_t hardware_signature;
	uint32_t firmware_waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version;
	uint8_t reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved1[24];
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS");
#define FACS_VERSION 2

struct madt_header {
	struct acpi_header h;
	uint32_t lapic_address;
	uint32_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_header) == 44, "MADT");
#define MADT_REVISION 5
#define MADT_PCAT_COMPAT (1u << 0)

enum {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_ISO = 2,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_OVERRIDE = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};
#define MADT_ENABLED (1u << 0)

struct madt_lapic {
	uint8_t type;
	uint8_t length;
	uint8_t uid;
	uint8_t apic_id;
	uint32_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT LAPIC");

struct madt_ioapic {
	uint8_t type;
	uint8_t length;
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_ioapic) == 12, "MADT IOAPIC");

struct madt_iso {
	uint8_t type;
	uint8_t length;
	uint8_t bus; /* 0: ISA */
	uint8_t source; /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags */
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_iso) == 10, "MADT ISO");

/* MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2. */
#define INTI_ACTIVE_HIGH 0x1
#define INTI_ACTIVE_LOW 0x3
#define INTI_EDGE (0x1 << 2)
#define INTI_LEVEL (0x3 << 2)

struct madt_lapic_nmi {
	uint8_t type;
	uint8_t length;
	uint8_t uid; /* 0xff: all processors */
	uint16_t flags;
	uint8_t lint;
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_lapic_nmi) == 6, "MADT LAPIC NMI");

struct madt_lapic_override {
	uint8_t type;
	uint8_t length;
	uint16_t reserved;
	uint64_t address;
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_lapic_override) == 12, "MADT override");

struct madt_x2apic {
	uint8_t type;
	uint8_t length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t uid;
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_x2apic) == 16, "MADT x2APIC");

struct madt_x2apic_nmi {
	uint8_t type;
	uint8_t length;
	uint16_t flags;
	uint32_t uid; /* 0xffffffff: all processors */
	uint8_t lint;
	uint8_t reserved[3];
} ACPI_PACKED;
_Static_assert(sizeof(struct madt_x2apic_nmi) == 12, "MADT x2APIC NMI");

#define NMI_ALL_UID 0xff
#define NMI_ALL_X2UID 0xffffffffu
#define NMI_LINT1 1

struct srat_header {
	struct acpi_header h;
	uint32_t reserved1; /* 1, for backward compatibility */
	uint64_t reserved2;
} ACPI_PACKED;
_Static_assert(sizeof(struct srat_header) == 48, "SRAT");
#define SRAT_REVISION 3

enum {
	SRAT_LAPIC = 0,
	SRAT_MEMORY = 1,
	SRAT_X2APIC = 2,
};
#define SRAT_ENABLED (1u << 0)

struct srat_lapic {
	uint8_t type;
	uint8_t length;
	uint8_t domain_lo; /* proximity domain bits 7:0 */
	uint8_t apic_id;
	uint32_t flags;
	uint8_t sapic_eid;
	uint8_t domain_hi[3]; /* bits 31:8 */
	uint32_t clock_domain;
} ACPI_PACKED;
_Static_assert(sizeof(struct srat_lapic) == 16, "SRAT LAPIC");

struct srat_memory {
	uint8_t type;
	uint8_t length;
	uint32_t domain;
	uint16_t reserved1;
	uint32_t base_lo;
	uint32_t base_hi;
	uint32_t length_lo;
	uint32_t length_hi;
	uint32_t reserved2;
	uint32_t flags;
	uint64_t reserved3;
} ACPI_PACKED;
_Static_assert(sizeof(struct srat_memory) == 40, "SRAT memory");

struct srat_x2apic {
	uint8_t type;
	uint8_t length;
	uint16_t reserved1;
	uint32_t domain;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t clock_domain;
	uint32_t reserved2;
} ACPI_PACKED;
_Static_assert(sizeof(struct srat_x2apic) == 24, "SRAT x2APIC");

struct slit_header {
	struct acpi_header h;
	uint64_t localities;
} ACPI_PACKED;
_Static_assert(sizeof(struct slit_header) == 44, "SLIT");
#define SLIT_REVISION 1

struct mcfg_header {
	struct acpi_header h;
	uint64_t reserved;
} ACPI_PACKED;
_Static_assert(sizeof(struct mcfg_header) == 44, "MCFG");
#define MCFG_REVISION 1

struct mcfg_entry {
	uint64_t base; /* ECAM address of bus 0 of the segment */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end;
	uint32_t reserved;
} ACPI_PACKED;
_Static_assert(sizeof(struct mcfg_entry) == 16, "MCFG entry");

#define XSDT_REVISION 1
#define DSDT_REVISION 2 /* 64-bit AML integers */
#define RSDP_REVISION 2

/* ---- blob builder ------------------------------------------------------- */

struct build {
	const struct vm_layout *l;
	const struct vm_config *cfg;
	struct acpi_tables *t;
	uint8_t *blob; /* cap bytes, zeroed */
	size_t cap;
	size_t len;
	int err;
};

static void __printf(3, 4) fail(struct build *b, int err, const char *fmt, ...)
{
	va_list ap;

	if (b->err)
		return;
	b->err = err;
	va_start(ap, fmt);
	vsnprintf(b->t->error, sizeof(b->t->error), fmt, ap);
	va_end(ap);
}

static uint64_t addr_of(const struct build *b, size_t off)
{
	return b->l->fw_base + off;
}

static void no_space(struct build *b)
{
	fail(b, -ENOSPC,
	     "the ACPI tables do not fit in the %zu-byte firmware region at 0x%llx",
	     b->cap, (unsigned long long)b->l->fw_base);
}

/* Pads with zeroes to an address multiple of @align (a power of two). */
static void pad_to(struct build *b, uint64_t align)
{
	uint64_t pad = (align - addr_of(b, b->len) % align) % align;

	if (b->err)
		return;
	if (pad > b->cap - b->len) {
		no_space(b);
		return;
	}
	b->len += (size_t)pad;
}

/* Appends @n bytes (zeroes when @p is NULL); returns their offset. */
static size_t put(struct build *b, const void *p, size_t n)
{
	size_t off = b->len;

	if (b->err)
		return 0;
	if (n > b->cap - b->len) {
		no_space(b);
		return 0;
	}
	if (p)
		memcpy(b->blob + off, p, n);
	b->len += n;
	return off;
}

static struct acpi_table_ref *ref_add(struct build *b, const char *sig,
				      size_t off)
{
	struct acpi_tables *t = b->t;
	struct acpi_table_ref *r;

	if (b->err)
		return NULL;
	if (t->n_tables == ARRAY_SIZE(t->tables)) {
		fail(b, -EINVAL, "more than %zu ACPI tables",
		     ARRAY_SIZE(t->tables));
		return NULL;
	}
	r = &t->tables[t->n_tables++];
	memset(r, 0, sizeof(*r));
	memcpy(r->sig, sig, 4);
	r->offset = (uint32_t)off;
	r->addr = addr_of(b, off);
	return r;
}

/* Starts a table with the standard header; returns its offset. */
static size_t table_begin(struct build *b, const char *sig, uint8_t revision)
{
	struct acpi_header h;
	size_t off;

	pad_to(b, TABLE_ALIGN);
	memset(&h, 0, sizeof(h));
	memcpy(h.signature, sig, 4);
	h.revision = revision;
	memcpy(h.oem_id, OEM_ID, sizeof(h.oem_id));
	memcpy(h.oem_table_id, OEM_TABLE_ID, sizeof(h.oem_table_id));
	h.oem_revision = OEM_REVISION;
	memcpy(h.creator_id, CREATOR_ID, sizeof(h.creator_id));
	h.creator_revision = CREATOR_REVISION;
	off = put(b, &h, sizeof(h));
	ref_add(b, sig, off);
	return off;
}

/* Sets the length of the table that starts at @off (the last one added). */
static void table_end(struct build *b, size_t off)
{
	uint32_t len;

	if (b->err)
		return;
	len = (uint32_t)(b->len - off);
	memcpy(b->blob + off + offsetof(struct acpi_header, length), &len,
	       sizeof(len));
	b->t->tables[b->t->n_tables - 1].length = len;
}

static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)(0 - sum);
}

/* ---- DSDT --------------------------------------------------------------- */

static const struct layout_irq *irq_find(const struct vm_layout *l,
					 uint32_t gsi)
{
	size_t i;

	for (i = 0; i < l->n_irqs; i++)
		if (l->irqs[i].gsi == gsi)
			return &l->irqs[i];
	return NULL;
}

static const char *dev_name(const struct build *b,
			    const struct layout_device *d)
{
	if (!b->cfg || d->index >= b->cfg->n_devices)
		return NULL;
	return b->cfg->devices[d->index].name;
}

/* Interrupt of a device line as the layout routes it. */
static void res_gsi(struct build *b, struct aml *res, uint32_t gsi, bool isa)
{
	const struct layout_irq *q = irq_find(b->l, gsi);
	bool edge, low;

	if (!q) {
		fail(b, -EINVAL, "GSI %u of a device is not in the IRQ table",
		     gsi);
		return;
	}
	edge = q->trigger == TRIGGER_EDGE;
	low = q->polarity == POLARITY_LOW;
	if (isa && gsi < ISA_IRQS)
		aml_res_irq(res, gsi, edge, low, false);
	else
		aml_res_interrupt(res, gsi, edge, low, false);
}

/* A memory range for _CRS: Memory32Fixed below 4 GiB, QWordMemory above. */
static void res_mmio(struct aml *res, uint64_t base, uint64_t size)
{
	struct aml_addr q = {
		.type = AML_ADDR_MEMORY,
		.cache = AML_MEM_NON_CACHEABLE,
		.writeable = true,
		.min = base,
		.len = size,
	};

	if (base <= UINT32_MAX && size <= UINT32_MAX - base + 1)
		aml_res_memory32_fixed(res, true, (uint32_t)base,
				       (uint32_t)size);
	else
		aml_res_addr(res, 8, &q);
}

/* Device(Cxxx): ACPI0007 per vCPU, _UID = the MADT processor UID. */
static void dsdt_cpus(struct build *b, struct aml *a)
{
	size_t i;

	if (b->l->n_vcpus > 0x1000) {
		fail(b, -EINVAL, "more than 4096 vCPUs");
		return;
	}
	for (i = 0; i < b->l->n_vcpus; i++) {
		char name[16];
		size_t dev;

		snprintf(name, sizeof(name), "C%03X", (unsigned int)i);
		dev = aml_device(a, name);
		aml_name_string(a, "_HID", "ACPI0007");
		aml_name_integer(a, "_UID", i);
		aml_close(a, dev);
	}
}

/* Device(COMn): 16550 UARTs at the layout's ports and IRQs. */
static void dsdt_serial(struct build *b, struct aml *a)
{
	const struct vm_layout *l = b->l;
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];
		const char *str = dev_name(b, d);
		struct aml res = { 0 };
		char name[16];
		size_t dev;

		if (d->type != DEV_SERIAL)
			continue;
		if (++n > MAX_COM_PORTS) {
			fail(b, -EINVAL, "more than %d serial ports",
			     MAX_COM_PORTS);
			return;
		}
		if (!d->io_port || d->io_port > UINT16_MAX - 7) {
			fail(b, -EINVAL, "serial port %u has I/O port 0x%x", n,
			     d->io_port);
			return;
		}
		snprintf(name, sizeof(name), "COM%u", n);
		dev = aml_device(a, name);
		aml_name_eisa_id(a, "_HID", "PNP0501");
		aml_name_integer(a, "_UID", n);
		if (str) {
			aml_name(a, "_STR");
			aml_unicode(a, str);
		}
		aml_res_io(&res, d->io_port, d->io_port, 8, 8);
		res_gsi(b, &res, d->gsi, true);
		aml_name(a, "_CRS");
		aml_resource_template(a, &res);
		aml_free(&res);
		aml_close(a, dev);
	}
}

/* Device(VRnn): virtio-mmio devices (LNRO0005, as Linux matches them). */
static void dsdt_virtio_mmio(struct build *b, struct aml *a)
{
	const struct vm_layout *l = b->l;
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < l->n_devices; i++) {
		const struct layout_device *d = &l->devices[i];
		const char *str = dev_name(b, d);
		struct aml res = { 0 };
		char name[16];
		size_t dev;

		if (d->type == DEV_SERIAL || d->transport != TRANSPORT_MMIO ||
		    !d->mmio_size)
			continue;
		if (n > 0xff) {
			fail(b, -EINVAL, "more than 256 virtio-mmio devices");
			return;
		}
		snprintf(name, sizeof(name), "VR%02X", n);
		dev = aml_device(a, name);
		aml_name_string(a, "_HID", "LNRO0005");
		aml_name_integer(a, "_UID", n);
		if (str) {
			aml_name(a, "_STR");
			aml_unicode(a, str);
		}
		res_mmio(&res, d->mmio_base, d->mmio_size);
		res_gsi(b, &res, d->gsi, false);
		aml_name(a, "_CRS");
		aml_resource_template(a, &res);
		aml_free(&res);
		aml_close(a, dev);
		n++;
	}
}

/*
 * PCIe hook. Issue 5 (PCIe emulation) adds here, per layout root complex,
 * a host bridge Device (PNP0A08, compatible PNP0A03) with _SEG, _BBN, _UID,
 * _PXM from rc->node, a _CRS (WordBusNumber bus_start..bus_end, WordIO of
 * rc->io, DWordMemory of mmio32, QWordMemory of mmio64, and on segment 0
 * IO 0xcf8/8), _PRT from rc->intx_gsi with the slot + pin rotation of
 * src/layout/irq.c, and _OSC granting native PCIe hotplug/AER/PME.
 *
 * Already now: the ECAM regions the MCFG points to are reserved as
 * motherboard resources (PNP0C02), which Linux requires before it uses
 * an MCFG allocation.
 */
static void dsdt_pci(struct build *b, struct aml *a)
{
	const struct vm_layout *l = b->l;
	struct aml res = { 0 };
	size_t i, dev;

	if (!l->n_rcs)
		return;
	for (i = 0; i < l->n_rcs; i++)
		res_mmio(&res, l->rcs[i].ecam_base, l->rcs[i].ecam_size);
	dev = aml_device(a, "ECAM");
	aml_name_eisa_id(a, "_HID", "PNP0C02");
	aml_name_string(a, "_UID", "ECAM");
	aml_name(a, "_CRS");
	aml_resource_template(a, &res);
	aml_free(&res);
	aml_close(a, dev);
}

/* strerror() is not thread-safe; the AML builder has three errors. */
static const char *aml_error_text(int err)
{
	switch (err) {
	case -ENOMEM:
		return "out of memory";
	case -E2BIG:
		return "the AML is too large";
	default:
		return "a name or value AML cannot encode";
	}
}

/*
 * DSDT:
 *   \_SB.Cxxx   one ACPI0007 processor device per vCPU (_UID = index)
 *   \_SB.COMn   PNP0501 per serial device in config order: _UID n, _STR
 *               (the device name), _CRS IO(port, 8) + IRQNoFlags(irq)
 *   \_SB.VRnn   LNRO0005 per virtio-mmio device: _CRS Memory32Fixed +
 *               Interrupt
 *   \_SB.ECAM   PNP0C02 reserving the ECAM regions (with root complexes)
 *   \_S5        Package { ACPI_SLP_TYP_S5, ACPI_SLP_TYP_S5, 0, 0 }
 * The power button is the FADT's fixed-feature button: no AML.
 */
static size_t dsdt_build(struct build *b)
{
	struct aml a = { 0 };
	size_t off, sb, pkg;

	sb = aml_scope(&a, "_SB"); /* \_SB: the DSDT starts at the root */
	dsdt_cpus(b, &a);
	dsdt_serial(b, &a);
	dsdt_virtio_mmio(b, &a);
	dsdt_pci(b, &a);
	aml_close(&a, sb);

	aml_name(&a, "_S5");
	pkg = aml_package(&a, 4);
	aml_integer(&a, ACPI_SLP_TYP_S5); /* PM1a_CNT.SLP_TYP */
	aml_integer(&a, ACPI_SLP_TYP_S5); /* PM1b_CNT.SLP_TYP (no PM1b) */
	aml_integer(&a, 0);
	aml_integer(&a, 0);
	aml_close(&a, pkg);

	if (aml_error(&a))
		fail(b, aml_error(&a), "DSDT: %s",
		     aml_error_text(aml_error(&a)));
	off = table_begin(b, "DSDT", DSDT_REVISION);
	put(b, a.buf, a.len);
	table_end(b, off);
	aml_free(&a);
	return off;
}

/* ---- FACS, FADT ------------------------------------------------------- */

static size_t facs_build(struct build *b)
{
	struct acpi_facs f;
	size_t off;

	memset(&f, 0, sizeof(f));
	memcpy(f.signature, "FACS", 4);
	f.length = sizeof(f);
	f.version = FACS_VERSION;
	pad_to(b, FACS_ALIGN);
	off = put(b, &f, sizeof(f));
	ref_add(b, "FACS", off);
	if (!b->err)
		b->t->tables[b->t->n_tables - 1].length = sizeof(f);
	return off;
}

static struct acpi_gas gas_io(uint16_t port, unsigned int bytes, uint8_t access)
{
	return (struct acpi_gas){
		.space_id = GAS_SYSTEM_IO,
		.bit_width = (uint8_t)(8 * bytes),
		.access_size = access,
		.address = port,
	};
}

static uint32_t addr32(uint64_t a)
{
	return a <= UINT32_MAX ? (uint32_t)a : 0;
}

static size_t fadt_build(struct build *b, uint64_t facs, uint64_t dsdt,
			 uint32_t sci)
{
	struct acpi_fadt f;
	size_t off;

	memset(&f, 0, sizeof(f));
	/* FACS: the 32-bit field when it reaches, else the 64-bit one. */
	f.firmware_ctrl = addr32(facs);
	f.x_firmware_ctrl = f.firmware_ctrl ? 0 : facs;
	f.dsdt = addr32(dsdt);
	f.x_dsdt = dsdt;
	f.sci_int = (uint16_t)sci;

	f.pm1a_evt_blk = ACPI_PM1A_EVT_PORT;
	f.pm1a_cnt_blk = ACPI_PM1A_CNT_PORT;
	f.pm_tmr_blk = ACPI_PM_TMR_PORT;
	f.pm1_evt_len = ACPI_PM1_EVT_LEN;
	f.pm1_cnt_len = ACPI_PM1_CNT_LEN;
	f.pm_tmr_len = ACPI_PM_TMR_LEN;
	f.x_pm1a_evt_blk =
		gas_io(ACPI_PM1A_EVT_PORT, ACPI_PM1_EVT_LEN, GAS_ACCESS_WORD);
	f.x_pm1a_cnt_blk =
		gas_io(ACPI_PM1A_CNT_PORT, ACPI_PM1_CNT_LEN, GAS_ACCESS_WORD);
	f.x_pm_tmr_blk =
		gas_io(ACPI_PM_TMR_PORT, ACPI_PM_TMR_LEN, GAS_ACCESS_DWORD);

	f.p_lvl2_lat = FADT_NO_C2;
	f.p_lvl3_lat = FADT_NO_C3;
	f.century = ACPI_CMOS_CENTURY;
	f.iapc_boot_arch = BOOT_LEGACY_DEVICES | BOOT_8042 |
			   BOOT_VGA_NOT_PRESENT;
	f.flags = FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_FIX_RTC |
		  FADT_TMR_VAL_EXT | FADT_RESET_REG_SUP;
	f.reset_reg = gas_io(ACPI_RESET_PORT, 1, GAS_ACCESS_BYTE);
	f.reset_value = ACPI_RESET_VALUE;
	f.minor_version = FADT_MINOR;
	memcpy(f.hypervisor_vendor_id, "VMMD\0\0\0\0", 8);

	off = table_begin(b, "FACP", FADT_REVISION);
	put(b, (uint8_t *)&f + sizeof(f.h), sizeof(f) - sizeof(f.h));
	table_end(b, off);
	return off;
}

/* ---- MADT --------------------------------------------------------------- */

/* Type 0 entries for small ids and UIDs, type 9 for the others. */
static bool vcpu_is_xapic(const struct layout_vcpu *v)
{
	return v->apic_id <= XAPIC_MAX_ID && v->index <= XAPIC_MAX_ID;
}

static uint16_t inti_flags(const struct layout_irq *q)
{
	return (uint16_t)((q->polarity == POLARITY_LOW ? INTI_ACTIVE_LOW :
							 INTI_ACTIVE_HIGH) |
			  (q->trigger == TRIGGER_LEVEL ? INTI_LEVEL :
							 INTI_EDGE));
}

static void madt_iso(struct build *b, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	struct madt_iso e = {
		.type = MADT_ISO,
		.length = sizeof(e),
		.bus = 0,
		.source = irq,
		.gsi = gsi,
		.flags = flags,
	};

	put(b, &e, sizeof(e));
}

static size_t madt_build(struct build *b)
{
	const struct vm_layout *l = b->l;
	struct madt_header m = { 0 };
	bool any_xapic = false, any_x2apic = false;
	bool seen[ISA_IRQS] = { false };
	size_t off, i;

	off = table_begin(b, "APIC", MADT_REVISION);
	m.lapic_address = addr32(l->lapic_base);
	m.flags = MADT_PCAT_COMPAT;
	put(b, (uint8_t *)&m + sizeof(m.h), sizeof(m) - sizeof(m.h));
	if (l->lapic_base > UINT32_MAX) {
		struct madt_lapic_override o = {
			.type = MADT_LAPIC_OVERRIDE,
			.length = sizeof(o),
			.address = l->lapic_base,
		};

		put(b, &o, sizeof(o));
	}

	for (i = 0; i < l->n_vcpus; i++) {
		const struct layout_vcpu *v = &l->vcpus[i];

		if (vcpu_is_xapic(v)) {
			struct madt_lapic e = {
				.type = MADT_LAPIC,
				.length = sizeof(e),
				.uid = (uint8_t)v->index,
				.apic_id = (uint8_t)v->apic_id,
				.flags = MADT_ENABLED,
			};

			put(b, &e, sizeof(e));
			any_xapic = true;
		} else {
			struct madt_x2apic e = {
				.type = MADT_X2APIC,
				.length = sizeof(e),
				.x2apic_id = v->apic_id,
				.flags = MADT_ENABLED,
				.uid = v->index,
			};

			put(b, &e, sizeof(e));
			any_x2apic = true;
		}
	}

	{
		struct madt_ioapic e = {
			.type = MADT_IOAPIC,
			.length = sizeof(e),
			.id = ACPI_IOAPIC_ID,
			.address = (uint32_t)l->ioapic_base,
			.gsi_base = 0,
		};

		put(b, &e, sizeof(e));
	}

	/* The PIT (ISA IRQ 0) is wired to IOAPIC pin 2. */
	madt_iso(b, PIT_IRQ, PIT_GSI, INTI_ACTIVE_HIGH | INTI_EDGE);
	seen[PIT_IRQ] = true;
	/* ISA lines with another trigger or polarity than ISA's edge/high. */
	for (i = 0; i < l->n_irqs; i++) {
		const struct layout_irq *q = &l->irqs[i];

		if (q->gsi >= ISA_IRQS || seen[q->gsi])
			continue;
		if (q->trigger == TRIGGER_EDGE && q->polarity == POLARITY_HIGH)
			continue;
		madt_iso(b, (uint8_t)q->gsi, q->gsi, inti_flags(q));
		seen[q->gsi] = true;
	}

	if (any_xapic) {
		struct madt_lapic_nmi e = {
			.type = MADT_LAPIC_NMI,
			.length = sizeof(e),
			.uid = NMI_ALL_UID,
			.flags = 0, /* conforms to the bus: edge, high */
			.lint = NMI_LINT1,
		};

		put(b, &e, sizeof(e));
	}
	if (any_x2apic) {
		struct madt_x2apic_nmi e = {
			.type = MADT_X2APIC_NMI,
			.length = sizeof(e),
			.flags = 0,
			.uid = NMI_ALL_X2UID,
			.lint = NMI_LINT1,
		};

		put(b, &e, sizeof(e));
	}
	table_end(b, off);
	return off;
}

/* ---- SRAT, SLIT, MCFG --------------------------------------------------- */

static size_t srat_build(struct build *b)
{
	const struct vm_layout *l = b->l;
	struct srat_header s = { .reserved1 = 1 };
	size_t off, i;

	off = table_begin(b, "SRAT", SRAT_REVISION);
	put(b, (uint8_t *)&s + sizeof(s.h), sizeof(s) - sizeof(s.h));

	for (i = 0; i < l->n_vcpus; i++) {
		const struct layout_vcpu *v = &l->vcpus[i];

		if (vcpu_is_xapic(v)) {
			struct srat_lapic e = {
				.type = SRAT_LAPIC,
				.length = sizeof(e),
				.domain_lo = (uint8_t)v->node,
				.apic_id = (uint8_t)v->apic_id,
				.flags = SRAT_ENABLED,
				.domain_hi = { (uint8_t)(v->node >> 8),
					       (uint8_t)(v->node >> 16),
					       (uint8_t)(v->node >> 24) },
			};

			put(b, &e, sizeof(e));
		} else {
			struct srat_x2apic e = {
				.type = SRAT_X2APIC,
				.length = sizeof(e),
				.domain = v->node,
				.x2apic_id = v->apic_id,
				.flags = SRAT_ENABLED,
			};

			put(b, &e, sizeof(e));
		}
	}

	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		struct srat_memory e = {
			.type = SRAT_MEMORY,
			.length = sizeof(e),
			.flags = SRAT_ENABLED,
		};

		if (r->kind != LR_RAM)
			continue;
		if (r->node < 0) {
			fail(b, -EINVAL, "RAM at 0x%llx has no NUMA node",
			     (unsigned long long)r->gpa);
			break;
		}
		e.domain = (uint32_t)r->node;
		e.base_lo = (uint32_t)r->gpa;
		e.base_hi = (uint32_t)(r->gpa >> 32);
		e.length_lo = (uint32_t)r->size;
		e.length_hi = (uint32_t)(r->size >> 32);
		put(b, &e, sizeof(e));
	}
	table_end(b, off);
	return off;
}

static size_t slit_build(struct build *b)
{
	const struct vm_layout *l = b->l;
	struct slit_header s = { .localities = l->n_nodes };
	size_t off;

	off = table_begin(b, "SLIT", SLIT_REVISION);
	put(b, (uint8_t *)&s + sizeof(s.h), sizeof(s) - sizeof(s.h));
	put(b, l->distance, l->n_nodes * l->n_nodes);
	table_end(b, off);
	return off;
}

static size_t mcfg_build(struct build *b)
{
	const struct vm_layout *l = b->l;
	struct mcfg_header m = { 0 };
	size_t off, i;

	off = table_begin(b, "MCFG", MCFG_REVISION);
	put(b, (uint8_t *)&m + sizeof(m.h), sizeof(m) - sizeof(m.h));
	for (i = 0; i < l->n_rcs; i++) {
		const struct layout_rc *rc = &l->rcs[i];
		uint64_t skip = rc->bus_start * LAYOUT_ECAM_BUS_SIZE;
		struct mcfg_entry e = {
			.base = rc->ecam_base - skip,
			.segment = rc->segment,
			.bus_start = rc->bus_start,
			.bus_end = rc->bus_end,
		};

		if (rc->ecam_base < skip || rc->bus_end < rc->bus_start) {
			fail(b, -EINVAL,
			     "root complex %s: ECAM 0x%llx does not fit buses %u-%u",
			     rc->name, (unsigned long long)rc->ecam_base,
			     rc->bus_start, rc->bus_end);
			break;
		}
		put(b, &e, sizeof(e));
	}
	table_end(b, off);
	return off;
}

/* ---- RSDP, XSDT, checks, entry point ------------------------------------ */

static void rsdp_fill(struct build *b, size_t off, uint64_t xsdt)
{
	struct acpi_rsdp r;

	if (b->err)
		return;
	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, OEM_ID, sizeof(r.oem_id));
	r.revision = RSDP_REVISION;
	r.length = sizeof(r);
	r.xsdt_address = xsdt;
	r.checksum = checksum((const uint8_t *)&r, RSDP_V1_LEN);
	r.extended_checksum = checksum((const uint8_t *)&r, sizeof(r));
	memcpy(b->blob + off, &r, sizeof(r));
}

/* What the tables cannot describe; the resolver should not produce it. */
static int layout_check(struct build *b, uint32_t *sci)
{
	const struct vm_layout *l = b->l;
	const struct layout_irq *q = NULL;
	size_t i;

	if (l->arch != ARCH_X86_64) {
		fail(b, -EINVAL, "ACPI tables are built for x86_64 VMs only");
		return b->err;
	}
	if (!l->fw_size || l->fw_base + l->fw_size < l->fw_base) {
		fail(b, -EINVAL, "no firmware region for the ACPI tables");
		return b->err;
	}
	if (!l->n_vcpus || !l->vcpus || !l->n_nodes || !l->nodes ||
	    !l->distance) {
		fail(b, -EINVAL, "the layout has no vCPUs or NUMA nodes");
		return b->err;
	}
	if (l->ioapic_base > UINT32_MAX || !l->ioapic_pins) {
		fail(b, -EINVAL, "IOAPIC at 0x%llx with %u pins",
		     (unsigned long long)l->ioapic_base, l->ioapic_pins);
		return b->err;
	}
	for (i = 0; i < l->n_nodes; i++) {
		if (l->nodes[i].id != i) {
			fail(b, -EINVAL,
			     "NUMA node %zu has id %u (SLIT needs ids 0..n-1)",
			     i, l->nodes[i].id);
			return b->err;
		}
	}
	for (i = 0; i < l->n_irqs; i++) {
		const struct layout_irq *r = &l->irqs[i];

		if (r->gsi >= l->ioapic_pins) {
			fail(b, -EINVAL,
			     "GSI %u (%s %s) is beyond the IOAPIC's %u pins",
			     r->gsi, r->owner, r->what, l->ioapic_pins);
			return b->err;
		}
		if (!q && !strcmp(r->owner, ACPI_SCI_OWNER) &&
		    !strcmp(r->what, ACPI_SCI_WHAT))
			q = r;
	}
	if (!q) {
		fail(b, -EINVAL, "the layout has no ACPI SCI");
		return b->err;
	}
	if (PIT_GSI >= l->ioapic_pins) {
		fail(b, -EINVAL, "the IOAPIC has no pin %d for the PIT",
		     PIT_GSI);
		return b->err;
	}
	*sci = q->gsi;
	return 0;
}

int acpi_build(const struct vm_layout *l, const struct vm_config *cfg,
	       struct acpi_tables *out)
{
	struct build b = { .l = l, .cfg = cfg, .t = out };
	size_t rsdp, facs, xsdt, dsdt, n_x = 0, i;
	size_t xents[ACPI_MAX_TABLES], n_xsdt;
	uint32_t sci = 0;
	int err;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!l) {
		fail(&b, -EINVAL, "no layout");
		return b.err;
	}
	err = layout_check(&b, &sci);
	if (err)
		return err;
	/* The tables of the largest VM take about 100 KiB. */
	b.cap = l->fw_size < TABLES_MAX ? (size_t)l->fw_size : TABLES_MAX;
	b.blob = calloc(1, b.cap);
	if (!b.blob) {
		fail(&b, -ENOMEM, "out of memory");
		return b.err;
	}
	out->base = l->fw_base;

	/* RSDP first, where a scan of the BIOS area starts. */
	pad_to(&b, RSDP_ALIGN);
	rsdp = put(&b, NULL, sizeof(struct acpi_rsdp));
	ref_add(&b, "RSDP", rsdp);
	if (!b.err)
		out->tables[out->n_tables - 1].length =
			sizeof(struct acpi_rsdp);
	facs = facs_build(&b);

	/* XSDT: entries filled in once the tables exist. */
	xsdt = table_begin(&b, "XSDT", XSDT_REVISION);
	n_xsdt = l->n_rcs ? 5 : 4; /* FACP APIC SRAT SLIT [MCFG] */
	put(&b, NULL, sizeof(uint64_t) * n_xsdt);
	table_end(&b, xsdt);

	dsdt = dsdt_build(&b);
	xents[n_x++] =
		fadt_build(&b, addr_of(&b, facs), addr_of(&b, dsdt), sci);
	xents[n_x++] = madt_build(&b);
	xents[n_x++] = srat_build(&b);
	xents[n_x++] = slit_build(&b);
	if (l->n_rcs)
		xents[n_x++] = mcfg_build(&b);
	if (n_x != n_xsdt)
		fail(&b, -EINVAL, "XSDT has %zu entries for %zu tables", n_xsdt,
		     n_x);
	if (b.err)
		goto free_blob;

	for (i = 0; i < n_x; i++) {
		uint64_t a = addr_of(&b, xents[i]);

		memcpy(b.blob + xsdt + sizeof(struct acpi_header) + 8 * i, &a,
		       sizeof(a));
	}
	rsdp_fill(&b, rsdp, addr_of(&b, xsdt));
	out->rsdp_addr = addr_of(&b, rsdp);

	/* Checksums last: every table with a standard header. */
	for (i = 0; i < out->n_tables; i++) {
		const struct acpi_table_ref *r = &out->tables[i];
		uint8_t *p = b.blob + r->offset;

		if (!strcmp(r->sig, "RSDP") || !strcmp(r->sig, "FACS"))
			continue;
		p[offsetof(struct acpi_header, checksum)] = 0;
		p[offsetof(struct acpi_header, checksum)] =
			checksum(p, r->length);
	}
	out->blob = b.blob;
	out->size = b.len;
	return 0;

free_blob:
	free(b.blob);
	err = b.err;
	out->n_tables = 0;
	out->rsdp_addr = 0;
	return err;
}

void acpi_tables_free(struct acpi_tables *t)
{
	if (!t)
		return;
	free(t->blob);
	t->blob = NULL;
	t->size = 0;
	t->n_tables = 0;
}

const struct acpi_table_ref *acpi_tables_find(const struct acpi_tables *t,
					      const char *sig)
{
	size_t i;

	if (!t || !sig)
		return NULL;
	for (i = 0; i < t->n_tables; i++)
		if (!strncmp(t->tables[i].sig, sig, sizeof(t->tables[i].sig)))
			return &t->tables[i];
	return NULL;
}
