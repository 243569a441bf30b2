/* Formatting helpers shared by the text and JSON renderings of a plan. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "plan/plan.h"

const char *plan_fmt_hex(char buf[PLAN_HEX_BUF], uint64_t v)
{
	snprintf(buf, PLAN_HEX_BUF, "0x%" PRIx64, v);
	return buf;
}

const char *plan_fmt_bdf(char buf[PLAN_BDF_BUF], uint16_t segment, uint8_t bus,
			 uint8_t devfn)
{
	snprintf(buf, PLAN_BDF_BUF, "%04x:%02x:%02x.%x", segment, bus,
		 devfn >> 3, devfn & 7);
	return buf;
}

/* Appends one "a" or "a-b" item; false once @buf is full. */
static bool list_append(char *buf, size_t len, size_t *pos, uint32_t a,
			uint32_t b)
{
	char item[32];
	int n;

	if (a == b)
		n = snprintf(item, sizeof(item), "%s%" PRIu32, *pos ? "," : "",
			     a);
	else
		n = snprintf(item, sizeof(item), "%s%" PRIu32 "-%" PRIu32,
			     *pos ? "," : "", a, b);
	/* Keep room for "..." and the NUL. */
	if (n < 0 || *pos + (size_t)n + 4 > len)
		return false;
	memcpy(buf + *pos, item, (size_t)n + 1);
	*pos += (size_t)n;
	return true;
}

/* list_append() keeps pos + 4 <= len, so "..." always fits. */
static void list_truncated(char *buf, size_t len, size_t pos)
{
	if (len >= 4)
		memcpy(buf + pos, "...", 4);
}

const char *plan_fmt_list(char *buf, size_t len, const uint32_t *v, size_t n)
{
	size_t pos = 0, i = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	while (i < n) {
		uint32_t a = v[i], b = v[i];

		while (++i < n && (v[i] == b || v[i] == b + 1))
			b = v[i];
		if (!list_append(buf, len, &pos, a, b)) {
			list_truncated(buf, len, pos);
			break;
		}
	}
	return buf;
}

const char *plan_fmt_cpuset(char *buf, size_t len, const struct cfg_cpuset *s)
{
	size_t pos = 0;
	unsigned int c = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	while (c < CFG_MAX_HOST_CPUS) {
		unsigned int a;

		if (!cpuset_is_set(s, c)) {
			c++;
			continue;
		}
		a = c;
		while (c + 1 < CFG_MAX_HOST_CPUS && cpuset_is_set(s, c + 1))
			c++;
		if (!list_append(buf, len, &pos, a, c)) {
			list_truncated(buf, len, pos);
			break;
		}
		c++;
	}
	return buf;
}
