/* Diagnostics: collected configuration errors with file:line:col and path. */
#ifndef VMMD_DIAG_H
#define VMMD_DIAG_H

#include <stdio.h>

#include "vmmd/common.h"

struct vm_config;

struct diag {
	char *file; /* source file name as given by the user */
	int line; /* 1-based; 0 when unknown */
	int col; /* 1-based; 0 when unknown */
	char *path; /* YAML path such as "numa.nodes[1].cpus[0]", or NULL */
	char *msg;
};

/*
 * A growing list of diagnostics. Zero-initialise it ({0}); free with
 * diag_list_free(). Not thread-safe.
 */
struct diag_list {
	struct diag *v;
	size_t n;
	size_t cap;
	int oom; /* set when an allocation failed; diagnostics were lost */
};

/* Adds one diagnostic with an explicit position. */
void diag_add(struct diag_list *dl, const char *file, int line, int col,
	      const char *path, const char *fmt, ...) __printf(6, 7);

/*
 * Adds one diagnostic for @path ("cpu.topology.sockets", "devices[2].port")
 * of @cfg. The position is that of the deepest node of the YAML tree that
 * the path reaches: the value when the key exists, the enclosing mapping
 * when it does not (a defaulted or missing field).
 */
void cfg_error(struct diag_list *dl, const struct vm_config *cfg,
	       const char *path, const char *fmt, ...) __printf(4, 5);

/* Sorts by file, line, col (stable) and prints "FILE:LINE:COL: PATH: msg". */
void diag_print(struct diag_list *dl, FILE *out);

void diag_list_free(struct diag_list *dl);

#endif
