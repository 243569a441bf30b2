/*
 * Unit tests of the x86_64 ACPI tables and the AML builder: every table is
 * read back from the blob and compared with the layout it came from.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64/aml.h"
#include "vmmd/acpi.h"
#include "vmmd/config.h"
#include "vmmd/layout.h"

/* ---- helpers ----------------------------------------------------------- */

static struct vm_config *load_ok(const char *name, const char *yaml)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;

	if (cfg_load_buffer(name, yaml, strlen(yaml), &cfg, &dl) ||
	    cfg_validate(cfg, &dl)) {
		diag_print(&dl, stderr);
		fail_msg("config %s does not validate", name);
	}
	diag_list_free(&dl);
	return cfg;
}

static struct vm_layout *resolve_ok(const struct vm_config *cfg)
{
	struct diag_list dl = { 0 };
	struct vm_layout *l = NULL;

	if (layout_resolve(cfg, &l, &dl)) {
		diag_print(&dl, stderr);
		fail_msg("config does not resolve");
	}
	diag_list_free(&dl);
	return l;
}

/* A VM resolved from YAML text, with its tables built. */
struct vm {
	struct vm_config *cfg;
	struct vm_layout *l;
	struct acpi_tables t;
};

static void vm_build(struct vm *vm, const char *yaml)
{
	int err;

	vm->cfg = load_ok("test.yaml", yaml);
	vm->l = resolve_ok(vm->cfg);
	err = acpi_build(vm->l, vm->cfg, &vm->t);
	if (err)
		fail_msg("acpi_build: %d: %s", err, vm->t.error);
}

static void vm_build_file(struct vm *vm, const char *rel)
{
	const char *src = getenv("VMMD_SRCDIR");
	const char *self = "tests/unit/test_acpi.c", *file = __FILE__;
	size_t n = strlen(file);
	char path[4096], *text;
	FILE *f;

	/* ctest sets VMMD_SRCDIR; a direct run finds the tree from here */
	if (src)
		snprintf(path, sizeof(path), "%s/%s", src, rel);
	else if (n >= strlen(self) && !strcmp(file + n - strlen(self), self))
		snprintf(path, sizeof(path), "%.*s%s", (int)(n - strlen(self)),
			 file, rel);
	else
		skip();
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	text = calloc(1, 1 << 20);
	assert_non_null(text);
	n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	text[n] = '\0';
	vm_build(vm, text);
	free(text);
}

static void vm_free(struct vm *vm)
{
	acpi_tables_free(&vm->t);
	layout_free(vm->l);
	cfg_free(vm->cfg);
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Pointer to the table at guest address @addr, checked against the index. */
static const uint8_t *at(const struct acpi_tables *t, uint64_t addr)
{
	assert_true(addr >= t->base && addr < t->base + t->size);
	return t->blob + (addr - t->base);
}

static const uint8_t *table(const struct acpi_tables *t, const char *sig,
			    uint32_t *len)
{
	const struct acpi_table_ref *r = acpi_tables_find(t, sig);

	if (!r)
		fail_msg("no %s table", sig);
	assert_true(r->offset + (uint64_t)r->length <= t->size);
	assert_int_equal(r->addr, t->base + r->offset);
	if (len)
		*len = r->length;
	return t->blob + r->offset;
}

/* Calls @fn for each MADT/SRAT subtable from @first. */
struct sub {
	uint8_t type;
	uint8_t len;
	const uint8_t *p;
};

static size_t subtables(const uint8_t *tbl, size_t first, struct sub *v,
			size_t max)
{
	uint32_t len = rd32(tbl + 4);
	size_t off = first, n = 0;

	while (off < len) {
		assert_true(off + 2 <= len);
		assert_true(tbl[off + 1] >= 2);
		assert_true(off + tbl[off + 1] <= len);
		assert_true(n < max);
		v[n].type = tbl[off];
		v[n].len = tbl[off + 1];
		v[n].p = tbl + off;
		n++;
		off += tbl[off + 1];
	}
	assert_int_equal(off, len);
	return n;
}

/*
 * Every table of the index: inside the blob, checksums right, XSDT
 * pointing at the tables the index names, RSDP where a BIOS scan finds it.
 */
static void check_common(const struct vm *vm)
{
	const struct acpi_tables *t = &vm->t;
	const uint8_t *rsdp, *xsdt, *fadt;
	uint32_t xlen, i;
	size_t k;

	assert_non_null(t->blob);
	assert_int_equal(t->base, vm->l->fw_base);
	assert_true(t->size <= vm->l->fw_size);
	assert_string_equal(t->error, "");

	for (k = 0; k < t->n_tables; k++) {
		const struct acpi_table_ref *r = &t->tables[k];
		const uint8_t *p = t->blob + r->offset;

		assert_true(r->offset + (uint64_t)r->length <= t->size);
		if (!strcmp(r->sig, "RSDP"))
			continue;
		assert_memory_equal(p, r->sig, 4);
		assert_int_equal(rd32(p + 4), r->length);
		if (!strcmp(r->sig, "FACS"))
			continue;
		assert_int_equal(sum8(p, r->length), 0);
		assert_memory_equal(p + 10, "VMMD  ", 6);
		assert_memory_equal(p + 28, "VMMD", 4);
		if (k)
			assert_int_equal(r->addr % 16, 0);
	}

	/* RSDP: revision 2, both checksums, in the BIOS scan area. */
	assert_int_equal(t->rsdp_addr % 16, 0);
	assert_true(t->rsdp_addr >= 0xe0000 && t->rsdp_addr < 0x100000);
	rsdp = at(t, t->rsdp_addr);
	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(sum8(rsdp, 20), 0);
	assert_int_equal(sum8(rsdp, 36), 0);
	assert_int_equal(rsdp[15], 2);
	assert_int_equal(rd32(rsdp + 16), 0); /* no RSDT */
	assert_int_equal(rd32(rsdp + 20), 36);
	assert_int_equal(acpi_tables_find(t, "RSDP")->addr, t->rsdp_addr);

	/* XSDT: FACP, APIC, SRAT, SLIT (and MCFG), in that order. */
	xsdt = at(t, rd64(rsdp + 24));
	assert_memory_equal(xsdt, "XSDT", 4);
	assert_ptr_equal(xsdt, table(t, "XSDT", &xlen));
	assert_int_equal((xlen - 36) % 8, 0);
	assert_int_equal((xlen - 36) / 8, vm->l->n_rcs ? 5 : 4);
	for (i = 0; i < (xlen - 36) / 8; i++) {
		static const char *const sigs[] = { "FACP", "APIC", "SRAT",
						    "SLIT", "MCFG" };
		uint64_t a = rd64(xsdt + 36 + 8 * i);

		assert_int_equal(a, acpi_tables_find(t, sigs[i])->addr);
		assert_memory_equal(at(t, a), sigs[i], 4);
	}

	/* The FADT reaches the FACS (64-byte aligned) and the DSDT. */
	fadt = table(t, "FACP", NULL);
	assert_int_equal(rd32(fadt + 36), acpi_tables_find(t, "FACS")->addr);
	assert_int_equal(rd32(fadt + 36) % 64, 0);
	assert_int_equal(rd64(fadt + 132), 0); /* X_FIRMWARE_CTRL */
	assert_int_equal(rd32(fadt + 40), acpi_tables_find(t, "DSDT")->addr);
	assert_int_equal(rd64(fadt + 140), acpi_tables_find(t, "DSDT")->addr);
	assert_memory_equal(at(t, rd64(fadt + 140)), "DSDT", 4);
	assert_memory_equal(at(t, rd32(fadt + 36)), "FACS", 4);
}

/* ---- AML decoding (just enough for the tests) ---------------------------- */

/* PkgLength at @p: returns the length, *n the bytes of the field. */
static size_t pkg_length(const uint8_t *p, size_t *n)
{
	unsigned int extra = p[0] >> 6, i;
	size_t len;

	*n = 1 + extra;
	if (!extra)
		return p[0] & 0x3f;
	len = p[0] & 0x0f;
	for (i = 0; i < extra; i++)
		len |= (size_t)p[1 + i] << (4 + 8 * i);
	return len;
}

/* Integer data object at @p; *n its size. */
static uint64_t aml_int(const uint8_t *p, size_t *n)
{
	switch (p[0]) {
	case 0x00:
		*n = 1;
		return 0;
	case 0x01:
		*n = 1;
		return 1;
	case 0xff:
		*n = 1;
		return UINT64_MAX;
	case 0x0a:
		*n = 2;
		return p[1];
	case 0x0b:
		*n = 3;
		return rd16(p + 1);
	case 0x0c:
		*n = 5;
		return rd32(p + 1);
	case 0x0e:
		*n = 9;
		return rd64(p + 1);
	}
	fail_msg("not an integer: opcode 0x%02x", p[0]);
	return 0;
}

/* The body of Device(@name) (a single NameSeg) inside @aml. */
static const uint8_t *find_device(const uint8_t *aml, size_t len,
				  const char *name, size_t *body_len)
{
	size_t i;

	for (i = 0; i + 7 < len; i++) {
		size_t n, plen;

		if (aml[i] != 0x5b || aml[i + 1] != 0x82)
			continue;
		plen = pkg_length(aml + i + 2, &n);
		if (memcmp(aml + i + 2 + n, name, 4))
			continue;
		assert_true(i + 2 + plen <= len);
		*body_len = plen - n - 4;
		return aml + i + 2 + n + 4;
	}
	return NULL;
}

/* The data object of Name(@seg, ...) directly inside @body. */
static const uint8_t *find_name(const uint8_t *body, size_t len,
				const char *seg)
{
	size_t i;

	for (i = 0; i + 5 < len; i++)
		if (body[i] == 0x08 && !memcmp(body + i + 1, seg, 4))
			return body + i + 5;
	return NULL;
}

/* Contents of the Buffer at @p. */
static const uint8_t *buffer_bytes(const uint8_t *p, size_t *len)
{
	size_t n, k;

	assert_int_equal(p[0], 0x11);
	pkg_length(p + 1, &n);
	*len = (size_t)aml_int(p + 1 + n, &k);
	return p + 1 + n + k;
}

/* ---- AML builder ------------------------------------------------------- */

static void expect_aml(struct aml *a, const uint8_t *want, size_t n)
{
	assert_int_equal(aml_error(a), 0);
	assert_int_equal(a->len, n);
	assert_memory_equal(a->buf, want, n);
	aml_free(a);
}

static void test_aml_integers(void **state)
{
	static const struct {
		uint64_t v;
		uint8_t bytes[9];
		size_t n;
	} cases[] = {
		{ 0, { 0x00 }, 1 },
		{ 1, { 0x01 }, 1 },
		{ 2, { 0x0a, 0x02 }, 2 },
		{ 0xff, { 0x0a, 0xff }, 2 },
		{ 0x100, { 0x0b, 0x00, 0x01 }, 3 },
		{ 0xffff, { 0x0b, 0xff, 0xff }, 3 },
		{ 0x10000, { 0x0c, 0x00, 0x00, 0x01, 0x00 }, 5 },
		{ 0xfee00000, { 0x0c, 0x00, 0x00, 0xe0, 0xfe }, 5 },
		{ 0x100000000, { 0x0e, 0, 0, 0, 0, 1, 0, 0, 0 }, 9 },
		{ UINT64_MAX - 1,
		  { 0x0e, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  9 },
		{ UINT64_MAX, { 0xff }, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct aml a = { 0 };

		aml_integer(&a, cases[i].v);
		expect_aml(&a, cases[i].bytes, cases[i].n);
	}
}

static void test_aml_names(void **state)
{
	static const uint8_t sb_com1[] = { 0x5c, 0x2e, '_', 'S', 'B',
					   '_',	 'C',  'O', 'M', '1' };
	static const uint8_t s5[] = { '_', 'S', '5', '_' };
	static const uint8_t parent[] = { 0x5e, 0x5e, 'P', 'C', 'I', '0' };
	static const uint8_t multi[] = { 0x5c, 0x2f, 3,	  'A', '_',
					 '_',  '_',  'B', 'C', '_',
					 '_',  'D',  'E', 'F', 'G' };
	static const uint8_t root[] = { 0x5c, 0x00 };
	static const char *const bad[] = {
		"1ABC", "ABCDE", "com1", "A..B", "A.", ".A", "A-B", "\\^A",
	};
	struct aml a = { 0 };
	size_t i;

	(void)state;
	aml_path(&a, "\\_SB.COM1");
	expect_aml(&a, sb_com1, sizeof(sb_com1));
	aml_path(&a, "_S5");
	expect_aml(&a, s5, sizeof(s5));
	aml_path(&a, "^^PCI0");
	expect_aml(&a, parent, sizeof(parent));
	aml_path(&a, "\\A.BC.DEFG");
	expect_aml(&a, multi, sizeof(multi));
	aml_path(&a, "\\");
	expect_aml(&a, root, sizeof(root));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		aml_path(&a, bad[i]);
		assert_int_equal(aml_error(&a), -EINVAL);
		aml_free(&a);
	}
}

static void test_aml_data(void **state)
{
	static const uint8_t eisa[] = { 0x0c, 0x41, 0xd0, 0x05, 0x01 };
	static const uint8_t str[] = { 0x0d, 'A', 'C', 'P', 'I', 0 };
	static const uint8_t uni[] = { 0x11, 0x07, 0x0a, 0x04, 'a', 0, 0, 0 };
	static const uint8_t pkg[] = {
		0x08, '_',  'S',  '5',	'_',  0x12, 0x08,
		0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00
	};
	struct aml a = { 0 };
	size_t m;

	(void)state;
	aml_eisa_id(&a, "PNP0501");
	expect_aml(&a, eisa, sizeof(eisa));
	aml_string(&a, "ACPI");
	expect_aml(&a, str, sizeof(str));
	aml_unicode(&a, "a");
	expect_aml(&a, uni, sizeof(uni));
	aml_name(&a, "_S5");
	m = aml_package(&a, 4);
	aml_integer(&a, 5);
	aml_integer(&a, 5);
	aml_integer(&a, 0);
	aml_integer(&a, 0);
	aml_close(&a, m);
	expect_aml(&a, pkg, sizeof(pkg));

	aml_eisa_id(&a, "pnp0501");
	assert_int_equal(aml_error(&a), -EINVAL);
	aml_free(&a);
	aml_eisa_id(&a, "PNP050G");
	assert_int_equal(aml_error(&a), -EINVAL);
	aml_free(&a);
	aml_string(&a, "\xc3\xa9");
	assert_int_equal(aml_error(&a), -EINVAL);
	aml_free(&a);
	aml_package(&a, 256);
	assert_int_equal(aml_error(&a), -EINVAL);
	aml_free(&a);
	aml_close(&a, 10); /* no such mark */
	assert_int_equal(aml_error(&a), -EINVAL);
	aml_free(&a);
}

/* PkgLength: every encoding size, at both ends of its range. */
static void test_aml_pkglength(void **state)
{
	static const size_t bodies[] = { 0,    62,	63,	 4093,
					 4094, 1048572, 1048573, 3000000 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		struct aml a = { 0 };
		size_t m, n, len, want_n;
		uint8_t *body = calloc(1, bodies[i] + 1);

		assert_non_null(body);
		memset(body, 0xa5, bodies[i]);
		aml_byte(&a, 0x10);
		m = aml_pkg_open(&a);
		aml_bytes(&a, body, bodies[i]);
		aml_close(&a, m);
		assert_int_equal(aml_error(&a), 0);
		len = pkg_length(a.buf + 1, &n);
		want_n = bodies[i] + 1 <= 63	  ? 1 :
			 bodies[i] + 2 <= 0xfff	  ? 2 :
			 bodies[i] + 3 <= 0xfffff ? 3 :
						    4;
		assert_int_equal(n, want_n);
		assert_int_equal(len, bodies[i] + n);
		assert_int_equal(a.len, 1 + n + bodies[i]);
		assert_memory_equal(a.buf + 1 + n, body, bodies[i]);
		free(body);
		aml_free(&a);
	}
}

/*
 * Resource descriptors and a method, compared with what iasl 20200925
 * compiles from:
 *   Name (RES0, ResourceTemplate () {
 *     IO (Decode16, 0x03F8, 0x03F8, 0x08, 0x08)
 *     IRQNoFlags () {4}
 *     IRQ (Level, ActiveLow, Shared) {11}
 *     Interrupt (ResourceConsumer, Level, ActiveLow, Shared) {0x17}
 *     Memory32Fixed (ReadWrite, 0xD2000000, 0x00001000)
 *     WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
 *                    0, 0, 0x3F, 0, 0x40)
 *     WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
 *             0, 0x1000, 0x1FFF, 0, 0x1000)
 *     DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed,
 *                  NonCacheable, ReadWrite, 0, 0xC0000000, 0xC7FFFFFF, 0,
 *                  0x08000000)
 *     QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed,
 *                  Prefetchable, ReadWrite, 0, 0x400000000, 0x7FFFFFFFF, 0,
 *                  0x400000000)
 *     QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed,
 *                  NonCacheable, ReadWrite, 0, 0x100000000, 0x10FFFFFFF, 0,
 *                  0x10000000) })
 *   Method (MTH0, 2, Serialized) { Return (0x1234) }
 */
static const char iasl_ref_hex[] =
	"085245533011400c0abc4701f803f8030808221000230008188906000d0117000000"
	"86090001000000d200100000880d00020c00000000003f0000004000880d00010c03"
	"00000010ff1f00000010871700000c0100000000000000c0ffffffc7000000000000"
	"00088a2b00000c0700000000000000000000000004000000ffffffff070000000000"
	"00000000000000000000040000008a2b00000d010000000000000000000000000100"
	"0000ffffff0f01000000000000000000000000000010000000007900140a4d544830"
	"0aa40b3412";

static void test_aml_resources_match_iasl(void **state)
{
	struct aml a = { 0 }, res = { 0 };
	size_t n = strlen(iasl_ref_hex) / 2, i, m;
	uint8_t *want = malloc(n);
	const struct aml_addr bus = {
		.type = AML_ADDR_BUS_NUMBER,
		.producer = true,
		.min = 0,
		.len = 0x40,
	};
	const struct aml_addr io = {
		.type = AML_ADDR_IO,
		.producer = true,
		.min = 0x1000,
		.len = 0x1000,
	};
	const struct aml_addr mem32 = {
		.type = AML_ADDR_MEMORY,
		.producer = true,
		.cache = AML_MEM_NON_CACHEABLE,
		.writeable = true,
		.min = 0xc0000000,
		.len = 0x08000000,
	};
	const struct aml_addr mem64 = {
		.type = AML_ADDR_MEMORY,
		.producer = true,
		.cache = AML_MEM_PREFETCHABLE,
		.writeable = true,
		.min = 0x400000000,
		.len = 0x400000000,
	};
	const struct aml_addr ecam = {
		.type = AML_ADDR_MEMORY,
		.cache = AML_MEM_NON_CACHEABLE,
		.writeable = true,
		.min = 0x100000000,
		.len = 0x10000000,
	};

	(void)state;
	assert_non_null(want);
	for (i = 0; i < n; i++) {
		unsigned int b;

		sscanf(iasl_ref_hex + 2 * i, "%2x", &b);
		want[i] = (uint8_t)b;
	}
	aml_res_io(&res, 0x3f8, 0x3f8, 8, 8);
	aml_res_irq(&res, 4, true, false, false);
	aml_res_irq(&res, 11, false, true, true);
	aml_res_interrupt(&res, 0x17, false, true, true);
	aml_res_memory32_fixed(&res, true, 0xd2000000, 0x1000);
	aml_res_addr(&res, 2, &bus);
	aml_res_addr(&res, 2, &io);
	aml_res_addr(&res, 4, &mem32);
	aml_res_addr(&res, 8, &mem64);
	aml_res_addr(&res, 8, &ecam);
	aml_name(&a, "RES0");
	aml_resource_template(&a, &res);
	m = aml_method(&a, "MTH0", 2, true);
	aml_return_integer(&a, 0x1234);
	aml_close(&a, m);
	aml_free(&res);
	expect_aml(&a, want, n);
	free(want);

	/* values that do not fit their descriptor */
	aml_res_irq(&res, 16, true, false, false);
	assert_int_equal(aml_error(&res), -EINVAL);
	aml_free(&res);
	{
		struct aml_addr big = mem32;

		big.min = 0xfff00000;
		big.len = 0x200000; /* ends above 4 GiB */
		aml_res_addr(&res, 4, &big);
		assert_int_equal(aml_error(&res), -EINVAL);
		aml_free(&res);
		big.len = 0;
		aml_res_addr(&res, 8, &big);
		assert_int_equal(aml_error(&res), -EINVAL);
		aml_free(&res);
		aml_res_addr(&res, 3, &mem32);
		assert_int_equal(aml_error(&res), -EINVAL);
		aml_free(&res);
	}
	/* an error in the descriptors reaches the table */
	aml_res_irq(&res, 99, true, false, false);
	aml_resource_template(&a, &res);
	assert_int_equal(aml_error(&a), -EINVAL);
	aml_free(&a);
	aml_free(&res);
}

/* ---- tables ------------------------------------------------------------ */

static const char vm_small[] =
	"name: small\n"
	"cpu:\n"
	"  count: 4\n"
	"  topology: { sockets: 1, cores: 2, threads: 2 }\n"
	"  x86: { apic_id_offset: 4 }\n"
	"memory: { size: 512M }\n"
	"devices:\n"
	"  - { type: serial, name: com1 }\n"
	"  - { type: serial, name: com2 }\n"
	"  - { type: serial, name: ttyx, port: 0x3e8, "
	"irq: 5 }\n"
	"  - { type: virtio-rng, name: rng0, transport: "
	"mmio }\n"
	"boot: { kernel: /boot/vmlinuz }\n";

static void test_tables_small(void **state)
{
	static const char *const order[] = { "RSDP", "FACS", "XSDT", "DSDT",
					     "FACP", "APIC", "SRAT", "SLIT" };
	struct vm vm;
	size_t i;

	(void)state;
	vm_build(&vm, vm_small);
	check_common(&vm);
	assert_int_equal(vm.t.n_tables, ARRAY_SIZE(order));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		assert_string_equal(vm.t.tables[i].sig, order[i]);
	assert_null(acpi_tables_find(&vm.t, "MCFG"));
	assert_null(acpi_tables_find(&vm.t, "RSD"));
	/* the RSDP sits at the start of the firmware region */
	assert_int_equal(vm.t.rsdp_addr, 0xe0000);
	assert_int_equal(vm.t.base, 0xe0000);
	vm_free(&vm);
}

static void test_fadt(void **state)
{
	const uint8_t *f;
	uint32_t len;
	struct vm vm;

	(void)state;
	vm_build(&vm, vm_small);
	f = table(&vm.t, "FACP", &len);
	assert_int_equal(len, 276);
	assert_int_equal(f[8], 6); /* revision */
	assert_int_equal(f[131], 3); /* minor version: 6.3 */
	assert_int_equal(rd16(f + 46), 9); /* SCI_INT: the layout's SCI */
	assert_int_equal(rd32(f + 48), 0); /* no SMI_CMD */
	assert_int_equal(rd32(f + 56), ACPI_PM1A_EVT_PORT);
	assert_int_equal(rd32(f + 64), ACPI_PM1A_CNT_PORT);
	assert_int_equal(rd32(f + 76), ACPI_PM_TMR_PORT);
	assert_int_equal(rd32(f + 80), 0); /* no GPE0 */
	assert_int_equal(f[88], 4);
	assert_int_equal(f[89], 2);
	assert_int_equal(f[91], 4);
	assert_int_equal(f[108], ACPI_CMOS_CENTURY);
	assert_int_equal(rd16(f + 109), 0x7); /* legacy, 8042, no VGA */
	/* WBINVD, C1, no sleep button, FIX_RTC, TMR_VAL_EXT, reset reg */
	assert_int_equal(rd32(f + 112), 0x565);
	assert_int_equal(rd32(f + 112) & (1u << 4), 0); /* fixed power btn */
	assert_int_equal(rd32(f + 112) & (1u << 20), 0); /* not HW-reduced */
	/* RESET_REG: SystemIO, 8 bits, byte access, 0xcf9; value 6 */
	assert_int_equal(f[116], 1);
	assert_int_equal(f[117], 8);
	assert_int_equal(f[119], 1);
	assert_int_equal(rd64(f + 120), ACPI_RESET_PORT);
	assert_int_equal(f[128], ACPI_RESET_VALUE);
	/* X_PM1a_EVT_BLK, X_PM1a_CNT_BLK, X_PM_TMR_BLK */
	assert_int_equal(f[148], 1);
	assert_int_equal(f[149], 32);
	assert_int_equal(rd64(f + 152), ACPI_PM1A_EVT_PORT);
	assert_int_equal(f[172], 1);
	assert_int_equal(f[173], 16);
	assert_int_equal(rd64(f + 176), ACPI_PM1A_CNT_PORT);
	assert_int_equal(f[208], 1);
	assert_int_equal(f[209], 32);
	assert_int_equal(rd64(f + 212), ACPI_PM_TMR_PORT);
	assert_int_equal(rd64(f + 160 + 4), 0); /* no PM1b */
	vm_free(&vm);
}

/* Expected MADT subtables of @l, in table order. */
static void check_madt(const struct vm *vm, bool want_x2apic)
{
	const struct vm_layout *l = vm->l;
	const uint8_t *m = table(&vm->t, "APIC", NULL);
	struct sub *s = calloc(4096, sizeof(*s));
	size_t n, i, k = 0, n_x2 = 0;
	bool nmi = false, x2nmi = false, pit = false, sci = false;

	assert_non_null(s);
	assert_int_equal(m[8], 5);
	assert_int_equal(rd32(m + 36), l->lapic_base);
	assert_int_equal(rd32(m + 40), 1); /* PCAT_COMPAT */
	n = subtables(m, 44, s, 4096);

	/* one processor entry per vCPU, in vCPU order */
	for (i = 0; i < l->n_vcpus; i++, k++) {
		const struct layout_vcpu *v = &l->vcpus[i];

		if (v->apic_id <= 254) {
			assert_int_equal(s[k].type, 0);
			assert_int_equal(s[k].len, 8);
			assert_int_equal(s[k].p[2], v->index);
			assert_int_equal(s[k].p[3], v->apic_id);
			assert_int_equal(rd32(s[k].p + 4), 1);
		} else {
			assert_int_equal(s[k].type, 9);
			assert_int_equal(s[k].len, 16);
			assert_int_equal(rd32(s[k].p + 4), v->apic_id);
			assert_int_equal(rd32(s[k].p + 8), 1);
			assert_int_equal(rd32(s[k].p + 12), v->index);
			n_x2++;
		}
	}
	assert_int_equal(n_x2 > 0, want_x2apic);
	/* IOAPIC */
	assert_int_equal(s[k].type, 1);
	assert_int_equal(s[k].len, 12);
	assert_int_equal(s[k].p[2], ACPI_IOAPIC_ID);
	assert_int_equal(rd32(s[k].p + 4), l->ioapic_base);
	assert_int_equal(rd32(s[k].p + 8), 0);
	for (k++; k < n; k++) {
		const uint8_t *p = s[k].p;

		switch (s[k].type) {
		case 2:
			assert_int_equal(s[k].len, 10);
			assert_int_equal(p[2], 0);
			if (p[3] == 0) {
				assert_int_equal(rd32(p + 4), 2);
				assert_int_equal(rd16(p + 8), 0x5);
				pit = true;
			} else if (p[3] == 9) {
				assert_int_equal(rd32(p + 4), 9);
				assert_int_equal(rd16(p + 8), 0xd);
				sci = true;
			}
			break;
		case 4:
			assert_int_equal(s[k].len, 6);
			assert_int_equal(p[2], 0xff);
			assert_int_equal(p[5], 1);
			nmi = true;
			break;
		case 10:
			assert_int_equal(s[k].len, 12);
			assert_int_equal(rd32(p + 4), 0xffffffff);
			assert_int_equal(p[8], 1);
			x2nmi = true;
			break;
		default:
			fail_msg("unexpected MADT subtable type %u", s[k].type);
		}
	}
	assert_true(pit && sci);
	assert_int_equal(nmi, n_x2 < l->n_vcpus);
	assert_int_equal(x2nmi, n_x2 > 0);
	free(s);
}

static void test_madt_xapic(void **state)
{
	struct vm vm;

	(void)state;
	vm_build(&vm, vm_small);
	/* apic_id_offset 4: ids 4..7, not the indices */
	assert_int_equal(vm.l->vcpus[3].apic_id, 7);
	check_madt(&vm, false);
	vm_free(&vm);
}

static const char vm_wide[] =
	"name: wide\n"
	"cpu:\n"
	"  count: 272\n"
	"  topology: { sockets: 2, cores: 68, threads: 2 }\n"
	"memory: { size: 1G }\n"
	"boot: { kernel: vmlinuz }\n";

static void test_madt_x2apic(void **state)
{
	struct vm vm;

	(void)state;
	vm_build(&vm, vm_wide);
	check_common(&vm);
	assert_true(vm.l->x2apic);
	assert_int_equal(vm.l->max_apic_id, 391);
	check_madt(&vm, true);
	vm_free(&vm);
}

/* x2APIC mode with small ids: still type 0 entries (ACPI 6.x, 5.2.12.12). */
static void test_madt_x2apic_enabled_small_ids(void **state)
{
	struct vm vm;

	(void)state;
	vm_build(&vm, "name: x2\n"
		      "cpu: { count: 2, x86: { x2apic: enabled } }\n"
		      "memory: { size: 256M }\n"
		      "boot: { kernel: vmlinuz }\n");
	assert_true(vm.l->x2apic);
	check_madt(&vm, false);
	vm_free(&vm);
}

/* An ISA line the layout makes level/low gets an override saying so. */
static void test_madt_iso_from_layout(void **state)
{
	struct layout_irq *irqs;
	struct acpi_tables t;
	struct sub s[64];
	const uint8_t *m;
	struct vm vm;
	size_t n, i;
	bool found = false;

	(void)state;
	vm_build(&vm, vm_small);
	irqs = calloc(vm.l->n_irqs + 1, sizeof(*irqs));
	assert_non_null(irqs);
	memcpy(irqs, vm.l->irqs, vm.l->n_irqs * sizeof(*irqs));
	irqs[vm.l->n_irqs] = (struct layout_irq){
		.gsi = 10,
		.trigger = TRIGGER_LEVEL,
		.polarity = POLARITY_LOW,
		.owner = "test",
		.what = "test",
	};
	free(vm.l->irqs);
	vm.l->irqs = irqs;
	vm.l->n_irqs++;
	assert_int_equal(acpi_build(vm.l, vm.cfg, &t), 0);
	m = table(&t, "APIC", NULL);
	n = subtables(m, 44, s, ARRAY_SIZE(s));
	for (i = 0; i < n; i++) {
		if (s[i].type != 2 || s[i].p[3] != 10)
			continue;
		assert_int_equal(rd32(s[i].p + 4), 10);
		assert_int_equal(rd16(s[i].p + 8), 0xf);
		found = true;
	}
	assert_true(found);
	/* serial and virtio-mmio lines are ISA-like: no override */
	for (i = 0; i < n; i++)
		assert_false(s[i].type == 2 &&
			     (s[i].p[3] == 4 || s[i].p[3] == 3));
	acpi_tables_free(&t);
	vm_free(&vm);
}

static void test_srat_slit_numa(void **state)
{
	const struct vm_layout *l;
	const uint8_t *srat, *slit;
	struct sub s[64];
	size_t n, i, k = 0, ram = 0;
	uint32_t len;
	struct vm vm;
	bool node2_mem = false;

	(void)state;
	vm_build_file(&vm, "configs/numa.yaml");
	check_common(&vm);
	l = vm.l;
	assert_int_equal(l->n_nodes, 3);

	srat = table(&vm.t, "SRAT", NULL);
	assert_int_equal(srat[8], 3);
	assert_int_equal(rd32(srat + 36), 1);
	n = subtables(srat, 48, s, ARRAY_SIZE(s));
	for (i = 0; i < l->n_vcpus; i++, k++) {
		const uint8_t *p = s[k].p;
		uint32_t dom;

		assert_int_equal(s[k].type, 0);
		assert_int_equal(s[k].len, 16);
		dom = p[2] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 |
		      (uint32_t)p[11] << 24;
		assert_int_equal(dom, l->vcpus[i].node);
		assert_int_equal(p[3], l->vcpus[i].apic_id);
		assert_int_equal(rd32(p + 4), 1);
	}
	/* vCPUs 0-1 on node 0, 2-3 on node 1 (configs/numa.yaml) */
	assert_int_equal(s[1].p[2], 0);
	assert_int_equal(s[2].p[2], 1);
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		const uint8_t *p;

		if (r->kind != LR_RAM)
			continue;
		assert_true(k < n);
		p = s[k++].p;
		assert_int_equal(p[0], 1);
		assert_int_equal(p[1], 40);
		assert_int_equal(rd32(p + 2), r->node);
		assert_int_equal(rd64(p + 8), r->gpa);
		assert_int_equal(rd64(p + 16), r->size);
		assert_int_equal(rd32(p + 28), 1);
		if (r->node == 2) {
			assert_int_equal(r->gpa, 0x140000000);
			assert_int_equal(r->size, 512 * MiB);
			node2_mem = true;
		}
		ram++;
	}
	assert_int_equal(k, n);
	assert_true(ram >= 3);
	assert_true(node2_mem);

	slit = table(&vm.t, "SLIT", &len);
	assert_int_equal(rd64(slit + 36), 3);
	assert_int_equal(len, 44 + 9);
	assert_memory_equal(slit + 44, l->distance, 9);
	assert_int_equal(slit[44 + 0 * 3 + 2], 31);
	assert_int_equal(slit[44 + 1 * 3 + 0], 21);
	assert_int_equal(slit[44 + 2 * 3 + 2], 10);
	vm_free(&vm);
}

static void test_mcfg(void **state)
{
	const uint8_t *m, *e;
	uint32_t len;
	struct vm vm;
	size_t i;

	(void)state;
	vm_build(&vm, "name: pci\n"
		      "cpu: { count: 1 }\n"
		      "memory: { size: 1G }\n"
		      "pcie:\n"
		      "  root_complexes:\n"
		      "    - { name: rc0, ecam: 0xb0000000, buses: [0, 15] }\n"
		      "    - { name: rc1, segment: 7, buses: [16, 31] }\n"
		      "boot: { kernel: vmlinuz }\n");
	check_common(&vm);
	m = table(&vm.t, "MCFG", &len);
	assert_int_equal(len, 44 + 16 * vm.l->n_rcs);
	assert_int_equal(vm.l->n_rcs, 2);
	for (i = 0; i < vm.l->n_rcs; i++) {
		const struct layout_rc *rc = &vm.l->rcs[i];

		e = m + 44 + 16 * i;
		assert_int_equal(rd64(e), rc->ecam_base - rc->bus_start * MiB);
		assert_int_equal(rd16(e + 8), rc->segment);
		assert_int_equal(e[10], rc->bus_start);
		assert_int_equal(e[11], rc->bus_end);
	}
	assert_int_equal(rd64(m + 44), 0xb0000000);
	assert_int_equal(rd16(m + 60 + 8), 7);
	assert_int_equal(m[60 + 10], 16);
	vm_free(&vm);
}

/* The DSDT's COM ports, virtio-mmio devices and \_S5, decoded. */
static void test_dsdt(void **state)
{
	const uint8_t *dsdt, *body, *crs, *obj, *s5;
	size_t blen, clen, n, k, i;
	unsigned int com = 0;
	uint32_t len;
	struct vm vm;
	char name[24];

	(void)state;
	vm_build(&vm, vm_small);
	dsdt = table(&vm.t, "DSDT", &len);
	assert_int_equal(dsdt[8], 2);

	for (i = 0; i < vm.l->n_devices; i++) {
		const struct layout_device *d = &vm.l->devices[i];

		if (d->type != DEV_SERIAL)
			continue;
		snprintf(name, sizeof(name), "COM%u", ++com);
		body = find_device(dsdt + 36, len - 36, name, &blen);
		assert_non_null(body);
		obj = find_name(body, blen, "_HID");
		assert_non_null(obj);
		assert_int_equal(aml_int(obj, &n), 0x0105d041); /* PNP0501 */
		obj = find_name(body, blen, "_UID");
		assert_int_equal(aml_int(obj, &n), com);
		crs = buffer_bytes(find_name(body, blen, "_CRS"), &clen);
		assert_int_equal(clen, 8 + 3 + 2);
		assert_int_equal(crs[0], 0x47);
		assert_int_equal(rd16(crs + 2), d->io_port);
		assert_int_equal(rd16(crs + 4), d->io_port);
		assert_int_equal(crs[7], 8);
		assert_int_equal(crs[8], 0x22); /* IRQNoFlags */
		assert_int_equal(rd16(crs + 9), 1u << d->gsi);
		assert_int_equal(crs[11], 0x79);
	}
	assert_int_equal(com, 3);
	/* config order: com1 0x3f8/4, com2 0x2f8/3, ttyx 0x3e8/5 */
	body = find_device(dsdt + 36, len - 36, "COM3", &blen);
	crs = buffer_bytes(find_name(body, blen, "_CRS"), &clen);
	assert_int_equal(rd16(crs + 2), 0x3e8);
	assert_int_equal(rd16(crs + 9), 1u << 5);
	assert_null(find_device(dsdt + 36, len - 36, "COM4", &blen));

	/* virtio-mmio rng0 */
	body = find_device(dsdt + 36, len - 36, "VR00", &blen);
	assert_non_null(body);
	crs = buffer_bytes(find_name(body, blen, "_CRS"), &clen);
	assert_int_equal(crs[0], 0x86);
	assert_int_equal(rd32(crs + 4), vm.l->devices[3].mmio_base);
	assert_int_equal(rd32(crs + 8), vm.l->devices[3].mmio_size);
	assert_int_equal(crs[12], 0x89);
	assert_int_equal(crs[15] & 0x07, 0x03); /* consumer, edge, high */
	assert_int_equal(rd32(crs + 17), vm.l->devices[3].gsi);

	/* one processor device per vCPU */
	for (i = 0; i < vm.l->n_vcpus; i++) {
		snprintf(name, sizeof(name), "C%03zX", i);
		body = find_device(dsdt + 36, len - 36, name, &blen);
		assert_non_null(body);
		assert_int_equal(aml_int(find_name(body, blen, "_UID"), &n), i);
	}

	/* \_S5: Package (4) { 5, 5, 0, 0 } */
	s5 = find_name(dsdt + 36, len - 36, "_S5_");
	assert_non_null(s5);
	assert_int_equal(s5[0], 0x12);
	pkg_length(s5 + 1, &n);
	assert_int_equal(s5[1 + n], 4);
	assert_int_equal(aml_int(s5 + 2 + n, &k), ACPI_SLP_TYP_S5);
	vm_free(&vm);
}

static void test_deterministic(void **state)
{
	struct acpi_tables t;
	struct vm vm;

	(void)state;
	vm_build(&vm, vm_wide);
	assert_int_equal(acpi_build(vm.l, vm.cfg, &t), 0);
	assert_int_equal(t.size, vm.t.size);
	assert_memory_equal(t.blob, vm.t.blob, t.size);
	acpi_tables_free(&t);
	/* without the config only the _STR names go */
	assert_int_equal(acpi_build(vm.l, NULL, &t), 0);
	check_common(&(struct vm){ .l = vm.l, .t = t });
	acpi_tables_free(&t);
	vm_free(&vm);
}

static void test_errors(void **state)
{
	struct acpi_tables t;
	uint64_t fw;
	struct vm vm;

	(void)state;
	assert_int_equal(acpi_build(NULL, NULL, &t), -EINVAL);
	assert_int_equal(acpi_build(NULL, NULL, NULL), -EINVAL);

	/* too small a firmware region */
	vm_build(&vm, vm_wide);
	fw = vm.l->fw_size;
	vm.l->fw_size = 4096;
	assert_int_equal(acpi_build(vm.l, vm.cfg, &t), -ENOSPC);
	assert_null(t.blob);
	assert_int_equal(t.n_tables, 0);
	assert_non_null(strstr(t.error, "firmware region"));
	acpi_tables_free(&t);
	vm.l->fw_size = fw;

	/* not x86 */
	vm.l->arch = ARCH_AARCH64;
	assert_int_equal(acpi_build(vm.l, vm.cfg, &t), -EINVAL);
	assert_null(t.blob);
	assert_non_null(strstr(t.error, "x86_64"));
	vm.l->arch = ARCH_X86_64;
	vm_free(&vm);

	/*
	 * An IOAPIC too small for the SCI: the loader rejects fewer than 16
	 * pins, so shrink a resolved layout to check acpi_build's own guard.
	 */
	vm.cfg = load_ok("p4.yaml", "name: p4\n"
				    "cpu: { count: 1 }\n"
				    "memory: { size: 256M }\n"
				    "boot: { kernel: vmlinuz }\n");
	vm.l = resolve_ok(vm.cfg);
	vm.l->ioapic_pins = 4;
	assert_int_equal(acpi_build(vm.l, vm.cfg, &t), -EINVAL);
	assert_non_null(strstr(t.error, "GSI 9"));
	layout_free(vm.l);
	cfg_free(vm.cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aml_integers),
		cmocka_unit_test(test_aml_names),
		cmocka_unit_test(test_aml_data),
		cmocka_unit_test(test_aml_pkglength),
		cmocka_unit_test(test_aml_resources_match_iasl),
		cmocka_unit_test(test_tables_small),
		cmocka_unit_test(test_fadt),
		cmocka_unit_test(test_madt_xapic),
		cmocka_unit_test(test_madt_x2apic),
		cmocka_unit_test(test_madt_x2apic_enabled_small_ids),
		cmocka_unit_test(test_madt_iso_from_layout),
		cmocka_unit_test(test_srat_slit_numa),
		cmocka_unit_test(test_mcfg),
		cmocka_unit_test(test_dsdt),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
