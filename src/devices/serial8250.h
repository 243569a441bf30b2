/* 16550A UART device model (host-independent, no policy). */
#ifndef VMMD_DEVICES_SERIAL8250_H
#define VMMD_DEVICES_SERIAL8250_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * Registers only: the model never chooses its port or IRQ (the resolver
 * does: struct layout_device.io_port and .gsi) and knows nothing of KVM.
 * The builder claims the 8 ports on the port I/O bus, passes offsets
 * 0..7 to serial8250_read()/serial8250_write() and turns ops->irq_set()
 * into the level of the UART's ISA line.
 *
 * Threading (as pl011): no lock inside. serial8250_read/write run on vCPU
 * threads, serial8250_rx_push/rx_room on the I/O thread; the caller
 * serialises all calls on one struct serial8250. Callbacks run
 * synchronously with that lock held and must not re-enter the model.
 */

#define SERIAL8250_IO_SIZE 8u
#define SERIAL8250_FIFO_DEPTH 16u

/* Register offsets; DLL/DLM replace RBR/THR/IER while LCR.DLAB is set. */
enum serial8250_reg {
	SERIAL8250_RBR_THR_DLL = 0,
	SERIAL8250_IER_DLM = 1,
	SERIAL8250_IIR_FCR = 2, /* read IIR, write FCR */
	SERIAL8250_LCR = 3,
	SERIAL8250_MCR = 4,
	SERIAL8250_LSR = 5,
	SERIAL8250_MSR = 6,
	SERIAL8250_SCR = 7,
};

/* IER */
#define SERIAL8250_IER_RDI 0x01u /* received data available */
#define SERIAL8250_IER_THRI 0x02u /* THR empty */
#define SERIAL8250_IER_RLSI 0x04u /* receiver line status */
#define SERIAL8250_IER_MSI 0x08u /* modem status */

/* IIR: bit 0 set = nothing pending; bits 3:1 the source; 7:6 FIFOs on */
#define SERIAL8250_IIR_NO_INT 0x01u
#define SERIAL8250_IIR_MSI 0x00u
#define SERIAL8250_IIR_THRI 0x02u
#define SERIAL8250_IIR_RDI 0x04u
#define SERIAL8250_IIR_RLSI 0x06u
#define SERIAL8250_IIR_TIMEOUT 0x0cu
#define SERIAL8250_IIR_FIFO_ON 0xc0u

/* FCR */
#define SERIAL8250_FCR_ENABLE 0x01u
#define SERIAL8250_FCR_CLEAR_RX 0x02u
#define SERIAL8250_FCR_CLEAR_TX 0x04u
#define SERIAL8250_FCR_TRIGGER 0xc0u /* 1, 4, 8, 14 bytes */

/* LCR */
#define SERIAL8250_LCR_DLAB 0x80u

/* MCR */
#define SERIAL8250_MCR_DTR 0x01u
#define SERIAL8250_MCR_RTS 0x02u
#define SERIAL8250_MCR_OUT1 0x04u
#define SERIAL8250_MCR_OUT2 0x08u /* PC: gates the IRQ line */
#define SERIAL8250_MCR_LOOP 0x10u

/* LSR */
#define SERIAL8250_LSR_DR 0x01u
#define SERIAL8250_LSR_OE 0x02u
#define SERIAL8250_LSR_PE 0x04u
#define SERIAL8250_LSR_FE 0x08u
#define SERIAL8250_LSR_BI 0x10u
#define SERIAL8250_LSR_THRE 0x20u
#define SERIAL8250_LSR_TEMT 0x40u
#define SERIAL8250_LSR_FIFO_ERR 0x80u

/* MSR */
#define SERIAL8250_MSR_DCTS 0x01u
#define SERIAL8250_MSR_DDSR 0x02u
#define SERIAL8250_MSR_TERI 0x04u
#define SERIAL8250_MSR_DDCD 0x08u
#define SERIAL8250_MSR_CTS 0x10u
#define SERIAL8250_MSR_DSR 0x20u
#define SERIAL8250_MSR_RI 0x40u
#define SERIAL8250_MSR_DCD 0x80u

struct serial8250_ops {
	/* Required: one byte the guest transmitted (THR write). */
	void (*tx)(void *opaque, uint8_t byte);
	/* Required: the interrupt output changed (called on transitions). */
	void (*irq_set)(void *opaque, bool level);
	/* Optional: serial8250_rx_room() went from 0 to more than 0. */
	void (*rx_ready)(void *opaque);
};

struct serial8250 {
	const struct serial8250_ops *ops;
	void *opaque;

	uint8_t rx_fifo[SERIAL8250_FIFO_DEPTH];
	unsigned int rx_head;
	unsigned int rx_count;

	uint8_t dll, dlm, ier, fcr, lcr, mcr, scr;
	uint8_t lsr_err; /* latched OE (cleared by reading LSR) */
	uint8_t msr; /* input bits 7:4 and delta bits 3:0 */
	bool thre_pending; /* THRE interrupt latched (see serial8250.c) */
	bool irq_level;

	/* Ignored accesses: offsets >= 8, sizes other than 1. */
	uint64_t bad_reads;
	uint64_t bad_writes;
	/* Bytes lost to receive overrun (only possible in loopback). */
	uint64_t overruns;
};

/*
 * Reset state, bound to @ops/@opaque (must outlive @s). No callback is
 * called. Returns 0 or -EINVAL (NULL ops, tx or irq_set).
 */
int serial8250_init(struct serial8250 *s, const struct serial8250_ops *ops,
		    void *opaque) __must_check;

/* VM reset: registers to reset values, FIFO emptied, output lowered. */
void serial8250_reset(struct serial8250 *s);

/*
 * Guest read of @size bytes at @offset (0..7). Only byte accesses are
 * registers; others read all-ones and are counted in bad_reads.
 */
uint32_t serial8250_read(struct serial8250 *s, uint64_t offset,
			 unsigned int size);

/* Guest write of the low byte of @val; other sizes counted, ignored. */
void serial8250_write(struct serial8250 *s, uint64_t offset, unsigned int size,
		      uint32_t val);

/*
 * Host input: appends up to @len bytes to the receive FIFO and returns
 * how many were taken (the caller keeps the rest and retries on
 * ops->rx_ready), or -EINVAL for a NULL @buf with @len > 0. Takes nothing
 * in loopback mode (the serial input is disconnected there).
 */
int serial8250_rx_push(struct serial8250 *s, const uint8_t *buf, size_t len);

size_t serial8250_rx_room(const struct serial8250 *s);

#endif
