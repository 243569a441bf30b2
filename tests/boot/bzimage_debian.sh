#!/bin/sh
# Golden test: Debian's amd64 cloud bzImage through the bzImage loader.
#   $1  the bzimage_debian test program
# Fetches the kernel with scripts/fetch-kernel.sh (cached); skips (77)
# with a message when it cannot be fetched (no network, no apt).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! kernel=$("$here/../../scripts/fetch-kernel.sh" amd64); then
	echo "SKIP: cannot fetch Debian's amd64 kernel (apt-get download" \
		"linux-image-*-cloud-amd64 failed); see scripts/fetch-kernel.sh" >&2
	exit 77
fi
exec "$1" "$kernel"
