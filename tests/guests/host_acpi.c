/*
 * Host build of acpi.elf: runs the guest's own ACPI reader (acpi.c,
 * acpi_walk.c, fmt.c) on the tables `vmctl acpi` writes, laid out at
 * their guest addresses, and prints the same lines the guest would.
 * tests/guests/acpi_plan_check.py compares them with `vmctl plan`.
 *   host_acpi < LISTING      LISTING: vmctl acpi's "SIG ADDR LEN PATH"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* The firmware region vmctl acpi fills (docs/platform.md). */
#define FW_BASE 0xe0000u
#define FW_SIZE 0x20000u
#define START_INFO_ADDR 0x6000u

static uint8_t fw[FW_SIZE];
static struct hvm_start_info start_info;

void *phys_ptr(uint64_t paddr)
{
	if (paddr >= FW_BASE && paddr < FW_BASE + FW_SIZE)
		return fw + (paddr - FW_BASE);
	if (paddr == START_INFO_ADDR)
		return &start_info;
	return NULL;
}

void report(const char *key, const char *fmt, ...)
{
	char buf[FORMAT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (key)
		printf("%s=", key);
	printf("%s\n", buf);
}

const struct hvm_start_info *start_info_get(uint32_t paddr)
{
	return phys_ptr(paddr);
}

static int load(const char *path, uint64_t addr, uint64_t len)
{
	FILE *f = fopen(path, "rb");
	int ok;

	if (!f || addr < FW_BASE || len > FW_SIZE ||
	    addr - FW_BASE > FW_SIZE - len) {
		fprintf(stderr, "host_acpi: cannot place %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	ok = fread(fw + (addr - FW_BASE), 1, len, f) == len;
	fclose(f);
	if (!ok) {
		fprintf(stderr, "host_acpi: short read of %s\n", path);
		return -1;
	}
	return 0;
}

int main(void)
{
	char sig[8], path[4096];
	unsigned long long addr, len;
	uint64_t rsdp = 0;

	while (scanf("%7s %llx %llu %4095s", sig, &addr, &len, path) == 4) {
		if (load(path, addr, len))
			return 1;
		if (!strcmp(sig, "RSDP"))
			rsdp = addr;
	}
	if (!rsdp) {
		fprintf(stderr, "host_acpi: no RSDP in the listing\n");
		return 1;
	}
	start_info.magic = HVM_START_MAGIC;
	start_info.version = 1;
	start_info.rsdp_paddr = rsdp;
	return guest_main(START_INFO_ADDR);
}
