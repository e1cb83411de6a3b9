# bench/compare.sh's table: jq -r -s -f bench/compare-summary.jq results.jsonl
# Input: one JSON object per run (midge-bench --json output plus broker, run, rc, startup_ms).
# Output: Markdown tables of medians over the runs, ratios Midge/mosquitto and Midge/HiveMQ, and
# whether each target is met.

def median: map(select(. != null and . >= 0)) | sort
  | if length == 0 then null
    elif length % 2 == 1 then .[(length - 1) / 2]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;

def fmt: if . == null then "–"
  elif fabs >= 100 then (round | tostring)
  elif fabs >= 10 then ((. * 10 | round) / 10 | tostring)
  else ((. * 100 | round) / 100 | tostring) end;

def ratio(a; b): if a == null or b == null then null elif b == 0 then (if a > 0 then infinite else null end) else a / b end;
def x: if . == null then "–" elif isinfinite then "∞" elif . >= 1000 then "> 1000×" else ((. * 100 | round) / 100 | tostring) + "×" end;
def mark(ok): if ok == null then "?" elif ok then "yes" else "**no**" end;

def brokers: ["midge", "mosquitto", "hivemq"];
def blabel: {"midge": "Midge", "mosquitto": "mosquitto", "hivemq": "HiveMQ CE"}[.] // .;

# The runs of one broker in a group.
def of($b): map(select(.broker == $b));
def failed: map(select(.ok != true)) | length;
def runs_failed: if length == 0 then "–" else "\(failed) of \(length)" end;
def lossp: if (.expected // 0) > 0 then 100 * .lost / .expected else null end;
def loss_cell: (map(lossp) | median) as $l
  | if length == 0 then "–" elif $l == null then "?" elif $l == 0 then "0" else ($l | fmt) + " %" end;

. as $all
| ($all | map(.broker) | unique) as $present

# ---- throughput ----
| ( $all | map(select(.scenario == "fanin" or .scenario == "fanout" or .scenario == "p2p")) ) as $tp
| ( $all | map(select(.scenario == "latency")) ) as $lat
| ( $all | map(select(.scenario == "conns")) ) as $conns
| ( $all | map(select(.scenario == "idle")) ) as $idle

| (if ($tp | length) > 0 then
    "### Throughput: messages delivered per second (median of \($tp | map(.run) | max) runs; 64-byte payload)",
    "",
    "| scenario | QoS | Midge | mosquitto | HiveMQ CE | Midge / mosquitto | Midge / HiveMQ | loss Midge / mosq. / HiveMQ | failed runs M / m / H | target (≥ 1.5× mosq., ≥ 1× HiveMQ, no QoS 1 loss) |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ( $tp | group_by([.scenario, .qos]) | sort_by((.[0].scenario as $s | ["fanin", "fanout", "p2p"] | index($s)), .[0].qos) | .[]
      | . as $g
      | ($g | of("midge") | map(.delivered_per_s) | median) as $m
      | ($g | of("mosquitto") | map(.delivered_per_s) | median) as $q
      | ($g | of("hivemq") | map(.delivered_per_s) | median) as $h
      | (ratio($m; $q)) as $rq | (ratio($m; $h)) as $rh
      | ($g | of("midge") | (if .[0].qos > 0 then (failed == 0 and (map(.lost // 1) | max) == 0) else true end)) as $noloss
      | "| \($g[0].scenario) | \($g[0].qos) | \($m | fmt) | \($q | fmt) | \($h | fmt) | \($rq | x) | \($rh | x) | \($g | of("midge") | loss_cell) / \($g | of("mosquitto") | loss_cell) / \($g | of("hivemq") | loss_cell) | \($g | of("midge") | failed) / \($g | of("mosquitto") | failed) / \($g | of("hivemq") | failed) of \($g | group_by(.broker) | map(length) | max) | \(mark(if $rq == null then null else ($rq >= 1.5 and ($rh == null or $rh >= 1) and $noloss) end)) |" ),
    ""
  else empty end)

# ---- latency ----
, (if ($lat | length) > 0 then
    "### Latency: 10 pairs, 10,000 msg/s in total, publish to delivery in µs (median of \($lat | map(.run) | max) runs)",
    "",
    "| QoS | broker | p50 | p99 | p99.9 | max | sent/s | loss | failed runs | Midge p99 / this p99 |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ( $lat | group_by(.qos) | .[] | . as $g
      | ($g | of("midge") | map(.p99_us) | median) as $mp99
      | brokers[] as $b | select($present | any(. == $b))
      | ($g | of($b)) as $r
      | ($r | map(.p99_us) | median) as $p99
      | "| \($g[0].qos) | \($b | blabel) | \($r | map(.p50_us) | median | fmt) | \($p99 | fmt) | \($r | map(.p999_us) | median | fmt) | \($r | map(.max_us) | median | fmt) | \($r | map(.sent_per_s) | median | fmt) | \($r | loss_cell) | \($r | runs_failed) | \(if $b == "midge" then "" else (ratio($mp99; $p99) | x) end) |" ),
    "",
    ( $lat | group_by(.qos) | .[] | . as $g
      | ($g | of("midge") | map(.p99_us) | median) as $m
      | ($g | of("mosquitto") | map(.p99_us) | median) as $q
      | "Target (QoS \($g[0].qos)): Midge p99 ≤ mosquitto p99: \(mark(if $m == null or $q == null then null else $m <= $q end))." ),
    ""
  else empty end)

# ---- connections ----
, (if ($conns | length) > 0 then
    "### Idle connections: \($conns | map(.connections) | max) at once (median of \($conns | map(.run) | max) runs, fresh broker each)",
    "",
    "| broker | connected | time to connect all (s) | connections/s | broker RSS before (MiB) | after (MiB) | RSS per connection (KiB) | failed runs |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ( brokers[] as $b | select($present | any(. == $b)) | ($conns | of($b)) as $r
      | "| \($b | blabel) | \($r | map(.connected) | median | fmt) | \($r | map(.connect_s) | median | fmt) | \($r | map(.connects_per_s) | median | fmt) | \($r | map(.rss_before_kib / 1024) | median | fmt) | \($r | map(.rss_after_kib / 1024) | median | fmt) | \($r | map(.rss_per_connection_bytes / 1024) | median | fmt) | \($r | runs_failed) |" ),
    "",
    ( ($conns | of("midge") | map(.connect_s) | median) as $mt
      | ($conns | of("mosquitto") | map(.connect_s) | median) as $qt
      | ($conns | of("hivemq") | map(.connect_s) | median) as $ht
      | ($conns | of("midge") | map(.rss_per_connection_bytes / 1024) | median) as $mk
      | ($conns | of("mosquitto") | map(.rss_per_connection_bytes / 1024) | median) as $qk
      | ($conns | of("hivemq") | map(.rss_per_connection_bytes / 1024) | median) as $hk
      | "Ratios Midge / mosquitto, Midge / HiveMQ: time to connect \(ratio($mt; $qt) | x), \(ratio($mt; $ht) | x); memory per connection \(ratio($mk; $qk) | x), \(ratio($mk; $hk) | x).",
        "",
        "Targets: Midge ≤ 2 KiB per idle connection: \(mark(if $mk == null then null else $mk <= 2 end)); time to connect all ≤ mosquitto's: \(mark(if $mt == null or $qt == null then null else $mt <= $qt end))." ),
    ""
  else empty end)

# ---- idle broker, start-up ----
, (if ($all | length) > 0 then
    "### Idle broker and start-up",
    "",
    "| broker | idle RSS, 5 s after start (MiB) | start to accepting TCP (ms), median | min – max | starts |",
    "| --- | ---: | ---: | --- | ---: |",
    ( brokers[] as $b | select($present | any(. == $b)) | ($all | of($b) | map(.startup_ms) | map(select(. != null))) as $st
      | "| \($b | blabel) | \($idle | of($b) | map(.rss_kib / 1024) | median | fmt) | \($st | median | fmt) | \($st | min | fmt) – \($st | max | fmt) | \($st | length) |" ),
    "",
    ( ($idle | of("midge") | map(.rss_kib / 1024) | median) as $mr
      | ($all | of("midge") | map(.startup_ms) | median) as $ms
      | "Targets: Midge idle RSS ≤ 64 MiB: \(mark(if $mr == null then null else $mr <= 64 end)); start to accepting ≤ 1 s: \(mark(if $ms == null then null else $ms <= 1000 end))." ),
    ""
  else empty end)
