/* Intel 8042 keyboard controller: commands, output buffer, reset line. */

/*
 * WHAT IS MODELLED
 * ================
 * Enough of the controller for firmware and Linux to find it, test it and
 * reset the machine through it; there is no keyboard and no aux (mouse)
 * device behind it.
 *  - Status (read at I8042_CMD): OBF while a byte waits in the output
 *    buffer, IBF never (input is processed at once), SYS from the command
 *    byte, A2 (last write was a command), keyboard not inhibited, AUXDATA
 *    never.
 *  - Data read: the output buffer; clears OBF. With OBF clear it returns
 *    the last byte again, as the chip does.
 *  - Commands: 0x20 read / 0x60 write the command byte; 0xa7/0xa8 and
 *    0xad/0xae set/clear the aux and keyboard disable bits; 0xaa
 *    self-test answers 0x55 and sets SYS; 0xab keyboard interface test
 *    answers 0x00; 0xd0/0xd1 read/write the output port (writing bit 0
 *    low resets); 0xd2 puts the next data byte in the output buffer as if
 *    the keyboard sent it; 0xf0..0xff pulse the output port bits whose
 *    command bits are 0 for 6 us: bit 0 (0xfe and the others with bit 0
 *    clear) is the CPU reset line, so they call ops->reset.
 *  - Other commands (aux loopback and tests, password, keyboard data
 *    bytes written at I8042_DATA) are ignored and counted: with no device
 *    behind the port, drivers time out and report no keyboard or mouse.
 *  - The keyboard interrupt (optional ops->irq_set) is high while OBF is
 *    set and the command byte enables it.
 */
#include <errno.h>
#include <string.h>

#include "devices/i8042.h"

static void i8042_update_irq(struct i8042 *s)
{
	bool level = s->obf && (s->ctr & I8042_CTR_KBDINT);

	if (level == s->irq_level)
		return;
	s->irq_level = level;
	if (s->ops->irq_set)
		s->ops->irq_set(s->opaque, level);
}

static void i8042_put(struct i8042 *s, uint8_t byte)
{
	s->obuf = byte;
	s->obf = true;
}

static void i8042_regs_reset(struct i8042 *s)
{
	s->ctr = I8042_CTR_KBDINT | I8042_CTR_XLATE;
	s->outport = I8042_OUTPORT_RESET | I8042_OUTPORT_A20;
	s->obuf = 0;
	s->obf = false;
	s->pending = 0;
	s->last_cmd = false;
}

int i8042_init(struct i8042 *s, const struct i8042_ops *ops, void *opaque)
{
	if (!ops || !ops->reset)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	i8042_regs_reset(s);
	return 0;
}

void i8042_reset(struct i8042 *s)
{
	i8042_regs_reset(s);
	i8042_update_irq(s);
}

static void i8042_request_reset(struct i8042 *s)
{
	s->resets++;
	s->ops->reset(s->opaque);
}

static uint8_t i8042_status(const struct i8042 *s)
{
	uint8_t st = I8042_STR_UNLOCKED;

	if (s->obf)
		st |= I8042_STR_OBF;
	if (s->ctr & I8042_CTR_SYS)
		st |= I8042_STR_SYS;
	if (s->last_cmd)
		st |= I8042_STR_CMD;
	return st;
}

static bool i8042_command(struct i8042 *s, uint8_t cmd)
{
	s->pending = 0;
	if (cmd >= 0xf0) {
		if (!(cmd & I8042_OUTPORT_RESET))
			i8042_request_reset(s);
		return true;
	}
	switch (cmd) {
	case I8042_CMD_READ_CTR:
		i8042_put(s, s->ctr);
		return true;
	case I8042_CMD_WRITE_CTR:
	case I8042_CMD_WRITE_OUTPORT:
	case I8042_CMD_WRITE_KBD_OBUF:
		s->pending = cmd;
		return true;
	case I8042_CMD_AUX_DISABLE:
		s->ctr |= I8042_CTR_AUXDIS;
		return true;
	case I8042_CMD_AUX_ENABLE:
		s->ctr &= ~I8042_CTR_AUXDIS;
		return true;
	case I8042_CMD_SELF_TEST:
		s->ctr |= I8042_CTR_SYS;
		i8042_put(s, I8042_SELF_TEST_OK);
		return true;
	case I8042_CMD_KBD_TEST:
		i8042_put(s, 0x00);
		return true;
	case I8042_CMD_KBD_DISABLE:
		s->ctr |= I8042_CTR_KBDDIS;
		return true;
	case I8042_CMD_KBD_ENABLE:
		s->ctr &= ~I8042_CTR_KBDDIS;
		return true;
	case I8042_CMD_READ_OUTPORT:
		i8042_put(s, s->outport);
		return true;
	default:
		return false;
	}
}

static bool i8042_data(struct i8042 *s, uint8_t val)
{
	uint8_t cmd = s->pending;

	s->pending = 0;
	switch (cmd) {
	case I8042_CMD_WRITE_CTR:
		s->ctr = val;
		return true;
	case I8042_CMD_WRITE_OUTPORT:
		s->outport = val;
		if (!(val & I8042_OUTPORT_RESET))
			i8042_request_reset(s);
		return true;
	case I8042_CMD_WRITE_KBD_OBUF:
		i8042_put(s, val);
		return true;
	default:
		return false; /* a byte for the keyboard: there is none */
	}
}

uint32_t i8042_read(struct i8042 *s, uint64_t offset, unsigned int size)
{
	uint8_t v;

	if (size != 1 || (offset != I8042_DATA && offset != I8042_CMD)) {
		s->bad_reads++;
		return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	}
	if (offset == I8042_CMD)
		return i8042_status(s);
	v = s->obuf;
	s->obf = false;
	i8042_update_irq(s);
	return v;
}

void i8042_write(struct i8042 *s, uint64_t offset, unsigned int size,
		 uint32_t val)
{
	bool ok;

	if (size != 1 || (offset != I8042_DATA && offset != I8042_CMD)) {
		s->bad_writes++;
		return;
	}
	s->last_cmd = offset == I8042_CMD;
	if (s->last_cmd)
		ok = i8042_command(s, val & 0xff);
	else
		ok = i8042_data(s, val & 0xff);
	if (!ok)
		s->bad_writes++;
	i8042_update_irq(s);
}
