/* Formatting of the test guests' report lines (also built for the host). */
#include "rt.h"

struct line {
	char buf[FORMAT_MAX];
	size_t len;
};

static void line_putc(struct line *l, char c)
{
	if (l->len < sizeof(l->buf))
		l->buf[l->len++] = c;
}

static void line_puts(struct line *l, const char *s)
{
	while (*s)
		line_putc(l, *s++);
}

/* Hex digits of v; 'digits' > 0 pads with zeros to that many. */
static void line_hex32(struct line *l, uint32_t v, int digits)
{
	int shift = digits ? (digits - 1) * 4 : 28;

	while (!digits && shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		line_putc(l, "0123456789abcdef"[(v >> shift) & 0xf]);
}

/* 32-bit halves: 64-bit shifts cost several instructions each in 32-bit
 * code, and every instruction at CPL0 is emulated on the target hosts. */
static void line_hex(struct line *l, uint64_t v)
{
	uint32_t hi = (uint32_t)(v >> 32);

	if (hi) {
		line_hex32(l, hi, 0);
		line_hex32(l, (uint32_t)v, 8);
	} else {
		line_hex32(l, (uint32_t)v, 0);
	}
}

static void line_dec(struct line *l, uint32_t v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		line_putc(l, tmp[--n]);
}

static void line_vformat(struct line *l, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			line_putc(l, *fmt);
			continue;
		}
		fmt++;
		if (fmt[0] == 'l' && fmt[1] == 'l' && fmt[2] == 'x') {
			line_hex(l, va_arg(ap, uint64_t));
			fmt += 2;
		} else if (*fmt == 'x') {
			line_hex32(l, va_arg(ap, uint32_t), 0);
		} else if (*fmt == 'u') {
			line_dec(l, va_arg(ap, uint32_t));
		} else if (*fmt == 's') {
			line_puts(l, va_arg(ap, const char *));
		} else if (*fmt == 'c') {
			line_putc(l, (char)va_arg(ap, int));
		} else {
			line_putc(l, '%');
			if (!*fmt)
				break;
			line_putc(l, *fmt);
		}
	}
}

size_t vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct line l;
	size_t n;

	/* No initialiser: zeroing the buffer would cost FORMAT_MAX stores,
	 * and guest instructions are emulated. */
	l.len = 0;
	line_vformat(&l, fmt, ap);
	n = l.len < size ? l.len : size - 1;
	memcpy(buf, l.buf, n);
	buf[n] = 0;
	return n;
}

size_t format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
