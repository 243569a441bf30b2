/*
 * Golden check of the PVH loader against the project's own test guests
 * (tests/guests, built as PVH ELF images): each loads into a malloc'd
 * 256 MiB guest-memory stand-in, its PT_LOAD bytes land at p_paddr and the
 * start info describes the layout. Usage: pvh_guests ELF...
 * Exits 77 when an image is missing (guests not built).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "vmmd/boot.h"

static const char vm_yaml[] =
	"name: pvh\n"
	"cpu: { count: 2 }\n"
	"memory: { size: 256M }\n"
	"devices:\n"
	"  - { type: serial, name: com1, console: true }\n"
	"boot:\n"
	"  kernel: /boot/guest.elf\n";

/* Every ELF32 PT_LOAD's file bytes are in guest memory, BSS zeroed. */
static void check_segments(const struct guest_mem *m, const uint8_t *elf,
			   size_t len)
{
	Elf32_Ehdr eh;
	unsigned i;

	memcpy(&eh, elf, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		Elf32_Phdr ph;
		const uint8_t *p;
		uint32_t j;

		memcpy(&ph, elf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		p = gmem_ptr(m, ph.p_paddr, ph.p_memsz);
		CHECK(p != NULL);
		if (!p || ph.p_offset + ph.p_filesz > len)
			continue;
		CHECK(!memcmp(p, elf + ph.p_offset, ph.p_filesz));
		for (j = ph.p_filesz; j < ph.p_memsz; j++)
			if (p[j]) {
				CHECK(p[j] == 0);
				break;
			}
	}
}

int main(int argc, char **argv)
{
	struct test_vm vm;
	const struct vm_layout *l;
	struct guest_mem *m = &vm.m;
	int a;

	for (a = 1; a < argc; a++)
		if (access(argv[a], R_OK)) {
			printf("SKIP: %s is missing (test guests not built)\n",
			       argv[a]);
			return 77;
		}
	if (test_vm_make(&vm, "pvh.yaml", vm_yaml))
		return 1;
	l = vm.l;

	for (a = 1; a < argc; a++) {
		struct boot_error err = { "" };
		struct boot_info bi;
		struct hvm_start_info si;
		uint8_t *elf;
		uint64_t entry;
		size_t len;

		test_vm_fill(&vm, 0xaa);
		if (boot_file_read(argv[a], l->ram_bytes, &elf, &len, &err) ||
		    pvh_find_entry(elf, len, &entry, &err) ||
		    pvh_load(l, m, elf, len, NULL, 0, "console=ttyS0", 0xe0000,
			     &bi, &err)) {
			fprintf(stderr, "%s: %s\n", argv[a], err.msg);
			test_failures++;
			continue;
		}
		printf("%s: entry 0x%llx, loaded 0x%llx-0x%llx\n", argv[a],
		       (unsigned long long)entry,
		       (unsigned long long)bi.kernel_gpa,
		       (unsigned long long)bi.kernel_end);
		CHECK(bi.cpu.rip == entry);
		CHECK(bi.cpu.rbx == BOOT_START_INFO_ADDR);
		CHECK(bi.cpu.mode == BOOT_MODE_PROT32);
		CHECK(!gmem_read(m, BOOT_START_INFO_ADDR, &si, sizeof(si)));
		CHECK(si.magic == PVH_START_MAGIC);
		CHECK(si.memmap_entries == 3);
		CHECK(si.rsdp_paddr == 0xe0000);
		check_segments(m, elf, len);
		free(elf);
	}

	test_vm_free(&vm);
	return test_report("pvh_guests");
}
