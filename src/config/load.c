/* Config loader, stage 1: YAML node tree to struct vm_config, table-driven. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "vmmd/config.h"
#include "config/fields.h"
#include "config/text.h"
#include "config/ynode.h"

#define CFG_MAX_RCS 64
#define CFG_MAX_SWITCHES 256
#define CFG_MAX_FEATURES 256
#define CFG_MAX_HOST_NODES 1024
#define CFG_MAX_QUEUES 64
#define CFG_SERIAL_MAX 20 /* virtio-blk device id string */
#define CFG_TAP_MAX 15 /* IFNAMSIZ - 1 */
#define CFG_PATH_MAX 4095
#define YPATH_MAX 256

/* Enums are stored through FK_ENUM as int-sized values. */
_Static_assert(sizeof(enum cfg_arch) == sizeof(int) &&
		       sizeof(enum cfg_dev_type) == sizeof(int),
	       "enums are int-sized");

/* Loader state while one file is parsed. */
struct lctx {
	const char *file;
	const char *dir;
	struct diag_list *dl;
	char path[YPATH_MAX]; /* YAML path of the node being parsed */
	size_t plen;
	int errors;
};

/* ------------------------------------------------------------------ */
/* Diagnostics and paths                                               */

static void lerr_at(struct lctx *c, int line, int col, const char *path,
		    const char *fmt, ...) __printf(5, 6);

static void lerr_at(struct lctx *c, int line, int col, const char *path,
		    const char *fmt, ...)
{
	char *msg;
	va_list ap;

	c->errors++;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0) {
		va_end(ap);
		c->dl->oom = 1;
		return;
	}
	va_end(ap);
	diag_add(c->dl, c->file, line, col, path && path[0] ? path : NULL, "%s",
		 msg);
	free(msg);
}

/* Error at node @n with the current path. */
#define lerr(c, n, ...) lerr_at(c, (n)->line, (n)->col, (c)->path, __VA_ARGS__)

/* Appends ".key" (or "key" at the top) to the path; returns the old length. */
static size_t path_push_key(struct lctx *c, const char *key)
{
	size_t old = c->plen;
	int r = snprintf(c->path + old, sizeof(c->path) - old, "%s%s",
			 old ? "." : "", key);

	if (r > 0)
		c->plen = old + (size_t)r < sizeof(c->path) ?
				  old + (size_t)r :
				  sizeof(c->path) - 1;
	return old;
}

static size_t path_push_index(struct lctx *c, size_t i)
{
	size_t old = c->plen;
	int r = snprintf(c->path + old, sizeof(c->path) - old, "[%zu]", i);

	if (r > 0)
		c->plen = old + (size_t)r < sizeof(c->path) ?
				  old + (size_t)r :
				  sizeof(c->path) - 1;
	return old;
}

static void path_pop(struct lctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

static bool scalar_is_null(const struct ynode *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (n->kind != YN_SCALAR || !n->plain)
		return false;
	for (i = 0; i < ARRAY_SIZE(nulls); i++)
		if (!strcmp(n->scalar, nulls[i]))
			return true;
	return false;
}

#define FOUND_SIZE (TEXT_QUOTE_SIZE + 16)

/* "a mapping", "a list", "null", "'text'" or "quoted 'text'". */
static const char *found(const struct ynode *n, char *buf)
{
	char q[TEXT_QUOTE_SIZE];

	if (n->kind == YN_MAP)
		return "a mapping";
	if (n->kind == YN_SEQ)
		return "a list";
	if (scalar_is_null(n))
		return "null";
	text_quote(q, n->scalar, n->len);
	snprintf(buf, FOUND_SIZE, "%s'%s'", n->plain ? "" : "quoted ", q);
	return buf;
}

static void err_expected(struct lctx *c, const struct ynode *n,
			 const char *what)
{
	char buf[FOUND_SIZE];

	lerr(c, n, "expected %s, found %s", what, found(n, buf));
}

/* "a, b, c" from an enum or a table's keys; @out holds 512 bytes. */
static const char *join_enum(const struct enum_names *e, char *out)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < e->n && o < 512; i++)
		o += (size_t)snprintf(out + o, 512 - o, "%s%s", i ? ", " : "",
				      e->v[i]);
	return out;
}

static const char *join_keys(const struct ftable *t, char *out)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < t->n_fields && o < 512; i++)
		o += (size_t)snprintf(out + o, 512 - o, "%s%s", i ? ", " : "",
				      t->fields[i].key);
	return out;
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */

static void store_uint(void *p, unsigned int width, uint64_t v)
{
	switch (width) {
	case 1: {
		uint8_t x = (uint8_t)v;

		memcpy(p, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;

		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;

		memcpy(p, &x, 4);
		break;
	}
	default:
		memcpy(p, &v, 8);
		break;
	}
}

/*
 * Parses the decimal or 0x hex number at the start of @s. Returns the
 * number of characters used (0: no digits), or -ERANGE on overflow.
 */
static int scan_number(const char *s, uint64_t *out)
{
	const char *p = s;
	unsigned int base = 10;
	uint64_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return 0;
	for (; *p; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (base == 16 && p == s + 2)
		return 0;
	*out = v;
	return (int)(p - s);
}

static void err_range(struct lctx *c, const struct ynode *n, uint64_t min,
		      uint64_t max)
{
	char q[TEXT_QUOTE_SIZE];

	text_quote(q, n->scalar, n->len);
	if (max > 0xffffffffu)
		lerr(c, n,
		     "%s is out of range (must be 0x%" PRIx64 "..0x%" PRIx64
		     ")",
		     q, min, max);
	else
		lerr(c, n,
		     "%s is out of range (must be %" PRIu64 "..%" PRIu64 ")", q,
		     min, max);
}

/* A number: plain scalar, decimal or 0x hex, within [min, max]. */
static int get_number(struct lctx *c, const struct ynode *n, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	char q[TEXT_QUOTE_SIZE];
	int r;

	if (n->kind != YN_SCALAR || !n->plain || scalar_is_null(n)) {
		err_expected(c, n, "a number");
		return -EINVAL;
	}
	r = scan_number(n->scalar, out);
	if (r == -ERANGE) {
		lerr(c, n, "%s is too large (does not fit in 64 bits)",
		     text_quote(q, n->scalar, n->len));
		return -EINVAL;
	}
	if (r <= 0 || (size_t)r != n->len) {
		err_expected(c, n, "a number (decimal or 0x hex)");
		return -EINVAL;
	}
	if (*out < min || *out > max) {
		err_range(c, n, min, max);
		return -EINVAL;
	}
	return 0;
}

/* A size: a number with an optional K/M/G/T or KiB/MiB/GiB/TiB suffix. */
static int get_size(struct lctx *c, const struct ynode *n, uint64_t *out)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} units[] = {
		{ .suffix = "", .mult = 1 },
		{ .suffix = "K", .mult = KiB },
		{ .suffix = "M", .mult = MiB },
		{ .suffix = "G", .mult = GiB },
		{ .suffix = "T", .mult = TiB },
		{ .suffix = "KiB", .mult = KiB },
		{ .suffix = "MiB", .mult = MiB },
		{ .suffix = "GiB", .mult = GiB },
		{ .suffix = "TiB", .mult = TiB },
	};
	char q[TEXT_QUOTE_SIZE];
	uint64_t v;
	size_t i;
	int r;

	if (n->kind != YN_SCALAR || !n->plain || scalar_is_null(n)) {
		err_expected(c, n, "a size like 4096, 0x1000, 512M or 2G");
		return -EINVAL;
	}
	r = scan_number(n->scalar, &v);
	if (r == -ERANGE) {
		lerr(c, n, "%s is too large (does not fit in 64 bits)",
		     text_quote(q, n->scalar, n->len));
		return -EINVAL;
	}
	for (i = 0; r > 0 && i < ARRAY_SIZE(units); i++) {
		if (strcmp(n->scalar + r, units[i].suffix))
			continue;
		if (v > UINT64_MAX / units[i].mult) {
			lerr(c, n, "%s is too large (does not fit in 64 bits)",
			     text_quote(q, n->scalar, n->len));
			return -EINVAL;
		}
		*out = v * units[i].mult;
		return 0;
	}
	err_expected(c, n, "a size like 4096, 0x1000, 512M or 2G");
	return -EINVAL;
}

static int get_bool(struct lctx *c, const struct ynode *n, bool *out)
{
	if (n->kind == YN_SCALAR && n->plain) {
		if (!strcmp(n->scalar, "true")) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->scalar, "false")) {
			*out = false;
			return 0;
		}
	}
	err_expected(c, n, "true or false");
	return -EINVAL;
}

/* Any scalar but null. Returns a pointer into the node. */
static int get_string(struct lctx *c, const struct ynode *n, const char *what,
		      const char **out)
{
	if (n->kind != YN_SCALAR || scalar_is_null(n)) {
		err_expected(c, n, what);
		return -EINVAL;
	}
	*out = n->scalar;
	return 0;
}

static int get_enum(struct lctx *c, const struct ynode *n,
		    const struct enum_names *e, unsigned int *out)
{
	char list[512], q[TEXT_QUOTE_SIZE];
	unsigned int i;

	if (n->kind != YN_SCALAR || scalar_is_null(n)) {
		char buf[FOUND_SIZE];

		lerr(c, n, "expected one of: %s, found %s", join_enum(e, list),
		     found(n, buf));
		return -EINVAL;
	}
	for (i = 0; i < e->n; i++) {
		if (!strcmp(n->scalar, e->v[i])) {
			*out = i;
			return 0;
		}
	}
	lerr(c, n, "unknown value '%s' (expected one of: %s)",
	     text_quote(q, n->scalar, n->len), join_enum(e, list));
	return -EINVAL;
}

static bool name_is_valid(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (i = 1; s[i]; i++) {
		char ch = s[i];

		if (i >= CFG_NAME_MAX)
			return false;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

/* [a-z_][a-z0-9_-]{0,31}, @len bytes of @s */
static bool owner_part_is_valid(const char *s, size_t len)
{
	size_t i;

	if (!len || len > 32 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

static char *dup_or_fail(const char *s, int *rc)
{
	char *d = strdup(s);

	if (!d)
		*rc = -ENOMEM;
	return d;
}

/* Absolute form of @p: itself, or cfg->dir + "/" + @p. */
static char *make_absolute(struct lctx *c, const char *p)
{
	char *out;

	if (p[0] == '/')
		return strdup(p);
	if (asprintf(&out, "%s/%s", c->dir, p) < 0)
		return NULL;
	return out;
}

/* ------------------------------------------------------------------ */
/* Table walker                                                        */

static int parse_map(struct lctx *c, const struct ynode *map,
		     const struct ftable *t, void *obj);

static void table_init(const struct ftable *t, void *obj, size_t index)
{
	size_t i;

	for (i = 0; i < t->n_fields; i++) {
		const struct field *f = &t->fields[i];
		char *p = (char *)obj + f->off;

		switch (f->kind) {
		case FK_UINT:
			store_uint(p, f->width, f->def);
			break;
		case FK_SIZE:
			store_uint(p, sizeof(uint64_t), f->def);
			break;
		case FK_BOOL:
			*(bool *)p = f->def != 0;
			break;
		case FK_ENUM:
			store_uint(p, sizeof(int), f->def);
			break;
		case FK_MAP:
			table_init(f->sub, p, 0);
			break;
		default:
			break;
		}
	}
	if (t->init)
		t->init(obj, index);
}

static void set_has(const struct field *f, void *obj)
{
	if (f->has)
		*(bool *)((char *)obj + f->has_off) = true;
}

static int parse_list(struct lctx *c, const struct field *f,
		      const struct ynode *v, void *obj)
{
	const struct ftable *t = f->sub;
	char *arr;
	size_t i;
	int rc = 0;

	if (v->kind != YN_SEQ) {
		err_expected(c, v, "a list");
		return -EINVAL;
	}
	if (v->n < f->min_items) {
		lerr(c, v, "expected at least %zu %s, found %zu", f->min_items,
		     f->min_items == 1 ? "entry" : "entries", v->n);
		return -EINVAL;
	}
	if (v->n > f->max_items) {
		lerr(c, v, "too many entries (%zu, at most %zu)", v->n,
		     f->max_items);
		return -EINVAL;
	}
	if (!v->n)
		return 0;
	arr = calloc(v->n, t->size);
	if (!arr)
		return -ENOMEM;
	*(void **)((char *)obj + f->off) = arr;
	*(size_t *)((char *)obj + f->n_off) = v->n;
	for (i = 0; i < v->n; i++) {
		size_t old = path_push_index(c, i);
		int r;

		table_init(t, arr + i * t->size, i);
		r = parse_map(c, v->items[i], t, arr + i * t->size);
		path_pop(c, old);
		if (r == -ENOMEM)
			return r;
		if (r)
			rc = r;
	}
	return rc;
}

static int parse_nums(struct lctx *c, const struct field *f,
		      const struct ynode *v, void *obj)
{
	char *arr = NULL;
	size_t i;
	int rc = 0;

	if (v->kind != YN_SEQ) {
		err_expected(c, v, "a list");
		return -EINVAL;
	}
	if (v->n > f->max_items) {
		lerr(c, v, "too many entries (%zu, at most %zu)", v->n,
		     f->max_items);
		return -EINVAL;
	}
	if (v->n) {
		arr = calloc(v->n, f->width);
		if (!arr)
			return -ENOMEM;
	}
	*(void **)((char *)obj + f->off) = arr;
	*(size_t *)((char *)obj + f->n_off) = v->n;
	for (i = 0; i < v->n; i++) {
		size_t old = path_push_index(c, i);
		uint64_t x;

		if (get_number(c, v->items[i], f->min, f->max, &x))
			rc = -EINVAL;
		else
			store_uint(arr + i * f->width, f->width, x);
		path_pop(c, old);
	}
	return rc;
}

static int parse_field(struct lctx *c, const struct field *f,
		       const struct ynode *v, void *obj)
{
	char *p = (char *)obj + f->off;
	char q[TEXT_QUOTE_SIZE];
	const char *s;
	uint64_t x;
	unsigned int e;
	bool b;
	int rc = 0;

	switch (f->kind) {
	case FK_UINT:
		if (get_number(c, v, f->min, f->max, &x))
			return -EINVAL;
		store_uint(p, f->width, x);
		break;
	case FK_SIZE:
		if (get_size(c, v, &x))
			return -EINVAL;
		store_uint(p, sizeof(uint64_t), x);
		break;
	case FK_BOOL:
		if (get_bool(c, v, &b))
			return -EINVAL;
		*(bool *)p = b;
		break;
	case FK_STR:
		if (get_string(c, v, "a string", &s))
			return -EINVAL;
		if (f->max_len && v->len > f->max_len) {
			lerr(c, v, "too long (%zu bytes, at most %zu)", v->len,
			     f->max_len);
			return -EINVAL;
		}
		*(char **)p = dup_or_fail(s, &rc);
		break;
	case FK_PATH:
		if (get_string(c, v, "a path", &s))
			return -EINVAL;
		if (!v->len) {
			err_expected(c, v, "a path");
			return -EINVAL;
		}
		if (v->len > CFG_PATH_MAX) {
			lerr(c, v, "too long (%zu bytes, at most %d)", v->len,
			     CFG_PATH_MAX);
			return -EINVAL;
		}
		*(char **)p = make_absolute(c, s);
		if (!*(char **)p)
			return -ENOMEM;
		break;
	case FK_NAME:
		if (get_string(c, v, "a name", &s))
			return -EINVAL;
		if (!name_is_valid(s)) {
			lerr(c, v, "invalid name '%s' (expected %s)",
			     text_quote(q, v->scalar, v->len),
			     "[a-z0-9][a-z0-9_.-]{0,63}");
			return -EINVAL;
		}
		*(char **)p = dup_or_fail(s, &rc);
		break;
	case FK_ENUM:
		if (get_enum(c, v, f->enums, &e))
			return -EINVAL;
		store_uint(p, sizeof(int), e);
		break;
	case FK_NUMS:
		rc = parse_nums(c, f, v, obj);
		break;
	case FK_MAP:
		rc = parse_map(c, v, f->sub, p);
		break;
	case FK_LIST:
		rc = parse_list(c, f, v, obj);
		break;
	case FK_CUSTOM:
		rc = f->parse(c, v, obj);
		break;
	}
	if (!rc)
		set_has(f, obj);
	return rc;
}

static const struct field *find_field(const struct ftable *t, const char *key,
				      size_t *index)
{
	size_t i;

	for (i = 0; i < t->n_fields; i++) {
		if (!strcmp(t->fields[i].key, key)) {
			*index = i;
			return &t->fields[i];
		}
	}
	return NULL;
}

static void err_unknown_key(struct lctx *c, const struct ynode_pair *pr,
			    const struct ftable *t)
{
	char q[TEXT_QUOTE_SIZE], list[512];
	char path[YPATH_MAX + TEXT_QUOTE_SIZE + 2];

	const char *for_type = "";
	size_t i;

	/* Device keys depend on the type: say which type was assumed. */
	for (i = 0; i < DEV_TYPE_COUNT; i++)
		if (t == cfg_device_tables[i])
			for_type = " for ";
	text_quote(q, pr->key, strlen(pr->key));
	snprintf(path, sizeof(path), "%s%s%s", c->path, c->plen ? "." : "", q);
	lerr_at(c, pr->key_line, pr->key_col, path,
		"unknown key '%s'%s%s (expected one of: %s)", q, for_type,
		for_type[0] ? t->what : "", join_keys(t, list));
}

/* "a and b", "a, b and c" from keys of @t that are set in @seen. */
static void join_seen(const struct ftable *t, const bool *seen,
		      const char *const *keys, size_t n, char *out, size_t sz)
{
	size_t i, j, o = 0, cnt = 0, total = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < t->n_fields; j++)
			if (seen[j] && !strcmp(t->fields[j].key, keys[i]))
				total++;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		for (j = 0; j < t->n_fields; j++) {
			if (!seen[j] || strcmp(t->fields[j].key, keys[i]))
				continue;
			cnt++;
			o += (size_t)snprintf(out + o, sz - o, "%s%s",
					      cnt == 1	   ? "" :
					      cnt == total ? " and " :
							     ", ",
					      keys[i]);
			if (o >= sz)
				return;
		}
	}
}

static int check_one_of(struct lctx *c, const struct ynode *map,
			const struct ftable *t, const bool *seen)
{
	char names[512], given[512];
	size_t i, j, o = 0, n = 0;

	if (!t->n_one_of)
		return 0;
	for (i = 0; i < t->n_one_of; i++) {
		o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
				      i ? ", " : "", t->one_of[i]);
		if (o >= sizeof(names))
			o = sizeof(names) - 1;
		for (j = 0; j < t->n_fields; j++)
			if (seen[j] && !strcmp(t->fields[j].key, t->one_of[i]))
				n++;
	}
	if (n == 1)
		return 0;
	if (!n) {
		lerr(c, map, "exactly one of %s is required (found none)",
		     names);
		return -EINVAL;
	}
	join_seen(t, seen, t->one_of, t->n_one_of, given, sizeof(given));
	lerr(c, map, "exactly one of %s is allowed (found %s)", names, given);
	return -EINVAL;
}

/*
 * Parses mapping @map into @obj with table @t: every key must be in the
 * table, required keys must be present. Errors are reported and parsing
 * goes on with the next key; returns -EINVAL if any error was found in
 * this mapping or below, -ENOMEM.
 */
static int parse_map(struct lctx *c, const struct ynode *map,
		     const struct ftable *t, void *obj)
{
	bool seen[64] = { 0 };
	size_t i;
	int rc = 0;

	if (map->kind != YN_MAP) {
		err_expected(c, map, "a mapping");
		return -EINVAL;
	}
	for (i = 0; i < map->n; i++) {
		const struct ynode_pair *pr = &map->pairs[i];
		const struct field *f;
		size_t idx, old;
		int r;

		f = find_field(t, pr->key, &idx);
		if (!f) {
			err_unknown_key(c, pr, t);
			rc = -EINVAL;
			continue;
		}
		seen[idx] = true;
		old = path_push_key(c, pr->key);
		r = parse_field(c, f, pr->value, obj);
		path_pop(c, old);
		if (r == -ENOMEM)
			return r;
		if (r)
			rc = r;
	}
	for (i = 0; i < t->n_fields; i++) {
		const struct field *f = &t->fields[i];
		size_t need, old;

		if (f->required && !seen[i]) {
			old = path_push_key(c, f->key);
			lerr(c, map, "required");
			path_pop(c, old);
			rc = -EINVAL;
		}
		if (f->needs && seen[i] &&
		    !(find_field(t, f->needs, &need) && seen[need])) {
			old = path_push_key(c, f->key);
			lerr(c, ynode_get(map, f->key), "only valid with %s",
			     f->needs);
			path_pop(c, old);
			rc = -EINVAL;
		}
	}
	if (check_one_of(c, map, t, seen))
		rc = -EINVAL;
	if (!rc && t->finish)
		rc = t->finish(c, map, obj);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Custom fields                                                       */

static int parse_uuid(struct lctx *c, const struct ynode *v, void *obj)
{
	struct vm_config *cfg = obj;
	char q[TEXT_QUOTE_SIZE];
	const char *s;

	if (get_string(c, v, "a uuid", &s))
		return -EINVAL;
	if (uuid_parse(s, cfg->uuid)) {
		lerr(c, v,
		     "invalid uuid '%s' (expected the form 01234567-89ab-cdef-0123-456789abcdef)",
		     text_quote(q, v->scalar, v->len));
		return -EINVAL;
	}
	cfg->has_uuid = true;
	return 0;
}

static int parse_owner(struct lctx *c, const struct ynode *v, void *obj)
{
	struct vm_config *cfg = obj;
	char q[TEXT_QUOTE_SIZE];
	const char *s, *colon;
	size_t ulen;

	if (get_string(c, v, "user or user:group", &s))
		return -EINVAL;
	colon = strchr(s, ':');
	ulen = colon ? (size_t)(colon - s) : strlen(s);
	if (!owner_part_is_valid(s, ulen) ||
	    (colon && !owner_part_is_valid(colon + 1, strlen(colon + 1)))) {
		lerr(c, v,
		     "invalid owner '%s' (expected user or user:group, each [a-z_][a-z0-9_-]{0,31})",
		     text_quote(q, v->scalar, v->len));
		return -EINVAL;
	}
	cfg->owner_user = strndup(s, ulen);
	if (!cfg->owner_user)
		return -ENOMEM;
	if (colon) {
		cfg->owner_group = strdup(colon + 1);
		if (!cfg->owner_group)
			return -ENOMEM;
	}
	return 0;
}

/* Host CPU list "0-3,5" (or a plain number) into @set. */
static int parse_cpulist(struct lctx *c, const struct ynode *v,
			 struct cfg_cpuset *set)
{
	char q[TEXT_QUOTE_SIZE];
	const char *p;

	if (v->kind != YN_SCALAR || scalar_is_null(v)) {
		err_expected(c, v, "a host CPU list like \"0-3,5\"");
		return -EINVAL;
	}
	text_quote(q, v->scalar, v->len);
	p = v->scalar;
	/* Each round consumes at least one digit, so this loop ends. */
	for (;;) {
		uint64_t a, b;
		int r;

		while (*p == ' ')
			p++;
		r = (*p >= '0' && *p <= '9') ? scan_number(p, &a) : 0;
		if (r > 0 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			r = 0; /* decimal only */
		if (r <= 0)
			goto bad;
		p += r;
		b = a;
		while (*p == ' ')
			p++;
		if (*p == '-') {
			p++;
			while (*p == ' ')
				p++;
			r = (*p >= '0' && *p <= '9') ? scan_number(p, &b) : 0;
			if (r > 0 && p[0] == '0' &&
			    (p[1] == 'x' || p[1] == 'X'))
				r = 0;
			if (r <= 0)
				goto bad;
			p += r;
			while (*p == ' ')
				p++;
		}
		if (a >= CFG_MAX_HOST_CPUS || b >= CFG_MAX_HOST_CPUS) {
			lerr(c, v,
			     "host CPU %" PRIu64
			     " in '%s' is out of range (must be 0..%d)",
			     a >= CFG_MAX_HOST_CPUS ? a : b, q,
			     CFG_MAX_HOST_CPUS - 1);
			return -EINVAL;
		}
		if (a > b) {
			lerr(c, v,
			     "invalid range %" PRIu64 "-%" PRIu64
			     " in '%s' (first CPU after last)",
			     a, b, q);
			return -EINVAL;
		}
		for (; a <= b; a++)
			set->bits[a / 64] |= UINT64_C(1) << (a % 64);
		if (!*p)
			return 0;
		if (*p != ',')
			goto bad;
		p++;
	}
bad:
	lerr(c, v, "invalid host CPU list '%s' (expected a list like 0-3,5)",
	     q);
	return -EINVAL;
}

static int parse_pinning(struct lctx *c, const struct ynode *v, void *obj)
{
	struct cfg_cpu *cpu = obj;
	size_t i;
	int rc = 0;

	if (v->kind != YN_SEQ) {
		err_expected(c, v, "a list");
		return -EINVAL;
	}
	if (v->n > CFG_MAX_VCPUS) {
		lerr(c, v, "too many entries (%zu, at most %d)", v->n,
		     CFG_MAX_VCPUS);
		return -EINVAL;
	}
	if (!v->n)
		return 0;
	cpu->pinning = calloc(v->n, sizeof(*cpu->pinning));
	if (!cpu->pinning)
		return -ENOMEM;
	cpu->n_pinning = v->n;
	for (i = 0; i < v->n; i++) {
		size_t old = path_push_index(c, i);

		if (parse_cpulist(c, v->items[i], &cpu->pinning[i]))
			rc = -EINVAL;
		path_pop(c, old);
	}
	return rc;
}

static bool feature_is_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= 32 || !((s[i] >= 'a' && s[i] <= 'z') ||
				 (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
				 s[i] == '.' || s[i] == '-'))
			return false;
	return i > 0;
}

static int parse_features(struct lctx *c, const struct ynode *v, void *obj)
{
	struct cfg_cpu *cpu = obj;
	size_t i;
	int rc = 0;

	if (v->kind != YN_MAP) {
		err_expected(c, v,
			     "a mapping of feature names to true or false");
		return -EINVAL;
	}
	if (v->n > CFG_MAX_FEATURES) {
		lerr(c, v, "too many entries (%zu, at most %d)", v->n,
		     CFG_MAX_FEATURES);
		return -EINVAL;
	}
	if (!v->n)
		return 0;
	cpu->features = calloc(v->n, sizeof(*cpu->features));
	if (!cpu->features)
		return -ENOMEM;
	for (i = 0; i < v->n; i++) {
		const struct ynode_pair *pr = &v->pairs[i];
		struct cfg_feature *ft = &cpu->features[cpu->n_features];
		char q[TEXT_QUOTE_SIZE];
		size_t old;
		int r = 0;

		if (!feature_is_valid(pr->key)) {
			char path[YPATH_MAX + TEXT_QUOTE_SIZE + 2];

			text_quote(q, pr->key, strlen(pr->key));
			snprintf(path, sizeof(path), "%s.%s", c->path, q);
			lerr_at(c, pr->key_line, pr->key_col, path,
				"invalid feature name '%s' (expected [a-z0-9_.-]{1,32})",
				q);
			rc = -EINVAL;
			continue;
		}
		old = path_push_key(c, pr->key);
		r = get_bool(c, pr->value, &ft->enabled);
		path_pop(c, old);
		if (r) {
			rc = r;
			continue;
		}
		ft->name = strdup(pr->key);
		if (!ft->name)
			return -ENOMEM;
		cpu->n_features++;
	}
	return rc;
}

static int parse_distances(struct lctx *c, const struct ynode *v, void *obj)
{
	struct cfg_numa *numa = obj;
	size_t i, j;
	int rc = 0;

	if (v->kind != YN_SEQ) {
		err_expected(c, v, "a list of rows");
		return -EINVAL;
	}
	if (v->n > CFG_MAX_NUMA_NODES) {
		lerr(c, v, "too many rows (%zu, at most %d)", v->n,
		     CFG_MAX_NUMA_NODES);
		return -EINVAL;
	}
	if (!v->n)
		return 0;
	numa->rows = calloc(v->n, sizeof(*numa->rows));
	if (!numa->rows)
		return -ENOMEM;
	numa->n_rows = v->n;
	for (i = 0; i < v->n; i++) {
		const struct ynode *row = v->items[i];
		struct cfg_dist_row *r = &numa->rows[i];
		size_t old = path_push_index(c, i);

		if (row->kind != YN_SEQ) {
			err_expected(c, row, "a list of distances");
			rc = -EINVAL;
		} else if (row->n > CFG_MAX_NUMA_NODES) {
			lerr(c, row, "too many entries (%zu, at most %d)",
			     row->n, CFG_MAX_NUMA_NODES);
			rc = -EINVAL;
		} else if (row->n) {
			r->v = calloc(row->n, sizeof(*r->v));
			if (!r->v)
				return -ENOMEM;
			r->n = row->n;
		}
		for (j = 0; j < r->n; j++) {
			size_t old2 = path_push_index(c, j);
			uint64_t x;

			if (get_number(c, row->items[j], 10, 255, &x))
				rc = -EINVAL;
			else
				r->v[j] = (uint32_t)x;
			path_pop(c, old2);
		}
		path_pop(c, old);
	}
	return rc;
}

static int parse_buses(struct lctx *c, const struct ynode *v, void *obj)
{
	struct cfg_root_complex *rc = obj;
	uint64_t b[2];
	size_t i, old;
	int err = 0;

	if (v->kind != YN_SEQ || v->n != 2) {
		char buf[FOUND_SIZE];

		if (v->kind == YN_SEQ)
			lerr(c, v,
			     "expected a list of two bus numbers [first, last], found %zu entries",
			     v->n);
		else
			lerr(c, v,
			     "expected a list of two bus numbers [first, last], found %s",
			     found(v, buf));
		return -EINVAL;
	}
	for (i = 0; i < 2; i++) {
		old = path_push_index(c, i);
		if (get_number(c, v->items[i], 0, 255, &b[i]))
			err = -EINVAL;
		path_pop(c, old);
	}
	if (err)
		return err;
	if (b[0] > b[1]) {
		lerr(c, v, "first bus %" PRIu64 " is after last bus %" PRIu64,
		     b[0], b[1]);
		return -EINVAL;
	}
	rc->bus_start = (uint8_t)b[0];
	rc->bus_end = (uint8_t)b[1];
	return 0;
}

static int parse_ecam(struct lctx *c, const struct ynode *v, void *obj)
{
	struct cfg_root_complex *rc = obj;
	uint64_t x;

	if (v->kind == YN_SCALAR && v->plain && !strcmp(v->scalar, "auto")) {
		rc->has_ecam = false;
		return 0;
	}
	if (v->kind == YN_SCALAR && v->plain && v->scalar[0] >= '0' &&
	    v->scalar[0] <= '9') {
		if (get_number(c, v, 0, UINT64_MAX, &x))
			return -EINVAL;
		rc->has_ecam = true;
		rc->ecam = x;
		return 0;
	}
	err_expected(c, v, "auto or an address");
	return -EINVAL;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int parse_mac(struct lctx *c, const struct ynode *v, void *obj)
{
	struct cfg_device *d = obj;
	char q[TEXT_QUOTE_SIZE];
	const char *s;
	uint8_t mac[6];
	size_t i;

	if (get_string(c, v, "a mac address \"xx:xx:xx:xx:xx:xx\"", &s))
		return -EINVAL;
	text_quote(q, v->scalar, v->len);
	if (v->len != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		const char *p = s + i * 3;
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	if (mac[0] & 1) {
		lerr(c, v,
		     "'%s' is a multicast address (expected a unicast mac)", q);
		return -EINVAL;
	}
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])) {
		lerr(c, v, "'%s' is all zeros (expected a unicast mac)", q);
		return -EINVAL;
	}
	memcpy(d->mac, mac, sizeof(mac));
	return 0;
bad:
	lerr(c, v, "invalid mac address '%s' (expected xx:xx:xx:xx:xx:xx)", q);
	return -EINVAL;
}

static int parse_device(struct lctx *c, const struct ynode *item,
			struct cfg_device *d)
{
	const struct ynode *tn;
	unsigned int type;
	size_t old;
	int r;

	if (item->kind != YN_MAP) {
		err_expected(c, item, "a mapping");
		return -EINVAL;
	}
	tn = ynode_get(item, "type");
	if (!tn) {
		old = path_push_key(c, "type");
		lerr(c, item, "required");
		path_pop(c, old);
		return -EINVAL;
	}
	old = path_push_key(c, "type");
	r = get_enum(c, tn, &cfg_dev_type_enum, &type);
	path_pop(c, old);
	if (r)
		return r; /* the other keys depend on the type */
	table_init(cfg_device_tables[type], d, 0);
	return parse_map(c, item, cfg_device_tables[type], d);
}

static int parse_devices(struct lctx *c, const struct ynode *v, void *obj)
{
	struct vm_config *cfg = obj;
	bool console_given = false;
	size_t i;
	int rc = 0;

	if (v->kind != YN_SEQ) {
		err_expected(c, v, "a list");
		return -EINVAL;
	}
	if (v->n > CFG_MAX_DEVICES) {
		lerr(c, v, "too many entries (%zu, at most %d)", v->n,
		     CFG_MAX_DEVICES);
		return -EINVAL;
	}
	if (!v->n)
		return 0;
	cfg->devices = calloc(v->n, sizeof(*cfg->devices));
	if (!cfg->devices)
		return -ENOMEM;
	cfg->n_devices = v->n;
	for (i = 0; i < v->n; i++) {
		size_t old = path_push_index(c, i);
		int r = parse_device(c, v->items[i], &cfg->devices[i]);

		path_pop(c, old);
		if (r == -ENOMEM)
			return r;
		if (r)
			rc = r;
	}
	if (rc)
		return rc;
	/* The first serial device is the console unless one says otherwise. */
	for (i = 0; i < cfg->n_devices; i++)
		if (cfg->devices[i].type == DEV_SERIAL &&
		    ynode_get(v->items[i], "console"))
			console_given = true;
	for (i = 0; !console_given && i < cfg->n_devices; i++) {
		if (cfg->devices[i].type == DEV_SERIAL) {
			cfg->devices[i].console = true;
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Finishing hooks: defaults that depend on other fields               */

static int cpu_finish(struct lctx *c, const struct ynode *map, void *obj)
{
	struct cfg_cpu *cpu = obj;
	const struct ynode *topo = ynode_get(map, "topology");
	uint64_t st;

	if (!cpu->has_topology) {
		cpu->sockets = 1;
		cpu->cores = cpu->count;
		cpu->threads = 1;
		return 0;
	}
	/*
	 * A topology without cores takes the cores that make the product
	 * equal count; when that does not divide, 1, and the validator
	 * reports the mismatch.
	 */
	if (!ynode_get(topo, "cores")) {
		st = (uint64_t)cpu->sockets * cpu->threads;
		cpu->cores = st && cpu->count % st == 0 ?
				     (uint32_t)(cpu->count / st) :
				     1;
	}
	return 0;
}

static int boot_finish(struct lctx *c, const struct ynode *map, void *obj)
{
	struct cfg_boot *boot = obj;

	if (boot->kernel)
		boot->kind = BOOT_KERNEL;
	else if (boot->firmware)
		boot->kind = BOOT_FIRMWARE;
	else
		boot->kind = BOOT_IMAGE;
	if (!boot->has_entry)
		boot->entry = boot->load;
	return 0;
}

static void index_as_segment(void *obj, size_t index)
{
	struct cfg_root_complex *rc = obj;

	rc->segment = (uint16_t)index;
	rc->bus_start = 0;
	rc->bus_end = 255;
}

static void index_as_id(void *obj, size_t index)
{
	struct cfg_numa_node *n = obj;

	n->id = (uint32_t)index;
}

static void device_init(void *obj, size_t index)
{
	struct cfg_device *d = obj;

	d->transport = TRANSPORT_PCI;
	d->queues = 1;
	d->queue_size = 256;
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

#define MSIZE(T, m) (unsigned int)sizeof(((T *)0)->m)
#define HAS(T, m) .has = true, .has_off = offsetof(T, m)
#define REQUIRED .required = true

#define F_UINT(T, k, m, lo, hi, ...)                                        \
	{                                                                   \
		.key = (k), .kind = FK_UINT, .off = offsetof(T, m),         \
		.width = MSIZE(T, m), .min = (lo), .max = (hi), __VA_ARGS__ \
	}
#define F_SIZE(T, k, m, ...)                                        \
	{                                                           \
		.key = (k), .kind = FK_SIZE, .off = offsetof(T, m), \
		__VA_ARGS__                                         \
	}
#define F_BOOL(T, k, m, ...)                                        \
	{                                                           \
		.key = (k), .kind = FK_BOOL, .off = offsetof(T, m), \
		__VA_ARGS__                                         \
	}
#define F_STR(T, k, m, ...)                                                    \
	{                                                                      \
		.key = (k), .kind = FK_STR, .off = offsetof(T, m), __VA_ARGS__ \
	}
#define F_PATH(T, k, m, ...)                                        \
	{                                                           \
		.key = (k), .kind = FK_PATH, .off = offsetof(T, m), \
		__VA_ARGS__                                         \
	}
#define F_NAME(T, k, m, ...)                                        \
	{                                                           \
		.key = (k), .kind = FK_NAME, .off = offsetof(T, m), \
		__VA_ARGS__                                         \
	}
#define F_ENUM(T, k, m, e, ...)                                     \
	{                                                           \
		.key = (k), .kind = FK_ENUM, .off = offsetof(T, m), \
		.enums = (e), __VA_ARGS__                           \
	}
#define F_NUMS(T, k, m, nm, lo, hi, maxn, ...)                             \
	{                                                                  \
		.key = (k), .kind = FK_NUMS, .off = offsetof(T, m),        \
		.n_off = offsetof(T, nm), .width = MSIZE(T, m[0]),         \
		.min = (lo), .max = (hi), .max_items = (maxn), __VA_ARGS__ \
	}
/* A mapping whose keys are stored in the sub-object @m */
#define F_MAP(T, k, m, t, ...)                                                 \
	{                                                                      \
		.key = (k), .kind = FK_MAP, .off = offsetof(T, m), .sub = (t), \
		__VA_ARGS__                                                    \
	}
/* A mapping whose keys are stored in the same object */
#define F_GROUP(k, t, ...)                                                    \
	{                                                                     \
		.key = (k), .kind = FK_MAP, .off = 0, .sub = (t), __VA_ARGS__ \
	}
#define F_LIST(T, k, m, nm, t, maxn, ...)                                  \
	{                                                                  \
		.key = (k), .kind = FK_LIST, .off = offsetof(T, m),        \
		.n_off = offsetof(T, nm), .sub = (t), .max_items = (maxn), \
		__VA_ARGS__                                                \
	}
#define F_CUSTOM(k, fn, shp, ...)                                             \
	{                                                                     \
		.key = (k), .kind = FK_CUSTOM, .parse = (fn), .shape = (shp), \
		__VA_ARGS__                                                   \
	}

#define TABLE(T, name, f, ...)                                            \
	{                                                                 \
		.what = (name), .fields = (f), .n_fields = ARRAY_SIZE(f), \
		.size = sizeof(T), __VA_ARGS__                            \
	}

#define NODE_MAX (CFG_MAX_NUMA_NODES - 1)

/* cpu */

static const struct field topology_fields[] = {
	F_UINT(struct cfg_cpu, "sockets", sockets, 1, CFG_MAX_VCPUS, .def = 1),
	F_UINT(struct cfg_cpu, "cores", cores, 1, CFG_MAX_VCPUS, .def = 1),
	F_UINT(struct cfg_cpu, "threads", threads, 1, CFG_MAX_VCPUS, .def = 1),
};
static const struct ftable topology_table =
	TABLE(struct cfg_cpu, "cpu.topology", topology_fields);

static const struct field cpu_x86_fields[] = {
	F_ENUM(struct cfg_cpu, "x2apic", x2apic, &cfg_x2apic_enum,
	       .def = X2APIC_AUTO),
	F_UINT(struct cfg_cpu, "apic_id_offset", apic_id_offset, 0, UINT32_MAX),
};
static const struct ftable cpu_x86_table =
	TABLE(struct cfg_cpu, "cpu.x86", cpu_x86_fields);

static const struct field cpu_arm_fields[] = {
	F_NUMS(struct cfg_cpu, "mpidr", mpidr, n_mpidr, 0, UINT64_MAX,
	       CFG_MAX_VCPUS),
};
static const struct ftable cpu_arm_table =
	TABLE(struct cfg_cpu, "cpu.aarch64", cpu_arm_fields);

static const struct field cpu_fields[] = {
	F_UINT(struct cfg_cpu, "count", count, 1, CFG_MAX_VCPUS, REQUIRED),
	F_GROUP("topology", &topology_table, HAS(struct cfg_cpu, has_topology)),
	F_CUSTOM("pinning", parse_pinning, SHAPE_CPUSETS),
	F_CUSTOM("features", parse_features, SHAPE_FEATURES),
	F_GROUP("x86", &cpu_x86_table, HAS(struct cfg_cpu, has_x86)),
	F_GROUP("aarch64", &cpu_arm_table, HAS(struct cfg_cpu, has_aarch64)),
};
static const struct ftable cpu_table =
	TABLE(struct cfg_cpu, "cpu", cpu_fields, .finish = cpu_finish);

/* memory */

static const struct field range_fields[] = {
	F_UINT(struct cfg_mem_range, "gpa", gpa, 0, UINT64_MAX, REQUIRED),
	F_SIZE(struct cfg_mem_range, "size", size, REQUIRED),
	F_ENUM(struct cfg_mem_range, "type", type, &cfg_range_type_enum,
	       .def = RANGE_RAM),
	F_UINT(struct cfg_mem_range, "node", node, 0, NODE_MAX,
	       .def = (uint64_t)-1),
};
static const struct ftable range_table =
	TABLE(struct cfg_mem_range, "memory.ranges[]", range_fields);

static const struct field backing_fields[] = {
	F_ENUM(struct cfg_backing, "kind", kind, &cfg_backing_kind_enum,
	       .def = BACKING_ANONYMOUS),
	F_PATH(struct cfg_backing, "path", path),
	F_BOOL(struct cfg_backing, "shared", shared),
	F_ENUM(struct cfg_backing, "hugepages", hugepages, &cfg_hugepages_enum,
	       .def = HUGEPAGES_NONE),
	F_BOOL(struct cfg_backing, "prefault", prefault),
	F_BOOL(struct cfg_backing, "thp", thp, .def = true),
};
static const struct ftable backing_table =
	TABLE(struct cfg_backing, "memory.backing", backing_fields);

static const char *const memory_one_of[] = { "size", "ranges" };

static const struct field memory_fields[] = {
	F_SIZE(struct cfg_memory, "size", size,
	       HAS(struct cfg_memory, has_size)),
	F_LIST(struct cfg_memory, "ranges", ranges, n_ranges, &range_table,
	       CFG_MAX_RANGES, .min_items = 1),
	F_MAP(struct cfg_memory, "backing", backing, &backing_table),
};
static const struct ftable memory_table =
	TABLE(struct cfg_memory, "memory", memory_fields,
	      .one_of = memory_one_of, .n_one_of = ARRAY_SIZE(memory_one_of));

/* numa */

static const struct field numa_node_fields[] = {
	F_UINT(struct cfg_numa_node, "id", id, 0, NODE_MAX),
	F_NUMS(struct cfg_numa_node, "cpus", cpus, n_cpus, 0, CFG_MAX_VCPUS - 1,
	       CFG_MAX_VCPUS, HAS(struct cfg_numa_node, has_cpus)),
	F_SIZE(struct cfg_numa_node, "memory", memory,
	       HAS(struct cfg_numa_node, has_memory)),
	F_UINT(struct cfg_numa_node, "host_node", host_node, 0,
	       CFG_MAX_HOST_NODES - 1, .def = (uint64_t)-1),
};
static const struct ftable numa_node_table =
	TABLE(struct cfg_numa_node, "numa.nodes[]", numa_node_fields,
	      .init = index_as_id);

static const struct field numa_fields[] = {
	F_LIST(struct cfg_numa, "nodes", nodes, n_nodes, &numa_node_table,
	       CFG_MAX_NUMA_NODES),
	F_CUSTOM("distances", parse_distances, SHAPE_DISTANCES),
};
static const struct ftable numa_table =
	TABLE(struct cfg_numa, "numa", numa_fields);

/* interrupts */

static const struct field ioapic_fields[] = {
	F_UINT(struct cfg_ioapic, "base", base, 0, UINT64_MAX,
	       .def = 0xfec00000),
	F_UINT(struct cfg_ioapic, "pins", pins, 16, 120, .def = 24),
};
static const struct ftable ioapic_table =
	TABLE(struct cfg_ioapic, "interrupts.x86.ioapic", ioapic_fields);

static const struct field irq_x86_fields[] = {
	F_UINT(struct cfg_interrupts, "lapic", lapic, 0, UINT64_MAX,
	       .def = 0xfee00000),
	F_MAP(struct cfg_interrupts, "ioapic", ioapic, &ioapic_table),
};
static const struct ftable irq_x86_table =
	TABLE(struct cfg_interrupts, "interrupts.x86", irq_x86_fields);

static const struct field gic_fields[] = {
	F_UINT(struct cfg_gic, "version", version, 2, 3, .def = 3),
	F_UINT(struct cfg_gic, "distributor", distributor, 0, UINT64_MAX,
	       .def = 0x08000000),
	F_UINT(struct cfg_gic, "redistributors", redistributors, 0, UINT64_MAX,
	       .def = 0x080a0000, HAS(struct cfg_gic, has_redistributors)),
	F_UINT(struct cfg_gic, "cpu_interface", cpu_interface, 0, UINT64_MAX,
	       .def = 0x08010000, HAS(struct cfg_gic, has_cpu_interface)),
	F_UINT(struct cfg_gic, "its", its, 0, UINT64_MAX,
	       HAS(struct cfg_gic, has_its)),
	F_UINT(struct cfg_gic, "v2m", v2m, 0, UINT64_MAX,
	       HAS(struct cfg_gic, has_v2m)),
	F_UINT(struct cfg_gic, "nr_irqs", nr_irqs, 64, 992, .def = 256),
};
static const struct ftable gic_table =
	TABLE(struct cfg_gic, "interrupts.gic", gic_fields);

static const struct field irq_fields[] = {
	F_GROUP("x86", &irq_x86_table, HAS(struct cfg_interrupts, has_x86)),
	F_MAP(struct cfg_interrupts, "gic", gic, &gic_table,
	      HAS(struct cfg_interrupts, has_gic)),
};
static const struct ftable irq_table =
	TABLE(struct cfg_interrupts, "interrupts", irq_fields);

/* pcie */

static const struct field port_fields[] = {
	F_NAME(struct cfg_port, "name", name, REQUIRED),
	F_UINT(struct cfg_port, "devfn", devfn, 0, 255,
	       HAS(struct cfg_port, has_devfn)),
	F_BOOL(struct cfg_port, "hotplug", hotplug),
};
static const struct ftable port_table =
	TABLE(struct cfg_port, "ports[]", port_fields);

static const struct field win32_fields[] = {
	F_UINT(struct cfg_window, "base", base, 0, UINT64_MAX,
	       HAS(struct cfg_window, has_base)),
	F_SIZE(struct cfg_window, "size", size, .def = 64 * MiB),
};
static const struct ftable win32_table =
	TABLE(struct cfg_window, "mmio32", win32_fields);

static const struct field win64_fields[] = {
	F_UINT(struct cfg_window, "base", base, 0, UINT64_MAX,
	       HAS(struct cfg_window, has_base)),
	F_SIZE(struct cfg_window, "size", size, .def = 4 * GiB),
};
static const struct ftable win64_table =
	TABLE(struct cfg_window, "mmio64", win64_fields);

static const struct field rc_fields[] = {
	F_NAME(struct cfg_root_complex, "name", name, REQUIRED),
	F_UINT(struct cfg_root_complex, "segment", segment, 0, 0xffff),
	F_CUSTOM("buses", parse_buses, SHAPE_BUSES),
	F_CUSTOM("ecam", parse_ecam, SHAPE_ECAM),
	F_MAP(struct cfg_root_complex, "mmio32", mmio32, &win32_table),
	F_MAP(struct cfg_root_complex, "mmio64", mmio64, &win64_table),
	F_UINT(struct cfg_root_complex, "node", node, 0, NODE_MAX,
	       .def = (uint64_t)-1),
	F_LIST(struct cfg_root_complex, "ports", ports, n_ports, &port_table,
	       CFG_MAX_PORTS),
};
static const struct ftable rc_table = TABLE(struct cfg_root_complex,
					    "pcie.root_complexes[]", rc_fields,
					    .init = index_as_segment);

static const struct field switch_fields[] = {
	F_NAME(struct cfg_switch, "name", name, REQUIRED),
	F_NAME(struct cfg_switch, "parent_port", parent_port, REQUIRED),
	F_LIST(struct cfg_switch, "ports", ports, n_ports, &port_table,
	       CFG_MAX_PORTS, REQUIRED),
};
static const struct ftable switch_table =
	TABLE(struct cfg_switch, "pcie.switches[]", switch_fields);

static const struct field pcie_fields[] = {
	F_LIST(struct cfg_pcie, "root_complexes", rcs, n_rcs, &rc_table,
	       CFG_MAX_RCS),
	F_LIST(struct cfg_pcie, "switches", switches, n_switches, &switch_table,
	       CFG_MAX_SWITCHES),
};
static const struct ftable pcie_table =
	TABLE(struct cfg_pcie, "pcie", pcie_fields);

/* devices: one table per type; type and name come first in each */

#define DEV_TYPE \
	F_ENUM(struct cfg_device, "type", type, &cfg_dev_type_enum, REQUIRED)
#define DEV_NAME F_NAME(struct cfg_device, "name", name, REQUIRED)
#define DEV_TRANSPORT                                                          \
	F_ENUM(struct cfg_device, "transport", transport, &cfg_transport_enum, \
	       .def = TRANSPORT_PCI)
#define DEV_PORT F_NAME(struct cfg_device, "port", port)
#define DEV_QUEUES \
	F_UINT(struct cfg_device, "queues", queues, 1, CFG_MAX_QUEUES, .def = 1)
#define DEV_QUEUE_SIZE                                                \
	F_UINT(struct cfg_device, "queue_size", queue_size, 2, 32768, \
	       .def = 256)

static const struct field serial_fields[] = {
	DEV_TYPE,
	DEV_NAME,
	F_UINT(struct cfg_device, "port", io_port, 0, 0xffff,
	       HAS(struct cfg_device, has_io_port)),
	F_UINT(struct cfg_device, "address", address, 0, UINT64_MAX,
	       HAS(struct cfg_device, has_address)),
	F_UINT(struct cfg_device, "irq", irq, 0, 1019,
	       HAS(struct cfg_device, has_irq)),
	F_BOOL(struct cfg_device, "console", console),
};

static const struct field blk_fields[] = {
	DEV_TYPE,
	DEV_NAME,
	F_PATH(struct cfg_device, "path", path, REQUIRED),
	F_BOOL(struct cfg_device, "readonly", readonly),
	F_STR(struct cfg_device, "serial", serial, .max_len = CFG_SERIAL_MAX),
	DEV_QUEUES,
	DEV_QUEUE_SIZE,
	DEV_TRANSPORT,
	DEV_PORT,
};

static const struct field net_fields[] = {
	DEV_TYPE,
	DEV_NAME,
	F_STR(struct cfg_device, "tap", tap, REQUIRED, .max_len = CFG_TAP_MAX),
	F_CUSTOM("mac", parse_mac, SHAPE_MAC, HAS(struct cfg_device, has_mac)),
	F_UINT(struct cfg_device, "mtu", mtu, 68, 65535,
	       HAS(struct cfg_device, has_mtu)),
	DEV_QUEUES,
	DEV_QUEUE_SIZE,
	DEV_TRANSPORT,
	DEV_PORT,
};

static const struct field console_fields[] = {
	DEV_TYPE, DEV_NAME, DEV_QUEUE_SIZE, DEV_TRANSPORT, DEV_PORT,
};

static const struct field rng_fields[] = {
	DEV_TYPE,
	DEV_NAME,
	DEV_TRANSPORT,
	DEV_PORT,
};

static const struct field shm_fields[] = {
	DEV_TYPE,
	DEV_NAME,
	F_SIZE(struct cfg_device, "size", size, REQUIRED),
	F_PATH(struct cfg_device, "path", shm_path),
	DEV_PORT,
};

static const struct ftable serial_table =
	TABLE(struct cfg_device, "serial", serial_fields, .init = device_init);
static const struct ftable blk_table =
	TABLE(struct cfg_device, "virtio-blk", blk_fields, .init = device_init);
static const struct ftable net_table =
	TABLE(struct cfg_device, "virtio-net", net_fields, .init = device_init);
static const struct ftable console_table =
	TABLE(struct cfg_device, "virtio-console", console_fields,
	      .init = device_init);
static const struct ftable rng_table =
	TABLE(struct cfg_device, "virtio-rng", rng_fields, .init = device_init);
static const struct ftable shm_table = TABLE(struct cfg_device, "shared-memory",
					     shm_fields, .init = device_init);

const struct ftable *const cfg_device_tables[DEV_TYPE_COUNT] = {
	[DEV_SERIAL] = &serial_table,  [DEV_VIRTIO_BLK] = &blk_table,
	[DEV_VIRTIO_NET] = &net_table, [DEV_VIRTIO_CONSOLE] = &console_table,
	[DEV_VIRTIO_RNG] = &rng_table, [DEV_SHARED_MEMORY] = &shm_table,
};

/* boot */

static const struct field image_fields[] = {
	F_PATH(struct cfg_boot, "path", image, REQUIRED),
	F_UINT(struct cfg_boot, "load", load, 0, UINT64_MAX, .def = 0x100000,
	       HAS(struct cfg_boot, has_load)),
	F_UINT(struct cfg_boot, "entry", entry, 0, UINT64_MAX,
	       HAS(struct cfg_boot, has_entry)),
};
static const struct ftable image_table =
	TABLE(struct cfg_boot, "boot.image", image_fields);

static const char *const boot_one_of[] = { "kernel", "firmware", "image" };

static const struct field boot_fields[] = {
	F_PATH(struct cfg_boot, "kernel", kernel),
	F_PATH(struct cfg_boot, "initrd", initrd, .needs = "kernel"),
	F_STR(struct cfg_boot, "cmdline", cmdline, .max_len = CFG_CMDLINE_MAX,
	      .needs = "kernel"),
	F_PATH(struct cfg_boot, "firmware", firmware),
	F_GROUP("image", &image_table),
};
static const struct ftable boot_table =
	TABLE(struct cfg_boot, "boot", boot_fields, .one_of = boot_one_of,
	      .n_one_of = ARRAY_SIZE(boot_one_of), .finish = boot_finish);

/* the file */

static const struct field root_fields[] = {
	F_NAME(struct vm_config, "name", name, REQUIRED),
	F_CUSTOM("uuid", parse_uuid, SHAPE_UUID),
	F_ENUM(struct vm_config, "arch", arch, &cfg_arch_enum,
	       .def = ARCH_X86_64),
	F_CUSTOM("owner", parse_owner, SHAPE_OWNER),
	F_BOOL(struct vm_config, "autostart", autostart),
	F_ENUM(struct vm_config, "on_reboot", on_reboot, &cfg_action_enum,
	       .def = ACTION_RESTART),
	F_ENUM(struct vm_config, "on_crash", on_crash, &cfg_action_enum,
	       .def = ACTION_STOP),
	F_MAP(struct vm_config, "cpu", cpu, &cpu_table, REQUIRED),
	F_MAP(struct vm_config, "memory", memory, &memory_table, REQUIRED),
	F_MAP(struct vm_config, "numa", numa, &numa_table),
	F_MAP(struct vm_config, "interrupts", irq, &irq_table),
	F_MAP(struct vm_config, "pcie", pcie, &pcie_table),
	F_CUSTOM("devices", parse_devices, SHAPE_DEVICES),
	F_MAP(struct vm_config, "boot", boot, &boot_table, REQUIRED),
};
const struct ftable cfg_root_table = TABLE(struct vm_config, "", root_fields);

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

static void free_ports(struct cfg_port *ports, size_t n)
{
	size_t i;

	for (i = 0; ports && i < n; i++)
		free(ports[i].name);
	free(ports);
}

void cfg_free(struct vm_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->file);
	free(cfg->dir);
	ynode_free(cfg->root);
	free(cfg->name);
	free(cfg->owner_user);
	free(cfg->owner_group);

	free(cfg->cpu.pinning);
	for (i = 0; i < cfg->cpu.n_features; i++)
		free(cfg->cpu.features[i].name);
	free(cfg->cpu.features);
	free(cfg->cpu.mpidr);

	free(cfg->memory.ranges);
	free(cfg->memory.backing.path);

	for (i = 0; i < cfg->numa.n_nodes; i++)
		free(cfg->numa.nodes[i].cpus);
	free(cfg->numa.nodes);
	for (i = 0; i < cfg->numa.n_rows; i++)
		free(cfg->numa.rows[i].v);
	free(cfg->numa.rows);

	for (i = 0; i < cfg->pcie.n_rcs; i++) {
		free(cfg->pcie.rcs[i].name);
		free_ports(cfg->pcie.rcs[i].ports, cfg->pcie.rcs[i].n_ports);
	}
	free(cfg->pcie.rcs);
	for (i = 0; i < cfg->pcie.n_switches; i++) {
		free(cfg->pcie.switches[i].name);
		free(cfg->pcie.switches[i].parent_port);
		free_ports(cfg->pcie.switches[i].ports,
			   cfg->pcie.switches[i].n_ports);
	}
	free(cfg->pcie.switches);

	for (i = 0; i < cfg->n_devices; i++) {
		struct cfg_device *d = &cfg->devices[i];

		free(d->name);
		free(d->port);
		free(d->path);
		free(d->serial);
		free(d->tap);
		free(d->shm_path);
	}
	free(cfg->devices);

	free(cfg->boot.kernel);
	free(cfg->boot.initrd);
	free(cfg->boot.cmdline);
	free(cfg->boot.firmware);
	free(cfg->boot.image);
	free(cfg);
}

/* Absolute directory of @name: its directory part, made absolute. */
static char *dir_of(const char *name)
{
	const char *slash = name ? strrchr(name, '/') : NULL;
	char cwd[PATH_MAX], *out;

	if (slash && name[0] == '/')
		return strndup(name,
			       slash == name ? 1 : (size_t)(slash - name));
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	if (!slash || (slash == name + 1 && name[0] == '.'))
		return strdup(cwd);
	if (asprintf(&out, "%s%s%.*s", cwd, strcmp(cwd, "/") ? "/" : "",
		     (int)(slash - name), name) < 0)
		return NULL;
	return out;
}

int cfg_load_buffer(const char *name, const char *buf, size_t len,
		    struct vm_config **out, struct diag_list *dl)
{
	struct vm_config *cfg;
	struct lctx c = { 0 };
	int rc;

	*out = NULL;
	if (!name)
		name = "<buffer>";
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	cfg->file = strdup(name);
	cfg->dir = dir_of(name);
	if (!cfg->file || !cfg->dir) {
		rc = -ENOMEM;
		goto err_free;
	}
	rc = ynode_parse(name, buf, len, &cfg->root, dl);
	if (rc)
		goto err_free;

	c = (struct lctx){ .file = cfg->file, .dir = cfg->dir, .dl = dl };
	table_init(&cfg_root_table, cfg, 0);
	if (!cfg->root) {
		lerr_at(&c, 1, 1, NULL,
			"expected a mapping, found an empty document");
		rc = -EINVAL;
		goto err_free;
	}
	rc = parse_map(&c, cfg->root, &cfg_root_table, cfg);
	if (rc == -ENOMEM)
		goto err_free;
	if (rc || c.errors) {
		rc = -EINVAL;
		goto err_free;
	}
	if (!cfg->has_uuid)
		uuid_generate(cfg->uuid);
	*out = cfg;
	return 0;

err_free:
	cfg_free(cfg);
	return rc;
}

int cfg_load_file(const char *path, struct vm_config **out,
		  struct diag_list *dl)
{
	struct stat st;
	size_t len = 0, cap = 64 * 1024;
	char *buf = NULL;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		diag_add(dl, path, 0, 0, NULL, "cannot open: %s",
			 strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		diag_add(dl, path, 0, 0, NULL, "cannot read: %s",
			 strerror(-rc));
		goto out_close;
	}
	if (S_ISREG(st.st_mode) && st.st_size > (off_t)YNODE_MAX_FILE) {
		diag_add(dl, path, 0, 0, NULL,
			 "file too large (%lld bytes, at most %u)",
			 (long long)st.st_size, YNODE_MAX_FILE);
		rc = -EINVAL;
		goto out_close;
	}
	/* Reads at most YNODE_MAX_FILE + 1 bytes, whatever the file is. */
	for (;;) {
		ssize_t r;

		if (len == cap || !buf) {
			char *nb;

			if (buf)
				cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				rc = -ENOMEM;
				goto out_free;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			diag_add(dl, path, 0, 0, NULL, "cannot read: %s",
				 strerror(-rc));
			goto out_free;
		}
		if (!r)
			break;
		len += (size_t)r;
		if (len > YNODE_MAX_FILE) {
			diag_add(dl, path, 0, 0, NULL,
				 "file too large (more than %u bytes)",
				 YNODE_MAX_FILE);
			rc = -EINVAL;
			goto out_free;
		}
	}
	buf[len] = '\0';
	rc = cfg_load_buffer(path, buf, len, out, dl);
out_free:
	free(buf);
out_close:
	close(fd);
	return rc;
}
