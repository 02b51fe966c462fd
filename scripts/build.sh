#!/usr/bin/env bash
# Configures and builds Holdfast in build/ (RelWithDebInfo, Ninja). Extra arguments go to cmake,
# e.g. scripts/build.sh -DHOLDFAST_ASAN=ON with BUILD_DIR=build-asan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
ninja -C "$build_dir" -j "$(nproc)"
