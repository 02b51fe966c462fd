#!/usr/bin/env bash
# README command 2: build, then run the whole test suite with ctest: unit, crash (kill -9) and
# fuzz (libFuzzer targets, built with clang in build-fuzz/, HOLDFAST_FUZZ_SECONDS each).
# HOLDFAST_CRASH_ROUNDS=N lengthens the kill -9 crash test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$(nproc)" --timeout 900)

CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DHOLDFAST_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOLDFAST_FUZZ_SECONDS="${HOLDFAST_FUZZ_SECONDS:-20}" >/dev/null
ninja -C build-fuzz -j "$(nproc)"
(cd build-fuzz && ctest --output-on-failure -j "$(nproc)")
