package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mosquitto command line clients speaking MQTT 5 ({@code -V 5}): properties set with
 * {@code mosquitto_pub -D publish ...} come out of {@code mosquitto_sub -F} (whose {@code %P}
 * prints user properties as {@code key:value} separated by spaces, {@code %E} the message
 * expiry interval, {@code %S} the subscription identifier, {@code %C}, {@code %R}, {@code %D},
 * {@code %F} content type, response topic, correlation data, payload format indicator), and
 * {@code mosquitto_rr} gets its response.
 */
class MosquittoClientsV5Test {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final String FORMAT = "%t|%q|%r|%P|%E|%p";

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** Runs {@code mosquitto_pub -V 5} to its end; fails unless it exits 0. */
    private static void publish(String... args) {
        try (Cli pub = Cli.startV5("mosquitto_pub", broker.port(), concat(new String[] {"-i", Ids.client("pub5")}, args))) {
            assertEquals(0, pub.awaitExit(LIMIT), "mosquitto_pub exit code; output: " + pub.lines());
        }
    }

    /** A mosquitto_sub -V 5 that has its SUBACK. */
    private static Cli subscribed(String... args) {
        Cli sub = Cli.startV5("mosquitto_sub", broker.port(), concat(args, "-d"));
        sub.awaitLine(l -> l.contains("received SUBACK"), LIMIT, "SUBACK");
        return sub;
    }

    /** The line FORMAT printed for a message: everything but the expiry, which must be 59 or 60 (seconds pass). */
    private static String awaitMessage(Cli sub, String topic, int qos, int retained, String userProps, String payload) {
        String prefix = topic + "|" + qos + "|" + retained + "|" + userProps + "|";
        String line = sub.awaitLine(l -> l.startsWith(prefix) && l.endsWith("|" + payload), LIMIT,
                "the message line " + prefix + "<expiry>|" + payload);
        return line.substring(prefix.length(), line.length() - payload.length() - 1);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void userPropertiesAndMessageExpiryRoundTrip(int qos) {
        String t = Ids.topic("cli5-" + qos);
        try (Cli sub = subscribed("-i", Ids.client("sub5"), "-t", t, "-q", Integer.toString(qos), "-C", "1",
                "-W", "10", "-F", FORMAT)) {
            publish("-t", t, "-q", Integer.toString(qos), "-m", "hello-" + qos, "-d",
                    "-D", "publish", "user-property", "k", "v",
                    "-D", "publish", "user-property", "k", "v2",
                    "-D", "publish", "user-property", "a", "b",
                    "-D", "publish", "message-expiry-interval", "60");
            String expiry = awaitMessage(sub, t, qos, 0, "k:v k:v2 a:b", "hello-" + qos);
            assertTrue(expiry.equals("60") || expiry.equals("59"), "remaining expiry interval: " + expiry);
            assertEquals(0, sub.awaitExit(LIMIT), "mosquitto_sub exit code; output: " + sub.lines());
        }
    }

    @Test
    void aMessageWithoutPropertiesPrintsNone() {
        String t = Ids.topic("cli5-plain");
        try (Cli sub = subscribed("-t", t, "-q", "1", "-C", "1", "-W", "10", "-F", FORMAT)) {
            publish("-t", t, "-q", "1", "-m", "plain");
            assertEquals("", awaitMessage(sub, t, 1, 0, "", "plain"), "no expiry interval");
        }
    }

    @Test
    void contentTypeResponseTopicCorrelationDataAndPayloadFormatRoundTrip() {
        String t = Ids.topic("cli5-props");
        try (Cli sub = subscribed("-t", t, "-q", "1", "-C", "1", "-W", "10", "-F", "%C|%R|%D|%F|%p")) {
            publish("-t", t, "-q", "1", "-m", "{}",
                    "-D", "publish", "content-type", "application/json",
                    "-D", "publish", "response-topic", t + "/reply",
                    "-D", "publish", "correlation-data", "corr-17",
                    "-D", "publish", "payload-format-indicator", "1");
            sub.awaitLine(l -> l.equals("application/json|" + t + "/reply|corr-17|1|{}"), LIMIT, "the properties");
        }
    }

    @Test
    void aSubscriptionIdentifierComesBackWithTheMessage() {
        String t = Ids.topic("cli5-subid");
        try (Cli sub = subscribed("-t", t + "/#", "-q", "1", "-C", "1", "-W", "10", "-F", "%S|%p",
                "-D", "subscribe", "subscription-identifier", "77")) {
            publish("-t", t + "/x", "-q", "1", "-m", "identified");
            sub.awaitLine(l -> l.equals("77|identified"), LIMIT, "the subscription identifier");
        }
    }

    @Test
    void aRetainedMessageKeepsItsUserProperties() {
        String t = Ids.topic("cli5-retained");
        publish("-t", t, "-q", "1", "-r", "-m", "kept", "-D", "publish", "user-property", "why", "retained",
                "-D", "publish", "message-expiry-interval", "60");
        try (Cli sub = Cli.startV5("mosquitto_sub", broker.port(), "-t", t, "-q", "1", "-C", "1", "-W", "10", "-F", FORMAT)) {
            String expiry = awaitMessage(sub, t, 1, 1, "why:retained", "kept");
            assertTrue(expiry.equals("60") || expiry.equals("59"), "remaining expiry interval: " + expiry);
            assertEquals(0, sub.awaitExit(LIMIT), "output: " + sub.lines());
        }
        publish("-t", t, "-q", "1", "-r", "-n"); // clear
    }

    @Test
    void aSessionWithExpiryQueuesMessagesWithTheirProperties() {
        String t = Ids.topic("cli5-session");
        String id = Ids.client("cli5-sess");
        // -E: exit once subscribed; -c with -x 300: the session outlives the connection
        try (Cli first = Cli.startV5("mosquitto_sub", broker.port(), "-i", id, "-c", "-x", "300", "-t", t, "-q", "1", "-E")) {
            assertEquals(0, first.awaitExit(LIMIT), "mosquitto_sub -E exit code; output: " + first.lines());
        }
        publish("-t", t, "-q", "1", "-m", "while-away", "-D", "publish", "user-property", "queued", "yes");
        try (Cli back = Cli.startV5("mosquitto_sub", broker.port(), "-i", id, "-c", "-x", "300", "-t", t, "-q", "1",
                "-C", "1", "-W", "10", "-F", FORMAT, "-d")) {
            back.awaitLine(l -> l.contains("received CONNACK (0)"), LIMIT, "CONNACK");
            awaitMessage(back, t, 1, 0, "queued:yes", "while-away");
            assertEquals(0, back.awaitExit(LIMIT), "output: " + back.lines());
        }
        // The same client with clean start and no expiry ends the session.
        try (Cli last = Cli.startV5("mosquitto_sub", broker.port(), "-i", id, "-t", t, "-E")) {
            assertEquals(0, last.awaitExit(LIMIT));
        }
    }

    @Test
    void anEmptyClientIdGetsAnAssignedOne() {
        // mosquitto_sub -V 5 without -i sends an empty client id; the CONNACK's Assigned Client
        // Identifier is what libmosquitto prints as the client's name from then on.
        try (Cli sub = Cli.startV5("mosquitto_sub", broker.port(), "-t", Ids.topic("cli5-assigned"), "-E", "-d")) {
            assertEquals(0, sub.awaitExit(LIMIT), "output: " + sub.lines());
            String connack = sub.awaitLine(l -> l.contains("received CONNACK"), LIMIT, "CONNACK");
            assertTrue(connack.matches("Client \\S+ received CONNACK \\(0\\)") && !connack.contains("(null)"),
                    "an assigned client id: " + connack);
        }
    }

    @Test
    void mosquittoRrGetsTheResponseOfAPaho5Responder() {
        String requests = Ids.topic("cli5-rr");
        try (Paho5 responder = Paho5.connect(broker.port(), Ids.client("responder"))) {
            responder.subscribe(requests, 1);
            Thread answering = new Thread(() -> {
                Paho5.Msg request = responder.poll(LIMIT);
                if (request != null && request.properties().getResponseTopic() != null) {
                    MqttProperties answer = new MqttProperties();
                    answer.setCorrelationData(request.properties().getCorrelationData());
                    responder.publish(request.properties().getResponseTopic(), "answer to " + request.payload(), 1, false,
                            answer);
                }
            }, "responder");
            answering.start();
            try (Cli rr = Cli.startV5("mosquitto_rr", broker.port(), "-t", requests, "-e", requests + "/response",
                    "-m", "question", "-q", "1", "-W", "10", "-D", "publish", "correlation-data", "c-1")) {
                rr.awaitLine(l -> l.equals("answer to question"), LIMIT, "the response");
                assertEquals(0, rr.awaitExit(LIMIT), "mosquitto_rr exit code; output: " + rr.lines());
            }
        }
    }

    @Test
    void aPaho5PublishShowsItsPropertiesInMosquittoSub() {
        String t = Ids.topic("cli5-paho");
        try (Cli sub = subscribed("-t", t, "-q", "2", "-C", "1", "-W", "10", "-F", FORMAT + "|%C|%D");
             Paho5 pub = Paho5.connect(broker.port(), Ids.client("paho5pub"))) {
            MqttProperties p = Paho5.userProperties("z", "1", "z", "1", "y", "2");
            p.setMessageExpiryInterval(60L);
            p.setContentType("text/plain");
            p.setCorrelationData("cd".getBytes(StandardCharsets.UTF_8));
            pub.publish(t, "from paho", 2, false, p);
            String line = sub.awaitLine(l -> l.startsWith(t + "|"), LIMIT, "the message");
            String[] f = line.split("\\|", -1);
            assertEquals("2", f[1], "QoS");
            assertEquals("0", f[2], "retain");
            assertEquals("z:1 z:1 y:2", f[3], "user properties in order, the duplicate kept");
            assertTrue(f[4].equals("60") || f[4].equals("59"), "expiry: " + line);
            assertEquals("from paho", f[5]);
            assertEquals("text/plain", f[6]);
            assertArrayEquals("cd".getBytes(StandardCharsets.UTF_8), f[7].getBytes(StandardCharsets.UTF_8));
            assertFalse(sub.lines().stream().anyMatch(l -> l.contains("Error")), "output: " + sub.lines());
        }
    }
}
