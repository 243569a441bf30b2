/*
 * smp.elf: starts every application processor the MADT lists with
 * INIT-SIPI-SIPI through the xAPIC, each reports ap=SLOT,apic=ID from
 * CPUID, and the bootstrap processor prints apics=SORTED_LIST of all
 * CPUs that came up (itself included). Exit status 0 when every MADT
 * processor reported, 4 otherwise.
 */
#include "acpi_walk.h"

/*
 * Real-mode start page of the APs: below 1 MiB, 4 KiB aligned, in RAM,
 * and just above vmmd's fixed boot area (BOOT_AREA_END in
 * include/vmmd/boot.h) so it clobbers neither the start info nor the
 * memory map the VMM wrote there.
 */
#define TRAMP_PAGE 0x30000

/* xAPIC registers (offsets from the MADT's local APIC address). */
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_ICR_BUSY (1u << 12)
#define APIC_ICR_INIT 0x00004500 /* INIT, level assert */
#define APIC_ICR_SIPI 0x00004600 /* start-up, vector in bits 7:0 */

/* Wait for the APs; in TSC cycles (about 2-8 s at today's clocks). */
#define AP_WAIT_CYCLES 8000000000ull

extern const char ap_tramp_start[], ap_tramp_end[];

static struct acpi_info info;
/* APIC id + 1 of the AP in each slot (0: the slot has not reported). */
static volatile uint32_t ap_apic[AP_MAX];
static volatile uint32_t ap_done;

void ap_main(uint32_t slot);

void ap_main(uint32_t slot)
{
	uint32_t id = cpu_apic_id();

	report("ap", "%u,apic=%u", slot, id);
	ap_apic[slot] = id + 1;
	__atomic_fetch_add(&ap_done, 1, __ATOMIC_RELEASE);
}

static void apic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)(info.lapic_addr + reg) = val;
}

static uint32_t apic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(info.lapic_addr + reg);
}

static void apic_send_ipi(uint32_t apic_id, uint32_t icr)
{
	apic_write(APIC_ICR_HIGH, apic_id << 24);
	apic_write(APIC_ICR_LOW, icr);
	for (int i = 0; i < 1000 && (apic_read(APIC_ICR_LOW) & APIC_ICR_BUSY);
	     i++)
		cpu_relax();
}

static bool tramp_is_in_ram(const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *e = phys_ptr(si->memmap_paddr);

	if (si->version < 1 || !e)
		return true; /* no map to check against */
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (e[i].type == HVM_MEMMAP_RAM && e[i].addr <= TRAMP_PAGE &&
		    e[i].addr + e[i].size >= TRAMP_PAGE + 4096)
			return true;
	return false;
}

static void sort(uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = v[i], j = i;

		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int guest_main(uint32_t start_info_paddr)
{
	const struct hvm_start_info *si = start_info_get(start_info_paddr);
	uint32_t self, naps = 0, seen[AP_MAX + 1], n = 0;
	uint64_t t0;
	char list[AP_MAX * 11 + 1];
	size_t len = 0;

	if (!si)
		return 2;
	if (acpi_walk(si->rsdp_paddr, &info))
		return 3;
	if (!tramp_is_in_ram(si)) {
		report("error", "trampoline page 0x%x is not RAM", TRAMP_PAGE);
		return 3;
	}
	memcpy((void *)TRAMP_PAGE, ap_tramp_start,
	       (size_t)(ap_tramp_end - ap_tramp_start));
	self = cpu_apic_id();
	report("bsp", "apic=%u", self);
	for (uint32_t i = 0; i < info.ncpus; i++) {
		uint32_t id = info.cpus[i].apic_id;

		if (id == self)
			continue;
		if (id > 254) {
			report("error", "apic id %u needs x2APIC mode", id);
			continue;
		}
		/* No delays between the IPIs: KVM and QEMU queue INIT and
		 * SIPI in order, and every instruction here is emulated. */
		apic_send_ipi(id, APIC_ICR_INIT);
		apic_send_ipi(id, APIC_ICR_SIPI | (TRAMP_PAGE >> 12));
		apic_send_ipi(id, APIC_ICR_SIPI | (TRAMP_PAGE >> 12));
		naps++;
	}
	t0 = rdtsc();
	while (__atomic_load_n(&ap_done, __ATOMIC_ACQUIRE) < naps &&
	       rdtsc() - t0 < AP_WAIT_CYCLES)
		cpu_relax();

	list[0] = 0;
	seen[n++] = self;
	for (uint32_t i = 0; i < AP_MAX; i++)
		if (ap_apic[i])
			seen[n++] = ap_apic[i] - 1;
	sort(seen, n);
	for (uint32_t i = 0; i < n; i++)
		len += format(list + len, sizeof(list) - len, i ? ",%u" : "%u",
			      seen[i]);
	report("apics", "%s", list);
	report("cpus", "%u", n);
	return n == naps + 1 ? 0 : 4;
}
