/*
 * acpi.elf: prints the machine the ACPI tables describe:
 *   rsdp=ADDR,XSDT|RSDT          the RSDP and the table list used
 *   lapic=ADDR                   the MADT's local APIC address
 *   cpu=INDEX,apic=ID,node=N     per enabled MADT processor, MADT order;
 *                                node from the SRAT ("none" without one)
 *   mem=BASE,SIZE,node=N         per enabled SRAT memory affinity
 *   slit=D0,D1,...               per SLIT row
 *   cpus=N                       the number of cpu= lines
 */
#include "acpi_walk.h"

static struct acpi_info info;

int guest_main(uint32_t start_info_paddr)
{
	const struct hvm_start_info *si = start_info_get(start_info_paddr);

	if (!si)
		return 2;
	if (acpi_walk(si->rsdp_paddr, &info))
		return 3;
	report("rsdp", "0x%x,%s", info.rsdp_addr, info.xsdt ? "XSDT" : "RSDT");
	report("lapic", "0x%x", info.lapic_addr);
	for (uint32_t i = 0; i < info.ncpus; i++) {
		const struct acpi_cpu *c = &info.cpus[i];

		if (c->node == ACPI_NODE_NONE)
			report("cpu", "%u,apic=%u,node=none", i, c->apic_id);
		else
			report("cpu", "%u,apic=%u,node=%u", i, c->apic_id,
			       c->node);
	}
	for (uint32_t i = 0; i < info.nmem; i++)
		report("mem", "0x%llx,0x%llx,node=%u", info.mem[i].base,
		       info.mem[i].size, info.mem[i].node);
	for (uint32_t r = 0; r < info.slit_n; r++) {
		char row[4 * 255 + 1];
		size_t n = 0;

		for (uint32_t c = 0; c < info.slit_n; c++)
			n += format(row + n, sizeof(row) - n, c ? ",%u" : "%u",
				    info.slit[r * info.slit_n + c]);
		report("slit", "%s", row);
	}
	report("cpus", "%u", info.ncpus);
	return 0;
}
