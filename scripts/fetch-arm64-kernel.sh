#!/bin/sh
# Fetches Debian's arm64 cloud kernel for the slow boot test (idempotent) and
# prints the path of its uncompressed Image.
#   $1 / VMMD_KERNEL_CACHE  cache directory (default /var/cache/vmmd-test)
# The .deb is only unpacked (dpkg-deb -x): no maintainer scripts run and
# nothing is installed. Needs root (or sudo) for dpkg --add-architecture and
# apt-get update the first time.
set -eu
cache=${1:-${VMMD_KERNEL_CACHE:-/var/cache/vmmd-test}}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { echo "fetch-arm64-kernel: $*" >&2; }

# The versioned image package that the meta package currently depends on.
kernel_name() {
	apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9a-z.-]*-cloud-arm64\).*/\1/p' |
		head -n 1
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "adding the arm64 architecture to dpkg"
	$SUDO dpkg --add-architecture arm64
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
fi
name=$(kernel_name)
if [ -z "$name" ]; then
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	name=$(kernel_name)
fi
if [ -z "$name" ]; then
	log "cannot find linux-image-cloud-arm64's kernel package"
	exit 1
fi

dir="$cache/$name"
if [ -s "$dir/Image" ]; then
	echo "$dir/Image"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# apt-get download writes to the current directory as the _apt user when
# it can; a world-writable scratch directory avoids its sandbox warning.
chmod 0777 "$tmp"
log "downloading $name:arm64"
if ! (cd "$tmp" && apt-get download -q "$name:arm64" >&2); then
	# stale package lists name a version the mirror no longer has
	log "download failed; updating the package lists and retrying"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	name=$(kernel_name)
	dir="$cache/$name"
	(cd "$tmp" && apt-get download -q "$name:arm64" >&2)
fi
deb=$(ls "$tmp"/*.deb)
mkdir -p "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x"
vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-*)
# Debian 12's arm64 vmlinuz is the plain Image (older releases gzip'd it);
# the test wants the Image itself, so decompress when needed.
if gzip -t "$vmlinuz" 2>/dev/null; then
	gzip -dc "$vmlinuz" >"$tmp/Image"
else
	mv "$vmlinuz" "$tmp/Image"
fi
rm -rf "$dir"
mkdir -p "$dir"
mv "$tmp/Image" "$dir/Image"
echo "$dir/Image"
