package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code log_dest topic} and {@code log_dest dlt}. */
class LogTopicTest {

    static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void logLinesArePublishedOnSysBrokerLogByLevelAsMosquitto() {
        int port = BrokerProcess.freePorts(1)[0];
        try (BrokerProcess broker = BrokerLaunch.create().config(List.of(
                "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "log_dest topic", "log_dest stderr", "log_type all")).startAndAwait(port);
             RawClient watcher = RawClient.connect(port, Ids.client("log-watcher"))) {
            watcher.subscribe("$SYS/broker/log/#", 0);
            String other = Ids.client("log-subject");
            try (RawClient subject = RawClient.connect(port, other)) {
                subject.subscribe("log/topic/test", 1);
            }
            List<Packet> seen = new ArrayList<>();
            Packet connected = awaitLog(watcher, seen, "$SYS/broker/log/N", "New client connected from ");
            assertTrue(connected.payloadString().matches("\\d+: New client connected from 127\\.0\\.0\\.1:\\d+ as "
                    + other + " .*"), connected.payloadString());
            assertFalse(connected.retain(), "not retained");
            Packet subscribed = awaitLog(watcher, seen, "$SYS/broker/log/M/subscribe", other + " 1 log/topic/test");
            assertTrue(subscribed.payloadString().matches("\\d+: " + other + " 1 log/topic/test"), subscribed.payloadString());
            assertTrue(seen.stream().noneMatch(p -> p.topic().equals("$SYS/broker/log/D")),
                    "debug lines are not published: " + seen.stream().map(Packet::topic).toList());
        }
    }

    @Test
    void dltIsRefusedNamingTheFileAndLine() {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto built without DLT takes the line and logs nothing there");
        BrokerLaunch launch = BrokerLaunch.create();
        BrokerLaunch.Run run = launch.config(List.of("log_dest stderr", "log_dest dlt")).run(LIMIT);

        assertEquals(3, run.code(), run.stderr());
        assertTrue(run.stderr().contains(launch.configFile() + ":2: log_dest dlt is not supported"), run.stderr());
    }

    /** Reads publishes (keeping them in {@code seen}) until one on {@code topic} contains {@code text}. */
    private static Packet awaitLog(RawClient watcher, List<Packet> seen, String topic, String text) {
        while (true) {
            Packet p = watcher.nextPublish(LIMIT);
            assertTrue(p != null && !p.isClosed(), "a log line on " + topic + " containing " + text + "; seen "
                    + seen.stream().map(Packet::payloadString).toList());
            seen.add(p);
            if (p.topic().equals(topic) && p.payloadString().contains(text)) {
                return p;
            }
        }
    }
}
