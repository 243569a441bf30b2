/* libFuzzer target: YAML bytes through loader, validator and resolver. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmmd/config.h"
#include "vmmd/diag.h"
#include "vmmd/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		    !layout_resolve(cfg, &layout, &dl))
			layout_free(layout);
		cfg_free(cfg);
	}
	/* Formatting and sorting of whatever was reported. */
	if (sink)
		diag_print(&dl, sink);
	diag_list_free(&dl);
	return 0;
}
