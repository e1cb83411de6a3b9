package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT.js in a real browser: Debian's headless Chromium ({@code /usr/bin/chromium}), driven by npm
 * {@code playwright-core} from {@code src/test/js/browser-ws.mjs}, loads {@code page.html} from a
 * static server on 127.0.0.1 in the node script and connects over {@code ws://} and {@code wss://}
 * (path {@code /mqtt}, subprotocol {@code mqtt}), subscribes, publishes, receives its own message
 * and a retained one the test left, then publishes a last message a TCP client here receives.
 * Chromium runs with {@code --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 * --disable-background-networking --disable-component-update --disable-sync} and a fresh user data
 * directory (playwright's {@code launchPersistentContext} on a new temporary directory passes it as
 * {@code --user-data-dir}). For wss:// the browser context has {@code ignoreHTTPSErrors: true}: the
 * test CA is not installed in Chromium, so the certificate is not verified (TLS is still used; the
 * listener takes nothing else).
 *
 * <p>Needs {@code chromium} (apt) and {@code npm ci} in src-it ({@code ./run-tests} does both).
 * One broker:
 * <pre>
 * listener P0 127.0.0.1
 * allow_anonymous true
 * listener P1 127.0.0.1
 * protocol websockets
 * listener P2 127.0.0.1
 * protocol websockets
 * cafile CA
 * certfile CRT
 * keyfile KEY
 * </pre>
 */
class BrowserWebSocketTest {

    @TempDir
    static Path tmp;

    static TestCerts certs;
    static BrokerProcess broker;
    static int tcp;
    static int ws;
    static int wss;

    @BeforeAll
    static void start() {
        TestFiles.shareDir(tmp);
        certs = TestCerts.generate(TestFiles.shareDir(tmp.resolve("certs")));
        int[] p = BrokerProcess.freePorts(3);
        tcp = p[0];
        ws = p[1];
        wss = p[2];
        broker = BrokerProcess.startConfig(List.of(
                "listener " + tcp + " 127.0.0.1",
                "allow_anonymous true",
                "listener " + ws + " 127.0.0.1",
                "protocol websockets",
                "listener " + wss + " 127.0.0.1",
                "protocol websockets",
                "cafile " + certs.caCert,
                "certfile " + certs.serverCert,
                "keyfile " + certs.serverKey), p);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void mqttJsInChromiumOverWsAndWss() throws Exception {
        String t = Ids.topic("browser");
        Map<String, String> ids = new HashMap<>();
        ids.put("ws", Ids.client("br-ws"));
        ids.put("wss", Ids.client("br-wss"));
        try (RawClient tcpClient = RawClient.connect(tcp, Ids.client("br-tcp"))) {
            tcpClient.subscribe(t + "/+/done", 1);
            for (String name : ids.keySet()) {
                tcpClient.publish(t + "/" + name + "/retained", 1, true, "retained-" + name);
            }
            String config = "{\"targets\":["
                    + target("ws", "ws://127.0.0.1:" + ws + "/mqtt", t + "/ws", ids.get("ws")) + ","
                    + target("wss", "wss://127.0.0.1:" + wss + "/mqtt", t + "/wss", ids.get("wss")) + "]}";
            String result = runBrowser(config);

            for (String name : List.of("ws", "wss")) {
                String one = section(result, name);
                String prefix = t + "/" + name;
                assertTrue(one.contains("\"connected\":true"), name + " connected: " + one);
                assertTrue(one.contains("\"error\":null"), name + " without error: " + one);
                assertTrue(one.contains("\"subscribed\":[1]"), name + " SUBACK granted QoS 1: " + one);
                assertTrue(one.contains("{\"topic\":\"" + prefix + "/echo\",\"payload\":\"hello-" + ids.get(name)
                        + "\",\"retain\":false}"), name + " received its own publish: " + one);
                assertTrue(one.contains("{\"topic\":\"" + prefix + "/retained\",\"payload\":\"retained-" + name
                        + "\",\"retain\":true}"), name + " received the retained message: " + one);
            }
            List<String> done = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Packet p = tcpClient.nextPublish();
                tcpClient.send(Mqtt.puback(p.packetId()));
                done.add(p.topic() + "=" + p.payloadString());
            }
            done.sort(null);
            assertEquals(List.of(t + "/ws/done=bye-" + ids.get("ws"), t + "/wss/done=bye-" + ids.get("wss")), done,
                    "the browser's last publishes reach a TCP client");
            for (String name : ids.keySet()) {
                tcpClient.publish(t + "/" + name + "/retained", 1, true, ""); // clear
            }
        }
    }

    private static String target(String name, String url, String prefix, String clientId) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"prefix\":\"" + prefix
                + "\",\"clientId\":\"" + clientId + "\"}";
    }

    /** The JSON object of one target, e.g. {@code "ws":{...}} (targets hold no nested objects but received[]). */
    static String section(String json, String name) {
        int at = json.indexOf("\"" + name + "\":{\"url\"");
        if (at < 0) {
            fail("no result for " + name + " in " + json);
        }
        int end = json.indexOf("\"error\":", at);
        int close = json.indexOf('}', end);
        return json.substring(at, close + 1);
    }

    private static String runBrowser(String config) throws IOException, InterruptedException {
        return runBrowser(broker.dir(), config);
    }

    /** Runs the node script, its output in {@code runDir}; returns the JSON after "RESULT ". Fails with its output otherwise. */
    static String runBrowser(Path runDir, String config) throws IOException, InterruptedException {
        Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
        Path script = module.resolve("src/test/js/browser-ws.mjs");
        if (!Files.isDirectory(module.resolve("node_modules/playwright-core"))
                || !Files.isDirectory(module.resolve("node_modules/mqtt"))) {
            fail("src-it/node_modules lacks playwright-core / mqtt: run `npm ci` in " + module + " (./run-tests does)");
        }
        if (!Files.isExecutable(Paths.get("/usr/bin/chromium"))) {
            fail("/usr/bin/chromium is missing: apt-get install chromium (./run-tests does)");
        }
        Path log = runDir.resolve("browser-ws.out");
        Process p = new ProcessBuilder("node", script.toString(), config)
                .directory(module.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("browser-ws.mjs did not finish within 120 s; output:\n" + read(log));
        }
        String out = read(log);
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return line.substring("RESULT ".length());
            }
        }
        fail("browser-ws.mjs exited " + p.exitValue() + " without a RESULT line; output:\n" + out);
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
