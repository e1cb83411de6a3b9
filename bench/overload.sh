#!/usr/bin/env bash
# A subscriber that stops reading while publishers flood its topic: how much memory the broker
# holds, with no queue limit (max_queued_messages 0), without and with memory_limit; Midge (./midge)
# and mosquitto side by side. The subscriber is mosquitto_sub writing into a pipe nobody reads, so it
# stops reading its socket once the pipe is full; the flood is mosquitto_pub -l publishing 1 KiB
# lines at QoS 1 from each of --publishers clients, for --seconds.
# Usage: bench/overload.sh [--seconds 30] [--publishers 2] [--limit-mib 64] [--brokers "midge mosquitto"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=30 publishers=2 limit_mib=64 brokers="midge mosquitto"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --publishers) publishers="$2"; shift 2 ;;
    --limit-mib) limit_mib="$2"; shift 2 ;;
    --brokers) brokers="$2"; shift 2 ;;
    *) echo "usage: bench/overload.sh [--seconds S] [--publishers N] [--limit-mib M] [--brokers LIST]" >&2; exit 2 ;;
  esac
done
command -v mosquitto_pub >/dev/null || { echo "overload.sh needs mosquitto-clients" >&2; exit 2; }
out="$root/bench/results/overload-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
"$root/midge" -h >/dev/null 2>&1 || true # builds the jar and its class-data archive first
port=18900
line="$(head -c 1024 /dev/zero | tr '\0' x)"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

run() { # run BROKER LIMIT_BYTES
  local broker="$1" limit="$2" conf="$out/$1-$2.conf" log="$out/$1-$2.log"
  port=$((port + 1))
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmemory_limit %s\n' "$port" "$limit" > "$conf"
  case "$broker" in
    midge) "$root/midge" -c "$conf" > "$log" 2>&1 & ;;
    mosquitto) mosquitto -c "$conf" > "$log" 2>&1 & ;;
  esac
  local pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  # A pipe nobody reads: once its 64 KiB are full, mosquitto_sub blocks writing and stops reading.
  mkfifo "$out/stall-$port"
  exec 4<>"$out/stall-$port"
  mosquitto_sub -p "$port" -q 1 -t 'flood/#' -i stalled >&4 2>/dev/null &
  local sub=$!
  sleep 1
  local pubs=()
  for i in $(seq "$publishers"); do
    (yes "$line" | timeout "$seconds" mosquitto_pub -p "$port" -q 1 -t "flood/$i" -l -i "flood$i" 2>/dev/null; true) &
    pubs+=($!)
  done
  local peak=0 now=0 curve=""
  for s in $(seq "$seconds"); do
    sleep 1
    now="$(rss_kib "$pid")"
    [ "$now" -gt "$peak" ] && peak="$now"
    curve="$curve $((now / 1024))"
  done
  wait "${pubs[@]}" 2>/dev/null || true
  local refused
  refused="$(grep -c 'disconnected due to out of memory' "$log" || true)"
  local alive=yes
  timeout 5 mosquitto_pub -p "$port" -t probe -m x -i probe 2>/dev/null || alive=no
  kill "$sub" 2>/dev/null || true
  exec 4>&-
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  printf '| %s | %s | %d | %d | %s | %s |\n' "$broker" "$([ "$limit" = 0 ] && echo none || echo "$((limit / 1048576)) MiB")" \
    "$((peak / 1024))" "$((now / 1024))" "$refused" "$alive" | tee -a "$out/table.md"
  echo "$broker $limit RSS MiB each second:$curve" >> "$out/curves.txt"
}

echo "| broker | memory_limit | peak RSS, MiB | RSS at end, MiB | clients disconnected for memory | new client served after |" | tee "$out/table.md"
echo "| --- | --- | --- | --- | --- | --- |" | tee -a "$out/table.md"
for broker in $brokers; do
  run "$broker" 0
  run "$broker" $((limit_mib * 1048576))
done
echo "results in $out" >&2
