/* Aligned text tables for vmctl's human-readable output. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmctl/table.h"

void table_init(struct table *t, const struct table_col *cols, size_t n_cols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->n_cols = n_cols;
}

void table_row(struct table *t)
{
	char **cells;
	size_t cap;

	if (t->oom)
		return;
	if (t->n_rows == t->cap_rows) {
		cap = t->cap_rows ? t->cap_rows * 2 : 16;
		cells = reallocarray(t->cells, cap * t->n_cols, sizeof(*cells));
		if (!cells) {
			t->oom = true;
			return;
		}
		t->cells = cells;
		t->cap_rows = cap;
	}
	memset(&t->cells[t->n_rows * t->n_cols], 0,
	       t->n_cols * sizeof(*t->cells));
	t->n_rows++;
}

void table_set(struct table *t, size_t col, const char *fmt, ...)
{
	char **cell;
	va_list ap;
	int n;

	if (t->oom || !t->n_rows || col >= t->n_cols)
		return;
	cell = &t->cells[(t->n_rows - 1) * t->n_cols + col];
	free(*cell);
	va_start(ap, fmt);
	n = vasprintf(cell, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*cell = NULL;
		t->oom = true;
	}
}

static const char *cell_text(const struct table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->n_cols + col];

	return s ? s : "";
}

static bool table_has_header(const struct table *t)
{
	size_t c;

	for (c = 0; c < t->n_cols; c++)
		if (t->cols[c].header)
			return true;
	return false;
}

/* Prints one line; trailing empty cells and padding are left out. */
static void print_line(const struct table *t, FILE *out, int indent,
		       const size_t *width, const char *const *text)
{
	size_t last = t->n_cols, c;

	while (last > 0 && !text[last - 1][0])
		last--;
	fprintf(out, "%*s", indent, "");
	for (c = 0; c < last; c++) {
		int w = (int)width[c];

		if (c)
			fputs("  ", out);
		if (t->cols[c].right)
			fprintf(out, "%*s", w, text[c]);
		else if (c + 1 == last)
			fputs(text[c], out);
		else
			fprintf(out, "%-*s", w, text[c]);
	}
	fputc('\n', out);
}

int table_print(const struct table *t, FILE *out, int indent)
{
	const char **text;
	size_t *width;
	size_t r, c;
	bool header = table_has_header(t);

	if (t->oom)
		return -ENOMEM;
	width = calloc(t->n_cols, sizeof(*width));
	text = calloc(t->n_cols, sizeof(*text));
	if (!width || !text) {
		free(width);
		free(text);
		return -ENOMEM;
	}
	for (c = 0; c < t->n_cols; c++) {
		if (header && t->cols[c].header)
			width[c] = strlen(t->cols[c].header);
		for (r = 0; r < t->n_rows; r++) {
			size_t n = strlen(cell_text(t, r, c));

			if (n > width[c])
				width[c] = n;
		}
	}
	if (header) {
		for (c = 0; c < t->n_cols; c++)
			text[c] = t->cols[c].header ? t->cols[c].header : "";
		print_line(t, out, indent, width, text);
	}
	for (r = 0; r < t->n_rows; r++) {
		for (c = 0; c < t->n_cols; c++)
			text[c] = cell_text(t, r, c);
		print_line(t, out, indent, width, text);
	}
	free(width);
	free(text);
	return ferror(out) ? -EIO : 0;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
