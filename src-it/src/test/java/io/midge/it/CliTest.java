package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips with the mosquitto command line clients (package mosquitto-clients). */
class CliTest {

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    static final Duration LIMIT = Duration.ofSeconds(10);

    private static void assertPublishes(int qos, String topic, String payload, String... extra) {
        String[] args = new String[] {"-i", Ids.client("clipub"), "-t", topic, "-q", Integer.toString(qos), "-m", payload, "-d"};
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        try (Cli pub = Cli.start("mosquitto_pub", broker.port(), all)) {
            assertEquals(0, pub.awaitExit(LIMIT), "mosquitto_pub exit code; output: " + pub.lines());
            if (qos == 1) {
                assertTrue(pub.lines().stream().anyMatch(l -> l.contains("received PUBACK")), "PUBACK: " + pub.lines());
            } else if (qos == 2) {
                assertTrue(pub.lines().stream().anyMatch(l -> l.contains("received PUBREC")), "PUBREC: " + pub.lines());
                assertTrue(pub.lines().stream().anyMatch(l -> l.contains("received PUBCOMP")), "PUBCOMP: " + pub.lines());
            }
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void mosquittoPubToMosquittoSub(int qos) {
        String topic = Ids.topic("cli" + qos);
        try (Cli sub = Cli.start("mosquitto_sub", broker.port(), "-i", Ids.client("clisub"), "-t", topic,
                "-q", Integer.toString(qos), "-C", "1", "-W", "10", "-d")) {
            sub.awaitLine(l -> l.contains("received SUBACK"), LIMIT, "SUBACK");
            assertPublishes(qos, topic, "hello-" + qos);
            sub.awaitLine(l -> l.equals("hello-" + qos), LIMIT, "the message");
            assertEquals(0, sub.awaitExit(LIMIT), "mosquitto_sub exit code; output: " + sub.lines());
            String received = sub.awaitLine(l -> l.contains("received PUBLISH"), LIMIT, "PUBLISH debug line");
            assertTrue(received.contains("q" + qos + ","), "delivered at QoS " + qos + ": " + received);
        }
    }

    @Test
    void retainedMessageFromMosquittoPubReachesLaterMosquittoSub() {
        String topic = Ids.topic("cliret");
        assertPublishes(1, topic, "retained-by-cli", "-r");
        try (Cli sub = Cli.start("mosquitto_sub", broker.port(), "-i", Ids.client("cliretsub"), "-t", topic,
                "-C", "1", "-W", "10", "-v")) {
            assertEquals(0, sub.awaitExit(LIMIT), "mosquitto_sub exit code; output: " + sub.lines());
            assertTrue(sub.lines().contains(topic + " retained-by-cli"), "output: " + sub.lines());
        }
        // -r -n clears it; a later subscriber then times out (-W) with nothing
        try (Cli clear = Cli.start("mosquitto_pub", broker.port(), "-t", topic, "-r", "-n", "-q", "1")) {
            assertEquals(0, clear.awaitExit(LIMIT));
        }
        try (Cli sub = Cli.start("mosquitto_sub", broker.port(), "-t", topic, "-C", "1", "-W", "1", "-v")) {
            sub.awaitExit(LIMIT);
            assertTrue(sub.lines().stream().noneMatch(l -> l.startsWith(topic + " ")), "output: " + sub.lines());
        }
    }

    @Test
    void willOfKilledMosquittoSubIsDelivered() {
        String willTopic = Ids.topic("cliwill");
        String id = Ids.client("cliwill");
        try (RawClient watcher = RawClient.connect(broker.port(), Ids.client("cliwatch"))) {
            watcher.subscribe(willTopic, 1);
            watcher.autoAck(true);
            try (Cli victim = Cli.start("mosquitto_sub", broker.port(), "-i", id, "-t", Ids.topic("cliwill-sub"),
                    "--will-topic", willTopic, "--will-payload", "cli-died", "--will-qos", "1", "-d")) {
                victim.awaitLine(l -> l.contains("received SUBACK"), LIMIT, "SUBACK");
                watcher.assertNoPublish(Duration.ofMillis(200));
                victim.kill(); // SIGKILL: no DISCONNECT
            }
            Packet will = watcher.nextPublish();
            assertEquals(willTopic, will.topic());
            assertEquals("cli-died", will.payloadString());
            assertEquals(1, will.qos());
        }
    }

    @Test
    void mosquittoSubReceivesFromPaho() {
        String topic = Ids.topic("clipaho");
        try (Cli sub = Cli.start("mosquitto_sub", broker.port(), "-t", topic, "-q", "2", "-C", "3", "-W", "10", "-d");
             Paho pub = Paho.connect(broker.port(), Ids.client("clipahopub"), true)) {
            sub.awaitLine(l -> l.contains("received SUBACK"), LIMIT, "SUBACK");
            for (int i = 0; i < 3; i++) {
                pub.publish(topic, "paho-" + i, i, false);
            }
            assertEquals(0, sub.awaitExit(LIMIT), "output: " + sub.lines());
            for (int i = 0; i < 3; i++) {
                assertTrue(sub.lines().contains("paho-" + i), "paho-" + i + " in " + sub.lines());
            }
        }
    }
}
