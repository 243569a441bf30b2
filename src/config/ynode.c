/* YAML node tree with source positions, built from libyaml events. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/text.h"
#include "config/ynode.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

/* One open collection while the tree is built. */
struct frame {
	struct ynode *node;
	bool want_value; /* map: a key was read, its value comes next */
	bool discard_value; /* map: the key was rejected; drop its value */
	char *key;
	int key_line, key_col;
};

struct builder {
	const char *file;
	const char *buf;
	size_t len;
	struct diag_list *dl;
	struct frame stack[YNODE_MAX_DEPTH];
	size_t depth;
	struct ynode *root;
	bool have_root;
	size_t nodes;
	int errors;
	bool nomem;
};

static void berr_at(struct builder *b, int line, int col, const char *fmt, ...)
	__printf(4, 5);

static void berr_at(struct builder *b, int line, int col, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	b->errors++;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0) {
		va_end(ap);
		b->dl->oom = 1;
		return;
	}
	va_end(ap);
	diag_add(b->dl, b->file, line, col, NULL, "%s", msg);
	free(msg);
}

/* Error at a libyaml mark (0-based) */
#define berr(b, m, ...) \
	berr_at(b, (int)(m)->line + 1, (int)(m)->column + 1, __VA_ARGS__)

void ynode_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	/* Depth is bounded by YNODE_MAX_DEPTH, so recursion is bounded. */
	switch (n->kind) {
	case YN_SCALAR:
		free(n->scalar);
		break;
	case YN_MAP:
		for (i = 0; i < n->n; i++) {
			free(n->pairs[i].key);
			ynode_free(n->pairs[i].value);
		}
		free(n->pairs);
		break;
	case YN_SEQ:
		for (i = 0; i < n->n; i++)
			ynode_free(n->items[i]);
		free(n->items);
		break;
	}
	free(n);
}

/* Short form of a tag for messages: "!!foo" for the core schema prefix. */
static const char *tag_short(const char *tag, char *buf)
{
	size_t plen = strlen(TAG_PREFIX);

	if (!strncmp(tag, TAG_PREFIX, plen)) {
		char tmp[TEXT_QUOTE_SIZE];

		text_quote(tmp, tag + plen, strlen(tag + plen));
		snprintf(buf, TEXT_QUOTE_SIZE + 2, "!!%s", tmp);
		return buf;
	}
	return text_quote(buf, tag, strlen(tag));
}

/* Accepts no tag or one of the core tags that fits the node kind. */
static void check_tag(struct builder *b, const yaml_char_t *utag,
		      enum ynode_kind kind, const yaml_mark_t *m)
{
	static const char *const scalar_tags[] = { "str", "int", "bool" };
	const char *tag = (const char *)utag;
	size_t plen = strlen(TAG_PREFIX);
	char buf[TEXT_QUOTE_SIZE + 2];
	size_t i;

	if (!tag)
		return;
	if (!strncmp(tag, TAG_PREFIX, plen)) {
		const char *t = tag + plen;

		if (kind == YN_MAP && !strcmp(t, "map"))
			return;
		if (kind == YN_SEQ && !strcmp(t, "seq"))
			return;
		for (i = 0; kind == YN_SCALAR && i < ARRAY_SIZE(scalar_tags);
		     i++)
			if (!strcmp(t, scalar_tags[i]))
				return;
	}
	berr(b, m,
	     "unsupported tag '%s' (expected no tag, or one of !!str, !!int, !!bool on a scalar, !!map on a mapping, !!seq on a list)",
	     tag_short(tag, buf));
}

static bool count_node(struct builder *b, const yaml_mark_t *m)
{
	if (++b->nodes > YNODE_MAX_NODES) {
		berr(b, m, "too many YAML nodes (more than %d)",
		     YNODE_MAX_NODES);
		return false;
	}
	return true;
}

static struct ynode *node_new(struct builder *b, enum ynode_kind kind,
			      const yaml_mark_t *m)
{
	struct ynode *n = calloc(1, sizeof(*n));

	if (!n) {
		b->nomem = true;
		return NULL;
	}
	n->kind = kind;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

/* Grows *arr (of @elem bytes each) so that index @n fits. */
static int grow(void **arr, size_t n, size_t elem)
{
	size_t cap;
	void *p;

	/* Capacity is kept at powers of two: grow when n hits one. */
	if (n && (n & (n - 1)))
		return 0;
	cap = n ? n * 2 : 4;
	p = realloc(*arr, cap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

/*
 * Hands a finished node (or NULL: a rejected one) to the open collection
 * on top of the stack, or makes it the document root. A scalar that
 * arrives where a key is expected is a key (@key_scalar); anything else in
 * key position is an error.
 */
static void attach(struct builder *b, struct ynode *n)
{
	struct frame *f;
	struct ynode *p;

	if (!b->depth) {
		b->root = n;
		b->have_root = true;
		return;
	}
	f = &b->stack[b->depth - 1];
	p = f->node;
	if (p->kind == YN_SEQ) {
		if (!n)
			return;
		if (grow((void **)&p->items, p->n, sizeof(*p->items))) {
			ynode_free(n);
			b->nomem = true;
			return;
		}
		p->items[p->n++] = n;
		return;
	}
	if (!f->want_value) {
		/* Key position. */
		f->want_value = true;
		f->discard_value = true;
		if (!n)
			return;
		if (n->kind != YN_SCALAR) {
			berr_at(b, n->line, n->col,
				"mapping keys must be scalars, found a %s",
				n->kind == YN_MAP ? "mapping" : "list");
			ynode_free(n);
			return;
		}
		f->key = n->scalar;
		f->key_line = n->line;
		f->key_col = n->col;
		f->discard_value = false;
		n->scalar = NULL;
		ynode_free(n);
		return;
	}
	/* Value position. */
	f->want_value = false;
	if (f->discard_value || !n) {
		free(f->key);
		f->key = NULL;
		ynode_free(n);
		return;
	}
	if (grow((void **)&p->pairs, p->n, sizeof(*p->pairs))) {
		free(f->key);
		f->key = NULL;
		ynode_free(n);
		b->nomem = true;
		return;
	}
	p->pairs[p->n++] = (struct ynode_pair){
		.key = f->key,
		.key_line = f->key_line,
		.key_col = f->key_col,
		.value = n,
	};
	f->key = NULL;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct ynode_pair *pa = *(const struct ynode_pair *const *)a;
	const struct ynode_pair *pb = *(const struct ynode_pair *const *)b;
	int c = strcmp(pa->key, pb->key);

	if (c)
		return c;
	/* Pairs are in file order in the array: compare their addresses. */
	return pa < pb ? -1 : pa > pb;
}

/*
 * Reports every key that appears twice in @map (at the later occurrence,
 * naming the first) and drops the later pairs. Sorting an index keeps
 * this O(n log n) on large maps.
 */
static void check_duplicates(struct builder *b, struct ynode *map)
{
	struct ynode_pair **idx;
	bool *drop;
	size_t i, j, o;

	if (map->n < 2)
		return;
	idx = calloc(map->n, sizeof(*idx));
	drop = calloc(map->n, sizeof(*drop));
	if (!idx || !drop) {
		free(idx);
		free(drop);
		b->nomem = true;
		return;
	}
	for (i = 0; i < map->n; i++)
		idx[i] = &map->pairs[i];
	qsort(idx, map->n, sizeof(*idx), pair_cmp);
	for (i = 0; i < map->n; i = j) {
		for (j = i + 1; j < map->n && !strcmp(idx[i]->key, idx[j]->key);
		     j++) {
			char q[TEXT_QUOTE_SIZE];

			berr_at(b, idx[j]->key_line, idx[j]->key_col,
				"duplicate key '%s' (first at %d:%d)",
				text_quote(q, idx[j]->key, strlen(idx[j]->key)),
				idx[i]->key_line, idx[i]->key_col);
			drop[idx[j] - map->pairs] = true;
		}
	}
	for (i = 0, o = 0; i < map->n; i++) {
		if (drop[i]) {
			free(map->pairs[i].key);
			ynode_free(map->pairs[i].value);
			continue;
		}
		map->pairs[o++] = map->pairs[i];
	}
	map->n = o;
	free(idx);
	free(drop);
}

static void on_scalar(struct builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	struct ynode *n;

	check_tag(b, ev->data.scalar.tag, YN_SCALAR, m);
	if (memchr(v, '\0', len)) {
		berr(b, m, "NUL byte in a scalar (not allowed)");
		attach(b, NULL);
		return;
	}
	n = node_new(b, YN_SCALAR, m);
	if (!n)
		return;
	n->scalar = malloc(len + 1);
	if (!n->scalar) {
		free(n);
		b->nomem = true;
		return;
	}
	memcpy(n->scalar, v, len);
	n->scalar[len] = '\0';
	n->len = len;
	/* An explicit !!str makes a plain scalar a string. */
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		   !(tag && !strcmp(tag, TAG_PREFIX "str"));
	attach(b, n);
}

static bool on_start(struct builder *b, const yaml_event_t *ev,
		     enum ynode_kind kind)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct ynode *n;

	if (b->depth >= YNODE_MAX_DEPTH) {
		berr(b, m, "nesting too deep (more than %d levels)",
		     YNODE_MAX_DEPTH);
		return false;
	}
	check_tag(b,
		  kind == YN_MAP ? ev->data.mapping_start.tag :
				   ev->data.sequence_start.tag,
		  kind, m);
	n = node_new(b, kind, m);
	if (!n)
		return false;
	b->stack[b->depth++] = (struct frame){ .node = n };
	return true;
}

static void on_end(struct builder *b)
{
	struct frame *f;
	struct ynode *n;

	if (!b->depth)
		return; /* libyaml guarantees balance; be safe anyway */
	f = &b->stack[--b->depth];
	n = f->node;
	free(f->key); /* only set if the parser ended a map mid-pair */
	*f = (struct frame){ 0 };
	if (n->kind == YN_MAP)
		check_duplicates(b, n);
	attach(b, n);
}

/* Reports a libyaml error; reader errors carry a byte offset, not a mark. */
static void parser_error(struct builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	yaml_mark_t m = p->problem_mark;
	const char *hint = "";

	if (p->error == YAML_MEMORY_ERROR) {
		b->nomem = true;
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		size_t i, off = p->problem_offset;

		m = (yaml_mark_t){ 0 };
		for (i = 0; i < off && i < b->len; i++) {
			if (b->buf[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)b->buf[i] & 0xc0) != 0x80) {
				m.column++;
			}
		}
		if (p->problem_value != -1)
			berr(b, &m, "invalid input: %s (byte 0x%02x)", problem,
			     (unsigned int)p->problem_value & 0xff);
		else
			berr(b, &m, "invalid input: %s", problem);
		return;
	}
	if (m.index < b->len && b->buf[m.index] == '\t')
		hint = " (tabs are not allowed in indentation)";
	if (p->context && (p->context_mark.line != m.line ||
			   p->context_mark.column != m.column))
		berr(b, &m, "syntax error: %s %s (started at %zu:%zu)%s",
		     problem, p->context, p->context_mark.line + 1,
		     p->context_mark.column + 1, hint);
	else if (p->context)
		berr(b, &m, "syntax error: %s %s%s", problem, p->context, hint);
	else
		berr(b, &m, "syntax error: %s%s", problem, hint);
}

static void builder_cleanup(struct builder *b)
{
	while (b->depth) {
		struct frame *f = &b->stack[--b->depth];

		free(f->key);
		ynode_free(f->node);
	}
	ynode_free(b->root);
	b->root = NULL;
}

int ynode_parse(const char *file, const char *buf, size_t len,
		struct ynode **out, struct diag_list *dl)
{
	struct builder b = {
		.file = file,
		.dl = dl,
	};
	yaml_parser_t parser;
	unsigned int docs = 0;
	bool done = false;

	*out = NULL;
	if (!buf) {
		buf = "";
		len = 0;
	}
	b.buf = buf;
	b.len = len;
	if (len > YNODE_MAX_FILE) {
		diag_add(dl, file, 0, 0, NULL,
			 "file too large (%zu bytes, at most %u)", len,
			 YNODE_MAX_FILE);
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	/* Every event advances the input, so this loop ends. */
	while (!done && !b.nomem) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			parser_error(&b, &parser);
			break;
		}
		if (ev.type != YAML_STREAM_START_EVENT &&
		    ev.type != YAML_STREAM_END_EVENT &&
		    ev.type != YAML_DOCUMENT_START_EVENT &&
		    ev.type != YAML_DOCUMENT_END_EVENT &&
		    !count_node(&b, &ev.start_mark)) {
			yaml_event_delete(&ev);
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				berr(&b, &ev.start_mark,
				     "more than one YAML document (expected exactly one)");
				done = true;
			}
			break;
		case YAML_SCALAR_EVENT:
			on_scalar(&b, &ev);
			break;
		case YAML_ALIAS_EVENT:
			berr(&b, &ev.start_mark,
			     "YAML aliases are not supported");
			attach(&b, NULL);
			break;
		case YAML_MAPPING_START_EVENT:
			done = !on_start(&b, &ev, YN_MAP);
			break;
		case YAML_SEQUENCE_START_EVENT:
			done = !on_start(&b, &ev, YN_SEQ);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			on_end(&b);
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);

	if (b.nomem) {
		builder_cleanup(&b);
		return -ENOMEM;
	}
	if (b.errors) {
		builder_cleanup(&b);
		return -EINVAL;
	}
	*out = b.root;
	return 0;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YN_MAP || !key)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (!strcmp(map->pairs[i].key, key))
			return map->pairs[i].value;
	return NULL;
}

/* Value of the key spelled by @key[0..len) in @map, or NULL. */
static const struct ynode *get_n(const struct ynode *map, const char *key,
				 size_t len)
{
	size_t i;

	if (!map || map->kind != YN_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (!strncmp(map->pairs[i].key, key, len) &&
		    map->pairs[i].key[len] == '\0')
			return map->pairs[i].value;
	return NULL;
}

const struct ynode *ynode_lookup(const struct ynode *root, const char *path,
				 bool *complete)
{
	const struct ynode *cur = root;
	const char *p = path ? path : "";

	if (complete)
		*complete = false;
	if (!root)
		return NULL;
	while (*p) {
		const struct ynode *next = NULL;

		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			char *end;
			unsigned long i;

			if (p[1] < '0' || p[1] > '9')
				return cur;
			errno = 0;
			i = strtoul(p + 1, &end, 10);
			if (errno || *end != ']')
				return cur;
			if (cur->kind == YN_SEQ && i < cur->n)
				next = cur->items[i];
			p = end + 1;
		} else {
			size_t len = strcspn(p, ".[");

			/*
			 * Keys may contain dots ("cpu.features.sse4.2"):
			 * when the short key is absent, try longer ones.
			 */
			next = get_n(cur, p, len);
			while (!next && p[len] == '.') {
				len += 1 + strcspn(p + len + 1, ".[");
				next = get_n(cur, p, len);
			}
			p += len;
		}
		if (!next)
			return cur;
		cur = next;
	}
	if (complete)
		*complete = true;
	return cur;
}
