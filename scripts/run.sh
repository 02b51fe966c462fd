#!/usr/bin/env bash
# README command 1: build, then run the main job on a local data directory (./holdfast-data).
# For now that is the store self-check and demo; extra arguments go to `holdfast store-check`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec build/bin/holdfast store-check --dir "${HOLDFAST_DATA:-./holdfast-data}" "$@"
