#!/bin/sh
# Boots Debian's arm64 cloud kernel on qemu-system-aarch64 (TCG, `virt`
# machine) with the device tree `vmctl dtb` writes for arm64-virt.yaml, and
# checks in the kernel's own log that Linux took our NUMA nodes and memory,
# started the 4 vCPUs through PSCI, found the GICv3 (redistributors, ITS)
# and the PCIe host bridge. Ends at the root-mount panic (there is no
# disk): panic=-1 with -no-reboot makes QEMU exit there.
#
# QEMU loads a -dtb as given except for three fixups: it replaces /memory
# nodes with its own (from -m/-numa), rewrites /psci for its PSCI conduit
# and sets /chosen/bootargs. The -numa options below reproduce our memory
# nodes, and step 2 proves that QEMU's /memory nodes equal ours, so the
# memory the kernel reports is the memory our tree describes.
#
# usage: arm64_boot.sh VMCTL [WORKDIR]
# Exit status 77 (skipped) when qemu-system-aarch64 or dtc is missing
# (scripts/install-deps.sh --slow installs them).
set -eu
vmctl=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=${2:-$(mktemp -d)}
mkdir -p "$work"
cfg=$here/arm64-virt.yaml
boot_timeout=${VMMD_BOOT_TIMEOUT:-300}

for tool in qemu-system-aarch64 dtc; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found (run scripts/install-deps.sh --slow)"
		exit 77
	fi
done

fail() {
	echo "arm64_boot: FAIL: $*" >&2
	exit 1
}

# 1. kernel and device tree
kernel=$("$top/scripts/fetch-kernel.sh" arm64) || fail "cannot fetch the kernel"
"$vmctl" dtb "$cfg" -o "$work/vmmd.dtb" || fail "vmctl dtb failed"
dtc -I dtb -O dts -o "$work/vmmd.dts" "$work/vmmd.dtb"

# Must match arm64-virt.yaml: 4 vCPUs in 2 sockets, nodes 0 (vCPUs 0-1)
# and 1 (vCPUs 2-3) with 1 GiB each, a modern virtio-rng at 00:01.0.
set -- -M virt,gic-version=3 -cpu cortex-a57 -smp 4,sockets=2,cores=2 \
	-m 2G \
	-object memory-backend-ram,id=m0,size=1G \
	-object memory-backend-ram,id=m1,size=1G \
	-numa node,nodeid=0,cpus=0-1,memdev=m0 \
	-numa node,nodeid=1,cpus=2-3,memdev=m1 \
	-nographic -no-reboot -nic none \
	-device virtio-rng-pci,addr=01.0,disable-legacy=on \
	-kernel "$kernel" \
	-dtb "$work/vmmd.dtb" \
	-append "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1"

# 2. QEMU's memory nodes must be ours (name, reg, numa-node-id)
mem_nodes() {
	awk '/^\tmemory@/ { m = $1 } m && /reg|numa-node-id/ { print m, $0 }
	     m && /^\t};/ { m = "" }' "$1" | sed 's/[ \t]\+/ /g' | sort
}
timeout 60 qemu-system-aarch64 "$@" -machine dumpdtb="$work/qemu.dtb" \
	>"$work/dumpdtb.log" 2>&1 || fail "qemu dumpdtb: $(cat "$work/dumpdtb.log")"
dtc -I dtb -O dts -o "$work/qemu.dts" "$work/qemu.dtb"
mem_nodes "$work/vmmd.dts" >"$work/vmmd.mem"
mem_nodes "$work/qemu.dts" >"$work/qemu.mem"
[ -s "$work/vmmd.mem" ] || fail "no memory nodes in our device tree"
if ! cmp -s "$work/vmmd.mem" "$work/qemu.mem"; then
	diff "$work/vmmd.mem" "$work/qemu.mem" >&2 || true
	fail "QEMU's -numa memory does not match our /memory nodes"
fi

# 3. boot
start=$(date +%s)
status=0
timeout "$boot_timeout" qemu-system-aarch64 "$@" </dev/null \
	>"$work/boot.log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))
echo "arm64_boot: qemu exited with $status after ${elapsed}s; log: $work/boot.log"
[ "$status" -ne 124 ] || echo "arm64_boot: boot timed out after ${boot_timeout}s" >&2

# 4. what the kernel must have said
bad=0
expect() {
	line=$(grep -F -m 1 -- "$1" "$work/boot.log") || {
		echo "arm64_boot: missing: $1" >&2
		bad=1
		return 0
	}
	echo "  ok: $line"
}
expect_re() {
	line=$(grep -E -m 1 -- "$1" "$work/boot.log") || {
		echo "arm64_boot: missing: /$1/" >&2
		bad=1
		return 0
	}
	echo "  ok: $line"
}
expect "Machine model: vmmd"
expect "OF: NUMA: parsing numa-distance-map-v1"
# one "Initmem setup node N [mem START-END]" per memory node of our tree
awk '/^\tmemory@/ { m = 1; node = "" }
     m && /numa-node-id/ { gsub(/[<>;]/, ""); node = $3 }
     m && /reg =/ { gsub(/[<>;]/, ""); reg = $3 " " $4 " " $5 " " $6 }
     m && /^\t};/ { print node, reg; m = 0 }' "$work/vmmd.dts" >"$work/mem.list"
while read -r node hi lo shi slo; do
	base=$(((hi << 32) | lo))
	size=$(((shi << 32) | slo))
	expect "$(printf 'Initmem setup node %d [mem 0x%016x-0x%016x]' \
		"$node" "$base" $((base + size - 1)))"
done <"$work/mem.list"
[ "$(grep -c 'NUMA: NODE_DATA' "$work/boot.log")" -eq 2 ] ||
	{ echo "arm64_boot: expected 2 NUMA: NODE_DATA lines" >&2; bad=1; }
expect "psci: probing for conduit method from DT."
expect "psci: PSCIv"
expect "GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000"
expect "GICv3: CPU3: found redistributor 3 region 0:0x0000000008100000"
expect "ITS@0x0000000008080000"
expect "PCI/MSI: /interrupt-controller@8000000/msi-controller@8080000 domain created"
expect "smp: Brought up 2 nodes, 4 CPUs"
expect "pci-host-generic 4010000000.pcie: ECAM at [mem 0x4010000000-0x401fffffff] for [bus 00-ff]"
expect "pci-host-generic 4010000000.pcie:       IO 0x003eff0000..0x003effffff -> 0x0000000000"
expect "PCI host bridge to bus 0000:00"
expect "pci 0000:00:00.0: [1b36:0008] type 00 class 0x060000"
# rng0: Linux assigns its BARs inside our windows, where `vmctl plan` has
# them (BAR4 at the start of mmio64, BAR1 at the start of mmio32)
expect "pci 0000:00:01.0: [1af4:1044] type 00 class 0x00ff00"
expect_re "pci 0000:00:01\.0: BAR 4.*mem 0x8000000000-0x8000003fff 64bit pref"
expect_re "pci 0000:00:01\.0: BAR 1.*mem 0x10000000-0x10000fff\]"
expect "Kernel panic - not syncing: VFS: Unable to mount root fs"
if grep -q "Unknown NUMA node" "$work/boot.log"; then
	echo "arm64_boot: the host bridge's numa-node-id was not taken" >&2
	bad=1
fi
[ "$bad" -eq 0 ] || fail "the kernel log lacks lines (see $work/boot.log)"
echo "arm64_boot: PASS (${elapsed}s boot)"
