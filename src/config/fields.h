/*
 * Descriptor tables of the YAML format. One const table per mapping says
 * which keys it has, how each value is parsed and where it is stored; the
 * loader (load.c) and the JSON Schema generator (schema.c) both walk them,
 * so the two cannot disagree.
 */
#ifndef VMMD_CONFIG_FIELDS_H
#define VMMD_CONFIG_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/config.h"

struct lctx;
struct ynode;

/* Names of an enum's values, indexed by value. */
struct enum_names {
	const char *const *v;
	size_t n;
};

extern const struct enum_names cfg_arch_enum;
extern const struct enum_names cfg_action_enum;
extern const struct enum_names cfg_x2apic_enum;
extern const struct enum_names cfg_range_type_enum;
extern const struct enum_names cfg_dev_type_enum;
extern const struct enum_names cfg_transport_enum;
extern const struct enum_names cfg_backing_kind_enum;
extern const struct enum_names cfg_hugepages_enum;

enum fkind {
	FK_UINT, /* number, decimal or 0x hex, plain; .width bytes */
	FK_SIZE, /* number with optional K/M/G/T or KiB/MiB/GiB/TiB */
	FK_BOOL, /* true | false, plain */
	FK_STR, /* any non-null scalar; .max: longest length (0: none) */
	FK_PATH, /* non-empty string, made absolute against cfg->dir */
	FK_NAME, /* object name: [a-z0-9][a-z0-9_.-]{0,63} */
	FK_ENUM, /* one of .enums, stored as an int-sized enum */
	FK_NUMS, /* list of numbers (.width bytes each) */
	FK_MAP, /* mapping described by .sub, object at .off */
	FK_LIST, /* list of mappings described by .sub */
	FK_CUSTOM, /* parsed by .parse; .shape tells the schema generator */
};

/* What a FK_CUSTOM field looks like, for the schema. */
enum fshape {
	SHAPE_NONE,
	SHAPE_UUID, /* string, uuid */
	SHAPE_OWNER, /* string, user[:group] */
	SHAPE_CPUSETS, /* list of host CPU lists ("0-3,5" or a number) */
	SHAPE_FEATURES, /* mapping name: bool */
	SHAPE_DISTANCES, /* list of lists of numbers */
	SHAPE_BUSES, /* [first, last] */
	SHAPE_ECAM, /* auto or a number */
	SHAPE_MAC, /* "xx:xx:xx:xx:xx:xx" */
	SHAPE_DEVICES, /* list of devices, one table per type */
};

struct ftable;

struct field {
	const char *key;
	enum fkind kind;
	size_t off; /* value (or sub-object, or array pointer) */
	unsigned int width; /* FK_UINT, FK_NUMS: bytes of one integer */
	bool has; /* has_off names a "has_" bool */
	size_t has_off;
	size_t n_off; /* FK_NUMS, FK_LIST: size_t element count */
	bool required;
	uint64_t min, max; /* FK_UINT, FK_NUMS: value range */
	size_t max_len; /* FK_STR: longest string, 0 for no limit */
	size_t min_items; /* FK_NUMS, FK_LIST */
	size_t max_items;
	uint64_t def; /* default of FK_UINT/SIZE/BOOL/ENUM */
	const struct enum_names *enums;
	const struct ftable *sub; /* FK_MAP, FK_LIST */
	const char *needs; /* key only valid together with this key */
	int (*parse)(struct lctx *c, const struct ynode *v, void *obj);
	enum fshape shape;
	const char *doc; /* one line for the schema's description */
};

struct ftable {
	const char *what;
	const struct field *fields;
	size_t n_fields;
	size_t size; /* bytes of one list element */
	const char *const *one_of; /* exactly one of these keys, or NULL */
	size_t n_one_of;
	/* extra defaults after the per-field ones; @index in the list */
	void (*init)(void *obj, size_t index);
	/* after all keys were parsed without error in this mapping */
	int (*finish)(struct lctx *c, const struct ynode *map, void *obj);
};

/* The whole file, and the per-type tables of devices[]. */
extern const struct ftable cfg_root_table;
extern const struct ftable *const cfg_device_tables[DEV_TYPE_COUNT];

/* Regular expressions the loader enforces, shared with the schema. */
#define CFG_NAME_PATTERN "^[a-z0-9][a-z0-9_.-]{0,63}$"
#define CFG_OWNER_PATTERN "^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$"
#define CFG_FEATURE_PATTERN "^[a-z0-9_.-]{1,32}$"
#define CFG_MAC_PATTERN "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"
#define CFG_CPULIST_PATTERN \
	"^ *[0-9]+( *- *[0-9]+)? *(, *[0-9]+( *- *[0-9]+)? *)*$"
#define CFG_UUID_PATTERN \
	"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
#define CFG_SIZE_PATTERN "^(0x[0-9a-fA-F]+|[0-9]+)([KMGT]|[KMGT]iB)?$"
#define CFG_HEX_PATTERN "^0x[0-9a-fA-F]+$"

#endif
