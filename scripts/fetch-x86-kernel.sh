#!/bin/sh
# Fetches Debian's amd64 cloud kernel for the bzImage tests (idempotent) and
# prints the path of its bzImage (/boot/vmlinuz-* of the package).
#   $1 / VMMD_KERNEL_CACHE  cache directory (default /var/cache/vmmd-test)
# The .deb is only unpacked (dpkg-deb -x): no maintainer scripts run and
# nothing is installed. Needs root (or sudo) when the package lists are
# stale and apt-get update has to run.
set -eu
cache=${1:-${VMMD_KERNEL_CACHE:-/var/cache/vmmd-test}}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { echo "fetch-x86-kernel: $*" >&2; }

# The versioned image package that the meta package currently depends on.
kernel_name() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9a-z.-]*-cloud-amd64\).*/\1/p' |
		head -n 1
}

name=$(kernel_name)
if [ -z "$name" ]; then
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	name=$(kernel_name)
fi
if [ -z "$name" ]; then
	log "cannot find linux-image-cloud-amd64's kernel package"
	exit 1
fi

dir="$cache/$name"
if [ -s "$dir/bzImage" ]; then
	echo "$dir/bzImage"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# apt-get download writes to the current directory as the _apt user when
# it can; a world-writable scratch directory avoids its sandbox warning.
chmod 0777 "$tmp"
log "downloading $name"
if ! (cd "$tmp" && apt-get download -q "$name" >&2); then
	# stale package lists name a version the mirror no longer has
	log "download failed; updating the package lists and retrying"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	name=$(kernel_name)
	dir="$cache/$name"
	(cd "$tmp" && apt-get download -q "$name" >&2)
fi
deb=$(ls "$tmp"/*.deb)
mkdir -p "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x"
vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-*)
rm -rf "$dir"
mkdir -p "$dir"
mv "$vmlinuz" "$dir/bzImage"
echo "$dir/bzImage"
