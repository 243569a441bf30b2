#!/bin/sh
# Boots one test guest under QEMU (TCG, q35, PVH entry) and checks its
# serial output and debug-exit status. QEMU stands in for vmmd until
# `vmctl run` exists; it also proves the images against a third-party PVH
# loader and QEMU's own ACPI tables.
#   run_qemu.sh GUEST[-microvm] ELF     GUEST: hello | memmap | acpi | smp
#   run_qemu.sh hello-exit ELF           hello.elf ending with status 5
# The default machine is q35 (ACPI through an RSDT, with SRAT and SLIT for
# two NUMA nodes); -microvm boots QEMU's microvm, whose ACPI tables are
# listed by an XSDT (as vmmd's are) but have no SRAT or SLIT.
# Exit 0 on success, 1 on a failed check, 77 (skip) without QEMU.
set -eu

guest=${1%-microvm}
model=q35
[ "$guest" = "$1" ] || model=microvm,acpi=on
elf=$2
cmdline="vmmd-test $guest"
want_status=0
if [ "$guest" = hello-exit ]; then
	guest=hello
	cmdline="vmmd-test exit=5"
	want_status=5
fi
# The debug-exit port of docs/platform.md, defined once in rt.h.
port=$(sed -n 's/^#define GUEST_DEBUG_EXIT_PORT \(0x[0-9a-f]*\)$/\1/p' \
	"$(dirname "$0")/rt.h")
[ -n "$port" ] || {
	echo "FAIL: GUEST_DEBUG_EXIT_PORT not found in rt.h"
	exit 1
}
mem_mib=128

qemu=$(command -v qemu-system-x86_64 || true)
if [ -z "$qemu" ]; then
	echo "SKIP: qemu-system-x86_64 not found (scripts/install-deps.sh --slow)"
	exit 77
fi
[ -f "$elf" ] || {
	echo "FAIL: $elf missing"
	exit 1
}

# Two sockets of two cores, one NUMA node per socket, distance 21.
numa="-smp 4,sockets=2,cores=2 -m $((2 * mem_mib))M
-object memory-backend-ram,id=m0,size=${mem_mib}M
-object memory-backend-ram,id=m1,size=${mem_mib}M
-numa node,nodeid=0,cpus=0-1,memdev=m0
-numa node,nodeid=1,cpus=2-3,memdev=m1
-numa dist,src=0,dst=1,val=21"
case $guest in
hello) machine="-m ${mem_mib}M" ;;
memmap) machine="-m ${mem_mib}M" ;;
acpi | smp) machine=$numa ;;
*)
	echo "usage: $0 hello|memmap|acpi|smp ELF" >&2
	exit 2
	;;
esac

out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s%N)
status=0
# shellcheck disable=SC2086
timeout 60 "$qemu" -M $model -accel tcg -nodefaults -display none -no-reboot \
	-serial stdio -monitor none \
	-device isa-debug-exit,iobase=$port,iosize=1 \
	$machine -kernel "$elf" -append "$cmdline" \
	</dev/null >"$out" 2>&1 || status=$?
end=$(date +%s%N)
sed -i 's/\r$//' "$out"
echo "== $guest on $model: qemu exit $status in $(((end - start) / 1000000)) ms"
cat "$out"

fail=0
check() {
	if ! grep -qxF -- "$1" "$out"; then
		echo "FAIL: missing line: $1"
		fail=1
	fi
}
count() {
	n=$(grep -c -- "$1" "$out" || true)
	if [ "$n" -ne "$2" ]; then
		echo "FAIL: $n lines match '$1', expected $2"
		fail=1
	fi
}

# isa-debug-exit ends QEMU with (status << 1) | 1: guest status 0 is 1.
if [ "$status" -ne $((want_status * 2 + 1)) ]; then
	echo "FAIL: qemu exit $status, expected $((want_status * 2 + 1))" \
		"(guest exit status $want_status)"
	fail=1
fi
count '^error=' 0

case $guest in
hello)
	check "hello from vmmd guest"
	check "cmdline=$cmdline"
	;;
memmap)
	first=$(grep '^memmap=' "$out" | head -n 1)
	case $first in
	memmap=0x0,*,1) ;;
	*)
		echo "FAIL: first entry is not RAM at 0: $first"
		fail=1
		;;
	esac
	# RAM at 1 MiB, and all RAM entries together within 2 MiB of -m
	# (QEMU keeps the VGA hole and a few pages for the BIOS).
	grep -q '^memmap=0x100000,0x[0-9a-f]*,1$' "$out" || {
		echo "FAIL: no RAM entry at 1 MiB"
		fail=1
	}
	ram=0
	sizes=$(sed -n 's/^memmap=0x[0-9a-f]*,\(0x[0-9a-f]*\),1$/\1/p' "$out")
	for size in $sizes; do
		ram=$((ram + size))
	done
	if [ $ram -gt $((mem_mib << 20)) ] ||
		[ $ram -lt $(((mem_mib - 2) << 20)) ]; then
		echo "FAIL: $ram bytes of RAM, expected about ${mem_mib} MiB"
		fail=1
	fi
	n=$(grep -c '^memmap=' "$out" || true)
	check "memmap_entries=$n"
	;;
acpi)
	check "lapic=0xfee00000"
	check "cpus=4"
	count '^cpu=' 4
	if [ "$model" = q35 ]; then
		for i in 0 1 2 3; do
			check "cpu=$i,apic=$i,node=$((i / 2))"
		done
		# Node 0 has the low RAM, node 1 starts at 128 MiB.
		grep -q '^mem=0x0,0x[0-9a-f]*,node=0$' "$out" || {
			echo "FAIL: no node 0 memory at 0"
			fail=1
		}
		check "mem=0x8000000,0x8000000,node=1"
		check "slit=10,21"
		check "slit=21,10"
		count '^slit=' 2
	else
		grep -q '^rsdp=0x[0-9a-f]*,XSDT$' "$out" || {
			echo "FAIL: tables not listed by an XSDT"
			fail=1
		}
		for i in 0 1 2 3; do
			check "cpu=$i,apic=$i,node=none"
		done
		count '^mem=' 0
		count '^slit=' 0
	fi
	;;
smp)
	check "bsp=apic=0"
	count '^ap=' 3
	check "apics=0,1,2,3"
	check "cpus=4"
	;;
esac

[ $fail -eq 0 ] && echo "PASS: $1"
exit $fail
