/* 16550A UART: registers, receive FIFO, interrupt identification. */

/*
 * WHAT IS MODELLED
 * ================
 * The reference is the National Semiconductor PC16550D datasheet. A
 * virtual line has no baud rate, so, as in pl011.c:
 *
 * Transmit: a THR write hands the byte to ops->tx at once (or, with
 * MCR.LOOP, to the receive FIFO). THR and the shift register are always
 * empty: LSR.THRE and LSR.TEMT always read 1.
 *
 * Receive: a FIFO of 16 bytes while FCR.FIFO enable is set, else a 1-byte
 * holding register. serial8250_rx_push() takes only what fits, so host
 * input never overruns; LSR.OE happens only in loopback, when the guest
 * transmits into a full receiver (the byte is lost and counted). Parity,
 * framing and break errors cannot happen on a virtual line.
 *
 * Interrupts, in the 16550's priority order (IIR reports the highest):
 *  1. receiver line status (IER.RLSI): LSR.OE latched; cleared by
 *     reading LSR;
 *  2. received data (IER.RDI): IIR 0x04 when the FIFO holds at least the
 *     FCR trigger level (or any byte with FIFOs off), IIR 0x0c
 *     (character timeout) when it holds fewer: without timers, data
 *     below the trigger level is reported as a timeout at once, which a
 *     driver handles the same way (drain while LSR.DR);
 *  3. THR empty (IER.THRI): latched when a THR write completes (at once)
 *     and when IER.THRI goes from 0 to 1 while THR is empty (Linux's
 *     THRE test relies on it); cleared by an IIR read that reports it,
 *     by a THR write (which latches it again) and by clearing IER.THRI;
 *  4. modem status (IER.MSI): any MSR delta bit; cleared by reading MSR.
 * The output (ops->irq_set) is the PC wiring: high while an interrupt is
 * pending AND MCR.OUT2 is set AND not in loopback (the OUT2 pin, which
 * enables the ISA IRQ driver on PC boards, is inactive in loopback).
 *
 * Modem lines: outside loopback, CTS, DSR and DCD are asserted (a
 * connected line) and RI is not; in loopback they follow RTS, DTR, OUT1
 * and OUT2. Changes set the MSR delta bits (TERI on RI's falling edge).
 *
 * Stored only: the divisor latch (DLL/DLM), LCR other than DLAB, SCR.
 * Accesses: 1 byte at offsets 0..7. Other sizes and offsets are guest
 * errors: reads give all-ones, writes are ignored, both are counted.
 */
#include <errno.h>
#include <string.h>

#include "devices/serial8250.h"

#define SERIAL8250_IER_MASK 0x0fu
#define SERIAL8250_MCR_MASK 0x1fu
#define SERIAL8250_DIVISOR_RESET 12 /* 9600 baud on a 1.8432 MHz clock */

static unsigned int serial8250_capacity(const struct serial8250 *s)
{
	return (s->fcr & SERIAL8250_FCR_ENABLE) ? SERIAL8250_FIFO_DEPTH : 1;
}

static unsigned int serial8250_trigger(const struct serial8250 *s)
{
	static const unsigned int level[4] = { 1, 4, 8, 14 };

	if (!(s->fcr & SERIAL8250_FCR_ENABLE))
		return 1;
	return level[(s->fcr & SERIAL8250_FCR_TRIGGER) >> 6];
}

size_t serial8250_rx_room(const struct serial8250 *s)
{
	unsigned int cap = serial8250_capacity(s);

	if ((s->mcr & SERIAL8250_MCR_LOOP) || s->rx_count >= cap)
		return 0;
	return cap - s->rx_count;
}

/* Modem inputs (MSR bits 7:4) from MCR. */
static uint8_t serial8250_modem_in(const struct serial8250 *s)
{
	uint8_t in = 0;

	if (!(s->mcr & SERIAL8250_MCR_LOOP))
		return SERIAL8250_MSR_CTS | SERIAL8250_MSR_DSR |
		       SERIAL8250_MSR_DCD;
	if (s->mcr & SERIAL8250_MCR_RTS)
		in |= SERIAL8250_MSR_CTS;
	if (s->mcr & SERIAL8250_MCR_DTR)
		in |= SERIAL8250_MSR_DSR;
	if (s->mcr & SERIAL8250_MCR_OUT1)
		in |= SERIAL8250_MSR_RI;
	if (s->mcr & SERIAL8250_MCR_OUT2)
		in |= SERIAL8250_MSR_DCD;
	return in;
}

static void serial8250_update_msr(struct serial8250 *s)
{
	uint8_t old = s->msr & 0xf0, in = serial8250_modem_in(s);
	uint8_t changed = old ^ in;

	if (changed & SERIAL8250_MSR_CTS)
		s->msr |= SERIAL8250_MSR_DCTS;
	if (changed & SERIAL8250_MSR_DSR)
		s->msr |= SERIAL8250_MSR_DDSR;
	if ((old & SERIAL8250_MSR_RI) && !(in & SERIAL8250_MSR_RI))
		s->msr |= SERIAL8250_MSR_TERI;
	if (changed & SERIAL8250_MSR_DCD)
		s->msr |= SERIAL8250_MSR_DDCD;
	s->msr = (s->msr & 0x0f) | in;
}

/* IIR value without the FIFO bits. */
static uint8_t serial8250_iir_id(const struct serial8250 *s)
{
	if ((s->ier & SERIAL8250_IER_RLSI) && s->lsr_err)
		return SERIAL8250_IIR_RLSI;
	if ((s->ier & SERIAL8250_IER_RDI) && s->rx_count)
		return s->rx_count >= serial8250_trigger(s) ?
			       SERIAL8250_IIR_RDI :
			       SERIAL8250_IIR_TIMEOUT;
	if ((s->ier & SERIAL8250_IER_THRI) && s->thre_pending)
		return SERIAL8250_IIR_THRI;
	if ((s->ier & SERIAL8250_IER_MSI) && (s->msr & 0x0f))
		return SERIAL8250_IIR_MSI;
	return SERIAL8250_IIR_NO_INT;
}

static void serial8250_update_irq(struct serial8250 *s)
{
	bool level = serial8250_iir_id(s) != SERIAL8250_IIR_NO_INT &&
		     (s->mcr & SERIAL8250_MCR_OUT2) &&
		     !(s->mcr & SERIAL8250_MCR_LOOP);

	if (level == s->irq_level)
		return;
	s->irq_level = level;
	s->ops->irq_set(s->opaque, level);
}

static void serial8250_rx_clear(struct serial8250 *s)
{
	s->rx_head = 0;
	s->rx_count = 0;
}

static void serial8250_rx_put(struct serial8250 *s, uint8_t byte)
{
	s->rx_fifo[(s->rx_head + s->rx_count) % SERIAL8250_FIFO_DEPTH] = byte;
	s->rx_count++;
}

static uint8_t serial8250_rx_pop(struct serial8250 *s)
{
	uint8_t byte = s->rx_fifo[s->rx_head];

	s->rx_head = (s->rx_head + 1) % SERIAL8250_FIFO_DEPTH;
	s->rx_count--;
	return byte;
}

static void serial8250_regs_reset(struct serial8250 *s)
{
	serial8250_rx_clear(s);
	memset(s->rx_fifo, 0, sizeof(s->rx_fifo));
	s->dll = SERIAL8250_DIVISOR_RESET;
	s->dlm = 0;
	s->ier = 0;
	s->fcr = 0;
	s->lcr = 0;
	s->mcr = 0;
	s->scr = 0;
	s->lsr_err = 0;
	s->msr = serial8250_modem_in(s); /* no deltas at reset */
	s->thre_pending = false;
}

int serial8250_init(struct serial8250 *s, const struct serial8250_ops *ops,
		    void *opaque)
{
	if (!ops || !ops->tx || !ops->irq_set)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	serial8250_regs_reset(s);
	return 0;
}

void serial8250_reset(struct serial8250 *s)
{
	serial8250_regs_reset(s);
	serial8250_update_irq(s);
}

static void serial8250_check_rx_ready(struct serial8250 *s, size_t before)
{
	if (!before && serial8250_rx_room(s) && s->ops->rx_ready)
		s->ops->rx_ready(s->opaque);
}

static uint8_t serial8250_reg_read(struct serial8250 *s, unsigned int reg)
{
	bool dlab = s->lcr & SERIAL8250_LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case SERIAL8250_RBR_THR_DLL:
		if (dlab)
			return s->dll;
		if (!s->rx_count)
			return 0;
		return serial8250_rx_pop(s);
	case SERIAL8250_IER_DLM:
		return dlab ? s->dlm : s->ier;
	case SERIAL8250_IIR_FCR:
		v = serial8250_iir_id(s);
		if (v == SERIAL8250_IIR_THRI)
			s->thre_pending = false; /* reading IIR clears THRE */
		if (s->fcr & SERIAL8250_FCR_ENABLE)
			v |= SERIAL8250_IIR_FIFO_ON;
		return v;
	case SERIAL8250_LCR:
		return s->lcr;
	case SERIAL8250_MCR:
		return s->mcr;
	case SERIAL8250_LSR:
		v = SERIAL8250_LSR_THRE | SERIAL8250_LSR_TEMT | s->lsr_err;
		if (s->rx_count)
			v |= SERIAL8250_LSR_DR;
		s->lsr_err = 0;
		return v;
	case SERIAL8250_MSR:
		v = s->msr;
		s->msr &= 0xf0;
		return v;
	default: /* SERIAL8250_SCR */
		return s->scr;
	}
}

static void serial8250_tx(struct serial8250 *s, uint8_t byte)
{
	if (s->mcr & SERIAL8250_MCR_LOOP) {
		if (s->rx_count < serial8250_capacity(s)) {
			serial8250_rx_put(s, byte);
		} else {
			s->lsr_err |= SERIAL8250_LSR_OE;
			s->overruns++;
		}
	} else {
		s->ops->tx(s->opaque, byte);
	}
	s->thre_pending = true; /* THR emptied again at once */
}

static void serial8250_write_fcr(struct serial8250 *s, uint8_t val)
{
	bool was_on = s->fcr & SERIAL8250_FCR_ENABLE;
	bool on = val & SERIAL8250_FCR_ENABLE;

	/* Switching the FIFOs on or off empties them. */
	if (was_on != on || (on && (val & SERIAL8250_FCR_CLEAR_RX)))
		serial8250_rx_clear(s);
	/* Bits other than enable are written only with enable set. */
	s->fcr = on ? (val & (SERIAL8250_FCR_ENABLE | SERIAL8250_FCR_TRIGGER)) :
		      0;
}

static void serial8250_reg_write(struct serial8250 *s, unsigned int reg,
				 uint8_t val)
{
	bool dlab = s->lcr & SERIAL8250_LCR_DLAB;

	switch (reg) {
	case SERIAL8250_RBR_THR_DLL:
		if (dlab)
			s->dll = val;
		else
			serial8250_tx(s, val);
		break;
	case SERIAL8250_IER_DLM:
		if (dlab) {
			s->dlm = val;
			break;
		}
		if ((val & SERIAL8250_IER_THRI) &&
		    !(s->ier & SERIAL8250_IER_THRI))
			s->thre_pending = true;
		else if (!(val & SERIAL8250_IER_THRI))
			s->thre_pending = false;
		s->ier = val & SERIAL8250_IER_MASK;
		break;
	case SERIAL8250_IIR_FCR:
		serial8250_write_fcr(s, val);
		break;
	case SERIAL8250_LCR:
		s->lcr = val;
		break;
	case SERIAL8250_MCR:
		s->mcr = val & SERIAL8250_MCR_MASK;
		serial8250_update_msr(s);
		break;
	case SERIAL8250_LSR:
	case SERIAL8250_MSR:
		break; /* factory test writes on the chip: ignored */
	default: /* SERIAL8250_SCR */
		s->scr = val;
		break;
	}
}

uint32_t serial8250_read(struct serial8250 *s, uint64_t offset,
			 unsigned int size)
{
	size_t room = serial8250_rx_room(s);
	uint8_t v;

	if (size != 1 || offset >= SERIAL8250_IO_SIZE) {
		s->bad_reads++;
		return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	}
	v = serial8250_reg_read(s, (unsigned int)offset);
	serial8250_update_irq(s);
	serial8250_check_rx_ready(s, room);
	return v;
}

void serial8250_write(struct serial8250 *s, uint64_t offset, unsigned int size,
		      uint32_t val)
{
	size_t room = serial8250_rx_room(s);

	if (size != 1 || offset >= SERIAL8250_IO_SIZE) {
		s->bad_writes++;
		return;
	}
	serial8250_reg_write(s, (unsigned int)offset, val & 0xff);
	serial8250_update_irq(s);
	serial8250_check_rx_ready(s, room);
}

int serial8250_rx_push(struct serial8250 *s, const uint8_t *buf, size_t len)
{
	size_t n, i;

	if (!buf && len)
		return -EINVAL;
	n = serial8250_rx_room(s);
	if (n > len)
		n = len;
	for (i = 0; i < n; i++)
		serial8250_rx_put(s, buf[i]);
	if (n)
		serial8250_update_irq(s);
	return (int)n;
}
