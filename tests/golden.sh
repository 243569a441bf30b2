#!/bin/sh
# Golden test runner.
#   golden.sh pass VMCTL DIR/NAME.yaml  -> `vmctl plan --json` must equal NAME.json
#   golden.sh fail VMCTL DIR/NAME.yaml  -> `vmctl check` must exit 2 and print
#                                          exactly the lines of NAME.err
# An optional fourth argument names the expectation file instead.
# vmctl runs inside DIR with the bare file name, so expected output carries
# no machine-specific paths. VMMD_GOLDEN_UPDATE=1 rewrites the expectations.
set -u
mode=$1 vmctl=$2 cfg=$3 expect_file=${4:-}
dir=$(dirname "$cfg")
base=$(basename "$cfg" .yaml)
cd "$dir" || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

case $mode in
pass)
	"$vmctl" plan --json "$base.yaml" >"$out" 2>&1
	rc=$?
	expect="$base.json"
	want_rc=0
	;;
fail)
	"$vmctl" check "$base.yaml" >/dev/null 2>"$out"
	rc=$?
	expect="$base.err"
	want_rc=2
	;;
*)
	echo "golden.sh: unknown mode $mode" >&2
	exit 1
	;;
esac

[ -z "$expect_file" ] || expect=$expect_file
if [ "${VMMD_GOLDEN_UPDATE:-0}" = 1 ]; then
	cp "$out" "$expect"
	echo "updated $expect"
fi
if [ "$rc" -ne "$want_rc" ]; then
	echo "FAIL: vmctl exited $rc, expected $want_rc; output:" >&2
	cat "$out" >&2
	exit 1
fi
if [ ! -f "$expect" ]; then
	echo "FAIL: missing expectation $expect" >&2
	exit 1
fi
if ! diff -u "$expect" "$out"; then
	echo "FAIL: output differs from $expect" >&2
	exit 1
fi
exit 0
