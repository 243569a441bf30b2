/* JSON Schema of the YAML format, generated from the loader's tables. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "vmmd/config.h"
#include "config/fields.h"

/* Builder state: json-c constructors return NULL when out of memory. */
struct sctx {
	bool oom;
};

static json_object *chk(struct sctx *s, json_object *o)
{
	if (!o)
		s->oom = true;
	return o;
}

static void add(struct sctx *s, json_object *obj, const char *key,
		json_object *val)
{
	if (!obj || !val || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		s->oom = true;
	}
}

static void push(struct sctx *s, json_object *arr, json_object *val)
{
	if (!arr || !val || json_object_array_add(arr, val)) {
		json_object_put(val);
		s->oom = true;
	}
}

static json_object *str(struct sctx *s, const char *v)
{
	return chk(s, json_object_new_string(v));
}

static json_object *obj_new(struct sctx *s)
{
	return chk(s, json_object_new_object());
}

static json_object *arr_new(struct sctx *s)
{
	return chk(s, json_object_new_array());
}

/* {"type": "...", "pattern": "..."} (pattern optional) */
static json_object *type_pattern(struct sctx *s, const char *type,
				 const char *pattern)
{
	json_object *o = obj_new(s);

	add(s, o, "type", str(s, type));
	if (pattern)
		add(s, o, "pattern", str(s, pattern));
	return o;
}

/* An integer in [min, max], or a 0x hex string (range not checkable). */
static json_object *number(struct sctx *s, uint64_t min, uint64_t max)
{
	json_object *o = obj_new(s), *alt = arr_new(s);
	json_object *i = type_pattern(s, "integer", NULL);

	add(s, i, "minimum", chk(s, json_object_new_uint64(min)));
	if (max != UINT64_MAX)
		add(s, i, "maximum", chk(s, json_object_new_uint64(max)));
	push(s, alt, i);
	push(s, alt, type_pattern(s, "string", CFG_HEX_PATTERN));
	add(s, o, "oneOf", alt);
	return o;
}

static json_object *size(struct sctx *s)
{
	json_object *o = obj_new(s), *alt = arr_new(s);
	json_object *i = type_pattern(s, "integer", NULL);

	add(s, i, "minimum", chk(s, json_object_new_int64(0)));
	push(s, alt, i);
	push(s, alt, type_pattern(s, "string", CFG_SIZE_PATTERN));
	add(s, o, "oneOf", alt);
	return o;
}

static json_object *array_of(struct sctx *s, json_object *items,
			     size_t min_items, size_t max_items)
{
	json_object *o = type_pattern(s, "array", NULL);

	add(s, o, "items", items);
	if (min_items)
		add(s, o, "minItems",
		    chk(s, json_object_new_uint64(min_items)));
	if (max_items)
		add(s, o, "maxItems",
		    chk(s, json_object_new_uint64(max_items)));
	return o;
}

static json_object *enum_of(struct sctx *s, const struct enum_names *e)
{
	json_object *o = obj_new(s), *v = arr_new(s);
	size_t i;

	for (i = 0; i < e->n; i++)
		push(s, v, str(s, e->v[i]));
	add(s, o, "enum", v);
	return o;
}

static json_object *table(struct sctx *s, const struct ftable *t,
			  const char *type_const);

static json_object *devices(struct sctx *s)
{
	json_object *alt = arr_new(s), *items = obj_new(s);
	size_t i;

	for (i = 0; i < DEV_TYPE_COUNT; i++)
		push(s, alt,
		     table(s, cfg_device_tables[i], cfg_dev_type_name(i)));
	add(s, items, "oneOf", alt);
	return array_of(s, items, 0, CFG_MAX_DEVICES);
}

static json_object *custom(struct sctx *s, enum fshape shape)
{
	json_object *o, *alt;

	switch (shape) {
	case SHAPE_UUID:
		return type_pattern(s, "string", CFG_UUID_PATTERN);
	case SHAPE_OWNER:
		return type_pattern(s, "string", CFG_OWNER_PATTERN);
	case SHAPE_MAC:
		return type_pattern(s, "string", CFG_MAC_PATTERN);
	case SHAPE_CPUSETS:
		o = obj_new(s);
		alt = arr_new(s);
		push(s, alt, number(s, 0, CFG_MAX_HOST_CPUS - 1));
		push(s, alt, type_pattern(s, "string", CFG_CPULIST_PATTERN));
		add(s, o, "anyOf", alt);
		return array_of(s, o, 0, CFG_MAX_VCPUS);
	case SHAPE_FEATURES:
		o = type_pattern(s, "object", NULL);
		add(s, o, "propertyNames",
		    type_pattern(s, "string", CFG_FEATURE_PATTERN));
		add(s, o, "additionalProperties",
		    type_pattern(s, "boolean", NULL));
		return o;
	case SHAPE_DISTANCES:
		return array_of(s,
				array_of(s, number(s, 10, 255), 0,
					 CFG_MAX_NUMA_NODES),
				0, CFG_MAX_NUMA_NODES);
	case SHAPE_BUSES:
		return array_of(s, number(s, 0, 255), 2, 2);
	case SHAPE_ECAM:
		o = obj_new(s);
		alt = arr_new(s);
		push(s, alt,
		     chk(s, json_tokener_parse("{\"const\":\"auto\"}")));
		push(s, alt, number(s, 0, UINT64_MAX));
		add(s, o, "anyOf", alt);
		return o;
	case SHAPE_DEVICES:
		return devices(s);
	case SHAPE_NONE:
		break;
	}
	return obj_new(s);
}

static json_object *field(struct sctx *s, const struct field *f)
{
	json_object *o;

	switch (f->kind) {
	case FK_UINT:
		return number(s, f->min, f->max);
	case FK_SIZE:
		return size(s);
	case FK_BOOL:
		return type_pattern(s, "boolean", NULL);
	case FK_STR:
		o = type_pattern(s, "string", NULL);
		if (f->max_len)
			add(s, o, "maxLength",
			    chk(s, json_object_new_uint64(f->max_len)));
		return o;
	case FK_PATH:
		o = type_pattern(s, "string", NULL);
		add(s, o, "minLength", chk(s, json_object_new_int(1)));
		return o;
	case FK_NAME:
		return type_pattern(s, "string", CFG_NAME_PATTERN);
	case FK_ENUM:
		return enum_of(s, f->enums);
	case FK_NUMS:
		return array_of(s, number(s, f->min, f->max), f->min_items,
				f->max_items);
	case FK_MAP:
		return table(s, f->sub, NULL);
	case FK_LIST:
		return array_of(s, table(s, f->sub, NULL), f->min_items,
				f->max_items);
	case FK_CUSTOM:
		return custom(s, f->shape);
	}
	return obj_new(s);
}

/*
 * An object schema for table @t: closed (additionalProperties false),
 * with its required keys, "exactly one of" as oneOf over required, and
 * keys that need another key as dependentRequired. With @type_const, the
 * "type" key is pinned to that value (one branch of devices[]).
 */
static json_object *table(struct sctx *s, const struct ftable *t,
			  const char *type_const)
{
	json_object *o = type_pattern(s, "object", NULL);
	json_object *props = obj_new(s), *req = arr_new(s);
	json_object *deps = NULL;
	size_t i;

	for (i = 0; i < t->n_fields; i++) {
		const struct field *f = &t->fields[i];
		json_object *fo;

		if (type_const && !strcmp(f->key, "type")) {
			fo = obj_new(s);
			add(s, fo, "const", str(s, type_const));
		} else {
			fo = field(s, f);
		}
		if (f->doc)
			add(s, fo, "description", str(s, f->doc));
		add(s, props, f->key, fo);
		if (f->required)
			push(s, req, str(s, f->key));
		if (f->needs) {
			json_object *need = arr_new(s);

			if (!deps)
				deps = obj_new(s);
			push(s, need, str(s, f->needs));
			add(s, deps, f->key, need);
		}
	}
	add(s, o, "properties", props);
	add(s, o, "additionalProperties", chk(s, json_object_new_boolean(0)));
	if (json_object_array_length(req))
		add(s, o, "required", req);
	else
		json_object_put(req);
	if (deps)
		add(s, o, "dependentRequired", deps);
	if (t->n_one_of) {
		json_object *alt = arr_new(s);

		for (i = 0; i < t->n_one_of; i++) {
			json_object *r = obj_new(s), *k = arr_new(s);

			push(s, k, str(s, t->one_of[i]));
			add(s, r, "required", k);
			push(s, alt, r);
		}
		add(s, o, "oneOf", alt);
	}
	return o;
}

int cfg_schema_write(FILE *out)
{
	struct sctx s = { 0 };
	json_object *root = obj_new(&s);
	json_object *body = table(&s, &cfg_root_table, NULL);
	const char *text;
	int rc = 0;

	/* Identification first, then the object schema of the file. */
	add(&s, root, "$schema",
	    str(&s, "https://json-schema.org/draft/2020-12/schema"));
	add(&s, root, "$id", str(&s, "https://vmmd.dev/schema/vm.json"));
	add(&s, root, "title", str(&s, "vmmd VM file"));
	if (body) {
		json_object_object_foreach(body, key, val)
			add(&s, root, key, json_object_get(val));
	}
	json_object_put(body);
	if (s.oom) {
		json_object_put(root);
		return -ENOMEM;
	}
	text = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		rc = -ENOMEM;
	else if (fputs(text, out) < 0 || fputc('\n', out) < 0)
		rc = -EIO;
	json_object_put(root);
	return rc;
}
