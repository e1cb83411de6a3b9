package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With persistence on, nothing acknowledged is lost: not across a clean restart, and not when
 * the broker is killed (SIGKILL) in the middle of a stream, whether the subscriber is offline
 * or online and acking. QoS 1 arrives at least once, QoS 2 exactly once.
 */
class PersistenceTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private BrokerProcess broker;
    private int port;

    @BeforeEach
    void start() {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto saves only every autosave_interval: it loses what these tests count");
        port = BrokerProcess.freePorts(1)[0];
        broker = BrokerProcess.startConfig(List.of(
                "listener " + port + " " + BrokerProcess.HOST,
                "allow_anonymous true",
                "persistence true",
                "persistence_location ./",
                // Every message of the stream must be kept for the offline subscriber.
                "max_queued_messages 0",
                "sys_interval 0"), port);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void restart(boolean crash) {
        if (crash) {
            broker.kill();
        } else {
            broker.close();
        }
        broker = broker.restart();
    }

    @Test
    void retainedMessagesSubscriptionsAndQueuedMessagesSurviveACleanRestart() throws Exception {
        String topic = Ids.topic("restart");
        try (RawClient publisher = RawClient.connect(port, Ids.client("pub"))) {
            publisher.publish(topic + "/retained", 1, true, "kept");
        }
        String subscriber = Ids.client("sub");
        try (RawClient sub = RawClient.connect(port, subscriber, false)) {
            sub.subscribe(topic + "/q/#", 2);
        }
        try (RawClient publisher = RawClient.connect(port, Ids.client("pub"))) {
            publisher.publish(topic + "/q/1", 1, false, "one");
            publisher.publish(topic + "/q/2", 2, false, "two");
        }

        restart(false);

        try (RawClient fresh = RawClient.connect(port, Ids.client("late"))) {
            fresh.subscribe(topic + "/retained", 1);
            Packet retained = fresh.nextPublish();
            assertEquals("kept", retained.payloadString());
            assertTrue(retained.retain());
        }
        try (RawClient sub = RawClient.open(port).autoAck(true)) {
            Packet connack = sub.sendConnect(Mqtt.connect(subscriber).cleanSession(false));
            assertEquals(1, connack.body()[0] & 1, "session present");
            assertEquals("one", sub.nextPublish().payloadString());
            assertEquals("two", sub.nextPublish().payloadString());
            // The subscription itself came back too.
            try (RawClient publisher = RawClient.connect(port, Ids.client("pub"))) {
                publisher.publish(topic + "/q/3", 0, "three");
            }
            assertEquals("three", sub.nextPublish().payloadString());
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void aCrashLosesNothingAcknowledgedForAnOfflineSubscriber(int qos) throws Exception {
        String topic = Ids.topic("crash-offline");
        String subscriberId = Ids.client("offline");
        try (StreamClient subscriber = new StreamClient(subscriberId)) {
            subscriber.connect(port);
            subscriber.subscribe(topic, qos);
        }
        Set<Integer> acked = publishAndCrash(topic, qos, 4000);

        try (StreamClient subscriber = new StreamClient(subscriberId)) {
            assertTrue(subscriber.connect(port), "session present after the crash");
            subscriber.subscribe(topic, qos);
            assertEveryAcknowledgedMessageArrives(subscriber, acked, qos);
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void aCrashLosesNothingAcknowledgedForAnOnlineSubscriber(int qos) throws Exception {
        String topic = Ids.topic("crash-online");
        String subscriberId = Ids.client("online");
        try (StreamClient subscriber = new StreamClient(subscriberId)) {
            subscriber.connect(port);
            subscriber.subscribe(topic, qos);
            Set<Integer> acked = publishAndCrash(topic, qos, 4000);
            int before = subscriber.deliveries.size();
            subscriber.close();

            // The same client (its QoS 2 receiver state intact) comes back to the restarted broker.
            assertTrue(subscriber.connect(port), "session present after the crash");
            assertEveryAcknowledgedMessageArrives(subscriber, acked, qos);
            assertTrue(before > 0, "the subscriber was receiving before the crash");
        }
    }

    /** Streams to {@code topic} and kills the broker once {@code killAfter} messages were acknowledged. */
    private Set<Integer> publishAndCrash(String topic, int qos, int killAfter) throws Exception {
        try (StreamClient publisher = new StreamClient(Ids.client("stream"))) {
            publisher.connect(port);
            Thread stream = new Thread(() -> publisher.publishStream(topic, qos, 1_000_000, 64), "publish-stream");
            stream.start();
            Await.until(DELIVERY, () -> publisher.acked.size() >= killAfter, "acks before the crash");
            broker.kill();
            stream.join(10_000);
            Set<Integer> acked = Set.copyOf(publisher.acked);
            broker = broker.restart();
            return acked;
        }
    }

    /** At least once for QoS 1; exactly once for QoS 2. */
    private static void assertEveryAcknowledgedMessageArrives(StreamClient subscriber, Set<Integer> acked, int qos) {
        Await.until(DELIVERY, () -> subscriber.deliveries.keySet().containsAll(acked),
                () -> "missing after the crash: " + missing(acked, subscriber.deliveries));
        assertExactlyOnceForQos2(qos, subscriber.deliveries);
    }

    private static void assertExactlyOnceForQos2(int qos, Map<Integer, Integer> deliveries) {
        if (qos == 2) {
            Map<Integer, Integer> twice = deliveries.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertEquals(Map.of(), twice, "QoS 2 messages delivered more than once");
        }
    }

    private static String missing(Set<Integer> acked, Map<Integer, Integer> delivered) {
        TreeSet<Integer> missing = new TreeSet<>(acked);
        missing.removeAll(delivered.keySet());
        return missing.size() + " of " + acked.size() + (missing.isEmpty() ? "" : ", first " + missing.first());
    }
}
