/* Plan rendering: the resolved layout as JSON and formatting helpers. */
#ifndef VMMD_PLAN_H
#define VMMD_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmmd/common.h"
#include "vmmd/config.h"
#include "vmmd/fmt.h"
#include "vmmd/layout.h"

struct json_object;

/*
 * Version of the `vmctl plan --json` format (docs/plan-json.md). Within one
 * version, changes are additive only: keys are never removed, renamed or
 * given another type, and their order is fixed.
 */
#define PLAN_JSON_VERSION 1

/* Flags used to serialise the plan: two-space indentation, "key": value. */
#define PLAN_JSON_FLAGS                                      \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
	 JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * Builds the JSON document of @l. @cfg is the configuration @l was resolved
 * from; it supplies device names (struct layout_device has only an index)
 * and may be NULL, in which case names come from the layout alone. The
 * result is owned by the caller (json_object_put()). Returns NULL with
 * errno set to ENOMEM when an allocation failed. Pure function of its
 * inputs: the same layout always gives the same document, key order
 * included.
 */
struct json_object *plan_to_json(const struct vm_layout *l,
				 const struct vm_config *cfg);

/*
 * Writes plan_to_json() of @l to @out, followed by a newline. Returns 0,
 * -ENOMEM, or -EIO when writing failed.
 */
int plan_json_write(const struct vm_layout *l, const struct vm_config *cfg,
		    FILE *out) __must_check;

/* Buffer sizes for the helpers below. */
#define PLAN_HEX_BUF 19 /* "0x" + 16 digits + NUL */
#define PLAN_BDF_BUF 16 /* "ssss:bb:dd.f" */
#define PLAN_LIST_BUF 8192

/* "0x1f": lower case, no padding. Returns @buf. */
const char *plan_fmt_hex(char buf[PLAN_HEX_BUF], uint64_t v);

/* "0000:00:01.0" from segment, bus and devfn. Returns @buf. */
const char *plan_fmt_bdf(char buf[PLAN_BDF_BUF], uint16_t segment, uint8_t bus,
			 uint8_t devfn);

/*
 * Compact list "0-1,4,6-9" of @n values, which must be sorted ascending
 * (duplicates are skipped). "" when @n is 0. Output that does not fit @len
 * is cut and ends in "...". Returns @buf.
 */
const char *plan_fmt_list(char *buf, size_t len, const uint32_t *v, size_t n);

/* Same for the CPUs of a host CPU set. */
const char *plan_fmt_cpuset(char *buf, size_t len, const struct cfg_cpuset *s);

#endif
