/* Aligned text tables for vmctl's human-readable output. */
#ifndef VMCTL_TABLE_H
#define VMCTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vmmd/common.h"

struct table_col {
	const char *header; /* NULL for every column: no header line */
	bool right; /* right-align (numbers) */
};

/*
 * Rows of cells, printed with columns padded to their widest cell and
 * separated by two spaces. Zero-initialise with table_init(); cells are
 * copied. Allocation failures are remembered and reported by table_print().
 */
struct table {
	const struct table_col *cols;
	size_t n_cols;
	size_t n_rows;
	size_t cap_rows;
	char **cells; /* n_rows * n_cols; NULL is an empty cell */
	bool oom;
};

void table_init(struct table *t, const struct table_col *cols, size_t n_cols);

/* Starts a new row; its cells are empty until table_set(). */
void table_row(struct table *t);

/* Sets cell @col of the current row. */
void table_set(struct table *t, size_t col, const char *fmt, ...)
	__printf(3, 4);

/*
 * Prints the table, each line indented by @indent spaces. Returns 0,
 * -ENOMEM when a cell was lost, -EIO when writing failed.
 */
int table_print(const struct table *t, FILE *out, int indent) __must_check;

void table_free(struct table *t);

#endif
