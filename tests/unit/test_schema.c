/* Unit tests of the JSON Schema generator: valid JSON, closed objects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "vmmd/config.h"
#include "config/fields.h"

static json_object *schema_load(void)
{
	char *text = NULL;
	size_t size = 0;
	enum json_tokener_error jerr;
	json_object *root;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	assert_int_equal(cfg_schema_write(f), 0);
	fclose(f);
	assert_true(size > 0);
	root = json_tokener_parse_verbose(text, &jerr);
	if (!root)
		fail_msg("schema is not JSON: %s",
			 json_tokener_error_desc(jerr));
	free(text);
	return root;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key '%s'", key);
	return v;
}

static bool array_has(json_object *arr, const char *s)
{
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(arr, i)),
			    s))
			return true;
	return false;
}

/* Every object schema with properties is closed; returns how many. */
static size_t check_closed(json_object *o, unsigned int depth)
{
	json_object *props, *ap;
	size_t n = 0;

	assert_true(depth < 64);
	if (json_object_is_type(o, json_type_array)) {
		size_t i;

		for (i = 0; i < json_object_array_length(o); i++)
			n += check_closed(json_object_array_get_idx(o, i),
					  depth + 1);
		return n;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	if (json_object_object_get_ex(o, "properties", &props)) {
		assert_true(json_object_object_get_ex(o, "additionalProperties",
						      &ap));
		assert_true(json_object_is_type(ap, json_type_boolean));
		assert_false(json_object_get_boolean(ap));
		n++;
	}
	json_object_object_foreach(o, key, val)
	{
		(void)key;
		n += check_closed(val, depth + 1);
	}
	return n;
}

static void test_top_level(void **state)
{
	static const char *const keys[] = {
		"name",	      "uuid",	  "arch",    "owner",  "autostart",
		"on_reboot",  "on_crash", "cpu",     "memory", "numa",
		"interrupts", "pcie",	  "devices", "boot",
	};
	json_object *root = schema_load();
	json_object *props, *req;
	size_t i;

	(void)state;
	assert_string_equal(json_object_get_string(get(root, "$schema")),
			    "https://json-schema.org/draft/2020-12/schema");
	assert_non_null(get(root, "$id"));
	assert_string_equal(json_object_get_string(get(root, "type")),
			    "object");
	assert_false(
		json_object_get_boolean(get(root, "additionalProperties")));
	props = get(root, "properties");
	assert_int_equal(json_object_object_length(props), ARRAY_SIZE(keys));
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		assert_non_null(get(props, keys[i]));
	req = get(root, "required");
	assert_int_equal(json_object_array_length(req), 4);
	assert_true(array_has(req, "name"));
	assert_true(array_has(req, "cpu"));
	assert_true(array_has(req, "memory"));
	assert_true(array_has(req, "boot"));
	json_object_put(root);
}

static void test_closed_objects(void **state)
{
	json_object *root = schema_load();

	(void)state;
	/* root, cpu, topology, x86, ... : many object schemas, all closed */
	assert_true(check_closed(root, 0) > 20);
	json_object_put(root);
}

static void test_sections(void **state)
{
	json_object *root = schema_load();
	json_object *props = get(root, "properties");
	json_object *mem, *boot, *dev, *alt, *size, *cpu;
	size_t i;

	(void)state;
	/* memory: exactly one of size, ranges */
	mem = get(props, "memory");
	alt = get(mem, "oneOf");
	assert_int_equal(json_object_array_length(alt), 2);
	size = get(get(mem, "properties"), "size");
	assert_string_equal(
		json_object_get_string(
			get(json_object_array_get_idx(get(size, "oneOf"), 1),
			    "pattern")),
		"^(0x[0-9a-fA-F]+|[0-9]+)([KMGT]|[KMGT]iB)?$");

	/* boot: one of three, initrd and cmdline need kernel */
	boot = get(props, "boot");
	assert_int_equal(json_object_array_length(get(boot, "oneOf")), 3);
	assert_true(array_has(get(get(boot, "dependentRequired"), "initrd"),
			      "kernel"));
	assert_true(array_has(get(get(boot, "dependentRequired"), "cmdline"),
			      "kernel"));

	/* devices: one branch per type, pinned by a const */
	dev = get(get(props, "devices"), "items");
	alt = get(dev, "oneOf");
	assert_int_equal(json_object_array_length(alt), DEV_TYPE_COUNT);
	for (i = 0; i < DEV_TYPE_COUNT; i++) {
		json_object *b = json_object_array_get_idx(alt, i);
		json_object *type = get(get(b, "properties"), "type");

		assert_string_equal(json_object_get_string(get(type, "const")),
				    cfg_dev_type_name(i));
		assert_true(array_has(get(b, "required"), "type"));
		assert_true(array_has(get(b, "required"), "name"));
	}

	/* cpu.count: integer range or hex string */
	cpu = get(get(props, "cpu"), "properties");
	alt = get(get(cpu, "count"), "oneOf");
	assert_int_equal(json_object_get_int(get(
				 json_object_array_get_idx(alt, 0), "maximum")),
			 CFG_MAX_VCPUS);
	json_object_put(root);
}

/* The schema lists exactly the keys of the loader's tables. */
static void check_table(json_object *schema, const struct ftable *t,
			unsigned int depth)
{
	json_object *props = get(schema, "properties");
	size_t i;

	assert_true(depth < 8);
	assert_int_equal(json_object_object_length(props), t->n_fields);
	for (i = 0; i < t->n_fields; i++) {
		const struct field *f = &t->fields[i];
		json_object *fs = get(props, f->key);

		if (f->kind == FK_MAP)
			check_table(fs, f->sub, depth + 1);
		if (f->kind == FK_LIST)
			check_table(get(fs, "items"), f->sub, depth + 1);
	}
}

static void test_matches_tables(void **state)
{
	json_object *root = schema_load();
	json_object *alt;
	size_t i;

	(void)state;
	check_table(root, &cfg_root_table, 0);
	alt = get(get(get(get(root, "properties"), "devices"), "items"),
		  "oneOf");
	for (i = 0; i < DEV_TYPE_COUNT; i++)
		check_table(json_object_array_get_idx(alt, i),
			    cfg_device_tables[i], 0);
	json_object_put(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_level),
		cmocka_unit_test(test_closed_objects),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_matches_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
