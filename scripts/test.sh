#!/bin/sh
# Runs every check of the project: formatting, a sanitizer (ASan+UBSan)
# build with the unit and golden tests, and a bounded libFuzzer run.
#   VMMD_FUZZ_SECONDS   seconds per fuzz target (default 60)
#   VMMD_SKIP_DEPS=1    do not run scripts/install-deps.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

[ "${VMMD_SKIP_DEPS:-0}" = 1 ] || ./scripts/install-deps.sh

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

echo "== sanitizer build (gcc, ASan+UBSan) and tests"
cmake -S . -B build-asan -DVMMD_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
cd build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest -LE 'slow|fuzz' -j "$jobs" --output-on-failure
