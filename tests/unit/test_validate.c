/* Unit tests of cfg_validate(): every cross-field check, exact messages. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmmd/config.h"
#include "vmmd/diag.h"

/*
 * Loads @yaml (which must load: these are semantic errors only), validates
 * it and returns what diag_print() prints, with the validator's result.
 */
static char *validate_text(const char *yaml, int *rc)
{
	struct diag_list dl = { 0 };
	struct vm_config *cfg = NULL;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	err = cfg_load_buffer("test.yaml", yaml, strlen(yaml), &cfg, &dl);
	if (err) {
		diag_print(&dl, stderr);
		fail_msg("the loader rejected the test config (%d)", err);
	}
	*rc = cfg_validate(cfg, &dl);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	diag_print(&dl, f);
	fclose(f);
	diag_list_free(&dl);
	cfg_free(cfg);
	return out;
}

/* @want: the exact lines, or "" for a valid config. */
static void expect(const char *yaml, const char *want)
{
	int rc;
	char *out = validate_text(yaml, &rc);

	bool same = !strcmp(out, want);

	if (!same)
		print_error("got:\n%s---\nexpected:\n%s---\n", out, want);
	free(out);
	assert_true(same);
	assert_int_equal(rc, want[0] ? -EINVAL : 0);
}

/* ---- valid configs: nothing to say ----------------------------------- */

static void test_valid_x86_full(void **state)
{
	(void)state;
	expect("name: web1\n"
	       "cpu:\n"
	       "  count: 4\n"
	       "  topology: { sockets: 2, cores: 2, threads: 1 }\n"
	       "  pinning: [\"0\", \"1\", \"0-1\", \"1\"]\n"
	       "  features: { xsave: false, cx16: false, x2apic: true }\n"
	       "  x86: { x2apic: auto, apic_id_offset: 0 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G, type: ram, node: 0 }\n"
	       "    - { gpa: 0x40000000, size: 16M, type: reserved }\n"
	       "    - { gpa: 0xfe000000, size: 1M, type: mmio }\n"
	       "    - { gpa: 0x100000000, size: 1G, type: ram, node: 1 }\n"
	       "    - { gpa: 0x180000000, size: 512M, node: 2 }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { id: 0, cpus: [0, 1], memory: 1G, host_node: 0 }\n"
	       "    - { id: 1, cpus: [2, 3], memory: 1G }\n"
	       "    - { id: 2, cpus: [], memory: 512M }\n"
	       "  distances:\n"
	       "    - [10, 21, 31]\n"
	       "    - [21, 10, 21]\n"
	       "    - [31, 21, 10]\n"
	       "interrupts:\n"
	       "  x86: { lapic: 0xfee00000, ioapic: { base: 0xfec00000 } }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - name: rc0\n"
	       "      ecam: 0xe0000000\n"
	       "      buses: [0, 63]\n"
	       "      mmio32: { base: 0xc0000000, size: 256M }\n"
	       "      mmio64: { base: 0x1000000000, size: 64G }\n"
	       "      node: 2\n"
	       "      ports:\n"
	       "        - { name: rp0, devfn: 0x08, hotplug: true }\n"
	       "        - { name: rp1 }\n"
	       "    - { name: rc1, segment: 1 }\n"
	       "  switches:\n"
	       "    - name: sw0\n"
	       "      parent_port: rp1\n"
	       "      ports: [ { name: sw0p0, devfn: 0 }, { name: sw0p1 } ]\n"
	       "    - { name: sw1, parent_port: sw0p1, ports: [ { name: x } ] }\n"
	       "devices:\n"
	       "  - { type: serial, name: com1, port: 0x3f8, irq: 4 }\n"
	       "  - { type: serial, name: com2, port: 0x2f8, irq: 3 }\n"
	       "  - { type: virtio-blk, name: disk0, path: d.img, port: rp0 }\n"
	       "  - { type: virtio-net, name: net0, tap: tap0, port: sw0p0,\n"
	       "      mac: \"52:54:00:12:34:56\" }\n"
	       "  - { type: virtio-net, name: net1, tap: tap1, port: x,\n"
	       "      mac: \"52:54:00:12:34:57\", queue_size: 1024 }\n"
	       "  - { type: virtio-console, name: con1 }\n"
	       "  - { type: virtio-rng, name: rng0, transport: mmio }\n"
	       "  - { type: shared-memory, name: ivc0, size: 2M }\n"
	       "boot:\n"
	       "  kernel: /boot/vmlinuz\n"
	       "  cmdline: console=ttyS0\n",
	       "");
}

static void test_valid_arm_full(void **state)
{
	(void)state;
	expect("name: arm1\n"
	       "arch: aarch64\n"
	       "cpu:\n"
	       "  count: 4\n"
	       "  aarch64: { mpidr: [0x0, 0x1, 0x100, 0xff0000000f] }\n"
	       "memory:\n"
	       "  size: 2G\n"
	       "  backing: { kind: memfd, hugepages: 2M }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { cpus: [0, 1], memory: 1G }\n"
	       "    - { cpus: [2, 3], memory: 1G }\n"
	       "interrupts:\n"
	       "  gic: { version: 3, its: 0x08080000, nr_irqs: 992 }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - { name: rc0, ecam: 0x4010000000, buses: [0, 15] }\n"
	       "devices:\n"
	       "  - { type: serial, name: uart0, address: 0x09000000, irq: 959 }\n"
	       "boot:\n"
	       "  image: { path: guest.bin, load: 0x40200000 }\n",
	       "");
}

static void test_valid_gicv2_and_defaults(void **state)
{
	(void)state;
	expect("name: arm2\n"
	       "arch: aarch64\n"
	       "cpu: { count: 8 }\n"
	       "memory: { size: 1M }\n"
	       "interrupts:\n"
	       "  gic: { version: 2, cpu_interface: 0x08010000, v2m: 0x08020000 }\n"
	       "boot: { kernel: /boot/Image }\n",
	       "");
	/* cpus absent on every node: the resolver spreads the vCPUs. */
	expect("name: n\n"
	       "cpu: { count: 3 }\n"
	       "memory: { size: 2G }\n"
	       "numa:\n"
	       "  nodes: [ {}, { cpus: [] }, {} ]\n"
	       "boot: { firmware: /bios.bin }\n",
	       "");
}

/* ---- cpu ------------------------------------------------------------- */

static void test_topology(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 4\n"
	       "  topology: { sockets: 2, cores: 3, threads: 1 }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:13: cpu.topology: sockets*cores*threads is 6, cpu.count is 4\n");
	/* cores left out and 3 sockets do not divide 4: the loader takes 1 */
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 4\n"
	       "  topology: { sockets: 3 }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:13: cpu.topology: sockets*cores*threads is 3, cpu.count is 4\n");
}

static void test_pinning(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 2\n"
	       "  pinning: [\"0-3\"]\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:12: cpu.pinning: pinning has 1 entry, cpu.count is 2 (give one host CPU set per vCPU)\n");
}

static void test_features(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  features:\n"
	       "    avx2: true\n"
	       "    sse4.2: true\n"
	       "    qqqqqqqq: false\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:5: cpu.features.sse4.2: unknown x86 CPU feature 'sse4.2' (did you mean 'sse4_2'?)\n"
	       "test.yaml:7:5: cpu.features.qqqqqqqq: unknown x86 CPU feature 'qqqqqqqq'\n");
}

static void test_apic_ids(void **state)
{
	(void)state;
	/* 255 vCPUs: the largest id is 254, which xAPIC can still address */
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 255\n"
	       "  x86: { x2apic: unsupported }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "");
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 256\n"
	       "  x86: { x2apic: unsupported }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:18: cpu.x86.x2apic: x2apic is unsupported but vCPU 255 gets APIC id 255 (without x2APIC ids must be at most 254)\n");
	/*
	 * 2 sockets of 3 cores: core bits = 2, so vCPU 5 (socket 1, core 2)
	 * gets 1 << 2 | 2 = 6, plus the offset 249 = 255.
	 */
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 6\n"
	       "  topology: { sockets: 2, cores: 3 }\n"
	       "  x86: { x2apic: unsupported, apic_id_offset: 249 }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:18: cpu.x86.x2apic: x2apic is unsupported but vCPU 5 gets APIC id 255 (without x2APIC ids must be at most 254)\n");
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 2\n"
	       "  x86: { apic_id_offset: 0xffffffff }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:26: cpu.x86.apic_id_offset: vCPU 1 gets APIC id 0x100000000, above the largest x2APIC id 0xfffffffe\n");
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  x86: { apic_id_offset: 0xfffffffe, x2apic: enabled }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "");
}

static void test_x2apic_feature(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 300\n"
	       "  features: { x2apic: false }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:23: cpu.features.x2apic: x2apic is turned off but vCPU 299 gets APIC id 299 (without x2APIC ids must be at most 254)\n");
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  features: { x2apic: false }\n"
	       "  x86: { x2apic: enabled }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:23: cpu.features.x2apic: x2apic: false contradicts cpu.x86.x2apic: enabled\n");
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  features: { x2apic: true }\n"
	       "  x86: { x2apic: unsupported }\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:23: cpu.features.x2apic: x2apic: true contradicts cpu.x86.x2apic: unsupported\n");
}

static void test_mpidr(void **state)
{
	(void)state;
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu:\n"
	       "  count: 3\n"
	       "  aarch64:\n"
	       "    mpidr: [0x100, 0x80000001, 0x100, 0x11]\n"
	       "memory: { size: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:12: cpu.aarch64.mpidr: mpidr has 4 entries, cpu.count is 3\n"
	       "test.yaml:6:20: cpu.aarch64.mpidr[1]: MPIDR 0x80000001 sets bits outside the affinity fields (Aff3 in bits 39:32, Aff2..Aff0 in bits 23:0)\n"
	       "test.yaml:6:32: cpu.aarch64.mpidr[2]: MPIDR 0x100 is already the MPIDR of vCPU 0\n"
	       "test.yaml:6:39: cpu.aarch64.mpidr[3]: MPIDR 0x11 has Aff0 17, above 15 (GICv3 SGIs reach Aff0 0..15 only)\n");
	/* GICv2 has no such limit on Aff0 */
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  aarch64: { mpidr: [0x11] }\n"
	       "memory: { size: 1G }\n"
	       "interrupts: { gic: { version: 2 } }\n"
	       "boot: { kernel: /k }\n",
	       "");
}

/* ---- keys of the other architecture ---------------------------------- */

static void test_arch_keys_aarch64(void **state)
{
	(void)state;
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  features: { avx: true }\n"
	       "  x86: { x2apic: auto }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  x86: { lapic: 0xfee00000 }\n"
	       "devices:\n"
	       "  - { type: serial, name: s0, port: 0x3f8 }\n"
	       "boot: { firmware: /bios.bin }\n",
	       "test.yaml:5:13: cpu.features: x86-only key on an aarch64 VM\n"
	       "test.yaml:6:8: cpu.x86: x86-only key on an aarch64 VM\n"
	       "test.yaml:9:8: interrupts.x86: x86-only key on an aarch64 VM\n"
	       "test.yaml:11:37: devices[0].port: x86-only key on an aarch64 VM (an I/O port; a PL011 takes address)\n"
	       "test.yaml:12:19: boot.firmware: x86-only key on an aarch64 VM (legacy BIOS firmware; boot an aarch64 VM with boot.kernel or boot.image)\n");
}

static void test_arch_keys_x86(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu:\n"
	       "  count: 1\n"
	       "  aarch64: { mpidr: [0] }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  gic: { version: 2 }\n"
	       "devices:\n"
	       "  - { type: serial, name: s0, address: 0x9000000 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:12: cpu.aarch64: aarch64-only key on an x86_64 VM\n"
	       "test.yaml:7:8: interrupts.gic: aarch64-only key on an x86_64 VM\n"
	       "test.yaml:9:40: devices[0].address: aarch64-only key on an x86_64 VM (an MMIO address; an x86 serial port takes port)\n");
}

/* ---- memory ---------------------------------------------------------- */

static void test_memory_size(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 512K }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:3:17: memory.size: memory size is 512 KiB, expected at least 1 MiB\n");
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 0x100800 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:3:17: memory.size: memory size 1026 KiB is not a multiple of 4 KiB\n");
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  size: 3M\n"
	       "  backing: { hugepages: 2M }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:4:9: memory.size: memory size 3 MiB is not a multiple of the 2 MiB huge page size\n");
}

static void test_range_fields(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G }\n"
	       "    - { gpa: 0x80000000, size: 0 }\n"
	       "    - { gpa: 0x90000100, size: 0x1100 }\n"
	       "    - { gpa: 0xfffffffffffff000, size: 8K, type: mmio }\n"
	       "    - { gpa: 0xff00000000, size: 8G, type: reserved }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:32: memory.ranges[1].size: size is 0, expected a positive multiple of 4 KiB\n"
	       "test.yaml:7:14: memory.ranges[2].gpa: gpa 0x90000100 is not aligned to 4 KiB\n"
	       "test.yaml:7:32: memory.ranges[2].size: size 0x1100 bytes is not a multiple of 4 KiB\n"
	       "test.yaml:8:7: memory.ranges[3]: gpa 0xfffffffffffff000 + size 0x2000 wraps around the 64-bit address space\n"
	       "test.yaml:9:7: memory.ranges[4]: range 0xff00000000-0x100ffffffff ends beyond the 1 TiB guest physical address limit\n");
	/* 1 GiB pages: reserved ranges are backed too, holes are not */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 2G }\n"
	       "    - { gpa: 0x100000000, size: 2M, type: reserved }\n"
	       "    - { gpa: 0x200000000, size: 4K, type: mmio }\n"
	       "  backing: { kind: memfd, hugepages: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:33: memory.ranges[1].size: size 2 MiB is not a multiple of the 1 GiB huge page size\n");
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1M, type: reserved }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:5: memory.ranges: no range has type ram; at least one is needed\n");
}

static void test_range_overlaps(void **state)
{
	(void)state;
	/* each range is blamed once, naming the one it collides with */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G }\n"
	       "    - { gpa: 0x20000000, size: 1G }\n"
	       "    - { gpa: 0x10000000, size: 16M, type: mmio }\n"
	       "    - { gpa: 0x80000000, size: 16M }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:7: memory.ranges[1]: 0x20000000-0x5fffffff overlaps memory.ranges[0] (0x0-0x3fffffff)\n"
	       "test.yaml:7:7: memory.ranges[2]: 0x10000000-0x10ffffff overlaps memory.ranges[0] (0x0-0x3fffffff)\n");
}

static void test_range_fixed_mmio_x86(void **state)
{
	(void)state;
	/*
	 * The LAPIC moved below the platform window; a hole over the
	 * IOAPIC is an error too, a hole elsewhere in the platform window
	 * is fine; with boot.firmware the flash below 4 GiB is fixed.
	 */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G }\n"
	       "    - { gpa: 0xd0000000, size: 4K }\n"
	       "    - { gpa: 0xfec00000, size: 4K, type: mmio }\n"
	       "    - { gpa: 0xfe000000, size: 4K, type: mmio }\n"
	       "    - { gpa: 0xfe100000, size: 4K, type: reserved }\n"
	       "    - { gpa: 0xffff0000, size: 4K, type: mmio }\n"
	       "interrupts:\n"
	       "  x86: { lapic: 0xd0000000 }\n"
	       "boot: { firmware: /bios.bin }\n",
	       "test.yaml:6:7: memory.ranges[1]: 0xd0000000-0xd0000fff overlaps the LAPIC window (0xd0000000-0xd00fffff)\n"
	       "test.yaml:7:7: memory.ranges[2]: 0xfec00000-0xfec00fff overlaps the IOAPIC window (0xfec00000-0xfec00fff)\n"
	       "test.yaml:9:7: memory.ranges[4]: 0xfe100000-0xfe100fff overlaps the x86 platform window (0xfe000000-0xffffffff)\n"
	       "test.yaml:10:7: memory.ranges[5]: 0xffff0000-0xffff0fff overlaps the BIOS flash (0xfffc0000-0xffffffff)\n");
	/* fixed MMIO must not collide with other fixed MMIO either */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  x86: { ioapic: { base: 0xfee01000 } }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - { name: rc0, ecam: 0xfe000000, buses: [0, 0] }\n"
	       "    - { name: rc1, mmio32: { base: 0xff000000, size: 16M } }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:26: interrupts.x86.ioapic.base: the IOAPIC window (0xfee01000-0xfee01fff) overlaps the LAPIC window (0xfee00000-0xfeefffff)\n"
	       "test.yaml:8:26: pcie.root_complexes[0].ecam: the ECAM window of rc0 (0xfe000000-0xfe0fffff) overlaps the x86 platform window (0xfe000000-0xffffffff)\n"
	       "test.yaml:9:28: pcie.root_complexes[1].mmio32: the mmio32 window of rc1 (0xff000000-0xffffffff) overlaps the x86 platform window (0xfe000000-0xffffffff)\n");
}

static void test_range_fixed_mmio_arm(void **state)
{
	(void)state;
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu: { count: 2 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x40000000, size: 1G }\n"
	       "    - { gpa: 0x08000000, size: 4K, type: reserved }\n"
	       "    - { gpa: 0x080c0000, size: 4K, type: mmio }\n"
	       "    - { gpa: 0x09000000, size: 4K }\n"
	       "interrupts:\n"
	       "  gic: { its: 0x08080000 }\n"
	       "devices:\n"
	       "  - { type: serial, name: s0, address: 0x09000000 }\n"
	       "  - { type: serial, name: s1, address: 0x08090000 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:7: memory.ranges[1]: 0x8000000-0x8000fff overlaps the GIC distributor (0x8000000-0x800ffff)\n"
	       "test.yaml:8:7: memory.ranges[2]: 0x80c0000-0x80c0fff overlaps the GIC redistributors (0x80a0000-0x80dffff)\n"
	       "test.yaml:9:7: memory.ranges[3]: 0x9000000-0x9000fff overlaps serial 's0' (0x9000000-0x9000fff)\n"
	       "test.yaml:14:40: devices[1].address: serial 's1' (0x8090000-0x8090fff) overlaps the GIC ITS (0x8080000-0x809ffff)\n");
}

static void test_backing(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  size: 1G\n"
	       "  backing: { kind: file }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:12: memory.backing.path: required when kind is file\n");
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  size: 1G\n"
	       "  backing: { kind: memfd, path: /m }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:33: memory.backing.path: only used with kind file (kind is memfd)\n");
	/* the huge page size is the file's: 1G is not checked against it */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  size: 3M\n"
	       "  backing: { kind: file, path: /m, hugepages: 1G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:47: memory.backing.hugepages: hugepages 1G cannot be used with kind file (the file's filesystem decides the page size)\n");
}

/* ---- NUMA ------------------------------------------------------------ */

static void test_numa_ids(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { id: 1 }\n"
	       "    - { }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:13: numa.nodes[0].id: node ids must be 0..1 in list order; expected 0, found 1\n");
}

static void test_numa_cpus(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 4 }\n"
	       "memory: { size: 4G }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { cpus: [0, 1, 2] }\n"
	       "    - { cpus: [2, 9, 3] }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:16: numa.nodes[1].cpus[0]: vCPU 2 is already in node 0\n"
	       "test.yaml:7:19: numa.nodes[1].cpus[1]: vCPU 9 does not exist (cpu.count is 4)\n");
	/* one error lists every vCPU left out */
	expect("name: t\n"
	       "cpu: { count: 9 }\n"
	       "memory: { size: 4G }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { cpus: [0, 1, 5] }\n"
	       "    - { cpus: [6, 6] }\n"
	       "    - { }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:5: numa.nodes: vCPUs 2-4, 7-8 are in no NUMA node\n"
	       "test.yaml:7:19: numa.nodes[1].cpus[1]: vCPU 6 is already in node 1\n");
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 4G }\n"
	       "numa:\n"
	       "  nodes: [ { cpus: [] } ]\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:10: numa.nodes: every node has cpus: [], so no node holds the vCPUs (list them, or leave out cpus on the nodes that should hold them)\n");
}

static void test_numa_memory_simple(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory: { size: 4G }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { memory: 3G }\n"
	       "    - { }\n"
	       "    - { cpus: [] }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:7: numa.nodes[1].memory: required when other nodes give memory\n"
	       "test.yaml:8:7: numa.nodes[2].memory: required when other nodes give memory\n");
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory: { size: 4G }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { memory: 3G }\n"
	       "    - { memory: 0x1800 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:5: numa.nodes: node memory adds up to 0xc0001800 bytes, memory.size is 4 GiB\n"
	       "test.yaml:7:17: numa.nodes[1].memory: node memory 6 KiB is not a multiple of 4 KiB\n");
}

static void test_numa_memory_ranges(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G, node: 0 }\n"
	       "    - { gpa: 0x100000000, size: 512M, node: 1 }\n"
	       "    - { gpa: 0x140000000, size: 512M }\n"
	       "    - { gpa: 0x180000000, size: 512M, node: 3 }\n"
	       "    - { gpa: 0x1c0000000, size: 4K, type: reserved }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { memory: 1G }\n"
	       "    - { memory: 1G }\n"
	       "    - { cpus: [] }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:7: memory.ranges[2].node: required for ram ranges when there are 3 NUMA nodes\n"
	       "test.yaml:8:45: memory.ranges[3].node: node 3 does not exist (there are 3 NUMA nodes)\n"
	       "test.yaml:13:17: numa.nodes[1].memory: node 1 has 512 MiB of RAM ranges, numa.nodes[1].memory is 1 GiB\n");
	/* one node: ranges may leave node out, it is node 0 */
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G }\n"
	       "    - { gpa: 0x100000000, size: 1G, node: 0 }\n"
	       "numa:\n"
	       "  nodes: [ { memory: 2G } ]\n"
	       "boot: { kernel: /k }\n",
	       "");
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G, node: 1 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:35: memory.ranges[0].node: node 1 does not exist (there is no numa section, only node 0)\n");
}

static void test_numa_distances(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 3 }\n"
	       "memory: { size: 3G }\n"
	       "numa:\n"
	       "  nodes: [ {}, {}, {} ]\n"
	       "  distances:\n"
	       "    - [10, 20, 20]\n"
	       "    - [20, 10]\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:5: numa.distances: distance matrix has 2 rows, there are 3 nodes\n"
	       "test.yaml:8:7: numa.distances[1]: row has 2 entries, expected 3\n");
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory: { size: 2G }\n"
	       "numa:\n"
	       "  nodes: [ {}, {} ]\n"
	       "  distances:\n"
	       "    - [11, 10]\n"
	       "    - [255, 10]\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:8: numa.distances[0][0]: distance of node 0 to itself is 11, expected 10\n"
	       "test.yaml:7:12: numa.distances[0][1]: distance 10 between nodes 0 and 1 is out of range (11..254)\n"
	       "test.yaml:8:8: numa.distances[1][0]: distance 255 between nodes 1 and 0 is out of range (11..254)\n");
	expect("name: t\n"
	       "cpu: { count: 2 }\n"
	       "memory: { size: 2G }\n"
	       "numa:\n"
	       "  distances: [ [10] ]\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:14: numa.distances: distances given without numa.nodes\n");
}

/* ---- interrupt controllers ------------------------------------------- */

static void test_irq_x86(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  x86:\n"
	       "    lapic: 0xfff00000\n"
	       "    ioapic: { base: 0xfec00010 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:21: interrupts.x86.ioapic.base: IOAPIC base 0xfec00010 is not 4 KiB aligned\n");
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  x86:\n"
	       "    lapic: 0xfff01000\n"
	       "    ioapic: { base: 0xfffff000 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:12: interrupts.x86.lapic: LAPIC base 0xfff01000 leaves no 1 MiB window below 4 GiB (the MADT field is 32-bit)\n");
}

static void test_gic(void **state)
{
	(void)state;
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu: { count: 12 }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  gic:\n"
	       "    version: 2\n"
	       "    redistributors: 0x080a0000\n"
	       "    its: 0x08080000\n"
	       "    cpu_interface: 0x08018000\n"
	       "    nr_irqs: 500\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:14: interrupts.gic.version: GICv2 supports at most 8 vCPUs, cpu.count is 12\n"
	       "test.yaml:8:21: interrupts.gic.redistributors: redistributors are GICv3-only (version is 2)\n"
	       "test.yaml:9:10: interrupts.gic.its: an ITS needs GICv3 (version is 2)\n"
	       "test.yaml:10:20: interrupts.gic.cpu_interface: CPU interface base 0x8018000 is not 64 KiB aligned\n"
	       "test.yaml:11:14: interrupts.gic.nr_irqs: nr_irqs 500 is not a multiple of 32\n");
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu: { count: 2 }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  gic:\n"
	       "    cpu_interface: 0x08010000\n"
	       "    v2m: 0x08020000\n"
	       "    distributor: 0xffffff0000\n"
	       "    redistributors: 0x08000000\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:20: interrupts.gic.cpu_interface: cpu_interface is GICv2-only (version is 3)\n"
	       "test.yaml:8:10: interrupts.gic.v2m: a v2m frame is GICv2-only (version is 3; GICv3 uses an ITS for MSIs)\n");
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu: { count: 2 }\n"
	       "memory: { size: 1G }\n"
	       "interrupts:\n"
	       "  gic: { redistributors: 0xfffffe0000 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:26: interrupts.gic.redistributors: redistributor region at 0xfffffe0000 (256 KiB) ends beyond the 1 TiB guest physical address limit\n");
}

/* ---- names and PCIe -------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	/* the second use in file order is blamed: devices come first here */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "devices:\n"
	       "  - { type: virtio-rng, name: a }\n"
	       "  - { type: virtio-rng, name: b }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - { name: b, ports: [ { name: a }, { name: c } ] }\n"
	       "  switches:\n"
	       "    - { name: c, parent_port: a, ports: [ { name: b } ] }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:9:15: pcie.root_complexes[0].name: name 'b' is already used by devices[1]\n"
	       "test.yaml:9:35: pcie.root_complexes[0].ports[0].name: name 'a' is already used by devices[0]\n"
	       "test.yaml:11:15: pcie.switches[0].name: name 'c' is already used by pcie.root_complexes[0].ports[1]\n"
	       "test.yaml:11:51: pcie.switches[0].ports[0].name: name 'b' is already used by devices[1]\n");
}

static void test_devfn(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - name: rc0\n"
	       "      ports:\n"
	       "        - { name: p0, devfn: 0x00 }\n"
	       "        - { name: p1, devfn: 0x09 }\n"
	       "        - { name: p2 }\n"
	       "        - { name: p3, devfn: 9 }\n"
	       "  switches:\n"
	       "    - name: sw\n"
	       "      parent_port: p2\n"
	       "      ports: [ { name: s0, devfn: 0 }, { name: s1, devfn: 0 } ]\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:8:30: pcie.root_complexes[0].ports[0].devfn: devfn 0x00 (00.0) is the host bridge; give the port another devfn\n"
	       "test.yaml:11:30: pcie.root_complexes[0].ports[3].devfn: devfn 0x09 (01.1) is already used by port 'p1'\n"
	       "test.yaml:15:59: pcie.switches[0].ports[1].devfn: devfn 0x00 (00.0) is already used by port 's0'\n");
}

static void test_port_refs(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - { name: rc0, ports: [ { name: rp0 }, { name: rp1 } ] }\n"
	       "  switches:\n"
	       "    - { name: sw0, parent_port: rp0, ports: [ { name: d0 } ] }\n"
	       "    - { name: sw1, parent_port: rp0, ports: [ { name: d1 } ] }\n"
	       "    - { name: sw2, parent_port: disk, ports: [] }\n"
	       "devices:\n"
	       "  - { type: virtio-blk, name: disk, path: /d, port: d0 }\n"
	       "  - { type: virtio-rng, name: rng0, port: d0 }\n"
	       "  - { type: virtio-rng, name: rng1, port: nope }\n"
	       "  - { type: virtio-rng, name: rng2, port: sw0 }\n"
	       "  - { type: virtio-rng, name: rng3, port: rp1, transport: mmio }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:9:33: pcie.switches[1].parent_port: port 'rp0' is already used by pcie.switches[0] ('sw0'); a port carries one switch or device\n"
	       "test.yaml:10:33: pcie.switches[2].parent_port: 'disk' is a device (devices[0]), not a PCIe port\n"
	       "test.yaml:13:43: devices[1].port: port 'd0' is already used by devices[0] ('disk'); a port carries one switch or device\n"
	       "test.yaml:14:43: devices[2].port: no port named 'nope'\n"
	       "test.yaml:15:43: devices[3].port: 'sw0' is a switch (pcie.switches[0]), not a PCIe port\n"
	       "test.yaml:16:43: devices[4].port: a device with transport mmio sits on no PCIe port; drop port or use transport pci\n");
}

static void test_switch_cycles(void **state)
{
	(void)state;
	/* a cycle of three, a switch hanging below it, a switch below itself */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "pcie:\n"
	       "  switches:\n"
	       "    - { name: a, parent_port: cp, ports: [ { name: ap } ] }\n"
	       "    - { name: b, parent_port: ap, ports: [ { name: bp } ] }\n"
	       "    - { name: c, parent_port: bp, ports: [ { name: cp }, { name: cq } ] }\n"
	       "    - { name: d, parent_port: cq, ports: [ { name: dp } ] }\n"
	       "    - { name: e, parent_port: ep, ports: [ { name: ep } ] }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:8:31: pcie.switches[2].parent_port: switch 'c' is connected below itself (c -> b -> a -> c)\n"
	       "test.yaml:10:31: pcie.switches[4].parent_port: switch 'e' is connected below itself (e -> e)\n");
}

static void test_root_complexes(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - name: rc0\n"
	       "      segment: 1\n"
	       "      ecam: 0x80080000\n"
	       "      mmio32: { base: 0x100000000, size: 0 }\n"
	       "      mmio64: { base: 0x200080000, size: 1G }\n"
	       "      node: 1\n"
	       "    - name: rc1\n"
	       "      buses: [128, 255]\n"
	       "      ecam: 0xfffc000000\n"
	       "      mmio32: { size: 8G }\n"
	       "      mmio64: { base: 0xffc0000000, size: 2G }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:8:13: pcie.root_complexes[0].ecam: ECAM base 0x80080000 is not 1 MiB aligned\n"
	       "test.yaml:9:42: pcie.root_complexes[0].mmio32.size: window size 0 bytes is not a positive multiple of 1 MiB\n"
	       "test.yaml:10:23: pcie.root_complexes[0].mmio64.base: window base 0x200080000 is not 1 MiB aligned\n"
	       "test.yaml:11:13: pcie.root_complexes[0].node: node 1 does not exist (there is no numa section, only node 0)\n"
	       "test.yaml:12:7: pcie.root_complexes[1].segment: segment 1 (the default: the list index) is already used by pcie.root_complexes[0]\n"
	       "test.yaml:14:13: pcie.root_complexes[1].ecam: ECAM window at 0xfffc000000 (1 MiB for each of buses 128-255) ends beyond the 1 TiB guest physical address limit\n"
	       "test.yaml:15:23: pcie.root_complexes[1].mmio32.size: an mmio32 window of 8 GiB does not fit below 4 GiB\n"
	       "test.yaml:16:15: pcie.root_complexes[1].mmio64: mmio64 window at 0xffc0000000 (2 GiB) ends beyond the 1 TiB guest physical address limit\n");
}

/* ---- devices --------------------------------------------------------- */

static void test_serial_x86(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "devices:\n"
	       "  - { type: serial, name: s0, port: 0x3f8, irq: 0 }\n"
	       "  - { type: serial, name: s1, port: 0x3fc, irq: 8 }\n"
	       "  - { type: serial, name: s2, port: 0x3f9, irq: 9 }\n"
	       "  - { type: serial, name: s3, port: 0x5e, irq: 16 }\n"
	       "  - { type: serial, name: s4, port: 0xffc }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:49: devices[0].irq: irq 0 is taken by the timer\n"
	       "test.yaml:6:37: devices[1].port: I/O ports 0x3fc-0x403 overlap those of devices[0] ('s0', 0x3f8-0x3ff)\n"
	       "test.yaml:6:49: devices[1].irq: irq 8 is taken by the RTC\n"
	       "test.yaml:7:37: devices[2].port: I/O ports 0x3f9-0x400 overlap those of devices[0] ('s0', 0x3f8-0x3ff)\n"
	       "test.yaml:7:49: devices[2].irq: irq 9 is taken by the ACPI SCI\n"
	       "test.yaml:8:37: devices[3].port: I/O ports 0x5e-0x65 overlap the i8042 and system control ports (0x60-0x64)\n"
	       "test.yaml:8:48: devices[3].irq: irq 16 is not an ISA IRQ (expected 1..15)\n"
	       "test.yaml:9:5: devices[4]: at most 4 serial devices on x86_64 (COM1-COM4), there are 5\n"
	       "test.yaml:9:37: devices[4].port: I/O ports 0xffc-0x1003 are not below 0x1000 (ports from 0x1000 up are the PCI root complexes' windows)\n");
}

static void test_serial_arm(void **state)
{
	(void)state;
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "devices:\n"
	       "  - { type: serial, name: s0, address: 0x09000800, irq: 224 }\n"
	       "  - { type: serial, name: s1, irq: 223 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:6:40: devices[0].address: PL011 base 0x9000800 is not 4 KiB aligned\n"
	       "test.yaml:6:57: devices[0].irq: SPI 224 is INTID 256, not below interrupts.gic.nr_irqs 256 (SPIs 0..223 exist)\n");
}

static void test_console(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "devices:\n"
	       "  - { type: serial, name: s0, console: true }\n"
	       "  - { type: serial, name: s1 }\n"
	       "  - { type: serial, name: s2, console: true }\n"
	       "  - { type: serial, name: s3, console: true }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:40: devices[2].console: devices[0] ('s0') is already the console; at most one device can be\n"
	       "test.yaml:8:40: devices[3].console: devices[0] ('s0') is already the console; at most one device can be\n");
}

static void test_device_fields(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "devices:\n"
	       "  - { type: virtio-net, name: n0, tap: t0, mac: \"02:00:00:00:00:01\" }\n"
	       "  - { type: virtio-net, name: n1, tap: t1, mac: \"02:00:00:00:00:02\" }\n"
	       "  - { type: virtio-net, name: n2, tap: t2, mac: \"02:00:00:00:00:01\" }\n"
	       "  - { type: shared-memory, name: m0, size: 2K }\n"
	       "  - { type: shared-memory, name: m1, size: 12K }\n"
	       "  - { type: shared-memory, name: m2, size: 4K }\n"
	       "  - { type: virtio-blk, name: b0, path: /b, queue_size: 48 }\n"
	       "  - { type: virtio-console, name: c0, queue_size: 2 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:7:49: devices[2].mac: MAC 02:00:00:00:00:01 is already used by devices[0] ('n0')\n"
	       "test.yaml:8:44: devices[3].size: shared memory size 2 KiB is not a power of two of at least 4 KiB\n"
	       "test.yaml:9:44: devices[4].size: shared memory size 12 KiB is not a power of two of at least 4 KiB\n"
	       "test.yaml:11:57: devices[6].queue_size: queue size 48 is not a power of two\n");
}

/* ---- boot ------------------------------------------------------------ */

static void test_boot_image(void **state)
{
	(void)state;
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x0, size: 1G }\n"
	       "    - { gpa: 0x40000000, size: 1G, type: reserved }\n"
	       "boot:\n"
	       "  image: { path: /i, load: 0x40000000, entry: 0x3fffffff }\n",
	       "test.yaml:8:28: boot.image.load: load address 0x40000000 is not in guest RAM\n");
	/* simple form on x86: RAM below the hole is [0, min(size, 3 GiB)) */
	expect("name: t\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 4G }\n"
	       "boot:\n"
	       "  image: { path: /i, load: 0xbff00000, entry: 0xc0000000 }\n",
	       "test.yaml:5:47: boot.image.entry: entry point 0xc0000000 is not in guest RAM\n");
	/* simple form on aarch64: RAM starts at 1 GiB; the default load */
	expect("name: t\n"
	       "arch: aarch64\n"
	       "cpu: { count: 1 }\n"
	       "memory: { size: 1G }\n"
	       "boot:\n"
	       "  image: { path: /i }\n",
	       "test.yaml:6:10: boot.image.load: load address 0x100000 is not in guest RAM\n");
}

/* ---- everything at once ---------------------------------------------- */

static void test_many_errors(void **state)
{
	(void)state;
	expect("name: many\n"
	       "arch: aarch64\n"
	       "cpu:\n"
	       "  count: 10\n"
	       "  topology: { sockets: 2, cores: 2, threads: 2 }\n"
	       "  x86: { x2apic: enabled }\n"
	       "memory:\n"
	       "  ranges:\n"
	       "    - { gpa: 0x40000000, size: 1G, node: 0 }\n"
	       "    - { gpa: 0x60000000, size: 1G, node: 5 }\n"
	       "numa:\n"
	       "  nodes:\n"
	       "    - { id: 0, cpus: [0, 1, 2, 3, 4], memory: 2G }\n"
	       "    - { id: 0, cpus: [4, 5, 6, 7, 8, 9, 10] }\n"
	       "  distances: [ [10, 10], [20] ]\n"
	       "interrupts:\n"
	       "  gic: { version: 2, its: 0x8080000 }\n"
	       "pcie:\n"
	       "  root_complexes:\n"
	       "    - { name: rc, ports: [ { name: p, devfn: 0 } ] }\n"
	       "  switches:\n"
	       "    - { name: sw, parent_port: q, ports: [ { name: p } ] }\n"
	       "devices:\n"
	       "  - { type: virtio-rng, name: rc, port: p }\n"
	       "  - { type: shared-memory, name: m, size: 0 }\n"
	       "boot: { kernel: /k }\n",
	       "test.yaml:5:13: cpu.topology: sockets*cores*threads is 8, cpu.count is 10\n"
	       "test.yaml:6:8: cpu.x86: x86-only key on an aarch64 VM\n"
	       "test.yaml:10:7: memory.ranges[1]: 0x60000000-0x9fffffff overlaps memory.ranges[0] (0x40000000-0x7fffffff)\n"
	       "test.yaml:10:42: memory.ranges[1].node: node 5 does not exist (there are 2 NUMA nodes)\n"
	       "test.yaml:13:47: numa.nodes[0].memory: node 0 has 1 GiB of RAM ranges, numa.nodes[0].memory is 2 GiB\n"
	       "test.yaml:14:13: numa.nodes[1].id: node ids must be 0..1 in list order; expected 1, found 0\n"
	       "test.yaml:14:23: numa.nodes[1].cpus[0]: vCPU 4 is already in node 0\n"
	       "test.yaml:14:41: numa.nodes[1].cpus[6]: vCPU 10 does not exist (cpu.count is 10)\n"
	       "test.yaml:15:21: numa.distances[0][1]: distance 10 between nodes 0 and 1 is out of range (11..254)\n"
	       "test.yaml:15:26: numa.distances[1]: row has 1 entry, expected 2\n"
	       "test.yaml:17:19: interrupts.gic.version: GICv2 supports at most 8 vCPUs, cpu.count is 10\n"
	       "test.yaml:17:27: interrupts.gic.its: an ITS needs GICv3 (version is 2)\n"
	       "test.yaml:20:46: pcie.root_complexes[0].ports[0].devfn: devfn 0x00 (00.0) is the host bridge; give the port another devfn\n"
	       "test.yaml:22:32: pcie.switches[0].parent_port: no port named 'q'\n"
	       "test.yaml:22:52: pcie.switches[0].ports[0].name: name 'p' is already used by pcie.root_complexes[0].ports[0]\n"
	       "test.yaml:24:31: devices[0].name: name 'rc' is already used by pcie.root_complexes[0]\n"
	       "test.yaml:25:43: devices[1].size: shared memory size 0 bytes is not a power of two of at least 4 KiB\n");
}

/* ---- robustness ------------------------------------------------------ */

/* Extreme values the loader accepts: no crash, no sanitizer report. */
static void test_extremes(void **state)
{
	static const char *const yamls[] = {
		"name: x\n"
		"cpu:\n"
		"  count: 1024\n"
		"  topology: { sockets: 1024, cores: 1024, threads: 1024 }\n"
		"  x86: { apic_id_offset: 0xffffffff }\n"
		"memory:\n"
		"  ranges:\n"
		"    - { gpa: 0xffffffffffffffff, size: 0xffffffffffffffff }\n"
		"    - { gpa: 0xffffffffffffffff, size: 1 }\n"
		"    - { gpa: 0, size: 0xffffffffffffffff, node: 63 }\n"
		"numa:\n"
		"  nodes: [ { memory: 0xffffffffffffffff }, { memory: 1 } ]\n"
		"interrupts:\n"
		"  x86: { lapic: 0xffffffffffffffff, ioapic: { base: 0xfffffffffffff000 } }\n"
		"pcie:\n"
		"  root_complexes:\n"
		"    - name: r\n"
		"      ecam: 0xffffffffffffffff\n"
		"      mmio32: { base: 0xffffffffffffffff, size: 0xffffffffffffffff }\n"
		"      mmio64: { base: 0xffffffffffffffff, size: 0xffffffffffffffff }\n"
		"devices:\n"
		"  - { type: serial, name: s, port: 0xffff, irq: 1019 }\n"
		"  - { type: shared-memory, name: m, size: 0xffffffffffffffff }\n"
		"boot:\n"
		"  image: { path: /i, load: 0xffffffffffffffff }\n",
		"name: y\n"
		"arch: aarch64\n"
		"cpu:\n"
		"  count: 1024\n"
		"  aarch64: { mpidr: [0xffffffffffffffff, 0xffffffffffffffff] }\n"
		"memory: { size: 0xffffffffffffffff }\n"
		"interrupts:\n"
		"  gic: { distributor: 0xffffffffffff0000, redistributors: 0xffffffffffff0000,\n"
		"         its: 0xffffffffffff0000 }\n"
		"devices:\n"
		"  - { type: serial, name: s, address: 0xfffffffffffff000, irq: 1019 }\n"
		"boot:\n"
		"  image: { path: /i, load: 0xffffffffffffffff, entry: 0 }\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yamls) / sizeof(yamls[0]); i++) {
		int rc;
		char *out = validate_text(yamls[i], &rc);

		assert_int_equal(rc, -EINVAL);
		assert_true(strlen(out) > 0);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_x86_full),
		cmocka_unit_test(test_valid_arm_full),
		cmocka_unit_test(test_valid_gicv2_and_defaults),
		cmocka_unit_test(test_topology),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_apic_ids),
		cmocka_unit_test(test_x2apic_feature),
		cmocka_unit_test(test_mpidr),
		cmocka_unit_test(test_arch_keys_aarch64),
		cmocka_unit_test(test_arch_keys_x86),
		cmocka_unit_test(test_memory_size),
		cmocka_unit_test(test_range_fields),
		cmocka_unit_test(test_range_overlaps),
		cmocka_unit_test(test_range_fixed_mmio_x86),
		cmocka_unit_test(test_range_fixed_mmio_arm),
		cmocka_unit_test(test_backing),
		cmocka_unit_test(test_numa_ids),
		cmocka_unit_test(test_numa_cpus),
		cmocka_unit_test(test_numa_memory_simple),
		cmocka_unit_test(test_numa_memory_ranges),
		cmocka_unit_test(test_numa_distances),
		cmocka_unit_test(test_irq_x86),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_devfn),
		cmocka_unit_test(test_port_refs),
		cmocka_unit_test(test_switch_cycles),
		cmocka_unit_test(test_root_complexes),
		cmocka_unit_test(test_serial_x86),
		cmocka_unit_test(test_serial_arm),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_device_fields),
		cmocka_unit_test(test_boot_image),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
