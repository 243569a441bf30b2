/* x86_64 ACPI tables of a VM and the platform registers they describe. */
#ifndef VMMD_ACPI_H
#define VMMD_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/config.h"
#include "vmmd/layout.h"

/*
 * PLATFORM CONTRACT (docs/platform.md)
 * ====================================
 * The FADT and DSDT promise the guest these registers; the device models
 * must implement exactly them. All are x86 I/O ports below 0x1000 (the
 * ISA/platform range; see LAYOUT_X86_IO_START), chosen clear of the
 * legacy devices and of the COM ports a VM file may name (the validator
 * rejects serial ports that overlap ACPI_PM_IO_BASE..+ACPI_PM_IO_LEN).
 */
#define ACPI_PM_IO_BASE 0x600 /* the whole PM block: 0x600-0x60b */
#define ACPI_PM_IO_LEN 12
#define ACPI_PM1A_EVT_PORT 0x600 /* PM1a_STS (16 bit), PM1a_EN (16 bit) */
#define ACPI_PM1_EVT_LEN 4
#define ACPI_PM1A_CNT_PORT 0x604 /* PM1a_CNT (16 bit) */
#define ACPI_PM1_CNT_LEN 2
#define ACPI_PM_TMR_PORT 0x608 /* PM_TMR (32 bit, read-only) */
#define ACPI_PM_TMR_LEN 4
#define ACPI_PM_TMR_HZ 3579545 /* 32-bit counter (FADT TMR_VAL_EXT) */

/* PM1 status/enable bits (ACPI 6.4, 4.8.3.1); status bits are write-1-clear. */
#define ACPI_PM1_TMR_STS (1u << 0)
#define ACPI_PM1_PWRBTN_STS (1u << 8) /* fixed-feature power button */
#define ACPI_PM1_WAK_STS (1u << 15)
#define ACPI_PM1_TMR_EN (1u << 0)
#define ACPI_PM1_PWRBTN_EN (1u << 8)

/*
 * PM1 control bits (4.8.3.2). SCI_EN always reads 1: no SMI_CMD, no legacy
 * mode. Writing SLP_EN with SLP_TYP == ACPI_SLP_TYP_S5 powers off.
 */
#define ACPI_PM1_SCI_EN (1u << 0)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN (1u << 13)
#define ACPI_SLP_TYP_S5 5 /* \_S5 package: { 5, 5, 0, 0 } */

/*
 * Reset register (FADT RESET_REG, RESET_REG_SUP): a byte write of the value
 * to the port resets the machine (RST_CNT of Intel's ICH/PCH at 0xcf9).
 */
#define ACPI_RESET_PORT 0xcf9
#define ACPI_RESET_VALUE 0x06

/* CMOS RTC register holding the BCD century (FADT CENTURY). */
#define ACPI_CMOS_CENTURY 0x32

/* IOAPIC id in the MADT: the reset value of KVM's in-kernel IOAPIC. */
#define ACPI_IOAPIC_ID 0

/* The SCI is the layout's IRQ with owner "acpi" and what "sci" (GSI 9). */
#define ACPI_SCI_OWNER "acpi"
#define ACPI_SCI_WHAT "sci"

/* One table inside the blob. */
struct acpi_table_ref {
	char sig[5]; /* "RSDP", "FACS", "XSDT", "FACP", "DSDT", "APIC", ... */
	uint64_t addr; /* guest physical address */
	uint32_t offset; /* from acpi_tables.base */
	uint32_t length;
};

#define ACPI_MAX_TABLES 12
#define ACPI_ERROR_MAX 160

struct acpi_tables {
	uint64_t base; /* l->fw_base: where blob[0] sits in the guest */
	uint8_t *blob; /* size bytes, all tables, checksummed */
	size_t size; /* <= l->fw_size */
	uint64_t rsdp_addr; /* 16-byte aligned; PVH start info rsdp_paddr */
	size_t n_tables;
	struct acpi_table_ref tables[ACPI_MAX_TABLES];
	char error[ACPI_ERROR_MAX]; /* why acpi_build() failed, or "" */
};

/*
 * Builds the ACPI tables of an x86_64 layout: RSDP (revision 2), XSDT,
 * FADT (6.3, not hardware-reduced), FACS, DSDT, MADT, SRAT, SLIT and, with
 * root complexes, MCFG. Every address, id and interrupt comes from @l;
 * every pointer between tables is an absolute guest address inside
 * [l->fw_base, l->fw_base + l->fw_size). @cfg may be NULL; it only adds
 * device names as _STR descriptions.
 *
 * Pure function of its inputs: the same layout gives the same bytes.
 * Returns 0 with *out filled (release with acpi_tables_free()); on error
 * *out holds no memory and out->error says why: -EINVAL for a layout the
 * tables cannot describe (not x86_64, an interrupt beyond the IOAPIC,
 * more than 4 COM ports...), -ENOSPC when the tables do not fit in the
 * firmware region, -ENOMEM. Thread-safe (no shared state).
 */
int acpi_build(const struct vm_layout *l, const struct vm_config *cfg,
	       struct acpi_tables *out) __must_check;

void acpi_tables_free(struct acpi_tables *t);

/* The table with signature @sig ("FACP", "RSDP"...), or NULL. */
const struct acpi_table_ref *acpi_tables_find(const struct acpi_tables *t,
					      const char *sig);

#endif
