/* AML byte-code builder: just what the DSDT of a vmmd guest needs. */
#ifndef VMMD_AML_H
#define VMMD_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmmd/common.h"

/*
 * A growing buffer of AML (ACPI 6.x, chapter 20) with a sticky error: every
 * function appends, or does nothing once an error was recorded, so a table
 * is written as straight-line code and checked once with aml_error(). The
 * first error wins: -ENOMEM, -EINVAL (a bad name, a value that does not fit
 * its encoding, unbalanced open/close) or -E2BIG (beyond AML_MAX_LEN).
 *
 * Nested objects (Scope, Device, Method, Package) are opened with a call
 * that returns a mark and closed with aml_close(mark), innermost first; the
 * PkgLength is then written in its shortest encoding. Zero-initialise
 * (or aml_init()) before use, aml_free() after. Not thread-safe.
 */
struct aml {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int err;
};

#define AML_MAX_LEN (16 * MiB) /* far above any table vmmd writes */

/* Opcodes and prefixes (ACPI 6.4, 20.2). */
enum {
	AML_ZERO_OP = 0x00,
	AML_ONE_OP = 0x01,
	AML_NAME_OP = 0x08,
	AML_BYTE_PREFIX = 0x0a,
	AML_WORD_PREFIX = 0x0b,
	AML_DWORD_PREFIX = 0x0c,
	AML_STRING_PREFIX = 0x0d,
	AML_QWORD_PREFIX = 0x0e,
	AML_SCOPE_OP = 0x10,
	AML_BUFFER_OP = 0x11,
	AML_PACKAGE_OP = 0x12,
	AML_METHOD_OP = 0x14,
	AML_DUAL_NAME_PREFIX = 0x2e,
	AML_MULTI_NAME_PREFIX = 0x2f,
	AML_EXT_OP_PREFIX = 0x5b,
	AML_ROOT_CHAR = 0x5c,
	AML_PARENT_PREFIX = 0x5e,
	AML_RETURN_OP = 0xa4,
	AML_ONES_OP = 0xff,
	AML_EXT_DEVICE_OP = 0x82, /* after AML_EXT_OP_PREFIX */
};

void aml_init(struct aml *a);
void aml_free(struct aml *a);

/* 0, or the first error recorded. */
static inline int aml_error(const struct aml *a)
{
	return a->err;
}

/* Raw bytes. */
void aml_byte(struct aml *a, uint8_t b);
void aml_bytes(struct aml *a, const void *p, size_t n);

/*
 * NameString: an optional root ('\') or parent ('^') prefix and 0..255
 * segments separated by '.', each 1-4 characters of [A-Z0-9_] not starting
 * with a digit, padded with '_' ("_S5" is "_S5_"). "" is the null name.
 */
void aml_path(struct aml *a, const char *path);

/* Integer in the shortest encoding: Zero, One, Ones, Byte..QWord. */
void aml_integer(struct aml *a, uint64_t v);

/* String: ASCII 0x01..0x7f. */
void aml_string(struct aml *a, const char *s);

/* EisaId("PNP0501"): three letters A-Z and four hex digits, as a DWord. */
void aml_eisa_id(struct aml *a, const char *id);

/* Unicode("com1"): a Buffer of UTF-16LE code units with a NUL. ASCII only. */
void aml_unicode(struct aml *a, const char *s);

/* Buffer (BufferSize, ByteList) holding @n bytes of @p. */
void aml_buffer(struct aml *a, const void *p, size_t n);

/*
 * PkgLength around what follows: aml_pkg_open() reserves the field and
 * returns a mark for aml_close(). The openers below call it.
 */
size_t aml_pkg_open(struct aml *a);
void aml_close(struct aml *a, size_t mark);

size_t aml_scope(struct aml *a, const char *path);
size_t aml_device(struct aml *a, const char *path);
size_t aml_method(struct aml *a, const char *path, unsigned int nargs,
		  bool serialized);
size_t aml_package(struct aml *a, unsigned int n_elements);

/* Name(path, ...): NameOp and the name; a data object must follow. */
void aml_name(struct aml *a, const char *path);
void aml_name_integer(struct aml *a, const char *path, uint64_t v);
void aml_name_string(struct aml *a, const char *path, const char *s);
void aml_name_eisa_id(struct aml *a, const char *path, const char *id);

/* Return(integer). */
void aml_return_integer(struct aml *a, uint64_t v);

/*
 * Resource descriptors (ACPI 6.4, 6.4) are appended to their own struct
 * aml, which aml_resource_template() then wraps: a Buffer of the
 * descriptors and an End Tag (checksum 0: "treat as valid").
 */
void aml_resource_template(struct aml *a, const struct aml *res);

/* IO(Decode16, min, max, align, len). */
void aml_res_io(struct aml *res, uint16_t min, uint16_t max, uint8_t align,
		uint8_t len);

/* ISA IRQ descriptor, IRQNoFlags() when edge, active high and exclusive. */
void aml_res_irq(struct aml *res, unsigned int irq, bool edge, bool active_low,
		 bool shared);

/* Interrupt(ResourceConsumer, ...) {gsi}: the extended descriptor. */
void aml_res_interrupt(struct aml *res, uint32_t gsi, bool edge,
		       bool active_low, bool shared);

/* Memory32Fixed(ReadWrite or ReadOnly, base, len). */
void aml_res_memory32_fixed(struct aml *res, bool writeable, uint32_t base,
			    uint32_t len);

/* Address space descriptors (Word/DWord/QWord). */
enum aml_addr_type {
	AML_ADDR_MEMORY = 0,
	AML_ADDR_IO = 1,
	AML_ADDR_BUS_NUMBER = 2,
};

/* Memory attributes (_MEM) of a memory address space descriptor. */
enum aml_mem_cache {
	AML_MEM_NON_CACHEABLE = 0,
	AML_MEM_CACHEABLE = 1,
	AML_MEM_WRITE_COMBINING = 2,
	AML_MEM_PREFETCHABLE = 3,
};

struct aml_addr {
	enum aml_addr_type type;
	bool producer; /* ResourceProducer (a bridge window), else Consumer */
	enum aml_mem_cache cache; /* memory only */
	bool writeable; /* memory only */
	uint64_t min; /* MinFixed, MaxFixed, PosDecode, granularity 0 */
	uint64_t len; /* max = min + len - 1; 0 is invalid */
	uint64_t translation;
};

/* Width 2, 4 or 8 (Word, DWord, QWord); every value must fit. */
void aml_res_addr(struct aml *res, unsigned int width,
		  const struct aml_addr *d);

#endif
