package io.midge.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The $SYS/broker/... tree as a client sees it: mosquitto 2.0's topic list, and counters that
 * match known traffic exactly. Runs against mosquitto too ({@code -Dit.broker=mosquitto}), which
 * proves the expectations are mosquitto's.
 *
 * <p>Every byte the broker receives or sends is accounted for here, including what the clients
 * that read $SYS cost: each reader connects, takes the retained values, unsubscribes and leaves,
 * and its own packets go into the expectation for the next reader. A reading counts when it
 * comes from an update made while no reader was connected; readers are tried until one does.
 */
class SysTopicsTest {

    /** Every topic mosquitto 2.0.11 publishes under $SYS/broker/ (with memory tracking, as Debian builds it). */
    static final List<String> MOSQUITTO_TOPICS = List.of("version", "uptime",
            "clients/total", "clients/maximum", "clients/inactive", "clients/disconnected", "clients/active",
            "clients/connected", "clients/expired",
            "load/messages/received/1min", "load/messages/sent/1min", "load/publish/dropped/1min",
            "load/publish/received/1min", "load/publish/sent/1min", "load/bytes/received/1min", "load/bytes/sent/1min",
            "load/sockets/1min", "load/connections/1min",
            "load/messages/received/5min", "load/messages/sent/5min", "load/publish/dropped/5min",
            "load/publish/received/5min", "load/publish/sent/5min", "load/bytes/received/5min", "load/bytes/sent/5min",
            "load/sockets/5min", "load/connections/5min",
            "load/messages/received/15min", "load/messages/sent/15min", "load/publish/dropped/15min",
            "load/publish/received/15min", "load/publish/sent/15min", "load/bytes/received/15min",
            "load/bytes/sent/15min", "load/sockets/15min", "load/connections/15min",
            "messages/stored", "store/messages/count", "store/messages/bytes", "subscriptions/count",
            "shared_subscriptions/count", "retained messages/count", "heap/current", "heap/maximum",
            "messages/received", "messages/sent", "publish/messages/dropped", "publish/messages/received",
            "publish/messages/sent", "bytes/received", "bytes/sent", "publish/bytes/received", "publish/bytes/sent");

    private static final String PREFIX = "$SYS/broker/";
    private static final Pattern LOAD = Pattern.compile("\\d+\\.\\d\\d");

    /** What the broker has received and sent, as the test works it out from what its clients did. */
    private static final class Tally {
        long packetsIn;
        long bytesIn;
        long packetsOut;
        long bytesOut;
        long publishesIn;
        long publishBytesIn;
        long publishesOut;
        long publishBytesOut;
        /**
         * mosquitto 2.0.11 tests the fixed header against CMD_PUBLISH with a mask that keeps some
         * flag bits, so it counts received PUBLISHes only at QoS 0 or 1 without retain. Midge
         * counts every PUBLISH (docs/sys-topics.md).
         */
        long mosquittoPublishesIn;

        void in(byte[] packet) {
            packetsIn++;
            bytesIn += packet.length;
        }

        void out(byte[] packet) {
            packetsOut++;
            bytesOut += packet.length;
        }

        void publishIn(byte[] packet, int payloadLength) {
            in(packet);
            publishesIn++;
            publishBytesIn += payloadLength;
            if ((packet[0] & 0xF5) == 0x30) {
                mosquittoPublishesIn++;
            }
        }

        void publishOut(byte[] packet, int payloadLength) {
            out(packet);
            publishesOut++;
            publishBytesOut += payloadLength;

        }

        Map<String, String> counters() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("messages/received", Long.toString(packetsIn));
            c.put("messages/sent", Long.toString(packetsOut));
            c.put("bytes/received", Long.toString(bytesIn));
            c.put("bytes/sent", Long.toString(bytesOut));
            c.put("publish/messages/received", Long.toString(Reference.expect(publishesIn, mosquittoPublishesIn)));
            c.put("publish/messages/sent", Long.toString(publishesOut));
            c.put("publish/bytes/received", Long.toString(publishBytesIn));
            c.put("publish/bytes/sent", Long.toString(publishBytesOut));
            c.put("publish/messages/dropped", "0");
            return c;
        }
    }

    private static byte[] publish(String topic, int qos, boolean retain, int packetId, int payloadLength) {
        return Mqtt.publish(topic, qos, retain, false, packetId, new byte[payloadLength]);
    }

    @Test
    void countersMatchKnownTrafficAndTheTopicListIsMosquittos() {
        try (BrokerProcess broker = BrokerProcess.start("sys_interval 1")) {
            Tally tally = new Tally();
            int port = broker.port();

            // A subscriber to everything under t/, acknowledging as it goes.
            Mqtt.Connect subConnect = Mqtt.connect("sys-sub");
            RawClient sub = RawClient.connect(port, subConnect, true);
            tally.in(subConnect.build());
            tally.out(Mqtt.of(0x20, 2, 0, 0));
            sub.subscribe("t/#", 2);
            tally.in(Mqtt.subscribe(1, "t/#", 2));
            tally.out(Mqtt.of(0x90, 3, 0, 1, 2));

            // A persistent session that leaves, so its QoS 1 messages are held for it.
            Mqtt.Connect persistentConnect = Mqtt.connect("sys-persistent").cleanSession(false);
            RawClient persistent = RawClient.connect(port, persistentConnect);
            tally.in(persistentConnect.build());
            tally.out(Mqtt.of(0x20, 2, 0, 0));
            persistent.subscribe("t/q1", 1);
            tally.in(Mqtt.subscribe(1, "t/q1", 1));
            tally.out(Mqtt.of(0x90, 3, 0, 1, 1));
            persistent.disconnect();
            tally.in(Mqtt.disconnect());
            Await.until(RawClient.TIMEOUT, persistent::peerClosed, "the persistent client's connection closed");

            Mqtt.Connect pubConnect = Mqtt.connect("sys-pub");
            RawClient pub = RawClient.connect(port, pubConnect);
            tally.in(pubConnect.build());
            tally.out(Mqtt.of(0x20, 2, 0, 0));
            for (int i = 0; i < 3; i++) {
                pub.publish("t/a", 0, false, new byte[10]);
                tally.publishIn(publish("t/a", 0, false, 0, 10), 10);
                tally.publishOut(publish("t/a", 0, false, 0, 10), 10);
            }
            for (int i = 0; i < 2; i++) {
                pub.publish("t/q1", 1, false, new byte[20]);
                tally.publishIn(publish("t/q1", 1, false, 1, 20), 20);
                tally.out(Mqtt.puback(1));
                tally.publishOut(publish("t/q1", 1, false, 1, 20), 20);
                tally.in(Mqtt.puback(1));
            }
            for (int i = 0; i < 2; i++) {
                pub.publish("t/b", 2, false, new byte[30]);
                tally.publishIn(publish("t/b", 2, false, 1, 30), 30);
                tally.out(Mqtt.pubrec(1));
                tally.in(Mqtt.pubrel(1));
                tally.out(Mqtt.pubcomp(1));
                tally.publishOut(publish("t/b", 2, false, 1, 30), 30);
                tally.in(Mqtt.pubrec(1));
                tally.out(Mqtt.pubrel(1));
                tally.in(Mqtt.pubcomp(1));
            }
            pub.publish("r/1", 0, true, new byte[5]);
            tally.publishIn(publish("r/1", 0, true, 0, 5), 5);
            // Acknowledged, counted as received, and dropped: $SYS is the broker's.
            pub.publish(PREFIX + "fake", 1, true, new byte[4]);
            tally.publishIn(publish(PREFIX + "fake", 1, true, 1, 4), 4);
            tally.out(Mqtt.puback(1));
            pub.disconnect();
            tally.in(Mqtt.disconnect());

            for (int i = 0; i < 7; i++) {
                sub.nextPublish();
            }
            // Two round trips: the second follows the PUBCOMPs sent for the PUBRELs that came before the first.
            for (int i = 0; i < 2; i++) {
                sub.ping();
                tally.in(Mqtt.pingreq());
                tally.out(Mqtt.of(0xD0, 0));
            }
            sub.disconnect();
            tally.in(Mqtt.disconnect());
            Await.until(RawClient.TIMEOUT, sub::peerClosed, "the subscriber's connection closed");

            List<Map<String, String>> checkpoints = new ArrayList<>();
            Map<String, String> sys = readSysUntil(port, tally, checkpoints, values -> "0".equals(values.get("clients/connected"))
                    && checkpoints.contains(subMap(values, tally.counters().keySet())));
            Map<String, String> before = subMap(sys, tally.counters().keySet());

            assertEquals(new TreeSet<>(MOSQUITTO_TOPICS), new TreeSet<>(sys.keySet()), "the $SYS/broker/ topics");
            assertFalse(sys.containsKey("fake"), "a client's PUBLISH to $SYS is dropped");
            assertEquals(before, subMap(sys, before.keySet()), "traffic counters");

            assertEquals("1", sys.get("clients/total"), "the persistent session");
            assertEquals("0", sys.get("clients/connected"));
            assertEquals("0", sys.get("clients/active"));
            assertEquals("1", sys.get("clients/disconnected"));
            assertEquals("1", sys.get("clients/inactive"));
            assertEquals("0", sys.get("clients/expired"));
            long maximum = Long.parseLong(sys.get("clients/maximum"));
            assertTrue(maximum >= 1 && maximum <= 3, "the most sessions an update saw: " + maximum);
            assertEquals("1", sys.get("subscriptions/count"), "t/q1 of the persistent session");
            assertEquals("0", sys.get("shared_subscriptions/count"));
            // r/1 and every $SYS value are retained; the store also holds the persistent session's two messages.
            assertEquals(Integer.toString(1 + sys.size()), sys.get("retained messages/count"));
            assertEquals(Integer.toString(1 + sys.size() + 2), sys.get("messages/stored"));
            assertEquals(sys.get("messages/stored"), sys.get("store/messages/count"));
            long sysPayloads = sys.values().stream().mapToLong(String::length).sum();
            long storeBytes = Long.parseLong(sys.get("store/messages/bytes"));
            // The update reads it while it publishes, so the $SYS values published after it in that update
            // are still the previous ones: a load average may have gained or lost a digit since, and the
            // heap and uptime figures a few. SysPublisherTest checks the figure exactly.
            long loadTopics = sys.keySet().stream().filter(topic -> topic.startsWith("load/")).count();
            assertTrue(Math.abs(storeBytes - (5 + 2 * 20 + sysPayloads)) <= loadTopics + 16,
                    "store bytes " + storeBytes + " vs r/1, two queued and the $SYS payloads " + (5 + 2 * 20 + sysPayloads));

            assertTrue(sys.get("version").matches(Reference.expect("midge version \\S+", "mosquitto version 2\\.0\\.11")),
                    sys.get("version"));
            assertTrue(sys.get("uptime").matches("\\d+ seconds"), sys.get("uptime"));
            assertTrue(Long.parseLong(sys.get("heap/current")) > 0);
            assertTrue(Long.parseLong(sys.get("heap/current")) <= Long.parseLong(sys.get("heap/maximum")));
            for (String topic : MOSQUITTO_TOPICS) {
                if (topic.startsWith("load/")) {
                    assertTrue(LOAD.matcher(sys.get(topic)).matches(), topic + " = " + sys.get(topic));
                }
            }
            assertTrue(Double.parseDouble(sys.get("load/publish/received/15min")) > 0, "the publishes show in the load");
        }
    }

    @Test
    void sysIntervalZeroPublishesNothing() {
        try (BrokerProcess broker = BrokerProcess.start("sys_interval 0");
             RawClient reader = RawClient.connect(broker.port(), "reader")) {
            reader.subscribe("$SYS/#", 0);
            reader.ping();
            reader.assertNoPublish(Duration.ofMillis(1500));
        }
    }

    private static Map<String, String> subMap(Map<String, String> all, Iterable<String> keys) {
        Map<String, String> sub = new LinkedHashMap<>();
        keys.forEach(k -> sub.put(k, all.get(k)));
        return sub;
    }

    /**
     * Reads the retained $SYS values with a new client each time until {@code wanted} holds,
     * adding each reader's own traffic to {@code tally} as it goes; {@code checkpoints} are the
     * tallies as they were before each reader.
     */
    private static Map<String, String> readSysUntil(int port, Tally tally, List<Map<String, String>> checkpoints,
                                                    java.util.function.Predicate<Map<String, String>> wanted) {
        List<Map<String, String>> seen = new ArrayList<>();
        Await.until(Duration.ofSeconds(20), () -> {
            // An update made between two readers shows one of these. mosquitto, idle between
            // readers, makes its update when the next reader's connection wakes it up, so its
            // reader sees the update made as the reader before it arrived.
            checkpoints.add(tally.counters());
            Map<String, String> values = readSysOnce(port, seen.size(), tally);
            seen.add(values);
            return wanted.test(values);
        }, () -> "a $SYS reading that matches the traffic between two readers " + checkpoints.get(checkpoints.size() - 1)
                + "; last reading: " + (seen.isEmpty() ? "none" : subMap(seen.get(seen.size() - 1), tally.counters().keySet()))
                + "; the checkpoint with its packet count: " + checkpoints.stream()
                        .filter(c -> !seen.isEmpty() && c.get("messages/received").equals(seen.get(seen.size() - 1).get("messages/received")))
                        .findFirst().orElse(null));
        return seen.get(seen.size() - 1);
    }

    /** One reader: connect, subscribe, take the retained values, unsubscribe, leave. */
    private static Map<String, String> readSysOnce(int port, int n, Tally tally) {
        Mqtt.Connect connect = Mqtt.connect("sys-reader-" + n);
        Map<String, String> retained = new LinkedHashMap<>();
        try (RawClient reader = RawClient.connect(port, connect)) {
            tally.in(connect.build());
            tally.out(Mqtt.of(0x20, 2, 0, 0));
            reader.send(Mqtt.subscribe(1, PREFIX + "#", 0));
            tally.in(Mqtt.subscribe(1, PREFIX + "#", 0));
            reader.send(Mqtt.unsubscribe(2, PREFIX + "#"));
            tally.in(Mqtt.unsubscribe(2, PREFIX + "#"));
            reader.send(Mqtt.pingreq());
            tally.in(Mqtt.pingreq());
            // Everything the broker sends until PINGRESP: SUBACK, retained and live values, UNSUBACK.
            while (true) {
                Packet p = reader.read();
                if (p.type() == Mqtt.PUBLISH) {
                    tally.publishOut(p.bytes(), p.payload().length);
                    if (p.retain()) {
                        retained.put(p.topic().substring(PREFIX.length()), p.payloadString());
                    }
                } else {
                    tally.out(p.bytes());
                    if (p.type() == Mqtt.PINGRESP) {
                        break;
                    }
                }
            }
            reader.send(Mqtt.disconnect());
            tally.in(Mqtt.disconnect());
            Await.until(RawClient.TIMEOUT, reader::peerClosed, "the reader's connection closed");
        }
        return retained;
    }
}
