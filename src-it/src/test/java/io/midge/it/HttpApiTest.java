package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of a {@code protocol http} listener, as curl would use it: credentials required and
 * refused, what each read endpoint returns for known state, the admin actions and their effect on
 * clients, bad requests, a bearer token over TLS, the event stream filtered by the ACL, and
 * mosquitto's http_dir on a websockets listener. One broker:
 * <pre>
 * listener P0 127.0.0.1          (MQTT)
 * allow_anonymous true
 * password_file PW               (admin, viewer, limited)
 * acl_file ACL                   (anonymous: readwrite #; limited: read public/#)
 * listener P1 127.0.0.1
 * protocol http
 * http_admin admin
 * listener P2 127.0.0.1
 * protocol http
 * certfile / keyfile             (TLS)
 * http_token T0k3n-for-tests
 * listener P3 127.0.0.1
 * protocol websockets
 * http_dir DIR                   (index.html)
 * </pre>
 */
class HttpApiTest {

    static final Duration LIMIT = Duration.ofSeconds(15);
    static final String TOKEN = "T0k3n-for-tests";
    static final String ADMIN = HttpCalls.basic("admin", "secret");
    static final String VIEWER = HttpCalls.basic("viewer", "view");
    static final String LIMITED = HttpCalls.basic("limited", "lim");

    @TempDir
    static Path tmp;
    static Path passwords;
    static BrokerProcess broker;
    static int mqtt;
    static HttpCalls http;
    static HttpCalls https;
    static int ws;
    static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(BrokerProcess.isMosquitto(), "protocol http is Midge's");
        TestFiles.shareDir(tmp);
        TestCerts certs = TestCerts.generate(TestFiles.shareDir(tmp.resolve("certs")));
        passwords = tmp.resolve("passwords");
        TestFiles.mosquittoPasswd(passwords, true, "admin", "secret");
        TestFiles.mosquittoPasswd(passwords, false, "viewer", "view");
        TestFiles.mosquittoPasswd(passwords, false, "limited", "lim");
        Path acl = TestFiles.write(tmp.resolve("acl"), "topic readwrite #", "", "user viewer", "topic read #",
                "", "user admin", "topic readwrite #", "", "user limited", "topic read public/#");
        Path www = TestFiles.shareDir(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<h1>served from http_dir</h1>");
        int[] ports = BrokerProcess.freePorts(4);
        mqtt = ports[0];
        ws = ports[3];
        broker = BrokerProcess.startConfig(List.of(
                "listener " + mqtt + " 127.0.0.1",
                "allow_anonymous true",
                "password_file " + passwords,
                "acl_file " + acl,
                "listener " + ports[1] + " 127.0.0.1",
                "protocol http",
                "http_admin admin",
                "listener " + ports[2] + " 127.0.0.1",
                "protocol http",
                "certfile " + certs.serverCert,
                "keyfile " + certs.serverKey,
                "http_token " + TOKEN,
                "listener " + ws + " 127.0.0.1",
                "protocol websockets",
                "http_dir " + www), ports);
        httpPort = ports[1];
        http = HttpCalls.plain(ports[1]);
        https = HttpCalls.tls(ports[2], TestCerts.clientContext(certs.caCert));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void withoutCredentialsEveryEndpointIsRefusedWithABasicChallenge() {
        for (String path : List.of("/", "/metrics", "/api/v1/version", "/api/v1/clients", "/api/v1/events")) {
            HttpResponse<String> response = http.get(path, null);
            assertEquals(401, response.statusCode(), path);
            assertEquals("Basic realm=\"midge\", charset=\"UTF-8\"",
                    response.headers().firstValue("WWW-Authenticate").orElse(null), path);
        }
        assertEquals(401, http.get("/api/v1/version", HttpCalls.basic("viewer", "wrong")).statusCode());
        assertEquals(401, http.get("/api/v1/version", HttpCalls.basic("nobody", "view")).statusCode());
        assertEquals(401, http.get("/api/v1/version", "Basic !!not-base64!!").statusCode());
        assertEquals(401, http.get("/api/v1/version", HttpCalls.bearer(TOKEN)).statusCode(),
                "the token is the TLS listener's, not this one's");
    }

    @Test
    void aUserFromThePasswordFileReadsVersionListenersAndStats() {
        HttpResponse<String> version = http.get("/api/v1/version", VIEWER);
        assertEquals(200, version.statusCode());
        assertEquals("application/json; charset=utf-8", version.headers().firstValue("Content-Type").orElse(null));
        assertTrue(version.body().matches("\\{\"version\":\"[^\"]+\",\"uptime_seconds\":\\d+,\"started_at_ms\":\\d+}"),
                version.body());

        String listeners = http.get("/api/v1/listeners", VIEWER).body();
        assertTrue(listeners.contains("{\"port\":" + mqtt + ",\"bind_address\":\"127.0.0.1\",\"protocol\":\"mqtt\",\"tls\":false"),
                listeners);
        assertTrue(listeners.contains("\"protocol\":\"http\",\"tls\":true"), listeners);
        assertTrue(listeners.contains("{\"port\":" + ws + ",\"bind_address\":\"127.0.0.1\",\"protocol\":\"websockets\""),
                listeners);

        String stats = http.get("/api/v1/stats", VIEWER).body();
        assertTrue(stats.contains("\"publish_received\":"), stats);
    }

    @Test
    void clientsArePagedAndOneClientShowsItsSubscriptions() {
        String prefix = Ids.client("api");
        List<Paho> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(Paho.connect(mqtt, prefix + "-" + i, i != 0));
            }
            clients.get(0).subscribe("test/a/#", 1);
            clients.get(0).subscribe("test/b", 2);

            String all = http.get("/api/v1/clients?limit=1000", VIEWER).body();
            for (int i = 0; i < 3; i++) {
                assertTrue(all.contains("\"id\":\"" + prefix + "-" + i + "\",\"connected\":true"), all);
            }
            assertTrue(all.contains("{\"id\":\"" + prefix + "-0\",\"connected\":true,\"persistent\":true,"
                    + "\"address\":\"127.0.0.1:"), all);
            assertTrue(all.contains("\"protocol\":\"MQTT 3.1.1\",\"username\":null,\"keep_alive\":60,\"bridge\":false,"
                    + "\"queued\":0,\"inflight\":0,\"dropped\":0,\"subscriptions\":2}"), all);

            String page = http.get("/api/v1/clients?offset=1&limit=1", VIEWER).body();
            assertTrue(page.matches("\\{\"total\":\\d+,\"offset\":1,\"limit\":1,\"clients\":\\[\\{[^\\[]*}]}"), page);

            String one = http.get("/api/v1/clients/" + prefix + "-0", VIEWER).body();
            assertTrue(one.endsWith("\"subscriptions\":[{\"filter\":\"test/a/#\",\"qos\":1},{\"filter\":\"test/b\",\"qos\":2}]}"),
                    one);
            assertEquals(404, http.get("/api/v1/clients/" + prefix + "-none", VIEWER).statusCode());
        } finally {
            clients.forEach(Paho::close);
        }
    }

    @Test
    void retainedMessagesAreListedByFilterAndTheSysTreeAsJson() {
        String topic = Ids.topic("test/retained");
        try (Paho publisher = Paho.connect(mqtt, Ids.client("api-ret"), true)) {
            publisher.publish(topic + "/text", "21.5", 1, true);
            publisher.publish(topic + "/binary", new byte[] {(byte) 0xff, 0, 1}, 1, true);
            String filter = URLEncoder.encode(topic + "/#", StandardCharsets.UTF_8);
            String[] listed = new String[1];
            Await.until(LIMIT, () -> (listed[0] = http.get("/api/v1/retained?filter=" + filter, VIEWER).body())
                    .contains("\"total\":2"), () -> listed[0]);
            assertEquals("{\"total\":2,\"offset\":0,\"limit\":100,\"filter\":\"" + topic + "/#\",\"messages\":["
                    + "{\"topic\":\"" + topic + "/binary\",\"qos\":1,\"bytes\":3,\"payload\":\"/wAB\",\"encoding\":\"base64\"},"
                    + "{\"topic\":\"" + topic + "/text\",\"qos\":1,\"bytes\":4,\"payload\":\"21.5\",\"encoding\":\"utf8\"}]}",
                    listed[0]);
            assertEquals(400, http.get("/api/v1/retained?filter=a/%23/b", VIEWER).statusCode());
            publisher.publish(topic + "/text", "", 1, true);
            publisher.publish(topic + "/binary", "", 1, true);
        }
        String[] sys = new String[1];
        Await.until(LIMIT, () -> (sys[0] = http.get("/api/v1/sys", VIEWER).body()).contains("\"uptime\":"), () -> sys[0]);
        assertTrue(sys[0].startsWith("{\"$SYS\":{\"broker\":{"), sys[0]);
        assertTrue(sys[0].matches(".*\"clients\":\\{[^}]*\"connected\":\"\\d+\".*"), sys[0]);
    }

    @Test
    void onlyAnAdminDisconnectsAClientWhichGetsNoWill() {
        String id = Ids.client("victim");
        String willTopic = Ids.topic("test/will");
        try (Inbox wills = Inbox.subscribe(mqtt, Ids.client("will-watch"), true, willTopic);
             Paho victim = Paho.connect(mqtt, id, true, options -> options.setWill(willTopic, "gone".getBytes(), 1, false))) {
            assertEquals(403, http.send("POST", "/api/v1/clients/" + id + "/disconnect", VIEWER).statusCode());
            assertFalse(victim.connectionLost());
            assertEquals(405, http.get("/api/v1/clients/" + id + "/disconnect", ADMIN).statusCode());

            int mark = broker.logLength();
            HttpResponse<String> kicked = http.send("POST", "/api/v1/clients/" + id + "/disconnect", ADMIN);
            assertEquals(200, kicked.statusCode(), kicked.body());
            assertEquals("{\"disconnected\":\"" + id + "\"}", kicked.body());
            Await.until(LIMIT, victim::connectionLost, () -> "the client's connection closed");
            broker.awaitExactLogLine(mark, "Client " + id + " been disconnected by administrative action.", LIMIT);
            broker.awaitExactLogLine(mark, "Client " + id + " disconnected through the HTTP API by admin.", LIMIT);
            assertEquals(404, http.send("POST", "/api/v1/clients/" + id + "/disconnect", ADMIN).statusCode(),
                    "a clean session is gone once its client is");
            wills.paho().publish(willTopic, "marker", 1, false);
            wills.await(willTopic, "marker", LIMIT);
            assertEquals(1, wills.all().size(), "an administrator's disconnect publishes no will: " + wills.all());
        }
        assertEquals(404, http.send("POST", "/api/v1/clients/no-such-client/disconnect", ADMIN).statusCode());
    }

    @Test
    void onlyAnAdminDeletesARetainedMessage() {
        String topic = Ids.topic("test/delete");
        try (Paho publisher = Paho.connect(mqtt, Ids.client("api-del"), true)) {
            publisher.publish(topic, "keep me?", 1, true);
            String query = "/api/v1/retained?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
            String listing = "/api/v1/retained?filter=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
            Await.until(LIMIT, () -> http.get(listing, VIEWER).body().contains("\"total\":1"), () -> "retained");

            assertEquals(403, http.send("DELETE", query, VIEWER).statusCode());
            int mark = broker.logLength();
            HttpResponse<String> deleted = http.send("DELETE", query, ADMIN);
            assertEquals(200, deleted.statusCode(), deleted.body());
            broker.awaitExactLogLine(mark, "Retained message on topic " + topic + " deleted through the HTTP API by admin.", LIMIT);
            assertTrue(http.get(listing, VIEWER).body().contains("\"total\":0"));
            try (Inbox late = Inbox.subscribe(mqtt, Ids.client("api-late"), true, topic)) {
                publisher.publish(topic, "marker", 1, false);
                late.await(topic, "marker", LIMIT);
                assertEquals(1, late.all().size(), "a new subscriber gets no retained message: " + late.all());
            }
            assertEquals(404, http.send("DELETE", query, ADMIN).statusCode());
            assertEquals(400, http.send("DELETE", "/api/v1/retained?topic=a/%2B", ADMIN).statusCode());
        }
    }

    @Test
    void anAdminReloadsAndTheReloadedPasswordFileCounts() {
        String newcomer = HttpCalls.basic("newcomer", "fresh");
        assertEquals(401, http.get("/api/v1/version", newcomer).statusCode());
        TestFiles.mosquittoPasswd(passwords, false, "newcomer", "fresh");
        assertEquals(403, http.send("POST", "/api/v1/reload", VIEWER).statusCode());
        int mark = broker.logLength();
        assertEquals(200, http.send("POST", "/api/v1/reload", ADMIN).statusCode());
        broker.awaitExactLogLine(mark, "Reloading config.", LIMIT);
        Await.until(LIMIT, () -> http.get("/api/v1/version", newcomer).statusCode() == 200,
                () -> "the user added before the reload is accepted");
    }

    @Test
    void badRequestsGetAClear4xxAndTheListenerKeepsServing() throws Exception {
        assertEquals(404, http.get("/api/v1/nothing-here", VIEWER).statusCode());
        assertEquals(404, http.get("/elsewhere", VIEWER).statusCode());
        HttpResponse<String> wrongMethod = http.send("PUT", "/api/v1/version", VIEWER);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("{\"error\":\"allowed: GET\"}", wrongMethod.body());
        assertEquals(400, http.get("/api/v1/clients?limit=0", VIEWER).statusCode());
        assertEquals(400, http.get("/api/v1/clients?limit=1001", VIEWER).statusCode());
        assertEquals(400, http.get("/api/v1/clients?offset=x", VIEWER).statusCode());

        HttpRequest bigBody = http.request("/api/v1/reload").header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build();
        assertEquals(413, http.send(bigBody).statusCode(), "a body beyond 8 KiB is refused, not buffered");

        assertEquals("HTTP/1.1 400 Bad Request", rawFirstLine(httpPort, "NOT HTTP AT ALL\r\n\r\n"));
        assertEquals("HTTP/1.1 400 Bad Request", rawFirstLine(httpPort,
                "GET /api/v1/version HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"));
        assertEquals(200, http.get("/api/v1/version", VIEWER).statusCode(), "still serving");
    }

    @Test
    void theTokenReadsOverTlsButChangesNothing() {
        HttpResponse<String> metrics = https.get("/metrics", HttpCalls.bearer(TOKEN));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE midge_connections_total counter"), metrics.body());
        assertEquals(401, https.get("/metrics", HttpCalls.bearer("guess")).statusCode());
        assertEquals(401, https.get("/metrics", null).statusCode());
        assertEquals(403, https.send("POST", "/api/v1/reload", HttpCalls.bearer(TOKEN)).statusCode(),
                "changing state needs an http_admin user");
        assertEquals(200, https.get("/api/v1/version", VIEWER).statusCode(), "users log in over TLS too");
    }

    @Test
    void theEventStreamSendsStatsAndOnlyTheTopicsTheAclLetsTheUserRead() throws Exception {
        String run = Ids.topic("run");
        try (Paho publisher = Paho.connect(mqtt, Ids.client("api-sse"), true)) {
            publisher.publish("public/" + run, "for everyone", 1, true);
            publisher.publish("secret/" + run, "not for limited", 1, true);
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpResponse<Stream<String>> stream = readEvents(LIMITED, lines);
            assertEquals(200, stream.statusCode());
            assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElse(null));
            try {
                Await.until(LIMIT, () -> String.join("\n", lines).contains("\"topic\":\"public/" + run
                        + "\",\"payload\":\"for everyone\",\"encoding\":\"utf8\",\"bytes\":12,\"retained\":true,\"qos\":1"),
                        () -> "the retained public topic in the stream: " + lines);
                publisher.publish("public/" + run + "/live", "now", 0, false);
                publisher.publish("secret/" + run + "/live", "never", 0, false);
                Await.until(LIMIT, () -> String.join("\n", lines).contains("\"topic\":\"public/" + run + "/live\",\"payload\":\"now\""),
                        () -> "a live message in the stream: " + lines);
                Await.until(LIMIT, () -> lines.contains("event: stats"), () -> "stats events: " + lines);
                String all = String.join("\n", lines);
                assertFalse(all.contains("secret/"), "the ACL lets limited read public/# only: " + all);
                assertFalse(all.contains("$SYS"), "nor $SYS: " + all);
            } finally {
                stream.body().close();
                publisher.publish("public/" + run, "", 1, true);
                publisher.publish("secret/" + run, "", 1, true);
            }
        }
    }

    /**
     * A topic's live update is newer than its retained message, so the stream ends on it even when
     * the update comes while the retained messages found at the start are still being sent.
     */
    @Test
    void theEventStreamEndsEachTopicOnItsLatestPayload() throws Exception {
        int topics = 6000; // three events' worth of retained messages
        String run = Ids.topic("latest");
        try (Paho publisher = Paho.connect(mqtt, Ids.client("api-latest"), true)) {
            for (int i = 0; i < topics; i++) {
                publisher.publish(run + "/t" + i, "old", i == topics - 1 ? 1 : 0, true);
            }
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpResponse<Stream<String>> stream = readEvents(VIEWER, lines);
            try {
                Await.until(LIMIT, () -> !latestPayloads(lines, run).isEmpty(), () -> "retained topics in the stream");
                for (int i = 0; i < topics; i++) {
                    publisher.publish(run + "/t" + i, "new", i == topics - 1 ? 1 : 0, false);
                }
                Await.until(LIMIT, () -> latestPayloads(lines, run).values().stream().filter("new"::equals).count() == topics,
                        () -> "every topic's live update last in the stream: " + latestPayloads(lines, run).values().stream()
                                .filter("new"::equals).count() + " of " + topics);
                // Then two more stats events, a second apart: time for anything still waiting to be sent.
                long stats = lines.stream().filter("event: stats"::equals).count();
                Await.until(LIMIT, () -> lines.stream().filter("event: stats"::equals).count() >= stats + 2, "two more stats events");
                Map<String, String> latest = latestPayloads(lines, run);
                assertEquals(topics, latest.size());
                assertEquals(List.of(), latest.entrySet().stream().filter(e -> !e.getValue().equals("new")).map(Map.Entry::getKey).toList(),
                        "topics whose last payload in the stream is older than their live update");
            } finally {
                stream.body().close();
                for (int i = 0; i < topics; i++) {
                    publisher.publish(run + "/t" + i, "", i == topics - 1 ? 1 : 0, true);
                }
            }
        }
    }

    /** The event stream, its lines added to {@code into} as they come by a thread of their own; closing its body ends it. */
    private static HttpResponse<Stream<String>> readEvents(String authorization, List<String> into) throws Exception {
        HttpRequest request = http.request("/api/v1/events").header("Authorization", authorization).GET().build();
        HttpResponse<Stream<String>> stream = http.client().send(request, HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(into::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    /** Each of the run's topics → the payload it last had in the stream's topics events. */
    private static Map<String, String> latestPayloads(List<String> lines, String run) {
        Pattern update = Pattern.compile("\\{\"topic\":\"(" + Pattern.quote(run) + "/t\\d+)\",\"payload\":\"([^\"]*)\"");
        Map<String, String> latest = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("data: [")) {
                Matcher m = update.matcher(line);
                while (m.find()) {
                    latest.put(m.group(1), m.group(2));
                }
            }
        }
        return latest;
    }

    @Test
    void aWebsocketsListenerServesHttpDirAndStillUpgrades() {
        HttpCalls files = HttpCalls.plain(ws);
        HttpResponse<String> index = files.get("/", null);
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElse(null));
        assertEquals("<h1>served from http_dir</h1>", index.body());
        assertEquals(200, files.get("/index.html", null).statusCode());
        assertEquals(404, files.get("/missing.js", null).statusCode());
        assertEquals(404, files.get("/../passwords", null).statusCode());
        assertEquals(404, files.get("/%2e%2e/passwords", null).statusCode());
        assertEquals(405, files.send("POST", "/", null).statusCode());
        try (Paho overWebSockets = Paho.connect("ws://127.0.0.1:" + ws + "/mqtt", Ids.client("api-ws"), true, null)) {
            overWebSockets.subscribe("test/ws", 0);
        }
    }

    private static String rawFirstLine(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
