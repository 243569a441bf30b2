#!/bin/sh
# Installs every build and test dependency of vmmd on Debian 12 (idempotent).
#   --slow  also what the slow tests need (ctest -L slow): qemu-system-arm
#           (qemu-system-aarch64, about 100 MB) for the arm64 boot test,
#           qemu-system-x86 (about 45 MB) for the test guests' QEMU runs
set -eu

PKGS="build-essential cmake pkg-config git
libyaml-dev libfdt-dev uuid-dev libcmocka-dev libjson-c-dev
clang-14 libclang-rt-14-dev clang-format
python3 python3-yaml python3-jsonschema
device-tree-compiler acpica-tools
gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross"

for arg in "$@"; do
	case $arg in
	--slow) PKGS="$PKGS qemu-system-arm qemu-system-x86" ;;
	*)
		echo "usage: $0 [--slow]" >&2
		exit 2
		;;
	esac
done

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "install-deps: all dependencies present"
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
