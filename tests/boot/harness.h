/* Shared set-up of the boot-loader test programs: a VM from YAML with
 * malloc'd guest memory behind the checked accessor, and small helpers. */
#ifndef VMMD_TEST_BOOT_HARNESS_H
#define VMMD_TEST_BOOT_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vmmd/config.h"
#include "vmmd/guest_mem.h"
#include "vmmd/layout.h"

#define TEST_VM_MAX_SLOTS 16

/* A failed check is counted and reported; the program goes on. */
extern int test_failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			test_failures++;                                       \
		}                                                              \
	} while (0)

struct test_vm {
	struct vm_config *cfg;
	struct vm_layout *l;
	struct guest_mem m;
	void *host[TEST_VM_MAX_SLOTS]; /* one malloc'd buffer per slot */
};

/*
 * Loads, validates and resolves @yaml (diagnostics on stderr) and backs
 * every memory slot with a malloc'd buffer. Returns 0, or -1 with
 * everything released.
 */
int test_vm_make(struct test_vm *vm, const char *name, const char *yaml);

/* Sets every byte of guest memory to @byte (catches unwritten areas). */
void test_vm_fill(struct test_vm *vm, uint8_t byte);

void test_vm_free(struct test_vm *vm);

/* Prints the verdict for @prog; returns its exit status. */
int test_report(const char *prog);

/* Little-endian reads of guest structures (x86 hosts and guests). */
static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif
