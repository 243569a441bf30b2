/* Debug-exit port for tests: a guest write ends the VM with a status. */
#ifndef VMMD_DEVICES_DEBUG_EXIT_H
#define VMMD_DEVICES_DEBUG_EXIT_H

#include <stdint.h>

#include "vmmd/common.h"

/*
 * A 2-byte window (PC: X86_PORT_DEBUG_EXIT, 0x501, see vmmd/x86_ports.h
 * and docs/platform.md). A write of 1 or 2 bytes at offset 0 calls
 * ops->exit with the value written, unchanged. (QEMU's isa-debug-exit at
 * the same port exits with (value << 1) | 1; here the mapping from the
 * value to a process exit status is the caller's policy.) Reads return
 * all-ones, as if nothing were there, so a guest cannot tell it from an
 * empty port by reading; they are not errors. Only test configurations
 * attach it.
 */

#define DEBUG_EXIT_IO_SIZE 2u

struct debug_exit_ops {
	/* Required: the guest asked to end the VM with @value. */
	void (*exit)(void *opaque, uint32_t value);
};

struct debug_exit {
	const struct debug_exit_ops *ops;
	void *opaque;
	uint64_t bad_writes; /* offset 1, other sizes */
	uint64_t exits;
};

int debug_exit_init(struct debug_exit *s, const struct debug_exit_ops *ops,
		    void *opaque) __must_check;

uint32_t debug_exit_read(struct debug_exit *s, uint64_t offset,
			 unsigned int size);
void debug_exit_write(struct debug_exit *s, uint64_t offset, unsigned int size,
		      uint32_t val);

#endif
