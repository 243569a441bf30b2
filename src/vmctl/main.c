/* vmctl: command-line client of vmmd; dispatches to one command per name. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmctl/vmctl.h"

#ifndef VMCTL_VERSION
#define VMCTL_VERSION "unknown"
#endif

#define EXIT_STATUS_HELP                                                   \
	"Exit status: 0 success; 1 usage error, unreadable file, out of\n" \
	"memory or output error; 2 invalid VM file.\n"

static int cmd_help(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd,
		    int argc, char **argv);

/*
 * The command table: DESIGN.md's "vmctl surface". Names without a handler
 * are reserved for commands still to come (daemon client, run, firmware
 * tables, disk images); they are listed so that the names cannot be taken
 * by anything else and get a clear message meanwhile.
 */
static const struct vmctl_cmd commands[] = {
	{
		.name = "check",
		.handler = cmd_check,
		.usage = "[-v] FILE...",
		.summary = "validate VM files",
		.help = "Loads, validates and resolves each FILE. Errors are\n"
			"printed as FILE:LINE:COL: PATH: message; nothing\n"
			"is printed for a valid file.\n"
			"\n"
			"  -v, --verbose  print \"FILE: ok\" for valid files\n"
			"  -h, --help     show this help\n"
			"\n"
			"Exit status: 0 all files valid; 2 a file is\n"
			"invalid; 1 a file could not be read or memory ran\n"
			"out (1 wins over 2).\n",
	},
	{
		.name = "plan",
		.handler = cmd_plan,
		.usage = "[--json] FILE",
		.summary = "print the resolved layout of a VM file",
		.help = "Prints what FILE resolves to: memory map, NUMA\n"
			"nodes and distances, vCPUs, interrupt controller,\n"
			"PCIe tree, devices and interrupt lines.\n"
			"\n"
			"  -j, --json  JSON output (docs/plan-json.md)\n"
			"  -h, --help  show this help\n"
			"\n" EXIT_STATUS_HELP,
	},
	{
		.name = "schema",
		.handler = cmd_schema,
		.usage = "",
		.summary = "print the JSON Schema of the VM file format",
		.help = "  -h, --help  show this help\n",
	},
	{
		.name = "dtb",
		.handler = cmd_dtb,
		.usage = "FILE -o OUT",
		.summary = "write the device tree an aarch64 VM would get",
		.help = "Loads, validates and resolves FILE (an aarch64 VM)\n"
			"and writes the flattened device tree (DTB) the guest\n"
			"would boot with to OUT (\"-\": standard output).\n"
			"The initrd's linux,initrd-* entries are added when\n"
			"the VM starts; docs/device-tree.md describes the tree.\n"
			"\n"
			"  -o, --output OUT  where to write the DTB\n"
			"  -h, --help        show this help\n"
			"\n"
			"Exit status: 0 success; 1 usage error, an x86_64 VM\n"
			"file, unreadable file, out of memory or output error;\n"
			"2 invalid VM file.\n",
	},
	{
		.name = "acpi",
		.handler = cmd_acpi,
		.usage = "FILE -o DIR",
		.summary = "write the ACPI tables an x86_64 VM would get",
		.help = "Loads, validates and resolves FILE (an x86_64 VM)\n"
			"and writes each ACPI table the guest would get to\n"
			"DIR/SIG.dat (RSDP, XSDT, FACP, FACS, DSDT, APIC,\n"
			"SRAT, SLIT and, with PCIe, MCFG), the names acpica's\n"
			"iasl -d and acpiexec expect. DIR is created when\n"
			"missing. Prints where each table sits in guest\n"
			"memory; docs/platform.md describes the tables.\n"
			"\n"
			"  -o, --output DIR  where to write the tables\n"
			"  -h, --help        show this help\n"
			"\n"
			"Exit status: 0 success; 1 usage error, an aarch64 VM\n"
			"file, unreadable file, out of memory or output error;\n"
			"2 invalid VM file.\n",
	},
	{
		.name = "help",
		.handler = cmd_help,
		.usage = "[COMMAND]",
		.summary = "show the commands, or the help of COMMAND",
	},
	/* Reserved: not implemented yet. */
	{ .name = "run",
	  .usage = "FILE",
	  .summary = "run one VM in the foreground, without the daemon" },
	{ .name = "create",
	  .usage = "-s SIZE FILE",
	  .summary = "create a disk image" },
	{ .name = "start", .usage = "NAME", .summary = "start a VM" },
	{ .name = "stop", .usage = "NAME", .summary = "stop a VM" },
	{ .name = "status",
	  .usage = "[--json] [NAME]",
	  .summary = "show VM states" },
	{ .name = "console",
	  .usage = "NAME",
	  .summary = "attach to a VM's serial console" },
	{ .name = "pause", .usage = "NAME", .summary = "pause a VM" },
	{ .name = "unpause", .usage = "NAME", .summary = "resume a VM" },
	{ .name = "reset", .usage = "NAME", .summary = "reset a VM" },
	{ .name = "show",
	  .usage = "[--json] NAME",
	  .summary = "show a VM's configuration and layout" },
	{ .name = "kill", .usage = "NAME", .summary = "kill a VM's process" },
};

static const struct vmctl_cmd *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage_line(const struct vmctl_cmd *cmd, FILE *out)
{
	fprintf(out, "usage: vmctl %s%s%s\n", cmd->name,
		cmd->usage[0] ? " " : "", cmd->usage);
}

void vmctl_cmd_usage(const struct vmctl_cmd *cmd, FILE *out)
{
	usage_line(cmd, out);
	fprintf(out, "%s: %s%s\n", cmd->name, cmd->summary,
		cmd->handler ? "" : " (not implemented yet)");
	if (cmd->help)
		fprintf(out, "\n%s", cmd->help);
}

int vmctl_usage_error(const struct vmctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmctl %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return vmctl_bad_option(cmd);
}

int vmctl_bad_option(const struct vmctl_cmd *cmd)
{
	usage_line(cmd, stderr);
	fprintf(stderr, "Run 'vmctl %s --help' for more.\n", cmd->name);
	return VMCTL_EXIT_FAIL;
}

static void main_usage(FILE *out)
{
	size_t i, w = 0, col;
	bool first = true;

	fprintf(out, "usage: vmctl [-s SOCK] COMMAND [ARGS...]\n"
		     "       vmctl --help | --version\n"
		     "\n"
		     "Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		size_t n = strlen(commands[i].name) + 1 +
			   strlen(commands[i].usage);

		if (commands[i].handler && n > w)
			w = n;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct vmctl_cmd *c = &commands[i];
		char syn[128];

		if (!c->handler)
			continue;
		snprintf(syn, sizeof(syn), "%s %s", c->name, c->usage);
		fprintf(out, "  %-*s  %s\n", (int)w, syn, c->summary);
	}
	fprintf(out, "\nNot implemented yet:");
	col = strlen("Not implemented yet:");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *name = commands[i].name;

		if (commands[i].handler)
			continue;
		if (!first)
			fputc(',', out);
		col += 1 + !first;
		if (col + strlen(name) > 72) {
			fputs("\n ", out);
			col = 2;
		}
		fprintf(out, " %s", name);
		col += strlen(name);
		first = false;
	}
	fprintf(out, "\n\n"
		     "Options:\n"
		     "  -s, --socket SOCK  control socket of vmmd (daemon "
		     "commands)\n"
		     "  -h, --help         show this help\n"
		     "  -V, --version      show the version\n"
		     "\n" EXIT_STATUS_HELP "\n"
		     "Run 'vmctl COMMAND --help' for the options of a "
		     "command.\n");
}

static int cmd_help(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd,
		    int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const struct vmctl_cmd *which;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			vmctl_cmd_usage(cmd, stdout);
			return vmctl_flush_stdout(VMCTL_EXIT_OK);
		default:
			return vmctl_bad_option(cmd);
		}
	}
	if (optind >= argc) {
		main_usage(stdout);
		return vmctl_flush_stdout(VMCTL_EXIT_OK);
	}
	if (argc - optind > 1)
		return vmctl_usage_error(cmd, "only one COMMAND is allowed");
	which = cmd_find(argv[optind]);
	if (!which) {
		fprintf(stderr, "vmctl: unknown command '%s'\n", argv[optind]);
		main_usage(stderr);
		return VMCTL_EXIT_FAIL;
	}
	vmctl_cmd_usage(which, stdout);
	return vmctl_flush_stdout(VMCTL_EXIT_OK);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	static char progname[] = "vmctl";
	struct vmctl_ctx ctx = { 0 };
	const struct vmctl_cmd *cmd;
	char prog[64];
	int c;

	if (argc < 1) {
		main_usage(stderr);
		return VMCTL_EXIT_FAIL;
	}
	argv[0] = progname; /* getopt_long() messages say "vmctl: ..." */
	/* "+": stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			ctx.socket = optarg;
			break;
		case 'h':
			main_usage(stdout);
			return vmctl_flush_stdout(VMCTL_EXIT_OK);
		case 'V':
			printf("vmctl %s\n", VMCTL_VERSION);
			return vmctl_flush_stdout(VMCTL_EXIT_OK);
		default:
			main_usage(stderr);
			return VMCTL_EXIT_FAIL;
		}
	}
	if (optind >= argc) {
		main_usage(stderr);
		return VMCTL_EXIT_FAIL;
	}
	cmd = cmd_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "vmctl: unknown command '%s'\n", argv[optind]);
		main_usage(stderr);
		return VMCTL_EXIT_FAIL;
	}
	if (!cmd->handler) {
		fprintf(stderr, "vmctl: '%s' is not implemented yet\n",
			cmd->name);
		return VMCTL_EXIT_FAIL;
	}

	/* getopt_long() messages then read "vmctl plan: unrecognized...". */
	snprintf(prog, sizeof(prog), "vmctl %s", cmd->name);
	argv += optind;
	argc -= optind;
	argv[0] = prog;
	optind = 0; /* GNU getopt: full re-initialisation */
	return cmd->handler(&ctx, cmd, argc, argv);
}
