#!/usr/bin/env bash
# Runs the midge-bench scenarios against Midge, mosquitto and HiveMQ CE in turn on this machine and
# prints a table of medians and ratios (Markdown). See docs/benchmarks.md.
#
# Usage: bench/compare.sh [--runs N] [--duration S] [--warmup S] [--quick]
#                         [--brokers "midge mosquitto hivemq"] [--scenarios "fanin fanout p2p latency conns idle"]
#                         [--qos "0 1"] [--connections N] [--no-build]
#        bench/compare.sh --summarize bench/results/DIR/results.jsonl
#
# Every run starts a fresh broker on a free loopback port, waits until it accepts TCP connections
# (the time this takes is the start-up figure), runs one midge-bench scenario with --json, and
# stops the broker. Runs are interleaved (for each scenario and QoS: run 1 on every broker, then
# run 2, ...) so that a passing load on the machine hits every broker alike. Raw results, broker
# configurations and logs go to bench/results/<timestamp>/ (bench/results/latest links to it).
#
# Same limits for every broker: a queue of 100,000 messages per client (new messages dropped when
# full), 20 QoS 1/2 messages in flight per client, no message size limit, no persistence,
# TCP_NODELAY, no per-connection log lines, logging at notice level (HiveMQ: INFO) to a file.
# Broker JVM options: MIDGE_JAVA_OPTS (default: the ./midge launcher's), HIVEMQ_JAVA_OPTS
# (default: the flags of HiveMQ's own bin/run.sh, heap left to the JVM as there). Generator JVM
# options: MIDGE_BENCH_JAVA_OPTS.
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
summary_jq="$here/compare-summary.jq"

runs=3 duration=10 warmup=5 hold=5 connections=19000 build=1
brokers="midge mosquitto hivemq"
scenarios="fanin fanout p2p latency conns idle"
qos_levels="0 1"
summarize=""

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --quick) runs=1; duration=2; warmup=1; hold=2; shift ;;
    --brokers) brokers="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --qos) qos_levels="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --summarize) summarize="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; usage ;;
  esac
done

# ---- tools ------------------------------------------------------------------------------------

apt_install() { # package...
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "compare.sh: installing $* from Debian (apt-get)" >&2
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

command -v jq >/dev/null || apt_install jq

summarize_file() { # results.jsonl
  jq -r -s -f "$summary_jq" "$1"
}

if [ -n "$summarize" ]; then
  summarize_file "$summarize"
  exit 0
fi

for b in $brokers; do
  case "$b" in midge|mosquitto|hivemq) ;; *) echo "compare.sh: unknown broker $b" >&2; exit 2 ;; esac
done
case " $brokers " in *" mosquitto "*) command -v mosquitto >/dev/null || apt_install mosquitto ;; esac
# Debian's package starts a system mosquitto on 1883; it does not matter here (free ports are used).

# Connections: the generator and the broker are separate processes, each needs one descriptor per
# connection. The hard limit on the machine this was written for is 20,000.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((connections + 200)) ]; then
  echo "compare.sh: open-file limit $(ulimit -n) is too low for $connections connections; raise the hard limit or use --connections" >&2
  exit 2
fi

if [ "$build" -eq 1 ]; then
  echo "compare.sh: building midge.jar, midge-bench.jar and the HiveMQ runner" >&2
  (cd "$root" && mvn -q -B -DskipTests -pl src-it -am package) >&2
  case " $brokers " in *" hivemq "*) (cd "$root" && mvn -q -B -f bench/hivemq/pom.xml package) >&2 ;; esac
fi
bench_jar="$root/src-it/target/midge-bench.jar"
midge_jar="$root/broker-server/target/midge.jar"
hivemq_cp="$root/bench/hivemq/target/classes:$(cat "$root/bench/hivemq/target/classpath.txt" 2>/dev/null || true)"
for f in "$bench_jar" "$midge_jar"; do
  [ -f "$f" ] || { echo "compare.sh: $f is missing (run without --no-build)" >&2; exit 2; }
done

# The launchers' JVM options, read from conf/jvm.options (comments dropped) so the record cannot drift.
midge_default_opts="$(sed -e 's/#.*//' "$root/conf/jvm.options" | xargs)"
midge_opts="${MIDGE_JAVA_OPTS:-$midge_default_opts}"
# bin/run.sh of HiveMQ CE 2025.x (module opens, IPv4, crash on OOM); no heap or GC options there.
hivemq_default_opts="--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Djava.net.preferIPv4Stack=true -XX:+CrashOnOutOfMemoryError"
hivemq_opts="${HIVEMQ_JAVA_OPTS:-$hivemq_default_opts}"
hivemq_version="$(sed -n 's#.*<hivemq.version>\(.*\)</hivemq.version>.*#\1#p' "$root/bench/hivemq/pom.xml")"

# ---- results directory ------------------------------------------------------------------------

stamp="$(date +%Y%m%d-%H%M%S)"
results="$here/results/$stamp"
mkdir -p "$results/runs"
ln -sfn "$stamp" "$here/results/latest"
jsonl="$results/results.jsonl"
: > "$jsonl"

{
  echo "date: $(date -Is)"
  echo "command: bench/compare.sh --runs $runs --duration $duration --warmup $warmup (hold $hold s, $connections connections)"
  echo "brokers: $brokers; scenarios: $scenarios; qos: $qos_levels"
  echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?') $(cd "$root" && git status --porcelain 2>/dev/null | grep -q . && echo '(with local changes)')"
  echo "nproc: $(nproc)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "ram: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "os: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "mosquitto: $({ mosquitto -h 2>/dev/null || true; } | head -1)"
  echo "hivemq: HiveMQ CE embedded $hivemq_version"
  echo "midge jvm: $midge_opts"
  echo "hivemq jvm: $hivemq_opts"
  echo "generator jvm: ${MIDGE_BENCH_JAVA_OPTS:-(defaults)}"
  echo "ulimit -n: $(ulimit -n)"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/machine.txt"
cat "$results/machine.txt" >&2

# ---- brokers ----------------------------------------------------------------------------------

midge_conf() { # port
  cat <<EOF
# bench/compare.sh: the limits every broker gets
listener $1 127.0.0.1
max_connections -1
allow_anonymous true
max_queued_messages 100000
max_queued_bytes 0
max_inflight_messages 20
message_size_limit 0
persistence false
log_dest stdout
log_type error
log_type warning
log_type notice
connection_messages false
EOF
}

mosquitto_conf() { # port
  cat <<EOF
# bench/compare.sh: the limits every broker gets
listener $1 127.0.0.1
max_connections -1
allow_anonymous true
max_queued_messages 100000
max_queued_bytes 0
max_inflight_messages 20
message_size_limit 0
set_tcp_nodelay true
persistence false
log_dest stdout
log_type error
log_type warning
log_type notice
connection_messages false
EOF
}

port_taken() { # port: any socket, in any state, on this local port
  local hex
  hex="$(printf ':%04X' "$1")"
  awk -v h="$hex" 'FNR > 1 && substr($2, length($2) - 4) == h { found = 1 } END { exit !found }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    port_taken "$p" || { echo "$p"; return; }
  done
}

now_us() { local t="$EPOCHREALTIME"; echo "${t/./}"; }

vmrss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo -1; }

cpu_ticks() { # utime + stime of a process, in clock ticks
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
clk_tck="$(getconf CLK_TCK)"

broker_pid=""
start_ms=""

# start_broker BROKER PORT DIR: starts the broker, waits until it accepts a TCP connection.
start_broker() {
  local broker="$1" port="$2" dir="$3" t0 deadline
  mkdir -p "$dir"
  case "$broker" in
    midge) midge_conf "$port" > "$dir/midge.conf" ;;
    mosquitto) mosquitto_conf "$port" > "$dir/mosquitto.conf" ;;
  esac
  t0="$(now_us)"
  case "$broker" in
    midge) MIDGE_JAVA_OPTS="$midge_opts" "$root/midge" -c "$dir/midge.conf" > "$dir/broker.log" 2>&1 & ;;
    mosquitto) mosquitto -c "$dir/mosquitto.conf" > "$dir/broker.log" 2>&1 & ;;
    # shellcheck disable=SC2086
    hivemq) java $hivemq_opts -cp "$hivemq_cp" io.midge.bench.hivemq.HiveMqMain "$port" "$dir/hivemq" \
              --queue 100000 --inflight 20 > "$dir/broker.log" 2>&1 & ;;
  esac
  broker_pid=$!
  deadline=$((t0 + 60000000))
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$broker_pid" 2>/dev/null; then
      echo "compare.sh: $broker exited during start-up, see $dir/broker.log" >&2
      wait "$broker_pid" 2>/dev/null || true
      broker_pid=""
      return 1
    fi
    if [ "$(now_us)" -gt "$deadline" ]; then
      echo "compare.sh: $broker did not accept connections within 60 s, see $dir/broker.log" >&2
      stop_broker
      return 1
    fi
    sleep 0.01
  done
  start_ms=$(( ($(now_us) - t0) / 1000 ))
}

stop_broker() {
  [ -n "$broker_pid" ] || return 0
  kill -TERM "$broker_pid" 2>/dev/null || true
  local i
  for i in $(seq 1 150); do
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
}
trap 'stop_broker' EXIT
trap 'exit 130' INT TERM

# ---- runs -------------------------------------------------------------------------------------

# run_one SCENARIO QOS BROKER RUN: one fresh broker, one scenario; appends one line to results.jsonl.
run_one() {
  local scenario="$1" qos="$2" broker="$3" run="$4"
  local name="$scenario${qos:+-q$qos}-$broker-$run"
  local dir="$results/runs/$name" port out rc=0 load cpu0 cpu1 rss
  port="$(free_port)"
  mkdir -p "$dir"
  out="$dir/result.json"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  if ! start_broker "$broker" "$port" "$dir"; then
    jq -n -c --arg s "$scenario" --arg b "$broker" --argjson r "$run" --arg q "$qos" \
      '{scenario: $s, qos: (if $q == "" then null else ($q | tonumber) end), broker: $b, run: $r, rc: 3,
        ok: false, problems: ["broker did not start"]}' >> "$jsonl"
    return
  fi
  sleep 1 # let the broker settle after it starts accepting
  local -a args=(--port "$port" --json)
  case "$scenario" in
    fanin|fanout|p2p) args+=(--qos "$qos" --payload 64 --duration "$duration" --warmup "$warmup") ;;
    latency) args+=(--qos "$qos" --payload 64 --pairs 10 --rate 10000 --duration "$duration" --warmup "$warmup") ;;
    conns) args+=(--connections "$connections" --duration "$hold" --broker-pid "$broker_pid" --connect-timeout 120) ;;
  esac
  cpu0="$(cpu_ticks "$broker_pid")"
  if [ "$scenario" = idle ]; then
    sleep 4
    rss="$(vmrss_kib "$broker_pid")"
    printf '{"scenario":"idle","rss_kib":%s,"ok":true,"problems":[]}\n' "$rss" > "$out"
  else
    # shellcheck disable=SC2086
    timeout $(( ${duration%.*} + ${warmup%.*} + 180 )) java ${MIDGE_BENCH_JAVA_OPTS:-} -jar "$bench_jar" \
      "$scenario" "${args[@]}" > "$out" 2> "$dir/bench.txt" || rc=$?
  fi
  cpu1="$(cpu_ticks "$broker_pid")"
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    echo "compare.sh: $broker died during $name, see $dir/broker.log" >&2
  fi
  stop_broker
  if ! jq -e . "$out" >/dev/null 2>&1; then
    printf '{"scenario":"%s","ok":false,"problems":["no result: exit %s"]}\n' "$scenario" "$rc" > "$out"
  fi
  jq -c --arg b "$broker" --argjson r "$run" --argjson rc "$rc" --argjson st "$start_ms" --arg q "$qos" \
    --argjson load "$load" --argjson cpu "$(awk -v a="$cpu0" -v b="$cpu1" -v t="$clk_tck" 'BEGIN {printf "%.2f", (b - a) / t}')" \
    '. + {broker: $b, run: $r, rc: $rc, startup_ms: $st, load1_before: $load, broker_cpu_s: $cpu}
       + (if $q == "" then {} else {qos: ($q | tonumber)} end)' "$out" >> "$jsonl"
  printf '%-8s %-4s %-10s run %s: %s\n' "$scenario" "${qos:+q$qos}" "$broker" "$run" \
    "$(jq -r 'if .scenario == "idle" then "rss \(.rss_kib) KiB"
              elif .scenario == "conns" then "\(.connected // 0) connected in \(.connect_s // "?") s, \(.rss_per_connection_bytes // "?") B/conn"
              else "\(.delivered_per_s // "?") deliver/s, p99 \(.p99_us // "?") us, lost \(.lost // "?")" end
              + (if .ok then "" else "  FAILED: \(.problems | join("; "))" end)' "$out") (start ${start_ms} ms)" >&2
}

total=0
for scenario in $scenarios; do
  case "$scenario" in
    fanin|fanout|p2p|latency) n_q=$(echo $qos_levels | wc -w) ;;
    conns|idle) n_q=1 ;;
    *) echo "compare.sh: unknown scenario $scenario" >&2; exit 2 ;;
  esac
  total=$((total + n_q * runs * $(echo $brokers | wc -w)))
done
echo "compare.sh: $total runs; results in $results" >&2

for scenario in $scenarios; do
  case "$scenario" in
    fanin|fanout|p2p|latency) levels="$qos_levels" ;;
    *) levels="-" ;;
  esac
  for q in $levels; do
    [ "$q" = "-" ] && q=""
    for run in $(seq 1 "$runs"); do
      for broker in $brokers; do
        run_one "$scenario" "$q" "$broker" "$run"
      done
    done
  done
done

summarize_file "$jsonl" | tee "$results/summary.md"
echo "compare.sh: raw results $jsonl, table $results/summary.md" >&2
