package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.it.BridgedPair.Topology;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bridge's state topic, {@code $SYS/broker/connection/<remote_clientid>/state} by default
 * ({@code remote_clientid} defaulting to {@code <hostname>.<connection name>}): retained
 * {@code 1} on both sides once connected, {@code 0} locally when the remote goes away, and
 * {@code 0} on the remote (the bridge's will) when the bridge's broker dies.
 */
@WaitsMostly
class BridgeNotificationTest {

    static final Duration LIMIT = Duration.ofSeconds(15);
    // A dead bridge's will waits for the remote's keep alive check: 1.5 × keepalive_interval 5.
    static final Duration WILL_LIMIT = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void stateIsOneOnBothSidesThenZero(Topology topology) {
        try (BridgedPair pair = BridgedPair.builder(topology, "state").bridge("topic st/# out 1").start();
             Inbox local = Inbox.subscribe(pair.localPort, "local-state", true, pair.stateTopic())) {
            local.awaitLast(pair.stateTopic(), "1", LIMIT);
            try (Inbox late = Inbox.subscribe(pair.localPort, "local-late", true, pair.stateTopic())) {
                assertTrue(late.await(pair.stateTopic(), "1", LIMIT).retained(), "retained locally");
            }
            try (Inbox remote = Inbox.subscribe(pair.remotePort, "remote-state", true, pair.stateTopic())) {
                assertTrue(remote.await(pair.stateTopic(), "1", LIMIT).retained(), "retained on the remote");
            }

            pair.stopRemote();
            local.awaitLast(pair.stateTopic(), "0", LIMIT);
            pair.resumeRemote();
            local.awaitLast(pair.stateTopic(), "1", LIMIT);

            try (Inbox remote = Inbox.subscribe(pair.remotePort, "remote-will", true, pair.stateTopic())) {
                remote.awaitLast(pair.stateTopic(), "1", LIMIT);
                pair.killLocal();
                remote.awaitLast(pair.stateTopic(), "0", WILL_LIMIT);
                assertEquals(List.of("1", "0"), remote.all().stream().map(Paho.Msg::payload).toList());
            }
            try (Inbox remote = Inbox.subscribe(pair.remotePort, "remote-late", true, pair.stateTopic())) {
                Paho.Msg will = remote.await(m -> true, LIMIT, "the retained will");
                assertEquals("0", will.payload());
                assertTrue(will.retained(), "the will is retained");
            }
        }
    }

    /**
     * The local-only options share one pair per topology, a bridge each: {@code named} (its own
     * notification topic), {@code quiet} (notifications off) and {@code localonly}. Of the default
     * state topics, then, only {@code localonly}'s exists, and only locally. These options are
     * the local broker's alone, so its remote is mosquitto.
     */
    static final SharedPairs OPTIONS = new SharedPairs(topology -> BridgedPair.builder(topology, "named")
            .bridge("topic named/# out 1", "notification_topic home/bridge/cloud")
            .connection("quiet", "topic quiet/# out 1", "notifications false")
            .connection("localonly", "topic localonly/# out 1", "notifications_local_only true"));

    @AfterAll
    static void closePairs() {
        OPTIONS.close();
    }

    private static final Set<Topology> FORWARDING = EnumSet.noneOf(Topology.class);

    /** The option pair of {@code topology}, once each of its three bridges has forwarded a message. */
    private static BridgedPair optionPair(Topology topology) {
        BridgedPair pair = OPTIONS.of(topology);
        if (!FORWARDING.contains(topology)) {
            for (String prefix : List.of("named", "quiet", "localonly")) {
                awaitCrossing(pair, prefix);
            }
            FORWARDING.add(topology);
        }
        return pair;
    }

    /** What {@link #retainedUnder} finds of the default state topics on each side with all three bridges up. */
    private static void assertOnlyLocalOnlysStateLocally(BridgedPair pair) {
        assertEquals(List.of(BridgedPair.stateTopic("localonly") + " 1"),
                retainedUnder(pair.localPort, "$SYS/broker/connection/#"), "locally");
        assertEquals(List.of(), retainedUnder(pair.remotePort, "$SYS/broker/connection/#"), "on the remote");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Topology.class, names = "TO_MOSQUITTO")
    void notificationTopicIsConfigurable(Topology topology) {
        BridgedPair pair = optionPair(topology);
        try (Inbox local = Inbox.subscribe(pair.localPort, "local-state", true, "home/bridge/cloud")) {
            local.awaitLast("home/bridge/cloud", "1", LIMIT);
            try (Inbox remote = Inbox.subscribe(pair.remotePort, "remote-state", true, "home/bridge/cloud")) {
                remote.awaitLast("home/bridge/cloud", "1", LIMIT);
            }
            // No default state topic for named besides the configured one.
            assertOnlyLocalOnlysStateLocally(pair);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Topology.class, names = "TO_MOSQUITTO")
    void notificationsOff(Topology topology) {
        BridgedPair pair = optionPair(topology);
        // quiet's state topic is on neither side.
        assertOnlyLocalOnlysStateLocally(pair);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Topology.class, names = "TO_MOSQUITTO")
    void notificationsLocalOnly(Topology topology) {
        BridgedPair pair = optionPair(topology);
        try (Inbox local = Inbox.subscribe(pair.localPort, "local-state", true, BridgedPair.stateTopic("localonly"))) {
            local.awaitLast(BridgedPair.stateTopic("localonly"), "1", LIMIT);
        }
        assertOnlyLocalOnlysStateLocally(pair);
    }

    /** Waits until a message published locally on {@code PREFIX/x} reaches a remote subscriber: the bridge is up. */
    private static void awaitCrossing(BridgedPair pair, String prefix) {
        try (Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, prefix + "/#");
             Paho pub = Paho.connect(pair.localPort, "local-pub", true)) {
            Await.until(LIMIT, () -> {
                pub.publish(prefix + "/x", "up?", 1, false);
                return remote.all().stream().anyMatch(m -> m.topic().equals(prefix + "/x"));
            }, "a message across the bridge " + prefix);
        }
    }

    /**
     * The retained messages under {@code filter}: a new subscriber gets them right after its
     * SUBACK, before a marker it publishes itself after subscribing.
     */
    static List<String> retainedUnder(int port, String filter) {
        try (Inbox probe = Inbox.subscribe(port, "probe", true, filter, "probe-marker/#")) {
            probe.paho().publish("probe-marker/t", "m", 1, false);
            probe.await("probe-marker/t", "m", LIMIT);
            return probe.all().stream().filter(m -> !m.topic().startsWith("probe-marker/"))
                    .map(m -> m.topic() + " " + m.payload()).toList();
        }
    }
}
