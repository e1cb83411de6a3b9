package io.midge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 session expiry across a clean restart of a persistent broker ({@code persistence true}):
 * a session's expiry interval keeps running over the restart (a short one ends, and a reconnect
 * finds no session), and a long one brings back its subscription and its queued QoS 1 message,
 * properties included.
 */
@WaitsMostly
class SessionExpiryRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private BrokerProcess broker;
    private int port;

    @BeforeEach
    void start() {
        port = BrokerProcess.freePorts(1)[0];
        broker = BrokerProcess.startConfig(List.of(
                "listener " + port + " " + BrokerProcess.HOST,
                "allow_anonymous true",
                "persistence true",
                "persistence_location ./",
                "sys_interval 0"), port);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /** SIGTERM (both brokers write their store on it) and the same broker again. */
    private void restart() {
        broker.close();
        broker = broker.restart();
    }

    @Test
    void aShortSessionExpiryEndsTheSession() {
        assertShortSessionEnds(false);
    }

    @Test
    void aShortSessionExpiryEndsTheSessionEvenOverARestart() {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto 2.0.11 never expires a session it restored from its"
                + " store: a 2 s session is still present 10 s after the restart");
        assertShortSessionEnds(true);
    }

    private void assertShortSessionEnds(boolean restartMeanwhile) {
        String t = Ids.topic("short");
        String id = Ids.client("short");
        try (Paho5 sub = Paho5.connect(port, id, false, 2)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        long disconnectedAt = System.nanoTime();
        try (Paho5 pub = Paho5.connect(port, Ids.client("pub"))) {
            pub.publish(t, "never delivered", 1, false);
        }
        if (restartMeanwhile) {
            restart();
        }
        // The two seconds must pass: sleep what is left of them, and more for a broker that
        // counts in whole seconds and checks for expired sessions once a second.
        long left = Duration.ofSeconds(2).minusNanos(System.nanoTime() - disconnectedAt).toMillis();
        BrokerProcess.sleepQuietly(Math.max(0, left) + 1_500);

        try (Paho5 sub = Paho5.connect(port, id, false, 300)) {
            assertFalse(sub.sessionPresent(), "the session expired");
            assertNull(sub.poll(Duration.ofMillis(500)), "and its queued message with it");
        }
    }

    @Test
    void aLongSessionExpirySurvivesARestartWithItsQueuedMessage() {
        assertSurvivesARestart(false);
    }

    /**
     * Clean start only decides whether the connection starts with a fresh session; what happens to
     * the session after the connection is up to its expiry interval alone [MQTT-3.1.2-5, -23].
     */
    @Test
    void aSessionBegunWithCleanStartSurvivesARestartToo() {
        assumeFalse(BrokerProcess.isMosquitto(), "mosquitto 2.0.11 writes only the sessions of clients that"
                + " connected with clean start 0 to its store: a clean-start session with expiry 300 is gone after a restart");
        assertSurvivesARestart(true);
    }

    private void assertSurvivesARestart(boolean firstCleanStart) {
        String t = Ids.topic("long");
        String id = Ids.client("long");
        try (Paho5 sub = Paho5.connect(port, id, firstCleanStart, 300)) {
            sub.subscribe(t, 1);
            sub.disconnect();
        }
        try (Paho5 pub = Paho5.connect(port, Ids.client("pub"))) {
            pub.publish(t, "kept over the restart", 1, false, Paho5.userProperties("survives", "restart"));
        }
        restart();

        try (Paho5 sub = Paho5.connect(port, id, false, 300)) {
            assertTrue(sub.sessionPresent(), "the session survived the restart");
            Paho5.Msg m = sub.next(WAIT, "the queued QoS 1 message");
            assertEquals("kept over the restart", m.payload());
            assertEquals(1, m.qos());
            assertEquals(Paho5.pairs("survives", "restart"), m.userProperties());
            try (Paho5 pub = Paho5.connect(port, Ids.client("pub"))) {
                pub.publish(t, "live", 1, false);
            }
            assertEquals("live", sub.next(WAIT, "a message on the restored subscription").payload());
        }
    }
}
