/* Human-readable formatting shared by diagnostics and plan output. */
#include <inttypes.h>
#include <stdio.h>

#include "vmmd/common.h"
#include "vmmd/fmt.h"

const char *fmt_size(char buf[FMT_SIZE_BUF], uint64_t v)
{
	static const struct {
		uint64_t unit;
		const char *name;
	} units[] = {
		{ .unit = TiB, .name = "TiB" },
		{ .unit = GiB, .name = "GiB" },
		{ .unit = MiB, .name = "MiB" },
		{ .unit = KiB, .name = "KiB" },
	};
	size_t i;

	if (v == 1) {
		snprintf(buf, FMT_SIZE_BUF, "1 byte");
		return buf;
	}
	for (i = 0; v && i < ARRAY_SIZE(units); i++) {
		if (v % units[i].unit == 0 && v / units[i].unit < MiB) {
			snprintf(buf, FMT_SIZE_BUF, "%" PRIu64 " %s",
				 v / units[i].unit, units[i].name);
			return buf;
		}
	}
	if (v < KiB)
		snprintf(buf, FMT_SIZE_BUF, "%" PRIu64 " bytes", v);
	else
		snprintf(buf, FMT_SIZE_BUF, "0x%" PRIx64 " bytes", v);
	return buf;
}
