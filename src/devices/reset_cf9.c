/* Reset control register at 0xcf9: RST_CPU with SYS_RST resets the VM. */

/*
 * On Intel's PCH a write that sets RST_CPU (bit 2) starts a reset, hard
 * or soft per SYS_RST (bit 1), full per FULL_RST (bit 3). A VM has one
 * kind of reset, so the model asks for it when a write sets RST_CPU
 * together with SYS_RST (0x06, 0x0e: the value of the FADT's RESET_REG
 * and what Linux's reboot=pci writes after setting SYS_RST alone). A
 * write of SYS_RST alone (0x02) only selects the reset type, and a soft
 * CPU-only reset (0x04) is not modelled: a VM never resets its CPUs
 * without the rest of the machine. Reads return the last written byte.
 */
#include <errno.h>
#include <string.h>

#include "devices/reset_cf9.h"

int reset_cf9_init(struct reset_cf9 *s, const struct reset_cf9_ops *ops,
		   void *opaque)
{
	if (!ops || !ops->reset)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	return 0;
}

uint32_t reset_cf9_read(struct reset_cf9 *s, uint64_t offset, unsigned int size)
{
	if (size != 1 || offset != 0) {
		s->bad_reads++;
		return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	}
	return s->value;
}

void reset_cf9_write(struct reset_cf9 *s, uint64_t offset, unsigned int size,
		     uint32_t val)
{
	if (size != 1 || offset != 0) {
		s->bad_writes++;
		return;
	}
	s->value = val & 0xff;
	if ((val & RESET_CF9_RST_CPU) && (val & RESET_CF9_SYS_RST)) {
		s->resets++;
		s->ops->reset(s->opaque);
	}
}
