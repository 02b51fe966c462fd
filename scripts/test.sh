#!/usr/bin/env bash
# README command 2: build, then run the whole test suite with ctest (unit, crash, and the rest).
# HOLDFAST_CRASH_ROUNDS=N lengthens the kill -9 crash test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)" --timeout 900
