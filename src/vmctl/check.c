/* vmctl check: validate VM files without running anything. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "vmctl/vmctl.h"

/*
 * Every file goes through load, validate and resolve, so that a file which
 * is well-formed but does not fit (address space, buses, GSIs) is rejected
 * here too. All files are checked even after a failure. The exit status is
 * 1 when any file could not be checked at all (unreadable, out of memory),
 * else 2 when any file is invalid, else 0.
 */
int cmd_check(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd,
	      int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool verbose = false, failed = false, invalid = false;
	int c, i;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			vmctl_cmd_usage(cmd, stdout);
			return vmctl_flush_stdout(VMCTL_EXIT_OK);
		default:
			return vmctl_bad_option(cmd);
		}
	}
	if (optind >= argc)
		return vmctl_usage_error(cmd, "no FILE given");

	for (i = optind; i < argc; i++) {
		int err = vmctl_resolve_file(argv[i], NULL, NULL);

		if (err == -EINVAL)
			invalid = true;
		else if (err)
			failed = true;
		else if (verbose)
			printf("%s: ok\n", argv[i]);
	}
	if (failed)
		return vmctl_flush_stdout(VMCTL_EXIT_FAIL);
	if (invalid)
		return vmctl_flush_stdout(VMCTL_EXIT_INVALID);
	return vmctl_flush_stdout(VMCTL_EXIT_OK);
}
