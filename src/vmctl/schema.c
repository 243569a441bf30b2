/* vmctl schema: the JSON Schema of the YAML VM file format. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vmctl/vmctl.h"

int cmd_schema(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd,
	       int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, err;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			vmctl_cmd_usage(cmd, stdout);
			return vmctl_flush_stdout(VMCTL_EXIT_OK);
		default:
			return vmctl_bad_option(cmd);
		}
	}
	if (optind < argc)
		return vmctl_usage_error(cmd, "unexpected argument '%s'",
					 argv[optind]);
	err = cfg_schema_write(stdout);
	/* Write errors (-EIO) are reported by vmctl_flush_stdout(). */
	if (err && err != -EIO)
		fprintf(stderr, "vmctl: schema: %s\n", strerror(-err));
	return vmctl_flush_stdout(err ? VMCTL_EXIT_FAIL : VMCTL_EXIT_OK);
}
