/* vmctl dtb: write the device tree an aarch64 VM would boot with. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vmctl/vmctl.h"
#include "vmmd/fdt.h"

/* Writes @len bytes to @path ("-": stdout); a partial file is removed. */
static int write_blob(const char *path, const void *blob, size_t len)
{
	bool to_stdout = !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "wb");
	int err = 0;

	if (!f) {
		err = -errno;
		fprintf(stderr, "vmctl: dtb: %s: %s\n", path, strerror(-err));
		return err;
	}
	if (fwrite(blob, 1, len, f) != len || fflush(f) == EOF)
		err = -(errno ? errno : EIO);
	if (!to_stdout && fclose(f) == EOF && !err)
		err = -(errno ? errno : EIO);
	if (err) {
		fprintf(stderr, "vmctl: dtb: %s: %s\n", path, strerror(-err));
		if (!to_stdout)
			unlink(path);
	}
	return err;
}

/*
 * Bytes of RAM the kernel occupies from its load address: the arm64 Image
 * header's image_size (which includes the BSS) when the file has one,
 * else the file size. The header is read as untrusted input.
 */
static int kernel_footprint(const char *path, uint64_t *bytes)
{
	unsigned char h[64];
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		err = -errno;
		goto close_fd;
	}
	n = pread(fd, h, sizeof(h), 0);
	if (n == (ssize_t)sizeof(h) && !memcmp(h + 56, "ARM\x64", 4)) {
		uint64_t v = 0;
		int i;

		for (i = 7; i >= 0; i--)
			v = v << 8 | h[16 + i];
		*bytes = v;
	} else {
		*bytes = (uint64_t)st.st_size;
	}
close_fd:
	if (fd >= 0)
		close(fd);
	return err;
}

/*
 * Puts the initrd where the boot loader will: above the kernel, which
 * sits at the first 2 MiB boundary after the FDT region (arm64 boot
 * protocol), through the layout's placement policy.
 */
static int place_initrd(const struct vm_layout *l, const struct vm_config *cfg,
			struct fdt_boot *boot)
{
	uint64_t kernel = 0, floor;
	struct stat st;
	int err;

	err = kernel_footprint(cfg->boot.kernel, &kernel);
	if (err) {
		fprintf(stderr, "vmctl: dtb: %s: %s\n", cfg->boot.kernel,
			strerror(-err));
		return err;
	}
	if (stat(cfg->boot.initrd, &st) < 0) {
		err = -errno;
		fprintf(stderr, "vmctl: dtb: %s: %s\n", cfg->boot.initrd,
			strerror(errno));
		return err;
	}
	if (st.st_size <= 0) {
		fprintf(stderr, "vmctl: dtb: %s: the initrd is empty\n",
			cfg->boot.initrd);
		return -EINVAL;
	}
	floor = align_up(l->fw_base + l->fw_size, 2 * MiB);
	if (kernel > LAYOUT_MAX_GPA || floor + kernel > LAYOUT_MAX_GPA)
		floor = LAYOUT_MAX_GPA;
	else
		floor += align_up(kernel, 2 * MiB);
	err = layout_place_initrd(l, (uint64_t)st.st_size, floor,
				  &boot->initrd_start);
	if (err) {
		fprintf(stderr,
			"vmctl: dtb: %s (%lld bytes) does not fit in RAM above the kernel\n",
			cfg->boot.initrd, (long long)st.st_size);
		return err;
	}
	boot->initrd_size = (uint64_t)st.st_size;
	return 0;
}

int cmd_dtb(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	    char **argv)
{
	const char *out, *file;
	struct vm_config *cfg;
	struct vm_layout *lay;
	struct fdt_boot boot = { 0 };
	void *blob = NULL;
	size_t len = 0;
	int err, status;

	status = vmctl_parse_file_out(cmd, argc, argv, "OUT", &file, &out);
	if (status >= 0)
		return status;

	status = vmctl_resolve_for_arch("dtb", file, ARCH_AARCH64,
					"device trees are for aarch64", &cfg,
					&lay);
	if (status)
		return status;
	if (cfg->boot.kind == BOOT_KERNEL && cfg->boot.initrd) {
		err = place_initrd(lay, cfg, &boot);
		if (err) {
			status = VMCTL_EXIT_FAIL;
			goto free_layout;
		}
	}
	err = fdt_build(lay, cfg, &boot, &blob, &len);
	if (err) {
		fprintf(stderr, "vmctl: dtb: %s: %s\n", file,
			err == -E2BIG ?
				"the device tree does not fit the firmware region" :
				strerror(-err));
		status = VMCTL_EXIT_FAIL;
		goto free_layout;
	}
	if (write_blob(out, blob, len))
		status = VMCTL_EXIT_FAIL;
	free(blob);
free_layout:
	layout_free(lay);
	cfg_free(cfg);
	return !strcmp(out, "-") ? vmctl_flush_stdout(status) : status;
}
