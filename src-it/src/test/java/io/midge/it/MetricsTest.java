package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} as Prometheus reads it: the text is parsed by the official Python client's
 * parser (Debian's python3-prometheus-client, through {@code src/test/python/parse_metrics.py}),
 * and the values are checked against traffic the test made. The traffic test's broker has $SYS
 * off, so that the retained store holds only the test's message:
 * <pre>
 * listener P0 127.0.0.1
 * allow_anonymous true
 * password_file PW
 * sys_interval 0
 * persistence true
 * persistence_location ./
 * persistence_durability fsync
 * listener P1 127.0.0.1
 * protocol http
 * http_allow_anonymous true
 * </pre>
 */
class MetricsTest {

    static final Duration LIMIT = Duration.ofSeconds(15);
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @Test
    void metricsParseAndCountTheTrafficByQosAndReason() throws Exception {
        assumeFalse(BrokerProcess.isMosquitto(), "protocol http is Midge's");
        TestFiles.shareDir(tmp);
        Path passwords = TestFiles.mosquittoPasswd(tmp.resolve("passwords"), true, "alice", "right");
        int[] ports = BrokerProcess.freePorts(2);
        try (BrokerProcess broker = BrokerProcess.startConfig(List.of(
                "listener " + ports[0] + " 127.0.0.1",
                "allow_anonymous true",
                "password_file " + passwords,
                "sys_interval 0",
                "persistence true",
                "persistence_location ./", // the run directory, which the broker's user may write
                "persistence_durability fsync",
                "listener " + ports[1] + " 127.0.0.1",
                "protocol http",
                "http_allow_anonymous true"), ports);
             Paho subscriber = Paho.connect(ports[0], Ids.client("m-sub"), true);
             Paho publisher = Paho.connect(ports[0], Ids.client("m-pub"), true)) {
            subscriber.subscribe("m/#", 2);
            for (int i = 0; i < 5; i++) {
                publisher.publish("m/q0", "0123456789", 0, false);
            }
            for (int i = 0; i < 3; i++) {
                publisher.publish("m/q1", "01234567890123456789", 1, i == 0);
            }
            for (int i = 0; i < 2; i++) {
                publisher.publish("m/q2", "012345678901234567890123456789", 2, false);
            }
            publisher.publish("$SYS/forged", "clients may not write here", 0, false);
            assertEquals(10, subscriber.collect(10, LIMIT).size(), "the subscriber got every message");
            try (Paho wrong = Paho.connect(ports[0], Ids.client("m-wrong"), true, options -> {
                options.setUserName("alice");
                options.setPassword("wrong".toCharArray());
            })) {
                throw new AssertionError("a wrong password was accepted");
            } catch (IllegalStateException refused) {
                // CONNACK 5, which the metric counts
            }

            Map<String, Double> metrics = scrape(ports[1], broker.dir());
            // The forged $SYS message is received (and dropped), at QoS 0 with its 26 bytes.
            assertEquals(6.0, metrics.get("midge_messages_received_total{qos=\"0\"}"));
            assertEquals(3.0, metrics.get("midge_messages_received_total{qos=\"1\"}"));
            assertEquals(2.0, metrics.get("midge_messages_received_total{qos=\"2\"}"));
            assertEquals(5.0 * 10 + 26, metrics.get("midge_message_received_bytes_total{qos=\"0\"}"));
            assertEquals(3.0 * 20, metrics.get("midge_message_received_bytes_total{qos=\"1\"}"));
            assertEquals(2.0 * 30, metrics.get("midge_message_received_bytes_total{qos=\"2\"}"));
            Await.until(LIMIT, () -> sent(ports[1], broker.dir()) == 10, () -> "all 10 counted as sent");
            metrics = scrape(ports[1], broker.dir());
            assertEquals(5.0, metrics.get("midge_messages_sent_total{qos=\"0\"}"));
            assertEquals(3.0, metrics.get("midge_messages_sent_total{qos=\"1\"}"));
            assertEquals(2.0, metrics.get("midge_messages_sent_total{qos=\"2\"}"));
            assertEquals(60.0, metrics.get("midge_message_sent_bytes_total{qos=\"2\"}"));
            assertEquals(1.0, metrics.get("midge_messages_dropped_total{reason=\"not_authorized\"}"));
            assertEquals(0.0, metrics.get("midge_messages_dropped_total{reason=\"queue_full\"}"));
            assertEquals(1.0, metrics.get("midge_connections_refused_total{code=\"5\"}"));
            assertEquals(2.0, metrics.get("midge_clients_connected{}"));
            assertEquals(2.0, metrics.get("midge_connections_total{}"));
            assertEquals(2.0, metrics.get("midge_sessions{state=\"online\"}"));
            assertEquals(0.0, metrics.get("midge_sessions{state=\"offline\"}"));
            assertEquals(1.0, metrics.get("midge_subscriptions{}"));
            assertEquals(1.0, metrics.get("midge_retained_messages{}"));
            assertEquals(20.0, metrics.get("midge_retained_bytes{}"));
            assertEquals(0.0, metrics.get("midge_queued_messages{}"));
            assertEquals(0.0, metrics.get("midge_inflight_messages{}"));
            assertTrue(metrics.get("midge_store_commit_seconds_count{}") >= 1, "the retained message was committed");
            assertTrue(metrics.get("midge_store_fsyncs_total{}") >= 1, "and synced");
            assertEquals(metrics.get("midge_store_commit_seconds_count{}"),
                    metrics.get("midge_store_commit_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(metrics.containsKey("midge_event_loop_pending_tasks{loop=\"0\"}"), metrics.keySet().toString());
            assertTrue(metrics.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
            assertTrue(metrics.get("jvm_threads_current{}") > 0);
            assertTrue(metrics.keySet().stream().anyMatch(name -> name.startsWith("midge_build_info{version=")),
                    metrics.keySet().toString());
        }
    }

    /** {@code midge_bridge_up}: 1 while the bridge's connection to its remote broker is up, 0 once the remote is gone. */
    @Test
    void bridgeUpFollowsTheRemoteBroker() {
        assumeFalse(BrokerProcess.isMosquitto(), "protocol http is Midge's");
        BrokerProcess remote = BrokerProcess.start();
        int[] ports = BrokerProcess.freePorts(2);
        String up = "midge_bridge_up{bridge=\"to-remote\"}";
        try (BrokerProcess local = BrokerProcess.startConfig(List.of(
                "listener " + ports[0] + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + ports[1] + " 127.0.0.1",
                "protocol http",
                "http_allow_anonymous true",
                "connection to-remote",
                "address " + BrokerProcess.HOST + ":" + remote.port(),
                "topic b/# out 0",
                "restart_timeout 1"), ports)) {
            try {
                Await.until(LIMIT, () -> Double.valueOf(1).equals(scrape(ports[1], local.dir()).get(up)),
                        () -> "the bridge is up: " + scrape(ports[1], local.dir()).get(up));
            } finally {
                remote.close();
            }
            Await.until(LIMIT, () -> Double.valueOf(0).equals(scrape(ports[1], local.dir()).get(up)),
                    () -> "the bridge is down once its remote stopped: " + scrape(ports[1], local.dir()).get(up));
        }
    }

    private static Map<String, Double> scrape(int httpPort, Path dir) {
        return parse(HttpCalls.plain(httpPort).get("/metrics", null), dir);
    }

    private static long sent(int httpPort, Path dir) {
        Map<String, Double> metrics = scrape(httpPort, dir);
        return Math.round(metrics.get("midge_messages_sent_total{qos=\"0\"}") + metrics.get("midge_messages_sent_total{qos=\"1\"}")
                + metrics.get("midge_messages_sent_total{qos=\"2\"}"));
    }

    /** Every sample, as {@code name{labels}} → value, and each counter family typed as one by the parser. */
    static Map<String, Double> parse(HttpResponse<String> response, Path dir) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        Path script = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("src/test/python/parse_metrics.py");
        try {
            Path text = Files.writeString(dir.resolve("metrics.txt"), response.body(), StandardCharsets.UTF_8);
            Process parser = new ProcessBuilder(PYTHON, script.toString()).redirectInput(text.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(parser.waitFor(30, TimeUnit.SECONDS), "the parser finished");
            assertEquals(0, parser.exitValue(), "prometheus_client parsed /metrics:\n" + out);
            Map<String, Double> samples = new TreeMap<>();
            for (String line : out.split("\n")) {
                String[] fields = line.split("\t");
                samples.put(fields[0], Double.parseDouble(fields[1]));
                if (fields[0].startsWith("midge_") && fields[0].contains("_total{")) {
                    assertEquals("counter", fields[2], fields[0]);
                }
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
