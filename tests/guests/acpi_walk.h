/* ACPI reader of the test guests: RSDP -> XSDT/RSDT -> MADT, SRAT, SLIT. */
#ifndef GUEST_ACPI_WALK_H
#define GUEST_ACPI_WALK_H

#include "rt.h"

#define ACPI_MAX_CPUS 512
#define ACPI_MAX_MEM 32
#define ACPI_NODE_NONE 0xffffffffu

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t node; /* ACPI_NODE_NONE without an SRAT entry */
	bool x2apic; /* from a type 9 (x2APIC) MADT entry */
};

struct acpi_mem {
	uint64_t base;
	uint64_t size;
	uint32_t node;
};

struct acpi_info {
	uint32_t rsdp_addr;
	bool xsdt; /* tables found through the XSDT (else the RSDT) */
	uint32_t lapic_addr;
	uint32_t ncpus; /* enabled MADT processors, in MADT order */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t nmem; /* enabled SRAT memory affinities */
	struct acpi_mem mem[ACPI_MAX_MEM];
	uint32_t slit_n; /* 0 without a SLIT */
	const uint8_t *slit;
	bool has_srat;
};

/*
 * Fills info from the tables at rsdp_paddr (0: scan 0xe0000-0xfffff).
 * Returns 0, or -1 after reporting an error line. Checksums are verified.
 */
int acpi_walk(uint64_t rsdp_paddr, struct acpi_info *info);

#endif
