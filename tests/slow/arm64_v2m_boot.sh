#!/bin/sh
# Boots Debian's arm64 kernel on qemu-system-aarch64 (TCG, virt with a
# GICv2 and its v2m frame) with the device tree `vmctl dtb` writes for
# arm64-v2m.yaml, and checks that Linux found the GICv2, took the v2m SPI
# range from our arm,msi-base-spi / arm,msi-num-spis (overriding QEMU's
# MSI_TYPER) and brought up both CPUs through PSCI.
# usage: arm64_v2m_boot.sh VMCTL
# Exit status 77 (skipped) when qemu-system-aarch64 is missing.
set -eu
vmctl=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
if ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
	echo "SKIP: qemu-system-aarch64 not found (run scripts/install-deps.sh --slow)"
	exit 77
fi
fail() {
	echo "arm64_v2m_boot: FAIL: $*" >&2
	[ ! -f "$work/boot.log" ] || tail -n 30 "$work/boot.log" >&2
	exit 1
}
kernel=$("$top/scripts/fetch-kernel.sh" arm64) || fail "cannot fetch the kernel"
"$vmctl" dtb "$here/arm64-v2m.yaml" -o "$work/v2m.dtb" || fail "vmctl dtb failed"
status=0
timeout "${VMMD_BOOT_TIMEOUT:-300}" qemu-system-aarch64 \
	-M virt,gic-version=2 -cpu cortex-a57 -smp 2 -m 1G \
	-nographic -no-reboot -nic none -kernel "$kernel" -dtb "$work/v2m.dtb" \
	-append "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1" \
	</dev/null >"$work/boot.log" 2>&1 || status=$?
[ "$status" -ne 124 ] || fail "boot timed out"
for want in \
	"Machine model: vmmd" \
	"GICv2m: DT overriding V2M MSI_TYPER (base:192, num:64)" \
	"GICv2m: range[mem 0x08020000-0x08020fff], SPI[192:255]" \
	"smp: Brought up 1 node, 2 CPUs" \
	"Kernel panic - not syncing: VFS: Unable to mount root fs"; do
	line=$(grep -F -m 1 -- "$want" "$work/boot.log") ||
		fail "the kernel log lacks: $want"
	echo "  ok: $line"
done
! grep -q "GICv3" "$work/boot.log" || fail "the kernel found a GICv3"
echo "1 passed, 0 failed"
