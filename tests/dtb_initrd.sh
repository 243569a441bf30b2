#!/bin/sh
# vmctl dtb places an initrd above the kernel and names it in /chosen.
# A fake arm64 Image (only its 64-byte header matters: image_size 24 MiB
# at offset 16, magic "ARM\x64" at 56) and a 1 MiB + 100 byte initrd in
# a 1 GiB VM (RAM 0x40000000-0x7fffffff): the initrd must end up as high
# as it fits, 4 KiB aligned: start 0x7feff000, end start + size.
# usage: dtb_initrd.sh VMCTL
set -eu
vmctl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
	echo "dtb_initrd: FAIL: $*" >&2
	exit 1
}

python3 - "$tmp" <<'PY'
import struct, sys
d = sys.argv[1]
hdr = bytearray(64)
struct.pack_into("<Q", hdr, 16, 24 << 20)
hdr[56:60] = b"ARM\x64"
open(d + "/Image", "wb").write(bytes(hdr) + bytes(4096))
open(d + "/initrd", "wb").write(bytes((1 << 20) + 100))
with open(d + "/big-initrd", "wb") as f:  # sparse: only its size matters
    f.truncate(1000 << 20)
PY
cat >"$tmp/vm.yaml" <<YAML
name: initrd
uuid: 9a3b2c1d-0e4f-4a5b-8c6d-7e8f9a0b1c2d
arch: aarch64
cpu: { count: 1 }
memory: { size: 1G }
devices: [ { type: serial, name: uart0 } ]
boot: { kernel: Image, initrd: initrd, cmdline: "console=ttyAMA0" }
YAML
"$vmctl" dtb "$tmp/vm.yaml" -o "$tmp/vm.dtb" || fail "vmctl dtb failed"
start=$(fdtget -t x "$tmp/vm.dtb" /chosen linux,initrd-start)
end=$(fdtget -t x "$tmp/vm.dtb" /chosen linux,initrd-end)
[ "$start" = "0 7feff000" ] || fail "initrd-start is '$start', expected '0 7feff000'"
[ "$end" = "0 7ffff064" ] || fail "initrd-end is '$end', expected '0 7ffff064'"

# Too big to fit above the kernel: an error, no output file.
sed 's/initrd: initrd/initrd: big-initrd/' "$tmp/vm.yaml" >"$tmp/big.yaml"
if "$vmctl" dtb "$tmp/big.yaml" -o "$tmp/big.dtb" 2>"$tmp/err"; then
	fail "a 1000 MiB initrd in 1 GiB was accepted"
fi
grep -q "does not fit in RAM above the kernel" "$tmp/err" ||
	fail "unexpected error: $(cat "$tmp/err")"
[ ! -e "$tmp/big.dtb" ] || fail "an output file was left behind"

# A missing initrd is named in the error.
sed 's/initrd: initrd/initrd: missing/' "$tmp/vm.yaml" >"$tmp/missing.yaml"
if "$vmctl" dtb "$tmp/missing.yaml" -o "$tmp/m.dtb" 2>"$tmp/err"; then
	fail "a missing initrd was accepted"
fi
grep -q "missing: No such file or directory" "$tmp/err" ||
	fail "unexpected error: $(cat "$tmp/err")"
echo "1 passed, 0 failed"
