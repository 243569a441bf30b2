/* Diagnostics list: collects, positions, sorts and prints config errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmmd/config.h"
#include "vmmd/diag.h"
#include "config/ynode.h"

/* Upper bound on collected diagnostics; a hostile file cannot eat memory. */
#define DIAG_MAX 1000

static void __printf(6, 0)
	diag_vadd(struct diag_list *dl, const char *file, int line, int col,
		  const char *path, const char *fmt, va_list ap)
{
	struct diag *d;
	char *msg;

	if (dl->n >= DIAG_MAX) {
		dl->oom = 1;
		return;
	}
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 16;
		struct diag *v = realloc(dl->v, cap * sizeof(*v));

		if (!v) {
			dl->oom = 1;
			return;
		}
		dl->v = v;
		dl->cap = cap;
	}
	if (vasprintf(&msg, fmt, ap) < 0) {
		dl->oom = 1;
		return;
	}
	d = &dl->v[dl->n];
	d->file = strdup(file ? file : "");
	d->path = path ? strdup(path) : NULL;
	if (!d->file || (path && !d->path)) {
		free(d->file);
		free(d->path);
		free(msg);
		dl->oom = 1;
		return;
	}
	d->line = line;
	d->col = col;
	d->msg = msg;
	dl->n++;
}

void diag_add(struct diag_list *dl, const char *file, int line, int col,
	      const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, file, line, col, path, fmt, ap);
	va_end(ap);
}

void cfg_error(struct diag_list *dl, const struct vm_config *cfg,
	       const char *path, const char *fmt, ...)
{
	const struct ynode *n = NULL;
	bool complete;
	va_list ap;

	if (cfg->root && path)
		n = ynode_lookup(cfg->root, path, &complete);
	va_start(ap, fmt);
	diag_vadd(dl, cfg->file, n ? n->line : 0, n ? n->col : 0, path, fmt,
		  ap);
	va_end(ap);
}

void diag_print(struct diag_list *dl, FILE *out)
{
	size_t i;

	/*
	 * Stable insertion sort by file, line, col: errors at the same place
	 * keep the order they were found in. Lists are small (DIAG_MAX).
	 */
	for (i = 1; i < dl->n; i++) {
		struct diag t = dl->v[i];
		size_t j = i;

		while (j > 0) {
			struct diag *p = &dl->v[j - 1];
			int c = strcmp(p->file, t.file);

			if (c < 0 || (c == 0 &&
				      (p->line < t.line ||
				       (p->line == t.line && p->col <= t.col))))
				break;
			dl->v[j] = *p;
			j--;
		}
		dl->v[j] = t;
	}
	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		if (d->line > 0)
			fprintf(out, "%s:%d:%d: ", d->file, d->line, d->col);
		else
			fprintf(out, "%s: ", d->file);
		if (d->path && d->path[0])
			fprintf(out, "%s: ", d->path);
		fprintf(out, "%s\n", d->msg);
	}
	if (dl->oom)
		fprintf(out, "(further errors were not recorded)\n");
}

void diag_list_free(struct diag_list *dl)
{
	size_t i;

	for (i = 0; i < dl->n; i++) {
		free(dl->v[i].file);
		free(dl->v[i].path);
		free(dl->v[i].msg);
	}
	free(dl->v);
	memset(dl, 0, sizeof(*dl));
}
