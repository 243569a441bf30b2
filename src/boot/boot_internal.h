/* Helpers shared by the boot loaders (src/boot/ only). */
#ifndef VMMD_BOOT_INTERNAL_H
#define VMMD_BOOT_INTERNAL_H

#include "vmmd/boot.h"

/* Formats err->msg (when @err is not NULL) and returns @ret. */
int boot_err(struct boot_error *err, int ret, const char *fmt, ...)
	__printf(3, 4);

/* True when [a, a + alen) and [b, b + blen) overlap (no wrap assumed). */
static inline bool boot_overlaps(uint64_t a, uint64_t alen, uint64_t b,
				 uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Checks that [gpa, gpa + len) is guest RAM, backed, and clear of the boot
 * area; @what names it in the error ("kernel", "ELF segment 2").
 */
int boot_check_load(const struct vm_layout *l, const struct guest_mem *m,
		    uint64_t gpa, uint64_t len, const char *what,
		    struct boot_error *err) __must_check;

/*
 * Writes @cmdline (NULL: empty) with its NUL at BOOT_CMDLINE_ADDR; @max is
 * the longest string accepted (without the NUL). Sets out->cmdline_*.
 */
int boot_write_cmdline(const struct guest_mem *m, const char *cmdline,
		       uint64_t max, struct boot_info *out,
		       struct boot_error *err) __must_check;

/*
 * Places the initrd with layout_place_initrd_below() above @floor and
 * below @limit, copies it and sets out->initrd_*.
 */
int boot_load_initrd(const struct vm_layout *l, const struct guest_mem *m,
		     const uint8_t *initrd, size_t ilen, uint64_t floor,
		     uint64_t limit, struct boot_info *out,
		     struct boot_error *err) __must_check;

#endif
