/* Runtime of the test guests: 8250 output, report lines, start info, exit. */
#include "rt.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

/* Serial output is shared by all CPUs: one line at a time. */
static volatile uint32_t serial_lock;

static void lock_serial(void)
{
	while (__atomic_exchange_n(&serial_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&serial_lock, __ATOMIC_RELAXED))
			cpu_relax();
}

static void unlock_serial(void)
{
	__atomic_store_n(&serial_lock, 0, __ATOMIC_RELEASE);
}

static void serial_putc(char c)
{
	/* Bounded: a missing UART reads all-ones, which has THRE set. */
	for (int i = 0; i < 100000; i++)
		if (inb(GUEST_COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb(GUEST_COM1 + UART_THR, (uint8_t)c);
}

void report(const char *key, const char *fmt, ...)
{
	char buf[FORMAT_MAX];
	size_t n = 0;
	va_list ap;

	if (key)
		n = format(buf, sizeof(buf), "%s=", key);
	va_start(ap, fmt);
	n += vformat(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	lock_serial();
	for (size_t i = 0; i < n; i++)
		serial_putc(buf[i]);
	serial_putc('\n');
	unlock_serial();
}

void *phys_ptr(uint64_t paddr)
{
	if (paddr >> 32)
		return NULL;
	return (void *)(uintptr_t)paddr;
}

const struct hvm_start_info *start_info_get(uint32_t paddr)
{
	const struct hvm_start_info *si = phys_ptr(paddr);

	if (!si || si->magic != HVM_START_MAGIC) {
		report("error", "no hvm_start_info at 0x%x", paddr);
		return NULL;
	}
	return si;
}

uint32_t cpu_apic_id(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 0xb) {
		cpuid(0xb, 0, r);
		/* Leaf 0xB exists when its level 0 has a non-zero type. */
		if (r[2] & 0xff00)
			return r[3];
	}
	cpuid(1, 0, r);
	return r[1] >> 24;
}

void guest_exit(int status)
{
	outb(GUEST_DEBUG_EXIT_PORT, (uint8_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
