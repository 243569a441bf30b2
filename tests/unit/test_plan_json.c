/* Unit tests of the plan JSON builder and the plan formatting helpers. */
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
#include <json-c/json.h>

#include "plan/plan.h"

/*
 * Follows a path such as "pcie.functions[2].bars[0].base" from @o.
 * Returns the value (NULL for JSON null) and fails the test when a step is
 * missing, so that a null value and a missing key are told apart.
 */
static struct json_object *jget(struct json_object *o, const char *path)
{
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save)) {
		char *br = strchr(p, '[');

		if (br)
			*br = '\0';
		if (*p) {
			struct json_object *v = NULL;

			if (!json_object_is_type(o, json_type_object) ||
			    !json_object_object_get_ex(o, p, &v))
				fail_msg("%s: no key '%s'", path, p);
			o = v;
		}
		while (br) {
			size_t idx = strtoul(br + 1, NULL, 10);

			if (!json_object_is_type(o, json_type_array) ||
			    idx >= json_object_array_length(o))
				fail_msg("%s: no index %zu", path, idx);
			o = json_object_array_get_idx(o, idx);
			br = strchr(br + 1, '[');
		}
	}
	return o;
}

static const char *jstr(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!json_object_is_type(v, json_type_string))
		fail_msg("%s: not a string", path);
	return json_object_get_string(v);
}

static int64_t jint(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!json_object_is_type(v, json_type_int))
		fail_msg("%s: not an integer", path);
	return json_object_get_int64(v);
}

static bool jbool(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!json_object_is_type(v, json_type_boolean))
		fail_msg("%s: not a boolean", path);
	return json_object_get_boolean(v);
}

static size_t jlen(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	if (!json_object_is_type(v, json_type_array))
		fail_msg("%s: not an array", path);
	return json_object_array_length(v);
}

static void assert_json_null(struct json_object *o, const char *path)
{
	if (jget(o, path))
		fail_msg("%s: not null", path);
}

/* Keys of object @o in order, joined with ",". */
static void jkeys(struct json_object *o, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		pos += snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "",
				key);
		assert_true(pos < len);
	}
}

static void test_fmt_hex(void **state)
{
	char buf[PLAN_HEX_BUF];

	assert_string_equal(plan_fmt_hex(buf, 0), "0x0");
	assert_string_equal(plan_fmt_hex(buf, 0xfee00000), "0xfee00000");
	assert_string_equal(plan_fmt_hex(buf, UINT64_MAX),
			    "0xffffffffffffffff");
	/* 2^53 + 1 is where JSON numbers stop being exact. */
	assert_string_equal(plan_fmt_hex(buf, (UINT64_C(1) << 53) + 1),
			    "0x20000000000001");
}

static void test_fmt_size(void **state)
{
	char buf[FMT_SIZE_BUF];

	assert_string_equal(fmt_size(buf, 0), "0 bytes");
	assert_string_equal(fmt_size(buf, 1), "1 byte");
	assert_string_equal(fmt_size(buf, 100), "100 bytes");
	assert_string_equal(fmt_size(buf, 0xa0000), "640 KiB");
	assert_string_equal(fmt_size(buf, 2 * GiB), "2 GiB");
	assert_string_equal(fmt_size(buf, 3 * GiB / 2), "1536 MiB");
	/* Exact, never rounded; huge unit counts fall back to hex bytes. */
	assert_string_equal(fmt_size(buf, TiB + 4096), "0x10000001000 bytes");
	assert_string_equal(fmt_size(buf, 0x100400), "1025 KiB");
	assert_string_equal(fmt_size(buf, 0xc0001800), "0xc0001800 bytes");
	assert_string_equal(fmt_size(buf, UINT64_MAX),
			    "0xffffffffffffffff bytes");
	assert_string_equal(fmt_size(buf, UINT64_C(1) << 63),
			    "0x8000000000000000 bytes");
	assert_string_equal(fmt_size(buf, UINT64_C(1) << 59), "524288 TiB");
}

static void test_fmt_bdf(void **state)
{
	char buf[PLAN_BDF_BUF];

	assert_string_equal(plan_fmt_bdf(buf, 0, 0, 0), "0000:00:00.0");
	assert_string_equal(plan_fmt_bdf(buf, 0, 1, 0x08), "0000:01:01.0");
	assert_string_equal(plan_fmt_bdf(buf, 0xffff, 0xff, 0xff),
			    "ffff:ff:1f.7");
}

static void test_fmt_list(void **state)
{
	static const uint32_t v[] = { 0, 1, 4, 6, 7, 8, 9 };
	static const uint32_t dup[] = { 1, 1, 2, 5, 5 };
	static const uint32_t odd[] = { 0, 2, 4, 6, 8 };
	struct cfg_cpuset s = { 0 };
	char buf[64], small[8];

	assert_string_equal(plan_fmt_list(buf, sizeof(buf), v, 7), "0-1,4,6-9");
	assert_string_equal(plan_fmt_list(buf, sizeof(buf), v, 0), "");
	assert_string_equal(plan_fmt_list(buf, sizeof(buf), dup, 5), "1-2,5");
	assert_string_equal(plan_fmt_list(small, sizeof(small), odd, 5),
			    "0,2...");

	assert_string_equal(plan_fmt_cpuset(buf, sizeof(buf), &s), "");
	s.bits[0] = 0x3 | 0x10;
	s.bits[15] = UINT64_C(1) << 63; /* host CPU 1023 */
	assert_string_equal(plan_fmt_cpuset(buf, sizeof(buf), &s),
			    "0-1,4,1023");
}

/* A small x86 layout built by hand: every value is known. */
static struct layout_region regions[] = {
	{ .gpa = 0, .size = 0xa0000, .kind = LR_RAM, .node = 0 },
	{ .gpa = 0xe0000000,
	  .size = 0x10000000,
	  .kind = LR_ECAM,
	  .node = -1,
	  .owner = "rc0" },
	{ .gpa = 0xfec00000, .size = 0x1000, .kind = LR_IOAPIC, .node = -1 },
};
static struct layout_slot slots[] = {
	{ .gpa = 0, .size = 0xa0000, .node = 0 },
};
static struct layout_vcpu vcpus[] = {
	{ .index = 0, .apic_id = 0, .node = 0 },
	{ .index = 1,
	  .apic_id = 1,
	  .core = 1,
	  .node = 1,
	  .pinned = true,
	  .pin = { .bits = { 0x6 } } },
	{ .index = 2, .apic_id = 2, .core = 2, .node = 0 },
};
static struct layout_numa_node nodes[] = {
	{ .id = 0, .memory = 0x80000000, .n_cpus = 2, .host_node = -1 },
	{ .id = 1, .memory = 0x40000000, .n_cpus = 1, .host_node = 1 },
};
static uint8_t distance[] = { 10, 21, 21, 10 };
static struct layout_rc rcs[] = {
	{ .name = "rc0",
	  .bus_start = 0,
	  .bus_end = 255,
	  .ecam_base = 0xe0000000,
	  .ecam_size = 0x10000000,
	  .mmio32 = { .base = 0xc0000000, .size = 0x10000000 },
	  .mmio64 = { .base = 0x8000000000, .size = 0x1000000000 },
	  .io = { .base = 0x1000, .size = 0xf000 },
	  .node = 0,
	  .intx_gsi = { 16, 17, 18, 19 },
	  .buses_used = 2 },
};
static struct layout_pci_fn fns[] = {
	{ .kind = PCI_HOST_BRIDGE,
	  .name = "rc0",
	  .parent = -1,
	  .vendor = 0x1b36,
	  .device_id = 0x0008,
	  .class_code = 0x060000,
	  .device = -1 },
	{ .kind = PCI_ROOT_PORT,
	  .name = "rp0",
	  .parent = 0,
	  .devfn = 0x08,
	  .vendor = 0x1b36,
	  .device_id = 0x000c,
	  .class_code = 0x060400,
	  .secondary = 1,
	  .subordinate = 1,
	  .mem = { .base = 0xc0000000, .size = 0x200000 },
	  .pref = { .base = 0x8000000000, .size = 0x200000 },
	  .hotplug = true,
	  .device = -1 },
	{ .kind = PCI_ENDPOINT,
	  .name = "rng0",
	  .parent = 1,
	  .bus = 1,
	  .vendor = 0x1af4,
	  .device_id = 0x1044,
	  .class_code = 0x00ff00,
	  .device = 1,
	  .n_bars = 2,
	  .bars = { { .index = 1, .addr = 0xc0000000, .size = 0x1000 },
		    { .index = 4,
		      .mem64 = true,
		      .prefetch = true,
		      .addr = 0x8000000000,
		      .size = 0x4000 } },
	  .int_pin = 1,
	  .gsi = 16,
	  .msix_vectors = 2 },
};
static struct layout_device devices[] = {
	{ .index = 0,
	  .type = DEV_SERIAL,
	  .io_port = 0x3f8,
	  .gsi = 4,
	  .pci_fn = -1,
	  .console = true },
	{ .index = 1,
	  .type = DEV_VIRTIO_RNG,
	  .transport = TRANSPORT_PCI,
	  .gsi = 16,
	  .pci_fn = 2 },
};
static struct layout_irq irqs[] = {
	{ .gsi = 4,
	  .trigger = TRIGGER_EDGE,
	  .polarity = POLARITY_HIGH,
	  .owner = "com1",
	  .what = "uart" },
	{ .gsi = 16,
	  .trigger = TRIGGER_LEVEL,
	  .polarity = POLARITY_LOW,
	  .owner = "rc0",
	  .what = "intx-a" },
};

static void make_layout(struct vm_layout *l)
{
	static const uint8_t uuid[16] = { 0x6f, 0x1d, 0x8e, 0x42, 0x0a, 0xbc,
					  0x4d, 0xef, 0x80, 0x01, 0x02, 0x03,
					  0x04, 0x05, 0x06, 0x07 };

	memset(l, 0, sizeof(*l));
	l->arch = ARCH_X86_64;
	strcpy(l->name, "web1");
	memcpy(l->uuid, uuid, sizeof(uuid));
	l->n_regions = ARRAY_SIZE(regions);
	l->regions = regions;
	l->n_slots = ARRAY_SIZE(slots);
	l->slots = slots;
	l->ram_bytes = 0xc0000000;
	l->fw_base = 0xe0000;
	l->fw_size = 0x20000;
	l->n_vcpus = ARRAY_SIZE(vcpus);
	l->vcpus = vcpus;
	l->sockets = 1;
	l->cores = 3;
	l->threads = 1;
	l->n_nodes = ARRAY_SIZE(nodes);
	l->nodes = nodes;
	l->distance = distance;
	l->lapic_base = 0xfee00000;
	l->ioapic_base = 0xfec00000;
	l->ioapic_pins = 24;
	l->x2apic_mode = X2APIC_AUTO;
	l->max_apic_id = 2;
	l->n_rcs = ARRAY_SIZE(rcs);
	l->rcs = rcs;
	l->n_fns = ARRAY_SIZE(fns);
	l->fns = fns;
	l->n_devices = ARRAY_SIZE(devices);
	l->devices = devices;
	l->n_irqs = ARRAY_SIZE(irqs);
	l->irqs = irqs;
}

static void test_json_keys(void **state)
{
	struct vm_layout l;
	struct json_object *j;
	char keys[512];

	make_layout(&l);
	j = plan_to_json(&l, NULL);
	assert_non_null(j);

	jkeys(j, keys, sizeof(keys));
	assert_string_equal(keys, "version,name,uuid,arch,memory,numa,cpu,"
				  "interrupt_controller,pcie,devices,irqs,"
				  "firmware");
	jkeys(jget(j, "memory"), keys, sizeof(keys));
	assert_string_equal(keys, "total,regions,slots");
	jkeys(jget(j, "memory.regions[0]"), keys, sizeof(keys));
	assert_string_equal(keys, "start,size,kind,node,owner");
	jkeys(jget(j, "cpu"), keys, sizeof(keys));
	assert_string_equal(keys, "count,sockets,cores,threads,x2apic,vcpus");
	jkeys(jget(j, "cpu.vcpus[0]"), keys, sizeof(keys));
	assert_string_equal(keys,
			    "index,apic_id,socket,core,thread,node,pinning");
	jkeys(jget(j, "pcie.root_complexes[0]"), keys, sizeof(keys));
	assert_string_equal(keys, "name,segment,buses,buses_used,ecam,mmio32,"
				  "mmio64,io,node,intx_gsi");
	jkeys(jget(j, "pcie.functions[0]"), keys, sizeof(keys));
	assert_string_equal(keys, "bdf,root_complex,segment,bus,device,"
				  "function,kind,name,vendor,device_id,class,"
				  "parent");
	jkeys(jget(j, "pcie.functions[1]"), keys, sizeof(keys));
	assert_string_equal(keys, "bdf,root_complex,segment,bus,device,"
				  "function,kind,name,vendor,device_id,class,"
				  "parent,secondary,subordinate,windows,"
				  "hotplug");
	jkeys(jget(j, "pcie.functions[2]"), keys, sizeof(keys));
	assert_string_equal(keys, "bdf,root_complex,segment,bus,device,"
				  "function,kind,name,vendor,device_id,class,"
				  "parent,bars,int_pin,gsi,msix_vectors");
	jkeys(jget(j, "devices[0]"), keys, sizeof(keys));
	assert_string_equal(keys,
			    "name,type,transport,io_port,mmio,pci,gsi,console");
	jkeys(jget(j, "irqs[0]"), keys, sizeof(keys));
	assert_string_equal(keys, "gsi,trigger,polarity,owner,what");
	json_object_put(j);
}

static void test_json_values(void **state)
{
	struct vm_layout l;
	struct json_object *j;

	make_layout(&l);
	j = plan_to_json(&l, NULL);
	assert_non_null(j);

	assert_int_equal(jint(j, "version"), 1);
	assert_string_equal(jstr(j, "name"), "web1");
	assert_string_equal(jstr(j, "uuid"),
			    "6f1d8e42-0abc-4def-8001-020304050607");
	assert_string_equal(jstr(j, "arch"), "x86_64");

	assert_string_equal(jstr(j, "memory.total"), "0xc0000000");
	assert_string_equal(jstr(j, "memory.regions[0].start"), "0x0");
	assert_string_equal(jstr(j, "memory.regions[0].size"), "0xa0000");
	assert_string_equal(jstr(j, "memory.regions[0].kind"),
			    layout_region_kind_name(LR_RAM));
	assert_int_equal(jint(j, "memory.regions[0].node"), 0);
	assert_json_null(j, "memory.regions[0].owner");
	assert_json_null(j, "memory.regions[1].node");
	assert_string_equal(jstr(j, "memory.regions[1].owner"), "rc0");
	assert_string_equal(jstr(j, "memory.regions[2].start"), "0xfec00000");
	assert_int_equal(jlen(j, "memory.slots"), 1);

	assert_int_equal(jlen(j, "numa.nodes"), 2);
	assert_string_equal(jstr(j, "numa.nodes[0].memory"), "0x80000000");
	assert_int_equal(jlen(j, "numa.nodes[0].cpus"), 2);
	assert_int_equal(jint(j, "numa.nodes[0].cpus[1]"), 2);
	assert_int_equal(jint(j, "numa.nodes[1].cpus[0]"), 1);
	assert_json_null(j, "numa.nodes[0].host_node");
	assert_int_equal(jint(j, "numa.nodes[1].host_node"), 1);
	assert_int_equal(jint(j, "numa.distances[0][1]"), 21);
	assert_int_equal(jint(j, "numa.distances[1][1]"), 10);

	assert_int_equal(jint(j, "cpu.count"), 3);
	assert_int_equal(jint(j, "cpu.cores"), 3);
	assert_string_equal(jstr(j, "cpu.x2apic.mode"),
			    cfg_x2apic_name(X2APIC_AUTO));
	assert_false(jbool(j, "cpu.x2apic.needed"));
	assert_int_equal(jint(j, "cpu.x2apic.max_apic_id"), 2);
	assert_int_equal(jint(j, "cpu.vcpus[1].apic_id"), 1);
	assert_int_equal(jint(j, "cpu.vcpus[1].core"), 1);
	assert_json_null(j, "cpu.vcpus[0].pinning");
	assert_int_equal(jlen(j, "cpu.vcpus[1].pinning"), 2);
	assert_int_equal(jint(j, "cpu.vcpus[1].pinning[0]"), 1);
	assert_int_equal(jint(j, "cpu.vcpus[1].pinning[1]"), 2);

	assert_string_equal(jstr(j, "interrupt_controller.type"), "apic");
	assert_string_equal(jstr(j, "interrupt_controller.lapic"),
			    "0xfee00000");
	assert_string_equal(jstr(j, "interrupt_controller.ioapic.base"),
			    "0xfec00000");
	assert_int_equal(jint(j, "interrupt_controller.ioapic.pins"), 24);

	assert_int_equal(jint(j, "pcie.root_complexes[0].buses[1]"), 255);
	assert_string_equal(jstr(j, "pcie.root_complexes[0].ecam.base"),
			    "0xe0000000");
	assert_string_equal(jstr(j, "pcie.root_complexes[0].mmio64.base"),
			    "0x8000000000");
	assert_string_equal(jstr(j, "pcie.root_complexes[0].io.size"),
			    "0xf000");
	assert_json_null(j, "pcie.root_complexes[0].io.cpu_base");
	assert_int_equal(jint(j, "pcie.root_complexes[0].intx_gsi[3]"), 19);

	assert_string_equal(jstr(j, "pcie.functions[0].bdf"), "0000:00:00.0");
	assert_json_null(j, "pcie.functions[0].parent");
	assert_string_equal(jstr(j, "pcie.functions[0].kind"),
			    pci_fn_kind_name(PCI_HOST_BRIDGE));
	assert_string_equal(jstr(j, "pcie.functions[0].vendor"), "0x1b36");
	assert_string_equal(jstr(j, "pcie.functions[0].device_id"), "0x0008");
	assert_string_equal(jstr(j, "pcie.functions[0].class"), "0x060000");
	assert_string_equal(jstr(j, "pcie.functions[1].bdf"), "0000:00:01.0");
	assert_int_equal(jint(j, "pcie.functions[1].device"), 1);
	assert_string_equal(jstr(j, "pcie.functions[1].parent"),
			    "0000:00:00.0");
	assert_int_equal(jint(j, "pcie.functions[1].secondary"), 1);
	assert_json_null(j, "pcie.functions[1].windows.io");
	assert_string_equal(jstr(j, "pcie.functions[1].windows.mem.size"),
			    "0x200000");
	assert_true(jbool(j, "pcie.functions[1].hotplug"));
	assert_string_equal(jstr(j, "pcie.functions[2].bdf"), "0000:01:00.0");
	assert_string_equal(jstr(j, "pcie.functions[2].parent"),
			    "0000:00:01.0");
	assert_string_equal(jstr(j, "pcie.functions[2].class"), "0x00ff00");
	assert_int_equal(jint(j, "pcie.functions[2].bars[1].index"), 4);
	assert_string_equal(jstr(j, "pcie.functions[2].bars[0].type"), "mem32");
	assert_string_equal(jstr(j, "pcie.functions[2].bars[1].type"), "mem64");
	assert_true(jbool(j, "pcie.functions[2].bars[1].prefetch"));
	assert_string_equal(jstr(j, "pcie.functions[2].bars[1].base"),
			    "0x8000000000");
	assert_string_equal(jstr(j, "pcie.functions[2].bars[1].size"),
			    "0x4000");
	assert_string_equal(jstr(j, "pcie.functions[2].int_pin"), "INTA");
	assert_int_equal(jint(j, "pcie.functions[2].gsi"), 16);
	assert_int_equal(jint(j, "pcie.functions[2].msix_vectors"), 2);

	/* Without a config, device names come from the PCI function. */
	assert_json_null(j, "devices[0].name");
	assert_json_null(j, "devices[0].transport");
	assert_int_equal(jint(j, "devices[0].io_port"), 0x3f8);
	assert_json_null(j, "devices[0].mmio");
	assert_json_null(j, "devices[0].pci");
	assert_int_equal(jint(j, "devices[0].gsi"), 4);
	assert_true(jbool(j, "devices[0].console"));
	assert_string_equal(jstr(j, "devices[1].name"), "rng0");
	assert_string_equal(jstr(j, "devices[1].type"),
			    cfg_dev_type_name(DEV_VIRTIO_RNG));
	assert_string_equal(jstr(j, "devices[1].transport"), "pci");
	assert_string_equal(jstr(j, "devices[1].pci"), "0000:01:00.0");

	assert_string_equal(jstr(j, "irqs[1].trigger"), "level");
	assert_string_equal(jstr(j, "irqs[1].polarity"), "low");
	assert_string_equal(jstr(j, "irqs[0].owner"), "com1");
	assert_string_equal(jstr(j, "firmware.base"), "0xe0000");
	assert_string_equal(jstr(j, "firmware.size"), "0x20000");
	json_object_put(j);
}

static void test_json_config_names(void **state)
{
	struct cfg_device cdev[2] = { { .name = "com1" }, { .name = "rng0" } };
	struct vm_config cfg = { .n_devices = 2, .devices = cdev };
	struct vm_layout l;
	struct json_object *j;

	make_layout(&l);
	j = plan_to_json(&l, &cfg);
	assert_non_null(j);
	assert_string_equal(jstr(j, "devices[0].name"), "com1");
	assert_string_equal(jstr(j, "devices[1].name"), "rng0");
	json_object_put(j);
}

/* Values beyond 2^53 and at the top of the address space stay exact. */
static void test_json_large_values(void **state)
{
	struct layout_region big[] = {
		{ .gpa = UINT64_C(0xfffffffffffff000),
		  .size = 0x1000,
		  .kind = LR_MMIO,
		  .node = -1 },
	};
	struct vm_layout l;
	struct json_object *j;

	make_layout(&l);
	l.regions = big;
	l.n_regions = 1;
	l.ram_bytes = (UINT64_C(1) << 53) + 1;
	j = plan_to_json(&l, NULL);
	assert_non_null(j);
	assert_string_equal(jstr(j, "memory.regions[0].start"),
			    "0xfffffffffffff000");
	assert_string_equal(jstr(j, "memory.total"), "0x20000000000001");
	json_object_put(j);
}

static void test_json_arm64(void **state)
{
	struct layout_vcpu av[] = {
		{ .index = 0, .mpidr = 0 },
		{ .index = 1, .mpidr = UINT64_C(0x100000101) },
	};
	struct vm_layout l;
	struct json_object *j;
	char keys[256];

	make_layout(&l);
	l.arch = ARCH_AARCH64;
	l.vcpus = av;
	l.n_vcpus = ARRAY_SIZE(av);
	l.gic_version = 3;
	l.gic_dist = 0x08000000;
	l.gic_redist = 0x080a0000;
	l.gic_redist_size = 0x40000;
	l.gic_its = 0x08080000;
	l.gic_nr_irqs = 256;
	l.rcs[0].io_cpu_base = 0x3eff0000;
	j = plan_to_json(&l, NULL);
	assert_non_null(j);
	assert_string_equal(jstr(j, "arch"), "aarch64");
	jkeys(jget(j, "cpu"), keys, sizeof(keys));
	assert_string_equal(keys, "count,sockets,cores,threads,vcpus");
	jkeys(jget(j, "cpu.vcpus[1]"), keys, sizeof(keys));
	assert_string_equal(keys,
			    "index,mpidr,socket,core,thread,node,pinning");
	assert_string_equal(jstr(j, "cpu.vcpus[0].mpidr"), "0x0");
	assert_string_equal(jstr(j, "cpu.vcpus[1].mpidr"), "0x100000101");
	jkeys(jget(j, "interrupt_controller"), keys, sizeof(keys));
	assert_string_equal(keys, "type,version,distributor,redistributors,"
				  "cpu_interface,its,v2m,v2m_spis,nr_irqs");
	assert_string_equal(jstr(j, "interrupt_controller.type"), "gic");
	assert_int_equal(jint(j, "interrupt_controller.version"), 3);
	assert_string_equal(jstr(j, "interrupt_controller.redistributors.size"),
			    "0x40000");
	assert_json_null(j, "interrupt_controller.cpu_interface");
	assert_string_equal(jstr(j, "interrupt_controller.its"), "0x8080000");
	assert_json_null(j, "interrupt_controller.v2m");
	assert_string_equal(jstr(j, "pcie.root_complexes[0].io.cpu_base"),
			    "0x3eff0000");
	json_object_put(j);
	l.rcs[0].io_cpu_base = 0;
}

/* The serialised form is byte-identical from run to run. */
static void test_json_stable(void **state)
{
	struct vm_layout l;
	struct json_object *a, *b;
	char *sa;

	make_layout(&l);
	a = plan_to_json(&l, NULL);
	b = plan_to_json(&l, NULL);
	assert_non_null(a);
	assert_non_null(b);
	sa = strdup(json_object_to_json_string_ext(a, PLAN_JSON_FLAGS));
	assert_non_null(sa);
	assert_string_equal(sa,
			    json_object_to_json_string_ext(b, PLAN_JSON_FLAGS));
	assert_non_null(strstr(sa, "\n  \"version\": 1,\n"));
	free(sa);
	json_object_put(a);
	json_object_put(b);
}

/* Every address-like value in a document is a "0x" hex string. */
static void check_hex_strings(struct json_object *o, const char *where)
{
	static const char *const hex_keys[] = {
		"start", "size",  "base",	 "total",   "memory",
		"mpidr", "lapic", "distributor", "cpu_base"
	};
	size_t i;

	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			check_hex_strings(json_object_array_get_idx(o, i),
					  where);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, key, val)
	{
		for (i = 0; i < ARRAY_SIZE(hex_keys); i++) {
			const char *s;
			char *end;

			/* "memory" is also the name of a section. */
			if (strcmp(key, hex_keys[i]) || !val ||
			    json_object_is_type(val, json_type_object))
				continue;
			if (!json_object_is_type(val, json_type_string))
				fail_msg("%s: %s is not a string", where, key);
			s = json_object_get_string(val);
			if (strncmp(s, "0x", 2))
				fail_msg("%s: %s = %s", where, key, s);
			errno = 0;
			strtoull(s + 2, &end, 16);
			if (errno || *end || end == s + 2 ||
			    (s[2] == '0' && s[3]))
				fail_msg("%s: %s = %s", where, key, s);
		}
		check_hex_strings(val, key);
	}
}

static const char x86_yaml[] =
	"name: plan-test\n"
	"uuid: 6f1d8e42-0abc-4def-8001-020304050607\n"
	"arch: x86_64\n"
	"cpu:\n"
	"  count: 4\n"
	"  topology: { sockets: 2, cores: 2, threads: 1 }\n"
	"  pinning: [\"0\", \"1\", \"0-1\", \"1\"]\n"
	"memory:\n"
	"  size: 2G\n"
	"numa:\n"
	"  nodes:\n"
	"    - { id: 0, cpus: [0, 1], memory: 1G, host_node: 0 }\n"
	"    - { id: 1, cpus: [2, 3], memory: 1G }\n"
	"pcie:\n"
	"  root_complexes:\n"
	"    - name: rc0\n"
	"      ports:\n"
	"        - { name: rp0, hotplug: true }\n"
	"devices:\n"
	"  - { type: serial, name: com1 }\n"
	"  - { type: virtio-rng, name: rng0, port: rp0 }\n"
	"  - { type: virtio-console, name: con1, transport: mmio }\n"
	"boot:\n"
	"  kernel: /boot/vmlinuz\n";

static const char arm_yaml[] = "name: plan-arm\n"
			       "uuid: 00000000-0000-4000-8000-000000000001\n"
			       "arch: aarch64\n"
			       "cpu: { count: 2 }\n"
			       "memory: { size: 1G }\n"
			       "devices:\n"
			       "  - { type: serial, name: uart0 }\n"
			       "  - { type: virtio-rng, name: rng0 }\n"
			       "boot:\n"
			       "  kernel: /boot/vmlinuz\n";

/* load + validate + resolve from memory; fails the test with diagnostics. */
static struct json_object *resolve_json(const char *name, const char *yaml,
					struct vm_config **cfgp,
					struct vm_layout **layp)
{
	struct diag_list dl = { 0 };
	struct json_object *j;
	int err;

	err = cfg_load_buffer(name, yaml, strlen(yaml), cfgp, &dl);
	if (!err)
		err = cfg_validate(*cfgp, &dl);
	if (!err)
		err = layout_resolve(*cfgp, layp, &dl);
	if (err) {
		diag_print(&dl, stderr);
		fail_msg("%s: stages failed: %d", name, err);
	}
	diag_list_free(&dl);
	j = plan_to_json(*layp, *cfgp);
	assert_non_null(j);
	return j;
}

static void test_json_resolved_x86(void **state)
{
	struct vm_config *cfg = NULL;
	struct vm_layout *lay = NULL;
	struct json_object *j, *f_arr;
	const char *rng_bdf = NULL;
	size_t i, n;

	j = resolve_json("x86.yaml", x86_yaml, &cfg, &lay);
	check_hex_strings(j, "x86");
	assert_int_equal(jint(j, "version"), 1);
	assert_string_equal(jstr(j, "name"), "plan-test");
	assert_string_equal(jstr(j, "uuid"),
			    "6f1d8e42-0abc-4def-8001-020304050607");
	assert_string_equal(jstr(j, "arch"), "x86_64");
	assert_string_equal(jstr(j, "memory.total"), "0x80000000");
	assert_int_equal(jint(j, "cpu.count"), 4);
	assert_int_equal(jint(j, "cpu.sockets"), 2);
	assert_int_equal(jint(j, "cpu.cores"), 2);
	assert_int_equal(jlen(j, "cpu.vcpus"), 4);
	assert_int_equal(jint(j, "cpu.vcpus[2].socket"), 1);
	assert_int_equal(jint(j, "cpu.vcpus[2].node"), 1);
	assert_int_equal(jlen(j, "cpu.vcpus[2].pinning"), 2);
	assert_int_equal(jint(j, "cpu.vcpus[3].pinning[0]"), 1);
	assert_int_equal(jlen(j, "numa.nodes"), 2);
	assert_string_equal(jstr(j, "numa.nodes[1].memory"), "0x40000000");
	assert_int_equal(jint(j, "numa.nodes[1].cpus[0]"), 2);
	assert_int_equal(jint(j, "numa.nodes[1].cpus[1]"), 3);
	assert_int_equal(jint(j, "numa.nodes[0].host_node"), 0);
	assert_json_null(j, "numa.nodes[1].host_node");
	assert_int_equal(jint(j, "numa.distances[0][0]"), 10);
	assert_int_equal(jint(j, "numa.distances[0][1]"), 20);
	assert_string_equal(jstr(j, "interrupt_controller.lapic"),
			    "0xfee00000");
	assert_int_equal(jlen(j, "pcie.root_complexes"), 1);
	assert_string_equal(jstr(j, "pcie.root_complexes[0].name"), "rc0");

	/* The device's "pci" is the BDF of its function, below rp0. */
	f_arr = jget(j, "pcie.functions");
	n = json_object_array_length(f_arr);
	for (i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(f_arr, i);

		if (!strcmp(jstr(f, "name"), "rng0")) {
			rng_bdf = jstr(f, "bdf");
			assert_string_equal(jstr(f, "vendor"), "0x1af4");
			assert_string_equal(jstr(f, "kind"),
					    pci_fn_kind_name(PCI_ENDPOINT));
			assert_non_null(jget(f, "parent"));
		}
	}
	assert_non_null(rng_bdf);
	assert_int_equal(strlen(rng_bdf), 12);
	assert_int_equal(jlen(j, "devices"), 3);
	assert_string_equal(jstr(j, "devices[0].name"), "com1");
	assert_int_equal(jint(j, "devices[0].io_port"), 0x3f8);
	assert_true(jbool(j, "devices[0].console"));
	assert_string_equal(jstr(j, "devices[1].name"), "rng0");
	assert_string_equal(jstr(j, "devices[1].pci"), rng_bdf);
	assert_string_equal(jstr(j, "devices[2].transport"), "mmio");
	assert_non_null(jget(j, "devices[2].mmio"));
	assert_json_null(j, "devices[2].pci");
	assert_true(jlen(j, "irqs") > 0);

	json_object_put(j);
	layout_free(lay);
	cfg_free(cfg);
}

static void test_json_resolved_arm64(void **state)
{
	struct vm_config *cfg = NULL;
	struct vm_layout *lay = NULL;
	struct json_object *j;

	j = resolve_json("arm.yaml", arm_yaml, &cfg, &lay);
	check_hex_strings(j, "arm64");
	assert_string_equal(jstr(j, "arch"), "aarch64");
	assert_string_equal(jstr(j, "interrupt_controller.type"), "gic");
	assert_string_equal(jstr(j, "cpu.vcpus[0].mpidr"), "0x0");
	assert_string_equal(jstr(j, "memory.total"), "0x40000000");
	assert_string_equal(jstr(j, "devices[0].name"), "uart0");
	assert_non_null(jget(j, "devices[0].mmio"));
	json_object_put(j);
	layout_free(lay);
	cfg_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_hex),
		cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_fmt_bdf),
		cmocka_unit_test(test_fmt_list),
		cmocka_unit_test(test_json_keys),
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json_config_names),
		cmocka_unit_test(test_json_large_values),
		cmocka_unit_test(test_json_arm64),
		cmocka_unit_test(test_json_stable),
		cmocka_unit_test(test_json_resolved_x86),
		cmocka_unit_test(test_json_resolved_arm64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
