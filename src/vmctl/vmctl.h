/* vmctl: declarations shared by the command-line client's commands. */
#ifndef VMCTL_H
#define VMCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "vmmd/common.h"
#include "vmmd/config.h"
#include "vmmd/layout.h"
#include "plan/plan.h" /* plan_to_json(), formatting helpers */

/* Exit statuses of every command (listed in `vmctl help`). */
enum {
	VMCTL_EXIT_OK = 0,
	VMCTL_EXIT_FAIL = 1, /* usage, unreadable file, memory, I/O */
	VMCTL_EXIT_INVALID = 2, /* a configuration was rejected */
};

/* Options given before the command name. */
struct vmctl_ctx {
	const char *socket; /* -s SOCK for daemon commands, or NULL */
};

struct vmctl_cmd;

/*
 * A command handler. @argv[0] is the command name; handlers parse their
 * options with getopt_long() (optind is reset for them) and return an exit
 * status. They never call exit().
 */
typedef int (*vmctl_handler)(const struct vmctl_ctx *ctx,
			     const struct vmctl_cmd *cmd, int argc,
			     char **argv);

struct vmctl_cmd {
	const char *name;
	vmctl_handler handler; /* NULL: reserved name, not implemented yet */
	const char *usage; /* synopsis after "vmctl NAME" */
	const char *summary; /* one line for `vmctl help` */
	const char *help; /* description and options, `vmctl NAME --help` */
};

/* Prints "usage: vmctl NAME ..." and the command's options to @out. */
void vmctl_cmd_usage(const struct vmctl_cmd *cmd, FILE *out);

/* Reports a usage error and the usage on stderr; returns VMCTL_EXIT_FAIL. */
int vmctl_usage_error(const struct vmctl_cmd *cmd, const char *fmt, ...)
	__printf(2, 3);

/* Same after getopt_long() has printed its own message. */
int vmctl_bad_option(const struct vmctl_cmd *cmd);

/*
 * Runs the three stages on @file: load, validate, resolve. Stops at the
 * first stage that fails and prints its diagnostics to stderr as
 * "FILE:LINE:COL: PATH: message". Returns 0 with *cfgp and *layp set
 * (either pointer may be NULL when the caller does not want the object),
 * -EINVAL when the file is invalid, -ENOMEM, or another negative errno
 * when the file could not be read.
 */
int vmctl_resolve_file(const char *file, struct vm_config **cfgp,
		       struct vm_layout **layp) __must_check;

/* Maps a vmctl_resolve_file() result to an exit status. */
int vmctl_exit_status(int err);

/*
 * vmctl_resolve_file for commands that only make sense for @arch: a file
 * of another architecture is reported ("vmctl: CMD: FILE is an x86_64 VM
 * (WHY)"). Returns VMCTL_EXIT_OK with *cfgp and *layp set (the caller
 * frees them), or the exit status to return.
 */
int vmctl_resolve_for_arch(const char *cmd, const char *file,
			   enum cfg_arch arch, const char *why,
			   struct vm_config **cfgp, struct vm_layout **layp);

/* Flushes stdout; returns VMCTL_EXIT_FAIL with a message on error. */
int vmctl_flush_stdout(int status);

/*
 * Parses "[-o OUT] FILE" (and --help) for commands that write one file
 * or directory. Returns -1 with *file and *out set to go on, or the exit
 * status to return (help printed, usage error reported).
 */
int vmctl_parse_file_out(const struct vmctl_cmd *cmd, int argc, char **argv,
			 const char *what, const char **file, const char **out);

/* Text rendering of a plan (plan.c). */
int plan_text_write(const struct vm_layout *l, const struct vm_config *cfg,
		    FILE *out) __must_check;

int cmd_check(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd,
	      int argc, char **argv);
int cmd_plan(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	     char **argv);
int cmd_dtb(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	    char **argv);
int cmd_acpi(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	     char **argv);
int cmd_schema(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd,
	       int argc, char **argv);

#endif
