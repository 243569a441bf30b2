#!/bin/sh
# Fetches Debian's cloud kernel for tests (idempotent) and prints the path of
# the kernel image: the bzImage for amd64, the uncompressed Image for arm64.
#   usage: fetch-kernel.sh amd64|arm64 [CACHE]
#   CACHE / VMMD_KERNEL_CACHE  cache directory (default /var/cache/vmmd-test)
# The .deb is only unpacked (dpkg-deb -x): no maintainer scripts run and
# nothing is installed. A foreign architecture needs root (or sudo) for
# dpkg --add-architecture and apt-get update the first time.
set -eu
arch=${1:-}
case $arch in
amd64) image=bzImage ;;
arm64) image=Image ;;
*)
	echo "usage: $0 amd64|arm64 [CACHE]" >&2
	exit 2
	;;
esac
cache=${2:-${VMMD_KERNEL_CACHE:-/var/cache/vmmd-test}}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
native=$(dpkg --print-architecture)
pkgarch=""
[ "$arch" = "$native" ] || pkgarch=":$arch"

log() { echo "fetch-kernel ($arch): $*" >&2; }
apt_update() {
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
}

# The versioned image package that the meta package currently depends on.
kernel_name() {
	apt-cache depends "linux-image-cloud-$arch$pkgarch" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-image-6\.1\.0-[0-9a-z.-]*-cloud-$arch\).*/\1/p" |
		head -n 1
}

if [ -n "$pkgarch" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	log "adding the $arch architecture to dpkg"
	$SUDO dpkg --add-architecture "$arch"
	apt_update
fi
name=$(kernel_name)
if [ -z "$name" ]; then
	apt_update
	name=$(kernel_name)
fi
if [ -z "$name" ]; then
	log "cannot find linux-image-cloud-$arch's kernel package"
	exit 1
fi

dir="$cache/$name"
if [ -s "$dir/$image" ]; then
	echo "$dir/$image"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# apt-get download writes to the current directory as the _apt user when
# it can; a world-writable scratch directory avoids its sandbox warning.
chmod 0777 "$tmp"
log "downloading $name$pkgarch"
if ! (cd "$tmp" && apt-get download -q "$name$pkgarch" >&2); then
	# stale package lists name a version the mirror no longer has
	log "download failed; updating the package lists and retrying"
	apt_update
	name=$(kernel_name)
	dir="$cache/$name"
	(cd "$tmp" && apt-get download -q "$name$pkgarch" >&2)
fi
deb=$(ls "$tmp"/*.deb)
mkdir -p "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x"
vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-*)
# Debian 12's arm64 vmlinuz is the plain Image (older releases gzip'd it);
# the arm64 test wants the Image itself, so decompress when needed.
if [ "$arch" = arm64 ] && gzip -t "$vmlinuz" 2>/dev/null; then
	gzip -dc "$vmlinuz" >"$tmp/$image"
else
	mv "$vmlinuz" "$tmp/$image"
fi
rm -rf "$dir"
mkdir -p "$dir"
mv "$tmp/$image" "$dir/$image"
echo "$dir/$image"
