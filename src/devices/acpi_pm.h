/* ACPI fixed-feature PM registers: PM1 event/control and the PM timer. */
#ifndef VMMD_DEVICES_ACPI_PM_H
#define VMMD_DEVICES_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * One window of ACPI_PM_IO_LEN (12) bytes laid out as docs/platform.md and
 * include/vmmd/acpi.h describe (PM1a_STS, PM1a_EN, PM1a_CNT, a 2-byte
 * gap, PM_TMR); the builder claims it at ACPI_PM_IO_BASE and wires
 * ops->irq_set to the layout's SCI (level, active high). The bit
 * definitions are ACPI_PM1_* from vmmd/acpi.h.
 *
 * Threading: as serial8250.h. acpi_pm_power_button() and acpi_pm_update()
 * come from the I/O or control thread; the caller serialises them with
 * the guest accesses.
 */

#define ACPI_PM_STS_OFF 0u
#define ACPI_PM_EN_OFF 2u
#define ACPI_PM_CNT_OFF 4u
#define ACPI_PM_TMR_OFF 8u
#define ACPI_PM_WINDOW 12u

struct acpi_pm_ops {
	/* Required: level of the SCI (called on transitions). */
	void (*irq_set)(void *opaque, bool level);
	/* Required: the guest entered S5 (SLP_EN with SLP_TYP 5). */
	void (*poweroff)(void *opaque);
	/* Required: a monotonic clock in nanoseconds (CLOCK_MONOTONIC). */
	uint64_t (*clock_ns)(void *opaque);
};

struct acpi_pm {
	const struct acpi_pm_ops *ops;
	void *opaque;

	uint16_t sts;
	uint16_t en;
	uint16_t cnt; /* SLP_TYP as last written */
	uint64_t base_ns; /* clock at reset: the timer counts from 0 */
	uint64_t tmr_epoch; /* timer ticks >> 31 last seen (for TMR_STS) */
	bool irq_level;

	uint64_t bad_reads;
	uint64_t bad_writes;
	uint64_t poweroffs; /* S5 requests passed to ops->poweroff */
};

/* Returns 0, or -EINVAL when @ops or a callback is NULL. */
int acpi_pm_init(struct acpi_pm *s, const struct acpi_pm_ops *ops,
		 void *opaque) __must_check;

/* VM reset: status, enable and control cleared, timer from 0, SCI low. */
void acpi_pm_reset(struct acpi_pm *s);

/*
 * Guest access of 1, 2 or 4 bytes inside PM1 (offsets 0..5) or inside
 * PM_TMR (8..11). Other accesses (the gap at 6..7, straddling) read
 * all-ones and are counted; timer writes are ignored and counted.
 */
uint32_t acpi_pm_read(struct acpi_pm *s, uint64_t offset, unsigned int size);
void acpi_pm_write(struct acpi_pm *s, uint64_t offset, unsigned int size,
		   uint32_t val);

/* The fixed power button was pressed: PWRBTN_STS, SCI if enabled. */
void acpi_pm_power_button(struct acpi_pm *s);

/*
 * Latches TMR_STS when bit 31 of the timer changed since last seen (and
 * raises the SCI if TMR_EN). Guest accesses do this too; a host that
 * wants timer overflow interrupts calls it at least every 2^31 ticks
 * (10 minutes).
 */
void acpi_pm_update(struct acpi_pm *s);

/* The current value of PM_TMR (32 bits, 3.579545 MHz). */
uint32_t acpi_pm_timer(struct acpi_pm *s);

#endif
