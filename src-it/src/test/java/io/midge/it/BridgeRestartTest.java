package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.midge.it.BridgedPair.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No QoS 1 or 2 message is lost when the remote restarts or dies mid-stream, or when the
 * bridge's own broker restarts with messages queued for a remote that is down. Odd numbers are
 * published at QoS 1 (at least once), even ones at QoS 2 (exactly once).
 *
 * <p>A mosquitto 2.0.11 remote restarted with QoS 2 messages of a bridge in flight refuses the
 * bridge from then on ("Bad socket read/write on client NAME: Unknown error" at every reconnect,
 * seen for every topology with a mosquitto remote, with SIGTERM as with SIGKILL); with QoS 1
 * alone it recovers. So the stream to a mosquitto remote is QoS 1 only.
 *
 * <p>The checks of a topology run in sequence on one pair (each with its own topics and
 * clients), each leaving both brokers running; the one that restarts the local broker comes last.
 */
@WaitsMostly
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeRestartTest {

    static final Duration LIMIT = Duration.ofSeconds(30);

    static final SharedPairs PAIRS = new SharedPairs(topology -> BridgedPair.builder(topology, "restart")
            .bridge("topic s/# out 2", "topic q/# out 2", "cleansession false")
            .local("persistence true", "persistence_location ./", "max_queued_messages 0")
            .remote("persistence true", "persistence_location ./", "max_queued_messages 0"));

    @AfterAll
    static void closePairs() {
        PAIRS.close();
    }

    static Stream<Arguments> remoteStops() {
        List<Arguments> out = new ArrayList<>();
        for (Topology t : Topology.values()) {
            out.add(Arguments.of(t, false));
            out.add(Arguments.of(t, true));
        }
        return out.stream();
    }

    private static int qosOf(int n) {
        return qosOf(n, true);
    }

    private static int qosOf(int n, boolean withQos2) {
        return withQos2 && n % 2 == 0 ? 2 : 1;
    }

    @Order(1)
    @ParameterizedTest(name = "{0}, killed {1}")
    @MethodSource("remoteStops")
    void remoteRestartedMidStream(Topology topology, boolean kill) throws InterruptedException {
        BridgedPair pair = PAIRS.of(topology);
        String stream = "s/" + (kill ? "killed" : "stopped");
        try (Inbox state = Inbox.subscribe(pair.localPort, "state", true, pair.stateTopic());
             Inbox sub = Inbox.subscribe(pair.remotePort, "stream-sub-" + (kill ? "killed" : "stopped"), false, stream + "/#");
             Paho pub = Paho.connect(pair.localPort, "stream-pub", true)) {
            state.awaitLast(pair.stateTopic(), "1", LIMIT);
            boolean withQos2 = !topology.remoteRunsMosquitto();
            AtomicInteger published = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(() -> {
                while (!stop.get()) {
                    int n = published.get() + 1;
                    pub.publish(stream + "/q" + qosOf(n, withQos2), Integer.toString(n), qosOf(n, withQos2), false);
                    published.set(n);
                    // A steady stream rather than a burst, so the stop lands in its middle.
                    BrokerProcess.sleepQuietly(2);
                }
            }, "stream-publisher");
            publisher.start();
            try {
                Await.until(LIMIT, () -> sub.all().size() >= 50, () -> "50 messages before the stop; got " + sub.all().size());
                if (kill) {
                    pair.remote().kill();
                } else {
                    pair.remote().close();
                }
                state.awaitLast(pair.stateTopic(), "0", LIMIT);
                int queuedFrom = published.get() + 1;
                pair.resumeRemote();
                sub.reconnect(LIMIT);
                sub.subscribe(stream + "/#"); // the session may not have survived a SIGKILL of mosquitto
                state.awaitLast(pair.stateTopic(), "1", LIMIT);
                int afterReconnect = published.get();
                Await.until(LIMIT, () -> maxNumber(sub) > afterReconnect + 20, "the stream to flow again");
                stop.set(true);
                publisher.join(LIMIT.toMillis());
                int last = published.get();
                // mosquitto saves its store only at shutdown (or every autosave_interval): killed,
                // it loses what it had acknowledged. What the bridge queued meanwhile must arrive.
                int first = kill && topology.remoteRunsMosquitto() ? queuedFrom : 1;
                Await.until(LIMIT, () -> missing(sub, first, last).isEmpty(),
                        () -> "missing " + missing(sub, first, last) + " of " + first + ".." + last);
                Map<Integer, Integer> counts = counts(sub);
                for (int n = first; n <= last; n += 1) {
                    if (qosOf(n, withQos2) == 2) {
                        assertEquals(1, counts.get(n), "QoS 2 message " + n + " exactly once");
                    }
                }
                List<String> states = state.all().stream().map(Paho.Msg::payload).toList();
                // A 0 may come first: the state of a bridge not yet connected when the subscriber came.
                assertTrue(String.join(",", states).matches("(0,)*1(,1)*(,0)+(,1)+"), "state 1, then 0, then 1: " + states);
            } finally {
                stop.set(true);
                publisher.join(LIMIT.toMillis());
            }
        }
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Topology.class)
    void localRestartedWithMessagesQueuedForADownRemote(Topology topology) {
        BridgedPair pair = PAIRS.of(topology);
        try (Inbox state = Inbox.subscribe(pair.localPort, "state", true, pair.stateTopic());
             Inbox sub = Inbox.subscribe(pair.remotePort, "queued-sub", false, "q/#")) {
            state.awaitLast(pair.stateTopic(), "1", LIMIT);
            sub.paho().disconnect();
            pair.stopRemote();
            state.awaitLast(pair.stateTopic(), "0", LIMIT);
        }
        try (Paho pub = Paho.connect(pair.localPort, "queued-pub", true)) {
            for (int n = 1; n <= 40; n++) {
                pub.publish("q/q" + qosOf(n), Integer.toString(n), qosOf(n), false);
            }
        }
        pair.restartLocal();
        pair.resumeRemote();
        try (Inbox sub = Inbox.subscribe(pair.remotePort, "queued-sub", false, "q/#")) {
            Await.until(LIMIT, () -> missing(sub, 1, 40).isEmpty(),
                    () -> "missing " + missing(sub, 1, 40) + "; local log:\n" + pair.local().tail(20));
            Map<Integer, Integer> counts = counts(sub);
            for (int n = 2; n <= 40; n += 2) {
                assertEquals(1, counts.get(n), "QoS 2 message " + n + " exactly once");
            }
        }
    }

    private static Map<Integer, Integer> counts(Inbox sub) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Paho.Msg m : sub.all()) {
            counts.merge(Integer.parseInt(m.payload()), 1, Integer::sum);
        }
        return counts;
    }

    private static int maxNumber(Inbox sub) {
        return counts(sub).keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static List<Integer> missing(Inbox sub, int first, int last) {
        Map<Integer, Integer> counts = counts(sub);
        List<Integer> missing = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            if (!counts.containsKey(n)) {
                missing.add(n);
            }
        }
        return missing.size() > 20 ? missing.subList(0, 20) : missing;
    }
}
