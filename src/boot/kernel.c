/* boot.kernel: picks the PVH or bzImage loader from the file's contents. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "boot_internal.h"

int boot_kernel_load(const struct vm_layout *l, const struct guest_mem *m,
		     const uint8_t *kernel, size_t klen, const uint8_t *initrd,
		     size_t ilen, const char *cmdline, uint64_t rsdp,
		     struct boot_info *out, struct boot_error *err)
{
	if (klen >= SELFMAG && !memcmp(kernel, ELFMAG, SELFMAG))
		return pvh_load(l, m, kernel, klen, initrd, ilen, cmdline, rsdp,
				out, err);
	if (klen >= 0x206 && !memcmp(kernel + 0x202, "HdrS", 4))
		return bzimage_load(l, m, kernel, klen, initrd, ilen, cmdline,
				    out, err);
	memset(out, 0, sizeof(*out));
	return boot_err(err, -ENOEXEC,
			"neither an ELF with a PVH entry note nor a bzImage "
			"(no ELF magic, no \"HdrS\" at 0x202)");
}
