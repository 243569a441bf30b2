/* Unit tests of the config loader (stage 1): values, defaults, errors. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vmmd/config.h"
#include "config/fields.h"
#include "config/ynode.h"

#define FILE_NAME "/etc/vmmd/t.yaml"

/* Loads @yaml, expects success and no diagnostics. */
static struct vm_config *load_ok(const char *yaml)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	int rc = cfg_load_buffer(FILE_NAME, yaml, strlen(yaml), &cfg, &dl);

	if (rc || dl.n) {
		diag_print(&dl, stderr);
		fail_msg("load failed: %d", rc);
	}
	diag_list_free(&dl);
	assert_non_null(cfg);
	return cfg;
}

/* Loads @len bytes, expects failure; returns the printed diagnostics. */
static char *load_err_n(const char *buf, size_t len)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	char *text = NULL;
	size_t size = 0;
	FILE *f;
	int rc = cfg_load_buffer("t.yaml", buf, len, &cfg, &dl);

	assert_int_equal(rc, -EINVAL);
	assert_null(cfg);
	assert_true(dl.n > 0);
	f = open_memstream(&text, &size);
	assert_non_null(f);
	diag_print(&dl, f);
	fclose(f);
	diag_list_free(&dl);
	return text;
}

static char *load_err(const char *yaml)
{
	return load_err_n(yaml, strlen(yaml));
}

/* Expects exactly the diagnostics @expect (lines joined with \n). */
static void expect_errors(const char *yaml, const char *expect)
{
	char *got = load_err(yaml);
	bool same = !strcmp(got, expect);

	/* cmocka truncates long messages: print them ourselves. */
	if (!same)
		fprintf(stderr, "for:\n%s\nexpected:\n%sgot:\n%s", yaml, expect,
			got);
	free(got);
	assert_true(same);
}

/* Loads arbitrary bytes; only checks that nothing crashes or leaks. */
static void load_any(const char *buf, size_t len)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	int rc = cfg_load_buffer("t.yaml", buf, len, &cfg, &dl);

	assert_true(rc == 0 || rc == -EINVAL);
	assert_true(rc != 0 || cfg != NULL);
	cfg_free(cfg);
	diag_list_free(&dl);
}

/* A valid config with @extra appended under the given top-level text. */
#define BASE                     \
	"name: vm1\n"            \
	"cpu: { count: 2 }\n"    \
	"memory: { size: 1G }\n" \
	"boot: { kernel: /boot/vmlinuz }\n"

static const char full_yaml[] =
	"name: web1\n"
	"uuid: 6f1d2c3e-1111-2222-3333-444455556666\n"
	"arch: x86_64\n"
	"owner: alice:staff\n"
	"autostart: true\n"
	"on_reboot: stop\n"
	"on_crash: restart\n"
	"cpu:\n"
	"  count: 4\n"
	"  topology: { sockets: 2, cores: 2, threads: 1 }\n"
	"  pinning: [\"0\", \"1\", \"0-3,5\", 7]\n"
	"  features: { xsave: false, cx16: true }\n"
	"  x86: { x2apic: enabled, apic_id_offset: 0x10 }\n"
	"  aarch64: { mpidr: [0x0, 0x1, 0x100, 0x101] }\n"
	"memory:\n"
	"  ranges:\n"
	"    - { gpa: 0x0,         size: 1G,  type: ram, node: 0 }\n"
	"    - { gpa: 0x40000000,  size: 16M, type: reserved }\n"
	"    - { gpa: 0x100000000, size: 1GiB, node: 1 }\n"
	"  backing: { kind: file, path: mem.img, shared: true, hugepages: 2M,"
	" prefault: true, thp: false }\n"
	"numa:\n"
	"  nodes:\n"
	"    - { id: 0, cpus: [0, 1], memory: 1G, host_node: 0 }\n"
	"    - { cpus: [2, 3], memory: 1G }\n"
	"    - { id: 2, cpus: [], memory: 512M }\n"
	"  distances:\n"
	"    - [10, 21, 31]\n"
	"    - [21, 10, 21]\n"
	"    - [31, 21, 10]\n"
	"interrupts:\n"
	"  x86: { lapic: 0xfee00000, ioapic: { base: 0xfec00000, pins: 48 } }\n"
	"  gic: { version: 2, distributor: 0x08000000, cpu_interface: 0x08010000,"
	" v2m: 0x08020000, nr_irqs: 288 }\n"
	"pcie:\n"
	"  root_complexes:\n"
	"    - name: rc0\n"
	"      buses: [0, 127]\n"
	"      ecam: 0xe0000000\n"
	"      mmio32: { base: 0xc0000000, size: 256M }\n"
	"      mmio64: { size: 64G }\n"
	"      node: 0\n"
	"      ports:\n"
	"        - { name: rp0, devfn: 0x08, hotplug: true }\n"
	"        - { name: rp1 }\n"
	"    - name: rc1\n"
	"  switches:\n"
	"    - { name: sw0, parent_port: rp1, ports: [ { name: sw0p0 } ] }\n"
	"devices:\n"
	"  - { type: serial, name: com1, port: 0x3f8, irq: 4 }\n"
	"  - { type: serial, name: com2, console: true }\n"
	"  - { type: virtio-blk, name: disk0, path: disks/d.img, readonly: true,"
	" serial: abc, queues: 4, queue_size: 128, port: rp0 }\n"
	"  - { type: virtio-net, name: net0, tap: tap0, mac: \"52:54:00:ab:CD:ef\","
	" mtu: 9000, port: sw0p0 }\n"
	"  - { type: virtio-console, name: con1 }\n"
	"  - { type: virtio-rng, name: rng0, transport: mmio }\n"
	"  - { type: shared-memory, name: ivc0, size: 2M, path: /dev/shm/x }\n"
	"boot:\n"
	"  kernel: vmlinuz\n"
	"  initrd: /boot/initrd.img\n"
	"  cmdline: \"console=ttyS0\"\n";

static void test_full(void **state)
{
	struct vm_config *c = load_ok(full_yaml);
	const struct cfg_device *d;

	(void)state;
	assert_string_equal(c->file, FILE_NAME);
	assert_string_equal(c->dir, "/etc/vmmd");
	assert_non_null(c->root);
	assert_string_equal(c->name, "web1");
	assert_true(c->has_uuid);
	assert_int_equal(c->uuid[0], 0x6f);
	assert_int_equal(c->uuid[15], 0x66);
	assert_int_equal(c->arch, ARCH_X86_64);
	assert_string_equal(c->owner_user, "alice");
	assert_string_equal(c->owner_group, "staff");
	assert_true(c->autostart);
	assert_int_equal(c->on_reboot, ACTION_STOP);
	assert_int_equal(c->on_crash, ACTION_RESTART);

	assert_int_equal(c->cpu.count, 4);
	assert_true(c->cpu.has_topology);
	assert_int_equal(c->cpu.sockets, 2);
	assert_int_equal(c->cpu.cores, 2);
	assert_int_equal(c->cpu.threads, 1);
	assert_int_equal(c->cpu.n_pinning, 4);
	assert_true(cpuset_is_set(&c->cpu.pinning[0], 0));
	assert_false(cpuset_is_set(&c->cpu.pinning[0], 1));
	assert_true(cpuset_is_set(&c->cpu.pinning[2], 3));
	assert_false(cpuset_is_set(&c->cpu.pinning[2], 4));
	assert_true(cpuset_is_set(&c->cpu.pinning[2], 5));
	assert_true(cpuset_is_set(&c->cpu.pinning[3], 7));
	assert_int_equal(c->cpu.n_features, 2);
	assert_string_equal(c->cpu.features[0].name, "xsave");
	assert_false(c->cpu.features[0].enabled);
	assert_string_equal(c->cpu.features[1].name, "cx16");
	assert_true(c->cpu.features[1].enabled);
	assert_true(c->cpu.has_x86);
	assert_int_equal(c->cpu.x2apic, X2APIC_ENABLED);
	assert_int_equal(c->cpu.apic_id_offset, 16);
	assert_true(c->cpu.has_aarch64);
	assert_int_equal(c->cpu.n_mpidr, 4);
	assert_int_equal(c->cpu.mpidr[2], 0x100);

	assert_false(c->memory.has_size);
	assert_int_equal(c->memory.n_ranges, 3);
	assert_int_equal(c->memory.ranges[1].gpa, 0x40000000);
	assert_int_equal(c->memory.ranges[1].size, 16 * MiB);
	assert_int_equal(c->memory.ranges[1].type, RANGE_RESERVED);
	assert_int_equal(c->memory.ranges[1].node, -1);
	assert_int_equal(c->memory.ranges[2].gpa, 0x100000000);
	assert_int_equal(c->memory.ranges[2].type, RANGE_RAM);
	assert_int_equal(c->memory.ranges[2].node, 1);
	assert_int_equal(c->memory.backing.kind, BACKING_FILE);
	assert_string_equal(c->memory.backing.path, "/etc/vmmd/mem.img");
	assert_true(c->memory.backing.shared);
	assert_int_equal(c->memory.backing.hugepages, HUGEPAGES_2M);
	assert_true(c->memory.backing.prefault);
	assert_false(c->memory.backing.thp);

	assert_int_equal(c->numa.n_nodes, 3);
	assert_int_equal(c->numa.nodes[0].host_node, 0);
	assert_int_equal(c->numa.nodes[1].id, 1); /* list index */
	assert_int_equal(c->numa.nodes[1].host_node, -1);
	assert_int_equal(c->numa.nodes[1].cpus[1], 3);
	assert_true(c->numa.nodes[2].has_cpus);
	assert_int_equal(c->numa.nodes[2].n_cpus, 0);
	assert_int_equal(c->numa.nodes[2].memory, 512 * MiB);
	assert_int_equal(c->numa.n_rows, 3);
	assert_int_equal(c->numa.rows[0].n, 3);
	assert_int_equal(c->numa.rows[0].v[2], 31);

	assert_true(c->irq.has_x86);
	assert_int_equal(c->irq.ioapic.pins, 48);
	assert_true(c->irq.has_gic);
	assert_int_equal(c->irq.gic.version, 2);
	assert_true(c->irq.gic.has_cpu_interface);
	assert_false(c->irq.gic.has_redistributors);
	assert_int_equal(c->irq.gic.redistributors, 0x080a0000);
	assert_true(c->irq.gic.has_v2m);
	assert_int_equal(c->irq.gic.v2m, 0x08020000);
	assert_int_equal(c->irq.gic.nr_irqs, 288);

	assert_int_equal(c->pcie.n_rcs, 2);
	assert_int_equal(c->pcie.rcs[0].segment, 0);
	assert_int_equal(c->pcie.rcs[0].bus_end, 127);
	assert_true(c->pcie.rcs[0].has_ecam);
	assert_int_equal(c->pcie.rcs[0].ecam, 0xe0000000);
	assert_true(c->pcie.rcs[0].mmio32.has_base);
	assert_int_equal(c->pcie.rcs[0].mmio32.size, 256 * MiB);
	assert_false(c->pcie.rcs[0].mmio64.has_base);
	assert_int_equal(c->pcie.rcs[0].mmio64.size, 64 * GiB);
	assert_int_equal(c->pcie.rcs[0].node, 0);
	assert_int_equal(c->pcie.rcs[0].n_ports, 2);
	assert_true(c->pcie.rcs[0].ports[0].has_devfn);
	assert_int_equal(c->pcie.rcs[0].ports[0].devfn, 8);
	assert_true(c->pcie.rcs[0].ports[0].hotplug);
	assert_false(c->pcie.rcs[0].ports[1].has_devfn);
	assert_false(c->pcie.rcs[0].ports[1].hotplug);
	/* rc1: every default */
	assert_int_equal(c->pcie.rcs[1].segment, 1);
	assert_int_equal(c->pcie.rcs[1].bus_start, 0);
	assert_int_equal(c->pcie.rcs[1].bus_end, 255);
	assert_false(c->pcie.rcs[1].has_ecam);
	assert_int_equal(c->pcie.rcs[1].mmio32.size, 64 * MiB);
	assert_int_equal(c->pcie.rcs[1].mmio64.size, 4 * GiB);
	assert_int_equal(c->pcie.rcs[1].node, -1);
	assert_int_equal(c->pcie.rcs[1].n_ports, 0);
	assert_int_equal(c->pcie.n_switches, 1);
	assert_string_equal(c->pcie.switches[0].parent_port, "rp1");
	assert_string_equal(c->pcie.switches[0].ports[0].name, "sw0p0");

	assert_int_equal(c->n_devices, 7);
	d = &c->devices[0];
	assert_int_equal(d->type, DEV_SERIAL);
	assert_true(d->has_io_port);
	assert_int_equal(d->io_port, 0x3f8);
	assert_true(d->has_irq);
	assert_int_equal(d->irq, 4);
	assert_false(d->console); /* com2 says console explicitly */
	assert_true(c->devices[1].console);
	assert_false(c->devices[1].has_io_port);
	assert_false(c->devices[1].has_address);
	d = &c->devices[2];
	assert_int_equal(d->type, DEV_VIRTIO_BLK);
	assert_string_equal(d->path, "/etc/vmmd/disks/d.img");
	assert_true(d->readonly);
	assert_string_equal(d->serial, "abc");
	assert_int_equal(d->queues, 4);
	assert_int_equal(d->queue_size, 128);
	assert_string_equal(d->port, "rp0");
	assert_int_equal(d->transport, TRANSPORT_PCI);
	d = &c->devices[3];
	assert_string_equal(d->tap, "tap0");
	assert_true(d->has_mac);
	assert_memory_equal(d->mac, "\x52\x54\x00\xab\xcd\xef", 6);
	assert_true(d->has_mtu);
	assert_int_equal(d->mtu, 9000);
	assert_int_equal(d->queues, 1);
	assert_int_equal(d->queue_size, 256);
	assert_int_equal(c->devices[5].transport, TRANSPORT_MMIO);
	d = &c->devices[6];
	assert_int_equal(d->type, DEV_SHARED_MEMORY);
	assert_int_equal(d->size, 2 * MiB);
	assert_string_equal(d->shm_path, "/dev/shm/x");
	assert_null(d->path);

	assert_int_equal(c->boot.kind, BOOT_KERNEL);
	assert_string_equal(c->boot.kernel, "/etc/vmmd/vmlinuz");
	assert_string_equal(c->boot.initrd, "/boot/initrd.img");
	assert_string_equal(c->boot.cmdline, "console=ttyS0");
	cfg_free(c);
}

static void test_defaults(void **state)
{
	static const char yaml[] = "name: a\n"
				   "cpu: { count: 3 }\n"
				   "memory: { size: 0x1000 }\n"
				   "devices:\n"
				   "  - { type: virtio-rng, name: r }\n"
				   "  - { type: serial, name: s0 }\n"
				   "  - { type: serial, name: s1 }\n"
				   "boot: { image: { path: g.bin } }\n";
	struct vm_config *c = load_ok(yaml);
	static const uint8_t zero[16];

	(void)state;
	assert_false(c->has_uuid);
	assert_memory_not_equal(c->uuid, zero, 16);
	assert_int_equal(c->arch, ARCH_X86_64);
	assert_null(c->owner_user);
	assert_null(c->owner_group);
	assert_false(c->autostart);
	assert_int_equal(c->on_reboot, ACTION_RESTART);
	assert_int_equal(c->on_crash, ACTION_STOP);
	assert_false(c->cpu.has_topology);
	assert_int_equal(c->cpu.sockets, 1);
	assert_int_equal(c->cpu.cores, 3);
	assert_int_equal(c->cpu.threads, 1);
	assert_int_equal(c->cpu.n_pinning, 0);
	assert_null(c->cpu.pinning);
	assert_false(c->cpu.has_x86);
	assert_int_equal(c->cpu.x2apic, X2APIC_AUTO);
	assert_int_equal(c->cpu.apic_id_offset, 0);
	assert_int_equal(c->cpu.n_mpidr, 0);
	assert_true(c->memory.has_size);
	assert_int_equal(c->memory.size, 4096);
	assert_int_equal(c->memory.backing.kind, BACKING_ANONYMOUS);
	assert_false(c->memory.backing.shared);
	assert_int_equal(c->memory.backing.hugepages, HUGEPAGES_NONE);
	assert_false(c->memory.backing.prefault);
	assert_true(c->memory.backing.thp);
	assert_null(c->memory.backing.path);
	assert_int_equal(c->numa.n_nodes, 0);
	assert_int_equal(c->numa.n_rows, 0);
	assert_false(c->irq.has_x86);
	assert_int_equal(c->irq.lapic, 0xfee00000);
	assert_int_equal(c->irq.ioapic.base, 0xfec00000);
	assert_int_equal(c->irq.ioapic.pins, 24);
	assert_false(c->irq.has_gic);
	assert_int_equal(c->irq.gic.version, 3);
	assert_int_equal(c->irq.gic.distributor, 0x08000000);
	assert_int_equal(c->irq.gic.redistributors, 0x080a0000);
	assert_int_equal(c->irq.gic.cpu_interface, 0x08010000);
	assert_false(c->irq.gic.has_its);
	assert_int_equal(c->irq.gic.nr_irqs, 256);
	assert_int_equal(c->pcie.n_rcs, 0);
	assert_int_equal(c->n_devices, 3);
	assert_int_equal(c->devices[0].transport, TRANSPORT_PCI);
	assert_false(c->devices[0].console);
	assert_true(c->devices[1].console); /* first serial */
	assert_false(c->devices[2].console);
	assert_int_equal(c->boot.kind, BOOT_IMAGE);
	assert_string_equal(c->boot.image, "/etc/vmmd/g.bin");
	assert_false(c->boot.has_load);
	assert_int_equal(c->boot.load, 0x100000);
	assert_int_equal(c->boot.entry, 0x100000);
	cfg_free(c);
}

static void test_topology_partial(void **state)
{
	struct vm_config *c =
		load_ok("name: a\ncpu: { count: 8, topology: { sockets: 2 } }\n"
			"memory: { size: 1G }\nboot: { firmware: bios.bin }\n");

	(void)state;
	assert_true(c->cpu.has_topology);
	assert_int_equal(c->cpu.sockets, 2);
	assert_int_equal(c->cpu.cores, 4);
	assert_int_equal(c->cpu.threads, 1);
	assert_int_equal(c->boot.kind, BOOT_FIRMWARE);
	cfg_free(c);
}

static void test_sizes_and_numbers(void **state)
{
	static const struct {
		const char *text;
		uint64_t v;
	} ok[] = {
		{ "4096", 4096 },
		{ "0x1000", 0x1000 },
		{ "0X10", 16 },
		{ "2G", 2 * GiB },
		{ "512M", 512 * MiB },
		{ "1K", KiB },
		{ "3T", 3 * TiB },
		{ "1KiB", KiB },
		{ "5MiB", 5 * MiB },
		{ "7GiB", 7 * GiB },
		{ "2TiB", 2 * TiB },
		{ "0x10M", 16 * MiB },
		{ "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "16777215T", 16777215 * TiB },
		{ "0", 0 },
	};
	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "18446744073709551616",
		  "18446744073709551616 is too large (does not fit in 64 bits)" },
		{ "0x10000000000000000",
		  "0x10000000000000000 is too large (does not fit in 64 bits)" },
		{ "16777216T",
		  "16777216T is too large (does not fit in 64 bits)" },
		{ "2g",
		  "expected a size like 4096, 0x1000, 512M or 2G, found '2g'" },
		{ "2 G",
		  "expected a size like 4096, 0x1000, 512M or 2G, found '2 G'" },
		{ "2KB",
		  "expected a size like 4096, 0x1000, 512M or 2G, found '2KB'" },
		{ "-1",
		  "expected a size like 4096, 0x1000, 512M or 2G, found '-1'" },
		{ "0x",
		  "expected a size like 4096, 0x1000, 512M or 2G, found '0x'" },
		{ "G",
		  "expected a size like 4096, 0x1000, 512M or 2G, found 'G'" },
		{ "\"2G\"",
		  "expected a size like 4096, 0x1000, 512M or 2G, found quoted '2G'" },
		{ "",
		  "expected a size like 4096, 0x1000, 512M or 2G, found null" },
		{ "[1]",
		  "expected a size like 4096, 0x1000, 512M or 2G, found a list" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		char yaml[256];
		struct vm_config *c;

		snprintf(yaml, sizeof(yaml),
			 "name: a\ncpu: { count: 1 }\nmemory: { size: %s }\n"
			 "boot: { kernel: k }\n",
			 ok[i].text);
		c = load_ok(yaml);
		assert_int_equal(c->memory.size, ok[i].v);
		cfg_free(c);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char yaml[256], expect[256];

		snprintf(yaml, sizeof(yaml),
			 "name: a\ncpu: { count: 1 }\nmemory:\n  size: %s\n"
			 "boot: { kernel: k }\n",
			 bad[i].text);
		snprintf(expect, sizeof(expect),
			 "t.yaml:4:%d: memory.size: %s\n",
			 bad[i].text[0] ? 9 : 8, bad[i].err);
		expect_errors(yaml, expect);
	}
}

static void test_number_errors(void **state)
{
	(void)state;
	expect_errors(BASE "interrupts: { x86: { ioapic: { pins: 121 } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: 121 is out of "
		      "range (must be 16..120)\n");
	expect_errors(BASE "interrupts: { x86: { ioapic: { pins: 4 } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: 4 is out of "
		      "range (must be 16..120)\n");
	expect_errors(BASE "interrupts: { x86: { ioapic: { pins: 0x0 } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: 0x0 is out of "
		      "range (must be 16..120)\n");
	expect_errors(BASE
		      "interrupts: { x86: { ioapic: { pins: \"12\" } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: expected a "
		      "number, found quoted '12'\n");
	expect_errors(BASE "interrupts: { x86: { ioapic: { pins: 1.5 } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: expected a "
		      "number (decimal or 0x hex), found '1.5'\n");
	expect_errors(BASE "interrupts: { x86: { ioapic: { pins: 0xg } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: expected a "
		      "number (decimal or 0x hex), found '0xg'\n");
	expect_errors(BASE
		      "interrupts: { x86: { lapic: 99999999999999999999 } }\n",
		      "t.yaml:5:29: interrupts.x86.lapic: 99999999999999999999 "
		      "is too large (does not fit in 64 bits)\n");
	expect_errors(BASE
		      "interrupts: { x86: { ioapic: { pins: { a: 1 } } } }\n",
		      "t.yaml:5:38: interrupts.x86.ioapic.pins: expected a "
		      "number, found a mapping\n");
	expect_errors(BASE
		      "devices: [ { type: serial, name: s, port: 0x10000 } ]\n",
		      "t.yaml:5:43: devices[0].port: 0x10000 is out of range "
		      "(must be 0..65535)\n");
	expect_errors(BASE "numa: { nodes: [ { host_node: -1 } ] }\n",
		      "t.yaml:5:31: numa.nodes[0].host_node: expected a number "
		      "(decimal or 0x hex), found '-1'\n");
	expect_errors(BASE "autostart: \"true\"\n",
		      "t.yaml:5:12: autostart: expected true or false, found "
		      "quoted 'true'\n");
	expect_errors(BASE "autostart: True\n",
		      "t.yaml:5:12: autostart: expected true or false, found "
		      "'True'\n");
}

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_errors("name: a\ncpu:\n  count: 4\n  topology: { sockts: 2 }\n"
		      "memory: { size: 1G }\nboot: { kernel: k }\n",
		      "t.yaml:4:15: cpu.topology.sockts: unknown key 'sockts' "
		      "(expected one of: sockets, cores, threads)\n");
	expect_errors(BASE "colour: red\n",
		      "t.yaml:5:1: colour: unknown key 'colour' (expected one "
		      "of: name, uuid, arch, owner, autostart, on_reboot, "
		      "on_crash, cpu, memory, numa, interrupts, pcie, devices, "
		      "boot)\n");
	expect_errors(BASE
		      "devices:\n  - { type: virtio-rng, name: r, tap: t }\n",
		      "t.yaml:6:34: devices[0].tap: unknown key 'tap' for "
		      "virtio-rng (expected one of: type, name, transport, "
		      "port)\n");
	/* A key with control characters is quoted safely. */
	expect_errors(
		BASE "\"a\\nb'\": 1\n",
		"t.yaml:5:1: a\\x0ab\\x27: unknown key 'a\\x0ab\\x27' "
		"(expected one of: name, uuid, arch, owner, autostart, "
		"on_reboot, on_crash, cpu, memory, numa, interrupts, pcie, "
		"devices, boot)\n");
}

static void test_kinds(void **state)
{
	(void)state;
	expect_errors("name: a\ncpu: [1]\nmemory: { size: 1G }\n"
		      "boot: { kernel: k }\n",
		      "t.yaml:2:6: cpu: expected a mapping, found a list\n");
	expect_errors(
		BASE "devices: { a: 1 }\n",
		"t.yaml:5:10: devices: expected a list, found a mapping\n");
	expect_errors(
		BASE "pcie: { root_complexes: x }\n",
		"t.yaml:5:25: pcie.root_complexes: expected a list, found "
		"'x'\n");
	expect_errors("name: [a]\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		      "boot: { kernel: k }\n",
		      "t.yaml:1:7: name: expected a name, found a list\n");
	expect_errors("name:\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		      "boot: { kernel: k }\n",
		      "t.yaml:1:6: name: expected a name, found null\n");
	expect_errors("- a\n- b\n", "t.yaml:1:1: expected a mapping, found a "
				    "list\n");
	expect_errors("", "t.yaml:1:1: expected a mapping, found an empty "
			  "document\n");
	expect_errors("# only a comment\n",
		      "t.yaml:1:1: expected a mapping, found an empty "
		      "document\n");
	expect_errors("hello\n",
		      "t.yaml:1:1: expected a mapping, found 'hello'\n");
}

static void test_enums_and_strings(void **state)
{
	(void)state;
	expect_errors(BASE "arch: arm64\n",
		      "t.yaml:5:7: arch: unknown value 'arm64' (expected one "
		      "of: x86_64, aarch64)\n");
	expect_errors(BASE "on_crash: [stop]\n",
		      "t.yaml:5:11: on_crash: expected one of: restart, stop, "
		      "found a list\n");
	expect_errors(
		BASE "memory2: 1\n",
		"t.yaml:5:1: memory2: unknown key 'memory2' (expected one "
		"of: name, uuid, arch, owner, autostart, on_reboot, "
		"on_crash, cpu, memory, numa, interrupts, pcie, devices, "
		"boot)\n");
	expect_errors("name: Web_1\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		      "boot: { kernel: k }\n",
		      "t.yaml:1:7: name: invalid name 'Web_1' (expected "
		      "[a-z0-9][a-z0-9_.-]{0,63})\n");
	expect_errors(
		"name: a1234567890123456789012345678901234567890123456789"
		"0123456789abcde\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		"boot: { kernel: k }\n",
		"t.yaml:1:7: name: invalid name 'a123456789012345678901234"
		"56789012345678901234567...' (expected "
		"[a-z0-9][a-z0-9_.-]{0,63})\n");
	expect_errors(
		BASE "uuid: 1234\n",
		"t.yaml:5:7: uuid: invalid uuid '1234' (expected the form "
		"01234567-89ab-cdef-0123-456789abcdef)\n");
	expect_errors(BASE "owner: bob:Staff\n",
		      "t.yaml:5:8: owner: invalid owner 'bob:Staff' (expected "
		      "user or user:group, each [a-z_][a-z0-9_-]{0,31})\n");
	expect_errors(
		BASE "owner: \"bob:\"\n",
		"t.yaml:5:8: owner: invalid owner 'bob:' (expected user or "
		"user:group, each [a-z_][a-z0-9_-]{0,31})\n");
	expect_errors(BASE "devices:\n"
			   "  - { type: virtio-net, name: n, tap: t, mac: "
			   "\"03:00:00:00:00:01\" }\n"
			   "  - { type: virtio-net, name: m, tap: t, mac: "
			   "52-54-00-00-00-01 }\n"
			   "  - { type: virtio-blk, name: b, path: \"\" }\n"
			   "  - { type: virtio-blk, name: c, path: x, serial: "
			   "abcdefghijklmnopqrstu }\n",
		      "t.yaml:6:47: devices[0].mac: '03:00:00:00:00:01' is a "
		      "multicast address (expected a unicast mac)\n"
		      "t.yaml:7:47: devices[1].mac: invalid mac address "
		      "'52-54-00-00-00-01' (expected xx:xx:xx:xx:xx:xx)\n"
		      "t.yaml:8:40: devices[2].path: expected a path, found "
		      "quoted ''\n"
		      "t.yaml:9:51: devices[3].serial: too long (21 bytes, at "
		      "most 20)\n");
	expect_errors(BASE "devices: [ { name: x } ]\n",
		      "t.yaml:5:12: devices[0].type: required\n");
}

static void test_required_and_exclusive(void **state)
{
	(void)state;
	expect_errors("name: a\n", "t.yaml:1:1: cpu: required\n"
				   "t.yaml:1:1: memory: required\n"
				   "t.yaml:1:1: boot: required\n");
	expect_errors(
		"name: a\ncpu: { threads: 1 }\nmemory: {}\nboot: {}\n",
		"t.yaml:2:6: cpu.count: required\n"
		"t.yaml:2:8: cpu.threads: unknown key 'threads' (expected "
		"one of: count, topology, pinning, features, x86, "
		"aarch64)\n"
		"t.yaml:3:9: memory: exactly one of size, ranges is "
		"required (found none)\n"
		"t.yaml:4:7: boot: exactly one of kernel, firmware, image "
		"is required (found none)\n");
	expect_errors(
		"name: a\ncpu: { count: 1 }\n"
		"memory: { size: 1G, ranges: [ { gpa: 0, size: 1G } ] }\n"
		"boot:\n  kernel: k\n  firmware: f\n  image: { path: p }\n",
		"t.yaml:3:9: memory: exactly one of size, ranges is "
		"allowed (found size and ranges)\n"
		"t.yaml:5:3: boot: exactly one of kernel, firmware, image "
		"is allowed (found kernel, firmware and image)\n");
	expect_errors("name: a\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		      "boot:\n  firmware: f\n  initrd: i\n  cmdline: c\n",
		      "t.yaml:6:11: boot.initrd: only valid with kernel\n"
		      "t.yaml:7:12: boot.cmdline: only valid with kernel\n");
	expect_errors(
		BASE "memory2: {}\n"
		     "pcie: { switches: [ { ports: [ {} ] } ] }\n",
		"t.yaml:5:1: memory2: unknown key 'memory2' (expected one "
		"of: name, uuid, arch, owner, autostart, on_reboot, "
		"on_crash, cpu, memory, numa, interrupts, pcie, devices, "
		"boot)\n"
		"t.yaml:6:21: pcie.switches[0].name: required\n"
		"t.yaml:6:21: pcie.switches[0].parent_port: required\n"
		"t.yaml:6:32: pcie.switches[0].ports[0].name: required\n");
}

static void test_lists(void **state)
{
	(void)state;
	expect_errors(
		BASE "cpu2: 1\n",
		"t.yaml:5:1: cpu2: unknown key 'cpu2' (expected one of: "
		"name, uuid, arch, owner, autostart, on_reboot, on_crash, "
		"cpu, memory, numa, interrupts, pcie, devices, boot)\n");
	expect_errors("name: a\ncpu:\n  count: 2\n"
		      "  pinning: [\"0-3,5\", \"3-1\", x, 5000, \"1,\", \"\"]\n"
		      "memory: { size: 1G }\nboot: { kernel: k }\n",
		      "t.yaml:4:22: cpu.pinning[1]: invalid range 3-1 in '3-1' "
		      "(first CPU after last)\n"
		      "t.yaml:4:29: cpu.pinning[2]: invalid host CPU list 'x' "
		      "(expected a list like 0-3,5)\n"
		      "t.yaml:4:32: cpu.pinning[3]: host CPU 5000 in '5000' is "
		      "out of range (must be 0..1023)\n"
		      "t.yaml:4:38: cpu.pinning[4]: invalid host CPU list '1,' "
		      "(expected a list like 0-3,5)\n"
		      "t.yaml:4:44: cpu.pinning[5]: invalid host CPU list '' "
		      "(expected a list like 0-3,5)\n");
	expect_errors(BASE "numa:\n  distances: [[10, 5], 3, [256]]\n",
		      "t.yaml:6:20: numa.distances[0][1]: 5 is out of range "
		      "(must be 10..255)\n"
		      "t.yaml:6:24: numa.distances[1]: expected a list of "
		      "distances, found '3'\n"
		      "t.yaml:6:28: numa.distances[2][0]: 256 is out of range "
		      "(must be 10..255)\n");
	expect_errors(
		BASE "pcie:\n  root_complexes:\n"
		     "    - { name: r, buses: [5, 3] }\n"
		     "    - { name: s, buses: [1] }\n"
		     "    - { name: t, buses: [0, 300], ecam: nope }\n",
		"t.yaml:7:25: pcie.root_complexes[0].buses: first bus 5 "
		"is after last bus 3\n"
		"t.yaml:8:25: pcie.root_complexes[1].buses: expected a "
		"list of two bus numbers [first, last], found 1 entries\n"
		"t.yaml:9:29: pcie.root_complexes[2].buses[1]: 300 is out "
		"of range (must be 0..255)\n"
		"t.yaml:9:41: pcie.root_complexes[2].ecam: expected auto "
		"or an address, found 'nope'\n");
	expect_errors("name: a\ncpu: { count: 1 }\n"
		      "memory:\n  ranges: []\nboot: { kernel: k }\n",
		      "t.yaml:4:11: memory.ranges: expected at least 1 entry, "
		      "found 0\n");
	expect_errors(
		"name: a\ncpu: { count: 1, features: { A: true, b: 1 } }\n"
		"memory: { size: 1G }\nboot: { kernel: k }\n",
		"t.yaml:2:30: cpu.features.A: invalid feature name 'A' "
		"(expected [a-z0-9_.-]{1,32})\n"
		"t.yaml:2:42: cpu.features.b: expected true or false, "
		"found '1'\n");
}

static void test_too_many(void **state)
{
	char *yaml, *got;
	size_t i, o = 0, cap = 64 * 1024;

	(void)state;
	yaml = malloc(cap);
	assert_non_null(yaml);
	o += (size_t)snprintf(yaml + o, cap - o, "%snuma:\n  nodes:\n", BASE);
	for (i = 0; i < 65; i++)
		o += (size_t)snprintf(yaml + o, cap - o, "  - {}\n");
	got = load_err(yaml);
	assert_string_equal(got, "t.yaml:7:3: numa.nodes: too many entries "
				 "(65, at most 64)\n");
	free(got);
	free(yaml);
}

static void test_many_errors(void **state)
{
	static const char yaml[] =
		"name: Web1\n"
		"cpu:\n"
		"  count: 0\n"
		"  topology: { sockets: x }\n"
		"memory: { size: 1Q }\n"
		"devices:\n"
		"  - { type: serial, name: s, irq: 2000, bogus: 1 }\n"
		"  - { type: nope, name: n }\n"
		"boot: { kernel: k, image: { path: p } }\n"
		"name2: x\n";

	(void)state;
	expect_errors(
		yaml,
		"t.yaml:1:7: name: invalid name 'Web1' (expected "
		"[a-z0-9][a-z0-9_.-]{0,63})\n"
		"t.yaml:3:10: cpu.count: 0 is out of range (must be "
		"1..1024)\n"
		"t.yaml:4:24: cpu.topology.sockets: expected a number "
		"(decimal or 0x hex), found 'x'\n"
		"t.yaml:5:17: memory.size: expected a size like 4096, "
		"0x1000, 512M or 2G, found '1Q'\n"
		"t.yaml:7:35: devices[0].irq: 2000 is out of range (must "
		"be 0..1019)\n"
		"t.yaml:7:41: devices[0].bogus: unknown key 'bogus' for "
		"serial (expected one of: type, name, port, address, irq, "
		"console)\n"
		"t.yaml:8:13: devices[1].type: unknown value 'nope' "
		"(expected one of: serial, virtio-blk, virtio-net, "
		"virtio-console, virtio-rng, shared-memory)\n"
		"t.yaml:9:7: boot: exactly one of kernel, firmware, image "
		"is allowed (found kernel and image)\n"
		"t.yaml:10:1: name2: unknown key 'name2' (expected one of: "
		"name, uuid, arch, owner, autostart, on_reboot, on_crash, "
		"cpu, memory, numa, interrupts, pcie, devices, boot)\n");
}

static void test_yaml_errors(void **state)
{
	(void)state;
	expect_errors("name: a\nname: b\n",
		      "t.yaml:2:1: duplicate key 'name' (first at 1:1)\n");
	expect_errors("name: &x a\ncpu: *x\n",
		      "t.yaml:2:6: YAML aliases are not supported\n");
	expect_errors(
		"? [a]\n: 1\n",
		"t.yaml:1:3: mapping keys must be scalars, found a list\n");
	expect_errors("name: !foo a\n",
		      "t.yaml:1:7: unsupported tag '!foo' (expected no tag, or "
		      "one of !!str, !!int, !!bool on a scalar, !!map on a "
		      "mapping, !!seq on a list)\n");
	expect_errors("name: !!float 1\n",
		      "t.yaml:1:7: unsupported tag '!!float' (expected no tag, "
		      "or one of !!str, !!int, !!bool on a scalar, !!map on a "
		      "mapping, !!seq on a list)\n");
	expect_errors("name: a\n---\nname: b\n",
		      "t.yaml:2:1: more than one YAML document (expected "
		      "exactly one)\n");
	expect_errors("name: \"a\\0b\"\n",
		      "t.yaml:1:7: NUL byte in a scalar (not allowed)\n");
	expect_errors("cpu:\n\tcount: 1\n",
		      "t.yaml:2:1: syntax error: found character that cannot "
		      "start any token while scanning for the next token (tabs "
		      "are not allowed in indentation)\n");
	expect_errors("a: [1, 2\n",
		      "t.yaml:2:1: syntax error: did not find expected ',' or "
		      "']' while parsing a flow sequence (started at 1:4)\n");
}

static void test_yaml_bytes(void **state)
{
	char *got;

	(void)state;
	got = load_err_n("a: \x01\n", 6);
	assert_string_equal(got, "t.yaml:1:4: invalid input: control "
				 "characters are not allowed (byte 0x01)\n");
	free(got);
	got = load_err_n("a: b\0c\n", 7);
	assert_string_equal(got, "t.yaml:1:5: invalid input: control "
				 "characters are not allowed (byte 0x00)\n");
	free(got);
	got = load_err_n("a: \xff\xfe\n", 6);
	assert_non_null(strstr(got, "invalid input"));
	free(got);
}

static void test_limits(void **state)
{
	size_t n = YNODE_MAX_FILE + 1, i;
	char *buf = malloc(n), *got;

	(void)state;
	assert_non_null(buf);
	memset(buf, ' ', n);
	got = load_err_n(buf, n);
	assert_string_equal(got, "t.yaml: file too large (4194305 bytes, at "
				 "most 4194304)\n");
	free(got);

	/* Nesting */
	memset(buf, '[', 100);
	memset(buf + 100, ']', 100);
	got = load_err_n(buf, 200);
	assert_string_equal(got, "t.yaml:1:33: nesting too deep (more than 32 "
				 "levels)\n");
	free(got);

	/* Node count: a flow list of 300000 numbers. */
	buf[0] = '[';
	for (i = 0; i < 300000; i++)
		memcpy(buf + 1 + i * 2, "1,", 2);
	buf[1 + 300000 * 2 - 1] = ']';
	got = load_err_n(buf, 300000 * 2 + 1);
	assert_string_equal(got, "t.yaml:1:400000: too many YAML nodes (more "
				 "than 200000)\n");
	free(got);
	free(buf);
}

static void test_hostile(void **state)
{
	static const char *const inputs[] = {
		"\t\t\t",
		"}}}}]]]",
		"{a: [b, {c: d}]",
		"- - - - -\n",
		"a: b: c",
		"%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
		"%TAG ! tag:evil.com,2000:\n---\na: !x 1\n",
		"name: a\ncpu: !!map { count: 1 }\nmemory: !!seq [1]\n",
		"\xef\xbb\xbfname: a\n",
		"devices: [ { type: serial, name: s, console: true, console: x } ]",
		"devices: [ 1, [2], { type: [x] }, { type: serial } ]",
		"boot: { image: 1 }\ncpu: { topology: 1, x86: 2, aarch64: 3 }",
		"numa: { nodes: [ { cpus: 1 }, { cpus: [[1]] } ], distances: {} }",
		"pcie: { root_complexes: [ { mmio32: 1, ports: 2 }, 3 ] }",
		"a: |\n  literal\n  block\nb: >\n  folded\n",
		"? a\n? b\n",
		"[a, b]: c\n",
		"{ ? : }",
		"*a",
		"&a [*a]",
		"- &a\n- *a\n",
		"'unterminated",
		"\"\\x00\"",
		"--- |\n  text\n...\n--- x\n",
		"name: a\nname: a\nname: a\nname: a\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(inputs); i++)
		load_any(inputs[i], strlen(inputs[i]));
}

static void test_alias_bomb(void **state)
{
	static const char yaml[] =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
	char *got = load_err(yaml);

	(void)state;
	assert_non_null(strstr(got, "t.yaml:2:8: YAML aliases are not "
				    "supported\n"));
	free(got);
}

static void test_random_bytes(void **state)
{
	unsigned int seed = 12345;
	char buf[512];
	size_t i, j;

	(void)state;
	for (i = 0; i < 2000; i++) {
		size_t len = (size_t)(rand_r(&seed) % sizeof(buf));

		for (j = 0; j < len; j++) {
			/* Mostly YAML punctuation, sometimes anything. */
			static const char alpha[] =
				"ab: -[]{},&*!|>'\"\n\t#?01x";
			int r = rand_r(&seed);

			buf[j] = (r & 7) ?
					 alpha[(r >> 3) % (sizeof(alpha) - 1)] :
					 (char)(r >> 3);
		}
		load_any(buf, len);
	}
}

static void test_huge_key(void **state)
{
	size_t n = 3 * 1024 * 1024, i;
	char *buf = malloc(n + 16), *got;

	(void)state;
	assert_non_null(buf);
	/* libyaml limits simple keys to 1024 characters. */
	buf[0] = '"';
	for (i = 1; i <= 1000; i++)
		buf[i] = 'k';
	memcpy(buf + 1001, "\": 1\n", 5);
	got = load_err_n(buf, 1006);
	/* The key is cut in the message and in the path. */
	assert_true(strlen(got) < 1000);
	assert_non_null(strstr(got, "t.yaml:1:1: kkkk"));
	assert_non_null(strstr(got, "unknown key 'kkkk"));
	assert_non_null(strstr(got, "...'"));
	free(got);

	/* A 3 MiB explicit key and a 3 MiB value. */
	memcpy(buf, "? ", 2);
	memset(buf + 2, 'k', n / 2);
	memcpy(buf + 2 + n / 2, "\n: ", 3);
	memset(buf + 5 + n / 2, 'v', n / 2);
	got = load_err_n(buf, 5 + n);
	assert_true(strlen(got) < 1000);
	assert_non_null(strstr(got, "unknown key 'kkkk"));
	free(got);
	free(buf);
}

static void test_paths(void **state)
{
	struct vm_config *c;

	(void)state;
	c = load_ok("name: a\ncpu: { count: 1 }\nmemory: { size: 1G }\n"
		    "boot: { kernel: ../k }\n");
	assert_string_equal(c->boot.kernel, "/etc/vmmd/../k");
	cfg_free(c);
}

static void test_buffer_dir(void **state)
{
	static const char yaml[] =
		"name: a\ncpu: { count: 1 }\n"
		"memory: { size: 1G }\nboot: { kernel: k }\n";
	struct diag_list dl = { 0 };
	struct vm_config *c = NULL;
	char cwd[4096], expect[4200];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(
		cfg_load_buffer("vm.yaml", yaml, strlen(yaml), &c, &dl), 0);
	assert_string_equal(c->dir, cwd);
	snprintf(expect, sizeof(expect), "%s/k", strcmp(cwd, "/") ? cwd : "");
	assert_string_equal(c->boot.kernel, expect);
	cfg_free(c);
	assert_int_equal(
		cfg_load_buffer("sub/vm.yaml", yaml, strlen(yaml), &c, &dl), 0);
	snprintf(expect, sizeof(expect), "%s/sub", strcmp(cwd, "/") ? cwd : "");
	assert_string_equal(c->dir, expect);
	cfg_free(c);
	assert_int_equal(dl.n, 0);
}

static void test_load_file(void **state)
{
	static const char yaml[] =
		"name: f\ncpu: { count: 1 }\n"
		"memory: { size: 1G }\nboot: { kernel: k }\n";
	char tmpl[] = "/tmp/vmmd-test-XXXXXX";
	char path[64], *text = NULL;
	struct diag_list dl = { 0 };
	struct vm_config *c = NULL;
	size_t size;
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/vm.yaml", tmpl);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	assert_int_equal(cfg_load_file(path, &c, &dl), 0);
	assert_string_equal(c->name, "f");
	assert_string_equal(c->dir, tmpl);
	cfg_free(c);
	unlink(path);

	assert_int_equal(cfg_load_file(path, &c, &dl), -ENOENT);
	assert_null(c);
	assert_int_equal(cfg_load_file(tmpl, &c, &dl), -EISDIR);
	f = open_memstream(&text, &size);
	diag_print(&dl, f);
	fclose(f);
	{
		char expect[256];

		snprintf(expect, sizeof(expect),
			 "%s: cannot read: Is a directory\n"
			 "%s: cannot open: No such file or directory\n",
			 tmpl, path);
		assert_string_equal(text, expect);
	}
	free(text);
	diag_list_free(&dl);
	rmdir(tmpl);
}

static void test_lookup(void **state)
{
	static const char yaml[] = "numa:\n"
				   "  nodes:\n"
				   "    - { id: 0, cpus: [0, 1] }\n"
				   "    - { id: 1, cpus: [2, 3] }\n"
				   "  distances: [[10, 20], [20, 10]]\n"
				   "devices:\n"
				   "  - { type: serial }\n"
				   "  - { type: virtio-blk, port: rp0 }\n"
				   "a: { b.c: dotted }\n";
	struct diag_list dl = { 0 };
	struct ynode *root = NULL;
	const struct ynode *n;
	bool complete;

	(void)state;
	assert_int_equal(ynode_parse("t", yaml, strlen(yaml), &root, &dl), 0);
	n = ynode_lookup(root, "numa.nodes[1].cpus[1]", &complete);
	assert_true(complete);
	assert_int_equal(n->line, 4);
	assert_int_equal(n->col, 26);
	assert_string_equal(n->scalar, "3");
	n = ynode_lookup(root, "numa.distances[1][0]", &complete);
	assert_true(complete);
	assert_int_equal(n->line, 5);
	assert_int_equal(n->col, 26);
	n = ynode_lookup(root, "devices[1].port", &complete);
	assert_true(complete);
	assert_int_equal(n->line, 8);
	assert_int_equal(n->col, 31);
	/* Missing key: the enclosing mapping */
	n = ynode_lookup(root, "devices[0].port", &complete);
	assert_false(complete);
	assert_int_equal(n->line, 7);
	assert_int_equal(n->col, 5);
	/* Index out of range: the list */
	n = ynode_lookup(root, "numa.nodes[7].id", &complete);
	assert_false(complete);
	assert_int_equal(n->kind, YN_SEQ);
	/* Malformed paths never crash */
	n = ynode_lookup(root, "numa.nodes[x", &complete);
	assert_false(complete);
	n = ynode_lookup(root, "numa.nodes[99999999999999999999999]", NULL);
	assert_non_null(n);
	n = ynode_lookup(root, "a.b.c", &complete);
	assert_true(complete);
	assert_string_equal(n->scalar, "dotted");
	n = ynode_lookup(root, "a.b.c.d", &complete);
	assert_false(complete);
	n = ynode_lookup(root, "", &complete);
	assert_true(complete);
	assert_ptr_equal(n, root);
	assert_null(ynode_lookup(NULL, "a", &complete));
	assert_null(ynode_get(root, "nope"));
	assert_null(ynode_get(NULL, "nope"));
	ynode_free(root);
	diag_list_free(&dl);
}

static void test_cfg_error_position(void **state)
{
	struct vm_config *c = load_ok(full_yaml);
	struct diag_list dl = { 0 };

	(void)state;
	cfg_error(&dl, c, "devices[3].mac", "x");
	cfg_error(&dl, c, "numa.distances[1][2]", "y");
	assert_int_equal(dl.n, 2);
	assert_int_equal(dl.v[0].line, 51);
	assert_int_equal(dl.v[0].col, 53);
	assert_int_equal(dl.v[1].line, 28);
	assert_int_equal(dl.v[1].col, 16);
	diag_list_free(&dl);
	cfg_free(c);
}

/* The loader's seen[] array and the schema rely on small tables. */
static void check_table(const struct ftable *t, unsigned int depth)
{
	size_t i;

	assert_true(depth < 8);
	assert_true(t->n_fields <= 64);
	for (i = 0; i < t->n_fields; i++) {
		const struct field *f = &t->fields[i];

		assert_non_null(f->key);
		if (f->kind == FK_MAP || f->kind == FK_LIST)
			check_table(f->sub, depth + 1);
		if (f->kind == FK_ENUM)
			assert_non_null(f->enums);
		if (f->kind == FK_CUSTOM)
			assert_non_null(f->parse);
	}
}

static void test_tables(void **state)
{
	size_t i;

	(void)state;
	check_table(&cfg_root_table, 0);
	for (i = 0; i < DEV_TYPE_COUNT; i++) {
		assert_non_null(cfg_device_tables[i]);
		check_table(cfg_device_tables[i], 0);
		assert_string_equal(cfg_device_tables[i]->what,
				    cfg_dev_type_name(i));
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(cfg_arch_name(ARCH_AARCH64), "aarch64");
	assert_string_equal(cfg_action_name(ACTION_STOP), "stop");
	assert_string_equal(cfg_x2apic_name(X2APIC_UNSUPPORTED), "unsupported");
	assert_string_equal(cfg_range_type_name(RANGE_MMIO), "mmio");
	assert_string_equal(cfg_dev_type_name(DEV_SHARED_MEMORY),
			    "shared-memory");
	assert_string_equal(cfg_transport_name(TRANSPORT_MMIO), "mmio");
	assert_string_equal(cfg_backing_kind_name(BACKING_MEMFD), "memfd");
	assert_string_equal(cfg_hugepages_name(HUGEPAGES_1G), "1G");
	assert_string_equal(cfg_boot_kind_name(BOOT_IMAGE), "image");
	assert_string_equal(cfg_dev_type_name((enum cfg_dev_type)99),
			    "unknown");
}

/* Every shipped example must load. */
static void test_examples(void **state)
{
	static const char *const files[] = {
		"configs/minimal.yaml",
		"configs/numa.yaml",
		"configs/pcie.yaml",
		"configs/arm64-gicv3.yaml",
	};
	const char *src = getenv("VMMD_SRCDIR");
	size_t i;

	(void)state;
	if (!src)
		skip();
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		struct diag_list dl = { 0 };
		struct vm_config *c = NULL;
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", src, files[i]);
		if (access(path, R_OK))
			continue;
		if (cfg_load_file(path, &c, &dl)) {
			diag_print(&dl, stderr);
			fail_msg("%s does not load", path);
		}
		cfg_free(c);
		diag_list_free(&dl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_topology_partial),
		cmocka_unit_test(test_sizes_and_numbers),
		cmocka_unit_test(test_number_errors),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_enums_and_strings),
		cmocka_unit_test(test_required_and_exclusive),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_yaml_bytes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_huge_key),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_buffer_dir),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_cfg_error_position),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
