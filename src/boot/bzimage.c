/* Linux x86 bzImage loader for the 64-bit boot protocol (boot_params). */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "boot_internal.h"

/*
 * The setup header as it sits at offset 0x1f1 of both the bzImage and
 * boot_params (Linux boot protocol, "The real-mode kernel header").
 */
struct bz_setup_header {
	uint8_t setup_sects; /* 0x1f1 */
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag; /* 0x1fe: 0xaa55 */
	uint16_t jump; /* 0x200: byte 0x201 = header length - 0x202 */
	uint32_t header; /* 0x202: "HdrS" */
	uint16_t version; /* 0x206 */
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader; /* 0x210 */
	uint8_t loadflags; /* 0x211 */
	uint16_t setup_move_size;
	uint32_t code32_start; /* 0x214 */
	uint32_t ramdisk_image; /* 0x218 */
	uint32_t ramdisk_size; /* 0x21c */
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr; /* 0x228 */
	uint32_t initrd_addr_max; /* 0x22c */
	uint32_t kernel_alignment; /* 0x230 */
	uint8_t relocatable_kernel; /* 0x234 */
	uint8_t min_alignment;
	uint16_t xloadflags; /* 0x236 */
	uint32_t cmdline_size; /* 0x238 */
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address; /* 0x258 */
	uint32_t init_size; /* 0x260 */
	uint32_t handover_offset;
	uint32_t kernel_info_offset; /* 0x268 */
} __attribute__((packed));

#define HDR_OFF 0x1f1
#define HDR_AT(field) (HDR_OFF + offsetof(struct bz_setup_header, field))
_Static_assert(HDR_AT(boot_flag) == 0x1fe, "boot_flag");
_Static_assert(HDR_AT(header) == 0x202, "header");
_Static_assert(HDR_AT(cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(HDR_AT(xloadflags) == 0x236, "xloadflags");
_Static_assert(HDR_AT(pref_address) == 0x258, "pref_address");
_Static_assert(HDR_AT(kernel_info_offset) == 0x268, "kernel_info_offset");
_Static_assert(sizeof(struct bz_setup_header) == 0x26c - HDR_OFF, "hdr");

/* The zero page: only the fields the loader fills are named. */
struct boot_params {
	uint8_t _pad0[0xc0];
	uint32_t ext_ramdisk_image; /* 0x0c0 */
	uint32_t ext_ramdisk_size; /* 0x0c4 */
	uint32_t ext_cmd_line_ptr; /* 0x0c8 */
	uint8_t _pad1[0x1e8 - 0xcc];
	uint8_t e820_entries; /* 0x1e8 */
	uint8_t _pad2[0x1f1 - 0x1e9]; /* includes sentinel 0x1ef: 0 */
	struct bz_setup_header hdr; /* 0x1f1 */
	uint8_t _pad3[0x2d0 - 0x26c];
	struct e820_entry e820_table[E820_MAX]; /* 0x2d0 */
	uint8_t _pad4[0x1000 - 0x2d0 - E820_MAX * 20];
} __attribute__((packed));
_Static_assert(sizeof(struct boot_params) == 4096, "boot_params is 4 KiB");
_Static_assert(offsetof(struct boot_params, ext_cmd_line_ptr) == 0xc8, "");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "");
_Static_assert(offsetof(struct boot_params, hdr) == 0x1f1, "");
_Static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "");

#define HDR_MAGIC 0x53726448u /* "HdrS" little-endian */
#define BOOT_FLAG 0xaa55
#define BZ_LOADER_UNDEFINED 0xff /* type_of_loader: no assigned id */
#define BZ_VID_NORMAL 0xffff
#define BZ_ENTRY64_OFF 0x200 /* startup_64 from the load address */
#define BZ_LOW_LOAD UINT64_C(0x100000) /* protected-mode kernel, < 2.10 */

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

int bzimage_parse(const uint8_t *buf, size_t len, struct bzimage_header *hdr,
		  struct boot_error *err)
{
	uint32_t sects;

	memset(hdr, 0, sizeof(*hdr));
	if (len < HDR_AT(version) + 2)
		return boot_err(err, -ENOEXEC,
				"not a bzImage: %zu bytes, too short for a "
				"setup header",
				len);
	if (le32(buf + HDR_AT(header)) != HDR_MAGIC)
		return boot_err(err, -ENOEXEC,
				"not a bzImage: no \"HdrS\" magic at 0x202");
	hdr->version = le16(buf + HDR_AT(version));
	if (hdr->version < BZ_MIN_VERSION)
		return boot_err(err, -ENOEXEC,
				"boot protocol %u.%02u is too old: 2.06 or "
				"later is needed",
				hdr->version >> 8, hdr->version & 0xff);
	if (len < 0x26c)
		return boot_err(err, -ENOEXEC,
				"truncated bzImage: %zu bytes, the setup "
				"header ends at 0x26c",
				len);
	if (le16(buf + HDR_AT(boot_flag)) != BOOT_FLAG)
		return boot_err(err, -ENOEXEC,
				"not a bzImage: boot flag at 0x1fe is 0x%04x, "
				"not 0xaa55",
				le16(buf + HDR_AT(boot_flag)));
	hdr->setup_sects = buf[HDR_AT(setup_sects)];
	sects = hdr->setup_sects ? hdr->setup_sects : 4;
	hdr->setup_bytes = (uint64_t)(sects + 1) * 512;
	hdr->loadflags = buf[HDR_AT(loadflags)];
	hdr->initrd_addr_max = le32(buf + HDR_AT(initrd_addr_max));
	hdr->kernel_alignment = le32(buf + HDR_AT(kernel_alignment));
	hdr->relocatable = buf[HDR_AT(relocatable_kernel)] != 0;
	hdr->xloadflags = le16(buf + HDR_AT(xloadflags));
	hdr->cmdline_size = le32(buf + HDR_AT(cmdline_size));
	/* pref_address and init_size exist from protocol 2.10. */
	if (hdr->version >= 0x020a) {
		hdr->pref_address = le64(buf + HDR_AT(pref_address));
		hdr->init_size = le32(buf + HDR_AT(init_size));
	} else {
		hdr->pref_address = BZ_LOW_LOAD;
	}
	if (hdr->setup_bytes >= len)
		return boot_err(err, -ENOEXEC,
				"truncated bzImage: setup_sects %u needs %llu "
				"bytes of setup code, the file has %zu",
				hdr->setup_sects,
				(unsigned long long)hdr->setup_bytes, len);
	hdr->payload_bytes = len - hdr->setup_bytes;
	if (hdr->payload_bytes <= BZ_ENTRY64_OFF)
		return boot_err(err, -ENOEXEC,
				"truncated bzImage: %llu bytes of kernel, the "
				"64-bit entry is at offset 0x200",
				(unsigned long long)hdr->payload_bytes);
	if (!(hdr->loadflags & BZ_LOADED_HIGH))
		return boot_err(err, -ENOEXEC,
				"zImage (loadflags LOADED_HIGH clear) is not "
				"supported");
	if (!(hdr->xloadflags & BZ_XLF_KERNEL_64))
		return boot_err(err, -ENOEXEC,
				"kernel has no 64-bit entry point (xloadflags "
				"XLF_KERNEL_64 clear)");
	if (hdr->relocatable && !is_pow2(hdr->kernel_alignment))
		return boot_err(err, -ENOEXEC,
				"kernel_alignment 0x%x is not a power of two",
				hdr->kernel_alignment);
	return 0;
}

/*
 * Where the protected-mode kernel goes: pref_address when
 * [pref, pref + need) is RAM; else, for a relocatable kernel, the first
 * kernel_alignment boundary at or above 1 MiB.
 */
static int place_kernel(const struct vm_layout *l, const struct guest_mem *m,
			const struct bzimage_header *h, uint64_t need,
			uint64_t *load, struct boot_error *err)
{
	uint64_t alt;

	if (boot_check_load(l, m, h->pref_address, need, "kernel", err) == 0) {
		*load = h->pref_address;
		return 0;
	}
	if (!h->relocatable)
		return boot_err(err, -ENOSPC,
				"kernel needs 0x%llx bytes at 0x%llx (not "
				"relocatable): not in guest RAM",
				(unsigned long long)need,
				(unsigned long long)h->pref_address);
	alt = align_up(BZ_LOW_LOAD, h->kernel_alignment);
	if (alt != h->pref_address &&
	    boot_check_load(l, m, alt, need, "kernel", err) == 0) {
		*load = alt;
		return 0;
	}
	return boot_err(err, -ENOSPC,
			"kernel needs 0x%llx bytes (init_size) at 0x%llx or "
			"0x%llx: does not fit in guest RAM",
			(unsigned long long)need,
			(unsigned long long)h->pref_address,
			(unsigned long long)alt);
}

int bzimage_load(const struct vm_layout *l, const struct guest_mem *m,
		 const uint8_t *kernel, size_t klen, const uint8_t *initrd,
		 size_t ilen, const char *cmdline, struct boot_info *out,
		 struct boot_error *err)
{
	struct bzimage_header h;
	struct boot_params *bp;
	size_t hdr_len, n_e820;
	uint64_t need, load = 0, limit;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = bzimage_parse(kernel, klen, &h, err);
	if (ret)
		return ret;
	need = h.init_size > h.payload_bytes ? h.init_size : h.payload_bytes;
	ret = place_kernel(l, m, &h, need, &load, err);
	if (ret)
		return ret;
	if (load + BZ_ENTRY64_OFF >= LAYOUT_4G || load + need > LAYOUT_4G)
		return boot_err(err, -ENOSPC,
				"kernel at 0x%llx is above the 4 GiB the boot "
				"page tables map",
				(unsigned long long)load);

	bp = gmem_ptr(m, BOOT_ZERO_PAGE_ADDR, sizeof(*bp));
	if (!bp)
		return boot_err(err, -EFAULT,
				"boot_params at 0x%llx: not in guest memory",
				(unsigned long long)BOOT_ZERO_PAGE_ADDR);
	memset(bp, 0, sizeof(*bp));
	/* The header is 0x202 + the byte at 0x201 long (bounded by ours). */
	hdr_len = 0x202 + kernel[0x201] - HDR_OFF;
	if (hdr_len > sizeof(bp->hdr))
		hdr_len = sizeof(bp->hdr);
	memcpy(&bp->hdr, kernel + HDR_OFF, hdr_len);

	if (gmem_write(m, load, kernel + h.setup_bytes, h.payload_bytes))
		return boot_err(err, -EFAULT, "kernel: write failed");
	ret = boot_write_cmdline(m, cmdline, h.cmdline_size, out, err);
	if (ret)
		return ret;
	/* initrd_addr_max is the last byte the initrd may occupy. */
	limit = (uint64_t)h.initrd_addr_max + 1;
	if (!h.initrd_addr_max)
		limit = UINT64_C(0x38000000); /* protocol default, < 2.03 */
	ret = boot_load_initrd(l, m, initrd, ilen, load + need, limit, out,
			       err);
	if (ret)
		return ret;
	ret = e820_build(l, bp->e820_table, E820_MAX, &n_e820, err);
	if (ret)
		return ret;

	bp->e820_entries = (uint8_t)n_e820;
	bp->hdr.type_of_loader = BZ_LOADER_UNDEFINED;
	bp->hdr.vid_mode = BZ_VID_NORMAL;
	bp->hdr.code32_start = (uint32_t)load;
	bp->hdr.cmd_line_ptr = (uint32_t)out->cmdline_gpa;
	bp->ext_cmd_line_ptr = (uint32_t)(out->cmdline_gpa >> 32);
	bp->hdr.ramdisk_image = (uint32_t)out->initrd_gpa;
	bp->hdr.ramdisk_size = (uint32_t)out->initrd_size;
	bp->ext_ramdisk_image = (uint32_t)(out->initrd_gpa >> 32);
	bp->ext_ramdisk_size = (uint32_t)(out->initrd_size >> 32);

	ret = boot_setup_long64(m, &out->cpu, err);
	if (ret)
		return ret;
	out->cpu.rip = load + BZ_ENTRY64_OFF;
	out->cpu.rsi = BOOT_ZERO_PAGE_ADDR;
	out->entry = out->cpu.rip;
	out->kernel_gpa = load;
	out->kernel_end = load + need;
	out->params_gpa = BOOT_ZERO_PAGE_ADDR;
	out->e820_entries = n_e820;
	return 0;
}
