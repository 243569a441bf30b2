/* Intel 8042 keyboard controller model, without a keyboard. */
#ifndef VMMD_DEVICES_I8042_H
#define VMMD_DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * The controller has two ports, data (PC: 0x60) and status/command (PC:
 * 0x64). The model takes offsets from the data port: I8042_DATA (0) and
 * I8042_CMD (4). Offsets 1..3 are NOT the controller's (0x61 is the PC's
 * system control port B, owned by the in-kernel PIT's speaker logic), so
 * the builder claims two 1-byte ranges on the port I/O bus, at data and
 * data + 4, and passes offset 0 and 4 respectively.
 *
 * Threading: as serial8250.h (caller serialises; callbacks synchronous).
 */

#define I8042_DATA 0u
#define I8042_CMD 4u /* read: status, write: command */

/* Status register */
#define I8042_STR_OBF 0x01u /* output buffer full */
#define I8042_STR_IBF 0x02u /* input buffer full (never: instant) */
#define I8042_STR_SYS 0x04u /* system flag (command byte bit 2) */
#define I8042_STR_CMD 0x08u /* last input byte was a command */
#define I8042_STR_UNLOCKED 0x10u /* keyboard not inhibited */
#define I8042_STR_AUXDATA 0x20u /* output buffer holds aux data */

/* Command byte */
#define I8042_CTR_KBDINT 0x01u
#define I8042_CTR_AUXINT 0x02u
#define I8042_CTR_SYS 0x04u
#define I8042_CTR_KBDDIS 0x10u
#define I8042_CTR_AUXDIS 0x20u
#define I8042_CTR_XLATE 0x40u

/* Controller commands */
#define I8042_CMD_READ_CTR 0x20u
#define I8042_CMD_WRITE_CTR 0x60u
#define I8042_CMD_AUX_DISABLE 0xa7u
#define I8042_CMD_AUX_ENABLE 0xa8u
#define I8042_CMD_SELF_TEST 0xaau /* answers 0x55 */
#define I8042_CMD_KBD_TEST 0xabu /* answers 0x00: interface OK */
#define I8042_CMD_KBD_DISABLE 0xadu
#define I8042_CMD_KBD_ENABLE 0xaeu
#define I8042_CMD_READ_OUTPORT 0xd0u
#define I8042_CMD_WRITE_OUTPORT 0xd1u
#define I8042_CMD_WRITE_KBD_OBUF 0xd2u
#define I8042_CMD_PULSE_RESET 0xfeu /* pulses output port bit 0 */

#define I8042_SELF_TEST_OK 0x55u
#define I8042_OUTPORT_RESET 0x01u /* low = CPU in reset */
#define I8042_OUTPORT_A20 0x02u

struct i8042_ops {
	/* Required: the guest reset the machine (0xFE, output port bit 0). */
	void (*reset)(void *opaque);
	/* Optional: level of the keyboard interrupt (ISA IRQ 1). */
	void (*irq_set)(void *opaque, bool level);
};

struct i8042 {
	const struct i8042_ops *ops;
	void *opaque;

	uint8_t ctr; /* command byte */
	uint8_t outport;
	uint8_t obuf; /* output buffer */
	bool obf; /* output buffer full */
	uint8_t pending; /* command waiting for its data byte, 0 none */
	bool last_cmd; /* status A2 */
	bool irq_level;

	/* Ignored accesses: other offsets/sizes, unknown commands. */
	uint64_t bad_reads;
	uint64_t bad_writes;
	uint64_t resets; /* reset requests passed to ops->reset */
};

/* Returns 0, or -EINVAL when @ops or ops->reset is NULL. */
int i8042_init(struct i8042 *s, const struct i8042_ops *ops,
	       void *opaque) __must_check;

void i8042_reset(struct i8042 *s);

/* Byte reads of I8042_DATA / I8042_CMD; anything else reads all-ones. */
uint32_t i8042_read(struct i8042 *s, uint64_t offset, unsigned int size);

void i8042_write(struct i8042 *s, uint64_t offset, unsigned int size,
		 uint32_t val);

#endif
