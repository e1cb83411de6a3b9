package io.midge.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one run: named values in a fixed order, the checks that failed, and two
 * renderings, a human table (header + one row) and one JSON line for scripts.
 */
final class BenchResult {

    private final Map<String, Object> values = new LinkedHashMap<>();
    /** Table columns: header → key. */
    private final Map<String, String> columns = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> errors;

    private BenchResult(List<String> errors) {
        this.errors = errors;
    }

    boolean ok() {
        return problems.isEmpty();
    }

    List<String> problems() {
        return problems;
    }

    Object get(String key) {
        return values.get(key);
    }

    long getLong(String key) {
        return ((Number) values.get(key)).longValue();
    }

    private BenchResult put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    private void column(String header, String key) {
        columns.put(header, key);
    }

    private void check(boolean bad, String problem) {
        if (bad) {
            problems.add(problem);
        }
    }

    // ---- load scenarios -----------------------------------------------------------------------

    static BenchResult load(LoadSpec spec, ClientTransport transport, LoadRun.Snapshot s, long drainNanos,
                            long tickNanos, List<String> errors) {
        BenchResult r = new BenchResult(errors);
        long sent = LoadRun.Snapshot.sum(s.sent);
        long received = LoadRun.Snapshot.sum(s.received);
        long lost = s.lost();
        long duplicates = s.duplicated();
        long outOfOrder = LoadRun.Snapshot.sum(s.outOfOrder);
        long unexpected = LoadRun.Snapshot.sum(s.unexpected) + s.strayPublishes + s.excess();
        long unacked = s.inflight();
        double seconds = spec.durationSeconds();
        r.put("scenario", spec.scenario().label())
                .put("transport", transport.name().toLowerCase(Locale.ROOT))
                .put("qos", spec.qos())
                .put("payload", spec.payload())
                .put("publishers", spec.publishers())
                .put("subscribers", spec.subscribers())
                .put("threads", spec.threads())
                .put("mqtt5", spec.mqtt5())
                .put("protocol", spec.mqtt5() ? "5" : "3.1.1")
                .put("shared", spec.shareGroup())
                .put("inflight", spec.inflight())
                .put("inflight_used", spec.qos() == 0 ? null : LoadRun.Snapshot.max(s.window))
                .put("broker_receive_maximum", spec.mqtt5() && spec.qos() > 0
                        ? LoadRun.Snapshot.max(s.brokerReceiveMaximum) : null)
                .put("rate", spec.rate())
                .put("warmup_s", spec.warmupSeconds())
                .put("duration_s", seconds)
                .put("sent", sent)
                .put("sent_per_s", LoadRun.Snapshot.sum(s.sentInWindow) / seconds)
                .put("expected", s.expected())
                .put("received", received)
                .put("delivered_per_s", LoadRun.Snapshot.sum(s.receivedInWindow) / seconds)
                .put("lost", lost)
                .put("duplicated", duplicates)
                .put("out_of_order", outOfOrder)
                .put("beyond_window", LoadRun.Snapshot.sum(s.beyondWindow))
                .put("unexpected", unexpected)
                .put("protocol_errors", s.protocolErrors)
                .put("refused", s.refused)
                .put("unacked", unacked)
                .put("latency_count", s.latency.getTotalCount())
                .put("p50_us", micros(s.latency.getValueAtPercentile(50)))
                .put("p99_us", micros(s.latency.getValueAtPercentile(99)))
                .put("p999_us", micros(s.latency.getValueAtPercentile(99.9)))
                .put("max_us", micros(s.latency.getMaxValue()))
                .put("pacing_tick_us", micros(tickNanos))
                .put("pacing_lag_max_us", micros(LoadRun.Snapshot.max(s.maxLag)))
                .put("drain_ms", drainNanos / 1_000_000);
        long memberMin = min(s.received);
        long memberMax = LoadRun.Snapshot.max(s.received);
        if (spec.shared()) {
            r.put("member_received_min", memberMin).put("member_received_max", memberMax);
        }

        r.column("scenario", "scenario");
        r.column("mqtt", "protocol");
        r.column("qos", "qos");
        r.column("payload", "payload");
        r.column("pubs", "publishers");
        r.column("subs", "subscribers");
        r.column("sent/s", "sent_per_s");
        r.column("deliver/s", "delivered_per_s");
        r.column("p50us", "p50_us");
        r.column("p99us", "p99_us");
        r.column("p99.9us", "p999_us");
        r.column("maxus", "max_us");
        r.column("lost", "lost");
        r.column("dup", "duplicated");
        r.column("ooo", "out_of_order");
        if (spec.shared()) {
            r.column("member min", "member_received_min");
            r.column("member max", "member_received_max");
        }

        r.check(spec.qos() > 0 && lost > 0, lost + " messages lost at QoS " + spec.qos());
        r.check(duplicates > 0, duplicates + " duplicated messages");
        r.check(outOfOrder > 0, outOfOrder + " messages out of order");
        r.check(unexpected > 0, unexpected + " messages that were not sent by this run");
        r.check(s.protocolErrors > 0, s.protocolErrors + " protocol errors (unexpected acks or QoS)");
        r.check(spec.qos() > 0 && unacked > 0, unacked + " publishes never acknowledged");
        r.check(s.refused > 0, s.refused + " publishes refused by the broker (MQTT 5 failure reason code)");
        // Round robin or random, a member of a busy shared subscription gets its turn.
        r.check(spec.shared() && memberMin == 0 && sent >= 10L * spec.subscribers(),
                "a member of the shared subscription received nothing");
        r.check(received == 0, "nothing was delivered");
        r.check(!errors.isEmpty(), errors.size() + " connection errors");
        return r.finish();
    }

    private static long min(long[] values) {
        long min = Long.MAX_VALUE;
        for (long v : values) {
            min = Math.min(min, v);
        }
        return values.length == 0 ? 0 : min;
    }

    // ---- conns --------------------------------------------------------------------------------

    static BenchResult conns(ConnsSpec spec, ClientTransport transport, Connector.Outcome outcome, int stillOpen,
                             long pid, long rssBeforeKiB, long rssAfterKiB, List<String> errors) {
        BenchResult r = new BenchResult(errors);
        double connectSeconds = outcome.lastReadyNanos() > 0
                ? (outcome.lastReadyNanos() - outcome.firstStartNanos()) / 1e9 : 0;
        boolean rss = rssBeforeKiB >= 0 && rssAfterKiB >= 0;
        r.put("scenario", Scenario.CONNS.label())
                .put("transport", transport.name().toLowerCase(Locale.ROOT))
                .put("mqtt5", spec.mqtt5())
                .put("connections", spec.connections())
                .put("connected", outcome.connected())
                .put("failed", outcome.failed())
                .put("still_open", stillOpen)
                .put("threads", spec.threads())
                .put("concurrency", spec.concurrency())
                .put("connect_s", connectSeconds)
                .put("connects_per_s", connectSeconds > 0 ? outcome.connected() / connectSeconds : 0.0)
                .put("hold_s", spec.holdSeconds())
                .put("broker_pid", pid > 0 ? pid : null)
                .put("rss_before_kib", rss ? rssBeforeKiB : null)
                .put("rss_after_kib", rss ? rssAfterKiB : null)
                .put("rss_per_connection_bytes", rss && outcome.connected() > 0
                        ? (rssAfterKiB - rssBeforeKiB) * 1024.0 / outcome.connected() : null);

        r.column("scenario", "scenario");
        r.column("conns", "connections");
        r.column("connected", "connected");
        r.column("failed", "failed");
        r.column("open", "still_open");
        r.column("connect_s", "connect_s");
        r.column("conn/s", "connects_per_s");
        r.column("rssKiB_before", "rss_before_kib");
        r.column("rssKiB_after", "rss_after_kib");
        r.column("bytes/conn", "rss_per_connection_bytes");

        r.check(outcome.failed() > 0, outcome.failed() + " connections failed, first: " + outcome.firstError());
        r.check(outcome.timedOut(), "connecting timed out after " + outcome.connected() + " connections");
        r.check(stillOpen < outcome.connected(), (outcome.connected() - stillOpen)
                + " connections closed by the broker while idle");
        r.check(!errors.isEmpty(), errors.size() + " connection errors");
        return r.finish();
    }

    // ---- storm --------------------------------------------------------------------------------

    static BenchResult storm(StormSpec spec, ClientTransport transport, StormRun.Outcome o, List<String> errors) {
        BenchResult r = new BenchResult(errors);
        double stormSeconds = o.connected() > 0 ? o.stormNanos() / 1e9 : 0;
        boolean rss = o.rssBeforeKiB() >= 0 && o.rssAfterKiB() >= 0;
        r.put("scenario", Scenario.STORM.label())
                .put("transport", transport.name().toLowerCase(Locale.ROOT))
                .put("mqtt5", spec.mqtt5())
                .put("connections", spec.connections())
                .put("start_after_s", spec.startAfterSeconds())
                .put("window", spec.window())
                .put("threads", spec.threads())
                .put("connected", o.connected())
                .put("failed", o.failed())
                .put("still_open", o.stillOpen())
                .put("start_to_connack_ms", o.startToConnAckNanos() >= 0 ? o.startToConnAckNanos() / 1e6 : null)
                .put("storm_s", stormSeconds)
                .put("connects_per_s", stormSeconds > 0 ? o.connected() / stormSeconds : 0.0)
                .put("connack_p50_ms", o.connack().getTotalCount() > 0
                        ? o.connack().getValueAtPercentile(50) / 1e6 : null)
                .put("connack_p99_ms", o.connack().getTotalCount() > 0
                        ? o.connack().getValueAtPercentile(99) / 1e6 : null)
                .put("connack_max_ms", o.connack().getTotalCount() > 0 ? o.connack().getMaxValue() / 1e6 : null)
                .put("broker_pid", o.pid() > 0 ? o.pid() : null)
                .put("broker_cpu_before_storm_s", o.brokerCpuTicksAtStorm() >= 0
                        ? StormRun.cpuSeconds(o.brokerCpuTicksAtStorm()) : null)
                .put("broker_cpu_storm_s", o.brokerCpuTicks() >= 0 ? StormRun.cpuSeconds(o.brokerCpuTicks()) : null)
                .put("hold_s", spec.holdSeconds())
                .put("rss_before_kib", rss ? o.rssBeforeKiB() : null)
                .put("rss_after_kib", rss ? o.rssAfterKiB() : null)
                .put("rss_per_connection_bytes", rss && o.connected() > 0
                        ? (o.rssAfterKiB() - o.rssBeforeKiB()) * 1024.0 / o.connected() : null)
                .put("broker_exit", spec.brokerCommand() == null ? null : o.brokerExit());

        r.column("scenario", "scenario");
        r.column("conns", "connections");
        r.column("connected", "connected");
        r.column("start_ms", "start_to_connack_ms");
        r.column("storm_s", "storm_s");
        r.column("conn/s", "connects_per_s");
        r.column("p50_ms", "connack_p50_ms");
        r.column("p99_ms", "connack_p99_ms");
        r.column("cpu_s", "broker_cpu_storm_s");
        r.column("rssKiB_before", "rss_before_kib");
        r.column("rssKiB_after", "rss_after_kib");
        r.column("bytes/conn", "rss_per_connection_bytes");

        r.check(o.failed() > 0, o.failed() + " connections failed, first: " + o.firstError());
        r.check(o.timedOut(), "connecting timed out after " + o.connected() + " connections");
        r.check(o.stillOpen() < o.connected(), (o.connected() - o.stillOpen())
                + " connections closed by the broker while idle");
        return r.finish();
    }

    private BenchResult finish() {
        values.put("ok", problems.isEmpty());
        values.put("problems", List.copyOf(problems));
        values.put("errors", errors.size() > 10 ? List.copyOf(errors.subList(0, 10)) : List.copyOf(errors));
        column("result", "ok");
        return this;
    }

    // ---- rendering ----------------------------------------------------------------------------

    /** A header line and a row, columns aligned, then one line per problem and per error. */
    String table() {
        List<String> headers = new ArrayList<>(columns.keySet());
        List<String> cells = new ArrayList<>();
        for (String key : columns.values()) {
            Object v = values.get(key);
            cells.add("ok".equals(key) ? (Boolean.TRUE.equals(v) ? "OK" : "FAIL") : human(v));
        }
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < headers.size(); i++) {
            int width = Math.max(headers.get(i).length(), cells.get(i).length());
            String sep = i == 0 ? "" : "  ";
            header.append(sep).append(pad(headers.get(i), width, i == 0));
            row.append(sep).append(pad(cells.get(i), width, i == 0));
        }
        StringBuilder out = new StringBuilder().append(header).append('\n').append(row);
        for (String problem : problems) {
            out.append("\n  FAIL: ").append(problem);
        }
        for (String error : errors.size() > 10 ? errors.subList(0, 10) : errors) {
            out.append("\n  error: ").append(error);
        }
        return out.toString();
    }

    String json() {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendJson(out.append('"').append(e.getKey()).append("\":"), e.getValue());
        }
        return out.append('}').toString();
    }

    private static void appendJson(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Double d) {
            out.append(String.format(Locale.ROOT, "%.3f", d));
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendJson(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append('"');
            for (char c : v.toString().toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }

    private static String human(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            double a = Math.abs(d);
            return a >= 1000 ? String.format(Locale.ROOT, "%.0f", d)
                    : a >= 10 ? String.format(Locale.ROOT, "%.1f", d)
                    : String.format(Locale.ROOT, "%.2f", d);
        }
        return v.toString();
    }

    private static String pad(String s, int width, boolean left) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return left ? s + spaces : spaces + s;
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
