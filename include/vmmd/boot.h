/* x86_64 boot loaders: e820, PVH ELF, Linux bzImage, raw image (docs/boot.md).
 */
#ifndef VMMD_BOOT_H
#define VMMD_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/guest_mem.h"
#include "vmmd/layout.h"

/*
 * The loaders take files already read into memory (boot_file_read()),
 * treat them as hostile input (every offset, length and sum is checked,
 * every loop bounded) and write guest memory only through the guest_mem
 * accessor. They return 0 or a negative errno with err->msg saying why;
 * they never assert on file contents. They choose no address of their
 * own beyond the fixed boot area below (the resolver owns the guest map;
 * the initrd goes where layout_place_initrd_below() says). The CPU state
 * the guest must start in is returned as data: the KVM backend applies it.
 *
 * Fixed boot area in low RAM [BOOT_AREA_START, BOOT_AREA_END), inside the
 * layout's RAM [0, 0xa0000). A kernel, ELF segment or raw image that
 * overlaps it is rejected.
 */
#define BOOT_AREA_START UINT64_C(0x1000)
#define BOOT_GDT_ADDR UINT64_C(0x1000) /* boot GDT, shared by all modes */
#define BOOT_START_INFO_ADDR UINT64_C(0x6000) /* PVH hvm_start_info */
#define BOOT_MODLIST_ADDR UINT64_C(0x6040) /* PVH module list (initrd) */
#define BOOT_MEMMAP_ADDR UINT64_C(0x6080) /* PVH memory map, <= 128 */
#define BOOT_ZERO_PAGE_ADDR UINT64_C(0x7000) /* Linux boot_params */
#define BOOT_PML4_ADDR UINT64_C(0x9000) /* identity page tables: */
#define BOOT_PDPT_ADDR UINT64_C(0xa000) /*   PML4, PDPT, 4 PDs */
#define BOOT_PD_ADDR UINT64_C(0xb000) /*   0xb000-0xefff */
#define BOOT_CMDLINE_ADDR UINT64_C(0x20000) /* kernel command line */
#define BOOT_CMDLINE_MAX UINT64_C(0x10000) /* bytes including the NUL */
#define BOOT_AREA_END UINT64_C(0x30000)

/* GDT selectors (Linux's __BOOT_CS/__BOOT_DS are 0x10/0x18). */
#define BOOT_SEL_CODE64 0x10
#define BOOT_SEL_DATA 0x18
#define BOOT_SEL_CODE32 0x20
#define BOOT_SEL_TSS 0x28
#define BOOT_GDT_ENTRIES 7 /* null, null, code64, data, code32, TSS (2) */

#define BOOT_ERROR_MAX 256

struct boot_error {
	char msg[BOOT_ERROR_MAX];
};

/* e820 types (ACPI address range types). */
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_MAX 128 /* boot_params.e820_table holds 128 entries */

/* Guest-visible e820 entry, as in boot_params (20 bytes, packed). */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "e820 entry is 20 bytes");

/*
 * The guest's e820 map from the layout: LR_RAM -> E820_RAM; LR_RESERVED
 * and LR_FIRMWARE (the ACPI tables) -> E820_RESERVED (the tables are never
 * reclaimable: the same region is rebuilt on reset, so type 3 would only
 * invite the guest to reuse memory the VMM owns); every other region (MMIO
 * holes, PCI windows, APIC pages, ECAM) is omitted, since ACPI describes
 * those. Sorted by address, adjacent entries of the same type merged.
 * Returns 0 with *n set, -E2BIG when more than @max (<= E820_MAX) entries
 * would be needed, -EINVAL for a layout that is not x86_64.
 */
int e820_build(const struct vm_layout *l, struct e820_entry *out, size_t max,
	       size_t *n, struct boot_error *err) __must_check;

/* One segment register as KVM's struct kvm_segment describes it. */
struct boot_seg {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type; /* 0xb: code, exec/read, accessed; 0x3: data rw */
	uint8_t present, dpl, db, s, l, g, avl;
};

enum boot_cpu_mode {
	BOOT_MODE_PROT32, /* protected mode, paging off (PVH) */
	BOOT_MODE_LONG64, /* long mode, identity-mapped first 4 GiB */
};

/*
 * Initial register state of the boot vCPU. The KVM backend sets sregs
 * (segments, GDT, CR0/CR3/CR4, EFER) and regs (RIP, RSP, RSI, RBX, RFLAGS)
 * from it; every other register is zero. IDT base/limit are 0 and
 * interrupts are off (RFLAGS = 0x2).
 */
struct boot_cpu_state {
	enum boot_cpu_mode mode;
	uint64_t rip, rsp, rsi, rbx, rflags;
	uint64_t cr0, cr3, cr4, efer;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	struct boot_seg cs, ds, es, fs, gs, ss, tr;
};

#define BOOT_CR0_PE (UINT64_C(1) << 0)
#define BOOT_CR0_ET (UINT64_C(1) << 4)
#define BOOT_CR0_PG (UINT64_C(1) << 31)
#define BOOT_CR4_PAE (UINT64_C(1) << 5)
#define BOOT_EFER_LME (UINT64_C(1) << 8)
#define BOOT_EFER_LMA (UINT64_C(1) << 10)

/*
 * Writes the boot GDT at BOOT_GDT_ADDR and fills @cpu for 32-bit flat
 * protected mode (CS = BOOT_SEL_CODE32, data = BOOT_SEL_DATA, CR0 = PE|ET,
 * no paging). RIP, RBX etc. are left for the caller.
 */
int boot_setup_prot32(const struct guest_mem *m, struct boot_cpu_state *cpu,
		      struct boot_error *err) __must_check;

/*
 * Writes the boot GDT and identity page tables for [0, 4 GiB) with 2 MiB
 * pages (PML4 at BOOT_PML4_ADDR, one PDPT, four page directories: 2 MiB
 * pages need no CPUID check, 1 GiB pages would), and fills @cpu for long
 * mode: CR0 = PE|ET|PG, CR3 = BOOT_PML4_ADDR, CR4 = PAE,
 * EFER = LME|LMA, CS = BOOT_SEL_CODE64 (L=1), data = BOOT_SEL_DATA.
 */
int boot_setup_long64(const struct guest_mem *m, struct boot_cpu_state *cpu,
		      struct boot_error *err) __must_check;

/* What a loader did: where things went and how the vCPU must start. */
struct boot_info {
	struct boot_cpu_state cpu;
	uint64_t kernel_gpa, kernel_end; /* guest range the kernel owns */
	uint64_t entry; /* = cpu.rip */
	uint64_t params_gpa; /* boot_params or hvm_start_info, 0 for raw */
	uint64_t cmdline_gpa, cmdline_len; /* 0 when none (len without NUL) */
	uint64_t initrd_gpa, initrd_size; /* 0 when none */
	size_t e820_entries;
};

/* The facts of a bzImage setup header that the loader uses. */
struct bzimage_header {
	uint16_t version; /* boot protocol, 0x020f = 2.15 */
	uint8_t setup_sects; /* as in the file (0 means 4) */
	uint8_t loadflags;
	uint16_t xloadflags;
	bool relocatable;
	uint32_t kernel_alignment;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;
	uint64_t setup_bytes; /* (setup_sects + 1) * 512 */
	uint64_t payload_bytes; /* file size - setup_bytes */
};

#define BZ_LOADED_HIGH 0x01 /* loadflags */
#define BZ_XLF_KERNEL_64 0x0001 /* xloadflags: 64-bit entry at +0x200 */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002
#define BZ_MIN_VERSION 0x0206 /* cmdline_size exists from 2.06 */

/* Parses and checks the setup header of a bzImage in @buf. */
int bzimage_parse(const uint8_t *buf, size_t len, struct bzimage_header *hdr,
		  struct boot_error *err) __must_check;

/*
 * Loads a bzImage for the 64-bit boot protocol: the protected-mode kernel
 * at pref_address (or, when relocatable and that does not fit, at the
 * first kernel_alignment boundary from 1 MiB), init_size bytes reserved
 * from there; the initrd (optional, @initrd NULL) placed by
 * layout_place_initrd_below() above the kernel's init_size and below
 * initrd_addr_max; the command line (NULL: empty) at BOOT_CMDLINE_ADDR;
 * boot_params at BOOT_ZERO_PAGE_ADDR with the e820 map; long mode with
 * RSI = boot_params and RIP = load address + 0x200.
 */
int bzimage_load(const struct vm_layout *l, const struct guest_mem *m,
		 const uint8_t *kernel, size_t klen, const uint8_t *initrd,
		 size_t ilen, const char *cmdline, struct boot_info *out,
		 struct boot_error *err) __must_check;

/* PVH: Xen ELF note type carrying the 32-bit physical entry point. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PVH_START_MAGIC 0x336ec578u

/* struct hvm_start_info, version 1 (the Xen PVH ABI), 56 bytes. */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info");

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry");

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* e820 type */
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm memmap");

/*
 * Finds the PVH entry (ELF note "Xen", type 18, 4- or 8-byte descriptor
 * below 4 GiB) in the PT_NOTE segments of an ELF32 or ELF64 file.
 */
int pvh_find_entry(const uint8_t *elf, size_t len, uint64_t *entry,
		   struct boot_error *err) __must_check;

/*
 * Loads an ELF with a PVH entry note: PT_LOAD segments at p_paddr (in guest
 * RAM, outside the boot area, BSS zeroed); the initrd (optional) as module
 * 0 above the highest segment; the command line at BOOT_CMDLINE_ADDR;
 * hvm_start_info at BOOT_START_INFO_ADDR with the e820 map as its memory
 * map and @rsdp (0: none) as rsdp_paddr; 32-bit protected mode with
 * EBX = start info and EIP = the note's entry.
 */
int pvh_load(const struct vm_layout *l, const struct guest_mem *m,
	     const uint8_t *elf, size_t len, const uint8_t *initrd, size_t ilen,
	     const char *cmdline, uint64_t rsdp, struct boot_info *out,
	     struct boot_error *err) __must_check;

/*
 * Loads a raw image at @load (in guest RAM, outside the boot area) and
 * starts it at @entry (inside the image) in 64-bit long mode with the
 * identity-mapped first 4 GiB; no command line, no boot parameters.
 */
int raw_load(const struct vm_layout *l, const struct guest_mem *m,
	     const uint8_t *image, size_t len, uint64_t load, uint64_t entry,
	     struct boot_info *out, struct boot_error *err) __must_check;

/*
 * boot.kernel: an ELF file goes to pvh_load(), a file with "HdrS" at 0x202
 * to bzimage_load() (@rsdp is then unused: Linux finds the RSDP itself);
 * anything else is -ENOEXEC.
 */
int boot_kernel_load(const struct vm_layout *l, const struct guest_mem *m,
		     const uint8_t *kernel, size_t klen, const uint8_t *initrd,
		     size_t ilen, const char *cmdline, uint64_t rsdp,
		     struct boot_info *out,
		     struct boot_error *err) __must_check;

/*
 * Reads a whole regular file of at most @max bytes into a malloc'd buffer
 * (free() it). Errors name the file: missing, not a regular file, larger
 * than @max ("does not fit in guest RAM"), short read.
 */
int boot_file_read(const char *path, uint64_t max, uint8_t **buf, size_t *len,
		   struct boot_error *err) __must_check;

/*
 * True when [gpa, gpa + len) is covered by LR_RAM regions of @l without a
 * gap (len > 0, no wrap).
 */
bool boot_range_is_ram(const struct vm_layout *l, uint64_t gpa, uint64_t len);

#endif
