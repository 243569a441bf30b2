#!/bin/sh
# Compile-only check of the arm64 code with Debian's aarch64 cross compiler
# (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, linux-libc-dev-arm64-cross;
# scripts/install-deps.sh installs them). These x86 machines cannot run arm64
# KVM, so this is what keeps the backend from rotting:
#   1. compiles src/arch/aarch64/kvm/*.c (needs arm64's <asm/kvm.h>),
#      src/devices/pl011.c and src/arch/aarch64/fdt.c with the project's
#      warning flags and -Werror;
#   2. archives the objects with aarch64-linux-gnu-ar;
#   3. links, statically against arm64 glibc, a program that references
#      every entry point of the KVM backend and the PL011 model, so each
#      object and everything it calls is resolved. Nothing is run.
# Objects go to a temporary directory that is removed on exit.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
AR=${AARCH64_AR:-aarch64-linux-gnu-ar}
for tool in "$CC" "$AR"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "cross-arm64: $tool not found (run scripts/install-deps.sh)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmd-cross-arm64.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# The flags of CMakeLists.txt, at -O2 (some warnings need the optimiser).
CFLAGS="-std=gnu11 -O2 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
-Wall -Wextra -Wshadow -Wvla -Wimplicit-fallthrough -Wformat=2
-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Werror
-Iinclude -Isrc"

# libfdt's headers are architecture-independent, but the cross compiler
# does not search /usr/include (that would mix in x86 glibc headers): give
# it just those three.
mkdir "$tmp/fdt-include"
fdt_src=""
if [ -f /usr/include/libfdt.h ]; then
	for h in libfdt.h libfdt_env.h fdt.h; do
		ln -s "/usr/include/$h" "$tmp/fdt-include/$h"
	done
	fdt_src=src/arch/aarch64/fdt.c
else
	echo "cross-arm64: /usr/include/libfdt.h missing, skipping fdt.c" >&2
fi

objs=""
for src in src/arch/aarch64/kvm/*.c src/devices/pl011.c $fdt_src; do
	obj="$tmp/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	# shellcheck disable=SC2086
	$CC $CFLAGS -I"$tmp/fdt-include" -c "$src" -o "$obj"
	objs="$objs $obj"
	echo "  CC  $src"
done

# shellcheck disable=SC2086
$AR rcs "$tmp/libvmmd-arm64.a" $objs
echo "  AR  libvmmd-arm64.a ($(echo "$objs" | wc -w) objects)"

# An exported table keeps every reference alive whatever the optimiser
# does; void (*)(void) is the one cast GCC's -Wcast-function-type allows.
cat >"$tmp/link_check.c" <<'EOF'
#include <stddef.h>

#include "arch/aarch64/kvm/arm64_kvm.h"
#include "devices/pl011.h"

#define ENTRY(f) ((void (*)(void))(f))

extern void (*const vmmd_arm64_entry_points[])(void);
void (*const vmmd_arm64_entry_points[])(void) = {
	ENTRY(arm64_vcpu_init),	      ENTRY(arm64_vcpu_set_boot),
	ENTRY(arm64_vgic_create),     ENTRY(arm64_vgic_its_create),
	ENTRY(arm64_irq_line),	      ENTRY(pl011_init),
	ENTRY(pl011_reset),	      ENTRY(pl011_read),
	ENTRY(pl011_write),	      ENTRY(pl011_rx_push),
	ENTRY(pl011_rx_room),
};

int main(int argc, char **argv)
{
	(void)argv;
	return vmmd_arm64_entry_points[(size_t)argc %
				       ARRAY_SIZE(vmmd_arm64_entry_points)] ==
	       NULL;
}
EOF
# shellcheck disable=SC2086
$CC $CFLAGS -c "$tmp/link_check.c" -o "$tmp/link_check.o"
$CC -static -o "$tmp/link-check" "$tmp/link_check.o" "$tmp/libvmmd-arm64.a"
machine=$(LC_ALL=C ${AARCH64_READELF:-aarch64-linux-gnu-readelf} -h \
	"$tmp/link-check" | sed -n 's/^ *Machine: *//p')
echo "  LD  link-check ($machine): every KVM backend and PL011 symbol resolved"
