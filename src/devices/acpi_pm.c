/* ACPI PM1 event/control registers and the PM timer. */

/*
 * WHAT IS MODELLED (docs/platform.md is the contract)
 * ===================================================
 *  - PM1_STS: TMR_STS (bit 0) and PWRBTN_STS (bit 8); write 1 to clear.
 *    WAK_STS and the rest read 0.
 *  - PM1_EN: TMR_EN and PWRBTN_EN are stored; other bits read 0.
 *  - The SCI (ops->irq_set) is high while PM1_STS & PM1_EN is not zero.
 *  - PM1_CNT: SCI_EN always reads 1; SLP_TYP is stored; SLP_EN reads 0
 *    and, written as 1 with SLP_TYP 5 (S5), calls ops->poweroff. Other
 *    sleep types are ignored: there is no S1-S4.
 *  - PM_TMR: 32 bits (FADT TMR_VAL_EXT) counting at ACPI_PM_TMR_HZ from
 *    reset, computed from ops->clock_ns when read; read-only. TMR_STS is
 *    latched lazily when bit 31 is seen to change (guest accesses and
 *    acpi_pm_update()), since the model has no timer of its own.
 * Accesses: the PM1 registers are 16-bit; an access of 1, 2 or 4 bytes
 * anywhere in 0..5 touches the bytes it covers (a 4-byte access at 0 is
 * STS and EN together). Control takes effect on the full register value
 * after the write, so a byte write of 0x34 to the high byte of PM1_CNT
 * powers off as 0x3400 does.
 */
#include <errno.h>
#include <string.h>

#include "devices/acpi_pm.h"
#include "vmmd/acpi.h"

#define NSEC_PER_SEC UINT64_C(1000000000)
#define ACPI_PM1_STS_MASK (ACPI_PM1_TMR_STS | ACPI_PM1_PWRBTN_STS)
#define ACPI_PM1_EN_MASK (ACPI_PM1_TMR_EN | ACPI_PM1_PWRBTN_EN)

int acpi_pm_init(struct acpi_pm *s, const struct acpi_pm_ops *ops, void *opaque)
{
	if (!ops || !ops->irq_set || !ops->poweroff || !ops->clock_ns)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	s->base_ns = ops->clock_ns(opaque);
	return 0;
}

static uint64_t acpi_pm_ticks(struct acpi_pm *s)
{
	uint64_t ns = s->ops->clock_ns(s->opaque) - s->base_ns;

	/* Split so ns * HZ cannot overflow (it would after 85 minutes). */
	return ns / NSEC_PER_SEC * ACPI_PM_TMR_HZ +
	       ns % NSEC_PER_SEC * ACPI_PM_TMR_HZ / NSEC_PER_SEC;
}

uint32_t acpi_pm_timer(struct acpi_pm *s)
{
	return (uint32_t)acpi_pm_ticks(s);
}

static void acpi_pm_update_irq(struct acpi_pm *s)
{
	bool level = (s->sts & s->en) != 0;

	if (level == s->irq_level)
		return;
	s->irq_level = level;
	s->ops->irq_set(s->opaque, level);
}

static void acpi_pm_latch_timer(struct acpi_pm *s)
{
	uint64_t epoch = acpi_pm_ticks(s) >> 31;

	if (epoch != s->tmr_epoch) {
		s->tmr_epoch = epoch;
		s->sts |= ACPI_PM1_TMR_STS;
	}
}

void acpi_pm_update(struct acpi_pm *s)
{
	acpi_pm_latch_timer(s);
	acpi_pm_update_irq(s);
}

void acpi_pm_reset(struct acpi_pm *s)
{
	s->sts = 0;
	s->en = 0;
	s->cnt = 0;
	s->base_ns = s->ops->clock_ns(s->opaque);
	s->tmr_epoch = 0;
	acpi_pm_update_irq(s);
}

void acpi_pm_power_button(struct acpi_pm *s)
{
	s->sts |= ACPI_PM1_PWRBTN_STS;
	acpi_pm_update_irq(s);
}

/* 16-bit register @reg (0 STS, 1 EN, 2 CNT). */
static uint16_t acpi_pm1_read(const struct acpi_pm *s, unsigned int reg)
{
	switch (reg) {
	case 0:
		return s->sts;
	case 1:
		return s->en;
	default:
		return (s->cnt & ACPI_PM1_SLP_TYP_MASK) | ACPI_PM1_SCI_EN;
	}
}

static void acpi_pm1_write(struct acpi_pm *s, unsigned int reg, uint16_t val,
			   uint16_t mask)
{
	uint16_t v;

	switch (reg) {
	case 0:
		s->sts &= ~(val & mask);
		break;
	case 1:
		s->en = ((s->en & ~mask) | (val & mask)) & ACPI_PM1_EN_MASK;
		break;
	default:
		v = (s->cnt & ~mask) | (val & mask);
		s->cnt = v & ACPI_PM1_SLP_TYP_MASK;
		if ((v & mask & ACPI_PM1_SLP_EN) &&
		    (v & ACPI_PM1_SLP_TYP_MASK) >> ACPI_PM1_SLP_TYP_SHIFT ==
			    ACPI_SLP_TYP_S5) {
			s->poweroffs++;
			s->ops->poweroff(s->opaque);
		}
		break;
	}
}

static bool acpi_pm_access_ok(uint64_t offset, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	if (offset < ACPI_PM_CNT_OFF + 2)
		return offset + size <= ACPI_PM_CNT_OFF + 2;
	if (offset >= ACPI_PM_TMR_OFF && offset < ACPI_PM_WINDOW)
		return offset + size <= ACPI_PM_WINDOW;
	return false;
}

static uint32_t acpi_pm_ones(unsigned int size)
{
	return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

uint32_t acpi_pm_read(struct acpi_pm *s, uint64_t offset, unsigned int size)
{
	uint32_t val = 0;
	unsigned int i;

	if (!acpi_pm_access_ok(offset, size)) {
		s->bad_reads++;
		return acpi_pm_ones(size);
	}
	acpi_pm_latch_timer(s);
	acpi_pm_update_irq(s);
	if (offset >= ACPI_PM_TMR_OFF)
		return (acpi_pm_timer(s) >> (8 * (offset - ACPI_PM_TMR_OFF))) &
		       acpi_pm_ones(size);
	for (i = 0; i < size; i++) {
		unsigned int byte = (unsigned int)offset + i;
		uint16_t reg = acpi_pm1_read(s, byte / 2);

		val |= (uint32_t)((reg >> (8 * (byte % 2))) & 0xff) << (8 * i);
	}
	return val;
}

void acpi_pm_write(struct acpi_pm *s, uint64_t offset, unsigned int size,
		   uint32_t val)
{
	unsigned int reg, first, last;

	if (!acpi_pm_access_ok(offset, size) || offset >= ACPI_PM_TMR_OFF) {
		s->bad_writes++;
		return;
	}
	acpi_pm_latch_timer(s);
	/* Registers first..last, each given the bytes of @val it covers. */
	first = (unsigned int)offset / 2;
	last = ((unsigned int)offset + size - 1) / 2;
	for (reg = first; reg <= last; reg++) {
		int shift = (int)(2 * reg) - (int)offset; /* byte shift */
		uint32_t wide = shift >= 0 ? val >> (8 * shift) :
					     val << (8 * -shift);
		uint32_t bytes = acpi_pm_ones(size);
		uint32_t wmask = shift >= 0 ? bytes >> (8 * shift) :
					      bytes << (8 * -shift);

		acpi_pm1_write(s, reg, (uint16_t)wide, (uint16_t)wmask);
	}
	acpi_pm_update_irq(s);
}
