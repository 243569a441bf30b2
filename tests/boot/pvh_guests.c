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

#include "vmmd/boot.h"
#include "vmmd/config.h"
#include "vmmd/guest_mem.h"
#include "vmmd/layout.h"

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

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
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	struct vm_layout *l = NULL;
	struct guest_mem m = { 0 };
	void *host[16] = { 0 };
	size_t i;
	int a;

	for (a = 1; a < argc; a++)
		if (access(argv[a], R_OK)) {
			printf("SKIP: %s is missing (test guests not built)\n",
			       argv[a]);
			return 77;
		}
	if (cfg_load_buffer("pvh.yaml", vm_yaml, strlen(vm_yaml), &cfg, &dl) ||
	    cfg_validate(cfg, &dl) || layout_resolve(cfg, &l, &dl)) {
		diag_print(&dl, stderr);
		return 1;
	}
	if (l->n_slots > 16)
		return 1;
	for (i = 0; i < l->n_slots; i++) {
		host[i] = malloc(l->slots[i].size);
		if (!host[i])
			return 1;
	}
	if (gmem_init_from_layout(&m, l, host))
		return 1;

	for (a = 1; a < argc; a++) {
		struct boot_error err = { "" };
		struct boot_info bi;
		struct hvm_start_info si;
		uint8_t *elf;
		uint64_t entry;
		size_t len;

		for (i = 0; i < l->n_slots; i++)
			memset(host[i], 0xaa, l->slots[i].size);
		if (boot_file_read(argv[a], l->ram_bytes, &elf, &len, &err) ||
		    pvh_find_entry(elf, len, &entry, &err) ||
		    pvh_load(l, &m, elf, len, NULL, 0, "console=ttyS0", 0xe0000,
			     &bi, &err)) {
			fprintf(stderr, "%s: %s\n", argv[a], err.msg);
			failures++;
			continue;
		}
		printf("%s: entry 0x%llx, loaded 0x%llx-0x%llx\n", argv[a],
		       (unsigned long long)entry,
		       (unsigned long long)bi.kernel_gpa,
		       (unsigned long long)bi.kernel_end);
		CHECK(bi.cpu.rip == entry);
		CHECK(bi.cpu.rbx == BOOT_START_INFO_ADDR);
		CHECK(bi.cpu.mode == BOOT_MODE_PROT32);
		CHECK(!gmem_read(&m, BOOT_START_INFO_ADDR, &si, sizeof(si)));
		CHECK(si.magic == PVH_START_MAGIC);
		CHECK(si.memmap_entries == 3);
		CHECK(si.rsdp_paddr == 0xe0000);
		check_segments(&m, elf, len);
		free(elf);
	}

	gmem_free(&m);
	for (i = 0; i < l->n_slots; i++)
		free(host[i]);
	layout_free(l);
	cfg_free(cfg);
	diag_list_free(&dl);
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("pvh_guests: all checks passed\n");
	return 0;
}
