#!/bin/sh
# Installs what vmmd needs, builds it and runs the main job: resolve the
# example VMs and print the plan of the NUMA example.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"
./build/vmctl check configs/*.yaml
./build/vmctl plan configs/numa.yaml
