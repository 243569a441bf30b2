/*
 * libFuzzer target: YAML bytes through loader, validator and resolver, and
 * every resolved x86_64 layout through the ACPI table builder.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmmd/acpi.h"
#include "vmmd/config.h"
#include "vmmd/diag.h"
#include "vmmd/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any layout the resolver accepts gives tables or a clean error. */
static void build_acpi(const struct vm_layout *l, const struct vm_config *cfg)
{
	struct acpi_tables t;

	if (l->arch == ARCH_X86_64 && !acpi_build(l, cfg, &t))
		acpi_tables_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	struct vm_layout *layout = NULL;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!cfg_load_buffer("fuzz.yaml", (const char *)data, size, &cfg,
			     &dl)) {
		if (!cfg_validate(cfg, &dl) &&
		    !layout_resolve(cfg, &layout, &dl)) {
			build_acpi(layout, cfg);
			layout_free(layout);
		}
		cfg_free(cfg);
	}
	/* Formatting and sorting of whatever was reported. */
	if (sink)
		diag_print(&dl, sink);
	diag_list_free(&dl);
	return 0;
}
