/*
 * Unit tests of the 16550A model: reset values, divisor latch, transmit,
 * the receive FIFO and trigger levels, IIR priorities, THRE semantics,
 * OUT2 gating of the interrupt line, loopback and modem status, overrun,
 * and hostile accesses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devices/serial8250.h"

#define MAX_EVENTS 4096

struct host {
	uint8_t tx[4096];
	size_t n_tx;
	bool levels[MAX_EVENTS];
	size_t n_levels;
	unsigned int rx_ready;
	bool no_record; /* hostile loop: count only */
};

static void host_tx(void *opaque, uint8_t byte)
{
	struct host *h = opaque;

	if (h->n_tx < sizeof(h->tx))
		h->tx[h->n_tx] = byte;
	h->n_tx++;
}

static void host_irq_set(void *opaque, bool level)
{
	struct host *h = opaque;

	/* Transitions only: never the same level twice in a row. */
	if (h->n_levels)
		assert_true(h->levels[(h->n_levels - 1) % MAX_EVENTS] != level);
	else
		assert_true(level);
	h->levels[h->n_levels % MAX_EVENTS] = level;
	h->n_levels++;
}

static void host_rx_ready(void *opaque)
{
	struct host *h = opaque;

	h->rx_ready++;
}

static const struct serial8250_ops host_ops = {
	.tx = host_tx,
	.irq_set = host_irq_set,
	.rx_ready = host_rx_ready,
};

static void setup(struct serial8250 *s, struct host *h)
{
	memset(h, 0, sizeof(*h));
	assert_int_equal(serial8250_init(s, &host_ops, h), 0);
}

static uint8_t rd(struct serial8250 *s, unsigned int reg)
{
	return (uint8_t)serial8250_read(s, reg, 1);
}

static void wr(struct serial8250 *s, unsigned int reg, uint8_t v)
{
	serial8250_write(s, reg, 1, v);
}

static bool level(const struct host *h)
{
	return h->n_levels && h->levels[(h->n_levels - 1) % MAX_EVENTS];
}

static void test_init_rejects_bad_ops(void **state)
{
	static const struct serial8250_ops no_tx = { .irq_set = host_irq_set };
	static const struct serial8250_ops no_irq = { .tx = host_tx };
	struct serial8250 s;

	(void)state;
	assert_int_equal(serial8250_init(&s, NULL, NULL), -EINVAL);
	assert_int_equal(serial8250_init(&s, &no_tx, NULL), -EINVAL);
	assert_int_equal(serial8250_init(&s, &no_irq, NULL), -EINVAL);
}

static void test_reset_values(void **state)
{
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	assert_int_equal(rd(&s, SERIAL8250_IER_DLM), 0);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
	assert_int_equal(rd(&s, SERIAL8250_LCR), 0);
	assert_int_equal(rd(&s, SERIAL8250_MCR), 0);
	assert_int_equal(rd(&s, SERIAL8250_LSR),
			 SERIAL8250_LSR_THRE | SERIAL8250_LSR_TEMT);
	assert_int_equal(rd(&s, SERIAL8250_MSR), SERIAL8250_MSR_CTS |
							 SERIAL8250_MSR_DSR |
							 SERIAL8250_MSR_DCD);
	assert_int_equal(rd(&s, SERIAL8250_SCR), 0);
	assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 0);
	assert_int_equal(serial8250_rx_room(&s), 1); /* FIFOs off */
	assert_int_equal(h.n_levels, 0);
	assert_int_equal(s.bad_reads + s.bad_writes, 0);
}

static void test_dlab_and_scratch(void **state)
{
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_IER_DLM, 0x05);
	wr(&s, SERIAL8250_LCR, SERIAL8250_LCR_DLAB | 0x03);
	assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 12);
	wr(&s, SERIAL8250_RBR_THR_DLL, 0x01); /* 115200 baud */
	wr(&s, SERIAL8250_IER_DLM, 0x02);
	assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 0x01);
	assert_int_equal(rd(&s, SERIAL8250_IER_DLM), 0x02);
	assert_int_equal(h.n_tx, 0); /* DLL write is not a THR write */
	wr(&s, SERIAL8250_LCR, 0x03);
	assert_int_equal(rd(&s, SERIAL8250_LCR), 0x03);
	assert_int_equal(rd(&s, SERIAL8250_IER_DLM), 0x05); /* IER kept */
	wr(&s, SERIAL8250_IER_DLM, 0xff);
	assert_int_equal(rd(&s, SERIAL8250_IER_DLM), 0x0f);
	wr(&s, SERIAL8250_SCR, 0xa5);
	assert_int_equal(rd(&s, SERIAL8250_SCR), 0xa5);
}

static void test_transmit(void **state)
{
	struct serial8250 s;
	struct host h;
	const char *msg = "hello\n";
	size_t i;

	(void)state;
	setup(&s, &h);
	for (i = 0; msg[i]; i++) {
		assert_true(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_THRE);
		wr(&s, SERIAL8250_RBR_THR_DLL, (uint8_t)msg[i]);
	}
	assert_int_equal(h.n_tx, strlen(msg));
	assert_memory_equal(h.tx, msg, strlen(msg));
	assert_int_equal(h.n_levels, 0); /* IER 0: no interrupt */
}

static void test_receive_fifo(void **state)
{
	uint8_t in[20];
	struct serial8250 s;
	struct host h;
	unsigned int i;

	(void)state;
	setup(&s, &h);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)('a' + i);
	/* FIFOs off: one byte at a time. */
	assert_int_equal(serial8250_rx_push(&s, in, 3), 1);
	assert_int_equal(serial8250_rx_room(&s), 0);
	assert_true(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_DR);
	assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 'a');
	assert_int_equal(h.rx_ready, 1);
	assert_false(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_DR);
	/* FIFOs on: 16 bytes, the rest is left with the host. */
	wr(&s, SERIAL8250_IIR_FCR, SERIAL8250_FCR_ENABLE);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR) & 0xc0, 0xc0);
	assert_int_equal(serial8250_rx_push(&s, in, sizeof(in)), 16);
	assert_int_equal(serial8250_rx_push(&s, in, 1), 0);
	assert_int_equal(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_OE, 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 'a' + i);
	assert_int_equal(h.rx_ready, 2);
	assert_false(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_DR);
	/* FCR clear-RX empties the FIFO. */
	assert_int_equal(serial8250_rx_push(&s, in, 5), 5);
	wr(&s, SERIAL8250_IIR_FCR,
	   SERIAL8250_FCR_ENABLE | SERIAL8250_FCR_CLEAR_RX);
	assert_false(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_DR);
	/* Turning FIFOs off empties them too. */
	assert_int_equal(serial8250_rx_push(&s, in, 5), 5);
	wr(&s, SERIAL8250_IIR_FCR, 0);
	assert_false(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_DR);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
	assert_int_equal(serial8250_rx_push(&s, NULL, 1), -EINVAL);
	assert_int_equal(serial8250_rx_push(&s, NULL, 0), 0);
}

static void test_rx_interrupt_and_trigger(void **state)
{
	const uint8_t in[8] = "12345678";
	struct serial8250 s;
	struct host h;
	unsigned int i;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_MCR,
	   SERIAL8250_MCR_OUT2 | SERIAL8250_MCR_DTR | SERIAL8250_MCR_RTS);
	/* FIFO on, trigger 4 bytes (FCR bits 7:6 = 01). */
	wr(&s, SERIAL8250_IIR_FCR, SERIAL8250_FCR_ENABLE | 0x40);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_RDI);
	assert_int_equal(h.n_levels, 0);
	assert_int_equal(serial8250_rx_push(&s, in, 2), 2);
	assert_true(level(&h));
	/* Below the trigger level: reported as a character timeout. */
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR),
			 0xc0 | SERIAL8250_IIR_TIMEOUT);
	assert_int_equal(serial8250_rx_push(&s, in + 2, 3), 3);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), 0xc0 | SERIAL8250_IIR_RDI);
	for (i = 0; i < 5; i++)
		assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), in[i]);
	assert_false(level(&h));
	assert_int_equal(h.n_levels, 2);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR),
			 0xc0 | SERIAL8250_IIR_NO_INT);
	/* Masking in IER lowers the line with data still waiting. */
	assert_int_equal(serial8250_rx_push(&s, in, 1), 1);
	assert_true(level(&h));
	wr(&s, SERIAL8250_IER_DLM, 0);
	assert_false(level(&h));
	assert_int_equal(h.n_levels, 4);
}

static void test_thre_interrupt(void **state)
{
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_OUT2);
	/* Enabling THRI with THR empty raises it at once. */
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_THRI);
	assert_true(level(&h));
	/* Reading IIR that reports THRE clears it. */
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_THRI);
	assert_false(level(&h));
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
	/* A THR write: transmitted, empty again, interrupt again. */
	wr(&s, SERIAL8250_RBR_THR_DLL, 'x');
	assert_true(level(&h));
	assert_int_equal(h.n_tx, 1);
	/* Disabling THRI clears it; re-enabling raises it (Linux's test). */
	wr(&s, SERIAL8250_IER_DLM, 0);
	assert_false(level(&h));
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_THRI);
	assert_true(level(&h));
	/* Rewriting THRI while set does not latch again. */
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_THRI);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_THRI);
	assert_false(level(&h));
	assert_int_equal(h.n_levels, 6);
}

static void test_priority(void **state)
{
	const uint8_t in[1] = { 'q' };
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_OUT2);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_RDI | SERIAL8250_IER_THRI);
	assert_int_equal(serial8250_rx_push(&s, in, 1), 1);
	/* Received data outranks THRE; THRE stays pending behind it. */
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_RDI);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_RDI);
	assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 'q');
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_THRI);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
	assert_false(level(&h));
}

static void test_out2_gates_irq(void **state)
{
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_THRI);
	/* Pending inside the chip, but the PC's IRQ driver is off. */
	assert_int_equal(h.n_levels, 0);
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_OUT2);
	assert_true(level(&h));
	wr(&s, SERIAL8250_MCR, 0);
	assert_false(level(&h));
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_THRI);
}

static void test_loopback_and_msr(void **state)
{
	struct serial8250 s;
	struct host h;
	const uint8_t in[1] = { 'z' };
	unsigned int i;

	(void)state;
	setup(&s, &h);
	/* Linux's probe: loopback with RTS|OUT2 reads CTS|DCD. */
	wr(&s, SERIAL8250_MCR,
	   SERIAL8250_MCR_LOOP | SERIAL8250_MCR_RTS | SERIAL8250_MCR_OUT2);
	assert_int_equal(rd(&s, SERIAL8250_MSR) & 0xf0,
			 SERIAL8250_MSR_CTS | SERIAL8250_MSR_DCD);
	/* The DSR drop from leaving "connected" was a delta; now cleared. */
	assert_int_equal(rd(&s, SERIAL8250_MSR) & 0x0f, 0);
	wr(&s, SERIAL8250_MCR,
	   SERIAL8250_MCR_LOOP | SERIAL8250_MCR_DTR | SERIAL8250_MCR_OUT1);
	assert_int_equal(rd(&s, SERIAL8250_MSR),
			 SERIAL8250_MSR_DSR | SERIAL8250_MSR_RI |
				 SERIAL8250_MSR_DCTS | SERIAL8250_MSR_DDSR |
				 SERIAL8250_MSR_DDCD);
	/* RI falling edge: TERI. */
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_LOOP | SERIAL8250_MCR_DTR);
	assert_int_equal(rd(&s, SERIAL8250_MSR),
			 SERIAL8250_MSR_DSR | SERIAL8250_MSR_TERI);
	/* Host input is disconnected; THR goes to RBR. */
	assert_int_equal(serial8250_rx_room(&s), 0);
	assert_int_equal(serial8250_rx_push(&s, in, 1), 0);
	wr(&s, SERIAL8250_RBR_THR_DLL, 0x5a);
	assert_int_equal(h.n_tx, 0);
	assert_int_equal(rd(&s, SERIAL8250_LSR), SERIAL8250_LSR_DR |
							 SERIAL8250_LSR_THRE |
							 SERIAL8250_LSR_TEMT);
	/* A second byte overruns the 1-byte holding register. */
	wr(&s, SERIAL8250_RBR_THR_DLL, 0x5b);
	assert_int_equal(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_OE,
			 SERIAL8250_LSR_OE);
	assert_int_equal(rd(&s, SERIAL8250_LSR) & SERIAL8250_LSR_OE, 0);
	assert_int_equal(s.overruns, 1);
	assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), 0x5a);
	/* FIFO mode: 16 bytes loop back. */
	wr(&s, SERIAL8250_IIR_FCR, SERIAL8250_FCR_ENABLE);
	for (i = 0; i < 16; i++)
		wr(&s, SERIAL8250_RBR_THR_DLL, (uint8_t)i);
	for (i = 0; i < 16; i++)
		assert_int_equal(rd(&s, SERIAL8250_RBR_THR_DLL), i);
	/* Interrupts stay internal in loopback (OUT2 pin inactive). */
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_LOOP | SERIAL8250_MCR_OUT2);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_THRI);
	assert_int_equal(h.n_levels, 0);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR),
			 0xc0 | SERIAL8250_IIR_THRI);
	/* Leaving loopback: "connected" lines again. */
	wr(&s, SERIAL8250_MCR, 0);
	assert_int_equal(rd(&s, SERIAL8250_MSR) & 0xf0,
			 SERIAL8250_MSR_CTS | SERIAL8250_MSR_DSR |
				 SERIAL8250_MSR_DCD);
	assert_int_equal(serial8250_rx_room(&s), 16);
}

static void test_rls_and_msi_interrupts(void **state)
{
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_RLSI | SERIAL8250_IER_MSI);
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_LOOP | SERIAL8250_MCR_RTS);
	/* Modem status delta pending (internally, loopback). */
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_MSI);
	(void)rd(&s, SERIAL8250_MSR);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
	wr(&s, SERIAL8250_RBR_THR_DLL, 1);
	wr(&s, SERIAL8250_RBR_THR_DLL, 2); /* overrun */
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_RLSI);
	(void)rd(&s, SERIAL8250_LSR);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
}

static void test_reset(void **state)
{
	const uint8_t in[2] = "ab";
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	wr(&s, SERIAL8250_MCR, SERIAL8250_MCR_OUT2);
	wr(&s, SERIAL8250_IER_DLM, SERIAL8250_IER_RDI);
	wr(&s, SERIAL8250_IIR_FCR, SERIAL8250_FCR_ENABLE);
	assert_int_equal(serial8250_rx_push(&s, in, 2), 2);
	assert_true(level(&h));
	serial8250_reset(&s);
	assert_false(level(&h));
	assert_int_equal(rd(&s, SERIAL8250_LSR),
			 SERIAL8250_LSR_THRE | SERIAL8250_LSR_TEMT);
	assert_int_equal(rd(&s, SERIAL8250_IIR_FCR), SERIAL8250_IIR_NO_INT);
	assert_int_equal(rd(&s, SERIAL8250_IER_DLM), 0);
}

static void test_bad_accesses(void **state)
{
	struct serial8250 s;
	struct host h;

	(void)state;
	setup(&s, &h);
	assert_int_equal(serial8250_read(&s, 8, 1), 0xff);
	assert_int_equal(serial8250_read(&s, 0, 2), 0xffff);
	assert_int_equal(serial8250_read(&s, 0, 4), 0xffffffffu);
	serial8250_write(&s, 0, 2, 'x');
	serial8250_write(&s, 100, 1, 'x');
	assert_int_equal(h.n_tx, 0);
	assert_int_equal(s.bad_reads, 3);
	assert_int_equal(s.bad_writes, 2);
	/* LSR and MSR writes are ignored but are not errors. */
	wr(&s, SERIAL8250_LSR, 0);
	assert_int_equal(rd(&s, SERIAL8250_LSR),
			 SERIAL8250_LSR_THRE | SERIAL8250_LSR_TEMT);
}

/* Random accesses and input: no crash, invariants hold. */
static void test_hostile(void **state)
{
	static const unsigned int sizes[] = { 0, 1, 1, 1, 2, 3, 4, 8 };
	uint8_t in[32];
	struct serial8250 s;
	struct host h;
	unsigned int i;

	(void)state;
	setup(&s, &h);
	srand(42);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)rand();
	for (i = 0; i < 200000; i++) {
		uint64_t off = (uint64_t)(rand() % 10);
		unsigned int size = sizes[rand() % ARRAY_SIZE(sizes)];
		int op = rand() % 4;

		if (rand() % 1000 == 0)
			off = (uint64_t)rand() << 32;
		if (op == 0)
			(void)serial8250_read(&s, off, size);
		else if (op == 1)
			serial8250_write(&s, off, size, (uint32_t)rand());
		else if (op == 2)
			assert_true(serial8250_rx_push(
					    &s, in, (size_t)rand() % 33) >= 0);
		else if (rand() % 100 == 0)
			serial8250_reset(&s);
		assert_true(s.rx_count <= SERIAL8250_FIFO_DEPTH);
		assert_true(s.rx_head < SERIAL8250_FIFO_DEPTH);
		assert_int_equal(serial8250_read(&s, SERIAL8250_LSR, 1) &
					 SERIAL8250_LSR_THRE,
				 SERIAL8250_LSR_THRE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_bad_ops),
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_dlab_and_scratch),
		cmocka_unit_test(test_transmit),
		cmocka_unit_test(test_receive_fifo),
		cmocka_unit_test(test_rx_interrupt_and_trigger),
		cmocka_unit_test(test_thre_interrupt),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_out2_gates_irq),
		cmocka_unit_test(test_loopback_and_msr),
		cmocka_unit_test(test_rls_and_msi_interrupts),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
