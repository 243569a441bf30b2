/* vmctl dtb: write the device tree an aarch64 VM would boot with. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cmd_dtb(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	    char **argv)
{
	const char *out, *file;
	struct vm_config *cfg;
	struct vm_layout *lay;
	void *blob = NULL;
	size_t len = 0;
	int err, status;

	status = vmctl_parse_file_out(cmd, argc, argv, "OUT", &file, &out);
	if (status >= 0)
		return status;
	status = VMCTL_EXIT_OK;

	err = vmctl_resolve_file(file, &cfg, &lay);
	if (err)
		return vmctl_exit_status(err);
	if (lay->arch != ARCH_AARCH64) {
		fprintf(stderr,
			"vmctl: dtb: %s is an %s VM (device trees are for aarch64)\n",
			file, cfg_arch_name(lay->arch));
		status = VMCTL_EXIT_FAIL;
		goto free_layout;
	}
	/* The initrd's place is chosen when it is loaded: not known here. */
	err = fdt_build(lay, cfg, NULL, &blob, &len);
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
