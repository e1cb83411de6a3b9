#!/usr/bin/env bash
# The dashboard with 10,000 topics from the real broker: starts Midge (./midge) with an MQTT and an
# http listener, and runs src-it/src/test/js/dashboard-load.mjs against it (retained topics, then a
# stream of updates, while headless Chromium shows the page; frame times, long tasks, heap).
# Needs what ./run-tests installs: chromium, Node.js and src-it's npm packages.
# Usage: bench/dashboard-load.sh [--topics 10000] [--rate 4000] [--seconds 10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
topics=10000 rate=4000 seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --topics) topics="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: bench/dashboard-load.sh [--topics N] [--rate MSG_PER_S] [--seconds S]" >&2; exit 2 ;;
  esac
done
[ -f "$root/src-it/node_modules/.package-lock.json" ] || (cd "$root/src-it" && npm ci --no-audit --no-fund)
out="$root/bench/results/dashboard-load-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
"$root/midge" -h >/dev/null 2>&1 || true # builds the jar and its class-data archive first
mqtt_port=18950 http_port=18951
printf 'listener %s 127.0.0.1\nallow_anonymous true\nlistener %s 127.0.0.1\nprotocol http\nhttp_allow_anonymous true\n' \
  "$mqtt_port" "$http_port" > "$out/midge.conf"
"$root/midge" -c "$out/midge.conf" > "$out/midge.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null && break; sleep 0.1; done
node "$root/src-it/src/test/js/dashboard-load.mjs" "$mqtt_port" "http://127.0.0.1:$http_port" "$topics" "$rate" "$seconds" \
  | tee "$out/result.json"
