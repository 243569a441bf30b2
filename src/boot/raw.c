/* Raw image boot: bytes at a load address, entered in 64-bit long mode. */
#include <errno.h>
#include <string.h>

#include "boot_internal.h"

/*
 * Mode rule: a raw image always starts in 64-bit long mode with the first
 * 4 GiB identity-mapped (boot_setup_long64()); the config has no key to
 * ask for 32-bit protected mode. RSP is 0: the image sets up its own
 * stack. No command line and no boot parameters are passed.
 */
int raw_load(const struct vm_layout *l, const struct guest_mem *m,
	     const uint8_t *image, size_t len, uint64_t load, uint64_t entry,
	     struct boot_info *out, struct boot_error *err)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!len)
		return boot_err(err, -ENOEXEC, "raw image is empty");
	ret = boot_check_load(l, m, load, len, "raw image", err);
	if (ret)
		return ret;
	if (entry < load || entry - load >= len)
		return boot_err(err, -EINVAL,
				"entry 0x%llx is outside the image [0x%llx, "
				"0x%llx)",
				(unsigned long long)entry,
				(unsigned long long)load,
				(unsigned long long)(load + len));
	if (entry >= LAYOUT_4G)
		return boot_err(err, -EINVAL,
				"entry 0x%llx is above the 4 GiB the boot page "
				"tables map",
				(unsigned long long)entry);
	if (gmem_write(m, load, image, len))
		return boot_err(err, -EFAULT, "raw image: write failed");
	ret = boot_setup_long64(m, &out->cpu, err);
	if (ret)
		return ret;
	out->cpu.rip = entry;
	out->entry = entry;
	out->kernel_gpa = load;
	out->kernel_end = load + len;
	return 0;
}
