/* Reset control register (Intel PCH RST_CNT at PC port 0xcf9). */
#ifndef VMMD_DEVICES_RESET_CF9_H
#define VMMD_DEVICES_RESET_CF9_H

#include <stdint.h>

#include "vmmd/common.h"

/*
 * One byte register. The FADT names it as RESET_REG with value 0x06
 * (ACPI_RESET_PORT, ACPI_RESET_VALUE). The builder claims 1 byte at
 * ACPI_RESET_PORT. That port lies inside the PCI configuration mechanism
 * (0xcf8-0xcff): once a PCI host bridge claims 0xcf8-0xcfb it must pass
 * byte accesses at 0xcf9 to reset_cf9_read/write (the bus itself does
 * not allow overlapping ranges).
 */

#define RESET_CF9_SYS_RST 0x02u /* hard (1) or soft (0) reset */
#define RESET_CF9_RST_CPU 0x04u /* 0 -> 1 starts the reset */
#define RESET_CF9_FULL_RST 0x08u

struct reset_cf9_ops {
	/* Required: the guest asked for a reset. */
	void (*reset)(void *opaque);
};

struct reset_cf9 {
	const struct reset_cf9_ops *ops;
	void *opaque;
	uint8_t value; /* last byte written */
	uint64_t bad_reads;
	uint64_t bad_writes;
	uint64_t resets;
};

int reset_cf9_init(struct reset_cf9 *s, const struct reset_cf9_ops *ops,
		   void *opaque) __must_check;

/* Byte accesses at offset 0; others read all-ones and are counted. */
uint32_t reset_cf9_read(struct reset_cf9 *s, uint64_t offset,
			unsigned int size);
void reset_cf9_write(struct reset_cf9 *s, uint64_t offset, unsigned int size,
		     uint32_t val);

#endif
