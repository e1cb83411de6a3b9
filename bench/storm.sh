#!/usr/bin/env bash
# Reconnect storms and start-up on fresh brokers, Midge (./midge, as users start it) and mosquitto,
# interleaved run by run; prints medians and Midge / mosquitto ratios, keeps the raw JSON lines.
# Usage: bench/storm.sh [--runs 3] [--connections 19000] [--start-after 2] [--idle-after 15]
#                       [--brokers "midge mosquitto"]
# MIDGE_JAVA_OPTS and MIDGE_NO_ARCHIVE=1 are passed on to ./midge.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3 connections=19000 after=2 idle=15 brokers="midge mosquitto"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --start-after) after="$2"; shift 2 ;;
    --idle-after) idle="$2"; shift 2 ;;
    --brokers) brokers="$2"; shift 2 ;;
    *) echo "usage: bench/storm.sh [--runs N] [--connections N] [--start-after S] [--idle-after S] [--brokers LIST]" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "storm.sh needs jq (apt-get install jq)" >&2; exit 2; }
command -v mosquitto >/dev/null || [ "$brokers" = midge ] || { echo "storm.sh needs mosquitto (apt-get install mosquitto)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"

out="$root/bench/results/storm-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
results="$out/results.jsonl"
# Builds the jars and the class-data archive before anything is timed (-h exits 3 after that).
"$root/midge" -h >/dev/null 2>&1 || true
"$root/bench/midge-bench" storm --help >/dev/null

conf() { # conf BROKER PORT: the same limits for both
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\nlog_type error\nlog_type warning\nconnection_messages false\n' "$2" \
    > "$out/$1.conf"
  echo "$out/$1.conf"
}
command_for() { # command_for BROKER CONF
  case "$1" in
    midge) echo "$root/midge -c $2" ;;
    mosquitto) echo "mosquitto -c $2" ;;
  esac
}
one() { # one BROKER RUN KIND
  local broker="$1" run="$2" kind="$3" port c
  port=$((20000 + RANDOM % 12000))
  c="$(conf "$broker" "$port")"
  local -a args=(--port "$port" --json --broker-cmd "$(command_for "$broker" "$c")" --broker-log "$out/$broker-$kind-$run.log")
  if [ "$kind" = storm ]; then
    args+=(--connections "$connections" --start-after "$after")
  else
    args+=(--connections 0 --start-after "$idle")
  fi
  "$root/bench/midge-bench" storm "${args[@]}" 2>"$out/$broker-$kind-$run.txt" \
    | jq -c --arg b "$broker" --arg k "$kind" --argjson r "$run" '. + {broker: $b, kind: $k, run: $r}' >> "$results"
  tail -1 "$results" | jq -r '"\(.broker) \(.kind) run \(.run): " + (if .kind == "storm"
      then "\(.connected) in \(.storm_s) s, p99 \(.connack_p99_ms) ms, cpu \(.broker_cpu_storm_s) s, \(.rss_per_connection_bytes) B/conn"
      else "first CONNACK \(.start_to_connack_ms) ms, RSS \(.rss_before_kib) KiB" end)' >&2
}
for run in $(seq 1 "$runs"); do
  for kind in storm idle; do
    for broker in $brokers; do
      one "$broker" "$run" "$kind"
    done
  done
done

jq -s -r --arg n "$connections" --arg s "$after" --arg i "$idle" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def m(k; b; kind): [.[] | select(.broker == b and .kind == kind) | .[k] | numbers] | median;
  def r(x): if x == null then "-" else (x * 100 | round / 100 | tostring) end;
  . as $all |
  [["metric", "key", "kind"],
   ["time to connect all \($n) (s), started \($s) s earlier", "storm_s", "storm"],
   ["connections per second", "connects_per_s", "storm"],
   ["CONNACK p50 (ms)", "connack_p50_ms", "storm"],
   ["CONNACK p99 (ms)", "connack_p99_ms", "storm"],
   ["broker CPU during the storm (s)", "broker_cpu_storm_s", "storm"],
   ["broker CPU before the storm (s)", "broker_cpu_before_storm_s", "storm"],
   ["start to first CONNACK (ms)", "start_to_connack_ms", "idle"],
   ["RSS \($s) s after start (KiB)", "rss_before_kib", "storm"],
   ["idle RSS \($i) s after start (KiB)", "rss_before_kib", "idle"],
   ["RSS per connection (bytes)", "rss_per_connection_bytes", "storm"]] | .[1:] |
  (["| | Midge | mosquitto | Midge / mosquitto |", "|---|---:|---:|---:|"] +
   map(. as $row | ($all | m($row[1]; "midge"; $row[2])) as $a | ($all | m($row[1]; "mosquitto"; $row[2])) as $b |
       "| \($row[0]) | \(r($a)) | \(r($b)) | \(if $a == null or $b == null or $b == 0 then "-" else r($a / $b) end) |"))
  | .[]' "$results"
echo "raw results: $results" >&2
