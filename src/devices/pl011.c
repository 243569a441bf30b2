/* ARM PrimeCell PL011 UART: registers, receive FIFO and interrupt logic. */

/*
 * WHAT IS MODELLED, AND HOW FAR
 * =============================
 * The reference is the PL011 Technical Reference Manual (ARM DDI 0183);
 * the register map is in pl011.h. A virtual serial line has no baud rate,
 * no noise and a host that can hold input back, which allows a much
 * smaller model than the chip:
 *
 * Transmit: a UARTDR write hands its byte to ops->tx at once, so the
 * transmit FIFO is always empty: UARTFR reads TXFE = 1, TXFF = 0,
 * BUSY = 0, and guests polling those bits never wait. Transmission is not
 * gated on UARTCR.UARTEN/TXE: Linux's earlycon writes UARTDR without ever
 * programming UARTCR (on boards, firmware enabled the UART; here nothing
 * has), and losing early boot output would help nobody. With
 * UARTCR.LBE (loopback) the byte goes to the receive FIFO instead.
 *
 * Receive: a FIFO of PL011_FIFO_DEPTH bytes, or a 1-byte holding register
 * while UARTLCR_H.FEN is clear. It takes host input only while the guest
 * has the receiver on (UARTCR.UARTEN and RXE), and never more than fits:
 * pl011_rx_push() returns what it took and the host keeps the rest. So no
 * byte is lost and the overrun error (OE) never happens; framing, parity
 * and break errors cannot happen on a virtual line. UARTRSR and the error
 * bits of UARTDR always read 0.
 *
 * Interrupts: one combined output, high while UARTMIS (= UARTRIS &
 * UARTIMSC) is not zero; ops->irq_set is called on its transitions only.
 *  - RX and RT (receive, receive timeout), a simplification: both are
 *    raised while the FIFO holds at least one byte, whatever trigger level
 *    UARTIFLS selects (it is stored and read back, nothing more). On the
 *    chip RXIS needs the FIFO at the trigger level and RTIS needs the line
 *    idle for 32 bit periods with data below it; a guest handles both by
 *    draining the FIFO, which is what ends them here too. Without a timer
 *    in the model, "data is waiting" is the only honest condition; it
 *    costs the guest an interrupt per burst instead of per FIFO level.
 *    Writing them to UARTICR has no lasting effect while data remains
 *    (the condition still holds), as on the chip for a FIFO still at
 *    its trigger level.
 *  - TX: raised while the transmitter is on (UARTEN and TXE) and its FIFO
 *    is empty, which is always. UARTICR clears it until the next UARTDR
 *    write (the FIFO drains through the trigger level again), which is
 *    the chip's behaviour for a FIFO that empties once per write.
 *  - Error (OE, BE, PE, FE) and modem status (RI, CTS, DCD, DSR)
 *    interrupts are never raised.
 * Modem lines: CTS, DSR and DCD read asserted in UARTFR (a connected
 * line, so a guest waiting for carrier proceeds), RI not asserted; they
 * never change. UARTCR's DTR/RTS/Out bits are stored only.
 *
 * Not modelled: baud rate timing (UARTIBRD/FBRD are stored), IrDA
 * (UARTILPR stored), DMA (UARTDMACR stored; no DMA requests), break
 * generation, parity and word length (UARTLCR_H stored, FEN acted on).
 *
 * Accesses: 1, 2 or 4 bytes, within one 32-bit register. Reads return the
 * register shifted down to the accessed bytes; a UARTDR read pops the FIFO
 * only when it includes the data byte (byte 0). Writes of part of a
 * register change only the written bytes of stored registers; a UARTDR
 * write transmits only when it includes byte 0. Everything else (unknown
 * offsets, the reserved and test registers, other sizes, straddling
 * accesses, writes to read-only and reads of the write-only UARTICR) reads
 * 0, is ignored and counted in bad_reads/bad_writes: guest input, never
 * fatal.
 */
#include <errno.h>
#include <string.h>

#include "devices/pl011.h"

/* Implemented bits of the stored registers. */
#define PL011_ILPR_MASK 0xffu
#define PL011_IBRD_MASK 0xffffu
#define PL011_FBRD_MASK 0x3fu
#define PL011_LCR_H_MASK 0xffu
#define PL011_CR_MASK 0xff87u /* bits 6:3 are reserved */
#define PL011_IFLS_MASK 0x3fu
#define PL011_DMACR_MASK 0x7u

/*
 * UARTPeriphID0-3 and UARTPCellID0-3, one byte per 32-bit register from
 * 0xfe0: part number 0x011, designer 0x41 (ARM), revision 1, and the
 * PrimeCell id 0xb105f00d that AMBA bus drivers check before probing.
 */
static const uint8_t pl011_id[8] = {
	0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static bool pl011_rx_on(const struct pl011 *s)
{
	return (s->cr & PL011_CR_UARTEN) && (s->cr & PL011_CR_RXE);
}

static bool pl011_tx_on(const struct pl011 *s)
{
	return (s->cr & PL011_CR_UARTEN) && (s->cr & PL011_CR_TXE);
}

static unsigned int pl011_rx_capacity(const struct pl011 *s)
{
	return (s->lcr_h & PL011_LCR_H_FEN) ? PL011_FIFO_DEPTH : 1;
}

size_t pl011_rx_room(const struct pl011 *s)
{
	unsigned int cap = pl011_rx_capacity(s);

	if (!pl011_rx_on(s) || s->rx_count >= cap)
		return 0;
	return cap - s->rx_count;
}

static uint32_t pl011_ris(const struct pl011 *s)
{
	uint32_t ris = 0;

	if (s->rx_count)
		ris |= PL011_INT_RX | PL011_INT_RT;
	if (pl011_tx_on(s) && !s->tx_int_cleared)
		ris |= PL011_INT_TX;
	return ris;
}

static void pl011_update_irq(struct pl011 *s)
{
	bool level = (pl011_ris(s) & s->imsc) != 0;

	if (level == s->irq_level)
		return;
	s->irq_level = level;
	s->ops->irq_set(s->opaque, level);
}

static uint32_t pl011_fr(const struct pl011 *s)
{
	uint32_t fr = PL011_FR_TXFE | PL011_FR_CTS | PL011_FR_DSR |
		      PL011_FR_DCD;

	if (!s->rx_count)
		fr |= PL011_FR_RXFE;
	if (s->rx_count >= pl011_rx_capacity(s))
		fr |= PL011_FR_RXFF;
	return fr;
}

/* Appends one byte; the caller checked pl011_rx_room(). */
static void pl011_rx_put(struct pl011 *s, uint8_t byte)
{
	s->rx_fifo[(s->rx_head + s->rx_count) % PL011_FIFO_DEPTH] = byte;
	s->rx_count++;
}

static uint8_t pl011_rx_pop(struct pl011 *s)
{
	uint8_t byte = s->rx_fifo[s->rx_head];

	s->rx_head = (s->rx_head + 1) % PL011_FIFO_DEPTH;
	s->rx_count--;
	return byte;
}

static void pl011_regs_reset(struct pl011 *s)
{
	s->rx_head = 0;
	s->rx_count = 0;
	memset(s->rx_fifo, 0, sizeof(s->rx_fifo));
	s->ilpr = 0;
	s->ibrd = 0;
	s->fbrd = 0;
	s->lcr_h = 0;
	s->cr = PL011_CR_RESET;
	s->ifls = PL011_IFLS_RESET;
	s->imsc = 0;
	s->dmacr = 0;
	s->tx_int_cleared = false;
}

int pl011_init(struct pl011 *s, const struct pl011_ops *ops, void *opaque)
{
	if (!ops || !ops->tx || !ops->irq_set)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	pl011_regs_reset(s);
	return 0;
}

void pl011_reset(struct pl011 *s)
{
	pl011_regs_reset(s);
	pl011_update_irq(s); /* imsc is 0: lowers the output if it was up */
}

/* Value of the register at 4-aligned @reg; @pop: a UARTDR read pops. */
static bool pl011_reg_read(struct pl011 *s, uint64_t reg, bool pop,
			   uint32_t *val)
{
	if (reg >= PL011_PERIPH_ID0 && reg < PL011_MMIO_SIZE) {
		*val = pl011_id[(reg - PL011_PERIPH_ID0) / 4];
		return true;
	}
	switch (reg) {
	case PL011_DR:
		*val = 0; /* empty FIFO: nothing to read, no error bits */
		if (!s->rx_count)
			return true;
		if (!pop) {
			*val = s->rx_fifo[s->rx_head];
			return true;
		}
		*val = pl011_rx_pop(s);
		pl011_update_irq(s);
		return true;
	case PL011_RSR_ECR:
		*val = 0; /* no receive errors on a virtual line */
		return true;
	case PL011_FR:
		*val = pl011_fr(s);
		return true;
	case PL011_ILPR:
		*val = s->ilpr;
		return true;
	case PL011_IBRD:
		*val = s->ibrd;
		return true;
	case PL011_FBRD:
		*val = s->fbrd;
		return true;
	case PL011_LCR_H:
		*val = s->lcr_h;
		return true;
	case PL011_CR:
		*val = s->cr;
		return true;
	case PL011_IFLS:
		*val = s->ifls;
		return true;
	case PL011_IMSC:
		*val = s->imsc;
		return true;
	case PL011_RIS:
		*val = pl011_ris(s);
		return true;
	case PL011_MIS:
		*val = pl011_ris(s) & s->imsc;
		return true;
	case PL011_DMACR:
		*val = s->dmacr;
		return true;
	default: /* UARTICR is write-only; the rest is reserved */
		*val = 0;
		return false;
	}
}

static void pl011_store(uint32_t *reg, uint32_t val, uint32_t mask,
			uint32_t implemented)
{
	*reg = ((*reg & ~mask) | (val & mask)) & implemented;
}

static void pl011_tx(struct pl011 *s, uint8_t byte)
{
	if (s->cr & PL011_CR_LBE) {
		/* Loopback: the receiver sees the byte if it has room. */
		if (pl011_rx_room(s))
			pl011_rx_put(s, byte);
	} else {
		s->ops->tx(s->opaque, byte);
	}
	s->tx_int_cleared = false; /* the FIFO drained again */
	pl011_update_irq(s);
}

/* Write of @val (already shifted) to the bytes @mask of register @reg. */
static bool pl011_reg_write(struct pl011 *s, uint64_t reg, uint32_t val,
			    uint32_t mask)
{
	switch (reg) {
	case PL011_DR:
		if (!(mask & 0xff))
			return false; /* no data byte in this access */
		pl011_tx(s, val & 0xff);
		return true;
	case PL011_RSR_ECR:
		return true; /* clears receive errors: there are none */
	case PL011_ILPR:
		pl011_store(&s->ilpr, val, mask, PL011_ILPR_MASK);
		return true;
	case PL011_IBRD:
		pl011_store(&s->ibrd, val, mask, PL011_IBRD_MASK);
		return true;
	case PL011_FBRD:
		pl011_store(&s->fbrd, val, mask, PL011_FBRD_MASK);
		return true;
	case PL011_LCR_H:
		/* FEN changes the receive capacity; contents are kept. */
		pl011_store(&s->lcr_h, val, mask, PL011_LCR_H_MASK);
		return true;
	case PL011_CR:
		pl011_store(&s->cr, val, mask, PL011_CR_MASK);
		pl011_update_irq(s); /* UARTEN/TXE gate the TX interrupt */
		return true;
	case PL011_IFLS:
		pl011_store(&s->ifls, val, mask, PL011_IFLS_MASK);
		return true;
	case PL011_IMSC:
		pl011_store(&s->imsc, val, mask, PL011_INT_ALL);
		pl011_update_irq(s);
		return true;
	case PL011_ICR:
		/* Only TX is latched; RX/RT follow the FIFO (see top). */
		if (val & mask & PL011_INT_TX)
			s->tx_int_cleared = true;
		pl011_update_irq(s);
		return true;
	case PL011_DMACR:
		pl011_store(&s->dmacr, val, mask, PL011_DMACR_MASK);
		return true;
	default: /* UARTFR, UARTRIS, UARTMIS, ids: read-only; reserved */
		return false;
	}
}

/* Size and alignment rules shared by reads and writes (see top). */
static bool pl011_access_ok(uint64_t offset, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	if (offset >= PL011_MMIO_SIZE)
		return false;
	return (offset & 3) + size <= 4;
}

static uint32_t pl011_size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static void pl011_check_rx_ready(struct pl011 *s, size_t room_before)
{
	if (!room_before && pl011_rx_room(s) && s->ops->rx_ready)
		s->ops->rx_ready(s->opaque);
}

uint32_t pl011_read(struct pl011 *s, uint64_t offset, unsigned int size)
{
	size_t room = pl011_rx_room(s);
	unsigned int shift;
	uint32_t val;

	if (!pl011_access_ok(offset, size)) {
		s->bad_reads++;
		return 0;
	}
	shift = (offset & 3) * 8;
	if (!pl011_reg_read(s, offset & ~UINT64_C(3), shift == 0, &val)) {
		s->bad_reads++;
		return 0;
	}
	pl011_check_rx_ready(s, room);
	return (val >> shift) & pl011_size_mask(size);
}

void pl011_write(struct pl011 *s, uint64_t offset, unsigned int size,
		 uint32_t val)
{
	size_t room = pl011_rx_room(s);
	unsigned int shift;
	uint32_t mask;

	if (!pl011_access_ok(offset, size)) {
		s->bad_writes++;
		return;
	}
	shift = (offset & 3) * 8;
	mask = pl011_size_mask(size) << shift;
	if (!pl011_reg_write(s, offset & ~UINT64_C(3), (val << shift) & mask,
			     mask)) {
		s->bad_writes++;
		return;
	}
	pl011_check_rx_ready(s, room);
}

int pl011_rx_push(struct pl011 *s, const uint8_t *buf, size_t len)
{
	size_t n, i;

	if (!buf && len)
		return -EINVAL;
	n = pl011_rx_room(s);
	if (n > len)
		n = len;
	for (i = 0; i < n; i++)
		pl011_rx_put(s, buf[i]);
	if (n)
		pl011_update_irq(s);
	return (int)n;
}
