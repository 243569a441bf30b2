/* Boot CPU state shared by the loaders: GDT, identity page tables, modes. */
#include <errno.h>
#include <string.h>

#include "boot_internal.h"

/*
 * GDT descriptors (flat, base 0, limit 4 GiB with G=1):
 *   0x10 64-bit code  access 0x9b (P, S, exec/read, accessed), L=1
 *   0x18 data         access 0x93 (P, S, read/write, accessed), D/B=1
 *   0x20 32-bit code  access 0x9b, D/B=1
 *   0x28 TSS          access 0x8b (P, busy 32-bit TSS), base 0, limit 0x67;
 *                     in long mode a TSS descriptor takes 16 bytes, so
 *                     entry 6 is its (zero) upper half.
 * KVM refuses to enter a guest whose TR is unusable, hence the TSS.
 */
static const uint64_t boot_gdt[BOOT_GDT_ENTRIES] = {
	[0] = 0,
	[1] = 0,
	[BOOT_SEL_CODE64 / 8] = UINT64_C(0x00af9b000000ffff),
	[BOOT_SEL_DATA / 8] = UINT64_C(0x00cf93000000ffff),
	[BOOT_SEL_CODE32 / 8] = UINT64_C(0x00cf9b000000ffff),
	[BOOT_SEL_TSS / 8] = UINT64_C(0x00008b0000000067),
	[BOOT_SEL_TSS / 8 + 1] = 0,
};

#define PTE_P UINT64_C(0x1)
#define PTE_RW UINT64_C(0x2)
#define PTE_PS UINT64_C(0x80) /* 2 MiB page in a PD entry */

static struct boot_seg seg_flat(uint16_t sel, uint8_t type, bool code64)
{
	return (struct boot_seg){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = code64 ? 0 : 1,
		.s = 1,
		.l = code64 ? 1 : 0,
		.g = 1,
	};
}

static int write_gdt(const struct guest_mem *m, struct boot_cpu_state *cpu,
		     struct boot_error *err)
{
	if (gmem_write(m, BOOT_GDT_ADDR, boot_gdt, sizeof(boot_gdt)))
		return boot_err(err, -EFAULT,
				"boot GDT at 0x%llx: not in guest memory",
				(unsigned long long)BOOT_GDT_ADDR);
	cpu->gdt_base = BOOT_GDT_ADDR;
	cpu->gdt_limit = sizeof(boot_gdt) - 1;
	cpu->tr = (struct boot_seg){
		.base = 0,
		.limit = 0x67,
		.selector = BOOT_SEL_TSS,
		.type = 0xb,
		.present = 1,
	};
	cpu->rflags = 0x2;
	return 0;
}

static void set_data_segs(struct boot_cpu_state *cpu)
{
	cpu->ds = seg_flat(BOOT_SEL_DATA, 0x3, false);
	cpu->es = cpu->ds;
	cpu->fs = cpu->ds;
	cpu->gs = cpu->ds;
	cpu->ss = cpu->ds;
}

int boot_setup_prot32(const struct guest_mem *m, struct boot_cpu_state *cpu,
		      struct boot_error *err)
{
	int ret = write_gdt(m, cpu, err);

	if (ret)
		return ret;
	cpu->mode = BOOT_MODE_PROT32;
	cpu->cs = seg_flat(BOOT_SEL_CODE32, 0xb, false);
	set_data_segs(cpu);
	cpu->cr0 = BOOT_CR0_PE | BOOT_CR0_ET;
	cpu->cr3 = 0;
	cpu->cr4 = 0;
	cpu->efer = 0;
	return 0;
}

int boot_setup_long64(const struct guest_mem *m, struct boot_cpu_state *cpu,
		      struct boot_error *err)
{
	uint64_t *pml4, *pdpt, *pd;
	uint64_t i;
	int ret = write_gdt(m, cpu, err);

	if (ret)
		return ret;
	pml4 = gmem_ptr(m, BOOT_PML4_ADDR, 4 * KiB);
	pdpt = gmem_ptr(m, BOOT_PDPT_ADDR, 4 * KiB);
	pd = gmem_ptr(m, BOOT_PD_ADDR, 4 * 4 * KiB);
	if (!pml4 || !pdpt || !pd)
		return boot_err(err, -EFAULT,
				"page tables at 0x%llx-0x%llx: not in guest "
				"memory",
				(unsigned long long)BOOT_PML4_ADDR,
				(unsigned long long)(BOOT_PD_ADDR + 16 * KiB));
	memset(pml4, 0, 4 * KiB);
	memset(pdpt, 0, 4 * KiB);
	pml4[0] = BOOT_PDPT_ADDR | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (BOOT_PD_ADDR + i * 4 * KiB) | PTE_P | PTE_RW;
	/* 4 directories x 512 entries x 2 MiB = the first 4 GiB. */
	for (i = 0; i < 4 * 512; i++)
		pd[i] = (i * 2 * MiB) | PTE_P | PTE_RW | PTE_PS;

	cpu->mode = BOOT_MODE_LONG64;
	cpu->cs = seg_flat(BOOT_SEL_CODE64, 0xb, true);
	set_data_segs(cpu);
	cpu->cr0 = BOOT_CR0_PE | BOOT_CR0_ET | BOOT_CR0_PG;
	cpu->cr3 = BOOT_PML4_ADDR;
	cpu->cr4 = BOOT_CR4_PAE;
	cpu->efer = BOOT_EFER_LME | BOOT_EFER_LMA;
	return 0;
}
