/* PVH boot: ELF loader with the Xen PVH entry note and hvm_start_info. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot_internal.h"

#define PVH_MAX_PHDRS 256 /* more program headers: not a kernel we load */

/* Program header, widened from ELF32 or ELF64. */
struct pvh_phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

struct pvh_elf {
	const uint8_t *buf;
	size_t len;
	bool is64;
	uint64_t phoff;
	uint16_t phnum, phentsize;
};

static int elf_open(struct pvh_elf *e, const uint8_t *buf, size_t len,
		    struct boot_error *err)
{
	uint16_t machine, type;

	e->buf = buf;
	e->len = len;
	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG))
		return boot_err(err, -ENOEXEC, "not an ELF file");
	if (buf[EI_DATA] != ELFDATA2LSB)
		return boot_err(err, -ENOEXEC, "ELF is not little-endian");
	if (buf[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr h;

		if (len < sizeof(h))
			return boot_err(err, -ENOEXEC,
					"truncated ELF header (%zu bytes)",
					len);
		memcpy(&h, buf, sizeof(h));
		e->is64 = true;
		e->phoff = h.e_phoff;
		e->phnum = h.e_phnum;
		e->phentsize = h.e_phentsize;
		machine = h.e_machine;
		type = h.e_type;
		if (e->phnum && e->phentsize != sizeof(Elf64_Phdr))
			return boot_err(err, -ENOEXEC,
					"ELF program header size %u, expected "
					"%zu",
					e->phentsize, sizeof(Elf64_Phdr));
	} else if (buf[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr h;

		if (len < sizeof(h))
			return boot_err(err, -ENOEXEC,
					"truncated ELF header (%zu bytes)",
					len);
		memcpy(&h, buf, sizeof(h));
		e->is64 = false;
		e->phoff = h.e_phoff;
		e->phnum = h.e_phnum;
		e->phentsize = h.e_phentsize;
		machine = h.e_machine;
		type = h.e_type;
		if (e->phnum && e->phentsize != sizeof(Elf32_Phdr))
			return boot_err(err, -ENOEXEC,
					"ELF program header size %u, expected "
					"%zu",
					e->phentsize, sizeof(Elf32_Phdr));
	} else {
		return boot_err(err, -ENOEXEC, "unknown ELF class %u",
				buf[EI_CLASS]);
	}
	if (machine != EM_X86_64 && machine != EM_386)
		return boot_err(err, -ENOEXEC,
				"ELF machine %u is not x86 (EM_386/EM_X86_64)",
				machine);
	if (type != ET_EXEC)
		return boot_err(err, -ENOEXEC,
				"ELF type %u is not an executable (ET_EXEC)",
				type);
	if (!e->phnum)
		return boot_err(err, -ENOEXEC, "ELF has no program headers");
	if (e->phnum > PVH_MAX_PHDRS)
		return boot_err(err, -ENOEXEC,
				"ELF has %u program headers (at most %d)",
				e->phnum, PVH_MAX_PHDRS);
	/* phnum * phentsize <= 256 * 56: no overflow in the product. */
	if (e->phoff > len ||
	    (uint64_t)e->phnum * e->phentsize > len - e->phoff)
		return boot_err(err, -ENOEXEC,
				"truncated ELF: program headers at 0x%llx run "
				"past the end of the file (%zu bytes)",
				(unsigned long long)e->phoff, len);
	return 0;
}

static void elf_phdr(const struct pvh_elf *e, unsigned i, struct pvh_phdr *p)
{
	const uint8_t *at = e->buf + e->phoff + (uint64_t)i * e->phentsize;

	if (e->is64) {
		Elf64_Phdr h;

		memcpy(&h, at, sizeof(h));
		*p = (struct pvh_phdr){ h.p_type, h.p_offset, h.p_paddr,
					h.p_filesz, h.p_memsz };
	} else {
		Elf32_Phdr h;

		memcpy(&h, at, sizeof(h));
		*p = (struct pvh_phdr){ h.p_type, h.p_offset, h.p_paddr,
					h.p_filesz, h.p_memsz };
	}
}

static bool file_range_ok(const struct pvh_elf *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

/*
 * Walks the notes of one PT_NOTE segment. Each note advances by at least
 * its 12-byte header, so the loop is bounded by the segment size.
 * Returns 1 with *entry when found, 0 when not, < 0 on malformed notes.
 */
static int scan_notes(const struct pvh_elf *e, const struct pvh_phdr *p,
		      uint64_t *entry, struct boot_error *err)
{
	const uint8_t *n = e->buf + p->offset;
	uint64_t left = p->filesz;

	while (left >= 12) {
		uint32_t namesz, descsz, type;
		uint64_t name_pad, desc_pad;

		memcpy(&namesz, n, 4);
		memcpy(&descsz, n + 4, 4);
		memcpy(&type, n + 8, 4);
		name_pad = align_up(namesz, 4);
		desc_pad = align_up(descsz, 4);
		if (name_pad > left - 12 || desc_pad > left - 12 - name_pad)
			return boot_err(err, -ENOEXEC,
					"malformed ELF note at file offset "
					"0x%llx",
					(unsigned long long)(n - e->buf));
		if (namesz == 4 && !memcmp(n + 12, "Xen", 4) &&
		    type == XEN_ELFNOTE_PHYS32_ENTRY) {
			const uint8_t *d = n + 12 + name_pad;
			uint64_t v = 0;

			if (descsz == 4) {
				uint32_t v32;

				memcpy(&v32, d, 4);
				v = v32;
			} else if (descsz == 8) {
				memcpy(&v, d, 8);
			} else {
				return boot_err(err, -ENOEXEC,
						"PVH entry note has a %u-byte "
						"descriptor (4 or 8 expected)",
						descsz);
			}
			if (v >= LAYOUT_4G)
				return boot_err(err, -ENOEXEC,
						"PVH entry 0x%llx is not a "
						"32-bit address",
						(unsigned long long)v);
			*entry = v;
			return 1;
		}
		n += 12 + name_pad + desc_pad;
		left -= 12 + name_pad + desc_pad;
	}
	return 0;
}

static int find_entry(const struct pvh_elf *e, uint64_t *entry,
		      struct boot_error *err)
{
	unsigned i;
	int ret;

	for (i = 0; i < e->phnum; i++) {
		struct pvh_phdr p;

		elf_phdr(e, i, &p);
		if (p.type != PT_NOTE)
			continue;
		if (!file_range_ok(e, p.offset, p.filesz))
			return boot_err(err, -ENOEXEC,
					"truncated ELF: note segment %u runs "
					"past the end of the file",
					i);
		ret = scan_notes(e, &p, entry, err);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	return boot_err(err, -ENOEXEC,
			"ELF has no PVH entry note (Xen, "
			"XEN_ELFNOTE_PHYS32_ENTRY): not a PVH kernel");
}

int pvh_find_entry(const uint8_t *elf, size_t len, uint64_t *entry,
		   struct boot_error *err)
{
	struct pvh_elf e;
	int ret = elf_open(&e, elf, len, err);

	if (ret)
		return ret;
	return find_entry(&e, entry, err);
}

/* Checks every PT_LOAD before anything is written; returns the extent. */
static int check_segments(const struct vm_layout *l, const struct guest_mem *m,
			  const struct pvh_elf *e, uint64_t entry, uint64_t *lo,
			  uint64_t *hi, struct boot_error *err)
{
	bool entry_ok = false;
	unsigned i, n = 0;
	char what[32];
	int ret;

	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; i < e->phnum; i++) {
		struct pvh_phdr p;

		elf_phdr(e, i, &p);
		if (p.type != PT_LOAD || !p.memsz)
			continue;
		snprintf(what, sizeof(what), "ELF segment %u", i);
		if (p.filesz > p.memsz)
			return boot_err(err, -ENOEXEC,
					"%s: file size 0x%llx exceeds memory "
					"size 0x%llx",
					what, (unsigned long long)p.filesz,
					(unsigned long long)p.memsz);
		if (!file_range_ok(e, p.offset, p.filesz))
			return boot_err(err, -ENOEXEC,
					"truncated ELF: %s (0x%llx bytes at "
					"0x%llx) runs past the end of the "
					"file",
					what, (unsigned long long)p.filesz,
					(unsigned long long)p.offset);
		ret = boot_check_load(l, m, p.paddr, p.memsz, what, err);
		if (ret)
			return ret;
		if (p.paddr < *lo)
			*lo = p.paddr;
		if (p.paddr + p.memsz > *hi)
			*hi = p.paddr + p.memsz;
		if (entry >= p.paddr && entry - p.paddr < p.memsz)
			entry_ok = true;
		n++;
	}
	if (!n)
		return boot_err(err, -ENOEXEC, "ELF has no loadable segment");
	if (!entry_ok)
		return boot_err(err, -ENOEXEC,
				"PVH entry 0x%llx is outside every loaded "
				"segment",
				(unsigned long long)entry);
	return 0;
}

static int load_segments(const struct guest_mem *m, const struct pvh_elf *e,
			 struct boot_error *err)
{
	unsigned i;

	for (i = 0; i < e->phnum; i++) {
		struct pvh_phdr p;

		elf_phdr(e, i, &p);
		if (p.type != PT_LOAD || !p.memsz)
			continue;
		/* Checked by check_segments(): backed, in the file. */
		if (gmem_write(m, p.paddr, e->buf + p.offset, p.filesz) ||
		    gmem_fill(m, p.paddr + p.filesz, 0, p.memsz - p.filesz))
			return boot_err(err, -EFAULT,
					"ELF segment %u: write failed", i);
	}
	return 0;
}

int pvh_load(const struct vm_layout *l, const struct guest_mem *m,
	     const uint8_t *elf, size_t len, const uint8_t *initrd, size_t ilen,
	     const char *cmdline, uint64_t rsdp, struct boot_info *out,
	     struct boot_error *err)
{
	struct hvm_memmap_table_entry *mm;
	struct hvm_start_info *si;
	struct hvm_modlist_entry *mod;
	struct e820_entry e820[E820_MAX];
	struct pvh_elf e;
	uint64_t entry, lo, hi;
	size_t i, n_e820;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = elf_open(&e, elf, len, err);
	if (ret)
		return ret;
	ret = find_entry(&e, &entry, err);
	if (ret)
		return ret;
	ret = check_segments(l, m, &e, entry, &lo, &hi, err);
	if (ret)
		return ret;
	ret = e820_build(l, e820, E820_MAX, &n_e820, err);
	if (ret)
		return ret;
	si = gmem_ptr(m, BOOT_START_INFO_ADDR, sizeof(*si));
	mod = gmem_ptr(m, BOOT_MODLIST_ADDR, sizeof(*mod));
	mm = gmem_ptr(m, BOOT_MEMMAP_ADDR, E820_MAX * sizeof(*mm));
	if (!si || !mod || !mm)
		return boot_err(err, -EFAULT,
				"PVH start info at 0x%llx: not in guest "
				"memory",
				(unsigned long long)BOOT_START_INFO_ADDR);

	ret = load_segments(m, &e, err);
	if (ret)
		return ret;
	ret = boot_write_cmdline(m, cmdline, BOOT_CMDLINE_MAX - 1, out, err);
	if (ret)
		return ret;
	ret = boot_load_initrd(l, m, initrd, ilen, hi, UINT64_MAX, out, err);
	if (ret)
		return ret;

	memset(si, 0, sizeof(*si));
	memset(mod, 0, sizeof(*mod));
	memset(mm, 0, E820_MAX * sizeof(*mm));
	si->magic = PVH_START_MAGIC;
	si->version = 1;
	si->cmdline_paddr = out->cmdline_gpa;
	si->rsdp_paddr = rsdp;
	if (out->initrd_size) {
		mod->paddr = out->initrd_gpa;
		mod->size = out->initrd_size;
		si->nr_modules = 1;
		si->modlist_paddr = BOOT_MODLIST_ADDR;
	}
	for (i = 0; i < n_e820; i++) {
		mm[i].addr = e820[i].addr;
		mm[i].size = e820[i].size;
		mm[i].type = e820[i].type;
	}
	si->memmap_paddr = BOOT_MEMMAP_ADDR;
	si->memmap_entries = (uint32_t)n_e820;

	ret = boot_setup_prot32(m, &out->cpu, err);
	if (ret)
		return ret;
	out->cpu.rip = entry;
	out->cpu.rbx = BOOT_START_INFO_ADDR;
	out->entry = entry;
	out->kernel_gpa = lo;
	out->kernel_end = hi;
	out->params_gpa = BOOT_START_INFO_ADDR;
	out->e820_entries = n_e820;
	return 0;
}
