#!/bin/sh
# Runs every check of the project: formatting, a sanitizer (ASan+UBSan)
# build with the unit and golden tests, a bounded libFuzzer run, and an
# arm64 cross-compile of the code that cannot run on x86.
#   VMMD_FUZZ_SECONDS   seconds per fuzz target (default 60)
#   VMMD_SKIP_DEPS=1    do not run scripts/install-deps.sh
#   VMMD_SLOW=1         also run the slow tests (ctest -L slow) at the end;
#                       on by default when CI=true
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

slow=${VMMD_SLOW:-0}
[ "${CI:-}" != true ] || slow=${VMMD_SLOW:-1}

if [ "${VMMD_SKIP_DEPS:-0}" != 1 ]; then
	if [ "$slow" = 1 ]; then
		./scripts/install-deps.sh --slow
	else
		./scripts/install-deps.sh
	fi
fi

echo "== formatting (clang-format)"
./scripts/check-format.sh

echo "== fuzz build (clang, libFuzzer, ASan+UBSan)"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang-14 -DVMMD_FUZZ=ON \
	-DVMMD_SANITIZE=ON -DVMMD_FUZZ_SECONDS="${VMMD_FUZZ_SECONDS:-60}" >/dev/null
cmake --build build-fuzz -j "$jobs"
(cd build-fuzz && ctest -L fuzz --output-on-failure)

echo "== release build (gcc -O3: its warnings differ from -O2)"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j "$jobs"

echo "== arm64 cross-compile (KVM backend, PL011)"
./scripts/cross-arm64.sh

echo "== sanitizer build (gcc, ASan+UBSan) and tests"
cmake -S . -B build-asan -DVMMD_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
cd build-asan
if [ "$slow" = 1 ]; then
	# Bounded: each slow test has a ctest TIMEOUT, and the step as a whole
	# gets 30 minutes (the arm64 boot takes seconds to a few minutes).
	echo "== slow tests (arm64 kernel boot under qemu-system-aarch64)"
	timeout 1800 ctest -L slow --output-on-failure
fi
echo "== unit, golden and other tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest -LE 'slow|fuzz' -j "$jobs" --output-on-failure
