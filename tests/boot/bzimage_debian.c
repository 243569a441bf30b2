/*
 * Golden check of the bzImage loader against Debian's real kernel: loads it
 * into a malloc'd 512 MiB stand-in for guest memory and checks the parsed
 * header, boot_params, e820 and command line. Usage: bzimage_debian BZIMAGE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmmd/boot.h"

static const char vm_yaml[] =
	"name: bz\n"
	"cpu: { count: 1 }\n"
	"memory: { size: 512M }\n"
	"devices:\n"
	"  - { type: serial, name: com1, console: true }\n"
	"boot:\n"
	"  kernel: /boot/vmlinuz\n";

static const char cmdline[] = "console=ttyS0 earlyprintk=serial panic=-1";

int main(int argc, char **argv)
{
	struct test_vm vm;
	const struct vm_layout *l;
	struct guest_mem *m = &vm.m;
	struct boot_error err = { "" };
	struct bzimage_header h;
	struct boot_info bi;
	struct e820_entry e820[E820_MAX];
	uint8_t *k = NULL, *initrd = NULL, *bp;
	size_t klen, n_e820, i, ilen = 3 * MiB + 123;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BZIMAGE\n", argv[0]);
		return 2;
	}
	if (test_vm_make(&vm, "bz.yaml", vm_yaml))
		return 1;
	l = vm.l;
	test_vm_fill(&vm, 0xaa);
	if (boot_file_read(argv[1], l->ram_bytes, &k, &klen, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	if (bzimage_parse(k, klen, &h, &err)) {
		fprintf(stderr, "%s: %s\n", argv[1], err.msg);
		return 1;
	}
	printf("%s: %zu bytes\n", argv[1], klen);
	printf("  boot protocol %u.%02u, setup_sects %u (%llu setup bytes), "
	       "payload %llu bytes\n",
	       h.version >> 8, h.version & 0xff, h.setup_sects,
	       (unsigned long long)h.setup_bytes,
	       (unsigned long long)h.payload_bytes);
	printf("  loadflags 0x%02x, xloadflags 0x%04x, relocatable %d, "
	       "kernel_alignment 0x%x\n",
	       h.loadflags, h.xloadflags, h.relocatable, h.kernel_alignment);
	printf("  pref_address 0x%llx, init_size 0x%x, initrd_addr_max 0x%x, "
	       "cmdline_size %u\n",
	       (unsigned long long)h.pref_address, h.init_size,
	       h.initrd_addr_max, h.cmdline_size);

	CHECK(h.version >= 0x020c);
	CHECK(h.xloadflags & BZ_XLF_KERNEL_64);
	CHECK(h.relocatable);
	CHECK(h.loadflags & BZ_LOADED_HIGH);
	CHECK(is_pow2(h.kernel_alignment));
	CHECK(h.init_size >= h.payload_bytes);
	CHECK(h.cmdline_size >= 255);

	initrd = malloc(ilen);
	if (!initrd)
		return 1;
	for (i = 0; i < ilen; i++)
		initrd[i] = (uint8_t)(i * 13 + 1);
	if (bzimage_load(l, m, k, klen, initrd, ilen, cmdline, &bi, &err)) {
		fprintf(stderr, "bzimage_load: %s\n", err.msg);
		return 1;
	}
	printf("  loaded at 0x%llx-0x%llx, entry 0x%llx, initrd 0x%llx+0x%llx, "
	       "%zu e820 entries\n",
	       (unsigned long long)bi.kernel_gpa,
	       (unsigned long long)bi.kernel_end, (unsigned long long)bi.entry,
	       (unsigned long long)bi.initrd_gpa,
	       (unsigned long long)bi.initrd_size, bi.e820_entries);

	CHECK(bi.kernel_gpa == h.pref_address);
	CHECK(bi.entry == bi.kernel_gpa + 0x200);
	CHECK(bi.cpu.rip == bi.entry);
	CHECK(bi.cpu.rsi == BOOT_ZERO_PAGE_ADDR);
	CHECK(bi.cpu.mode == BOOT_MODE_LONG64);
	CHECK(bi.kernel_end == bi.kernel_gpa + h.init_size);
	/* The 64-bit entry bytes are the file's, at load + 0x200. */
	CHECK(!memcmp(gmem_ptr(m, bi.kernel_gpa, h.payload_bytes),
		      k + h.setup_bytes, h.payload_bytes));
	CHECK(bi.initrd_gpa >= bi.kernel_end);
	CHECK(bi.initrd_gpa % 4096 == 0);
	CHECK(bi.initrd_gpa + bi.initrd_size - 1 <= h.initrd_addr_max);
	CHECK(bi.initrd_gpa + align_up(ilen, 4096) == 512 * MiB);
	CHECK(!memcmp(gmem_ptr(m, bi.initrd_gpa, ilen), initrd, ilen));

	bp = gmem_ptr(m, BOOT_ZERO_PAGE_ADDR, 4096);
	CHECK(bp != NULL);
	if (!bp)
		return 1;
	/* The setup header is the file's, with the loader's fields set. */
	CHECK(!memcmp(bp + 0x202, "HdrS", 4));
	CHECK(rd16(bp + 0x206) == h.version);
	CHECK(bp[0x1f1] == k[0x1f1]);
	CHECK(rd32(bp + 0x230) == h.kernel_alignment);
	CHECK(rd32(bp + 0x260) == h.init_size);
	CHECK(bp[0x210] == 0xff);
	CHECK(rd32(bp + 0x228) == BOOT_CMDLINE_ADDR);
	CHECK(rd32(bp + 0xc8) == 0);
	CHECK(rd32(bp + 0x218) == bi.initrd_gpa);
	CHECK(rd32(bp + 0x21c) == ilen);
	CHECK(rd32(bp + 0xc0) == 0 && rd32(bp + 0xc4) == 0);
	CHECK(!strcmp((char *)gmem_ptr(m, BOOT_CMDLINE_ADDR, sizeof(cmdline)),
		      cmdline));
	CHECK(bp[0x1ef] == 0);
	/* e820: the same map as e820_build, at 0x2d0. */
	CHECK(!e820_build(l, e820, E820_MAX, &n_e820, &err));
	CHECK(bp[0x1e8] == n_e820);
	CHECK(n_e820 == 3);
	for (i = 0; i < n_e820; i++) {
		const uint8_t *e = bp + 0x2d0 + 20 * i;

		printf("  e820[%zu] 0x%012llx-0x%012llx type %u\n", i,
		       (unsigned long long)rd64(e),
		       (unsigned long long)(rd64(e) + rd64(e + 8) - 1),
		       rd32(e + 16));
		CHECK(rd64(e) == e820[i].addr);
		CHECK(rd64(e + 8) == e820[i].size);
		CHECK(rd32(e + 16) == e820[i].type);
	}
	CHECK(rd64(bp + 0x2d0 + 40) + rd64(bp + 0x2d0 + 48) == 512 * MiB);

	/* Truncated copies of the real file are refused with a message. */
	CHECK(bzimage_load(l, m, k, h.setup_bytes, NULL, 0, NULL, &bi, &err) ==
	      -ENOEXEC);
	CHECK(strstr(err.msg, "truncated") != NULL);
	CHECK(bzimage_load(l, m, k, 0x220, NULL, 0, NULL, &bi, &err) ==
	      -ENOEXEC);
	/* A bzImage is no PVH ELF. */
	CHECK(pvh_load(l, m, k, klen, NULL, 0, NULL, 0, &bi, &err) == -ENOEXEC);
	CHECK(!strcmp(err.msg, "not an ELF file"));

	free(initrd);
	free(k);
	test_vm_free(&vm);
	return test_report("bzimage_debian");
}
