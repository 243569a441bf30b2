/* The file pipeline shared by vmctl's commands: load, validate, resolve. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vmctl/vmctl.h"

/*
 * Prints what a stage reported. A stage that failed without a diagnostic
 * (an OS error the loader did not describe, or a stage bug) still gets one
 * line, so a non-zero exit status never comes without a message.
 */
static void report(const char *file, struct diag_list *dl, int err)
{
	/*
	 * An OS error (the file cannot be opened or read) is not a finding
	 * about the file's content: it reads like other tools' errors,
	 * "vmctl: FILE: cannot open: No such file or directory".
	 */
	if (err != -EINVAL && dl->n == 1 && !dl->oom)
		fputs("vmctl: ", stderr);
	if (dl->n || dl->oom)
		diag_print(dl, stderr);
	else if (err == -EINVAL)
		fprintf(stderr, "%s: invalid configuration\n", file);
	else
		fprintf(stderr, "vmctl: %s: %s\n", file, strerror(-err));
}

int vmctl_resolve_file(const char *file, struct vm_config **cfgp,
		       struct vm_layout **layp)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	struct vm_layout *lay = NULL;
	int err;

	err = cfg_load_file(file, &cfg, &dl);
	if (!err)
		err = cfg_validate(cfg, &dl);
	if (!err)
		err = layout_resolve(cfg, &lay, &dl);
	if (err) {
		report(file, &dl, err);
		goto free_cfg;
	}
	diag_list_free(&dl);
	if (cfgp)
		*cfgp = cfg;
	else
		cfg_free(cfg);
	if (layp)
		*layp = lay;
	else
		layout_free(lay);
	return 0;

free_cfg:
	diag_list_free(&dl);
	if (cfg)
		cfg_free(cfg);
	return err;
}

int vmctl_resolve_for_arch(const char *cmd, const char *file,
			   enum cfg_arch arch, const char *why,
			   struct vm_config **cfgp, struct vm_layout **layp)
{
	int err = vmctl_resolve_file(file, cfgp, layp);

	if (err)
		return vmctl_exit_status(err);
	if ((*layp)->arch == arch)
		return VMCTL_EXIT_OK;
	fprintf(stderr, "vmctl: %s: %s is an %s VM (%s)\n", cmd, file,
		cfg_arch_name((*layp)->arch), why);
	layout_free(*layp);
	cfg_free(*cfgp);
	*layp = NULL;
	*cfgp = NULL;
	return VMCTL_EXIT_FAIL;
}

int vmctl_exit_status(int err)
{
	if (!err)
		return VMCTL_EXIT_OK;
	if (err == -EINVAL)
		return VMCTL_EXIT_INVALID;
	return VMCTL_EXIT_FAIL;
}

int vmctl_flush_stdout(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "vmctl: writing output: %s\n",
			strerror(errno ? errno : EIO));
		return VMCTL_EXIT_FAIL;
	}
	return status;
}

int vmctl_parse_file_out(const struct vmctl_cmd *cmd, int argc, char **argv,
			 const char *what, const char **file, const char **out)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*out = NULL;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			*out = optarg;
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
	if (argc - optind > 1)
		return vmctl_usage_error(cmd, "only one FILE is allowed");
	if (!*out || !(*out)[0])
		return vmctl_usage_error(cmd, "no output given (-o %s)", what);
	*file = argv[optind];
	return -1;
}
