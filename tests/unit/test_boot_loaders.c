/* Unit tests for guest memory and the x86 boot loaders (src/boot/). */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vmmd/boot.h"
#include "vmmd/guest_mem.h"
#include "../boot/harness.h" /* rd32/rd64 */

#define RAM_END (64 * MiB)
#define SLOT_SPLIT (32 * MiB)

/* An x86 map: low RAM, legacy, firmware, RAM to 64 MiB in two nodes. */
static struct layout_region regions[] = {
	{ .gpa = 0x0, .size = 0xa0000, .kind = LR_RAM },
	{ .gpa = 0xa0000, .size = 0x40000, .kind = LR_RESERVED },
	{ .gpa = 0xe0000, .size = 0x20000, .kind = LR_FIRMWARE },
	{ .gpa = 0x100000, .size = SLOT_SPLIT - 0x100000, .kind = LR_RAM },
	{ .gpa = SLOT_SPLIT,
	  .size = RAM_END - SLOT_SPLIT,
	  .kind = LR_RAM,
	  .node = 1 },
	{ .gpa = 0xfec00000, .size = 0x1000, .kind = LR_IOAPIC },
};

static struct layout_slot lslots[] = {
	{ .gpa = 0, .size = SLOT_SPLIT },
	{ .gpa = SLOT_SPLIT, .size = RAM_END - SLOT_SPLIT, .node = 1 },
};

static struct vm_layout lay = {
	.arch = ARCH_X86_64,
	.n_regions = ARRAY_SIZE(regions),
	.regions = regions,
	.n_slots = ARRAY_SIZE(lslots),
	.slots = lslots,
	.fw_base = 0xe0000,
	.fw_size = 0x20000,
};

struct fixture {
	uint8_t *host[2];
	struct guest_mem m;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	void *h[2];

	if (!f)
		return -1;
	f->host[0] = malloc(SLOT_SPLIT);
	f->host[1] = malloc(RAM_END - SLOT_SPLIT);
	if (!f->host[0] || !f->host[1])
		return -1;
	/* Garbage everywhere: the loaders must zero what they own. */
	memset(f->host[0], 0xaa, SLOT_SPLIT);
	memset(f->host[1], 0xaa, RAM_END - SLOT_SPLIT);
	h[0] = f->host[0];
	h[1] = f->host[1];
	if (gmem_init_from_layout(&f->m, &lay, h))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	gmem_free(&f->m);
	free(f->host[0]);
	free(f->host[1]);
	free(f);
	return 0;
}

static uint8_t *gpa_host(struct fixture *f, uint64_t gpa)
{
	return gpa < SLOT_SPLIT ? f->host[0] + gpa :
				  f->host[1] + (gpa - SLOT_SPLIT);
}

static void wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void wr64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* ---- guest memory ---------------------------------------------------- */

static void test_gmem_init_rejects(void **state)
{
	uint8_t a[64], b[64];
	struct guest_mem m;
	struct gmem_slot overlap[] = {
		{ .gpa = 0, .size = 64, .host = a },
		{ .gpa = 32, .size = 64, .host = b },
	};
	struct gmem_slot zero[] = { { .gpa = 0, .size = 0, .host = a } };
	struct gmem_slot null[] = { { .gpa = 0, .size = 64, .host = NULL } };
	struct gmem_slot wrap[] = {
		{ .gpa = UINT64_MAX - 10, .size = 64, .host = a },
	};
	struct gmem_slot unsorted[] = {
		{ .gpa = 64, .size = 64, .host = b },
		{ .gpa = 0, .size = 64, .host = a },
	};

	(void)state;
	assert_int_equal(gmem_init(&m, overlap, 2), -EINVAL);
	assert_null(m.slots);
	assert_int_equal(gmem_init(&m, zero, 1), -EINVAL);
	assert_int_equal(gmem_init(&m, null, 1), -EINVAL);
	assert_int_equal(gmem_init(&m, wrap, 1), -EINVAL);
	assert_int_equal(gmem_init(&m, unsorted, 0), -EINVAL);
	assert_int_equal(gmem_init(&m, unsorted, 2), 0);
	assert_ptr_equal(gmem_ptr(&m, 70, 4), b + 6);
	assert_ptr_equal(gmem_ptr(&m, 0, 64), a);
	gmem_free(&m);
	gmem_free(&m); /* idempotent */
}

static void test_gmem_ptr(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(gmem_ptr(&f->m, 0, 1), f->host[0]);
	assert_ptr_equal(gmem_ptr(&f->m, SLOT_SPLIT - 4, 4),
			 f->host[0] + SLOT_SPLIT - 4);
	assert_ptr_equal(gmem_ptr(&f->m, SLOT_SPLIT, 4), f->host[1]);
	/* Across the slot boundary: no single host pointer. */
	assert_null(gmem_ptr(&f->m, SLOT_SPLIT - 4, 8));
	assert_null(gmem_ptr(&f->m, RAM_END - 4, 8));
	assert_null(gmem_ptr(&f->m, RAM_END, 1));
	assert_null(gmem_ptr(&f->m, 0, 0));
	assert_null(gmem_ptr(&f->m, UINT64_MAX, 2));
	assert_null(gmem_ptr(&f->m, 16, UINT64_MAX));
	assert_true(gmem_is_backed(&f->m, SLOT_SPLIT - 4, 8));
	assert_false(gmem_is_backed(&f->m, RAM_END - 4, 8));
	assert_false(gmem_is_backed(&f->m, 1, UINT64_MAX));
}

static void test_gmem_rw(void **state)
{
	struct fixture *f = *state;
	uint8_t out[8], in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	assert_int_equal(gmem_write(&f->m, SLOT_SPLIT - 4, in, 8), 0);
	assert_memory_equal(f->host[0] + SLOT_SPLIT - 4, in, 4);
	assert_memory_equal(f->host[1], in + 4, 4);
	assert_int_equal(gmem_read(&f->m, SLOT_SPLIT - 4, out, 8), 0);
	assert_memory_equal(out, in, 8);
	/* Partly outside: refused, and nothing written. */
	assert_int_equal(gmem_write(&f->m, RAM_END - 4, in, 8), -EFAULT);
	assert_int_equal(f->host[1][RAM_END - SLOT_SPLIT - 4], 0xaa);
	assert_int_equal(gmem_read(&f->m, UINT64_MAX - 2, out, 8), -EFAULT);
	assert_int_equal(gmem_fill(&f->m, SLOT_SPLIT - 2, 0, 4), 0);
	assert_int_equal(f->host[1][1], 0);
	assert_int_equal(gmem_write(&f->m, 0, in, 0), 0);
}

/* ---- e820 ------------------------------------------------------------ */

static void test_e820(void **state)
{
	struct e820_entry e[E820_MAX];
	struct boot_error err = { "" };
	struct vm_layout arm = lay;
	size_t n;

	(void)state;
	assert_int_equal(e820_build(&lay, e, E820_MAX, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].addr, 0);
	assert_int_equal(e[0].size, 0xa0000);
	assert_int_equal(e[0].type, E820_RAM);
	/* Legacy area and ACPI tables merge into one reserved entry. */
	assert_int_equal(e[1].addr, 0xa0000);
	assert_int_equal(e[1].size, 0x60000);
	assert_int_equal(e[1].type, E820_RESERVED);
	/* RAM of two nodes merges; the IOAPIC page is not in e820. */
	assert_int_equal(e[2].addr, 0x100000);
	assert_int_equal(e[2].size, RAM_END - 0x100000);
	assert_int_equal(e[2].type, E820_RAM);

	assert_int_equal(e820_build(&lay, e, 2, &n, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "more than 2 e820 entries"));
	arm.arch = ARCH_AARCH64;
	assert_int_equal(e820_build(&arm, e, E820_MAX, &n, &err), -EINVAL);
}

static void test_place_initrd_below(void **state)
{
	uint64_t gpa = 0;

	(void)state;
	/* Without a limit: top of the first RAM region above firmware. */
	assert_int_equal(
		layout_place_initrd_below(&lay, 4096, 0, UINT64_MAX, &gpa), 0);
	assert_int_equal(gpa, SLOT_SPLIT - 4096);
	assert_int_equal(layout_place_initrd(&lay, 4096, 0, &gpa), 0);
	assert_int_equal(gpa, SLOT_SPLIT - 4096);
	/* A limit inside the region: ends at or below it, aligned down. */
	assert_int_equal(
		layout_place_initrd_below(&lay, 4096, 0, 0x800001, &gpa), 0);
	assert_int_equal(gpa, 0x7ff000);
	/* A limit below the region or below floor + size: no room. */
	assert_int_equal(layout_place_initrd_below(&lay, 4096, 0, 0x80000,
						   &gpa),
			 -ENOSPC);
	assert_int_equal(layout_place_initrd_below(&lay, 0x2000, 0x7ff000,
						   0x800000, &gpa),
			 -ENOSPC);
}

/* ---- bzImage ----------------------------------------------------------- */

#define BZ_SETUP_SECTS 4
#define BZ_SETUP_BYTES ((BZ_SETUP_SECTS + 1) * 512)
#define BZ_PAYLOAD 0x3000
#define BZ_LEN (BZ_SETUP_BYTES + BZ_PAYLOAD)

/* A minimal bzImage: setup header of protocol 2.15 and a payload. */
static uint8_t *make_bz(size_t *len)
{
	uint8_t *b = calloc(1, BZ_LEN);
	size_t i;

	assert_non_null(b);
	b[0x1f1] = BZ_SETUP_SECTS;
	wr16(b + 0x1fe, 0xaa55);
	b[0x200] = 0xeb;
	b[0x201] = 0x6a; /* header up to 0x26c */
	memcpy(b + 0x202, "HdrS", 4);
	wr16(b + 0x206, 0x020f);
	b[0x211] = BZ_LOADED_HIGH;
	wr32(b + 0x22c, 0x7fffffff); /* initrd_addr_max */
	wr32(b + 0x230, 0x200000); /* kernel_alignment */
	b[0x234] = 1; /* relocatable */
	wr16(b + 0x236, BZ_XLF_KERNEL_64 | BZ_XLF_CAN_BE_LOADED_ABOVE_4G);
	wr32(b + 0x238, 2048); /* cmdline_size */
	wr64(b + 0x258, 0x1000000); /* pref_address */
	wr32(b + 0x260, 0x400000); /* init_size */
	for (i = BZ_SETUP_BYTES; i < BZ_LEN; i++)
		b[i] = (uint8_t)(i * 7);
	*len = BZ_LEN;
	return b;
}

static void test_bzimage_ok(void **state)
{
	struct fixture *f = *state;
	struct boot_error err = { "" };
	struct boot_info bi;
	uint8_t initrd[5000];
	size_t len, i;
	uint8_t *k = make_bz(&len), *bp, *pd;

	memset(initrd, 0x5a, sizeof(initrd));
	assert_int_equal(bzimage_load(&lay, &f->m, k, len, initrd,
				      sizeof(initrd), "console=ttyS0", &bi,
				      &err),
			 0);
	assert_int_equal(bi.kernel_gpa, 0x1000000);
	assert_int_equal(bi.kernel_end, 0x1400000);
	assert_int_equal(bi.entry, 0x1000200);
	assert_int_equal(bi.cpu.rip, 0x1000200);
	assert_int_equal(bi.cpu.rsi, BOOT_ZERO_PAGE_ADDR);
	assert_int_equal(bi.cpu.mode, BOOT_MODE_LONG64);
	assert_int_equal(bi.cpu.cr0, 0x80000011);
	assert_int_equal(bi.cpu.cr3, BOOT_PML4_ADDR);
	assert_int_equal(bi.cpu.cr4, 0x20);
	assert_int_equal(bi.cpu.efer, 0x500);
	assert_int_equal(bi.cpu.cs.selector, 0x10);
	assert_int_equal(bi.cpu.cs.l, 1);
	assert_int_equal(bi.cpu.cs.db, 0);
	assert_int_equal(bi.cpu.ds.selector, 0x18);
	assert_int_equal(bi.cpu.tr.selector, BOOT_SEL_TSS);
	assert_int_equal(bi.cpu.gdt_base, BOOT_GDT_ADDR);
	assert_int_equal(bi.cpu.gdt_limit, 7 * 8 - 1);
	/* The payload is at the load address. */
	assert_memory_equal(gpa_host(f, 0x1000000), k + BZ_SETUP_BYTES,
			    BZ_PAYLOAD);
	/* Initrd: top of the first RAM range, 4 KiB aligned. */
	assert_int_equal(bi.initrd_gpa, SLOT_SPLIT - 0x2000);
	assert_int_equal(bi.initrd_size, sizeof(initrd));
	assert_memory_equal(gpa_host(f, bi.initrd_gpa), initrd, sizeof(initrd));

	bp = gpa_host(f, BOOT_ZERO_PAGE_ADDR);
	assert_memory_equal(bp + 0x202, "HdrS", 4);
	assert_int_equal(bp[0x210], 0xff); /* type_of_loader */
	assert_int_equal(bp[0x1ef], 0); /* sentinel */
	assert_int_equal(rd32(bp + 0x228), BOOT_CMDLINE_ADDR);
	assert_int_equal(rd32(bp + 0xc8), 0);
	assert_string_equal((char *)gpa_host(f, BOOT_CMDLINE_ADDR),
			    "console=ttyS0");
	assert_int_equal(rd32(bp + 0x218), bi.initrd_gpa);
	assert_int_equal(rd32(bp + 0x21c), sizeof(initrd));
	assert_int_equal(bp[0x1e8], 3);
	assert_int_equal(rd64(bp + 0x2d0 + 40), 0x100000);
	assert_int_equal(rd64(bp + 0x2d0 + 48), RAM_END - 0x100000);
	assert_int_equal(rd32(bp + 0x2d0 + 56), 1);
	assert_int_equal(rd32(bp + 0x2d0 + 60 + 16), 0); /* zeroed */
	/* Identity page tables. */
	assert_int_equal(rd64(gpa_host(f, BOOT_PML4_ADDR)), BOOT_PDPT_ADDR | 3);
	assert_int_equal(rd64(gpa_host(f, BOOT_PML4_ADDR) + 8), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(rd64(gpa_host(f, BOOT_PDPT_ADDR) + 8 * i),
				 (BOOT_PD_ADDR + 4096 * i) | 3);
	pd = gpa_host(f, BOOT_PD_ADDR);
	assert_int_equal(rd64(pd), 0x83);
	assert_int_equal(rd64(pd + 8 * 2047), 0xffe00000 | 0x83);
	assert_int_equal(rd64(gpa_host(f, BOOT_GDT_ADDR) + 0x10),
			 0x00af9b000000ffff);
	free(k);
}

static void expect_bz(struct fixture *f, uint8_t *k, size_t len,
		      const char *cmdline, size_t ilen, int want,
		      const char *msg)
{
	struct boot_error err = { "" };
	struct boot_info bi;
	uint8_t *initrd = ilen ? calloc(1, ilen) : NULL;

	assert_int_equal(bzimage_load(&lay, &f->m, k, len, initrd, ilen,
				      cmdline, &bi, &err),
			 want);
	if (!strstr(err.msg, msg))
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, msg);
	free(initrd);
}

static void test_bzimage_errors(void **state)
{
	struct fixture *f = *state;
	char longcmd[2050];
	size_t len;
	uint8_t *k = make_bz(&len);

	expect_bz(f, k, 0x100, NULL, 0, -ENOEXEC, "too short");
	expect_bz(f, k, 0x210, NULL, 0, -ENOEXEC, "truncated bzImage");
	expect_bz(f, k, BZ_SETUP_BYTES, NULL, 0, -ENOEXEC, "setup_sects 4");
	expect_bz(f, k, BZ_SETUP_BYTES + 0x200, NULL, 0, -ENOEXEC,
		  "64-bit entry is at offset 0x200");
	expect_bz(f, k, BZ_SETUP_BYTES + 0x201, NULL, 0, 0, "");
	k[0x1f1] = 200; /* setup beyond the file */
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "setup_sects 200");
	k[0x1f1] = 0; /* 0 means 4: still fits */
	expect_bz(f, k, len, NULL, 0, 0, "");
	k[0x1f1] = BZ_SETUP_SECTS;
	k[0x203] = 'X';
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "HdrS");
	k[0x203] = 'd';
	wr16(k + 0x206, 0x0205);
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "2.05 is too old");
	wr16(k + 0x206, 0x020f);
	wr16(k + 0x1fe, 0x1234);
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "boot flag");
	wr16(k + 0x1fe, 0xaa55);
	k[0x211] = 0;
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "LOADED_HIGH");
	k[0x211] = BZ_LOADED_HIGH;
	wr16(k + 0x236, 0);
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "64-bit entry");
	wr16(k + 0x236, BZ_XLF_KERNEL_64);
	wr32(k + 0x230, 0x300000);
	expect_bz(f, k, len, NULL, 0, -ENOEXEC, "power of two");
	wr32(k + 0x230, 0x200000);

	/* Command line: exactly cmdline_size fits, one more does not. */
	memset(longcmd, 'a', sizeof(longcmd));
	longcmd[2048] = 0;
	expect_bz(f, k, len, longcmd, 0, 0, "");
	longcmd[2048] = 'a';
	longcmd[2049] = 0;
	expect_bz(f, k, len, longcmd, 0, -E2BIG, "longer than 2048");

	/* Kernel that does not fit in RAM anywhere. */
	wr32(k + 0x260, 0x8000000);
	expect_bz(f, k, len, NULL, 0, -ENOSPC, "does not fit in guest RAM");
	/* Preferred address outside RAM: relocated to 2 MiB... */
	wr32(k + 0x260, 0x400000);
	wr64(k + 0x258, 0x80000000);
	expect_bz(f, k, len, NULL, 0, 0, "");
	/* ...unless not relocatable. */
	k[0x234] = 0;
	expect_bz(f, k, len, NULL, 0, -ENOSPC, "not relocatable");
	/* Overflowing address + init_size. */
	wr64(k + 0x258, 0xfffffffffffff000);
	expect_bz(f, k, len, NULL, 0, -ENOSPC, "kernel needs");
	k[0x234] = 1;
	expect_bz(f, k, len, NULL, 0, 0, "");
	wr64(k + 0x258, 0x1000000);

	/* Initrd too large for RAM, or for initrd_addr_max. */
	expect_bz(f, k, len, NULL, 32 * MiB, -ENOSPC, "initrd");
	wr32(k + 0x22c, 0x13fffff); /* 20 MiB - 1: right above the kernel */
	expect_bz(f, k, len, NULL, 0x100000, -ENOSPC, "kernel's limit");
	wr32(k + 0x22c, 0x17fffff);
	expect_bz(f, k, len, NULL, 0x100000, 0, "");
	free(k);
}

static void test_bzimage_initrd_limit(void **state)
{
	struct fixture *f = *state;
	struct boot_error err = { "" };
	struct boot_info bi;
	uint8_t initrd[100] = { 1 };
	size_t len;
	uint8_t *k = make_bz(&len);

	wr32(k + 0x22c, 0x17fffff); /* the initrd must end by 24 MiB */
	assert_int_equal(bzimage_load(&lay, &f->m, k, len, initrd,
				      sizeof(initrd), NULL, &bi, &err),
			 0);
	assert_int_equal(bi.initrd_gpa, 0x17ff000);
	assert_true(bi.initrd_gpa >= bi.kernel_end);
	assert_int_equal(bi.cmdline_len, 0);
	assert_int_equal(*gpa_host(f, BOOT_CMDLINE_ADDR), 0);
	free(k);
}

/* ---- PVH ELF ----------------------------------------------------------- */

struct elf_opts {
	bool is32;
	uint64_t paddr; /* text segment */
	uint64_t bss_paddr;
	uint64_t bss_memsz;
	uint64_t entry;
	uint32_t descsz; /* 4 or 8, 0: no PVH note */
	uint32_t namesz_override;
	uint16_t machine;
	uint16_t phnum_override;
	uint64_t filesz_override;
};

#define TEXT_LEN 0x100
#define ELF_BUF 0x1000

static struct elf_opts default_opts(void)
{
	return (struct elf_opts){
		.paddr = 0x100000,
		.bss_paddr = 0x200000,
		.bss_memsz = 0x2000,
		.entry = 0x100010,
		.descsz = 4,
		.machine = EM_X86_64,
	};
}

/*
 * Builds a tiny ELF: header, 3 program headers (PT_NOTE, PT_LOAD text,
 * PT_LOAD with 16 file bytes and BSS), a foreign note before the PVH note,
 * text at 0x800.
 */
static uint8_t *make_elf(const struct elf_opts *o, size_t *len)
{
	uint8_t *b = calloc(1, ELF_BUF);
	size_t phoff = o->is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	size_t note = 0x400, n = note, i;
	uint16_t phnum = o->phnum_override ? o->phnum_override : 3;
	struct {
		uint32_t type;
		uint64_t off, paddr, filesz, memsz;
	} ph[3];

	assert_non_null(b);
	/* A GNU note first: the scanner must skip it. */
	wr32(b + n, 4);
	wr32(b + n + 4, 4);
	wr32(b + n + 8, 1);
	memcpy(b + n + 12, "GNU", 4);
	n += 20;
	if (o->descsz) {
		wr32(b + n, o->namesz_override ? o->namesz_override : 4);
		wr32(b + n + 4, o->descsz);
		wr32(b + n + 8, XEN_ELFNOTE_PHYS32_ENTRY);
		memcpy(b + n + 12, "Xen", 4);
		if (o->descsz == 8)
			wr64(b + n + 16, o->entry);
		else
			wr32(b + n + 16, (uint32_t)o->entry);
		n += 16 + align_up(o->descsz, 4);
	}
	for (i = 0; i < TEXT_LEN; i++)
		b[0x800 + i] = (uint8_t)(0x90 + i);
	for (i = 0; i < 16; i++)
		b[0x900 + i] = 0x11;
	ph[0] = (typeof(ph[0])){ PT_NOTE, note, 0, n - note, n - note };
	ph[1] = (typeof(ph[0])){ PT_LOAD, 0x800, o->paddr,
				 o->filesz_override ? o->filesz_override :
						      TEXT_LEN,
				 TEXT_LEN };
	ph[2] = (typeof(ph[0])){ PT_LOAD, 0x900, o->bss_paddr, 16,
				 o->bss_memsz };
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	if (o->is32) {
		Elf32_Ehdr h = { 0 };

		b[EI_CLASS] = ELFCLASS32;
		memcpy(h.e_ident, b, EI_NIDENT);
		h.e_type = ET_EXEC;
		h.e_machine = o->machine == EM_X86_64 ? EM_386 : o->machine;
		h.e_phoff = (uint32_t)phoff;
		h.e_phentsize = sizeof(Elf32_Phdr);
		h.e_phnum = phnum;
		memcpy(b, &h, sizeof(h));
		for (i = 0; i < 3; i++) {
			Elf32_Phdr p = {
				.p_type = ph[i].type,
				.p_offset = (uint32_t)ph[i].off,
				.p_paddr = (uint32_t)ph[i].paddr,
				.p_filesz = (uint32_t)ph[i].filesz,
				.p_memsz = (uint32_t)ph[i].memsz,
			};

			memcpy(b + phoff + i * sizeof(p), &p, sizeof(p));
		}
	} else {
		Elf64_Ehdr h = { 0 };

		b[EI_CLASS] = ELFCLASS64;
		memcpy(h.e_ident, b, EI_NIDENT);
		h.e_type = ET_EXEC;
		h.e_machine = o->machine;
		h.e_phoff = phoff;
		h.e_phentsize = sizeof(Elf64_Phdr);
		h.e_phnum = phnum;
		memcpy(b, &h, sizeof(h));
		for (i = 0; i < 3; i++) {
			Elf64_Phdr p = {
				.p_type = ph[i].type,
				.p_offset = ph[i].off,
				.p_paddr = ph[i].paddr,
				.p_vaddr = ph[i].paddr + 0xffffffff80000000,
				.p_filesz = ph[i].filesz,
				.p_memsz = ph[i].memsz,
			};

			memcpy(b + phoff + i * sizeof(p), &p, sizeof(p));
		}
	}
	*len = ELF_BUF;
	return b;
}

static void check_pvh_ok(struct fixture *f, const struct elf_opts *o)
{
	struct boot_error err = { "" };
	struct boot_info bi;
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry mm[4];
	uint8_t initrd[3000];
	uint8_t zero[0x2000 - 16] = { 0 };
	size_t len;
	uint8_t *elf = make_elf(o, &len);

	memset(initrd, 0x77, sizeof(initrd));
	assert_int_equal(pvh_load(&lay, &f->m, elf, len, initrd, sizeof(initrd),
				  "console=ttyS0 quiet", 0xe0000, &bi, &err),
			 0);
	assert_int_equal(bi.cpu.mode, BOOT_MODE_PROT32);
	assert_int_equal(bi.cpu.rip, 0x100010);
	assert_int_equal(bi.cpu.rbx, BOOT_START_INFO_ADDR);
	assert_int_equal(bi.cpu.cr0, 0x11);
	assert_int_equal(bi.cpu.cr4, 0);
	assert_int_equal(bi.cpu.efer, 0);
	assert_int_equal(bi.cpu.cs.selector, BOOT_SEL_CODE32);
	assert_int_equal(bi.cpu.cs.db, 1);
	assert_int_equal(bi.cpu.cs.l, 0);
	assert_int_equal(bi.cpu.cs.limit, 0xffffffff);
	assert_int_equal(bi.kernel_gpa, 0x100000);
	assert_int_equal(bi.kernel_end, 0x202000);
	assert_memory_equal(gpa_host(f, 0x100000), elf + 0x800, TEXT_LEN);
	/* File bytes, then the BSS zeroed over the 0xaa garbage. */
	assert_int_equal(*gpa_host(f, 0x20000f), 0x11);
	assert_memory_equal(gpa_host(f, 0x200010), zero, sizeof(zero));
	assert_int_equal(*gpa_host(f, 0x202000), 0xaa);

	memcpy(&si, gpa_host(f, BOOT_START_INFO_ADDR), sizeof(si));
	assert_int_equal(si.magic, 0x336ec578);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.nr_modules, 1);
	assert_int_equal(si.modlist_paddr, BOOT_MODLIST_ADDR);
	assert_int_equal(si.cmdline_paddr, BOOT_CMDLINE_ADDR);
	assert_int_equal(si.rsdp_paddr, 0xe0000);
	assert_int_equal(si.memmap_paddr, BOOT_MEMMAP_ADDR);
	assert_int_equal(si.memmap_entries, 3);
	assert_string_equal((char *)gpa_host(f, BOOT_CMDLINE_ADDR),
			    "console=ttyS0 quiet");
	memcpy(&mod, gpa_host(f, BOOT_MODLIST_ADDR), sizeof(mod));
	assert_int_equal(mod.paddr, SLOT_SPLIT - 0x1000);
	assert_int_equal(mod.size, sizeof(initrd));
	assert_int_equal(mod.cmdline_paddr, 0);
	assert_memory_equal(gpa_host(f, mod.paddr), initrd, sizeof(initrd));
	memcpy(mm, gpa_host(f, BOOT_MEMMAP_ADDR), sizeof(mm));
	assert_int_equal(mm[0].addr, 0);
	assert_int_equal(mm[0].size, 0xa0000);
	assert_int_equal(mm[0].type, 1);
	assert_int_equal(mm[1].type, 2);
	assert_int_equal(mm[2].addr, 0x100000);
	assert_int_equal(mm[2].size, RAM_END - 0x100000);
	assert_int_equal(mm[2].reserved, 0);
	assert_int_equal(mm[3].size, 0);
	free(elf);
}

static void test_pvh_ok(void **state)
{
	struct elf_opts o = default_opts();
	uint64_t entry = 0;
	size_t len;
	uint8_t *elf;

	check_pvh_ok(*state, &o);
	o.descsz = 8; /* Linux's note is a 64-bit _ASM_PTR */
	check_pvh_ok(*state, &o);
	elf = make_elf(&o, &len);
	assert_int_equal(pvh_find_entry(elf, len, &entry, NULL), 0);
	assert_int_equal(entry, 0x100010);
	free(elf);
	o = default_opts();
	o.is32 = true;
	check_pvh_ok(*state, &o);
}

static void test_pvh_no_initrd(void **state)
{
	struct fixture *f = *state;
	struct elf_opts o = default_opts();
	struct boot_error err = { "" };
	struct boot_info bi;
	struct hvm_start_info si;
	size_t len;
	uint8_t *elf = make_elf(&o, &len);

	assert_int_equal(pvh_load(&lay, &f->m, elf, len, NULL, 0, NULL, 0, &bi,
				  &err),
			 0);
	memcpy(&si, gpa_host(f, BOOT_START_INFO_ADDR), sizeof(si));
	assert_int_equal(si.nr_modules, 0);
	assert_int_equal(si.modlist_paddr, 0);
	assert_int_equal(si.rsdp_paddr, 0);
	assert_int_equal(bi.initrd_size, 0);
	free(elf);
}

static void expect_pvh(struct fixture *f, const struct elf_opts *o, size_t cut,
		       int want, const char *msg)
{
	struct boot_error err = { "" };
	struct boot_info bi;
	size_t len;
	uint8_t *elf = make_elf(o, &len);

	assert_int_equal(pvh_load(&lay, &f->m, elf, cut ? cut : len, NULL, 0,
				  NULL, 0, &bi, &err),
			 want);
	if (!strstr(err.msg, msg))
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, msg);
	free(elf);
}

static void test_pvh_errors(void **state)
{
	struct fixture *f = *state;
	struct elf_opts o = default_opts();
	struct boot_error err = { "" };
	struct boot_info bi;
	uint8_t junk[64] = "#!/bin/sh\n";

	assert_int_equal(pvh_load(&lay, &f->m, junk, sizeof(junk), NULL, 0,
				  NULL, 0, &bi, &err),
			 -ENOEXEC);
	assert_string_equal(err.msg, "not an ELF file");
	expect_pvh(f, &o, 20, -ENOEXEC, "truncated ELF header");
	expect_pvh(f, &o, 0x90, -ENOEXEC, "program headers");
	expect_pvh(f, &o, 0x420, -ENOEXEC, "note segment");
	expect_pvh(f, &o, 0x880, -ENOEXEC, "ELF segment 1");

	o.descsz = 0;
	expect_pvh(f, &o, 0, -ENOEXEC, "no PVH entry note");
	o = default_opts();
	o.descsz = 6;
	expect_pvh(f, &o, 0, -ENOEXEC, "6-byte descriptor");
	o = default_opts();
	o.descsz = 8;
	o.entry = 0x100000010;
	expect_pvh(f, &o, 0, -ENOEXEC, "not a 32-bit address");
	o = default_opts();
	o.namesz_override = 0xfffffff0; /* runs past the segment */
	expect_pvh(f, &o, 0, -ENOEXEC, "malformed ELF note");
	o = default_opts();
	o.machine = EM_AARCH64;
	expect_pvh(f, &o, 0, -ENOEXEC, "not x86");
	o = default_opts();
	o.phnum_override = 1000;
	expect_pvh(f, &o, 0, -ENOEXEC, "1000 program headers");

	o = default_opts();
	o.paddr = 0x8000000; /* beyond RAM */
	o.entry = 0x8000010;
	expect_pvh(f, &o, 0, -ENOSPC, "does not fit in guest RAM");
	o = default_opts();
	o.paddr = 0xa0000; /* legacy area: reserved, not RAM */
	o.entry = 0xa0010;
	expect_pvh(f, &o, 0, -ENOSPC, "does not fit in guest RAM");
	o = default_opts();
	o.paddr = 0x5000; /* on top of the start info */
	o.entry = 0x5010;
	expect_pvh(f, &o, 0, -EINVAL, "overlaps the boot area");
	o = default_opts();
	o.bss_paddr = 0xfffffffffffff000; /* + memsz wraps */
	expect_pvh(f, &o, 0, -EINVAL, "wraps around");
	o = default_opts();
	o.bss_memsz = 8; /* file size 16 > memory size */
	expect_pvh(f, &o, 0, -ENOEXEC, "exceeds memory size");
	o = default_opts();
	o.filesz_override = 0x10000000; /* far past the file */
	expect_pvh(f, &o, 0, -ENOEXEC, "file size");
	o = default_opts();
	o.entry = 0x300000;
	expect_pvh(f, &o, 0, -ENOEXEC, "outside every loaded segment");
}

static void test_pvh_cmdline_too_long(void **state)
{
	struct fixture *f = *state;
	struct elf_opts o = default_opts();
	struct boot_error err = { "" };
	struct boot_info bi;
	size_t len;
	uint8_t *elf = make_elf(&o, &len);
	char *cmd = malloc(BOOT_CMDLINE_MAX + 1);

	memset(cmd, 'x', BOOT_CMDLINE_MAX);
	cmd[BOOT_CMDLINE_MAX] = 0;
	assert_int_equal(pvh_load(&lay, &f->m, elf, len, NULL, 0, cmd, 0, &bi,
				  &err),
			 -E2BIG);
	assert_non_null(strstr(err.msg, "command line is longer"));
	/* An initrd that does not fit. */
	assert_int_equal(pvh_load(&lay, &f->m, elf, len, (uint8_t *)cmd,
				  40 * MiB, NULL, 0, &bi, &err),
			 -ENOSPC);
	free(cmd);
	free(elf);
}

static void test_kernel_dispatch(void **state)
{
	struct fixture *f = *state;
	struct elf_opts o = default_opts();
	struct boot_error err = { "" };
	struct boot_info bi;
	uint8_t text[0x300] = "MZ not a kernel";
	size_t len;
	uint8_t *elf = make_elf(&o, &len), *bz;

	assert_int_equal(boot_kernel_load(&lay, &f->m, elf, len, NULL, 0, NULL,
					  0, &bi, &err),
			 0);
	assert_int_equal(bi.cpu.mode, BOOT_MODE_PROT32);
	assert_int_equal(bi.params_gpa, BOOT_START_INFO_ADDR);
	free(elf);
	bz = make_bz(&len);
	assert_int_equal(boot_kernel_load(&lay, &f->m, bz, len, NULL, 0, NULL,
					  0, &bi, &err),
			 0);
	assert_int_equal(bi.cpu.mode, BOOT_MODE_LONG64);
	assert_int_equal(bi.params_gpa, BOOT_ZERO_PAGE_ADDR);
	free(bz);
	assert_int_equal(boot_kernel_load(&lay, &f->m, text, sizeof(text), NULL,
					  0, NULL, 0, &bi, &err),
			 -ENOEXEC);
	assert_non_null(strstr(err.msg, "neither an ELF"));
	assert_int_equal(boot_kernel_load(&lay, &f->m, text, 2, NULL, 0, NULL,
					  0, &bi, &err),
			 -ENOEXEC);
}

/* ---- raw --------------------------------------------------------------- */

static void test_raw(void **state)
{
	struct fixture *f = *state;
	struct boot_error err = { "" };
	struct boot_info bi;
	uint8_t img[64];

	memset(img, 0xf4, sizeof(img));
	assert_int_equal(raw_load(&lay, &f->m, img, sizeof(img), 0x100000,
				  0x100010, &bi, &err),
			 0);
	assert_int_equal(bi.cpu.mode, BOOT_MODE_LONG64);
	assert_int_equal(bi.cpu.rip, 0x100010);
	assert_int_equal(bi.cpu.cr3, BOOT_PML4_ADDR);
	assert_int_equal(bi.params_gpa, 0);
	assert_memory_equal(gpa_host(f, 0x100000), img, sizeof(img));

	assert_int_equal(raw_load(&lay, &f->m, img, sizeof(img), 0x100000,
				  0x100040, &bi, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "outside the image"));
	assert_int_equal(raw_load(&lay, &f->m, img, sizeof(img), 0x100000,
				  0xfffff, &bi, &err),
			 -EINVAL);
	assert_int_equal(raw_load(&lay, &f->m, img, sizeof(img), RAM_END - 32,
				  RAM_END - 32, &bi, &err),
			 -ENOSPC);
	assert_int_equal(raw_load(&lay, &f->m, img, sizeof(img), 0x7000, 0x7000,
				  &bi, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "boot area"));
	assert_int_equal(raw_load(&lay, &f->m, img, 0, 0x100000, 0x100000, &bi,
				  &err),
			 -ENOEXEC);
	assert_int_equal(raw_load(&lay, &f->m, img, sizeof(img), UINT64_MAX - 8,
				  UINT64_MAX - 8, &bi, &err),
			 -EINVAL);
}

/* ---- files --------------------------------------------------------------- */

static void test_file_read(void **state)
{
	struct boot_error err = { "" };
	char path[] = "/tmp/vmmd-boot-XXXXXX";
	uint8_t *buf;
	size_t len;
	int fd;

	(void)state;
	assert_int_equal(boot_file_read("/nonexistent/vmlinuz", 100, &buf, &len,
					&err),
			 -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/vmlinuz"));
	assert_int_equal(boot_file_read("/tmp", 100, &buf, &len, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(boot_file_read(path, 9, &buf, &len, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "do not fit in guest RAM"));
	assert_int_equal(boot_file_read(path, 10, &buf, &len, &err), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, "0123456789", 10);
	free(buf);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gmem_init_rejects),
		cmocka_unit_test_setup_teardown(test_gmem_ptr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gmem_rw, setup, teardown),
		cmocka_unit_test(test_e820),
		cmocka_unit_test(test_place_initrd_below),
		cmocka_unit_test_setup_teardown(test_bzimage_ok, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_initrd_limit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pvh_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pvh_no_initrd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pvh_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pvh_cmdline_too_long,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_dispatch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
		cmocka_unit_test(test_file_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
