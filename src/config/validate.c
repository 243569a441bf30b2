/* Stage 2 of config loading: semantic checks across fields (validator). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmmd/acpi.h" /* platform I/O ports */
#include "vmmd/config.h"
#include "vmmd/fmt.h"
#include "vmmd/diag.h"
#include "vmmd/layout.h"
#include "config/text.h"
#include "config/ynode.h"

/*
 * The loader has already checked every single field (types, ranges of
 * scalars, name syntax, required keys). What is left here are rules that
 * involve more than one field: counts that must agree, references between
 * objects, addresses that must not collide, keys that only make sense on
 * the other architecture. Every problem is reported, each at the YAML node
 * that is most precisely to blame; nothing stops at the first error.
 *
 * The validator never chooses an address or a bus number, and it does not
 * decide whether things fit: running out of space is the resolver's to
 * report. It only rejects what no layout could make valid.
 */

/* Fixed MMIO sizes of the interrupt controllers (guest-visible frames). */
#define GIC_ALIGN (64 * KiB) /* 64 KiB-page guests map each frame alone */
#define PCI_WINDOW_ALIGN MiB

#define X86_MAX_SERIAL 4

#define GIC_FIRST_SPI 32
#define SERIAL_IO_PORTS 8
#define XAPIC_MAX_ID 254 /* 255 is the xAPIC broadcast id */
#define X2APIC_MAX_ID UINT64_C(0xfffffffe) /* 0xffffffff is broadcast */
#define NUMA_LOCAL_DISTANCE 10
#define NUMA_MAX_DISTANCE 254 /* 255 means unreachable in the SLIT */
#define MPIDR_AFF_MASK UINT64_C(0xff00ffffff) /* Aff3 39:32, Aff2..0 23:0 */

/* Longest YAML path built here, with room for indices and a feature name. */
#define VPATH 160
#define NPATH 96 /* a path kept in a table, without a trailing key */

/*
 * Builds a YAML path in a local buffer: PATHF(p, "devices[%zu]", i).
 * Paths are short (list sizes are bounded by the loader); a path that
 * did not fit is cut, which only shortens an error message.
 */
#define PATHF(buf, ...) pathf((buf), sizeof(buf), __VA_ARGS__)

static char *__printf(3, 4) pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

struct vctx {
	const struct vm_config *cfg;
	struct diag_list *dl;
	unsigned int errors;
	uint64_t page; /* backing page size: 4 KiB, 2 MiB or 1 GiB */
	bool oom;
};

static void __printf(3, 4)
	verr(struct vctx *v, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	v->errors++;
	if (r < 0) {
		v->dl->oom = 1;
		return;
	}
	cfg_error(v->dl, v->cfg, path, "%s", msg);
	free(msg);
}

/* ---- small helpers --------------------------------------------------- */

struct sbuf {
	char s[64];
};

/* "0x0-0x3fffffff": an inclusive range; @size must be > 0. */
static const char *fmt_range(struct sbuf *b, uint64_t base, uint64_t size)
{
	snprintf(b->s, sizeof(b->s), "0x%" PRIx64 "-0x%" PRIx64, base,
		 base + (size - 1));
	return b->s;
}

/* User text made safe to print inside a message. */
struct qbuf {
	char s[TEXT_QUOTE_SIZE];
};

static const char *quote(struct qbuf *b, const char *s)
{
	return text_quote(b->s, s ? s : "", s ? strlen(s) : 0);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* Smallest b with 2^b >= x (0 for x <= 1). */
static unsigned int ceil_log2(uint64_t x)
{
	unsigned int b = 0;

	while (b < 64 && (UINT64_C(1) << b) < x)
		b++;
	return b;
}

/* True when [base, base + size) is non-empty and ends within @limit. */
static bool extent_is_within(uint64_t base, uint64_t size, uint64_t limit)
{
	return size > 0 && size <= limit && base <= limit - size;
}

/* Position of the node @path names, for ordering by place in the file. */
static void path_pos(const struct vm_config *cfg, const char *path, int *line,
		     int *col)
{
	const struct ynode *n = NULL;
	bool complete = false;

	if (cfg->root)
		n = ynode_lookup(cfg->root, path, &complete);
	*line = n && complete ? n->line : 0;
	*col = n && complete ? n->col : 0;
}

/* Whether the file spells out @path (false: a default is in effect). */
static bool path_is_given(const struct vm_config *cfg, const char *path)
{
	bool complete = false;

	if (!cfg->root)
		return true;
	ynode_lookup(cfg->root, path, &complete);
	return complete;
}

/* A value tagged with its list index, to find duplicates by sorting. */
struct keyidx {
	uint64_t key;
	size_t idx;
};

static int keyidx_cmp(const void *a, const void *b)
{
	const struct keyidx *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Sorts @k and calls @dup(ctx, later, first) for each entry whose key an
 * earlier entry (lower index) already has. O(n log n).
 */
static void keyidx_dups(struct keyidx *k, size_t n,
			void (*dup)(struct vctx *v, const void *arg,
				    size_t later, size_t first),
			struct vctx *v, const void *arg)
{
	size_t i, first = 0;

	qsort(k, n, sizeof(*k), keyidx_cmp);
	for (i = 1; i < n; i++) {
		if (k[i].key != k[first].key) {
			first = i;
			continue;
		}
		dup(v, arg, k[i].idx, k[first].idx);
	}
}

static void check_node_ref(struct vctx *v, int32_t node, const char *path)
{
	size_t n = v->cfg->numa.n_nodes;

	if (node < 0)
		return;
	if (n == 0 && node != 0)
		verr(v, path,
		     "node %" PRId32
		     " does not exist (there is no numa section, only node 0)",
		     node);
	else if (n > 0 && (uint64_t)node >= n)
		verr(v, path,
		     "node %" PRId32 " does not exist (there %s %zu NUMA %s)",
		     node, plural(n, "is", "are"), n,
		     plural(n, "node", "nodes"));
}

/* ---- architecture-specific keys -------------------------------------- */

static void check_arch(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	char p[VPATH];
	size_t i;

	if (cfg->arch == ARCH_AARCH64) {
		static const char *const msg = "x86-only key on an aarch64 VM";

		if (cfg->cpu.has_x86)
			verr(v, "cpu.x86", "%s", msg);
		if (cfg->cpu.n_features)
			verr(v, "cpu.features", "%s", msg);
		if (cfg->irq.has_x86)
			verr(v, "interrupts.x86", "%s", msg);
		if (cfg->boot.firmware)
			verr(v, "boot.firmware",
			     "%s (legacy BIOS firmware; boot an aarch64 VM with boot.kernel or boot.image)",
			     msg);
		for (i = 0; i < cfg->n_devices; i++)
			if (cfg->devices[i].type == DEV_SERIAL &&
			    cfg->devices[i].has_io_port)
				verr(v, PATHF(p, "devices[%zu].port", i),
				     "%s (an I/O port; a PL011 takes address)",
				     msg);
	} else {
		static const char *const msg =
			"aarch64-only key on an x86_64 VM";

		if (cfg->cpu.has_aarch64)
			verr(v, "cpu.aarch64", "%s", msg);
		if (cfg->irq.has_gic)
			verr(v, "interrupts.gic", "%s", msg);
		for (i = 0; i < cfg->n_devices; i++)
			if (cfg->devices[i].type == DEV_SERIAL &&
			    cfg->devices[i].has_address)
				verr(v, PATHF(p, "devices[%zu].address", i),
				     "%s (an MMIO address; an x86 serial port takes port)",
				     msg);
	}
}

/* ---- cpu ------------------------------------------------------------- */

/* Known x86 CPUID feature names, as Linux spells them in /proc/cpuinfo. */
/* clang-format off */
static const char *const x86_features[] = {
	"3dnowprefetch", "abm", "adx", "aes", "apic", "arch_capabilities",
	"avx", "avx2", "avx512bw", "avx512cd", "avx512dq", "avx512f",
	"avx512vl", "bmi1", "bmi2", "clflush", "clflushopt", "clwb", "cmov",
	"cx16", "cx8", "de", "erms", "f16c", "fma", "fpu", "fsgsbase", "fxsr",
	"ht", "hypervisor", "invpcid", "invtsc", "la57", "lahf_lm", "lm",
	"mca", "mce", "mmx", "movbe", "msr", "mtrr", "nx", "pae", "pat",
	"pcid", "pclmulqdq", "pdpe1gb", "pge", "pku", "popcnt", "pse", "pse36",
	"rdpid", "rdrand", "rdseed", "rdtscp", "sep", "sha", "smap", "smep",
	"sse", "sse2", "sse3", "sse4_1", "sse4_2", "ssse3", "svm", "syscall",
	"tsc", "tsc_deadline", "umip", "vme", "vmx", "x2apic", "xgetbv1",
	"xsave", "xsavec", "xsaveopt", "xsaves",
};
/* clang-format on */

static bool x86_feature_is_known(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(x86_features); i++)
		if (!strcmp(x86_features[i], name))
			return true;
	return false;
}

/* Edit distance of two short strings, capped: used for suggestions only. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[33];

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* " (did you mean 'avx' or 'avx2'?)" for close misspellings, else "". */
static const char *x86_feature_suggest(char *buf, size_t len, const char *name)
{
	size_t i, best = 3, n = 0, o = 0;

	for (i = 0; i < ARRAY_SIZE(x86_features); i++) {
		size_t d = edit_distance(name, x86_features[i]);

		if (d < best)
			best = d;
	}
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(x86_features) && o < len; i++) {
		if (edit_distance(name, x86_features[i]) != best)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s'%s'",
				      n ? " or " : " (did you mean ",
				      x86_features[i]);
		if (++n == 3)
			break;
	}
	if (n && o < len)
		snprintf(buf + o, len - o, "?)");
	return buf;
}

static const struct cfg_feature *find_feature(const struct cfg_cpu *c,
					      const char *name)
{
	size_t i;

	for (i = 0; i < c->n_features; i++)
		if (c->features[i].name && !strcmp(c->features[i].name, name))
			return &c->features[i];
	return NULL;
}

/*
 * Reports at the key of cpu.features.@name: feature names may hold a '.',
 * which a YAML path cannot spell, and the key is what is wrong.
 */
static void __printf(3, 4)
	verr_feature_key(struct vctx *v, const char *name, const char *fmt, ...)
{
	const struct ynode *map = NULL;
	char p[VPATH], *msg;
	int line = 0, col = 0;
	va_list ap;
	size_t i;
	int r;

	if (v->cfg->root)
		map = ynode_lookup(v->cfg->root, "cpu.features", NULL);
	for (i = 0; map && map->kind == YN_MAP && i < map->n; i++) {
		if (!strcmp(map->pairs[i].key, name)) {
			line = map->pairs[i].key_line;
			col = map->pairs[i].key_col;
			break;
		}
	}
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	v->errors++;
	if (r < 0) {
		v->dl->oom = 1;
		return;
	}
	PATHF(p, "cpu.features.%s", name);
	if (line)
		diag_add(v->dl, v->cfg->file, line, col, p, "%s", msg);
	else
		cfg_error(v->dl, v->cfg, p, "%s", msg);
	free(msg);
}

static void check_features(struct vctx *v)
{
	const struct cfg_cpu *c = &v->cfg->cpu;
	const struct cfg_feature *fx2 = find_feature(c, "x2apic");
	struct qbuf q;
	size_t i;

	/* features: { x2apic: ... } must agree with cpu.x86.x2apic. */
	if (fx2 && !fx2->enabled && c->x2apic == X2APIC_ENABLED)
		verr(v, "cpu.features.x2apic",
		     "x2apic: false contradicts cpu.x86.x2apic: enabled");
	else if (fx2 && fx2->enabled && c->x2apic == X2APIC_UNSUPPORTED)
		verr(v, "cpu.features.x2apic",
		     "x2apic: true contradicts cpu.x86.x2apic: unsupported");

	for (i = 0; i < c->n_features; i++) {
		const char *name = c->features[i].name;
		char hint[128];

		if (!name || x86_feature_is_known(name))
			continue;
		verr_feature_key(v, name, "unknown x86 CPU feature '%s'%s",
				 quote(&q, name),
				 x86_feature_suggest(hint, sizeof(hint), name));
	}
}

/*
 * x86: APIC ids the way the resolver computes them. The id packs socket,
 * core and thread in bit fields sized for the topology, so ids grow with
 * the vCPU index and the last vCPU has the largest one.
 */
static void check_apic_ids(struct vctx *v, uint32_t sockets, uint32_t cores,
			   uint32_t threads)
{
	const struct cfg_cpu *c = &v->cfg->cpu;
	const struct cfg_feature *fx2 = find_feature(c, "x2apic");
	unsigned int tb = ceil_log2(threads), cb = ceil_log2(cores);
	uint32_t last = c->count - 1;
	uint64_t thread = last % threads, core = last / threads % cores;
	uint64_t socket = last / threads / cores, id;

	/* The loader bounds count, so every field has at most 10 bits. */
	if (c->count == 0 || c->count > CFG_MAX_VCPUS)
		return;
	id = (uint64_t)c->apic_id_offset +
	     (socket << (cb + tb) | core << tb | thread);

	if (id > X2APIC_MAX_ID) {
		verr(v, "cpu.x86.apic_id_offset",
		     "vCPU %" PRIu32 " gets APIC id 0x%" PRIx64
		     ", above the largest x2APIC id 0xfffffffe",
		     last, id);
	} else if (id > XAPIC_MAX_ID) {
		if (c->x2apic == X2APIC_UNSUPPORTED)
			verr(v, "cpu.x86.x2apic",
			     "x2apic is unsupported but vCPU %" PRIu32
			     " gets APIC id %" PRIu64
			     " (without x2APIC ids must be at most 254)",
			     last, id);
		else if (fx2 && !fx2->enabled && c->x2apic != X2APIC_ENABLED)
			verr(v, "cpu.features.x2apic",
			     "x2apic is turned off but vCPU %" PRIu32
			     " gets APIC id %" PRIu64
			     " (without x2APIC ids must be at most 254)",
			     last, id);
	}
}

static void mpidr_dup(struct vctx *v, const void *arg, size_t later,
		      size_t first)
{
	const struct cfg_cpu *c = arg;
	char p[VPATH];

	verr(v, PATHF(p, "cpu.aarch64.mpidr[%zu]", later),
	     "MPIDR 0x%" PRIx64 " is already the MPIDR of vCPU %zu",
	     c->mpidr[later], first);
}

static void check_mpidr(struct vctx *v)
{
	const struct cfg_cpu *c = &v->cfg->cpu;
	bool gicv3 = v->cfg->irq.gic.version == 3;
	struct keyidx *k;
	char p[VPATH];
	size_t i;

	if (c->n_mpidr != c->count)
		verr(v, "cpu.aarch64.mpidr",
		     "mpidr has %zu %s, cpu.count is %" PRIu32, c->n_mpidr,
		     plural(c->n_mpidr, "entry", "entries"), c->count);
	for (i = 0; i < c->n_mpidr; i++) {
		PATHF(p, "cpu.aarch64.mpidr[%zu]", i);
		if (c->mpidr[i] & ~MPIDR_AFF_MASK)
			verr(v, p,
			     "MPIDR 0x%" PRIx64
			     " sets bits outside the affinity fields (Aff3 in bits 39:32, Aff2..Aff0 in bits 23:0)",
			     c->mpidr[i]);
		/* GICv3 SGI target lists name Aff0 0..15 only. */
		else if (gicv3 && (c->mpidr[i] & 0xff) > 15)
			verr(v, p,
			     "MPIDR 0x%" PRIx64 " has Aff0 %" PRIu64
			     ", above 15 (GICv3 SGIs reach Aff0 0..15 only)",
			     c->mpidr[i], c->mpidr[i] & 0xff);
	}
	k = calloc(c->n_mpidr ? c->n_mpidr : 1, sizeof(*k));
	if (!k) {
		v->oom = true;
		return;
	}
	for (i = 0; i < c->n_mpidr; i++)
		k[i] = (struct keyidx){ .key = c->mpidr[i], .idx = i };
	keyidx_dups(k, c->n_mpidr, mpidr_dup, v, c);
	free(k);
}

static void check_cpu(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_cpu *c = &cfg->cpu;
	uint32_t sockets = c->sockets, cores = c->cores, threads = c->threads;
	uint64_t product;

	if (!c->has_topology) {
		/* Documented default: 1 socket of count cores, 1 thread. */
		sockets = 1;
		cores = c->count;
		threads = 1;
	}
	product = mul_sat(mul_sat(sockets, cores), threads);
	if (c->has_topology && product != c->count)
		verr(v, "cpu.topology",
		     "sockets*cores*threads is %" PRIu64
		     ", cpu.count is %" PRIu32,
		     product, c->count);

	if (c->n_pinning && c->n_pinning != c->count)
		verr(v, "cpu.pinning",
		     "pinning has %zu %s, cpu.count is %" PRIu32
		     " (give one host CPU set per vCPU)",
		     c->n_pinning, plural(c->n_pinning, "entry", "entries"),
		     c->count);

	if (cfg->arch == ARCH_X86_64) {
		check_features(v);
		if (c->count && product == c->count)
			check_apic_ids(v, sockets, cores, threads);
	} else if (c->n_mpidr) {
		check_mpidr(v);
	}
}

/* ---- memory ---------------------------------------------------------- */

static void check_backing(struct vctx *v)
{
	const struct cfg_backing *b = &v->cfg->memory.backing;

	if (b->kind == BACKING_FILE && !b->path)
		verr(v, "memory.backing.path", "required when kind is file");
	if (b->kind != BACKING_FILE && b->path)
		verr(v, "memory.backing.path",
		     "only used with kind file (kind is %s)",
		     cfg_backing_kind_name(b->kind));
	if (b->kind == BACKING_FILE && b->hugepages != HUGEPAGES_NONE)
		verr(v, "memory.backing.hugepages",
		     "hugepages %s cannot be used with kind file (the file's filesystem decides the page size)",
		     cfg_hugepages_name(b->hugepages));
}

/* "4 KiB" or "the 2 MiB huge page size", to say what sizes must align to. */
static const char *align_name(struct sbuf *b, uint64_t page)
{
	struct sbuf s;

	if (page == 4 * KiB)
		snprintf(b->s, sizeof(b->s), "4 KiB");
	else
		snprintf(b->s, sizeof(b->s), "the %s huge page size",
			 fmt_size(s.s, page));
	return b->s;
}

static void check_memory_simple(struct vctx *v)
{
	const struct cfg_memory *m = &v->cfg->memory;
	struct sbuf a, b;

	if (m->size < MiB)
		verr(v, "memory.size",
		     "memory size is %s, expected at least 1 MiB",
		     fmt_size(a.s, m->size));
	else if (m->size % v->page)
		verr(v, "memory.size", "memory size %s is not a multiple of %s",
		     fmt_size(a.s, m->size), align_name(&b, v->page));
}

static void check_memory_ranges(struct vctx *v)
{
	const struct cfg_memory *m = &v->cfg->memory;
	struct sbuf a, b;
	size_t i, n_ram = 0;
	char p[VPATH];

	for (i = 0; i < m->n_ranges; i++) {
		const struct cfg_mem_range *r = &m->ranges[i];
		/* Backed ranges are mapped with the backing's page size. */
		uint64_t align = r->type == RANGE_MMIO ? 4 * KiB : v->page;

		if (r->type == RANGE_RAM)
			n_ram++;
		if (r->gpa % align)
			verr(v, PATHF(p, "memory.ranges[%zu].gpa", i),
			     "gpa 0x%" PRIx64 " is not aligned to %s", r->gpa,
			     align_name(&a, align));
		if (r->size == 0)
			verr(v, PATHF(p, "memory.ranges[%zu].size", i),
			     "size is 0, expected a positive multiple of %s",
			     align_name(&a, align));
		else if (r->size % align)
			verr(v, PATHF(p, "memory.ranges[%zu].size", i),
			     "size %s is not a multiple of %s",
			     fmt_size(b.s, r->size), align_name(&a, align));
		if (r->size == 0)
			continue;
		if (r->gpa > UINT64_MAX - (r->size - 1))
			verr(v, PATHF(p, "memory.ranges[%zu]", i),
			     "gpa 0x%" PRIx64 " + size 0x%" PRIx64
			     " wraps around the 64-bit address space",
			     r->gpa, r->size);
		else if (!extent_is_within(r->gpa, r->size, LAYOUT_MAX_GPA))
			verr(v, PATHF(p, "memory.ranges[%zu]", i),
			     "range %s ends beyond the 1 TiB guest physical address limit",
			     fmt_range(&a, r->gpa, r->size));
	}
	if (n_ram == 0)
		verr(v, "memory.ranges",
		     "no range has type ram; at least one is needed");
}

/* ---- the guest physical address map ---------------------------------- */

enum ival_class {
	IV_RAM, /* backed memory range (ram or reserved) */
	IV_HOLE, /* memory range of type mmio: a declared hole */
	IV_FIXED, /* MMIO at an address the file fixes */
	IV_PLATFORM, /* x86: [0xfe000000, 4 GiB): LAPIC, IOAPIC, flash */
};

struct ival {
	uint64_t base, last; /* inclusive */
	enum ival_class cls;
	bool in_platform; /* may sit inside the x86 platform window */
	bool is_range; /* a memory.ranges entry */
	unsigned int rank; /* the higher rank takes the blame */
	int other; /* index of the entry it collides with, -1 */
	char what[80]; /* "memory.ranges[2]", "the LAPIC window" */
	char path[NPATH]; /* where an error about it goes */
};

struct ivec {
	struct ival *v;
	size_t n, cap;
};

/* Ranks: memory ranges, then fixed MMIO the file gives, then defaults. */
#define RANK_PLATFORM 0u
#define RANK_DEFAULT 100u
#define RANK_GIVEN 10000u
#define RANK_RANGE 20000u

/*
 * Adds [base, base + size) under @path; returns the new entry, or NULL for
 * an empty extent or one beyond the guest physical limit (its owner's own
 * checks report that; an overlap on top would only repeat it).
 */
static struct ival *__printf(8, 9)
	ivec_add(struct vctx *v, struct ivec *iv, uint64_t base, uint64_t size,
		 enum ival_class cls, unsigned int rank, const char *path,
		 const char *fmt, ...)
{
	struct ival *e;
	va_list ap;

	if (!extent_is_within(base, size, LAYOUT_MAX_GPA))
		return NULL;
	if (iv->n == iv->cap) {
		size_t cap = iv->cap ? iv->cap * 2 : 32;
		struct ival *nv = realloc(iv->v, cap * sizeof(*nv));

		if (!nv) {
			v->oom = true;
			return NULL;
		}
		iv->v = nv;
		iv->cap = cap;
	}
	e = &iv->v[iv->n++];
	memset(e, 0, sizeof(*e));
	e->base = base;
	e->last = base + (size - 1);
	e->cls = cls;
	e->rank = rank + (unsigned int)iv->n; /* later declared, later blamed */
	e->other = -1;
	PATHF(e->path, "%s", path);
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	return e;
}

/* Whether two overlapping entries are a conflict. */
static bool ival_is_conflict(const struct ival *a, const struct ival *b)
{
	if (a->cls == IV_PLATFORM || b->cls == IV_PLATFORM) {
		const struct ival *o = a->cls == IV_PLATFORM ? b : a;

		return o->cls == IV_RAM ||
		       (o->cls == IV_FIXED && !o->in_platform);
	}
	/*
	 * Everything else is placed exactly once: a declared hole must not
	 * cover device MMIO either (the resolver maps each region alone).
	 */
	return true;
}

static int ival_cmp(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/*
 * Sweep over the entries sorted by base: each entry is compared with the
 * ones that start before it ends, so the work is O(n log n) plus one step
 * per overlapping pair. Each entry is blamed once, for its most specific
 * collision (a named device window is more helpful than the platform area).
 */
static void check_overlaps(struct vctx *v, struct ivec *iv)
{
	struct ival *e = iv->v;
	size_t i, j;

	if (!iv->n)
		return;
	qsort(e, iv->n, sizeof(*e), ival_cmp);
	for (i = 0; i < iv->n; i++) {
		for (j = i + 1; j < iv->n && e[j].base <= e[i].last; j++) {
			struct ival *victim, *other;
			size_t oi;

			if (!ival_is_conflict(&e[i], &e[j]))
				continue;
			victim = e[i].rank > e[j].rank ? &e[i] : &e[j];
			other = victim == &e[i] ? &e[j] : &e[i];
			oi = (size_t)(other - e);
			if (victim->other < 0 ||
			    (e[victim->other].cls == IV_PLATFORM &&
			     other->cls != IV_PLATFORM))
				victim->other = (int)oi;
		}
	}
	for (i = 0; i < iv->n; i++) {
		const struct ival *o;
		struct sbuf a, b;

		if (e[i].other < 0)
			continue;
		o = &e[e[i].other];
		fmt_range(&a, e[i].base, e[i].last - e[i].base + 1);
		fmt_range(&b, o->base, o->last - o->base + 1);
		if (e[i].is_range)
			verr(v, e[i].path, "%s overlaps %s (%s)", a.s, o->what,
			     b.s);
		else
			verr(v, e[i].path, "%s (%s) overlaps %s (%s)",
			     e[i].what, a.s, o->what, b.s);
	}
}

static unsigned int rank_of(struct vctx *v, const char *path)
{
	return path_is_given(v->cfg, path) ? RANK_GIVEN : RANK_DEFAULT;
}

static void add_fixed(struct vctx *v, struct ivec *iv, uint64_t base,
		      uint64_t size, bool in_platform, const char *path,
		      const char *what)
{
	struct ival *e = ivec_add(v, iv, base, size, IV_FIXED, rank_of(v, path),
				  path, "%s", what);

	if (e)
		e->in_platform = in_platform;
}

static void collect_irq_windows(struct vctx *v, struct ivec *iv)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_interrupts *irq = &cfg->irq;
	const struct cfg_gic *g = &irq->gic;

	if (cfg->arch == ARCH_X86_64) {
		ivec_add(v, iv, LAYOUT_X86_PLATFORM,
			 LAYOUT_4G - LAYOUT_X86_PLATFORM, IV_PLATFORM,
			 RANK_PLATFORM, "", "the x86 platform window");
		/* Above 4 GiB they are reported already. */
		if (extent_is_within(irq->lapic, LAYOUT_X86_LAPIC_SIZE,
				     LAYOUT_4G))
			add_fixed(v, iv, irq->lapic, LAYOUT_X86_LAPIC_SIZE,
				  true, "interrupts.x86.lapic",
				  "the LAPIC window");
		if (extent_is_within(irq->ioapic.base, LAYOUT_X86_IOAPIC_SIZE,
				     LAYOUT_4G))
			add_fixed(v, iv, irq->ioapic.base,
				  LAYOUT_X86_IOAPIC_SIZE, true,
				  "interrupts.x86.ioapic.base",
				  "the IOAPIC window");
		if (cfg->boot.kind == BOOT_FIRMWARE)
			add_fixed(v, iv, LAYOUT_4G - LAYOUT_X86_BIOS_SIZE,
				  LAYOUT_X86_BIOS_SIZE, true, "boot.firmware",
				  "the BIOS flash");
		return;
	}
	add_fixed(v, iv, g->distributor, LAYOUT_GIC_DIST_SIZE, false,
		  "interrupts.gic.distributor", "the GIC distributor");
	if (g->version == 3) {
		add_fixed(v, iv, g->redistributors,
			  mul_sat(LAYOUT_GIC_REDIST_SIZE, cfg->cpu.count),
			  false, "interrupts.gic.redistributors",
			  "the GIC redistributors");
		if (g->has_its)
			add_fixed(v, iv, g->its, LAYOUT_GIC_ITS_SIZE, false,
				  "interrupts.gic.its", "the GIC ITS");
	} else if (g->version == 2) {
		add_fixed(v, iv, g->cpu_interface, LAYOUT_GIC_CPUIF_SIZE, false,
			  "interrupts.gic.cpu_interface",
			  "the GIC CPU interface");
		if (g->has_v2m)
			add_fixed(v, iv, g->v2m, LAYOUT_GIC_V2M_SIZE, false,
				  "interrupts.gic.v2m", "the GICv2m frame");
	}
}

static void collect_pcie_windows(struct vctx *v, struct ivec *iv)
{
	const struct cfg_pcie *pc = &v->cfg->pcie;
	struct qbuf q;
	char p[VPATH], w[80];
	size_t i;

	for (i = 0; i < pc->n_rcs; i++) {
		const struct cfg_root_complex *rc = &pc->rcs[i];
		const char *name = quote(&q, rc->name);

		if (rc->has_ecam && rc->bus_start <= rc->bus_end) {
			snprintf(w, sizeof(w), "the ECAM window of %s", name);
			add_fixed(v, iv, rc->ecam,
				  (uint64_t)(rc->bus_end - rc->bus_start + 1) *
					  LAYOUT_ECAM_BUS_SIZE,
				  false,
				  PATHF(p, "pcie.root_complexes[%zu].ecam", i),
				  w);
		}
		/* Windows outside their half of the map are reported already.
		 */
		if (rc->mmio32.has_base &&
		    extent_is_within(rc->mmio32.base, rc->mmio32.size,
				     LAYOUT_4G)) {
			snprintf(w, sizeof(w), "the mmio32 window of %s", name);
			add_fixed(
				v, iv, rc->mmio32.base, rc->mmio32.size, false,
				PATHF(p, "pcie.root_complexes[%zu].mmio32", i),
				w);
		}
		if (rc->mmio64.has_base && rc->mmio64.base >= LAYOUT_4G) {
			snprintf(w, sizeof(w), "the mmio64 window of %s", name);
			add_fixed(
				v, iv, rc->mmio64.base, rc->mmio64.size, false,
				PATHF(p, "pcie.root_complexes[%zu].mmio64", i),
				w);
		}
	}
}

static void collect_device_windows(struct vctx *v, struct ivec *iv)
{
	const struct vm_config *cfg = v->cfg;
	struct qbuf q;
	char p[VPATH], w[80];
	size_t i;

	if (cfg->arch != ARCH_AARCH64)
		return;
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type != DEV_SERIAL || !d->has_address)
			continue;
		snprintf(w, sizeof(w), "serial '%s'", quote(&q, d->name));
		add_fixed(v, iv, d->address, LAYOUT_DEV_MMIO_SIZE, false,
			  PATHF(p, "devices[%zu].address", i), w);
	}
}

static void check_address_map(struct vctx *v)
{
	const struct cfg_memory *m = &v->cfg->memory;
	struct ivec iv = { 0 };
	char p[VPATH];
	size_t i;

	for (i = 0; i < m->n_ranges; i++) {
		const struct cfg_mem_range *r = &m->ranges[i];
		struct ival *e;

		e = ivec_add(v, &iv, r->gpa, r->size,
			     r->type == RANGE_MMIO ? IV_HOLE : IV_RAM,
			     RANK_RANGE, PATHF(p, "memory.ranges[%zu]", i),
			     "memory.ranges[%zu]", i);
		if (e)
			e->is_range = true;
	}
	collect_irq_windows(v, &iv);
	collect_pcie_windows(v, &iv);
	collect_device_windows(v, &iv);
	check_overlaps(v, &iv);
	free(iv.v);
}

/* ---- NUMA ------------------------------------------------------------ */

/* "3", "3-5, 8, 10-11": the vCPUs set in @set, cut with "..." if long. */
static void fmt_cpulist(char *buf, size_t len, const bool *set, size_t n)
{
	size_t i = 0, o = 0;

	buf[0] = '\0';
	while (i < n) {
		size_t j;
		int w;

		if (!set[i]) {
			i++;
			continue;
		}
		for (j = i; j + 1 < n && set[j + 1]; j++)
			;
		if (o + 32 >= len) {
			snprintf(buf + o, len - o, "%s...", o ? ", " : "");
			return;
		}
		if (j == i)
			w = snprintf(buf + o, len - o, "%s%zu", o ? ", " : "",
				     i);
		else
			w = snprintf(buf + o, len - o, "%s%zu-%zu",
				     o ? ", " : "", i, j);
		o += (size_t)w;
		i = j + 1;
	}
}

static void check_numa_cpus(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_numa *nu = &cfg->numa;
	size_t count = cfg->cpu.count, i, j, n_missing = 0;
	bool any_listed = false, all_empty = true;
	int32_t *owner;
	bool *missing;
	char p[VPATH];

	if (count > CFG_MAX_VCPUS)
		count = CFG_MAX_VCPUS; /* the loader rejected it already */
	owner = malloc((count ? count : 1) * sizeof(*owner));
	missing = calloc(count ? count : 1, sizeof(*missing));
	if (!owner || !missing) {
		v->oom = true;
		goto free_arrays;
	}
	for (i = 0; i < count; i++)
		owner[i] = -1;

	for (i = 0; i < nu->n_nodes; i++) {
		const struct cfg_numa_node *nd = &nu->nodes[i];

		if (!nd->has_cpus || nd->n_cpus)
			all_empty = false;
		for (j = 0; j < nd->n_cpus; j++) {
			uint32_t c = nd->cpus[j];

			any_listed = true;
			PATHF(p, "numa.nodes[%zu].cpus[%zu]", i, j);
			if (c >= cfg->cpu.count || c >= count)
				verr(v, p,
				     "vCPU %" PRIu32
				     " does not exist (cpu.count is %" PRIu32
				     ")",
				     c, cfg->cpu.count);
			else if (owner[c] >= 0)
				verr(v, p,
				     "vCPU %" PRIu32
				     " is already in node %" PRId32,
				     c, owner[c]);
			else
				owner[c] = (int32_t)i;
		}
	}

	if (any_listed) {
		/* Nodes that list vCPUs own them all: none may be left out. */
		for (i = 0; i < count; i++) {
			if (owner[i] < 0) {
				missing[i] = true;
				n_missing++;
			}
		}
		if (n_missing) {
			char list[192];

			fmt_cpulist(list, sizeof(list), missing, count);
			verr(v, "numa.nodes", "%s %s %s in no NUMA node",
			     plural(n_missing, "vCPU", "vCPUs"), list,
			     plural(n_missing, "is", "are"));
		}
	} else if (nu->n_nodes && all_empty) {
		verr(v, "numa.nodes",
		     "every node has cpus: [], so no node holds the vCPUs (list them, or leave out cpus on the nodes that should hold them)");
	}

free_arrays:
	free(owner);
	free(missing);
}

static void check_numa_memory_simple(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_numa *nu = &cfg->numa;
	size_t i, given = 0;
	uint64_t sum = 0;
	struct sbuf a, b;
	char p[VPATH];

	for (i = 0; i < nu->n_nodes; i++) {
		const struct cfg_numa_node *nd = &nu->nodes[i];

		if (!nd->has_memory)
			continue;
		given++;
		sum = add_sat(sum, nd->memory);
		if (nd->memory % v->page)
			verr(v, PATHF(p, "numa.nodes[%zu].memory", i),
			     "node memory %s is not a multiple of %s",
			     fmt_size(a.s, nd->memory),
			     align_name(&b, v->page));
	}
	if (given == 0)
		return; /* the resolver splits memory.size evenly */
	if (given < nu->n_nodes) {
		for (i = 0; i < nu->n_nodes; i++)
			if (!nu->nodes[i].has_memory)
				verr(v, PATHF(p, "numa.nodes[%zu].memory", i),
				     "required when other nodes give memory");
		return;
	}
	if (sum != cfg->memory.size)
		verr(v, "numa.nodes",
		     "node memory adds up to %s, memory.size is %s",
		     fmt_size(a.s, sum), fmt_size(b.s, cfg->memory.size));
}

static void check_numa_memory_ranges(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_numa *nu = &cfg->numa;
	const struct cfg_memory *m = &cfg->memory;
	size_t n = nu->n_nodes, i;
	uint64_t *ram;
	char p[VPATH];

	for (i = 0; i < m->n_ranges; i++) {
		const struct cfg_mem_range *r = &m->ranges[i];

		if (r->node >= 0)
			check_node_ref(v, r->node,
				       PATHF(p, "memory.ranges[%zu].node", i));
		else if (r->type == RANGE_RAM && n > 1)
			verr(v, PATHF(p, "memory.ranges[%zu].node", i),
			     "required for ram ranges when there are %zu NUMA nodes",
			     n);
	}
	if (n == 0)
		return;

	ram = calloc(n, sizeof(*ram));
	if (!ram) {
		v->oom = true;
		return;
	}
	for (i = 0; i < m->n_ranges; i++) {
		const struct cfg_mem_range *r = &m->ranges[i];
		int32_t node = r->node >= 0 ? r->node : (n == 1 ? 0 : -1);

		if (r->type == RANGE_RAM && node >= 0 && (size_t)node < n)
			ram[node] = add_sat(ram[node], r->size);
	}
	for (i = 0; i < n; i++) {
		const struct cfg_numa_node *nd = &nu->nodes[i];
		struct sbuf a, b;

		if (nd->has_memory && nd->memory != ram[i])
			verr(v, PATHF(p, "numa.nodes[%zu].memory", i),
			     "node %zu has %s of RAM ranges, numa.nodes[%zu].memory is %s",
			     i, fmt_size(a.s, ram[i]), i,
			     fmt_size(b.s, nd->memory));
	}
	free(ram);
}

static void check_numa_distances(struct vctx *v)
{
	const struct cfg_numa *nu = &v->cfg->numa;
	size_t n = nu->n_nodes, i, j;
	char p[VPATH];

	if (!nu->n_rows)
		return;
	if (!n) {
		verr(v, "numa.distances", "distances given without numa.nodes");
		return;
	}
	if (nu->n_rows != n)
		verr(v, "numa.distances",
		     "distance matrix has %zu %s, there %s %zu %s", nu->n_rows,
		     plural(nu->n_rows, "row", "rows"), plural(n, "is", "are"),
		     n, plural(n, "node", "nodes"));
	for (i = 0; i < nu->n_rows; i++) {
		const struct cfg_dist_row *row = &nu->rows[i];

		if (row->n != n)
			verr(v, PATHF(p, "numa.distances[%zu]", i),
			     "row has %zu %s, expected %zu", row->n,
			     plural(row->n, "entry", "entries"), n);
		for (j = 0; j < row->n; j++) {
			uint32_t d = row->v[j];

			PATHF(p, "numa.distances[%zu][%zu]", i, j);
			if (i == j && d != NUMA_LOCAL_DISTANCE)
				verr(v, p,
				     "distance of node %zu to itself is %" PRIu32
				     ", expected 10",
				     i, d);
			else if (i != j && (d <= NUMA_LOCAL_DISTANCE ||
					    d > NUMA_MAX_DISTANCE))
				verr(v, p,
				     "distance %" PRIu32
				     " between nodes %zu and %zu is out of range (11..254)",
				     d, i, j);
		}
	}
}

static void check_numa(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_numa *nu = &cfg->numa;
	char p[VPATH];
	size_t i;

	for (i = 0; i < nu->n_nodes; i++) {
		const struct cfg_numa_node *nd = &nu->nodes[i];

		if (nd->id != i)
			verr(v, PATHF(p, "numa.nodes[%zu].id", i),
			     "node ids must be 0..%zu in list order; expected %zu, found %" PRIu32,
			     nu->n_nodes - 1, i, nd->id);
	}
	if (nu->n_nodes)
		check_numa_cpus(v);
	if (cfg->memory.has_size)
		check_numa_memory_simple(v);
	else
		check_numa_memory_ranges(v);
	check_numa_distances(v);
}

/* ---- interrupt controllers ------------------------------------------- */

static void check_irq_x86(struct vctx *v)
{
	const struct cfg_interrupts *irq = &v->cfg->irq;

	if (irq->lapic % (4 * KiB))
		verr(v, "interrupts.x86.lapic",
		     "LAPIC base 0x%" PRIx64 " is not 4 KiB aligned",
		     irq->lapic);
	else if (!extent_is_within(irq->lapic, LAYOUT_X86_LAPIC_SIZE,
				   LAYOUT_4G))
		verr(v, "interrupts.x86.lapic",
		     "LAPIC base 0x%" PRIx64
		     " leaves no 1 MiB window below 4 GiB (the MADT field is 32-bit)",
		     irq->lapic);
	if (irq->ioapic.base % (4 * KiB))
		verr(v, "interrupts.x86.ioapic.base",
		     "IOAPIC base 0x%" PRIx64 " is not 4 KiB aligned",
		     irq->ioapic.base);
	else if (!extent_is_within(irq->ioapic.base, LAYOUT_X86_IOAPIC_SIZE,
				   LAYOUT_4G))
		verr(v, "interrupts.x86.ioapic.base",
		     "IOAPIC base 0x%" PRIx64
		     " is not below 4 GiB (the MADT field is 32-bit)",
		     irq->ioapic.base);
}

static void check_gic_frame(struct vctx *v, const char *path, const char *what,
			    uint64_t base, uint64_t size)
{
	struct sbuf a;

	if (base % GIC_ALIGN)
		verr(v, path, "%s base 0x%" PRIx64 " is not 64 KiB aligned",
		     what, base);
	else if (!extent_is_within(base, size, LAYOUT_MAX_GPA))
		verr(v, path,
		     "%s at 0x%" PRIx64
		     " (%s) ends beyond the 1 TiB guest physical address limit",
		     what, base, fmt_size(a.s, size));
}

static void check_irq_gic(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_gic *g = &cfg->irq.gic;

	if (g->version == 2 && cfg->cpu.count > 8)
		verr(v, "interrupts.gic.version",
		     "GICv2 supports at most 8 vCPUs, cpu.count is %" PRIu32,
		     cfg->cpu.count);
	if (g->version != 3 && g->has_its)
		verr(v, "interrupts.gic.its",
		     "an ITS needs GICv3 (version is %" PRIu32 ")", g->version);
	if (g->version != 3 && g->has_redistributors)
		verr(v, "interrupts.gic.redistributors",
		     "redistributors are GICv3-only (version is %" PRIu32 ")",
		     g->version);
	if (g->version != 2 && g->has_v2m)
		verr(v, "interrupts.gic.v2m",
		     "a v2m frame is GICv2-only (version is %" PRIu32
		     "; GICv3 uses an ITS for MSIs)",
		     g->version);
	if (g->version != 2 && g->has_cpu_interface)
		verr(v, "interrupts.gic.cpu_interface",
		     "cpu_interface is GICv2-only (version is %" PRIu32 ")",
		     g->version);

	/* The loader bounds it to 64..992; KVM wants whole groups of 32. */
	if (g->nr_irqs % 32)
		verr(v, "interrupts.gic.nr_irqs",
		     "nr_irqs %" PRIu32 " is not a multiple of 32", g->nr_irqs);

	check_gic_frame(v, "interrupts.gic.distributor", "distributor",
			g->distributor, LAYOUT_GIC_DIST_SIZE);
	if (g->version == 3) {
		check_gic_frame(v, "interrupts.gic.redistributors",
				"redistributor region", g->redistributors,
				mul_sat(LAYOUT_GIC_REDIST_SIZE,
					cfg->cpu.count));
		if (g->has_its)
			check_gic_frame(v, "interrupts.gic.its", "ITS", g->its,
					LAYOUT_GIC_ITS_SIZE);
	} else {
		check_gic_frame(v, "interrupts.gic.cpu_interface",
				"CPU interface", g->cpu_interface,
				LAYOUT_GIC_CPUIF_SIZE);
		if (g->has_v2m)
			check_gic_frame(v, "interrupts.gic.v2m", "v2m frame",
					g->v2m, LAYOUT_GIC_V2M_SIZE);
	}
}

/* ---- names ----------------------------------------------------------- */

enum name_kind {
	NK_RC,
	NK_RC_PORT,
	NK_SWITCH,
	NK_SW_PORT,
	NK_DEVICE,
};

static const char *const name_kind_desc[] = {
	[NK_RC] = "a root complex", [NK_RC_PORT] = "a root port",
	[NK_SWITCH] = "a switch",   [NK_SW_PORT] = "a switch port",
	[NK_DEVICE] = "a device",
};

struct name_ent {
	const char *name;
	enum name_kind kind;
	size_t a; /* rc, switch or device index */
	int line, col; /* of the name, to find the second use */
	size_t seq; /* declaration order when positions are unknown */
	int user; /* port: index in the refs that occupies it, -1 */
	char path[NPATH]; /* "pcie.root_complexes[0].ports[1]" */
};

/* A reference to a port: a switch's parent_port or a device's port. */
struct port_ref {
	const char *name;
	bool is_switch;
	size_t idx;
	int line, col;
	size_t seq;
	char path[NPATH]; /* "devices[3].port" */
	char owner[NPATH]; /* "devices[3]" */
	const char *owner_name;
};

struct names {
	struct name_ent *e;
	size_t n;
	struct port_ref *r;
	size_t n_refs;
};

static int pos_cmp(int la, int ca, size_t sa, int lb, int cb, size_t sb)
{
	if (la != lb)
		return la < lb ? -1 : 1;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return sa < sb ? -1 : sa > sb;
}

static int name_ent_cmp(const void *a, const void *b)
{
	const struct name_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c :
		   pos_cmp(x->line, x->col, x->seq, y->line, y->col, y->seq);
}

static int port_ref_cmp(const void *a, const void *b)
{
	const struct port_ref *x = a, *y = b;

	return pos_cmp(x->line, x->col, x->seq, y->line, y->col, y->seq);
}

static void names_add(struct vctx *v, struct names *nt, const char *name,
		      enum name_kind kind, size_t a, const char *path)
{
	struct name_ent *e;
	char np[VPATH + 8];

	if (!name)
		return;
	e = &nt->e[nt->n];
	e->name = name;
	e->kind = kind;
	e->a = a;
	e->seq = nt->n++;
	e->user = -1;
	PATHF(e->path, "%s", path);
	path_pos(v->cfg, PATHF(np, "%s.name", path), &e->line, &e->col);
}

/*
 * Entry named @name: the first one, which keeps the name when it is used
 * twice; but a reference to a port finds a port when one has the name, so
 * that a duplicate name is reported once and not again at its users.
 */
static struct name_ent *names_find(struct names *nt, const char *name)
{
	size_t lo = 0, hi = nt->n, i;

	if (!name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(nt->e[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nt->n || strcmp(nt->e[lo].name, name))
		return NULL;
	for (i = lo; i < nt->n && !strcmp(nt->e[i].name, name); i++)
		if (nt->e[i].kind == NK_RC_PORT || nt->e[i].kind == NK_SW_PORT)
			return &nt->e[i];
	return &nt->e[lo];
}

static int names_build(struct vctx *v, struct names *nt)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_pcie *pc = &cfg->pcie;
	size_t total = cfg->n_devices + pc->n_rcs + pc->n_switches, i, j;
	char p[VPATH];

	for (i = 0; i < pc->n_rcs; i++)
		total += pc->rcs[i].n_ports;
	for (i = 0; i < pc->n_switches; i++)
		total += pc->switches[i].n_ports;
	nt->e = calloc(total ? total : 1, sizeof(*nt->e));
	if (!nt->e)
		return -ENOMEM;

	for (i = 0; i < pc->n_rcs; i++) {
		const struct cfg_root_complex *rc = &pc->rcs[i];

		names_add(v, nt, rc->name, NK_RC, i,
			  PATHF(p, "pcie.root_complexes[%zu]", i));
		for (j = 0; j < rc->n_ports; j++)
			names_add(v, nt, rc->ports[j].name, NK_RC_PORT, i,
				  PATHF(p,
					"pcie.root_complexes[%zu].ports[%zu]",
					i, j));
	}
	for (i = 0; i < pc->n_switches; i++) {
		const struct cfg_switch *sw = &pc->switches[i];

		names_add(v, nt, sw->name, NK_SWITCH, i,
			  PATHF(p, "pcie.switches[%zu]", i));
		for (j = 0; j < sw->n_ports; j++)
			names_add(v, nt, sw->ports[j].name, NK_SW_PORT, i,
				  PATHF(p, "pcie.switches[%zu].ports[%zu]", i,
					j));
	}
	for (i = 0; i < cfg->n_devices; i++)
		names_add(v, nt, cfg->devices[i].name, NK_DEVICE, i,
			  PATHF(p, "devices[%zu]", i));
	qsort(nt->e, nt->n, sizeof(*nt->e), name_ent_cmp);
	return 0;
}

/* One namespace: a name used twice is reported where it is used again. */
static void check_names(struct vctx *v, struct names *nt)
{
	struct qbuf q;
	char p[VPATH];
	size_t i, first = 0;

	for (i = 1; i < nt->n; i++) {
		if (strcmp(nt->e[i].name, nt->e[first].name)) {
			first = i;
			continue;
		}
		verr(v, PATHF(p, "%s.name", nt->e[i].path),
		     "name '%s' is already used by %s",
		     quote(&q, nt->e[i].name), nt->e[first].path);
	}
}

static bool name_ent_is_port(const struct name_ent *e)
{
	return e->kind == NK_RC_PORT || e->kind == NK_SW_PORT;
}

static int refs_build(struct vctx *v, struct names *nt)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_pcie *pc = &cfg->pcie;
	size_t i;

	nt->r = calloc(pc->n_switches + cfg->n_devices + 1, sizeof(*nt->r));
	if (!nt->r)
		return -ENOMEM;
	for (i = 0; i < pc->n_switches; i++) {
		struct port_ref *r = &nt->r[nt->n_refs];

		if (!pc->switches[i].parent_port)
			continue;
		r->name = pc->switches[i].parent_port;
		r->is_switch = true;
		r->idx = i;
		r->seq = nt->n_refs++;
		r->owner_name = pc->switches[i].name;
		snprintf(r->owner, sizeof(r->owner), "pcie.switches[%zu]", i);
		snprintf(r->path, sizeof(r->path),
			 "pcie.switches[%zu].parent_port", i);
		path_pos(cfg, r->path, &r->line, &r->col);
	}
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];
		struct port_ref *r = &nt->r[nt->n_refs];

		if (!d->port || d->type == DEV_SERIAL)
			continue;
		snprintf(r->path, sizeof(r->path), "devices[%zu].port", i);
		if (d->transport == TRANSPORT_MMIO) {
			verr(v, r->path,
			     "a device with transport mmio sits on no PCIe port; drop port or use transport pci");
			memset(r, 0, sizeof(*r));
			continue;
		}
		r->name = d->port;
		r->idx = i;
		r->seq = nt->n_refs++;
		r->owner_name = d->name;
		snprintf(r->owner, sizeof(r->owner), "devices[%zu]", i);
		path_pos(cfg, r->path, &r->line, &r->col);
	}
	qsort(nt->r, nt->n_refs, sizeof(*nt->r), port_ref_cmp);
	return 0;
}

/* Each reference must name a port, and each port carries one thing. */
static void check_port_refs(struct vctx *v, struct names *nt)
{
	size_t i;

	for (i = 0; i < nt->n_refs; i++) {
		const struct port_ref *r = &nt->r[i];
		struct name_ent *e = names_find(nt, r->name);
		struct qbuf q, q2;

		if (!e) {
			verr(v, r->path, "no port named '%s'",
			     quote(&q, r->name));
		} else if (!name_ent_is_port(e)) {
			verr(v, r->path, "'%s' is %s (%s), not a PCIe port",
			     quote(&q, r->name), name_kind_desc[e->kind],
			     e->path);
		} else if (e->user >= 0) {
			const struct port_ref *u = &nt->r[e->user];

			verr(v, r->path,
			     "port '%s' is already used by %s ('%s'); a port carries one switch or device",
			     quote(&q, r->name), u->owner,
			     quote(&q2, u->owner_name));
		} else {
			e->user = (int)i;
		}
	}
}

/* Switch whose parent_port is a downstream port of switch @s, or -1. */
static long parent_switch(const struct vm_config *cfg, struct names *nt,
			  size_t s)
{
	const struct name_ent *e =
		names_find(nt, cfg->pcie.switches[s].parent_port);

	return e && e->kind == NK_SW_PORT ? (long)e->a : -1;
}

/*
 * A switch connected below itself, directly or through other switches.
 * The walk is bounded by the number of switches. A cycle is reported once,
 * at its member that comes last in the list.
 */
static void check_switch_cycles(struct vctx *v, struct names *nt)
{
	const struct vm_config *cfg = v->cfg;
	size_t n = cfg->pcie.n_switches, s, step;
	struct qbuf q;
	char p[VPATH];

	for (s = 0; s < n; s++) {
		long cur = (long)s, last_member = (long)s;
		bool cycle = false;
		char chain[200];
		size_t o;

		for (step = 0; step < n; step++) {
			cur = parent_switch(cfg, nt, (size_t)cur);
			if (cur < 0)
				break;
			if ((size_t)cur == s) {
				cycle = true;
				break;
			}
			if (cur > last_member)
				last_member = cur;
		}
		if (!cycle || (size_t)last_member != s)
			continue;
		/* Print the chain upwards: sw1 -> sw0 -> sw1. */
		o = (size_t)snprintf(chain, sizeof(chain), "%s",
				     quote(&q, cfg->pcie.switches[s].name));
		cur = (long)s;
		for (step = 0; step < n && o < sizeof(chain); step++) {
			cur = parent_switch(cfg, nt, (size_t)cur);
			o += (size_t)snprintf(
				chain + o, sizeof(chain) - o, " -> %s",
				quote(&q, cfg->pcie.switches[cur].name));
			if ((size_t)cur == s)
				break;
		}
		if (o >= sizeof(chain))
			memcpy(chain + sizeof(chain) - 4, "...", 4);
		verr(v, PATHF(p, "pcie.switches[%zu].parent_port", s),
		     "switch '%s' is connected below itself (%s)",
		     quote(&q, cfg->pcie.switches[s].name), chain);
	}
}

/* ---- PCIe ------------------------------------------------------------ */

struct port_list {
	const char *path; /* "pcie.root_complexes[0]" */
	const struct cfg_port *ports;
};

static void devfn_dup(struct vctx *v, const void *arg, size_t later,
		      size_t first)
{
	const struct port_list *pl = arg;
	const struct cfg_port *pt = &pl->ports[later];
	struct qbuf q;
	char p[VPATH];

	verr(v, PATHF(p, "%s.ports[%zu].devfn", pl->path, later),
	     "devfn 0x%02x (%02x.%x) is already used by port '%s'", pt->devfn,
	     pt->devfn >> 3, pt->devfn & 7, quote(&q, pl->ports[first].name));
}

static void check_devfns(struct vctx *v, const char *path,
			 const struct cfg_port *ports, size_t n, bool root_bus)
{
	struct port_list pl = { .path = path, .ports = ports };
	struct keyidx *k = calloc(n ? n : 1, sizeof(*k));
	size_t i, nk = 0;
	char p[VPATH];

	if (!k) {
		v->oom = true;
		return;
	}
	for (i = 0; i < n; i++) {
		if (!ports[i].has_devfn)
			continue;
		if (root_bus && ports[i].devfn == 0) {
			verr(v, PATHF(p, "%s.ports[%zu].devfn", path, i),
			     "devfn 0x00 (00.0) is the host bridge; give the port another devfn");
			continue;
		}
		k[nk++] = (struct keyidx){ .key = ports[i].devfn, .idx = i };
	}
	keyidx_dups(k, nk, devfn_dup, v, &pl);
	free(k);
}

static void check_window(struct vctx *v, size_t rc, const char *which,
			 const struct cfg_window *w, bool high)
{
	struct sbuf a, b;
	char p[VPATH];

	if (w->size == 0 || w->size % PCI_WINDOW_ALIGN)
		verr(v, PATHF(p, "pcie.root_complexes[%zu].%s.size", rc, which),
		     "window size %s is not a positive multiple of 1 MiB",
		     fmt_size(a.s, w->size));
	else if (!high && w->size > LAYOUT_4G)
		verr(v, PATHF(p, "pcie.root_complexes[%zu].%s.size", rc, which),
		     "an mmio32 window of %s does not fit below 4 GiB",
		     fmt_size(a.s, w->size));
	if (!w->has_base)
		return;
	PATHF(p, "pcie.root_complexes[%zu].%s.base", rc, which);
	if (w->base % PCI_WINDOW_ALIGN)
		verr(v, p, "window base 0x%" PRIx64 " is not 1 MiB aligned",
		     w->base);
	if (w->size == 0)
		return;
	PATHF(p, "pcie.root_complexes[%zu].%s", rc, which);
	if (!high && !extent_is_within(w->base, w->size, LAYOUT_4G))
		verr(v, p,
		     "mmio32 window at 0x%" PRIx64 " (%s) must lie below 4 GiB",
		     w->base, fmt_size(b.s, w->size));
	else if (high && w->base < LAYOUT_4G)
		verr(v, p,
		     "mmio64 window base 0x%" PRIx64
		     " is below 4 GiB (the mmio32 window is for addresses below)",
		     w->base);
	else if (high && !extent_is_within(w->base, w->size, LAYOUT_MAX_GPA))
		verr(v, p,
		     "mmio64 window at 0x%" PRIx64
		     " (%s) ends beyond the 1 TiB guest physical address limit",
		     w->base, fmt_size(b.s, w->size));
}

static void segment_dup(struct vctx *v, const void *arg, size_t later,
			size_t first)
{
	const struct cfg_pcie *pc = arg;
	char p[VPATH];

	PATHF(p, "pcie.root_complexes[%zu].segment", later);
	verr(v, p, "segment %u%s is already used by pcie.root_complexes[%zu]",
	     (unsigned int)pc->rcs[later].segment,
	     path_is_given(v->cfg, p) ? "" : " (the default: the list index)",
	     first);
}

static void check_pcie(struct vctx *v)
{
	const struct cfg_pcie *pc = &v->cfg->pcie;
	struct keyidx *k;
	char p[VPATH];
	size_t i;

	for (i = 0; i < pc->n_rcs; i++) {
		const struct cfg_root_complex *rc = &pc->rcs[i];
		uint64_t ecam_size;

		PATHF(p, "pcie.root_complexes[%zu]", i);
		check_devfns(v, p, rc->ports, rc->n_ports, true);
		if (rc->bus_start > rc->bus_end) {
			verr(v, PATHF(p, "pcie.root_complexes[%zu].buses", i),
			     "bus range %u-%u is empty (the first bus is after the last)",
			     rc->bus_start, rc->bus_end);
		} else if (rc->has_ecam) {
			ecam_size =
				(uint64_t)(rc->bus_end - rc->bus_start + 1) *
				LAYOUT_ECAM_BUS_SIZE;
			PATHF(p, "pcie.root_complexes[%zu].ecam", i);
			if (rc->ecam % MiB)
				verr(v, p,
				     "ECAM base 0x%" PRIx64
				     " is not 1 MiB aligned",
				     rc->ecam);
			else if (!extent_is_within(rc->ecam, ecam_size,
						   LAYOUT_MAX_GPA))
				verr(v, p,
				     "ECAM window at 0x%" PRIx64
				     " (1 MiB for each of buses %u-%u) ends beyond the 1 TiB guest physical address limit",
				     rc->ecam, rc->bus_start, rc->bus_end);
		}
		check_window(v, i, "mmio32", &rc->mmio32, false);
		check_window(v, i, "mmio64", &rc->mmio64, true);
		check_node_ref(v, rc->node,
			       PATHF(p, "pcie.root_complexes[%zu].node", i));
	}
	for (i = 0; i < pc->n_switches; i++)
		check_devfns(v, PATHF(p, "pcie.switches[%zu]", i),
			     pc->switches[i].ports, pc->switches[i].n_ports,
			     false);

	k = calloc(pc->n_rcs ? pc->n_rcs : 1, sizeof(*k));
	if (!k) {
		v->oom = true;
		return;
	}
	for (i = 0; i < pc->n_rcs; i++)
		k[i] = (struct keyidx){ .key = pc->rcs[i].segment, .idx = i };
	keyidx_dups(k, pc->n_rcs, segment_dup, v, pc);
	free(k);
}

/* ---- devices --------------------------------------------------------- */

/* Legacy PC I/O ports the platform itself answers. */
static const struct {
	uint16_t base, len;
	const char *what;
} x86_legacy_ports[] = {
	{ .base = 0x20, .len = 2, .what = "the master PIC" },
	{ .base = 0x40, .len = 4, .what = "the PIT" },
	{ .base = 0x60, .len = 5, .what = "the i8042 and system control ports" },
	{ .base = 0x70, .len = 2, .what = "the RTC" },
	{ .base = 0xa0, .len = 2, .what = "the slave PIC" },
	{ .base = 0xcf8, .len = 8, .what = "the PCI configuration ports" },
	{ .base = ACPI_PM_IO_BASE,
	  .len = ACPI_PM_IO_LEN,
	  .what = "the ACPI PM registers" },
};

/*
 * Serial ports with explicit I/O ports must not share any of their 8 ports.
 * Sorted by port, each is compared with the ones that start inside it; the
 * one later in the list is blamed, once.
 */
static void check_serial_port_overlaps(struct vctx *v, struct keyidx *k,
				       size_t n)
{
	const struct cfg_device *devs = v->cfg->devices;
	bool *blamed = calloc(v->cfg->n_devices + 1, sizeof(*blamed));
	size_t i, j;

	if (!blamed) {
		v->oom = true;
		return;
	}
	qsort(k, n, sizeof(*k), keyidx_cmp);
	for (i = 0; i < n; i++) {
		for (j = i + 1;
		     j < n && k[j].key <= k[i].key + SERIAL_IO_PORTS - 1; j++) {
			size_t later = k[i].idx > k[j].idx ? k[i].idx :
							     k[j].idx;
			size_t first = k[i].idx > k[j].idx ? k[j].idx :
							     k[i].idx;
			uint32_t lo = devs[later].io_port;
			uint32_t flo = devs[first].io_port;
			struct qbuf q;
			char p[VPATH];

			if (blamed[later])
				continue;
			blamed[later] = true;
			verr(v, PATHF(p, "devices[%zu].port", later),
			     "I/O ports 0x%" PRIx32 "-0x%" PRIx32
			     " overlap those of devices[%zu] ('%s', 0x%" PRIx32
			     "-0x%" PRIx32 ")",
			     lo, lo + SERIAL_IO_PORTS - 1, first,
			     quote(&q, devs[first].name), flo,
			     flo + SERIAL_IO_PORTS - 1);
		}
	}
	free(blamed);
}

/* x86 ISA IRQs a serial port cannot have, and who has them. */
static const char *x86_irq_owner(uint32_t irq)
{
	switch (irq) {
	case 0:
		return "the timer";
	case 2:
		return "the PIC cascade";
	case 8:
		return "the RTC";
	case 9:
		return "the ACPI SCI";
	default:
		return NULL;
	}
}

static void check_serial_io_port(struct vctx *v, size_t i)
{
	const struct cfg_device *d = &v->cfg->devices[i];
	uint32_t lo = d->io_port, hi = lo + SERIAL_IO_PORTS - 1;
	char p[VPATH];
	size_t j;

	PATHF(p, "devices[%zu].port", i);
	if (hi > (LAYOUT_X86_IO_START - 1)) {
		verr(v, p,
		     "I/O ports 0x%" PRIx32 "-0x%" PRIx32
		     " are not below 0x1000 (ports from 0x1000 up are the PCI root complexes' windows)",
		     lo, hi);
		return;
	}
	for (j = 0; j < ARRAY_SIZE(x86_legacy_ports); j++) {
		uint32_t b = x86_legacy_ports[j].base;
		uint32_t e = b + x86_legacy_ports[j].len - 1;

		if (lo <= e && b <= hi) {
			verr(v, p,
			     "I/O ports 0x%" PRIx32 "-0x%" PRIx32
			     " overlap %s (0x%" PRIx32 "-0x%" PRIx32 ")",
			     lo, hi, x86_legacy_ports[j].what, b, e);
			return;
		}
	}
}

static void check_serial_x86(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	size_t i, nk = 0, n_serial = 0, total = 0;
	struct keyidx *k;
	char p[VPATH];

	k = calloc(cfg->n_devices + 1, sizeof(*k));
	if (!k) {
		v->oom = true;
		return;
	}
	for (i = 0; i < cfg->n_devices; i++)
		total += cfg->devices[i].type == DEV_SERIAL;
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type != DEV_SERIAL)
			continue;
		if (++n_serial == X86_MAX_SERIAL + 1)
			verr(v, PATHF(p, "devices[%zu]", i),
			     "at most %d serial devices on x86_64 (COM1-COM4), there are %zu",
			     X86_MAX_SERIAL, total);
		if (d->has_irq) {
			PATHF(p, "devices[%zu].irq", i);
			if (d->irq > 15)
				verr(v, p,
				     "irq %" PRIu32
				     " is not an ISA IRQ (expected 1..15)",
				     d->irq);
			else if (x86_irq_owner(d->irq))
				verr(v, p, "irq %" PRIu32 " is taken by %s",
				     d->irq, x86_irq_owner(d->irq));
		}
		if (d->has_io_port) {
			check_serial_io_port(v, i);
			k[nk++] =
				(struct keyidx){ .key = d->io_port, .idx = i };
		}
	}
	check_serial_port_overlaps(v, k, nk);
	free(k);
}

static void check_serial_arm(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	uint32_t nr = cfg->irq.gic.nr_irqs;
	char p[VPATH];
	size_t i;

	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type != DEV_SERIAL)
			continue;
		PATHF(p, "devices[%zu].address", i);
		if (d->has_address && d->address % (4 * KiB))
			verr(v, p,
			     "PL011 base 0x%" PRIx64 " is not 4 KiB aligned",
			     d->address);
		else if (d->has_address &&
			 !extent_is_within(d->address, LAYOUT_DEV_MMIO_SIZE,
					   LAYOUT_MAX_GPA))
			verr(v, p,
			     "PL011 base 0x%" PRIx64
			     " is beyond the 1 TiB guest physical address limit",
			     d->address);
		/* irq is an SPI number: INTID 32 + irq must be below nr_irqs.
		 */
		if (d->has_irq && nr > GIC_FIRST_SPI &&
		    d->irq >= nr - GIC_FIRST_SPI)
			verr(v, PATHF(p, "devices[%zu].irq", i),
			     "SPI %" PRIu32 " is INTID %" PRIu32
			     ", not below interrupts.gic.nr_irqs %" PRIu32
			     " (SPIs 0..%" PRIu32 " exist)",
			     d->irq, d->irq + GIC_FIRST_SPI, nr,
			     nr - GIC_FIRST_SPI - 1);
	}
}

static void mac_dup(struct vctx *v, const void *arg, size_t later, size_t first)
{
	const struct cfg_device *devs = arg;
	const uint8_t *m = devs[later].mac;
	struct qbuf q;
	char p[VPATH];

	verr(v, PATHF(p, "devices[%zu].mac", later),
	     "MAC %02x:%02x:%02x:%02x:%02x:%02x is already used by devices[%zu] ('%s')",
	     m[0], m[1], m[2], m[3], m[4], m[5], first,
	     quote(&q, devs[first].name));
}

/* Only serial devices have a console key (virtio-console always is one). */
static void check_console(struct vctx *v)
{
	const struct cfg_device *devs = v->cfg->devices;
	size_t i, first = SIZE_MAX;
	struct qbuf q;
	char p[VPATH];

	for (i = 0; i < v->cfg->n_devices; i++) {
		if (!devs[i].console)
			continue;
		if (first == SIZE_MAX) {
			first = i;
			continue;
		}
		verr(v, PATHF(p, "devices[%zu].console", i),
		     "devices[%zu] ('%s') is already the console; at most one device can be",
		     first, quote(&q, devs[first].name));
	}
}

static void check_devices(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	size_t i, nk = 0;
	struct keyidx *k;
	struct sbuf a;
	char p[VPATH];

	if (cfg->arch == ARCH_X86_64)
		check_serial_x86(v);
	else
		check_serial_arm(v);
	check_console(v);

	k = calloc(cfg->n_devices + 1, sizeof(*k));
	if (!k) {
		v->oom = true;
		return;
	}
	for (i = 0; i < cfg->n_devices; i++) {
		const struct cfg_device *d = &cfg->devices[i];

		if (d->type == DEV_VIRTIO_NET && d->has_mac) {
			uint64_t key = 0;
			size_t b;

			for (b = 0; b < 6; b++)
				key = key << 8 | d->mac[b];
			k[nk++] = (struct keyidx){ .key = key, .idx = i };
		}
		if (d->type == DEV_SHARED_MEMORY &&
		    (!is_pow2(d->size) || d->size < 4 * KiB))
			verr(v, PATHF(p, "devices[%zu].size", i),
			     "shared memory size %s is not a power of two of at least 4 KiB",
			     fmt_size(a.s, d->size));
		/* The loader bounds queue_size to 2..32768. */
		if (!is_pow2(d->queue_size) &&
		    (d->type == DEV_VIRTIO_BLK || d->type == DEV_VIRTIO_NET ||
		     d->type == DEV_VIRTIO_CONSOLE))
			verr(v, PATHF(p, "devices[%zu].queue_size", i),
			     "queue size %" PRIu32 " is not a power of two",
			     d->queue_size);
	}
	keyidx_dups(k, nk, mac_dup, v, cfg->devices);
	free(k);
}

/* ---- boot ------------------------------------------------------------ */

/* Whether @gpa is guest RAM, in the given ranges or where the resolver
 * puts the lowest RAM of the simple form. */
static bool gpa_is_in_ram(const struct vm_config *cfg, uint64_t gpa)
{
	const struct cfg_memory *m = &cfg->memory;
	uint64_t base = 0, size;
	size_t i;

	if (m->has_size) {
		if (cfg->arch == ARCH_AARCH64) {
			base = LAYOUT_ARM_RAM_BASE;
			size = m->size;
		} else {
			size = m->size < LAYOUT_X86_HOLE_START ?
				       m->size :
				       LAYOUT_X86_HOLE_START;
		}
		return gpa >= base && gpa - base < size;
	}
	for (i = 0; i < m->n_ranges; i++) {
		const struct cfg_mem_range *r = &m->ranges[i];

		if (r->type == RANGE_RAM && gpa >= r->gpa &&
		    gpa - r->gpa < r->size)
			return true;
	}
	return false;
}

/* The loader checks initrd/cmdline (kernel only) and the cmdline length. */
static void check_boot(struct vctx *v)
{
	const struct vm_config *cfg = v->cfg;
	const struct cfg_boot *b = &cfg->boot;

	if (b->kind != BOOT_IMAGE)
		return;
	if (!gpa_is_in_ram(cfg, b->load))
		verr(v, "boot.image.load",
		     "load address 0x%" PRIx64 " is not in guest RAM", b->load);
	/* entry defaults to load: report it only when it was given. */
	if (b->has_entry && !gpa_is_in_ram(cfg, b->entry))
		verr(v, "boot.image.entry",
		     "entry point 0x%" PRIx64 " is not in guest RAM", b->entry);
}

/* ---- entry point ----------------------------------------------------- */

int cfg_validate(const struct vm_config *cfg, struct diag_list *dl)
{
	struct vctx v = { .cfg = cfg, .dl = dl, .page = 4 * KiB };
	struct names nt = { 0 };

	if (cfg->memory.backing.kind != BACKING_FILE) {
		if (cfg->memory.backing.hugepages == HUGEPAGES_2M)
			v.page = 2 * MiB;
		else if (cfg->memory.backing.hugepages == HUGEPAGES_1G)
			v.page = GiB;
	}

	check_arch(&v);
	check_cpu(&v);
	check_backing(&v);
	if (cfg->memory.has_size)
		check_memory_simple(&v);
	else
		check_memory_ranges(&v);
	check_numa(&v);
	if (cfg->arch == ARCH_X86_64)
		check_irq_x86(&v);
	else
		check_irq_gic(&v);
	check_pcie(&v);
	check_devices(&v);
	check_boot(&v);
	check_address_map(&v);

	if (names_build(&v, &nt) || refs_build(&v, &nt)) {
		v.oom = true;
	} else {
		check_names(&v, &nt);
		check_port_refs(&v, &nt);
		check_switch_cycles(&v, &nt);
	}
	free(nt.e);
	free(nt.r);

	if (v.oom) {
		/* Some checks could not run: the verdict is unknown. */
		dl->oom = 1;
		return -ENOMEM;
	}
	return v.errors ? -EINVAL : 0;
}
