/* ARM PrimeCell PL011 UART device model (host-independent, no policy). */
#ifndef VMMD_DEVICES_PL011_H
#define VMMD_DEVICES_PL011_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * The model knows registers only: it never chooses its address or its
 * interrupt (the resolver does: struct layout_device.mmio_base and .gsi),
 * and it knows nothing about KVM. Whoever instantiates it maps its 4 KiB
 * register window on the MMIO bus, passes offsets from the window's base to
 * pl011_read()/pl011_write(), and turns ops->irq_set() into a level on the
 * UART's interrupt line (level high, an SPI on arm64).
 *
 * Threading: the model has no lock of its own. pl011_read/write run on
 * vCPU threads (MMIO exits), pl011_rx_push/pl011_rx_room on the I/O thread;
 * the caller serialises all calls on one struct pl011 (a per-device lock).
 * The ops callbacks are called synchronously from those calls, with that
 * lock held: they must not call back into the same struct pl011 and, as
 * they may run on a vCPU thread, must not block for long.
 */

/* Size of the register window; offsets at or beyond it are unknown. */
#define PL011_MMIO_SIZE 0x1000u

/*
 * Receive FIFO depth. It must agree with the revision in UARTPeriphID2
 * (0x14: revision 1): guests size their FIFO handling from it, and Linux
 * assumes 16 entries below revision 3 (r1p5, 32 entries).
 */
#define PL011_FIFO_DEPTH 16u

/* Register offsets (PL011 TRM, "Summary of registers"). */
enum pl011_reg {
	PL011_DR = 0x000, /* data; read: bits 11:8 OE BE PE FE */
	PL011_RSR_ECR = 0x004, /* read: receive status, write: error clear */
	PL011_FR = 0x018, /* flags, read-only */
	PL011_ILPR = 0x020, /* IrDA low-power counter */
	PL011_IBRD = 0x024, /* integer baud rate divisor */
	PL011_FBRD = 0x028, /* fractional baud rate divisor */
	PL011_LCR_H = 0x02c, /* line control */
	PL011_CR = 0x030, /* control */
	PL011_IFLS = 0x034, /* interrupt FIFO level select */
	PL011_IMSC = 0x038, /* interrupt mask set/clear */
	PL011_RIS = 0x03c, /* raw interrupt status, read-only */
	PL011_MIS = 0x040, /* masked interrupt status, read-only */
	PL011_ICR = 0x044, /* interrupt clear, write-only */
	PL011_DMACR = 0x048, /* DMA control */
	PL011_PERIPH_ID0 = 0xfe0, /* PrimeCell ids, read-only, one byte each */
	PL011_PCELL_ID0 = 0xff0,
};

/* UARTFR bits. */
#define PL011_FR_CTS (1u << 0)
#define PL011_FR_DSR (1u << 1)
#define PL011_FR_DCD (1u << 2)
#define PL011_FR_BUSY (1u << 3)
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
#define PL011_FR_RXFF (1u << 6)
#define PL011_FR_TXFE (1u << 7)
#define PL011_FR_RI (1u << 8)

/* UARTLCR_H bits the model acts on. */
#define PL011_LCR_H_FEN (1u << 4) /* FIFOs enabled (else 1-deep) */

/* UARTCR bits the model acts on. */
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_LBE (1u << 7) /* loopback */
#define PL011_CR_TXE (1u << 8)
#define PL011_CR_RXE (1u << 9)

/* Interrupt bits, the same in UARTIMSC, UARTRIS, UARTMIS and UARTICR. */
#define PL011_INT_RIM (1u << 0) /* modem status: nUARTRI */
#define PL011_INT_CTSM (1u << 1)
#define PL011_INT_DCDM (1u << 2)
#define PL011_INT_DSRM (1u << 3)
#define PL011_INT_RX (1u << 4) /* receive */
#define PL011_INT_TX (1u << 5) /* transmit */
#define PL011_INT_RT (1u << 6) /* receive timeout */
#define PL011_INT_FE (1u << 7) /* framing error */
#define PL011_INT_PE (1u << 8) /* parity error */
#define PL011_INT_BE (1u << 9) /* break error */
#define PL011_INT_OE (1u << 10) /* overrun error */
#define PL011_INT_ALL 0x7ffu

/* Reset values (PL011 TRM). */
#define PL011_CR_RESET (PL011_CR_TXE | PL011_CR_RXE) /* 0x0300 */
#define PL011_IFLS_RESET 0x12u /* both FIFOs: trigger at half full */

/* What the model needs from its host. */
struct pl011_ops {
	/* Required: one byte the guest transmitted (written to UARTDR). */
	void (*tx)(void *opaque, uint8_t byte);
	/* Required: the interrupt output changed (called on transitions). */
	void (*irq_set)(void *opaque, bool level);
	/*
	 * Optional (may be NULL): a guest access took pl011_rx_room() from 0
	 * to more than 0 (it read from a full FIFO or turned the receiver
	 * on). Lets an event-driven I/O thread offer held-back input again
	 * instead of polling.
	 */
	void (*rx_ready)(void *opaque);
};

/*
 * Device state. Registers are kept as the guest wrote them (masked to
 * their implemented bits); the flag and interrupt status registers are
 * computed from the FIFO and the control bits when read.
 */
struct pl011 {
	const struct pl011_ops *ops;
	void *opaque;

	uint8_t rx_fifo[PL011_FIFO_DEPTH];
	unsigned int rx_head; /* index of the oldest byte */
	unsigned int rx_count; /* bytes in the FIFO */

	uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
	bool tx_int_cleared; /* TXRIS cleared by ICR since the last write */
	bool irq_level; /* last level passed to ops->irq_set */

	/*
	 * Accesses the model ignored: unknown or reserved offsets, sizes
	 * other than 1, 2 or 4, accesses straddling a register, writes to
	 * read-only and reads of write-only registers. Guest input is
	 * untrusted: such accesses are counted, never fatal.
	 */
	uint64_t bad_reads;
	uint64_t bad_writes;
};

/*
 * Puts @s in its reset state (registers at their reset values, FIFO
 * empty, interrupt output low) and binds it to @ops/@opaque. @ops must
 * outlive @s. Does not call any callback. Returns 0, or -EINVAL when @ops,
 * ops->tx or ops->irq_set is NULL.
 */
int pl011_init(struct pl011 *s, const struct pl011_ops *ops,
	       void *opaque) __must_check;

/*
 * Device reset (a VM reset): registers to their reset values, FIFO
 * emptied; lowers the interrupt output (ops->irq_set(false)) if it was
 * high. Counters are kept.
 */
void pl011_reset(struct pl011 *s);

/*
 * Guest read of @size bytes (1, 2 or 4) at @offset in the register window.
 * Returns the value in the low @size bytes. A read of UARTDR pops one byte
 * from the receive FIFO. Never fails: ignored accesses read 0.
 */
uint32_t pl011_read(struct pl011 *s, uint64_t offset, unsigned int size);

/*
 * Guest write of the low @size bytes (1, 2 or 4) of @val at @offset. A
 * write to UARTDR transmits its low byte through ops->tx (or, in loopback,
 * into the receive FIFO). Never fails: ignored accesses are counted.
 */
void pl011_write(struct pl011 *s, uint64_t offset, unsigned int size,
		 uint32_t val);

/*
 * Host input: appends up to @len bytes of @buf to the receive FIFO and
 * returns how many it took (0..@len), or -EINVAL when @buf is NULL with
 * @len > 0. Takes nothing while the guest has the receiver off (UARTEN or
 * RXE clear) and stops when the FIFO is full: the caller keeps the rest
 * and offers it again later, so no byte is ever lost and the receive
 * overrun error is never raised. Updates the interrupt output.
 */
int pl011_rx_push(struct pl011 *s, const uint8_t *buf, size_t len);

/* How many bytes pl011_rx_push() would take now. */
size_t pl011_rx_room(const struct pl011 *s);

#endif
