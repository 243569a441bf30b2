/* Motorola MC146818 CMOS RTC and NVRAM model (host-independent). */
#ifndef VMMD_DEVICES_CMOS_RTC_H
#define VMMD_DEVICES_CMOS_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * Two ports: index (offset 0, PC 0x70) and data (offset 1, PC 0x71). The
 * builder claims both as one 2-byte range. 128 bytes of CMOS: the clock
 * registers 0x00..0x0d, then battery-backed RAM the firmware reads (the
 * memory sizes set by cmos_set_memory(), the century at 0x32).
 *
 * Threading: as serial8250.h (caller serialises; callbacks synchronous).
 */

#define CMOS_IO_SIZE 2u
#define CMOS_INDEX 0u
#define CMOS_DATA 1u
#define CMOS_SIZE 128u

enum cmos_reg {
	CMOS_SECONDS = 0x00,
	CMOS_SECONDS_ALARM = 0x01,
	CMOS_MINUTES = 0x02,
	CMOS_MINUTES_ALARM = 0x03,
	CMOS_HOURS = 0x04,
	CMOS_HOURS_ALARM = 0x05,
	CMOS_WEEKDAY = 0x06, /* 1 = Sunday */
	CMOS_DAY = 0x07,
	CMOS_MONTH = 0x08,
	CMOS_YEAR = 0x09, /* 0..99 */
	CMOS_REG_A = 0x0a,
	CMOS_REG_B = 0x0b,
	CMOS_REG_C = 0x0c,
	CMOS_REG_D = 0x0d,
	CMOS_BASEMEM_LO = 0x15, /* KiB below 1 MiB (640) */
	CMOS_BASEMEM_HI = 0x16,
	CMOS_EXTMEM_LO = 0x17, /* KiB from 1 MiB to 16 MiB (copy of 0x30) */
	CMOS_EXTMEM_HI = 0x18,
	CMOS_EXTMEM1_LO = 0x30, /* KiB from 1 MiB to 16 MiB */
	CMOS_EXTMEM1_HI = 0x31,
	CMOS_CENTURY = 0x32, /* ACPI FADT CENTURY */
	CMOS_EXTMEM2_LO = 0x34, /* 64 KiB units from 16 MiB to 4 GiB */
	CMOS_EXTMEM2_HI = 0x35,
	CMOS_HIGHMEM_LO = 0x5b, /* 64 KiB units above 4 GiB, 24 bits */
	CMOS_HIGHMEM_MID = 0x5c,
	CMOS_HIGHMEM_HI = 0x5d,
};

#define CMOS_A_UIP 0x80u /* update in progress (read-only) */
#define CMOS_A_DV_MASK 0x70u
#define CMOS_A_DV_NORMAL 0x20u /* 32.768 kHz time base, running */
#define CMOS_A_RESET 0x26u /* DV normal, 1024 Hz periodic rate */
#define CMOS_B_SET 0x80u /* updates stopped; guest sets the time */
#define CMOS_B_PIE 0x40u
#define CMOS_B_AIE 0x20u
#define CMOS_B_UIE 0x10u
#define CMOS_B_SQWE 0x08u
#define CMOS_B_DM_BINARY 0x04u /* else BCD */
#define CMOS_B_24H 0x02u /* else 12 hour, bit 7 of hours = PM */
#define CMOS_B_DSE 0x01u
#define CMOS_B_RESET CMOS_B_24H
#define CMOS_D_VRT 0x80u /* valid RAM and time: battery good */

/* The 244 us before each second's update during which UIP reads 1. */
#define CMOS_UIP_NS 244000u

struct cmos_ops {
	/*
	 * Required: wall-clock time in nanoseconds since the Unix epoch, UTC
	 * (CLOCK_REALTIME on the host; a fake clock in tests).
	 */
	uint64_t (*now_ns)(void *opaque);
};

struct cmos {
	const struct cmos_ops *ops;
	void *opaque;

	uint8_t index; /* last index write, bit 7 = NMI disable */
	uint8_t ram[CMOS_SIZE]; /* everything except the clock registers */
	int64_t offset_s; /* guest time - host time, seconds */
	int64_t frozen_s; /* guest time while REG_B.SET is 1 */

	uint64_t bad_reads;
	uint64_t bad_writes;
};

/*
 * Reset state (registers A..D at their defaults, RAM zero), bound to
 * @ops/@opaque. Guest time starts as host time. Returns 0 or -EINVAL.
 */
int cmos_init(struct cmos *s, const struct cmos_ops *ops,
	      void *opaque) __must_check;

/*
 * Fills the memory size registers from the RAM the layout gives below
 * 4 GiB (@below_4g bytes from 0, holes included as firmware sees it:
 * the top of low RAM) and above 4 GiB (@above_4g bytes). Each field is
 * clamped to what its register can hold. Returns 0, or -EINVAL when
 * @below_4g exceeds 4 GiB.
 */
int cmos_set_memory(struct cmos *s, uint64_t below_4g,
		    uint64_t above_4g) __must_check;

/* Byte accesses at CMOS_INDEX / CMOS_DATA; others all-ones, counted. */
uint32_t cmos_read(struct cmos *s, uint64_t offset, unsigned int size);
void cmos_write(struct cmos *s, uint64_t offset, unsigned int size,
		uint32_t val);

#endif
