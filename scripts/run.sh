#!/usr/bin/env bash
# README command 1: build, start a standalone broker (name server + SYNC_FLUSH broker in one
# process) on ./holdfast-data, and run the demo against it: sync sends, a consumer group, and a
# check that every message arrived. On a terminal the broker then keeps running until Ctrl-C;
# otherwise (CI, scripts) it is stopped cleanly after the demo. Exit status: the demo's.
#
# Environment: HOLDFAST_DATA (data directory), HOLDFAST_PORT (broker port, default 10911),
# HOLDFAST_NAMESRV_PORT (default 9876). Extra arguments go to `holdfast demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

data=${HOLDFAST_DATA:-./holdfast-data}
port=${HOLDFAST_PORT:-10911}
namesrv_port=${HOLDFAST_NAMESRV_PORT:-9876}
log=$(mktemp)
build/bin/holdfast standalone --dir "$data" -p "$port" --namesrv-port "$namesrv_port" >"$log" 2>&1 &
broker=$!
stop_broker() {
  if kill -0 "$broker" 2>/dev/null; then
    kill -TERM "$broker"
    wait "$broker" || true
  fi
}
trap stop_broker EXIT

# Ready when the boot line is printed (the process exits on a bad config or a busy port).
for _ in $(seq 1 300); do
  grep -q "boot success" "$log" && break
  if ! kill -0 "$broker" 2>/dev/null; then
    cat "$log"
    echo "run.sh: the standalone broker did not start" >&2
    exit 1
  fi
  sleep 0.1
done
if ! grep "boot success" "$log"; then
  cat "$log"
  echo "run.sh: the standalone broker printed no boot line within 30 s" >&2
  exit 1
fi
status=0
build/bin/holdfast demo -n "127.0.0.1:$namesrv_port" "$@" || status=$?
if [ -t 0 ] && [ "$status" -eq 0 ]; then
  echo "The broker keeps running on 127.0.0.1:$port (name server 127.0.0.1:$namesrv_port); Ctrl-C stops it."
  wait "$broker" || true
fi
exit "$status"
