package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.midge.it.BridgedPair.Topology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code start_type lazy}: the bridge connects only once {@code threshold} messages are queued
 * for it, and disconnects after {@code idle_timeout} seconds without traffic;
 * {@code start_type once}: it connects at start and never again once the connection is lost.
 * Only the local end's behaviour is at stake, so the remote is the same broker or mosquitto.
 */
class LazyBridgeTest {

    static final Duration LIMIT = Duration.ofSeconds(15);
    /** How long a bridge that must not connect is given to do it wrongly: several restart_timeouts. */
    static final Duration QUIET = Duration.ofSeconds(3);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Topology.class, names = {"SAME", "TO_MOSQUITTO"})
    void lazyBridgeStartsAtItsThresholdAndStopsWhenIdle(Topology topology) {
        try (BridgedPair pair = BridgedPair.builder(topology, "lazy")
                .bridge("topic lazy/# out 1", "start_type lazy", "threshold 5", "idle_timeout 2")
                .start();
             Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, "lazy/#", pair.stateTopic());
             Paho pub = Paho.connect(pair.localPort, "local-pub", true)) {
            for (int n = 1; n <= 4; n++) {
                pub.publish("lazy/t", Integer.toString(n), 1, false);
            }
            assertEquals(null, remote.paho().poll(QUIET), "below the threshold the bridge stays down");
            assumeFalse(topology.localRunsMosquitto(), "mosquitto 2.0.11 drops a lazy bridge's first connection at once"
                    + " and, some runs, never connects it again (\"Connecting bridge (step 1)\" without step 2)");
            pub.publish("lazy/t", "5", 1, false);
            for (int n = 1; n <= 5; n++) {
                remote.await("lazy/t", Integer.toString(n), LIMIT);
            }
            remote.awaitLast(pair.stateTopic(), "1", LIMIT);
            try (Inbox state = Inbox.subscribe(pair.localPort, "local-state", true, pair.stateTopic())) {
                state.awaitLast(pair.stateTopic(), "1", LIMIT);
                // idle_timeout 2: the bridge leaves on its own a few seconds after the last message.
                state.awaitLast(pair.stateTopic(), "0", LIMIT);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Topology.class, names = {"SAME", "TO_MOSQUITTO"})
    void onceBridgeDoesNotReconnect(Topology topology) {
        assumeFalse(topology.localRunsMosquitto(),
                "mosquitto 2.0.11 never connects a once bridge: it logs \"Connecting bridge (step 1)\" and no step 2");
        try (BridgedPair pair = BridgedPair.builder(topology, "once")
                .bridge("topic once/# out 1", "start_type once")
                .start();
             Inbox state = Inbox.subscribe(pair.localPort, "local-state", true, pair.stateTopic())) {
            state.awaitLast(pair.stateTopic(), "1", LIMIT);
            pair.stopRemote();
            state.awaitLast(pair.stateTopic(), "0", LIMIT);
            pair.resumeRemote();
            try (Inbox remote = Inbox.subscribe(pair.remotePort, "remote-sub", true, "once/#", "$SYS/broker/connection/#");
                 Paho pub = Paho.connect(pair.localPort, "local-pub", true)) {
                pub.publish("once/t", "stays here", 1, false);
                assertEquals(null, remote.paho().poll(QUIET), "the once bridge stays down");
                assertEquals(List.of("1", "0"), state.all().stream().map(Paho.Msg::payload).toList());
            }
        }
    }
}
