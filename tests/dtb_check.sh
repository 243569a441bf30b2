#!/bin/sh
# Golden check of one aarch64 VM file: `vmctl dtb` must succeed and dtc must
# decompile the blob with exit status 0 and nothing at all on stderr (dtc
# prints its semantic checks - reg formats, unit addresses, phandle
# references, interrupt and PCI bindings - as warnings there).
# usage: dtb_check.sh VMCTL FILE.yaml
set -eu
vmctl=$1
cfg=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! command -v dtc >/dev/null 2>&1; then
	echo "dtb_check: dtc not found (Debian: device-tree-compiler; run scripts/install-deps.sh)" >&2
	exit 1
fi
"$vmctl" dtb "$cfg" -o "$tmp/out.dtb"
if ! dtc -I dtb -O dts -o "$tmp/out.dts" "$tmp/out.dtb" 2>"$tmp/dtc.err"; then
	echo "dtb_check: dtc failed on the blob of $cfg:" >&2
	cat "$tmp/dtc.err" >&2
	exit 1
fi
if [ -s "$tmp/dtc.err" ]; then
	echo "dtb_check: dtc warns about the blob of $cfg:" >&2
	cat "$tmp/dtc.err" >&2
	exit 1
fi
echo "dtb_check: $cfg: $(wc -c <"$tmp/out.dtb") bytes, dtc clean"
