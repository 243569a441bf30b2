#!/bin/sh
# Installs every build and test dependency of vmmd on Debian 12 (idempotent).
set -eu

PKGS="build-essential cmake pkg-config git
libyaml-dev libfdt-dev uuid-dev libcmocka-dev libjson-c-dev
clang-14 libclang-rt-14-dev clang-format
python3 python3-yaml python3-jsonschema"

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
