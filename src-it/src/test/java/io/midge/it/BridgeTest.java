package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.it.BridgedPair.Topology;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bridge forwards what its {@code topic} lines say, in their direction, at the topic's QoS
 * capped by the message's, with the prefixes swapped; keeps or clears retain as
 * {@code bridge_outgoing_retain} says; never sends a message back where it came from; and
 * announces itself on the notification topic on both sides. Each test runs for Midge ↔ Midge,
 * Midge → mosquitto and mosquitto → Midge.
 *
 * <p>The tests share one pair per topology: its bridge {@code main} has every test's topic lines
 * (each test its own topic prefixes), and a second bridge {@code noretain} has
 * {@code bridge_outgoing_retain false}.
 */
@WaitsMostly
class BridgeTest {

    static final Duration LIMIT = Duration.ofSeconds(15);

    static final SharedPairs PAIRS = new SharedPairs(topology -> BridgedPair.builder(topology, "main")
            .bridge("topic sensors/# out 1 home/ cloud/",
                    "topic cmd/# in 1 home/ cloud/",
                    "topic chat/# both 1",
                    "topic q0/# out 0", "topic q1/# out 1", "topic q2/# out 2",
                    "topic in1/# in 1", "topic in2/# in 2",
                    "topic ret/# out 1",
                    "topic loop/# both 1")
            .connection("noretain", "topic noret/# out 1", "bridge_outgoing_retain false"));

    @AfterAll
    static void closePairs() {
        PAIRS.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void directionsAndPrefixes(Topology topology) {
        BridgedPair pair = PAIRS.of(topology);
        try (Inbox local = Inbox.subscribe(pair.localPort, "local-sub", true, "#", pair.stateTopic());
             Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, "#")) {
            local.await(pair.stateTopic(), "1", LIMIT);

            local.paho().publish("home/sensors/kitchen", "21.5", 1, false);
            remote.await("cloud/sensors/kitchen", "21.5", LIMIT);

            remote.paho().publish("cloud/cmd/heater", "on", 1, false);
            local.await("home/cmd/heater", "on", LIMIT);

            local.paho().publish("chat/up", "from local", 1, false);
            remote.await("chat/up", "from local", LIMIT);
            remote.paho().publish("chat/down", "from remote", 1, false);
            local.await("chat/down", "from remote", LIMIT);

            // The wrong way for each topic, then a marker behind it on the same bridge path.
            local.paho().publish("home/cmd/heater", "local only", 1, false);
            local.paho().publish("cloud/sensors/kitchen", "no prefix", 1, false);
            local.paho().publish("home/sensors/marker", "m", 1, false);
            remote.await("cloud/sensors/marker", "m", LIMIT);
            remote.paho().publish("cloud/sensors/kitchen", "remote only", 1, false);
            remote.paho().publish("cloud/cmd/marker", "m", 1, false);
            local.await("home/cmd/marker", "m", LIMIT);

            assertEquals(0, remote.count(m -> m.payload().equals("local only") || m.payload().equals("no prefix")),
                    "an in topic is not sent out, nor a topic without the local prefix: " + remote.all());
            assertEquals(0, remote.count(m -> m.topic().startsWith("home/")), "no local prefix on the remote: " + remote.all());
            assertEquals(0, local.count(m -> m.payload().equals("remote only")), "an out topic is not brought in: " + local.all());
            assertEquals(0, local.count(m -> m.topic().startsWith("cloud/") && !m.payload().equals("no prefix")),
                    "no remote prefix locally: " + local.all());
        }
    }

    /** {@code topic q<T>/# out T}, messages of QoS 0, 1, 2 on each: the remote subscriber (QoS 2) gets min(T, message). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void qosIsTheTopicsCappedByTheMessages(Topology topology) {
        BridgedPair pair = PAIRS.of(topology);
        try (Inbox local = Inbox.subscribe(pair.localPort, "local-sub", true, "in1/#", "in2/#", pair.stateTopic());
             Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, "q0/#", "q1/#", "q2/#")) {
            local.await(pair.stateTopic(), "1", LIMIT);
            for (int topicQos = 0; topicQos <= 2; topicQos++) {
                for (int msgQos = 0; msgQos <= 2; msgQos++) {
                    local.paho().publish("q" + topicQos + "/m" + msgQos, "x", msgQos, false);
                }
            }
            remote.paho().publish("in1/m2", "x", 2, false);
            remote.paho().publish("in2/m1", "x", 1, false);
            remote.paho().publish("in2/m2", "x", 2, false);
            for (int topicQos = 0; topicQos <= 2; topicQos++) {
                for (int msgQos = 0; msgQos <= 2; msgQos++) {
                    String topic = "q" + topicQos + "/m" + msgQos;
                    Paho.Msg m = remote.await(x -> x.topic().equals(topic), LIMIT, topic);
                    assertEquals(Math.min(topicQos, msgQos), m.qos(), topic + ": " + m);
                }
            }
            assertEquals(1, local.await(x -> x.topic().equals("in1/m2"), LIMIT, "in1/m2").qos());
            assertEquals(1, local.await(x -> x.topic().equals("in2/m1"), LIMIT, "in2/m1").qos());
            assertEquals(2, local.await(x -> x.topic().equals("in2/m2"), LIMIT, "in2/m2").qos());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void outgoingRetainIsKeptByDefault(Topology topology) {
        assertTrue(remoteRetains(PAIRS.of(topology), BridgedPair.stateTopic("main"), "ret"),
                "the remote stores the message as retained");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void outgoingRetainIsClearedWhenOff(Topology topology) {
        assertFalse(remoteRetains(PAIRS.of(topology), BridgedPair.stateTopic("noretain"), "noret"),
                "the remote got the message without retain");
    }

    /**
     * Publishes a retained message locally, waits until a remote subscriber has it, then asks a
     * new remote subscriber: a retained message is sent right after its SUBACK, so one that
     * arrives only after a marker it published itself was not retained.
     */
    private static boolean remoteRetains(BridgedPair pair, String stateTopic, String prefix) {
        String topic = prefix + "/t";
        try (Inbox local = Inbox.subscribe(pair.localPort, "local-sub", true, stateTopic);
             Inbox live = Inbox.subscribe(pair.remotePort, "live-sub", true, prefix + "/#")) {
            local.await(stateTopic, "1", LIMIT);
            local.paho().publish(topic, "kept?", 1, true);
            live.await(topic, "kept?", LIMIT);
            try (Inbox late = Inbox.subscribe(pair.remotePort, "late-sub", true, prefix + "/#", "marker/#")) {
                late.paho().publish("marker/t", "m", 1, false);
                late.await("marker/t", "m", LIMIT);
                List<Paho.Msg> got = late.all();
                boolean retained = got.get(0).topic().equals(topic);
                if (retained) {
                    assertTrue(got.get(0).retained(), "the late subscriber's copy has retain set: " + got);
                }
                return retained;
            }
        }
    }

    /**
     * {@code topic loop/# both 1}: a message published on either side reaches the other once and
     * never comes back. Each check waits for a marker that travelled the whole way behind it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void bothDirectionsDoNotLoop(Topology topology) {
        BridgedPair pair = PAIRS.of(topology);
        try (Inbox local = Inbox.subscribe(pair.localPort, "local-sub", true, "loop/#", pair.stateTopic());
             Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, "loop/#")) {
            local.await(pair.stateTopic(), "1", LIMIT);

            local.paho().publish("loop/a", "from local", 1, false);
            local.paho().publish("loop/m1", "m1", 1, false);
            remote.await("loop/m1", "m1", LIMIT);
            // An echo of loop/a or loop/m1 from the remote would be on the bridge ahead of m2.
            remote.paho().publish("loop/b", "from remote", 1, false);
            remote.paho().publish("loop/m2", "m2", 1, false);
            local.await("loop/m2", "m2", LIMIT);
            // And an echo of loop/b or loop/m2 from the local broker ahead of m3.
            local.paho().publish("loop/m3", "m3", 1, false);
            remote.await("loop/m3", "m3", LIMIT);

            for (String payload : List.of("from local", "m1", "from remote", "m2")) {
                Predicate<Paho.Msg> p = m -> m.payload().equals(payload);
                assertEquals(1, local.count(p), payload + " exactly once locally: " + local.all());
                assertEquals(1, remote.count(p), payload + " exactly once on the remote: " + remote.all());
            }
        }
    }
}
