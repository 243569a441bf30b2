/* Shared set-up of the boot-loader test programs (see harness.h). */
#include <stdlib.h>

#include "harness.h"

int test_failures;

int test_vm_make(struct test_vm *vm, const char *name, const char *yaml)
{
	struct diag_list dl = { 0 };
	size_t i;

	memset(vm, 0, sizeof(*vm));
	if (cfg_load_buffer(name, yaml, strlen(yaml), &vm->cfg, &dl) ||
	    cfg_validate(vm->cfg, &dl) ||
	    layout_resolve(vm->cfg, &vm->l, &dl)) {
		diag_print(&dl, stderr);
		goto fail;
	}
	if (vm->l->n_slots > TEST_VM_MAX_SLOTS) {
		fprintf(stderr, "%s: %zu memory slots, at most %d\n", name,
			vm->l->n_slots, TEST_VM_MAX_SLOTS);
		goto fail;
	}
	for (i = 0; i < vm->l->n_slots; i++) {
		vm->host[i] = malloc(vm->l->slots[i].size);
		if (!vm->host[i])
			goto fail;
	}
	if (gmem_init_from_layout(&vm->m, vm->l, vm->host))
		goto fail;
	diag_list_free(&dl);
	return 0;
fail:
	diag_list_free(&dl);
	test_vm_free(vm);
	return -1;
}

void test_vm_fill(struct test_vm *vm, uint8_t byte)
{
	size_t i;

	for (i = 0; vm->l && i < vm->l->n_slots; i++)
		memset(vm->host[i], byte, vm->l->slots[i].size);
}

void test_vm_free(struct test_vm *vm)
{
	size_t i;

	gmem_free(&vm->m);
	for (i = 0; i < TEST_VM_MAX_SLOTS; i++)
		free(vm->host[i]);
	if (vm->l)
		layout_free(vm->l);
	if (vm->cfg)
		cfg_free(vm->cfg);
	memset(vm, 0, sizeof(*vm));
}

int test_report(const char *prog)
{
	if (test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", prog,
			test_failures);
		return 1;
	}
	printf("%s: all checks passed\n", prog);
	return 0;
}
