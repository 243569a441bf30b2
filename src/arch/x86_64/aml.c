/* AML byte-code builder: names, data objects, scopes and resources. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/aml.h"

#define AML_PKG_FIELD 4 /* bytes reserved for a PkgLength until close */
#define AML_PKG_MAX ((UINT32_C(1) << 28) - 1) /* 4-byte PkgLength limit */
#define AML_NAMESEG 4

/* Small resource items: tag byte = type << 3 | length (ACPI 6.4, 6.4.2). */
#define RES_IRQ 0x04
#define RES_IO 0x08
#define RES_END 0x0f
/* Large resource items: tag byte = 0x80 | type (6.4.3). */
#define RES_MEMORY32_FIXED 0x86
#define RES_DWORD_ADDR 0x87
#define RES_WORD_ADDR 0x88
#define RES_EXT_IRQ 0x89
#define RES_QWORD_ADDR 0x8a

static void aml_fail(struct aml *a, int err)
{
	if (!a->err)
		a->err = err;
}

void aml_init(struct aml *a)
{
	memset(a, 0, sizeof(*a));
}

void aml_free(struct aml *a)
{
	free(a->buf);
	aml_init(a);
}

static bool aml_reserve(struct aml *a, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (a->err)
		return false;
	if (n > AML_MAX_LEN - a->len) {
		aml_fail(a, -E2BIG);
		return false;
	}
	if (a->len + n <= a->cap)
		return true;
	cap = a->cap ? a->cap : 256;
	while (cap < a->len + n)
		cap *= 2;
	p = realloc(a->buf, cap);
	if (!p) {
		aml_fail(a, -ENOMEM);
		return false;
	}
	a->buf = p;
	a->cap = cap;
	return true;
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (!n || !aml_reserve(a, n))
		return;
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

void aml_byte(struct aml *a, uint8_t b)
{
	aml_bytes(a, &b, 1);
}

/* Little-endian value of @width bytes. */
static void aml_le(struct aml *a, uint64_t v, unsigned int width)
{
	uint8_t b[8];
	unsigned int i;

	for (i = 0; i < width && i < sizeof(b); i++)
		b[i] = (uint8_t)(v >> (8 * i));
	aml_bytes(a, b, i);
}

static bool is_lead_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_lead_char(c) || (c >= '0' && c <= '9');
}

/* Parses one NameSeg of @s into @seg; returns its length, 0 when bad. */
static size_t name_seg(const char *s, char seg[AML_NAMESEG])
{
	size_t n = 0;

	if (!is_lead_char(s[0]))
		return 0;
	while (is_name_char(s[n])) {
		if (n == AML_NAMESEG)
			return 0;
		seg[n] = s[n];
		n++;
	}
	memset(seg + n, '_', AML_NAMESEG - n);
	return n;
}

void aml_path(struct aml *a, const char *path)
{
	char segs[255][AML_NAMESEG];
	const char *p = path;
	size_t n = 0, k;

	if (!path) {
		aml_fail(a, -EINVAL);
		return;
	}
	if (*p == '\\') {
		aml_byte(a, AML_ROOT_CHAR);
		p++;
	} else {
		while (*p == '^') {
			aml_byte(a, AML_PARENT_PREFIX);
			p++;
		}
	}
	while (*p) {
		if (n == ARRAY_SIZE(segs)) {
			aml_fail(a, -EINVAL);
			return;
		}
		k = name_seg(p, segs[n]);
		if (!k || (p[k] != '.' && p[k]) || (p[k] == '.' && !p[k + 1])) {
			aml_fail(a, -EINVAL);
			return;
		}
		n++;
		p += k + (p[k] == '.');
	}
	if (n == 0) {
		aml_byte(a, AML_ZERO_OP); /* NullName */
	} else if (n == 2) {
		aml_byte(a, AML_DUAL_NAME_PREFIX);
	} else if (n > 2) {
		aml_byte(a, AML_MULTI_NAME_PREFIX);
		aml_byte(a, (uint8_t)n);
	}
	aml_bytes(a, segs, n * AML_NAMESEG);
}

void aml_integer(struct aml *a, uint64_t v)
{
	if (v == 0) {
		aml_byte(a, AML_ZERO_OP);
	} else if (v == 1) {
		aml_byte(a, AML_ONE_OP);
	} else if (v == UINT64_MAX) {
		aml_byte(a, AML_ONES_OP); /* 64-bit Ones: DSDT revision 2 */
	} else if (v <= UINT8_MAX) {
		aml_byte(a, AML_BYTE_PREFIX);
		aml_le(a, v, 1);
	} else if (v <= UINT16_MAX) {
		aml_byte(a, AML_WORD_PREFIX);
		aml_le(a, v, 2);
	} else if (v <= UINT32_MAX) {
		aml_byte(a, AML_DWORD_PREFIX);
		aml_le(a, v, 4);
	} else {
		aml_byte(a, AML_QWORD_PREFIX);
		aml_le(a, v, 8);
	}
}

void aml_string(struct aml *a, const char *s)
{
	size_t i;

	if (!s) {
		aml_fail(a, -EINVAL);
		return;
	}
	for (i = 0; s[i]; i++) {
		if ((unsigned char)s[i] > 0x7f) {
			aml_fail(a, -EINVAL);
			return;
		}
	}
	aml_byte(a, AML_STRING_PREFIX);
	aml_bytes(a, s, i + 1);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Three letters of 5 bits each (A = 1) and four hex digits: 32 bits, most
 * significant first in memory, i.e. a byte-swapped DWord.
 */
void aml_eisa_id(struct aml *a, const char *id)
{
	uint32_t v = 0;
	size_t i;

	if (!id || strlen(id) != 7) {
		aml_fail(a, -EINVAL);
		return;
	}
	for (i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z') {
			aml_fail(a, -EINVAL);
			return;
		}
		v = v << 5 | (uint32_t)(id[i] - 'A' + 1);
	}
	for (i = 3; i < 7; i++) {
		int d = hex_digit(id[i]);

		if (d < 0) {
			aml_fail(a, -EINVAL);
			return;
		}
		v = v << 4 | (uint32_t)d;
	}
	aml_byte(a, AML_DWORD_PREFIX);
	aml_byte(a, (uint8_t)(v >> 24));
	aml_byte(a, (uint8_t)(v >> 16));
	aml_byte(a, (uint8_t)(v >> 8));
	aml_byte(a, (uint8_t)v);
}

size_t aml_pkg_open(struct aml *a)
{
	static const uint8_t zero[AML_PKG_FIELD];
	size_t mark = a->len;

	aml_bytes(a, zero, sizeof(zero));
	return mark;
}

/*
 * PkgLength counts itself and what follows up to the end of the object.
 * One byte holds up to 63 in bits 5:0; with 1-3 more bytes, bits 7:6 of the
 * lead byte give their number, bits 3:0 the low nibble and each following
 * byte the next 8 bits (ACPI 6.4, 20.2.4).
 */
void aml_close(struct aml *a, size_t mark)
{
	size_t body, total;
	unsigned int n, i;

	if (a->err)
		return;
	if (mark > a->len || a->len - mark < AML_PKG_FIELD) {
		aml_fail(a, -EINVAL);
		return;
	}
	body = a->len - mark - AML_PKG_FIELD;
	if (body + 1 <= 0x3f)
		n = 1;
	else if (body + 2 <= 0xfff)
		n = 2;
	else if (body + 3 <= 0xfffff)
		n = 3;
	else if (body + 4 <= AML_PKG_MAX)
		n = 4;
	else {
		aml_fail(a, -E2BIG);
		return;
	}
	total = body + n;
	memmove(a->buf + mark + n, a->buf + mark + AML_PKG_FIELD, body);
	a->len -= AML_PKG_FIELD - n;
	if (n == 1) {
		a->buf[mark] = (uint8_t)total;
		return;
	}
	a->buf[mark] = (uint8_t)((n - 1) << 6 | (total & 0xf));
	for (i = 1; i < n; i++)
		a->buf[mark + i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
}

size_t aml_scope(struct aml *a, const char *path)
{
	size_t mark;

	aml_byte(a, AML_SCOPE_OP);
	mark = aml_pkg_open(a);
	aml_path(a, path);
	return mark;
}

size_t aml_device(struct aml *a, const char *path)
{
	size_t mark;

	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_EXT_DEVICE_OP);
	mark = aml_pkg_open(a);
	aml_path(a, path);
	return mark;
}

/* MethodFlags: bits 2:0 argument count, bit 3 serialized, sync level 0. */
size_t aml_method(struct aml *a, const char *path, unsigned int nargs,
		  bool serialized)
{
	size_t mark;

	if (nargs > 7)
		aml_fail(a, -EINVAL);
	aml_byte(a, AML_METHOD_OP);
	mark = aml_pkg_open(a);
	aml_path(a, path);
	aml_byte(a, (uint8_t)((nargs & 7) | (serialized ? 8 : 0)));
	return mark;
}

size_t aml_package(struct aml *a, unsigned int n_elements)
{
	size_t mark;

	if (n_elements > UINT8_MAX)
		aml_fail(a, -EINVAL);
	aml_byte(a, AML_PACKAGE_OP);
	mark = aml_pkg_open(a);
	aml_byte(a, (uint8_t)n_elements);
	return mark;
}

void aml_buffer(struct aml *a, const void *p, size_t n)
{
	size_t mark;

	aml_byte(a, AML_BUFFER_OP);
	mark = aml_pkg_open(a);
	aml_integer(a, n);
	aml_bytes(a, p, n);
	aml_close(a, mark);
}

void aml_unicode(struct aml *a, const char *s)
{
	uint8_t *u;
	size_t n, i;

	if (!s) {
		aml_fail(a, -EINVAL);
		return;
	}
	n = strlen(s);
	if (n > AML_MAX_LEN / 2) {
		aml_fail(a, -E2BIG);
		return;
	}
	u = calloc(n + 1, 2);
	if (!u) {
		aml_fail(a, -ENOMEM);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] > 0x7f || !s[i]) {
			aml_fail(a, -EINVAL);
			break;
		}
		u[2 * i] = (uint8_t)s[i];
	}
	aml_buffer(a, u, 2 * (n + 1));
	free(u);
}

void aml_name(struct aml *a, const char *path)
{
	aml_byte(a, AML_NAME_OP);
	aml_path(a, path);
}

void aml_name_integer(struct aml *a, const char *path, uint64_t v)
{
	aml_name(a, path);
	aml_integer(a, v);
}

void aml_name_string(struct aml *a, const char *path, const char *s)
{
	aml_name(a, path);
	aml_string(a, s);
}

void aml_name_eisa_id(struct aml *a, const char *path, const char *id)
{
	aml_name(a, path);
	aml_eisa_id(a, id);
}

void aml_return_integer(struct aml *a, uint64_t v)
{
	aml_byte(a, AML_RETURN_OP);
	aml_integer(a, v);
}

void aml_resource_template(struct aml *a, const struct aml *res)
{
	struct aml t = { 0 };

	if (res->err) {
		aml_fail(a, res->err);
		return;
	}
	aml_bytes(&t, res->buf, res->len);
	aml_byte(&t, RES_END << 3 | 1);
	aml_byte(&t, 0);
	if (t.err)
		aml_fail(a, t.err);
	else
		aml_buffer(a, t.buf, t.len);
	aml_free(&t);
}

void aml_res_io(struct aml *res, uint16_t min, uint16_t max, uint8_t align,
		uint8_t len)
{
	aml_byte(res, RES_IO << 3 | 7);
	aml_byte(res, 1); /* Decode16 */
	aml_le(res, min, 2);
	aml_le(res, max, 2);
	aml_byte(res, align);
	aml_byte(res, len);
}

/* IRQ information: bit 0 edge, bit 3 active low, bit 4 shared. */
void aml_res_irq(struct aml *res, unsigned int irq, bool edge, bool active_low,
		 bool shared)
{
	if (irq > 15) {
		aml_fail(res, -EINVAL);
		return;
	}
	if (edge && !active_low && !shared) {
		aml_byte(res, RES_IRQ << 3 | 2);
		aml_le(res, UINT16_C(1) << irq, 2);
		return;
	}
	aml_byte(res, RES_IRQ << 3 | 3);
	aml_le(res, UINT16_C(1) << irq, 2);
	aml_byte(res, (uint8_t)((edge ? 0x01 : 0) | (active_low ? 0x08 : 0) |
				(shared ? 0x10 : 0)));
}

/* Flags: bit 0 consumer, bit 1 edge, bit 2 active low, bit 3 shared. */
void aml_res_interrupt(struct aml *res, uint32_t gsi, bool edge,
		       bool active_low, bool shared)
{
	aml_byte(res, RES_EXT_IRQ);
	aml_le(res, 6, 2); /* flags, count, one interrupt */
	aml_byte(res, (uint8_t)(0x01 | (edge ? 0x02 : 0) |
				(active_low ? 0x04 : 0) | (shared ? 0x08 : 0)));
	aml_byte(res, 1);
	aml_le(res, gsi, 4);
}

void aml_res_memory32_fixed(struct aml *res, bool writeable, uint32_t base,
			    uint32_t len)
{
	aml_byte(res, RES_MEMORY32_FIXED);
	aml_le(res, 9, 2);
	aml_byte(res, writeable ? 1 : 0);
	aml_le(res, base, 4);
	aml_le(res, len, 4);
}

/*
 * Address space descriptor: type, general flags (bit 0 consumer, bit 1
 * subtractive decode, bit 2 min fixed, bit 3 max fixed), type-specific
 * flags (memory: bit 0 read-write, bits 2:1 cacheability), then
 * granularity, min, max, translation and length, each @width bytes.
 */
void aml_res_addr(struct aml *res, unsigned int width, const struct aml_addr *d)
{
	static const uint8_t tags[] = {
		[2] = RES_WORD_ADDR,
		[4] = RES_DWORD_ADDR,
		[8] = RES_QWORD_ADDR,
	};
	uint64_t limit, max;
	uint8_t tflags = 0;

	if (width >= ARRAY_SIZE(tags) || !tags[width] || !d || !d->len ||
	    d->type > AML_ADDR_BUS_NUMBER) {
		aml_fail(res, -EINVAL);
		return;
	}
	limit = width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
	if (d->min > limit || d->len - 1 > limit - d->min ||
	    d->translation > limit) {
		aml_fail(res, -EINVAL);
		return;
	}
	max = d->min + (d->len - 1);
	if (d->type == AML_ADDR_MEMORY)
		tflags = (uint8_t)((d->writeable ? 1 : 0) |
				   ((unsigned int)d->cache & 3) << 1);
	else if (d->type == AML_ADDR_IO)
		tflags = 3; /* ISA and non-ISA ranges */
	aml_byte(res, tags[width]);
	aml_le(res, 3 + 5 * width, 2);
	aml_byte(res, (uint8_t)d->type);
	aml_byte(res, (uint8_t)(0x0c | (d->producer ? 0 : 0x01)));
	aml_byte(res, tflags);
	aml_le(res, 0, width); /* granularity */
	aml_le(res, d->min, width);
	aml_le(res, max, width);
	aml_le(res, d->translation, width);
	aml_le(res, d->len, width);
}
