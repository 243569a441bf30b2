/*
 * Unit tests of the PL011 UART model: ids, reset values, the transmit
 * path, the receive FIFO and its flags, the interrupt registers and the
 * level transitions of the interrupt output, and hostile accesses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "devices/pl011.h"

#define MAX_EVENTS 64

/* What the model told its host. */
struct host {
	uint8_t tx[256];
	size_t n_tx;
	bool levels[MAX_EVENTS]; /* irq_set calls, in order */
	size_t n_levels;
	unsigned int rx_ready;
};

static void host_tx(void *opaque, uint8_t byte)
{
	struct host *h = opaque;

	assert_true(h->n_tx < sizeof(h->tx));
	h->tx[h->n_tx++] = byte;
}

static void host_irq_set(void *opaque, bool level)
{
	struct host *h = opaque;

	assert_true(h->n_levels < MAX_EVENTS);
	h->levels[h->n_levels++] = level;
}

static void host_rx_ready(void *opaque)
{
	struct host *h = opaque;

	h->rx_ready++;
}

static const struct pl011_ops host_ops = {
	.tx = host_tx,
	.irq_set = host_irq_set,
	.rx_ready = host_rx_ready,
};

#define UART_ON (PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE)

static void setup(struct pl011 *s, struct host *h)
{
	memset(h, 0, sizeof(*h));
	assert_int_equal(pl011_init(s, &host_ops, h), 0);
}

/* The usual driver setup: FIFOs on, UART, transmitter, receiver on. */
static void setup_on(struct pl011 *s, struct host *h)
{
	setup(s, h);
	pl011_write(s, PL011_LCR_H, 4, PL011_LCR_H_FEN | 0x60);
	pl011_write(s, PL011_CR, 4, UART_ON);
}

static uint32_t rd(struct pl011 *s, uint64_t off)
{
	return pl011_read(s, off, 4);
}

static void test_init_rejects_bad_ops(void **state)
{
	static const struct pl011_ops no_tx = { .irq_set = host_irq_set };
	static const struct pl011_ops no_irq = { .tx = host_tx };
	struct pl011 s;

	(void)state;
	assert_int_equal(pl011_init(&s, NULL, NULL), -EINVAL);
	assert_int_equal(pl011_init(&s, &no_tx, NULL), -EINVAL);
	assert_int_equal(pl011_init(&s, &no_irq, NULL), -EINVAL);
}

static void test_id_registers(void **state)
{
	static const uint32_t want[8] = { 0x11, 0x10, 0x14, 0x00,
					  0x0d, 0xf0, 0x05, 0xb1 };
	struct pl011 s;
	struct host h;
	uint32_t periph = 0, cell = 0;
	unsigned int i;

	(void)state;
	setup(&s, &h);
	for (i = 0; i < 8; i++)
		assert_int_equal(rd(&s, 0xfe0 + 4 * i), want[i]);
	/* How AMBA bus drivers assemble them: low byte of each word. */
	for (i = 0; i < 4; i++) {
		periph |= (rd(&s, PL011_PERIPH_ID0 + 4 * i) & 0xff) << (8 * i);
		cell |= (rd(&s, PL011_PCELL_ID0 + 4 * i) & 0xff) << (8 * i);
	}
	assert_int_equal(periph, 0x00141011);
	assert_int_equal(cell, 0xb105f00d);
	/* Byte reads, and the ids ignore writes (counted). */
	assert_int_equal(pl011_read(&s, 0xff0, 1), 0x0d);
	assert_int_equal(pl011_read(&s, 0xffc, 1), 0xb1);
	pl011_write(&s, 0xfe0, 4, 0);
	assert_int_equal(rd(&s, 0xfe0), 0x11);
	assert_int_equal(s.bad_writes, 1);
	assert_int_equal(s.bad_reads, 0);
}

static void test_reset_values(void **state)
{
	struct pl011 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	assert_int_equal(rd(&s, PL011_CR), 0x300);
	assert_int_equal(rd(&s, PL011_IFLS), 0x12);
	assert_int_equal(rd(&s, PL011_LCR_H), 0);
	assert_int_equal(rd(&s, PL011_IMSC), 0);
	assert_int_equal(rd(&s, PL011_IBRD), 0);
	assert_int_equal(rd(&s, PL011_FBRD), 0);
	assert_int_equal(rd(&s, PL011_ILPR), 0);
	assert_int_equal(rd(&s, PL011_DMACR), 0);
	assert_int_equal(rd(&s, PL011_RSR_ECR), 0);
	assert_int_equal(rd(&s, PL011_RIS), 0); /* UARTEN clear: no TX int */
	assert_int_equal(rd(&s, PL011_MIS), 0);
	assert_int_equal(rd(&s, PL011_FR), PL011_FR_TXFE | PL011_FR_RXFE |
						   PL011_FR_CTS | PL011_FR_DSR |
						   PL011_FR_DCD);
	assert_int_equal(rd(&s, PL011_DR), 0); /* empty FIFO */
	assert_int_equal(h.n_levels, 0);
}

static void test_stored_registers(void **state)
{
	struct pl011 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Each keeps its implemented bits only. */
	pl011_write(&s, PL011_IBRD, 4, 0xffffffff);
	pl011_write(&s, PL011_FBRD, 4, 0xffffffff);
	pl011_write(&s, PL011_LCR_H, 4, 0xffffffff);
	pl011_write(&s, PL011_ILPR, 4, 0xffffffff);
	pl011_write(&s, PL011_IFLS, 4, 0xffffffff);
	pl011_write(&s, PL011_DMACR, 4, 0xffffffff);
	pl011_write(&s, PL011_CR, 4, 0xffffffff);
	pl011_write(&s, PL011_IMSC, 4, 0xffffffff);
	assert_int_equal(rd(&s, PL011_IBRD), 0xffff);
	assert_int_equal(rd(&s, PL011_FBRD), 0x3f);
	assert_int_equal(rd(&s, PL011_LCR_H), 0xff);
	assert_int_equal(rd(&s, PL011_ILPR), 0xff);
	assert_int_equal(rd(&s, PL011_IFLS), 0x3f);
	assert_int_equal(rd(&s, PL011_DMACR), 0x7);
	assert_int_equal(rd(&s, PL011_CR), 0xff87);
	assert_int_equal(rd(&s, PL011_IMSC), 0x7ff);
	/* UARTRSR/UARTECR: a write clears errors; it is not an error. */
	pl011_write(&s, PL011_RSR_ECR, 4, 0xff);
	assert_int_equal(s.bad_writes, 0);
}

static void test_tx_path(void **state)
{
	struct pl011 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Earlycon: UARTCR never programmed (UARTEN clear), output works. */
	pl011_write(&s, PL011_DR, 4, 'H');
	pl011_write(&s, PL011_DR, 1, 'i'); /* writeb, as earlycon does */
	pl011_write(&s, PL011_DR, 2, 0x0a);
	pl011_write(&s, PL011_DR, 4, 0xf00 | '!'); /* only bits 7:0 go */
	assert_int_equal(h.n_tx, 4);
	assert_memory_equal(h.tx, "Hi\n!", 4);
	/* An access without the data byte transmits nothing. */
	pl011_write(&s, PL011_DR + 1, 1, 'x');
	assert_int_equal(h.n_tx, 4);
	assert_int_equal(s.bad_writes, 1);
	/* The transmit side never fills or gets busy. */
	assert_int_equal(rd(&s, PL011_FR) & (PL011_FR_TXFF | PL011_FR_BUSY |
					     PL011_FR_TXFE),
			 PL011_FR_TXFE);
	/* Nothing came back into the receiver. */
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFE);
}

static void test_rx_fifo(void **state)
{
	uint8_t in[40];
	struct pl011 s;
	struct host h;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)('a' + i);
	setup_on(&s, &h);
	assert_int_equal(pl011_rx_room(&s), PL011_FIFO_DEPTH);
	assert_int_equal(pl011_rx_push(&s, in, 0), 0);
	assert_int_equal(pl011_rx_push(&s, NULL, 0), 0);
	assert_int_equal(pl011_rx_push(&s, NULL, 1), -EINVAL);

	/* Fill: FR follows the FIFO level. */
	assert_int_equal(pl011_rx_push(&s, in, 1), 1);
	assert_int_equal(rd(&s, PL011_FR) & (PL011_FR_RXFE | PL011_FR_RXFF), 0);
	/* Overflow: the FIFO takes what fits, the caller keeps the rest. */
	assert_int_equal(pl011_rx_push(&s, in + 1, 39), PL011_FIFO_DEPTH - 1);
	assert_int_equal(rd(&s, PL011_FR) & (PL011_FR_RXFE | PL011_FR_RXFF),
			 PL011_FR_RXFF);
	assert_int_equal(pl011_rx_room(&s), 0);
	assert_int_equal(pl011_rx_push(&s, in + 16, 24), 0);
	/* No overrun: nothing was lost, so no error is reported. */
	assert_int_equal(rd(&s, PL011_RSR_ECR), 0);
	assert_int_equal(rd(&s, PL011_RIS) & PL011_INT_OE, 0);

	/* Drain, in order, data bits only. */
	for (i = 0; i < PL011_FIFO_DEPTH; i++) {
		assert_int_equal(rd(&s, PL011_DR), 'a' + i);
		assert_false(rd(&s, PL011_FR) & PL011_FR_RXFF);
	}
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFE);
	assert_int_equal(rd(&s, PL011_DR), 0);

	/* Wrap around the ring. */
	assert_int_equal(pl011_rx_push(&s, in, 10), 10);
	for (i = 0; i < 5; i++)
		assert_int_equal(pl011_read(&s, PL011_DR, 1), 'a' + i);
	assert_int_equal(pl011_rx_push(&s, in + 10, 30), 11);
	for (i = 5; i < 21; i++)
		assert_int_equal(pl011_read(&s, PL011_DR, 2), 'a' + i);
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFE);
	assert_int_equal(s.bad_reads, 0);
	assert_int_equal(s.bad_writes, 0);
}

static void test_rx_gating(void **state)
{
	const uint8_t in[4] = { '1', '2', '3', '4' };
	struct pl011 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Reset: UARTEN clear, the receiver takes nothing. */
	assert_int_equal(pl011_rx_room(&s), 0);
	assert_int_equal(pl011_rx_push(&s, in, 4), 0);
	/* UARTEN without RXE: still nothing. */
	pl011_write(&s, PL011_CR, 4, PL011_CR_UARTEN | PL011_CR_TXE);
	assert_int_equal(pl011_rx_push(&s, in, 4), 0);
	/* Receiver on, FIFOs off: a 1-byte holding register. */
	pl011_write(&s, PL011_CR, 4, UART_ON);
	assert_int_equal(h.rx_ready, 1); /* room went from 0 to 1 */
	assert_int_equal(pl011_rx_push(&s, in, 4), 1);
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFF);
	assert_int_equal(pl011_rx_push(&s, in + 1, 3), 0);
	/* FIFOs on: room for the rest of the FIFO. */
	pl011_write(&s, PL011_LCR_H, 4, PL011_LCR_H_FEN);
	assert_int_equal(h.rx_ready, 2);
	assert_false(rd(&s, PL011_FR) & PL011_FR_RXFF);
	assert_int_equal(pl011_rx_room(&s), PL011_FIFO_DEPTH - 1);
	assert_int_equal(pl011_rx_push(&s, in + 1, 3), 3);
	assert_int_equal(rd(&s, PL011_DR), '1');
	assert_int_equal(rd(&s, PL011_DR), '2');
}

static void test_rx_ready(void **state)
{
	uint8_t in[PL011_FIFO_DEPTH] = { 0 };
	struct pl011 s;
	struct host h;

	(void)state;
	setup_on(&s, &h);
	assert_int_equal(h.rx_ready, 1); /* setup turned the receiver on */
	assert_int_equal(pl011_rx_push(&s, in, sizeof(in)), sizeof(in));
	/* Reads that do not free a slot of a full FIFO do not wake. */
	(void)rd(&s, PL011_FR);
	(void)pl011_read(&s, PL011_DR + 1, 1); /* peek: no pop */
	assert_int_equal(pl011_rx_room(&s), 0);
	assert_int_equal(h.rx_ready, 1);
	(void)rd(&s, PL011_DR);
	assert_int_equal(h.rx_ready, 2);
	(void)rd(&s, PL011_DR); /* room 1 -> 2: no new wake-up */
	assert_int_equal(h.rx_ready, 2);
}

static void test_rx_interrupts(void **state)
{
	const uint8_t in[3] = { 'x', 'y', 'z' };
	struct pl011 s;
	struct host h;

	(void)state;
	setup_on(&s, &h);
	/* Masked: RIS shows data, MIS and the output do not. */
	assert_int_equal(pl011_rx_push(&s, in, 1), 1);
	assert_int_equal(rd(&s, PL011_RIS) & (PL011_INT_RX | PL011_INT_RT),
			 PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(rd(&s, PL011_MIS), 0);
	assert_int_equal(h.n_levels, 0);
	/* Linux unmasks RX and RT: the output rises once. */
	pl011_write(&s, PL011_IMSC, 4, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(h.n_levels, 1);
	assert_true(h.levels[0]);
	assert_int_equal(rd(&s, PL011_MIS), PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(pl011_rx_push(&s, in + 1, 2), 2);
	assert_int_equal(h.n_levels, 1); /* already high: no new call */
	/* ICR cannot clear them while data is waiting. */
	pl011_write(&s, PL011_ICR, 4, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(rd(&s, PL011_MIS), PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(h.n_levels, 1);
	/* Draining ends them: the output falls after the last byte. */
	assert_int_equal(rd(&s, PL011_DR), 'x');
	assert_int_equal(rd(&s, PL011_DR), 'y');
	assert_int_equal(h.n_levels, 1);
	assert_int_equal(rd(&s, PL011_DR), 'z');
	assert_int_equal(h.n_levels, 2);
	assert_false(h.levels[1]);
	assert_int_equal(rd(&s, PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), 0);
	/* Masking while pending lowers the output; unmasking raises it. */
	assert_int_equal(pl011_rx_push(&s, in, 1), 1);
	assert_int_equal(h.n_levels, 3);
	assert_true(h.levels[2]);
	pl011_write(&s, PL011_IMSC, 4, 0);
	assert_int_equal(h.n_levels, 4);
	assert_false(h.levels[3]);
	pl011_write(&s, PL011_IMSC, 4, PL011_INT_RT); /* RT alone works too */
	assert_int_equal(h.n_levels, 5);
	assert_true(h.levels[4]);
	assert_int_equal(rd(&s, PL011_MIS), PL011_INT_RT);
}

static void test_tx_interrupts(void **state)
{
	struct pl011 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Unmasked but the transmitter is off (UARTEN clear): low. */
	pl011_write(&s, PL011_IMSC, 4, PL011_INT_TX);
	assert_int_equal(rd(&s, PL011_RIS), 0);
	assert_int_equal(h.n_levels, 0);
	/* Transmitter on, FIFO empty: TXRIS and the output rise. */
	pl011_write(&s, PL011_CR, 4, UART_ON);
	assert_int_equal(rd(&s, PL011_RIS), PL011_INT_TX);
	assert_int_equal(rd(&s, PL011_MIS), PL011_INT_TX);
	assert_int_equal(h.n_levels, 1);
	assert_true(h.levels[0]);
	/* ICR clears it ... */
	pl011_write(&s, PL011_ICR, 4, PL011_INT_TX);
	assert_int_equal(rd(&s, PL011_RIS), 0);
	assert_int_equal(h.n_levels, 2);
	assert_false(h.levels[1]);
	/* ... until the next write empties the FIFO again. */
	pl011_write(&s, PL011_DR, 4, 'A');
	assert_int_equal(rd(&s, PL011_RIS), PL011_INT_TX);
	assert_int_equal(h.n_levels, 3);
	assert_true(h.levels[2]);
	/* ICR bits that are not pending change nothing. */
	pl011_write(&s, PL011_ICR, 4, PL011_INT_ALL & ~PL011_INT_TX);
	assert_int_equal(h.n_levels, 3);
	/* Turning TXE off ends it; on again raises it. */
	pl011_write(&s, PL011_CR, 4, PL011_CR_UARTEN | PL011_CR_RXE);
	assert_int_equal(h.n_levels, 4);
	assert_false(h.levels[3]);
	pl011_write(&s, PL011_CR, 4, UART_ON);
	assert_int_equal(h.n_levels, 5);
	assert_true(h.levels[4]);
	/* Masking lowers it. */
	pl011_write(&s, PL011_IMSC, 4, 0);
	assert_int_equal(h.n_levels, 6);
	assert_false(h.levels[5]);
	assert_int_equal(rd(&s, PL011_RIS), PL011_INT_TX);
	assert_int_equal(rd(&s, PL011_MIS), 0);
	/* Errors and modem status interrupts never show. */
	pl011_write(&s, PL011_IMSC, 4, PL011_INT_ALL & ~PL011_INT_TX);
	assert_int_equal(rd(&s, PL011_MIS), 0);
	assert_int_equal(h.n_levels, 6);
	assert_int_equal(s.bad_reads + s.bad_writes, 0);
}

static void test_loopback(void **state)
{
	struct pl011 s;
	struct host h;

	(void)state;
	setup_on(&s, &h);
	pl011_write(&s, PL011_CR, 4, UART_ON | PL011_CR_LBE);
	pl011_write(&s, PL011_DR, 4, 'L');
	assert_int_equal(h.n_tx, 0);
	assert_int_equal(rd(&s, PL011_DR), 'L');
	pl011_write(&s, PL011_CR, 4, UART_ON);
	pl011_write(&s, PL011_DR, 4, 'M');
	assert_int_equal(h.n_tx, 1);
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFE);
}

static void test_reset(void **state)
{
	const uint8_t in[2] = { 1, 2 };
	struct pl011 s;
	struct host h;

	(void)state;
	setup_on(&s, &h);
	pl011_write(&s, PL011_IMSC, 4, PL011_INT_RX);
	assert_int_equal(pl011_rx_push(&s, in, 2), 2);
	assert_int_equal(h.n_levels, 1);
	pl011_write(&s, PL011_MIS, 4, 0); /* read-only: counted */
	pl011_reset(&s);
	assert_int_equal(h.n_levels, 2);
	assert_false(h.levels[1]);
	assert_int_equal(rd(&s, PL011_CR), 0x300);
	assert_int_equal(rd(&s, PL011_IMSC), 0);
	assert_int_equal(rd(&s, PL011_LCR_H), 0);
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFE);
	assert_int_equal(s.bad_writes, 1); /* counters survive a reset */
	pl011_reset(&s); /* already low: no call */
	assert_int_equal(h.n_levels, 2);
}

static void test_unknown_offsets(void **state)
{
	static const uint64_t reserved[] = {
		0x008,
		0x00c,
		0x010,
		0x014,
		0x01c,
		0x04c,
		0x080,
		0x08c,
		0x100,
		0xfdc,
		0x1000,
		0x1ffc,
		UINT64_C(0xfffffffffffffffc),
	};
	struct pl011 s;
	struct host h;
	unsigned int i;
	uint64_t reads = 0, writes = 0;

	(void)state;
	setup_on(&s, &h);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		assert_int_equal(pl011_read(&s, reserved[i], 4), 0);
		pl011_write(&s, reserved[i], 4, 0xffffffff);
		reads++;
		writes++;
	}
	assert_int_equal(s.bad_reads, reads);
	assert_int_equal(s.bad_writes, writes);
	/* UARTICR is write-only; FR, RIS, MIS are read-only. */
	assert_int_equal(rd(&s, PL011_ICR), 0);
	pl011_write(&s, PL011_FR, 4, 0);
	pl011_write(&s, PL011_RIS, 4, 0xffffffff);
	reads++;
	writes += 2;
	/* Bad sizes and accesses straddling two registers. */
	assert_int_equal(pl011_read(&s, PL011_CR, 0), 0);
	assert_int_equal(pl011_read(&s, PL011_CR, 3), 0);
	assert_int_equal(pl011_read(&s, PL011_CR, 8), 0);
	assert_int_equal(pl011_read(&s, PL011_CR + 2, 4), 0);
	assert_int_equal(pl011_read(&s, PL011_CR + 3, 2), 0);
	pl011_write(&s, PL011_CR, 8, 0);
	pl011_write(&s, PL011_CR + 1, 4, 0);
	pl011_write(&s, PL011_DR + 2, 4, 'x');
	reads += 5;
	writes += 3;
	assert_int_equal(s.bad_reads, reads);
	assert_int_equal(s.bad_writes, writes);
	/* None of it changed the device. */
	assert_int_equal(rd(&s, PL011_CR), UART_ON);
	assert_int_equal(rd(&s, PL011_IMSC), 0);
	assert_int_equal(h.n_tx, 0);
	assert_int_equal(h.n_levels, 0);
}

static void test_byte_word_access(void **state)
{
	const uint8_t in[1] = { 0x5a };
	struct pl011 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	/* Sub-word reads give the addressed bytes of the register. */
	assert_int_equal(pl011_read(&s, PL011_CR, 2), 0x300);
	assert_int_equal(pl011_read(&s, PL011_CR, 1), 0x00);
	assert_int_equal(pl011_read(&s, PL011_CR + 1, 1), 0x03);
	assert_int_equal(pl011_read(&s, PL011_CR + 2, 2), 0);
	assert_int_equal(pl011_read(&s, PL011_FR, 1),
			 PL011_FR_TXFE | PL011_FR_RXFE | PL011_FR_CTS |
				 PL011_FR_DSR | PL011_FR_DCD);
	/* Sub-word writes change only the written bytes. */
	pl011_write(&s, PL011_CR, 1, PL011_CR_UARTEN);
	assert_int_equal(rd(&s, PL011_CR), 0x301);
	pl011_write(&s, PL011_IBRD, 4, 0x1234);
	pl011_write(&s, PL011_IBRD + 1, 1, 0xab);
	assert_int_equal(rd(&s, PL011_IBRD), 0xab34);
	pl011_write(&s, PL011_IBRD, 2, 0x0001);
	assert_int_equal(rd(&s, PL011_IBRD), 0x0001);
	pl011_write(&s, PL011_IBRD + 2, 2, 0xffff); /* unimplemented bits */
	assert_int_equal(rd(&s, PL011_IBRD), 0x0001);
	/* 16-bit interrupt registers, as Linux's readw/writew use them. */
	pl011_write(&s, PL011_IMSC + 1, 1, PL011_INT_OE >> 8);
	assert_int_equal(pl011_read(&s, PL011_IMSC, 2), PL011_INT_OE);
	/* A UARTDR read pops only when it covers the data byte. */
	pl011_write(&s, PL011_CR, 2, UART_ON);
	pl011_write(&s, PL011_LCR_H, 1, PL011_LCR_H_FEN);
	assert_int_equal(pl011_rx_push(&s, in, 1), 1);
	assert_int_equal(pl011_read(&s, PL011_DR + 1, 1), 0); /* error bits */
	assert_false(rd(&s, PL011_FR) & PL011_FR_RXFE);
	assert_int_equal(pl011_read(&s, PL011_DR, 1), 0x5a);
	assert_true(rd(&s, PL011_FR) & PL011_FR_RXFE);
	assert_int_equal(s.bad_reads + s.bad_writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_bad_ops),
		cmocka_unit_test(test_id_registers),
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_stored_registers),
		cmocka_unit_test(test_tx_path),
		cmocka_unit_test(test_rx_fifo),
		cmocka_unit_test(test_rx_gating),
		cmocka_unit_test(test_rx_ready),
		cmocka_unit_test(test_rx_interrupts),
		cmocka_unit_test(test_tx_interrupts),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_unknown_offsets),
		cmocka_unit_test(test_byte_word_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
